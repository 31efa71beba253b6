/* SPDX-License-Identifier: MIT */
/*
 * The in-memory model of a CXL topology: what discovery found (from hardware
 * or the simulator), what the planner plans on and what the report shows.
 * Plain structs in fixed-capacity arrays, linked by index; nothing here
 * touches hardware. Vocabulary and names follow cxl-cli:
 *
 *   root0                  the CXL root; its decoders decoder0.M are the CFMWS windows
 *   portN (host bridge)    one per ACPI0016 host bridge, registers at its CHBCR
 *   portN (switch)         a switch upstream port
 *   dport                  a root port or switch downstream port: one target of a port
 *   endpointN / memN       a type-3 device: its endpoint port (decoders) and memdev
 *   decoderN.M             decoder M of port (or endpoint) N
 *
 * N numbers come from one counter as in Linux (root0 is 0, then ports and
 * endpoints in the order discovery adds them); memN from another.
 * Register values are kept raw next to their decoded meaning: discovery
 * decodes them with cxl/regs.h, the report prints both.
 */
#ifndef CXLVAL_TOPOLOGY_H
#define CXLVAL_TOPOLOGY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cxl/interleave.h"

#define CXL_MAX_WINDOWS 32 /* = CEDT_MAX_CFMWS: every window the CEDT parser keeps */
#define CXL_MAX_PORTS 64 /* host bridges + switch upstream ports */
#define CXL_MAX_DPORTS 128 /* root ports + switch downstream ports */
#define CXL_MAX_ENDPOINTS 64
#define CXL_MAX_DECODERS 512 /* all HDM decoders of all ports and endpoints */
#define CXL_MAX_PORT_TARGETS 8 /* target list entries of one decoder (CXL 2.0: up to 8) */

/*
 * A CFMWS window as the planner needs it, decoded from the CEDT by whoever
 * reads the CEDT (this header does not depend on acpi/). ways or granularity
 * 0 means the table held an encoding that is not valid. xormaps are those of
 * the CXIMS whose HBIG matches this window.
 */
struct cxl_window {
	uint64_t base, size;
	unsigned ways; /* 1, 2, 4, 8, 16, 3, 6, 12; 0 = invalid ENIW */
	unsigned granularity; /* bytes; 0 = invalid HBIG */
	enum ileave_arith arith;
	unsigned nr_xormaps;
	uint64_t xormaps[ILEAVE_MAX_XORMAPS];
	uint16_t restrictions; /* raw Window Restrictions, for the report */
	bool allow_type3; /* restriction bits, decoded */
	bool allow_volatile;
	bool allow_persistent;
	bool fixed_config;
	uint32_t target_uid[ILEAVE_MAX_WAYS]; /* host bridge UIDs in interleave order */
	int cedt_index; /* structure index in the CEDT, for messages */
};

struct cxl_bdf {
	uint16_t seg;
	uint8_t bus, dev, fn;
};

/* HDM Decoder Capability, decoded (CXL 3.1 8.2.4.20.1). */
struct cxl_hdm {
	bool present; /* no capability: a host bridge with one root port passes through */
	uint32_t cap; /* raw register */
	uint8_t nr_decoders;
	uint8_t nr_targets; /* target list entries per decoder (host bridge, switch) */
	bool iw_3_6_12; /* 3, 6, 12-way capable */
	bool iw_16; /* 16-way capable */
	uint64_t ileave_bits_missing; /* HPA bits it cannot interleave on (A11to8, A14to12 clear) */
	uint16_t first_decoder; /* decoders[first_decoder + M] is decoder M */
};

/* One HDM decoder as found, before cxlval changes anything. */
struct cxl_decoder {
	uint64_t base, size; /* HPA */
	uint32_t ctrl; /* raw Decoder Control */
	uint32_t target_lo, target_hi; /* raw: Target List (ports) or DPA Skip (endpoints) */
	unsigned ways, granularity; /* decoded IW, IG; 0 if the encoding is not valid */
	bool committed;
	bool locked; /* committed with Lock On Commit: cannot change until reset */
	bool owned_by_firmware; /* committed before cxlval started */
	uint8_t targets[CXL_MAX_PORT_TARGETS]; /* ports: dport port numbers, decoded */
	uint64_t dpa_skip; /* endpoints */
	uint64_t dpa_base, dpa_size; /* endpoints: DPA range, skip included in base */
};

enum cxl_port_type {
	CXL_PORT_HOST_BRIDGE,
	CXL_PORT_SWITCH,
};

