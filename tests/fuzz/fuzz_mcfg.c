// SPDX-License-Identifier: MIT
/* libFuzzer: the MCFG parser and ECAM address lookups on arbitrary bytes. */
#include <stddef.h>
#include <stdint.h>

#include "acpi/mcfg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mcfg m;
	struct diag_sink sink = { 0 };
	uint64_t a;

	if (mcfg_parse(data, size, &m, &sink))
		return 0;
	for (unsigned bus = 0; bus < 256; bus += 17)
		mcfg_ecam_address(&m, 0, (uint8_t)bus, 31, 7, 0xfff, &a);
	return 0;
}
