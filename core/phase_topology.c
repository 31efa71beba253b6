// SPDX-License-Identifier: MIT
/* Phase "topology": the CXL tree below the CEDT's host bridges, as discovery found it. */
#include "core/log.h"
#include "core/phase_platform.h"
#include "core/run.h"
#include "cxl/discover.h"
#include "cxl/regs.h"

static void log_decoders(const struct cxl_topology *topo, const struct cxl_hdm *hdm, unsigned port_id,
			 bool endpoint)
{
	for (unsigned m = 0; m < hdm->nr_decoders; m++) {
		const struct cxl_decoder *d = cxl_hdm_decoder(topo, hdm, m);
		struct log_event ev;
		char name[24];

		cxl_decoder_name(port_id, m, name, sizeof(name));
		log_begin(&ev, d->committed ? LOG_INFO : LOG_DEBUG, "topology.decoder"); /* idle ones: files only */
		log_str(&ev, "decoder", name);
		log_hex(&ev, "resource", d->base);
		log_hex(&ev, "size", d->size);
		log_hex(&ev, "control", d->ctrl);
		log_bool(&ev, "committed", d->committed);
		log_bool(&ev, "locked", d->locked);
		log_hex(&ev, endpoint ? "dpa_skip" : "target_list", endpoint ? d->dpa_skip
									   : (uint64_t)d->target_hi << 32 | d->target_lo);
		log_end(&ev);
	}
}

static void log_topology(const struct run *run)
{
	const struct cxl_topology *topo = &run->topo;

	struct log_event ev;
	char name[24];

	for (unsigned p = 0; p < topo->nr_ports; p++) {
		const struct cxl_port *port = &topo->ports[p];

		cxl_port_name(topo, (int)p, name, sizeof(name));
		log_begin(&ev, LOG_INFO, "topology.port");
		log_str(&ev, "port", name);
		log_str(&ev, "type", port->type == CXL_PORT_HOST_BRIDGE ? "host_bridge" : "switch");
		if (port->type == CXL_PORT_HOST_BRIDGE)
			log_u64(&ev, "uid", port->uid);
		log_hex(&ev, "component_registers", port->component_base);
		log_u64(&ev, "nr_decoders", port->hdm.nr_decoders);
		log_u64(&ev, "nr_targets", port->hdm.nr_targets);
		log_hex(&ev, "hdm_cap", port->hdm.cap);
		log_end(&ev);
		log_decoders(topo, &port->hdm, port->id, false);
	}
	for (unsigned i = 0; i < topo->nr_dports; i++) {
		const struct cxl_dport *d = &topo->dports[i];

		cxl_port_name(topo, d->port, name, sizeof(name));
		log_begin(&ev, LOG_INFO, "topology.dport");
		log_str(&ev, "port", name);
		log_u64(&ev, "port_number", d->port_number);
		log_msg(&ev, "%04x:%02x:%02x.%x", d->bdf.seg, d->bdf.bus, d->bdf.dev, d->bdf.fn);
		log_end(&ev);
	}
	for (unsigned e = 0; e < topo->nr_endpoints; e++) {
		const struct cxl_endpoint *ep = &topo->endpoints[e];
		char mem[16];

		cxl_endpoint_name(topo, (int)e, name, sizeof(name));
		cxl_memdev_name(topo, (int)e, mem, sizeof(mem));
		log_begin(&ev, LOG_INFO, "topology.endpoint");
		log_str(&ev, "endpoint", name);
		log_str(&ev, "memdev", mem);
		log_msg(&ev, "%04x:%02x:%02x.%x", ep->bdf.seg, ep->bdf.bus, ep->bdf.dev, ep->bdf.fn);
		log_u64(&ev, "dport_port_number", topo->dports[ep->parent_dport].port_number);
		log_hex(&ev, "component_registers", ep->component_base);
		log_u64(&ev, "ram_size", ep->volatile_bytes);
		log_u64(&ev, "pmem_size", ep->persistent_bytes);
		log_str(&ev, "capacity_from", run->hw.ep_capacity_from_mailbox[e] ? "mailbox" : "dvsec");
		log_bool(&ev, "type3", ep->type3);
		log_end(&ev);
		log_decoders(topo, &ep->hdm, ep->id, true);
	}
}

/* Component register blocks live in BARs: they go into the address map like any other claimed range. */
static void add_register_blocks(struct run *run)
{
	const struct cxl_topology *topo = &run->topo;

	for (unsigned p = 0; p < topo->nr_ports; p++)
		if (topo->ports[p].type == CXL_PORT_SWITCH && topo->ports[p].component_base)
			addrmap_add_span(&run->map, MAP_BAR, topo->ports[p].component_base, CXL_COMPONENT_BLOCK_SIZE, 0,
					 0, (int)p);
	for (unsigned e = 0; e < topo->nr_endpoints; e++)
		if (topo->endpoints[e].component_base)
			addrmap_add_span(&run->map, MAP_BAR, topo->endpoints[e].component_base,
					 CXL_COMPONENT_BLOCK_SIZE, 0, 0, (int)e);
}

bool phase_topology(struct run *run)
{
	const struct fw_facts *f = run->facts; /* NULL in host tests that start here */
	const struct bridge_map bridges = { f ? f->root_bridges : NULL, f ? (unsigned)f->nr_root_bridges : 0,
					    run->aml_hb, run->nr_aml_hb };

	log_set_phase("topology");
	if (f)
		log_root_bridges(f);
	if (cxl_discover_with(&run->topo, &run->hw, &run->cedt, &run->mcfg, &bridges, &run->findings)) {
		log_printf(LOG_WARN, "topology.none", "no usable CXL host bridge");
		return false;
	}
	run->topo.normalized_addressing |= run->prm_address_translation;
	log_topology(run);
	log_platform_facts(&run->topo);
	add_register_blocks(run);
	return true;
}
