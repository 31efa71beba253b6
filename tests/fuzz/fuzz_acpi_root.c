// SPDX-License-Identifier: MIT
/*
 * libFuzzer: RSDP -> XSDT -> tables where the input is physical memory at
 * 0x1000: the RSDP sits at its start and every pointer in it is followed.
 */
#include <stddef.h>
#include <stdint.h>

#include "acpi/acpi.h"

#define BASE 0x1000ULL

struct blob {
	const uint8_t *p;
	size_t n;
};

static const void *map(void *ctx, uint64_t phys, uint64_t len)
{
	const struct blob *b = ctx;

	if (phys < BASE || len > b->n || phys - BASE > b->n - len)
		return NULL;
	return b->p + (phys - BASE);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct acpi_tables t;
	struct blob b = { data, size };
	struct acpi_mem mem = { map, &b };
	struct diag_sink sink = { 0 };

	if (!acpi_read_tables(&mem, BASE, &t, &sink))
		acpi_find(&t, "CEDT", 1);
	return 0;
}
