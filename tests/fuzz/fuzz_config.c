// SPDX-License-Identifier: MIT
/* libFuzzer: the config file parser on arbitrary text. */
#include <stddef.h>
#include <stdint.h>

#include "core/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cxlval_config cfg;
	struct diag_sink sink = { 0 };

	config_defaults(&cfg);
	config_parse(&cfg, (const char *)data, size, "fuzz", &sink);
	return 0;
}
