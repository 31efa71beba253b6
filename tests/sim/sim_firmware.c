// SPDX-License-Identifier: MIT
/* BIOS-style configurations on the simulated fabric (tests/sim/sim_firmware.h). */
#include "sim/sim_firmware.h"

#include "lib/bits.h"
#include "lib/platform.h"
#include "cxl/interleave.h"
#include "cxl/regs.h"
#include "sim/sim.h"

#define REG_BASE_LO 0
#define REG_BASE_HI 1
#define REG_SIZE_LO 2
#define REG_SIZE_HI 3
#define REG_CTRL 4
#define REG_TARGET_LO 5
#define REG_TARGET_HI 6

static uint32_t control(const struct sim_fw_decoder *d)
{
	int iw = d->ways ? ileave_ways_to_eniw(d->ways) : 0;
	int ig = ileave_gran_to_ig(d->granularity ? d->granularity : 256);
	uint32_t c;

	if (d->raw_ctrl)
		return d->raw_ctrl;
	c = FIELD_PREP(CXL_HDM_CTRL_IW, iw < 0 ? 0 : iw) | FIELD_PREP(CXL_HDM_CTRL_IG, ig < 0 ? 0 : ig);
	if (!d->uncommitted)
		c |= CXL_HDM_CTRL_COMMIT | CXL_HDM_CTRL_COMMITTED;
	if (d->lock)
		c |= CXL_HDM_CTRL_LOCK_ON_COMMIT;
	return c;
}

void sim_fw_set(int node, unsigned m, const struct sim_fw_decoder *d)
{
	sim_decoder_set(node, m, REG_BASE_LO, (uint32_t)d->base & CXL_HDM_ADDR_LOW_MASK);
	sim_decoder_set(node, m, REG_BASE_HI, (uint32_t)(d->base >> 32));
	sim_decoder_set(node, m, REG_SIZE_LO, (uint32_t)d->size & CXL_HDM_ADDR_LOW_MASK);
	sim_decoder_set(node, m, REG_SIZE_HI, (uint32_t)(d->size >> 32));
	sim_decoder_set(node, m, REG_TARGET_LO, (uint32_t)d->target);
	sim_decoder_set(node, m, REG_TARGET_HI, (uint32_t)(d->target >> 32));
	sim_decoder_set(node, m, REG_CTRL, control(d));
	sim_node_enable(node);
}

uint64_t sim_fw_targets(const uint8_t *ports, unsigned n)
{
	uint64_t t = 0;

	for (unsigned k = 0; k < n && k < 8; k++)
		t |= (uint64_t)ports[k] << (8 * k);
	return t;
}

void sim_fw_two_way(uint64_t base, bool lock, int *hb, int ep[2])
{
	static const uint8_t ports[2] = { 0, 1 };
	struct sim_fw_decoder d = { base, 512ULL << 20, 2, 256, 0, lock, false, 0 };

	*hb = sim_add_host_bridge(12, 0x800000000ULL, 4);
	for (unsigned i = 0; i < 2; i++) {
		ep[i] = sim_add_endpoint(sim_add_root_port(*hb, (uint8_t)i), 256ULL << 20, 4);
		sim_fw_set(ep[i], 0, &d);
	}
	d.target = sim_fw_targets(ports, 2);
	sim_fw_set(*hb, 0, &d);
}

/* ---- firmware's allocator for conventional memory over a window ---- */

static struct {
	uint64_t busy_base, busy_size; /* firmware already uses this */
	unsigned claimed, released;
} ram;

void sim_fw_ram_busy(uint64_t base, uint64_t size)
{
	ram.busy_base = base;
	ram.busy_size = size;
	ram.claimed = ram.released = 0;
}

unsigned sim_fw_ram_claims(unsigned *released)
{
	*released = ram.released;
	return ram.claimed;
}

bool plat_claim_ram(uint64_t base, uint64_t size)
{
	if (ram.busy_size && base < ram.busy_base + ram.busy_size && ram.busy_base < base + size)
		return false;
	ram.claimed++;
	return true;
}

void plat_release_ram(uint64_t base, uint64_t size)
{
	ram.released++;
}
