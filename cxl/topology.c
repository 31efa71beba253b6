// SPDX-License-Identifier: MIT
/* Building and walking the topology model (cxl/topology.h). */
#include "cxl/topology.h"

#include <string.h>

#include "lib/fmt.h"

void cxl_topo_init(struct cxl_topology *t)
{
	memset(t, 0, sizeof(*t));
	t->next_id = 1; /* root0 */
}

static int full(struct cxl_topology *t)
{
	t->overflow = true;
	return -1;
}

int cxl_topo_add_window(struct cxl_topology *t, const struct cxl_window *w)
{
	if (t->nr_windows >= CXL_MAX_WINDOWS)
		return full(t);
	t->windows[t->nr_windows] = *w;
	return t->nr_windows++;
}

static int add_port(struct cxl_topology *t, enum cxl_port_type type, int parent_dport)
{
	struct cxl_port *p;

	if (t->nr_ports >= CXL_MAX_PORTS)
		return full(t);
	p = &t->ports[t->nr_ports];
	memset(p, 0, sizeof(*p));
	p->type = type;
	p->id = t->next_id++;
	p->parent_dport = parent_dport;
	return t->nr_ports++;
}

int cxl_topo_add_host_bridge(struct cxl_topology *t, uint32_t uid, uint64_t chbcr)
{
	int i = add_port(t, CXL_PORT_HOST_BRIDGE, -1);

	if (i >= 0) {
		t->ports[i].uid = uid;
		t->ports[i].component_base = chbcr;
	}
	return i;
}

int cxl_topo_add_dport(struct cxl_topology *t, int port, uint8_t port_number, struct cxl_bdf bdf)
{
	struct cxl_dport *d;

	if (port < 0 || (unsigned)port >= t->nr_ports || t->nr_dports >= CXL_MAX_DPORTS)
		return full(t);
	d = &t->dports[t->nr_dports];
	d->port = port;
	d->port_number = port_number;
	d->bdf = bdf;
	d->child_port = -1;
	d->child_endpoint = -1;
	return t->nr_dports++;
}

static bool dport_free(const struct cxl_topology *t, int dport)
{
	return dport >= 0 && (unsigned)dport < t->nr_dports && t->dports[dport].child_port < 0 &&
	       t->dports[dport].child_endpoint < 0;
}

int cxl_topo_add_switch(struct cxl_topology *t, int dport, struct cxl_bdf bdf,
			uint64_t component_base)
{
	int i;

	if (!dport_free(t, dport))
		return full(t);
	i = add_port(t, CXL_PORT_SWITCH, dport);
	if (i < 0)
		return i;
	t->ports[i].bdf = bdf;
	t->ports[i].component_base = component_base;
	t->dports[dport].child_port = i;
	return i;
}

int cxl_topo_add_endpoint(struct cxl_topology *t, int dport, struct cxl_bdf bdf,
			  uint64_t component_base)
{
	struct cxl_endpoint *e;

	if (!dport_free(t, dport) || t->nr_endpoints >= CXL_MAX_ENDPOINTS)
		return full(t);
	e = &t->endpoints[t->nr_endpoints];
	memset(e, 0, sizeof(*e));
	e->id = t->next_id++;
	e->mem_id = t->next_mem_id++;
	e->parent_dport = dport;
	e->bdf = bdf;
	e->component_base = component_base;
	e->type3 = true;
	t->dports[dport].child_endpoint = t->nr_endpoints;
	return t->nr_endpoints++;
}

int cxl_topo_alloc_decoders(struct cxl_topology *t, struct cxl_hdm *hdm, unsigned nr_decoders)
{
	if (nr_decoders > CXL_MAX_DECODERS - t->nr_decoders)
		return full(t);
	hdm->present = true;
	hdm->nr_decoders = nr_decoders;
	hdm->first_decoder = t->nr_decoders;
	memset(&t->decoders[t->nr_decoders], 0, nr_decoders * sizeof(t->decoders[0]));
	t->nr_decoders += nr_decoders;
	return 0;
}

int cxl_topo_find_host_bridge(const struct cxl_topology *t, uint32_t uid)
{
	for (unsigned i = 0; i < t->nr_ports; i++)
		if (t->ports[i].type == CXL_PORT_HOST_BRIDGE && t->ports[i].uid == uid)
			return i;
	return -1;
}

int cxl_topo_find_dport(const struct cxl_topology *t, int port, uint8_t port_number)
{
	for (unsigned i = 0; i < t->nr_dports; i++)
		if (t->dports[i].port == port && t->dports[i].port_number == port_number)
			return i;
	return -1;
}

const struct cxl_decoder *cxl_hdm_decoder(const struct cxl_topology *t, const struct cxl_hdm *hdm,
					  unsigned m)
{
	if (!hdm->present || m >= hdm->nr_decoders || hdm->first_decoder + m >= t->nr_decoders)
		return NULL;
	return &t->decoders[hdm->first_decoder + m];
}

/* Parent port of a port, -1 at a host bridge; bounded so a corrupt model cannot loop. */
static int parent_port(const struct cxl_topology *t, int port)
{
	int d = t->ports[port].parent_dport;

	return d >= 0 && (unsigned)d < t->nr_dports ? t->dports[d].port : -1;
}

int cxl_port_host_bridge(const struct cxl_topology *t, int port)
{
	for (unsigned n = 0; port >= 0 && n <= CXL_MAX_PORTS; n++) {
		if (t->ports[port].type == CXL_PORT_HOST_BRIDGE)
			return port;
		port = parent_port(t, port);
	}
	return -1;
}

unsigned cxl_port_depth(const struct cxl_topology *t, int port)
{
	unsigned depth = 0;

	while (port >= 0 && t->ports[port].type != CXL_PORT_HOST_BRIDGE && depth <= CXL_MAX_PORTS) {
		port = parent_port(t, port);
		depth++;
	}
	return depth;
}

int cxl_endpoint_port(const struct cxl_topology *t, int endpoint)
{
	int d = t->endpoints[endpoint].parent_dport;

	return d >= 0 && (unsigned)d < t->nr_dports ? t->dports[d].port : -1;
}

uint64_t cxl_endpoint_dpa_end(const struct cxl_topology *t, int endpoint)
{
	const struct cxl_hdm *hdm = &t->endpoints[endpoint].hdm;
	uint64_t end = 0;

	for (unsigned m = 0; m < hdm->nr_decoders; m++) {
		const struct cxl_decoder *d = cxl_hdm_decoder(t, hdm, m);

		if (d && d->committed && d->dpa_base + d->dpa_size > end)
			end = d->dpa_base + d->dpa_size;
	}
	return end;
}

int cxl_port_name(const struct cxl_topology *t, int port, char *buf, size_t len)
{
	return fmt_snprintf(buf, len, "port%u", t->ports[port].id);
}

int cxl_endpoint_name(const struct cxl_topology *t, int endpoint, char *buf, size_t len)
{
	return fmt_snprintf(buf, len, "endpoint%u", t->endpoints[endpoint].id);
}

int cxl_memdev_name(const struct cxl_topology *t, int endpoint, char *buf, size_t len)
{
	return fmt_snprintf(buf, len, "mem%u", t->endpoints[endpoint].mem_id);
}

int cxl_decoder_name(unsigned port_id, unsigned m, char *buf, size_t len)
{
	return fmt_snprintf(buf, len, "decoder%u.%u", port_id, m);
}
