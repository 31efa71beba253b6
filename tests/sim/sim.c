// SPDX-License-Identifier: MIT
/* The simulated CXL fabric (tests/sim/sim.h) and the platform seam on top of it. */
#include "sim/sim.h"
#include "sim/sim_hooks.h"

#include <stdlib.h>
#include <string.h>

#include "lib/bits.h"
#include "lib/platform.h"
#include "sim/sim_regs.h"
#include "unit/support/ref_interleave.h"

#define COMPONENT_POOL 0xc0000000ULL
#define HDM_PTR 0x200 /* HDM capability at CACHEMEM_AT + HDM_PTR */
#define HDM_REGS (CACHEMEM_AT + HDM_PTR)
#define PCIE_CAP 0x40
#define DVSEC_REGLOC 0x100
#define DVSEC_DEVICE SIM_DVSEC_DEVICE
#define PAGE 4096
#define MAX_PAGES 65536
#define MAX_WINDOWS 8
#define DEVREGS 0x10000 /* memory-device registers: BAR0 + 64 KiB */
#define MBOX_OFF 0x80

struct decoder {
	uint32_t r[HDM_TARGET_HI + 1]; /* enum hdm_reg */
};

struct node {
	enum sim_node_type type;
	int parent; /* HB for RPs; dport for USPs and EPs; USP for DSPs */
	uint32_t uid;
	uint8_t port_number, bus, dev, secondary, next_bus, next_dev;
	uint16_t seg; /* PCI segment: ECAM at SIM_ECAM_BASE + seg * 256 MiB */
	uint64_t component;
	unsigned nr_decoders;
	uint32_t global_ctrl;
	struct decoder dec[SIM_MAX_DECODERS];
	uint16_t dvsec_ctrl;
	unsigned global_writes; /* HDM Global Control writes, for tests */
	uint32_t mbox[0x220 / 4]; /* caps, ctrl, cmd lo/hi, status lo/hi, bg lo/hi, payload */
	uint64_t capacity;
	struct sim_faults faults;
	uint8_t cfg[4096];
};

struct page {
	int ep;
	uint64_t pfn;
	uint8_t *data;
};

struct window {
	uint64_t base, size;
	unsigned ways, gran, nr_xormaps;
	bool xor_arith;
	uint64_t xormaps[4];
	uint32_t uids[16];
};

struct placed {
	uint64_t phys;
	size_t len;
	uint8_t *data;
};

static struct node nodes[SIM_MAX_NODES];
static int nr_nodes;
static struct page pages[MAX_PAGES];
static struct window windows[MAX_WINDOWS];
static int nr_windows;
static struct placed placed[8];
static int nr_placed;
static struct sim_stats stats;
static uint64_t clock_ns, next_component;

static void put32(uint8_t *cfg, unsigned off, uint32_t v)
{
	memcpy(cfg + off, &v, 4);
}

void sim_reset(void)
{
	for (int i = 0; i < MAX_PAGES; i++)
		free(pages[i].data);
	for (int i = 0; i < nr_placed; i++)
		free(placed[i].data);
	memset(nodes, 0, sizeof(nodes));
	memset(pages, 0, sizeof(pages));
	memset(&stats, 0, sizeof(stats));
	nr_nodes = nr_windows = nr_placed = 0;
	clock_ns = 0;
	sim_set_cpus(1, -1);
	sim_cache_reset();
	next_component = COMPONENT_POOL;
	sim_dvsec_reset();
	sim_mbox_reset();
}

uint8_t *sim_cfg_space(int node)
{
	return nodes[node].cfg;
}

void sim_set_dvsec_ctrl(int node, uint16_t v)
{
	nodes[node].dvsec_ctrl = v;
}

unsigned sim_hdm_global_writes(int node)
{
	return nodes[node].global_writes;
}

static int new_node(enum sim_node_type type, int parent, unsigned nr_decoders)
{
	struct node *n = &nodes[nr_nodes];

	memset(n, 0, sizeof(*n));
	n->type = type;
	n->parent = parent;
	n->nr_decoders = nr_decoders;
	n->faults.alias_bit = -1;
	return nr_nodes++;
}

/* Decoder Count encoding: 1, 2..16 in steps of 2, 20..32 in steps of 4. */
static unsigned decoder_count_field(unsigned n)
{
	if (n <= 1)
		return 0;
	return n <= 16 ? n / 2 : n / 4 + 4;
}

