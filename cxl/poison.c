// SPDX-License-Identifier: MIT
#include "cxl/poison.h"

#include <string.h>

#include "lib/le.h"
#include "cxl/regs.h"

/* A device reports at most this many batches (More Media Error Records); then the list counts as overflowed. */
#define MAX_BATCHES 64

static void add_record(struct cxl_endpoint *ep, const uint8_t *rec)
{
	uint64_t addr = get_le64(rec);
	uint32_t len = get_le32(rec + 8);

	if (ep->nr_poison >= CXL_MAX_POISON) {
		ep->poison_overflow = true;
		return;
	}
	ep->poison[ep->nr_poison++] = (struct cxl_poison){ addr & CXL_POISON_ADDR_MASK,
							   (uint64_t)(len ? len : 1) * CXL_POISON_UNIT,
							   (uint8_t)(addr & CXL_POISON_SOURCE) };
}

static void put_le64(uint8_t *p, uint64_t v)
{
	for (unsigned i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

void cxl_poison_read(const struct cxl_mbox *mb, struct cxl_endpoint *ep, struct diag_sink *sink)
{
	static uint8_t out[65536]; /* records past this are reported as an error */
	uint8_t in[16];
	uint64_t size = ep->volatile_bytes + ep->persistent_bytes;
	uint16_t rc = 0;
	enum mbox_error e = MBOX_OK;

	ep->nr_poison = 0;
	ep->poison_read = ep->poison_overflow = false;
	if (!size)
		return;
	put_le64(in + CXL_POISON_IN_ADDR, 0);
	put_le64(in + CXL_POISON_IN_LEN, size / CXL_POISON_UNIT);
	for (unsigned batch = 0; batch < MAX_BATCHES; batch++) {
		size_t len = 0, n;

		memset(out, 0, sizeof(out));
		e = cxl_mbox_cmd_in(mb, CXL_MBOX_OP_GET_POISON, in, sizeof(in), out, sizeof(out), &len,
				    CXL_MBOX_TIMEOUT_MS, &rc);
		if (e || len < CXL_POISON_OUT_RECORDS)
			break;
		n = get_le16(out + CXL_POISON_OUT_COUNT);
		if (n > (len - CXL_POISON_OUT_RECORDS) / CXL_POISON_RECORD_SIZE) {
			e = MBOX_INVALID;
			break;
		}
		for (size_t i = 0; i < n; i++)
			add_record(ep, out + CXL_POISON_OUT_RECORDS + i * CXL_POISON_RECORD_SIZE);
		ep->poison_overflow |= out[CXL_POISON_OUT_FLAGS] & CXL_POISON_FLAG_OVERFLOW;
		if (!(out[CXL_POISON_OUT_FLAGS] & CXL_POISON_FLAG_MORE)) {
			ep->poison_read = true;
			return;
		}
	}
	diag_report(sink, DIAG_WARN, "mailbox", DIAG_NO_INDEX, "memdev", NULL, DIAG_NO_OFFSET, "mbox.poison",
		    "%02x:%02x.%x: Get Poison List failed (%s, return code 0x%x): poisoned lines are not known",
		    ep->bdf.bus, ep->bdf.dev, ep->bdf.fn, e ? mbox_error_name(e) : "too many batches", rc);
}

void cxl_health_read(const struct cxl_mbox *mb, struct cxl_endpoint *ep)
{
	uint8_t out[64];
	size_t len = 0;
	uint16_t rc = 0;

	ep->health_read = false;
	if (cxl_mbox_cmd(mb, CXL_MBOX_OP_GET_HEALTH_INFO, out, sizeof(out), &len, CXL_MBOX_TIMEOUT_MS, &rc) ||
	    len < CXL_HEALTH_OUT_MIN)
		return;
	ep->health_read = true;
	ep->health_status = out[CXL_HEALTH_STATUS];
	ep->media_status = out[CXL_HEALTH_MEDIA_STATUS];
	if (ep->media_status == CXL_MEDIA_STATUS_NOT_READY)
		ep->media_ready = false;
}

static size_t insert_line(uint64_t *lines, size_t n, size_t cap, uint64_t hpa, bool *more)
{
	size_t i = n;

	for (size_t j = 0; j < n; j++)
		if (lines[j] == hpa)
			return n;
	if (n >= cap) {
		*more = true;
		return n;
	}
	while (i > 0 && lines[i - 1] > hpa) {
		lines[i] = lines[i - 1];
		i--;
	}
	lines[i] = hpa;
	return n + 1;
}

size_t cxl_poison_hpa_lines(const struct cxl_topology *t, const struct region_plan *p, uint64_t *lines, size_t cap,
			    bool *more)
{
	size_t n = 0;

	*more = false;
	for (unsigned d = 0; d < p->nr_decoders; d++) {
		const struct plan_decoder *pd = &p->decoders[d];
		const struct cxl_endpoint *ep;

		if (!pd->is_endpoint || pd->position < 0)
			continue;
		ep = &t->endpoints[pd->owner];
		*more |= ep->poison_overflow;
		for (unsigned k = 0; k < ep->nr_poison; k++) {
			uint64_t lo = ep->poison[k].dpa, hi = lo + ep->poison[k].len;

			if (lo < pd->dpa_base)
				lo = pd->dpa_base;
			if (hi > pd->dpa_base + pd->dpa_size || hi < lo)
				hi = pd->dpa_base + pd->dpa_size;
			for (uint64_t dpa = lo; dpa < hi && !*more; dpa += CXL_POISON_UNIT)
				n = insert_line(lines, n, cap, p->il.base + ileave_dpa_to_hpa(&p->il, (unsigned)pd->position,
											     dpa - pd->dpa_base),
						more);
		}
	}
	return n;
}
