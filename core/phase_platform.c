// SPDX-License-Identifier: MIT
#include "core/phase_platform.h"

#include "acpi/prmt.h"
#include "lib/platform.h"

#include "lib/fmt.h"
#include "core/log.h"
#include "cxl/poison.h"


static void log_rch(const struct cxl_topology *t)
{
	for (unsigned i = 0; i < t->nr_rch; i++) {
		const struct cxl_rch *r = &t->rch[i];
		struct log_event ev;

		log_begin(&ev, LOG_INFO, "topology.rch");
		log_msg(&ev, "host bridge UID %u is a CXL 1.1 RCH (CEDT[%d] CHBS, RCRB 0x%llx): read, not programmed",
			r->uid, r->cedt_index, (unsigned long long)r->rcrb);
		log_u64(&ev, "uid", r->uid);
		log_hex(&ev, "rcrb", r->rcrb);
		log_hex(&ev, "dport_id", r->dport_id);
		log_hex(&ev, "component_registers", r->component_base);
		if (r->has_rciep) {
			char bdf[16];

			fmt_snprintf(bdf, sizeof(bdf), "%04x:%02x:%02x.%x", r->rciep.seg, r->rciep.bus, r->rciep.dev,
				     r->rciep.fn);
			log_str(&ev, "rciep", bdf);
			log_bool(&ev, "mem_enable", r->mem_enable);
			for (unsigned k = 0; k < 2; k++) {
				static const char *const keys[2][3] = { { "range1_base", "range1_size", "range1_in_window" },
									{ "range2_base", "range2_size", "range2_in_window" } };

				if (!r->rr[k].valid)
					continue;
				log_hex(&ev, keys[k][0], r->rr[k].base);
				log_hex(&ev, keys[k][1], r->rr[k].size);
				log_bool(&ev, keys[k][2], r->rr_in_window[k]);
			}
		}
		log_end(&ev);
	}
}

static void log_range_registers(const struct cxl_topology *t)
{
	for (unsigned e = 0; e < t->nr_endpoints; e++) {
		const struct cxl_endpoint *ep = &t->endpoints[e];
		char mem[16];

		cxl_memdev_name(t, (int)e, mem, sizeof(mem));
		for (unsigned i = 0; i < 2; i++) {
			const struct cxl_range_reg *rr = &ep->rr[i];
			struct log_event ev;

			if (!rr->valid)
				continue;
			log_begin(&ev, ep->rr_decoding || !rr->active ? LOG_WARN : LOG_INFO, "topology.range_register");
			log_msg(&ev, "%s range %u: %s", mem, i + 1,
				ep->rr_decoding ? "firmware decodes through it (HDM Decoder Enable clear): firmware's region"
				: !rr->active ? "Memory_Active never came"
					      : "not in use (HDM decoders decode)");
			log_str(&ev, "memdev", mem);
			log_u64(&ev, "range", i + 1);
			log_hex(&ev, "base", rr->base);
			log_hex(&ev, "size", rr->size);
			log_bool(&ev, "active", rr->active);
			log_u64(&ev, "media_type", rr->media_type);
			log_u64(&ev, "memory_class", rr->memory_class);
			log_bool(&ev, "mem_enable", ep->mem_enable);
			log_bool(&ev, "decoding", ep->rr_decoding);
			log_end(&ev);
		}
	}
}

static void log_health(const struct cxl_topology *t)
{
	for (unsigned e = 0; e < t->nr_endpoints; e++) {
		const struct cxl_endpoint *ep = &t->endpoints[e];
		struct log_event ev;
		char mem[16];

		if (!ep->health_read)
			continue;
		cxl_memdev_name(t, (int)e, mem, sizeof(mem));
		log_begin(&ev, ep->media_status ? LOG_WARN : LOG_INFO, "device.health");
		log_msg(&ev, "%s: media status %u%s", mem, ep->media_status,
			ep->media_status == 0 ? " (normal)" : ep->media_status == 1 ? " (not ready: not used)"
											: " (data at risk)");
		log_str(&ev, "memdev", mem);
		log_hex(&ev, "health_status", ep->health_status);
		log_u64(&ev, "media_status", ep->media_status);
		log_end(&ev);
	}
}