static int host_bridge_of(int node);

/* A PCI function below bus: header, PCIe capability, register locator, device DVSEC for endpoints. */
static void make_function(struct node *n, uint8_t bus, uint32_t id, uint32_t class_code, uint8_t pcie_type)
{
	struct node *owner = &nodes[n->parent]; /* numbers the devices on its bus */
	uint8_t *c = n->cfg;

	n->bus = bus;
	n->seg = nodes[host_bridge_of(n->parent)].seg;
	n->dev = owner->next_dev++;
	n->component = next_component;
	next_component += 2 * COMPONENT_BLOCK; /* component block, then device registers */
	put32(c, CFG_ID, id);
	put32(c, CFG_CMD_STATUS, CFG_STATUS_CAPLIST | CFG_CMD_MEMORY);
	put32(c, CFG_CLASS_REV, class_code << 8);
	put32(c, CFG_HEADER_DW, (n->type == SIM_EP ? 0u : 1u) << CFG_HEADER_SHIFT);
	put32(c, CFG_BAR0, (uint32_t)n->component | CFG_BAR_MEM64);
	put32(c, CFG_BAR0 + 4, (uint32_t)(n->component >> 32));
	put32(c, CFG_CAP_PTR, PCIE_CAP);
	put32(c, PCIE_CAP, CAP_ID_PCIE | (uint32_t)pcie_type << PCIE_TYPE_SHIFT);
	put32(c, PCIE_CAP + PCIE_LINK_CAP, (uint32_t)n->port_number << PCIE_PORT_SHIFT);
	put32(c, DVSEC_REGLOC,
	      EXT_CAP_DVSEC | 1u << EXT_CAP_VERSION_SHIFT | (n->type == SIM_EP ? DVSEC_DEVICE : 0u) << EXT_CAP_NEXT_SHIFT);
	put32(c, DVSEC_REGLOC + DVSEC_HDR1,
	      DVSEC_VENDOR_CXL | (n->type == SIM_EP ? 0x1cu : 0x14u) << DVSEC_LENGTH_SHIFT);
	put32(c, DVSEC_REGLOC + DVSEC_HDR2, DVSEC_ID_REG_LOCATOR);
	put32(c, DVSEC_REGLOC + REGLOC_ENTRY0, REGLOC_BLOCK_COMPONENT << REGLOC_BLOCK_SHIFT);
	if (n->type == SIM_EP) {
		put32(c, DVSEC_REGLOC + REGLOC_ENTRY0 + REGLOC_ENTRY_SIZE,
		      REGLOC_BLOCK_MEMDEV << REGLOC_BLOCK_SHIFT | DEVREGS);
		n->mbox[MBOX_CAPS / 4] = 9; /* 512 B payload: the capability is 0x220 bytes */
		put32(c, DVSEC_DEVICE, EXT_CAP_DVSEC | 1u << EXT_CAP_VERSION_SHIFT);
		put32(c, DVSEC_DEVICE + DVSEC_HDR1, DVSEC_VENDOR_CXL | 0x3cu << DVSEC_LENGTH_SHIFT);
		put32(c, DVSEC_DEVICE + DVSEC_HDR2,
		      DVSEC_ID_CXL_DEVICE | (DEVICE_DVSEC_MEM_CAPABLE | 1u << DEVICE_DVSEC_HDM_COUNT_SHIFT)
						    << DEVICE_DVSEC_CAP_SHIFT);
		put32(c, DVSEC_DEVICE + DEVICE_DVSEC_RANGE1_SIZE_HI, (uint32_t)(n->capacity >> 32));
		put32(c, DVSEC_DEVICE + DEVICE_DVSEC_RANGE1_SIZE_LO,
		      ((uint32_t)n->capacity & RANGE_SIZE_LO_BITS) | RANGE_INFO_VALID | RANGE_ACTIVE |
			      RANGE_MEDIA_NONVOLATILE << RANGE_MEDIA_SHIFT);
	}
}

/* Buses below a bridge are numbered after it, as enumeration does. */
static uint8_t take_bus(int hb)
{
	return ++nodes[hb].next_bus;
}

static int host_bridge_of(int node)
{
	while (nodes[node].type != SIM_HB)
		node = nodes[node].parent;
	return node;
}

