// SPDX-License-Identifier: MIT
/* libFuzzer: the CEDT parser on arbitrary bytes, with the lookups that follow it. */
#include <stddef.h>
#include <stdint.h>

#include "acpi/cedt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct cedt c;
	struct diag_sink sink = { 0 };

	if (cedt_parse(data, size, &c, &sink))
		return 0;
	for (unsigned i = 0; i < c.nr_cfmws; i++) {
		cedt_cxims_for(&c, &c.cfmws[i]);
		for (unsigned t = 0; t < c.cfmws[i].nr_targets; t++)
			cedt_chbs_by_uid(&c, c.cfmws[i].target_uid[t]);
	}
	return 0;
}