static void log_poison(const struct cxl_topology *t)
{
	for (unsigned e = 0; e < t->nr_endpoints; e++) {
		const struct cxl_endpoint *ep = &t->endpoints[e];
		char mem[16];

		cxl_memdev_name(t, (int)e, mem, sizeof(mem));
		for (unsigned k = 0; k < ep->nr_poison; k++) {
			struct log_event ev;

			log_begin(&ev, LOG_WARN, "poison.found");
			log_msg(&ev, "%s: DPA 0x%llx, 0x%llx bytes poisoned: never touched", mem,
				(unsigned long long)ep->poison[k].dpa, (unsigned long long)ep->poison[k].len);
			log_str(&ev, "memdev", mem);
			log_hex(&ev, "dpa", ep->poison[k].dpa);
			log_hex(&ev, "length", ep->poison[k].len);
			log_u64(&ev, "source", ep->poison[k].source);
			log_end(&ev);
		}
		if (ep->poison_overflow)
			log_printf(LOG_WARN, "poison.overflow", "%s: the device lost poison records; its regions are "
				   "not touched", mem);
	}
}

bool poison_skip_lines(struct run *run, unsigned r, const struct region_plan *p)
{
	uint64_t *skip = run->touch.poison_lines;
	struct log_event ev;
	bool more;
	size_t n = cxl_poison_hpa_lines(&run->topo, p, skip, RUN_POISON_LINES, &more);

	run->touch.nr_poison_lines = n;
	if (!n && !more)
		return true;
	log_begin(&ev, LOG_WARN, "touch.poison_skipped");
	log_msg(&ev, "region%u: %u poisoned line(s) %s", r, (unsigned)n,
		more ? "and more: the list is incomplete, the region is not touched" : "left out of the touch");
	run_log_region(&ev, r);
	log_u64(&ev, "lines", n);
	if (n)
		log_hex(&ev, "first_hpa", skip[0]);
	log_bool(&ev, "complete", !more);
	log_end(&ev);
	return !more;
}

static bool poisoned(uint64_t line, const uint64_t *lines, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (lines[i] == line)
			return true;
	return false;
}

unsigned poison_filter_offsets(const struct region_plan *p, uint64_t *offs, unsigned n, const uint64_t *lines,
			       size_t nr_lines)
{
	unsigned k = 0;

	for (unsigned i = 0; i < n; i++)
		if (!poisoned((p->hpa_base + offs[i]) & ~63ULL, lines, nr_lines))
			offs[k++] = offs[i];
	return k;
}

void log_root_bridges(const struct fw_facts *f)
{
	for (size_t i = 0; i < f->nr_root_bridges; i++) {
		const struct fw_root_bridge *r = &f->root_bridges[i];
		struct log_event ev;

		log_begin(&ev, LOG_INFO, "firmware.root_bridge");
		log_msg(&ev, "PCI root bridge: segment %u, buses 0x%x-0x%x, _UID %u", r->segment, r->bus_start,
			r->bus_end, r->uid);
		log_u64(&ev, "segment", r->segment);
		if (r->has_bus) {
			log_hex(&ev, "bus_start", r->bus_start);
			log_hex(&ev, "bus_end", r->bus_end);
		}
		if (r->has_uid) {
			log_u64(&ev, "uid", r->uid);
			log_hex(&ev, "hid", r->hid);
		}
		log_end(&ev);
	}
}

void log_platform_facts(const struct cxl_topology *t)
{
	log_rch(t);
	log_range_registers(t);
	log_health(t);
	log_poison(t);
}

void scan_prmt(struct run *run)
{
	for (unsigned n = 0;; n++) {
		const struct acpi_table_info *t = acpi_find(&run->acpi, "PRMT", n);
		const uint8_t *p = t ? plat_phys_map(t->phys, t->length) : NULL;

		if (!t)
			return;
		if (!p || !prmt_has_handler(p, t->length, prm_cxl_address_translation_guid, &run->findings))
			continue;
		run->prm_address_translation = true;
		diag_report(&run->findings, DIAG_WARN, "PRMT", (int)n, "Handler Info", "Handler GUID", DIAG_NO_OFFSET,
			    "platform.normalized_addressing",
			    "the PRMT holds the CXL address translation handler EE41B397-25D4-452C-AD54-48C6E3480B94: "
			    "normalized addressing; decoders are left as firmware set them");
		return;
	}
}