int sim_add_host_bridge(uint32_t uid, uint64_t chbcr, unsigned nr_decoders)
{
	int i = new_node(SIM_HB, -1, nr_decoders);

	nodes[i].uid = uid;
	nodes[i].component = chbcr;
	nodes[i].bus = (uint8_t)uid; /* QEMU's convention: UID = root bus */
	nodes[i].next_bus = (uint8_t)uid;
	return i;
}

void sim_set_segment(int hb, uint16_t seg)
{
	nodes[hb].seg = seg;
}

void sim_set_root_bus(int hb, uint8_t bus)
{
	nodes[hb].bus = bus;
	nodes[hb].next_bus = bus;
}

int sim_add_root_port(int hb, uint8_t port_number)
{
	int i = new_node(SIM_RP, hb, 0);

	nodes[i].port_number = port_number;
	make_function(&nodes[i], nodes[hb].bus, 0x70758086, 0x060400, PCIE_TYPE_ROOT_PORT);
	nodes[i].secondary = take_bus(hb);
	put32(nodes[i].cfg, CFG_BUSES, nodes[i].bus | (uint32_t)nodes[i].secondary << 8 | 0xffu << 16);
	return i;
}

int sim_add_switch(int dport, unsigned nr_decoders)
{
	int i = new_node(SIM_USP, dport, nr_decoders);

	make_function(&nodes[i], nodes[dport].secondary, 0xa12819e5, 0x060400, PCIE_TYPE_UPSTREAM);
	nodes[i].secondary = take_bus(host_bridge_of(dport));
	put32(nodes[i].cfg, CFG_BUSES, nodes[i].bus | (uint32_t)nodes[i].secondary << 8 | 0xffu << 16);
	return i;
}

int sim_add_downstream_port(int usp, uint8_t port_number)
{
	int i = new_node(SIM_DSP, usp, 0);

	nodes[i].port_number = port_number;
	make_function(&nodes[i], nodes[usp].secondary, 0xa12919e5, 0x060400, PCIE_TYPE_DOWNSTREAM);
	nodes[i].secondary = take_bus(host_bridge_of(usp));
	put32(nodes[i].cfg, CFG_BUSES, nodes[i].bus | (uint32_t)nodes[i].secondary << 8 | 0xffu << 16);
	return i;
}

int sim_add_endpoint(int dport, uint64_t capacity, unsigned nr_decoders)
{
	int i = new_node(SIM_EP, dport, nr_decoders);

	nodes[i].capacity = capacity;
	nodes[dport].next_dev = 0;
	make_function(&nodes[i], nodes[dport].secondary, 0x0d938086, CLASS_CXL_MEMORY, PCIE_TYPE_ENDPOINT);
	return i;
}

int sim_add_rciep(int hb, uint64_t capacity)
{
	int i = new_node(SIM_EP, hb, 0);

	nodes[i].capacity = capacity;
	make_function(&nodes[i], nodes[hb].bus, 0x0d938086, CLASS_CXL_MEMORY, PCIE_TYPE_RC_END);
	return i;
}

void sim_add_window(uint64_t base, uint64_t size, unsigned ways, unsigned granularity, bool xor_arith,
		    const uint64_t *xormaps, unsigned nr_xormaps, const uint32_t *target_uids)
{
	struct window *w = &windows[nr_windows++];

	*w = (struct window){ base, size, ways, granularity, nr_xormaps, xor_arith, { 0 }, { 0 } };
	memcpy(w->xormaps, xormaps, nr_xormaps * sizeof(*xormaps));
	memcpy(w->uids, target_uids, ways * sizeof(*target_uids));
}

struct sim_faults *sim_faults(int node)
{
	return &nodes[node].faults;
}

void sim_set_pci_command(int node, uint16_t cmd)
{
	memcpy(nodes[node].cfg + CFG_CMD_STATUS, &cmd, sizeof(cmd));
}

uint16_t sim_pci_command(int node)
{
	uint16_t cmd;

	memcpy(&cmd, nodes[node].cfg + CFG_CMD_STATUS, sizeof(cmd));
	return cmd;
}

