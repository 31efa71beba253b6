// SPDX-License-Identifier: MIT
/* libFuzzer: the PRMT walk (acpi/prmt.c) on arbitrary bytes; a found handler's GUID must be in the input. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "acpi/prmt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diag_sink sink = { 0 };
	bool found = prmt_has_handler(data, size, prm_cxl_address_translation_guid, &sink);
	bool present = false;

	for (size_t i = 0; !present && i + 16 <= size; i++)
		present = !memcmp(data + i, prm_cxl_address_translation_guid, 16);
	if (found && !present)
		__builtin_trap();
	return 0;
}
