// SPDX-License-Identifier: MIT
/* libFuzzer: the AML scan for CXL host bridges on arbitrary bytes. */
#include <stddef.h>
#include <stdint.h>

#include "acpi/dsdt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct aml_host_bridge hb[AML_MAX_HOST_BRIDGES];
	unsigned n = 0;

	aml_find_cxl_host_bridges(data, size, hb, &n, AML_MAX_HOST_BRIDGES);
	return 0;
}