/* A function's BARs decode when it and every bridge above it have Memory Space Enable. */
static bool bars_decode(int node)
{
	for (; node >= 0 && nodes[node].type != SIM_HB; node = nodes[node].parent)
		if (!(sim_pci_command(node) & CFG_CMD_MEMORY))
			return false;
	return true;
}

const struct sim_stats *sim_stats(void)
{
	return &stats;
}

void sim_place(uint64_t phys, const void *data, size_t len)
{
	placed[nr_placed].phys = phys;
	placed[nr_placed].len = len;
	placed[nr_placed].data = malloc(len);
	memcpy(placed[nr_placed].data, data, len);
	nr_placed++;
}

/* ---- HDM decoders ---- */

static uint64_t dec_base(const struct decoder *d)
{
	return (uint64_t)d->r[HDM_BASE_HI] << 32 | (d->r[HDM_BASE_LO] & HDM_ADDR_LO_BITS);
}

static uint64_t dec_size(const struct decoder *d)
{
	return (uint64_t)d->r[HDM_SIZE_HI] << 32 | (d->r[HDM_SIZE_LO] & HDM_ADDR_LO_BITS);
}

static unsigned eniw_ways(unsigned eniw)
{
	static const unsigned w[16] = { 1, 2, 4, 8, 16, 0, 0, 0, 3, 6, 12 };

	return w[eniw & 15];
}

static bool dec_committed(const struct decoder *d)
{
	return d->r[HDM_CONTROL] & HDM_CTRL_COMMITTED;
}

static uint32_t hdm_cap(const struct node *n)
{
	uint32_t cap = decoder_count_field(n->nr_decoders) | HDM_CAP_3_6_12_WAY | HDM_CAP_16_WAY;

	if (!n->faults.no_a11to8)
		cap |= HDM_CAP_INTERLEAVE_11_8;
	if (!n->faults.no_a14to12)
		cap |= HDM_CAP_INTERLEAVE_14_12;

	return n->type == SIM_EP ? cap : cap | 8u << HDM_CAP_TARGETS_SHIFT;
}

/* Address bits 11:8 or 14:12 that a decoder selects targets with, without the capability to. */
static bool needs_missing_bits(const struct node *n, unsigned eniw, unsigned ig)
{
	unsigned nbits = eniw >= 8 ? eniw - 8 : eniw;

	for (unsigned b = ig + 8; b < ig + 8 + nbits; b++)
		if ((b <= 11 && n->faults.no_a11to8) || (b >= 12 && b <= 14 && n->faults.no_a14to12))
			return true;
	return false;
}

static bool programming_valid(const struct node *n, unsigned m)
{
	const struct decoder *d = &n->dec[m];
	unsigned eniw = FIELD_GET(HDM_CTRL_IW, d->r[HDM_CONTROL]), ways = eniw_ways(eniw);

	if (!ways || FIELD_GET(HDM_CTRL_IG, d->r[HDM_CONTROL]) > 6 || !dec_size(d) ||
	    dec_base(d) % SZ_256M || dec_size(d) % SZ_256M ||
	    needs_missing_bits(n, eniw, FIELD_GET(HDM_CTRL_IG, d->r[HDM_CONTROL])))
		return false;
	/* Decoders commit in increasing index with increasing HPA. */
	for (unsigned k = 0; k < m; k++)
		if (!dec_committed(&n->dec[k]) || dec_base(&n->dec[k]) + dec_size(&n->dec[k]) > dec_base(d))
			return false;
	return true;
}

static void write_ctrl(struct node *n, unsigned m, uint32_t v)
{
	struct decoder *d = &n->dec[m];
	uint32_t status = d->r[HDM_CONTROL] & (HDM_CTRL_COMMITTED | HDM_CTRL_ERR_NOT_COMMITTED);

	d->r[HDM_CONTROL] = (v & ~(HDM_CTRL_COMMITTED | HDM_CTRL_ERR_NOT_COMMITTED)) | status;
	if ((v & HDM_CTRL_COMMIT) && !dec_committed(d)) {
		d->r[HDM_CONTROL] &= ~HDM_CTRL_ERR_NOT_COMMITTED;
		if (n->faults.stuck_commit)
			return;
		if (n->faults.commit_error || !programming_valid(n, m))
			d->r[HDM_CONTROL] |= HDM_CTRL_ERR_NOT_COMMITTED;
		else
			d->r[HDM_CONTROL] |= HDM_CTRL_COMMITTED;
	} else if (!(v & HDM_CTRL_COMMIT)) {
		/* Clearing Commit clears both status bits (QEMU hdm_decoder_uncommit does the same). */
		d->r[HDM_CONTROL] &= ~(HDM_CTRL_COMMITTED | HDM_CTRL_ERR_NOT_COMMITTED);
	}
}

