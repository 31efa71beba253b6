// SPDX-License-Identifier: MIT
/* BIOS-style configurations on the simulated fabric (tests/sim/sim_firmware.h). */
#include "sim/sim_firmware.h"

#include "lib/platform.h"
#include "sim/sim.h"
#include "sim/sim_regs.h"

/* IW encodings (CXL 3.1 8.2.4.20.7): 0..4 for 1..16 ways, 8..10 for 3, 6, 12. */
static unsigned iw_of(unsigned ways)
{
	switch (ways) {
	case 3: return 8;
	case 6: return 9;
	case 12: return 10;
	default: return ways ? (unsigned)__builtin_ctz(ways) : 0;
	}
}

static uint32_t control(const struct sim_fw_decoder *d)
{
	unsigned ig = d->granularity > 256 ? (unsigned)__builtin_ctz(d->granularity) - 8 : 0;
	uint32_t c;

	if (d->raw_ctrl)
		return d->raw_ctrl;
	c = iw_of(d->ways) << HDM_CTRL_IW_SHIFT | (ig & HDM_CTRL_IG);
	if (!d->uncommitted)
		c |= HDM_CTRL_COMMIT | HDM_CTRL_COMMITTED;
	if (d->lock)
		c |= HDM_CTRL_LOCK_ON_COMMIT;
	return c;
}

void sim_fw_set(int node, unsigned m, const struct sim_fw_decoder *d)
{
	sim_decoder_set(node, m, HDM_BASE_LO, (uint32_t)d->base & HDM_ADDR_LO_BITS);
	sim_decoder_set(node, m, HDM_BASE_HI, (uint32_t)(d->base >> 32));
	sim_decoder_set(node, m, HDM_SIZE_LO, (uint32_t)d->size & HDM_ADDR_LO_BITS);
	sim_decoder_set(node, m, HDM_SIZE_HI, (uint32_t)(d->size >> 32));
	sim_decoder_set(node, m, HDM_TARGET_LO, (uint32_t)d->target);
	sim_decoder_set(node, m, HDM_TARGET_HI, (uint32_t)(d->target >> 32));
	sim_decoder_set(node, m, HDM_CONTROL, control(d));
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
