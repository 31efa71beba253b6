// SPDX-License-Identifier: MIT
#include "cxl/bridge_map.h"

enum hb_source cxl_host_bridge_uid(const struct bridge_map *m, uint16_t segment, uint8_t bus, uint32_t *uid)
{
	if (m->nr_rb) {
		for (unsigned i = 0; i < m->nr_rb; i++) {
			const struct fw_root_bridge *r = &m->rb[i];

			if (r->has_bus && r->has_uid && r->segment == segment && bus >= r->bus_start &&
			    bus <= r->bus_end) {
				*uid = r->uid;
				return HB_FROM_ROOT_BRIDGE;
			}
		}
		return HB_NONE;
	}
	if (segment)
		return HB_NONE;
	for (unsigned i = 0; i < m->nr_aml; i++)
		if (m->aml[i].has_uid && m->aml[i].has_bbn && m->aml[i].bbn == bus) {
			*uid = (uint32_t)m->aml[i].uid;
			return HB_FROM_AML;
		}
	*uid = bus;
	return HB_FROM_BUS_NUMBER;
}

const char *hb_source_name(enum hb_source s)
{
	static const char *const names[] = { "root_bridge", "aml_bbn", "bus_number", "none" };

	return s <= HB_NONE ? names[s] : "unknown";
}