/* Decoder m and register (enum hdm_reg) at an offset into the HDM capability; false outside every decoder. */
static bool decoder_reg(const struct node *n, uint64_t off, unsigned *m, unsigned *reg)
{
	if (off < HDM_DECODER0)
		return false;
	*m = (unsigned)((off - HDM_DECODER0) / HDM_DECODER_STRIDE);
	*reg = (unsigned)((off - HDM_DECODER0) % HDM_DECODER_STRIDE) / 4;
	return *m < n->nr_decoders && *reg <= HDM_TARGET_HI;
}

static void hdm_write(struct node *n, uint64_t off, uint32_t v)
{
	unsigned m, reg;

	if (off == HDM_GLOBAL_CONTROL) {
		stats.hdm_writes++;
		n->global_ctrl = v & 3;
		n->global_writes++;
		return;
	}
	if (!decoder_reg(n, off, &m, &reg))
		return;
	stats.hdm_writes++;
	if (dec_committed(&n->dec[m]) && (n->dec[m].r[HDM_CONTROL] & HDM_CTRL_LOCK_ON_COMMIT)) {
		stats.locked_writes++;
		return;
	}
	if (reg == HDM_CONTROL)
		write_ctrl(n, m, v);
	else
		n->dec[m].r[reg] = v;
}

static uint32_t hdm_read(const struct node *n, uint64_t off)
{
	if (off == HDM_CAPABILITY)
		return hdm_cap(n);
	if (off == HDM_GLOBAL_CONTROL)
		return n->global_ctrl;
	unsigned m, reg;

	if (!decoder_reg(n, off, &m, &reg))
		return 0;
	return n->dec[m].r[reg];
}

void sim_firmware_commit(int node, unsigned m, uint64_t base, uint64_t size, bool lock)
{
	struct decoder *d = &nodes[node].dec[m];

	d->r[HDM_BASE_LO] = (uint32_t)base;
	d->r[HDM_BASE_HI] = (uint32_t)(base >> 32);
	d->r[HDM_SIZE_LO] = (uint32_t)size;
	d->r[HDM_SIZE_HI] = (uint32_t)(size >> 32);
	d->r[HDM_CONTROL] = HDM_CTRL_COMMITTED | (lock ? HDM_CTRL_LOCK_ON_COMMIT : 0);
}

void sim_decoder_set(int node, unsigned m, unsigned reg, uint32_t v)
{
	nodes[node].dec[m].r[reg] = v;
}

void sim_node_enable(int node)
{
	nodes[node].global_ctrl |= HDM_DECODE_ENABLE;
	nodes[node].dvsec_ctrl |= DEVICE_DVSEC_MEM_ENABLE;
}

/* ---- MMIO dispatch ---- */

static struct node *by_bdf(uint16_t seg, uint8_t bus, uint8_t dev, uint8_t fn)
{
	for (int i = 0; i < nr_nodes; i++)
		if (nodes[i].type != SIM_HB && nodes[i].seg == seg && nodes[i].bus == bus && nodes[i].dev == dev &&
		    fn == 0)
			return &nodes[i];
	return NULL;
}

static struct node *by_component(uint64_t addr)
{
	for (int i = 0; i < nr_nodes; i++)
		if (nodes[i].component && addr >= nodes[i].component &&
		    addr < nodes[i].component + (nodes[i].type == SIM_EP ? 2 : 1) * COMPONENT_BLOCK)
			return &nodes[i];
	return NULL;
}

/* Device registers: a capability array with one entry, the primary mailbox. */
static uint32_t dev_read(const struct node *n, uint64_t off)
{
	if (off == 0)
		return 1u << 16; /* capabilities array: id 0, version 1 */
	if (off == 4)
		return 1; /* one capability */
	if (off == DEV_CAP_HEADER0)
		return DEV_CAP_ID_MAILBOX | 1u << 16;
	if (off == DEV_CAP_HEADER0 + DEV_CAP_HEADER_OFFSET)
		return MBOX_OFF;
	if (off == DEV_CAP_HEADER0 + 8)
		return sizeof(n->mbox);
	if (off >= MBOX_OFF && off < MBOX_OFF + sizeof(n->mbox))
		return n->mbox[(off - MBOX_OFF) / 4];
	return 0;
}

