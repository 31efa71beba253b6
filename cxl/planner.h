/* SPDX-License-Identifier: MIT */
/*
 * The region planner: for each CFMWS window, the region cxlval will program -
 * which endpoints at which interleave positions, and the exact settings of
 * every HDM decoder on the way (host bridge, switch upstream ports,
 * endpoints) - or the reason no region is possible, as a stable id and a
 * sentence. Pure: it reads the topology model and writes plans; the driver
 * programs them. The rules and their sources are in docs/interleave.md.
 *
 * Policy, in short: the region starts at the window base and is as large as
 * the smallest endpoint's free capacity allows; it uses as many endpoints as
 * the window's host bridges can each contribute in a balanced way (the same
 * power-of-2 count under every host bridge, spread over as many dports as
 * possible); volatile capacity is preferred when the window allows it.
 * Not reentrant: planning uses static scratch space (one CPU, one run).
 */
#ifndef CXLVAL_PLANNER_H
#define CXLVAL_PLANNER_H

#include <stdbool.h>
#include <stdint.h>

#include "cxl/interleave.h"
#include "cxl/topology.h"

/* Ports from a host bridge down to an endpoint's parent port, host bridge included. */
#define CXL_MAX_PATH 4
#define PLAN_MAX_DECODERS (ILEAVE_MAX_WAYS * (CXL_MAX_PATH + 1))

/* Stable ids: plan_reason_id() is what logs and reports print. */
enum plan_reason {
	PLAN_OK,
	PLAN_WAYS_INVALID, /* window ways is not 1,2,4,8,16,3,6,12 */
	PLAN_GRANULARITY_INVALID, /* window granularity is not 256 B .. 16 KiB */
	PLAN_ARITHMETIC_INVALID, /* unknown arithmetic, or XORMAPs missing or malformed */
	PLAN_WINDOW_MISALIGNED, /* base/size not 256 MiB aligned, size not a multiple of 256 MiB x ways */
	PLAN_TARGET_LIST_INVALID, /* a host bridge listed twice */
	PLAN_NOT_TYPE3, /* window restrictions exclude type-3 memory */
	PLAN_NO_MEMORY_MODE, /* window allows neither volatile nor persistent memory */
	PLAN_FIXED_CONFIG, /* window restrictions say Fixed Device Configuration */
	PLAN_HOST_BRIDGE_MISSING, /* a target UID matches no host bridge */
	PLAN_NO_ENDPOINTS, /* no type-3 endpoint below any target host bridge */
	PLAN_NOT_ENOUGH_ENDPOINTS, /* some target host bridge has none */
	PLAN_INSUFFICIENT_CAPACITY, /* less than 256 MiB free in the partition */
	PLAN_WAYS_UNSUPPORTED, /* a decoder cannot do the ways (3/6/12 or 16 capability) */
	PLAN_INTERLEAVE_BITS, /* a decoder would interleave on HPA bits its component cannot (A11to8, A14to12) */
	PLAN_NO_FREE_DECODER, /* all decoders of a port are in use, or it has none */
	PLAN_LOCKED_DECODER, /* a locked decoder already decodes part of the window */
	PLAN_FIRMWARE_DECODER, /* a firmware-committed decoder already decodes part of the window */
	PLAN_HPA_ORDER, /* a committed decoder sits above the window: increasing HPA impossible */
	PLAN_PATH_TOO_DEEP, /* more than CXL_MAX_PATH ports between root and endpoint */
	PLAN_INTERNAL, /* the plan failed its own routing check: a planner bug */
	PLAN_REASONS
};

enum region_mode {
	REGION_RAM, /* volatile partition */
	REGION_PMEM, /* persistent partition */
};

/* Settings for one HDM decoder, ready for the driver. */
struct plan_decoder {
	bool is_endpoint; /* owner indexes topo->endpoints[], else topo->ports[] */
	uint16_t owner;
	uint16_t port_id; /* N of decoderN.M */
	uint8_t index; /* M */
	uint64_t hpa_base, hpa_size;
	unsigned ways, granularity; /* what the control register will say */
	uint8_t eniw, ig; /* the IW and IG field encodings */
	uint8_t nr_targets; /* ports: == ways */
	uint8_t targets[CXL_MAX_PORT_TARGETS]; /* ports: dport port numbers, target-list order */
	uint64_t dpa_skip, dpa_base, dpa_size; /* endpoints */
	int position; /* endpoints: interleave position in the region; ports: -1 */
};

struct region_plan {
	unsigned window;
	enum plan_reason reason;
	char message[160];
	enum region_mode mode;
	uint64_t hpa_base, size;
	unsigned ways, granularity;
	struct ileave il; /* the whole region as one interleave set (root arithmetic) */
	unsigned nr_endpoints; /* == ways */
	int16_t endpoint_at[ILEAVE_MAX_WAYS]; /* topo->endpoints[] index per position */
	/* Commit order: endpoints by position, then switch ports deepest first, host bridges last. */
	unsigned nr_decoders;
	struct plan_decoder decoders[PLAN_MAX_DECODERS];
};

/* What earlier plans have claimed, so later windows get later decoders and DPA. */
struct planner {
	const struct cxl_topology *topo;
	uint8_t port_next[CXL_MAX_PORTS]; /* lowest decoder index not yet handed out */
	uint8_t ep_next[CXL_MAX_ENDPOINTS];
	uint64_t port_hpa_end[CXL_MAX_PORTS]; /* end of the HPA handed out so far */
	uint64_t ep_hpa_end[CXL_MAX_ENDPOINTS];
	uint64_t ep_dpa_end[CXL_MAX_ENDPOINTS]; /* end of the DPA handed out so far */
	bool minimal_regions; /* regions of 256 MiB x ways only, so later windows find capacity left */
};

void planner_init(struct planner *pl, const struct cxl_topology *topo);
/* Plan one window; on success the planner keeps its decoders and DPA. Returns plan->reason == PLAN_OK. */
bool planner_plan_window(struct planner *pl, unsigned window, struct region_plan *plan);
/*
 * Plan every window in increasing base order into plans[window]; returns how
 * many succeeded. Every window but the highest gets a minimal region
 * (256 MiB x ways) so windows that share devices each get one; the highest
 * takes what is left.
 */
unsigned planner_plan_all(const struct cxl_topology *topo, struct region_plan *plans);

/* The decoder a plan gives an endpoint (endpoint true) or a port, by topology index; NULL if none. */
const struct plan_decoder *plan_decoder_of(const struct region_plan *plan, bool endpoint, int owner);

const char *plan_reason_id(enum plan_reason r);
const char *region_mode_name(enum region_mode m);

/*
 * A successful plan as a decoder tree (cxl/interleave.h) that routes exactly
 * as the programmed hardware will. Leaf endpoint numbers are region
 * positions. Returns 0, or -1 if the plan is not OK or does not fit.
 */
int planner_route(const struct cxl_topology *topo, const struct region_plan *plan,
		  struct ileave_route *route);

#endif
