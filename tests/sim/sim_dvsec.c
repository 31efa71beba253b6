// SPDX-License-Identifier: MIT
/* The simulated PCIe DVSEC for CXL devices: range registers, Mem_Enable, media that comes up late. */
#include <string.h>

#include "sim/sim.h"
#include "sim/sim_hooks.h"
#include "sim/sim_regs.h"

static struct {
	bool late;
	unsigned active_after; /* reads of a Size Low before Memory_Active shows; 0: never */
	unsigned reads;
} media[SIM_MAX_NODES];

static void put32(uint8_t *cfg, unsigned off, uint32_t v)
{
	memcpy(cfg + off, &v, 4);
}

void sim_set_range(int ep, unsigned i, uint64_t base, uint64_t size, unsigned media_type)
{
	uint8_t *c = sim_cfg_space(ep);

	put32(c, SIM_DVSEC_DEVICE + DEVICE_DVSEC_RANGE_SIZE_HI(i), (uint32_t)(size >> 32));
	put32(c, SIM_DVSEC_DEVICE + DEVICE_DVSEC_RANGE_SIZE_LO(i),
	      ((uint32_t)size & RANGE_SIZE_LO_BITS) | media_type << RANGE_MEDIA_SHIFT | RANGE_INFO_VALID | RANGE_ACTIVE);
	put32(c, SIM_DVSEC_DEVICE + DEVICE_DVSEC_RANGE_BASE_HI(i), (uint32_t)(base >> 32));
	put32(c, SIM_DVSEC_DEVICE + DEVICE_DVSEC_RANGE_BASE_LO(i), (uint32_t)base & RANGE_SIZE_LO_BITS);
	if (i == 1) { /* HDM_Count 2 */
		uint32_t hdr;

		memcpy(&hdr, c + SIM_DVSEC_DEVICE + DVSEC_HDR2, 4);
		hdr = (hdr & ~((uint32_t)DEVICE_DVSEC_HDM_COUNT_MASK << DEVICE_DVSEC_CAP_SHIFT)) |
		      (2u << DEVICE_DVSEC_HDM_COUNT_SHIFT) << DEVICE_DVSEC_CAP_SHIFT;
		put32(c, SIM_DVSEC_DEVICE + DVSEC_HDR2, hdr);
	}
}

void sim_set_mem_enable(int ep, bool on)
{
	sim_set_dvsec_ctrl(ep, on ? DEVICE_DVSEC_MEM_ENABLE : 0);
}

void sim_set_media_active_after(int ep, unsigned reads)
{
	media[ep].late = true;
	media[ep].active_after = reads;
	media[ep].reads = 0;
}

void sim_dvsec_reset(void)
{
	memset(media, 0, sizeof(media));
}

uint32_t sim_dvsec_read(int node, unsigned off, uint32_t value)
{
	bool size_low = off == SIM_DVSEC_DEVICE + DEVICE_DVSEC_RANGE_SIZE_LO(0) ||
			off == SIM_DVSEC_DEVICE + DEVICE_DVSEC_RANGE_SIZE_LO(1);

	if (!size_low || !media[node].late)
		return value;
	if (!media[node].active_after || ++media[node].reads < media[node].active_after)
		return value & ~(uint32_t)RANGE_ACTIVE;
	return value;
}