static void put_le64(uint32_t *words, unsigned byte_off, uint64_t v)
{
	words[byte_off / 4] = (uint32_t)v;
	words[byte_off / 4 + 1] = (uint32_t)(v >> 32);
}

static void mailbox_execute(struct node *n)
{
	uint32_t *payload = &n->mbox[MBOX_PAYLOAD / 4];
	uint16_t opcode = (uint16_t)n->mbox[MBOX_COMMAND / 4];
	uint32_t len = 0, rc = 0;

	if (sim_mbox_command((int)(n - nodes), opcode, payload, &len, &rc)) {
		/* answered by sim_mbox.c */
	} else if (opcode == OPCODE_IDENTIFY) {
		memset(payload, 0, 0x60);
		put_le64(payload, IDENTIFY_TOTAL_CAPACITY, n->capacity / CAPACITY_UNIT);
		put_le64(payload, IDENTIFY_PERSISTENT_ONLY, n->capacity / CAPACITY_UNIT);
		len = 0x43;
	} else {
		rc = 3; /* unsupported */
	}
	n->mbox[MBOX_COMMAND / 4] = opcode | len << MBOX_LENGTH_SHIFT;
	n->mbox[MBOX_STATUS_HI / 4] = rc;
	n->mbox[MBOX_CONTROL / 4] = 0;
}

static void dev_write(struct node *n, uint64_t off, uint32_t v)
{
	if (off < MBOX_OFF || off >= MBOX_OFF + sizeof(n->mbox) || off == MBOX_OFF + MBOX_CAPS)
		return;
	off -= MBOX_OFF;
	n->mbox[off / 4] = v;
	if (off == MBOX_CONTROL && (v & MBOX_DOORBELL) && !n->faults.mailbox_busy)
		mailbox_execute(n);
}

static uint32_t cm_read(const struct node *n, uint64_t off)
{
	if (off == CACHEMEM_AT)
		return CM_CAP_ID_ARRAY | 1u << CM_CAP_VERSION_SHIFT | 1u << CM_CAP_ARRAY_SIZE_SHIFT;
	if (off == CACHEMEM_AT + 4)
		return CM_CAP_ID_HDM | 1u << CM_CAP_VERSION_SHIFT | (uint32_t)HDM_PTR << CM_CAP_POINTER_SHIFT;
	if (off >= HDM_REGS && off < HDM_REGS + HDM_DECODER0 + HDM_DECODER_STRIDE * SIM_MAX_DECODERS)
		return hdm_read(n, off - HDM_REGS);
	return 0;
}

/* Every MMIO access costs simulated time; returns the function an ECAM address names (off: within it). */
static struct node *account(uint64_t addr, uint64_t *counter, bool *ecam, uint64_t *off)
{
	(*counter)++;
	clock_ns += 1000;
	if (addr & 3)
		stats.unaligned++;
	*ecam = addr >= SIM_ECAM_BASE && addr < SIM_ECAM_BASE + SIM_SEGMENTS * (256ULL << 20);
	if (!*ecam)
		return by_component(addr);
	*off = addr - SIM_ECAM_BASE;
	return by_bdf((uint16_t)(*off >> 28), (uint8_t)(*off >> 20), (*off >> 15) & 31, (*off >> 12) & 7);
}

static bool is_dvsec_ctrl(const struct node *n, uint64_t off)
{
	return n->type == SIM_EP && (off & 0xfff) == DVSEC_DEVICE + DEVICE_DVSEC_CONTROL;
}

uint32_t plat_mmio_read32(uint64_t addr)
{
	uint64_t off = 0;
	bool ecam;
	struct node *n = account(addr, &stats.mmio_reads, &ecam, &off);

	if (!n || n->faults.gone)
		return ~0U;
	if (ecam)
		return is_dvsec_ctrl(n, off) ? n->dvsec_ctrl
					     : sim_dvsec_read((int)(n - nodes), off & 0xffc, *(uint32_t *)(n->cfg + (off & 0xffc)));
	if (n->type != SIM_HB && !bars_decode((int)(n - nodes)))
		return ~0U;
	if (addr - n->component >= DEVREGS)
		return dev_read(n, addr - n->component - DEVREGS);
	return cm_read(n, addr - n->component);
}

