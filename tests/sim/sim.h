/* SPDX-License-Identifier: MIT */
/*
 * A software CXL fabric behind lib/platform.h, for host tests. Config space
 * is reached through ECAM at SIM_ECAM_BASE; component registers sit at the
 * CHBCR (host bridges) or behind BAR0 (ports, endpoints); window accesses are
 * routed the way hardware does it, one level at a time: the platform picks a
 * host bridge from the window's own interleave, each HDM decoder picks a
 * target from its IW/IG, the endpoint decoder turns the HPA into a DPA.
 * That per-level decode is independent of cxlval's end-to-end math, which is
 * the point: it uses the reference rules of tests/unit/support/ref_interleave.c
 * and its own register layout (sim_regs.h), never cxl/. See docs/simulator.md.
 */
#ifndef CXLVAL_SIM_H
#define CXLVAL_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SIM_ECAM_BASE 0xe0000000ULL
#define SIM_MAX_NODES 64
#define SIM_MAX_DECODERS 32

enum sim_node_type { SIM_HB, SIM_RP, SIM_USP, SIM_DSP, SIM_EP };

struct sim_faults {
	bool ignore_ig;	      /* decoder uses 256 B whatever IG says */
	bool swap_targets;    /* target list entries 0 and 1 swapped in the decode */
	bool stuck_commit;    /* Commit never sets Committed */
	bool commit_error;    /* Commit sets Error Not Committed */
	int alias_bit;	      /* endpoint: DPA bit dropped (aliasing); -1 = none */
	bool gone;	      /* every MMIO read of this node returns all ones */
	bool mailbox_busy;    /* endpoint: the mailbox doorbell never clears */
	bool no_a11to8;	      /* HDM capability without A11to8: a commit interleaving on bits 11:8 fails */
	bool no_a14to12;      /* ... without A14to12: bits 14:12 */
};

/* Build a fabric. Each returns the node index. */
void sim_reset(void);
int sim_add_host_bridge(uint32_t uid, uint64_t chbcr, unsigned nr_decoders);
/* Root bus of a host bridge (default: its UID, QEMU's convention); call before adding root ports. */
void sim_set_root_bus(int hb, uint8_t bus);
/* PCI segment of a host bridge (default 0), before adding root ports: ECAM at SIM_ECAM_BASE + seg * 256 MiB. */
#define SIM_SEGMENTS 2
void sim_set_segment(int hb, uint16_t seg);
int sim_add_root_port(int hb, uint8_t port_number);
int sim_add_switch(int dport, unsigned nr_decoders);
int sim_add_downstream_port(int usp, uint8_t port_number);
int sim_add_endpoint(int dport, uint64_t capacity, unsigned nr_decoders);
/* A CXL 1.1 device (RCD): a root-complex-integrated endpoint on the host bridge's root bus, no HDM decoders. */
int sim_add_rciep(int hb, uint64_t capacity);

/* The platform's fixed routing for a CFMWS window (what the CEDT describes). */
void sim_add_window(uint64_t base, uint64_t size, unsigned ways, unsigned granularity, bool xor_arith,
		    const uint64_t *xormaps, unsigned nr_xormaps, const uint32_t *target_uids);

struct sim_faults *sim_faults(int node);
/*
 * PCI Command register of a port or endpoint function (firmware leaves Memory
 * Space Enable set by default). With it clear the function's BARs do not
 * decode, nor anything below a bridge: register reads return all ones.
 */
void sim_set_pci_command(int node, uint16_t cmd);
uint16_t sim_pci_command(int node);
/* Commit a decoder by hand as firmware would (locked when lock is true). */
void sim_firmware_commit(int node, unsigned m, uint64_t base, uint64_t size, bool lock);

/*
 * Firmware's hand, no commit logic (tests/sim/sim_firmware.c builds BIOS-style
 * fabrics with them): one decoder register (0..6: base lo/hi, size lo/hi,
 * control, target/skip lo/hi) as found at boot; HDM enable and Mem_Enable on.
 */
void sim_decoder_set(int node, unsigned m, unsigned reg, uint32_t v);
void sim_node_enable(int node);