struct cxl_port {
	enum cxl_port_type type;
	uint16_t id; /* portN */
	int16_t parent_dport; /* switch: the dport above; host bridge: -1 */
	uint32_t uid; /* host bridge: ACPI _UID = CHBS UID */
	struct cxl_bdf bdf; /* switch: upstream port function */
	uint64_t component_base; /* host bridge: CHBCR; switch: component register block */
	struct cxl_hdm hdm;
};

struct cxl_dport {
	uint16_t port; /* ports[] index of the port it belongs to */
	uint8_t port_number; /* Link Capabilities Port Number: what target lists hold */
	struct cxl_bdf bdf;
	int16_t child_port; /* ports[] index of a switch below, or -1 */
	int16_t child_endpoint; /* endpoints[] index of a device below, or -1 */
};

struct cxl_endpoint {
	uint16_t id; /* endpointN */
	uint16_t mem_id; /* memN */
	int16_t parent_dport;
	struct cxl_bdf bdf;
	uint64_t component_base;
	bool type3; /* a memory expander (class 0502 with CXL.mem) */
	uint64_t volatile_bytes; /* Identify / Get Partition Info: DPA [0, volatile) */
	uint64_t persistent_bytes; /* then [volatile, volatile + persistent) */
	struct cxl_hdm hdm;
};

struct cxl_topology {
	unsigned nr_windows, nr_ports, nr_dports, nr_endpoints, nr_decoders;
	uint16_t next_id, next_mem_id;
	bool overflow; /* something did not fit: the model is incomplete */
	struct cxl_window windows[CXL_MAX_WINDOWS];
	struct cxl_port ports[CXL_MAX_PORTS];
	struct cxl_dport dports[CXL_MAX_DPORTS];
	struct cxl_endpoint endpoints[CXL_MAX_ENDPOINTS];
	struct cxl_decoder decoders[CXL_MAX_DECODERS];
};

/*
 * Building the model. Each add returns the new index, or -1 when an array is
 * full or a parent index is bad (and sets overflow). Decoders are allocated
 * zeroed, uncommitted; the caller fills them from the registers.
 */
void cxl_topo_init(struct cxl_topology *t);
int cxl_topo_add_window(struct cxl_topology *t, const struct cxl_window *w);
int cxl_topo_add_host_bridge(struct cxl_topology *t, uint32_t uid, uint64_t chbcr);
int cxl_topo_add_dport(struct cxl_topology *t, int port, uint8_t port_number, struct cxl_bdf bdf);
int cxl_topo_add_switch(struct cxl_topology *t, int dport, struct cxl_bdf bdf,
			uint64_t component_base);
int cxl_topo_add_endpoint(struct cxl_topology *t, int dport, struct cxl_bdf bdf,
			  uint64_t component_base);
/* Give hdm its decoders: nr_decoders entries of decoders[] from first_decoder on. 0 or -1. */
int cxl_topo_alloc_decoders(struct cxl_topology *t, struct cxl_hdm *hdm, unsigned nr_decoders);

/* Lookups; NULL or -1 when absent. */
int cxl_topo_find_host_bridge(const struct cxl_topology *t, uint32_t uid);
int cxl_topo_find_dport(const struct cxl_topology *t, int port, uint8_t port_number);
/* Decoder M of a port or endpoint (discovery fills t->decoders[hdm->first_decoder + M]). */
const struct cxl_decoder *cxl_hdm_decoder(const struct cxl_topology *t, const struct cxl_hdm *hdm,
					  unsigned m);
/* Host bridge at the top of a port's branch, and the number of ports from it down to port. */
int cxl_port_host_bridge(const struct cxl_topology *t, int port);
unsigned cxl_port_depth(const struct cxl_topology *t, int port);
/* The port an endpoint hangs below (host bridge or switch), or -1. */
int cxl_endpoint_port(const struct cxl_topology *t, int endpoint);
/* End of the DPA already claimed by committed decoders. */
uint64_t cxl_endpoint_dpa_end(const struct cxl_topology *t, int endpoint);

/* cxl-cli names: "port3", "endpoint7", "mem2", "decoder3.1". Return fmt_snprintf's length. */
int cxl_port_name(const struct cxl_topology *t, int port, char *buf, size_t len);
int cxl_endpoint_name(const struct cxl_topology *t, int endpoint, char *buf, size_t len);
int cxl_memdev_name(const struct cxl_topology *t, int endpoint, char *buf, size_t len);
int cxl_decoder_name(unsigned port_id, unsigned m, char *buf, size_t len);

#endif