void plat_mmio_write32(uint64_t addr, uint32_t v)
{
	uint64_t off = 0;
	bool ecam;
	struct node *n = account(addr, &stats.mmio_writes, &ecam, &off);

	if (!n)
		return;
	if (ecam) {
		if (is_dvsec_ctrl(n, off)) {
			stats.dvsec_writes++;
			n->dvsec_ctrl = (uint16_t)v;
		}
		if ((off & 0xfff) == CFG_CMD_STATUS)
			sim_set_pci_command((int)(n - nodes), (uint16_t)v);
	} else if (n->type != SIM_HB && !bars_decode((int)(n - nodes))) {
		return;
	} else if (addr - n->component >= DEVREGS) {
		dev_write(n, addr - n->component - DEVREGS, v);
	} else if (addr - n->component >= HDM_REGS) {
		hdm_write(n, addr - n->component - HDM_REGS, v);
	}
}

void plat_mmio_write64(uint64_t addr, uint64_t value)
{
	plat_mmio_write32(addr, (uint32_t)value);
	plat_mmio_write32(addr + 4, (uint32_t)(value >> 32));
}

/* ---- routing, one level at a time ---- */

static int child_dport(int port, uint8_t port_number)
{
	for (int i = 0; i < nr_nodes; i++)
		if ((nodes[i].type == SIM_RP || nodes[i].type == SIM_DSP) && nodes[i].parent == port &&
		    nodes[i].port_number == port_number)
			return i;
	return -1;
}

static int below_dport(int dport)
{
	for (int i = 0; i < nr_nodes; i++)
		if ((nodes[i].type == SIM_USP || nodes[i].type == SIM_EP) && nodes[i].parent == dport)
			return i;
	return -1;
}

/* Interleave granularity a decoder applies: IG, or 256 B with the ignore_ig fault. */
static unsigned dec_gran(const struct node *n, const struct decoder *d)
{
	return n->faults.ignore_ig ? 256 : 256U << FIELD_GET(HDM_CTRL_IG, d->r[HDM_CONTROL]);
}

/* A port's committed decoder picks the target for hpa; returns the dport node or -1. */
static int port_decode(int port, uint64_t hpa)
{
	const struct node *n = &nodes[port];

	if (!(n->global_ctrl & HDM_DECODE_ENABLE))
		return -1;
	for (unsigned m = 0; m < n->nr_decoders; m++) {
		const struct decoder *d = &n->dec[m];
		struct ref_set set = { .ways = eniw_ways(FIELD_GET(HDM_CTRL_IW, d->r[HDM_CONTROL])),
				       .granularity = dec_gran(n, d) };
		uint64_t targets = (uint64_t)d->r[HDM_TARGET_HI] << 32 | d->r[HDM_TARGET_LO];
		unsigned idx;

		if (!dec_committed(d) || hpa < dec_base(d) || hpa >= dec_base(d) + dec_size(d) ||
		    !ref_set_valid(set.ways, set.granularity))
			continue;
		idx = ref_target(&set, hpa);
		if (n->faults.swap_targets && idx < 2)
			idx ^= 1;
		return child_dport(port, (uint8_t)(targets >> (8 * idx)));
	}
	return -1;
}

static bool endpoint_decode(const struct node *n, uint64_t hpa, uint64_t *dpa)
{
	uint64_t dpa_base = 0;

	if (!(n->global_ctrl & HDM_DECODE_ENABLE) || !(n->dvsec_ctrl & DEVICE_DVSEC_MEM_ENABLE))
		return false;
	for (unsigned m = 0; m < n->nr_decoders; m++) {
		const struct decoder *d = &n->dec[m];
		unsigned ways = eniw_ways(FIELD_GET(HDM_CTRL_IW, d->r[HDM_CONTROL]));
		uint64_t skip = (uint64_t)d->r[HDM_TARGET_HI] << 32 | d->r[HDM_TARGET_LO], off;

		if (!dec_committed(d) || !ref_set_valid(ways, dec_gran(n, d)))
			continue;
		dpa_base += skip;
		if (hpa >= dec_base(d) && hpa < dec_base(d) + dec_size(d)) {
			off = hpa - dec_base(d);
			*dpa = dpa_base + ref_dpa_offset(ways, dec_gran(n, d), off);
			if (n->faults.alias_bit >= 0)
				*dpa &= ~(1ULL << n->faults.alias_bit);
			return *dpa < n->capacity;
		}
		dpa_base += dec_size(d) / ways;
	}
	return false;
}