/* Ground truth: bytes of an endpoint's memory at a DPA. */
void sim_device_read(int ep, uint64_t dpa, void *buf, size_t len);
uint64_t sim_device_read64(int ep, uint64_t dpa);
/* Where an HPA lands: endpoint node and DPA, or -1. */
int sim_route(uint64_t hpa, uint64_t *dpa);

/* Memory as the devices see it, routed through the decoders as they are now: no cache. */
uint64_t sim_mem_read64_uncached(uint64_t hpa);
void sim_mem_write64_uncached(uint64_t hpa, uint64_t value);

/*
 * The CPU cache (sim_cache.c): write-back, write-allocate, direct-mapped,
 * SIM_CACHE_LINES lines of 64 bytes. plat_mem_read64/write64 go through it;
 * a dirty line reaches a device only when it is flushed or evicted, routed
 * by HPA through the decoders as they are at that moment, as on a real CPU.
 * Non-temporal stores (the touch engine's fill and restore) bypass it,
 * writing back and dropping a cached copy of the line first.
 */
#define SIM_CACHE_LINES 4096
void sim_cache_reset(void); /* empty and on; sim_reset calls it */
void sim_cache_enable(bool on); /* off: every access goes straight to the devices */
void sim_mem_write64_nt(uint64_t hpa, uint64_t value);
struct sim_cache_stats {
	uint64_t flush_range_calls, flush_all_calls, writebacks, evictions;
};
const struct sim_cache_stats *sim_cache_stats(void);
/* Whether the line holding hpa is cached (dirty: modified since it was filled). */
bool sim_cache_holds(uint64_t hpa, bool *dirty);

/* CPU state (sim_cpu.c): MSRs, CPUID leaves and control registers the seam returns; 0 when unset. */
void sim_cpu_reset(void);
void sim_set_msr(uint32_t msr, uint64_t value);
void sim_set_cpuid(uint32_t leaf, uint32_t eax, uint32_t ebx, uint32_t ecx, uint32_t edx);
void sim_set_cr(int n, uint64_t value);
struct sim_paging {
	bool active; /* plat_paging_enter called, plat_paging_leave not yet */
	uint64_t root, pat;
	unsigned enters;
};
const struct sim_paging *sim_paging_state(void);

/* The node of the function at bus:dev.0, or -1. */
int sim_node_at(uint8_t bus, uint8_t dev);

/* Counters for tests. */
struct sim_stats {
	uint64_t mmio_reads, mmio_writes, locked_writes, unaligned, unrouted_mem;
	uint64_t hdm_writes, dvsec_writes; /* HDM decoder/global control and DVSEC control writes (any node) */
};
const struct sim_stats *sim_stats(void);

/* CPUs for plat_run_steps (default 1); hung >= 0: that CPU never comes back. */
void sim_set_cpus(unsigned n, int hung);

/* ACPI tables etc.: bytes placed at a physical address, visible through plat_phys_map. */
void sim_place(uint64_t phys, const void *data, size_t len);

/*
 * sim_dvsec.c: the PCIe DVSEC for CXL devices as firmware left it. Range i
 * (0, 1) gets base, size and media type; active false keeps Memory_Active
 * clear for active_after reads of its Size Low (0: forever).
 */
#define SIM_DVSEC_DEVICE 0x150
void sim_set_range(int ep, unsigned i, uint64_t base, uint64_t size, unsigned media_type);
void sim_set_mem_enable(int ep, bool on);
void sim_set_media_active_after(int ep, unsigned reads);
unsigned sim_hdm_global_writes(int node); /* HDM Global Control writes the node has seen */

/* sim_mbox.c: Get Poison List answers from these records (at most 30 per reply, More set). */
void sim_inject_poison(int ep, uint64_t dpa, uint64_t len);
unsigned sim_poison_requests(int ep);
/* Get Health Info answers with this media status (0 normal, 1 not ready); -1: unsupported (default). */
void sim_set_media_status(int ep, int status);
unsigned sim_poison_hits(int ep); /* reads and writes that reached a poisoned DPA (a #MC on hardware) */

#endif
