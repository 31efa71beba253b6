// SPDX-License-Identifier: MIT
#include "cxl/dvsec.h"

#include <string.h>

#include "lib/platform.h"
#include "cxl/pci.h"
#include "cxl/regs.h"

/* Polls a range's Size Low until bit is set or ms pass; returns the last value read. */
static uint32_t await_bit(uint64_t cfg, uint16_t dvsec, unsigned i, uint32_t bit, uint32_t ms)
{
	uint64_t deadline = plat_timer_ns() + (uint64_t)ms * 1000000;
	uint32_t v;

	while (!((v = pci_read32(cfg, dvsec + CXL_DVSEC_RANGE_SIZE_LOW(i))) & bit) && v != ~0U &&
	       plat_timer_ns() < deadline)
		plat_delay_us(1000);
	return v;
}

static uint32_t active_timeout_ms(uint32_t size_low)
{
	uint32_t ms = 1000U << (2 * FIELD_GET(CXL_DVSEC_MEM_ACTIVE_TIMEOUT, size_low));

	return ms < CXL_MEDIA_READY_MAX_MS ? ms : CXL_MEDIA_READY_MAX_MS;
}

void cxl_dvsec_read(uint64_t cfg, uint16_t dvsec, struct cxl_endpoint *ep)
{
	uint16_t cap = pci_read16(cfg, dvsec + CXL_DVSEC_CAP);
	unsigned n;

	memset(ep->rr, 0, sizeof(ep->rr));
	ep->mem_capable = cap & CXL_DVSEC_CAP_MEM_CAPABLE;
	ep->mem_hwinit = cap & CXL_DVSEC_CAP_MEM_HWINIT_MODE;
	ep->hdm_count = (uint8_t)FIELD_GET(CXL_DVSEC_CAP_HDM_COUNT, cap);
	ep->mem_enable = pci_read16(cfg, dvsec + CXL_DVSEC_CTRL) & CXL_DVSEC_MEM_ENABLE;
	ep->media_ready = true;
	if (!ep->mem_capable)
		return;
	/* HDM_Count 0 or 3 is reserved: range 1 still describes the memory (Linux refuses; we read it). */
	n = ep->hdm_count == 2 ? 2 : 1;
	for (unsigned i = 0; i < n; i++) {
		struct cxl_range_reg *r = &ep->rr[i];
		uint32_t lo = await_bit(cfg, dvsec, i, CXL_DVSEC_MEM_INFO_VALID, CXL_MEM_INFO_VALID_MS);

		if (lo == ~0U || !(lo & CXL_DVSEC_MEM_INFO_VALID)) {
			ep->media_ready = false;
			continue;
		}
		r->valid = true;
		r->size = (uint64_t)pci_read32(cfg, dvsec + CXL_DVSEC_RANGE_SIZE_HIGH(i)) << 32 |
			  (lo & CXL_DVSEC_MEM_SIZE_LOW);
		r->base = (uint64_t)pci_read32(cfg, dvsec + CXL_DVSEC_RANGE_BASE_HIGH(i)) << 32 |
			  (pci_read32(cfg, dvsec + CXL_DVSEC_RANGE_BASE_LOW(i)) & CXL_DVSEC_MEM_BASE_LOW);
		r->media_type = (uint8_t)FIELD_GET(CXL_DVSEC_MEDIA_TYPE, lo);
		r->memory_class = (uint8_t)FIELD_GET(CXL_DVSEC_MEMORY_CLASS, lo);
		if (!r->size)
			continue;
		if (!(lo & CXL_DVSEC_MEM_ACTIVE))
			lo = await_bit(cfg, dvsec, i, CXL_DVSEC_MEM_ACTIVE, active_timeout_ms(lo));
		r->active = lo != ~0U && (lo & CXL_DVSEC_MEM_ACTIVE);
		if (!r->active)
			ep->media_ready = false;
	}
}

bool cxl_dvsec_rr_decoding(const struct cxl_endpoint *ep, bool hdm_present, uint32_t hdm_global)
{
	if (!ep->mem_enable || (hdm_present && (hdm_global & CXL_HDM_GLOBAL_ENABLE)))
		return false;
	for (unsigned i = 0; i < 2; i++)
		if (ep->rr[i].valid && ep->rr[i].size)
			return true;
	return false;
}

void cxl_dvsec_capacity(const struct cxl_endpoint *ep, uint64_t *volatile_bytes, uint64_t *persistent_bytes)
{
	bool persistent = false;

	*volatile_bytes = *persistent_bytes = 0;
	for (unsigned i = 0; i < 2; i++) {
		const struct cxl_range_reg *r = &ep->rr[i];

		if (!r->valid)
			continue;
		persistent |= r->media_type != CXL_DVSEC_MEDIA_VOLATILE;
		*(persistent ? persistent_bytes : volatile_bytes) += r->size;
	}
}