int sim_route(uint64_t hpa, uint64_t *dpa)
{
	for (int w = 0; w < nr_windows; w++) {
		const struct window *win = &windows[w];
		struct ref_set set = { .ways = win->ways, .granularity = win->gran, .xor_arith = win->xor_arith };
		unsigned idx;
		int node = -1;

		if (hpa < win->base || hpa >= win->base + win->size)
			continue;
		memcpy(set.xormap, win->xormaps, sizeof(set.xormap));
		idx = ref_target(&set, hpa);
		for (int i = 0; i < nr_nodes; i++)
			if (nodes[i].type == SIM_HB && nodes[i].uid == win->uids[idx])
				node = i;
		/* Host bridge, then switches, down to an endpoint. */
		while (node >= 0 && nodes[node].type != SIM_EP) {
			int dport = port_decode(node, hpa);

			node = dport < 0 ? -1 : below_dport(dport);
		}
		if (node >= 0 && endpoint_decode(&nodes[node], hpa, dpa))
			return node;
		return -1;
	}
	return -1;
}

static uint8_t *page_of(int ep, uint64_t pfn, bool create)
{
	size_t h = (size_t)((pfn * 0x9e3779b97f4a7c15ULL) ^ (uint64_t)ep) % MAX_PAGES;

	for (size_t probe = 0; probe < MAX_PAGES; probe++, h = (h + 1) % MAX_PAGES) {
		struct page *p = &pages[h];

		if (p->data && p->ep == ep && p->pfn == pfn)
			return p->data;
		if (!p->data) {
			if (!create)
				return NULL;
			*p = (struct page){ ep, pfn, calloc(1, PAGE) };
			return p->data;
		}
	}
	abort(); /* a test touched more than MAX_PAGES pages */
}

uint64_t sim_device_read64(int ep, uint64_t dpa)
{
	uint64_t v = 0;

	sim_device_read(ep, dpa, &v, sizeof(v));
	return v;
}

void sim_device_read(int ep, uint64_t dpa, void *buf, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		uint8_t *p = page_of(ep, (dpa + i) / PAGE, false);

		((uint8_t *)buf)[i] = p ? p[(dpa + i) % PAGE] : 0;
	}
}

uint64_t sim_mem_read64_uncached(uint64_t hpa)
{
	uint64_t dpa, v = 0;
	int ep = sim_route(hpa, &dpa);

	if (ep < 0) {
		stats.unrouted_mem++;
		return 0;
	}
	sim_poison_access(ep, dpa);
	sim_device_read(ep, dpa, &v, sizeof(v));
	return v;
}

void sim_mem_write64_uncached(uint64_t hpa, uint64_t value)
{
	uint64_t dpa;
	int ep = sim_route(hpa, &dpa);

	if (ep < 0) {
		stats.unrouted_mem++;
		return;
	}
	sim_poison_access(ep, dpa);
	memcpy(page_of(ep, dpa / PAGE, true) + dpa % PAGE, &value, sizeof(value));
}

uint64_t plat_timer_ns(void)
{
	return clock_ns += 100;
}

/* No firmware watchdog on the host: nothing to re-arm. */
void plat_watchdog_kick(void)
{
}

void plat_delay_us(uint32_t us)
{
	clock_ns += (uint64_t)us * 1000;
}

const void *plat_phys_map(uint64_t phys, uint64_t len)
{
	for (int i = 0; i < nr_placed; i++)
		if (phys >= placed[i].phys && len <= placed[i].len && phys - placed[i].phys <= placed[i].len - len)
			return placed[i].data + (phys - placed[i].phys);
	return NULL;
}

int sim_node_at(uint8_t bus, uint8_t dev)
{
	struct node *n = by_bdf(0, bus, dev, 0);

	return n ? (int)(n - nodes) : -1;
}
