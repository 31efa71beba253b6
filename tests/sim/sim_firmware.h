/* SPDX-License-Identifier: MIT */
/*
 * BIOS-style configurations on the simulated fabric: decoders committed
 * (and locked) before cxlval starts, the way firmware leaves them on a real
 * server, including the broken ones hardware would refuse to commit today
 * but a machine may still show (zero size, out of order): the registers are
 * set as found, without the simulator's commit rules.
 */
#ifndef CXLVAL_SIM_FIRMWARE_H
#define CXLVAL_SIM_FIRMWARE_H

#include <stdbool.h>
#include <stdint.h>

struct sim_fw_decoder {
	uint64_t base, size;
	unsigned ways, granularity; /* encoded into IW/IG; 0 ways leaves IW 0 (1-way) */
	uint64_t target; /* ports: target list (port number k in byte k); endpoints: DPA skip */
	bool lock;	 /* Lock On Commit */
	bool uncommitted; /* programmed, Commit not set */
	uint32_t raw_ctrl; /* non-zero: control register exactly this (invalid encodings) */
};

/* Decoder m of a node as firmware left it; enables HDM decoding (and Mem_Enable on endpoints). */
void sim_fw_set(int node, unsigned m, const struct sim_fw_decoder *d);

/* A target list: ports[k] in byte k. */
uint64_t sim_fw_targets(const uint8_t *ports, unsigned n);

/*
 * The fabric QEMU's default topology gives, committed as a BIOS does: one
 * host bridge (UID 12) with root ports 0 and 1, one 256 MiB device under
 * each, a 4 GiB 1-way window at base; a 2-way, 256 B region of 512 MiB at
 * the window base (HB decoder 0 targets 0,1; endpoint decoders 0, skip 0).
 * Node indices come back in hb, ep[2]. The caller describes the CEDT.
 */
void sim_fw_two_way(uint64_t base, bool lock, int *hb, int ep[2]);

/* plat_claim_ram fails over [base, base + size) (0 size: never); resets the counts. */
void sim_fw_ram_busy(uint64_t base, uint64_t size);
/* Successful plat_claim_ram calls, and plat_release_ram calls in *released. */
unsigned sim_fw_ram_claims(unsigned *released);

#endif
