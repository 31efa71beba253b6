// SPDX-License-Identifier: MIT
/*
 * libFuzzer: the register walks of discovery over simulated MMIO. The input
 * is the hardware: its first 4 KiB are the config space of one function (its
 * ECAM page), the rest is memory from FUZZ_BAR on (BAR0 of the seeds holds
 * it, so a good seed leads from the register locator to the component
 * registers). Anything else reads all ones, like a device that is gone.
 *
 * What runs is discovery's own code: the Register Locator DVSEC walk
 * (pci_regloc_find), then the component capability array walk, the HDM
 * decoder capability and every decoder (cxl_read_hdm), for an endpoint and a
 * port, on the block the locator named and on the block at FUZZ_BAR.
 * Checked: discovery never writes, reads only aligned dwords inside the
 * config page or the 64 KiB component block it was given, and what it
 * decodes is consistent. This file is the platform seam of its binary.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "lib/bits.h"
#include "lib/platform.h"
#include "cxl/discover.h"
#include "cxl/pci.h"
#include "cxl/regs.h"

#define FUZZ_CFG 0xe0008000ULL /* ECAM of 00:01.0 */
#define FUZZ_BAR 0xfe000000ULL

static const uint8_t *in;
static size_t in_len;
/* The range the code under test may read right now. */
static uint64_t allowed_lo, allowed_hi;

#define check(cond) \
	do { \
		if (!(cond)) \
			__builtin_trap(); \
	} while (0)

static uint32_t dword_at(uint64_t off)
{
	uint32_t v = ~0U;

	if (off <= in_len && in_len - off >= sizeof(v))
		memcpy(&v, in + off, sizeof(v));
	return v;
}

uint32_t plat_mmio_read32(uint64_t addr)
{
	/* Component registers and config space are dword registers (../shared/DESIGN.md §4). */
	check(IS_ALIGNED(addr, 4));
	check(addr >= allowed_lo && addr < allowed_hi);
	if (addr >= FUZZ_CFG && addr < FUZZ_CFG + SZ_4K)
		return dword_at(addr - FUZZ_CFG);
	if (addr >= FUZZ_BAR && in_len > SZ_4K && addr - FUZZ_BAR < in_len - SZ_4K)
		return dword_at(SZ_4K + (addr - FUZZ_BAR));
	return ~0U;
}

/* Discovery only reads: any write, memory access or wait is a bug here. */
void plat_mmio_write32(uint64_t addr, uint32_t value)
{
	__builtin_trap();
}

void plat_mmio_write64(uint64_t addr, uint64_t value)
{
	__builtin_trap();
}

uint64_t plat_mem_read64(uint64_t hpa)
{
	__builtin_trap();
}

void plat_mem_write64(uint64_t hpa, uint64_t value)
{
	__builtin_trap();
}

void plat_cache_flush(uint64_t hpa, uint64_t len)
{
	__builtin_trap();
}

uint64_t plat_timer_ns(void)
{
	__builtin_trap();
}

void plat_delay_us(uint32_t us)
{
	__builtin_trap();
}

const void *plat_phys_map(uint64_t phys, uint64_t len)
{
	__builtin_trap();
}

/* What cxl_read_hdm found must agree with the capability register it read. */
static void check_hdm(const struct cxl_topology *t, const struct cxl_hdm *hdm, uint64_t regs, uint64_t block,
		      bool endpoint)
{
	uint64_t dpa_end = 0;

	if (!regs) {
		check(!hdm->present && !hdm->nr_decoders);
		return;
	}
	/* The capability lies in the CXL.cache/mem area, decoders and all inside the block. */
	check(regs >= block + CXL_CM_OFFSET && regs < block + CXL_CM_OFFSET + SZ_4K);
	check(hdm->present);
	check(hdm->nr_decoders == cxl_hdm_decoder_count(hdm->cap));
	check(hdm->nr_targets == FIELD_GET(CXL_HDM_CAP_TARGET_COUNT, hdm->cap));
	for (unsigned m = 0; m < hdm->nr_decoders; m++) {
		const struct cxl_decoder *d = cxl_hdm_decoder(t, hdm, m);

		check(d);
		check(!d->locked || d->committed);
		check(!d->ways || ileave_ways_valid(d->ways));
		check(!d->granularity || ileave_gran_to_ig(d->granularity) >= 0);
		check(IS_ALIGNED(d->base | d->size, SZ_256M));
		if (!endpoint || !d->committed || !d->ways)
			continue;
		/* Committed endpoint decoders claim DPA one after another, never wrapping past 2^64. */
		check(d->dpa_base >= dpa_end);
		check(d->dpa_base + d->dpa_size >= d->dpa_base);
		dpa_end = d->dpa_base + d->dpa_size;
	}
}

static void walk_hdm(uint64_t block, bool endpoint)
{
	static struct cxl_topology t;
	struct cxl_hdm hdm;
	uint32_t global_saved = 0;
	uint64_t regs;

	cxl_topo_init(&t);
	allowed_lo = block;
	allowed_hi = block + CXL_COMPONENT_BLOCK_SIZE;
	regs = cxl_read_hdm(&t, block, &hdm, endpoint, &global_saved);
	check_hdm(&t, &hdm, regs, block, endpoint);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t blocks[] = { CXL_REGLOC_BLOCK_COMPONENT, CXL_REGLOC_BLOCK_VIRT, CXL_REGLOC_BLOCK_MEMDEV };
	uint64_t component;

	in = data;
	in_len = size;
	allowed_lo = FUZZ_CFG;
	allowed_hi = FUZZ_CFG + SZ_4K;
	for (unsigned i = 0; i < ARRAY_SIZE(blocks); i++)
		pci_regloc_find(FUZZ_CFG, blocks[i]);
	component = pci_regloc_find(FUZZ_CFG, CXL_REGLOC_BLOCK_COMPONENT);
	/* A block that wraps past 2^64 cannot exist (physical addresses have 52 bits). */
	if (component && component <= UINT64_MAX - CXL_COMPONENT_BLOCK_SIZE) {
		walk_hdm(component, true);
		walk_hdm(component, false);
	}
	/* The walk on the fuzzed block even when the locator points elsewhere. */
	if (component != FUZZ_BAR) {
		walk_hdm(FUZZ_BAR, true);
		walk_hdm(FUZZ_BAR, false);
	}
	return 0;
}
