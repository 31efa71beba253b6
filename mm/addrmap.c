// SPDX-License-Identifier: MIT
#include "mm/addrmap.h"

#include <string.h>

void addrmap_init(struct addrmap *m, struct map_range *storage, size_t cap)
{
	memset(m, 0, sizeof(*m));
	m->r = storage;
	m->cap = cap;
}

/* First index whose start is > start (upper bound), by binary search. */
static size_t upper_bound(const struct addrmap *m, uint64_t start)
{
	size_t lo = 0, hi = m->count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (m->r[mid].start <= start)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

bool addrmap_add(struct addrmap *m, const struct map_range *r)
{
	size_t at;

	if (r->last < r->start || m->count >= m->cap) {
		m->overflow = m->overflow || m->count >= m->cap;
		return false;
	}
	at = upper_bound(m, r->start);
	memmove(&m->r[at + 1], &m->r[at], (m->count - at) * sizeof(*r));
	m->r[at] = *r;
	m->count++;
	m->indexed = false;
	if (r->last - r->start > m->max_len)
		m->max_len = r->last - r->start;
	return true;
}

bool addrmap_add_span(struct addrmap *m, enum map_source src, uint64_t start, uint64_t size, uint32_t type,
		      uint64_t attr, int index)
{
	struct map_range r = { start, start + size - 1, src, type, attr, index, 0 };

	return size && start + size - 1 >= start && addrmap_add(m, &r);
}

static uint64_t index_span(struct map_range *r, size_t lo, size_t hi)
{
	size_t mid = lo + (hi - lo) / 2;
	uint64_t max = r[mid].last, sub;

	if (lo < mid && (sub = index_span(r, lo, mid)) > max)
		max = sub;
	if (mid + 1 < hi && (sub = index_span(r, mid + 1, hi)) > max)
		max = sub;
	return r[mid].subtree_last = max;
}

void addrmap_index(struct addrmap *m)
{
	if (m->count)
		index_span(m->r, 0, m->count);
	m->indexed = true;
}

struct query {
	uint64_t start, last;
	uint32_t sources;
	addrmap_fn fn;
	void *ctx;
	size_t n;
};

/* In order: left span, the middle, right span; a span whose ranges all end before start is skipped whole. */
static void query_span(const struct map_range *r, size_t lo, size_t hi, struct query *q)
{
	size_t mid = lo + (hi - lo) / 2;

	if (lo >= hi || r[mid].subtree_last < q->start)
		return;
	query_span(r, lo, mid, q);
	if (r[mid].start > q->last)
		return; /* so does everything to its right */
	if ((MAP_BIT(r[mid].source) & q->sources) && r[mid].last >= q->start) {
		q->n++;
		if (q->fn)
			q->fn(q->ctx, &r[mid]);
	}
	query_span(r, mid + 1, hi, q);
}

size_t addrmap_overlaps(const struct addrmap *m, uint64_t start, uint64_t last, uint32_t sources, addrmap_fn fn,
			void *ctx)
{
	if (m->indexed) {
		struct query q = { start, last, sources, fn, ctx, 0 };

		query_span(m->r, 0, m->count, &q);
		return q.n;
	}

	/* A range that reaches start begins at most max_len before it. */
	uint64_t from = start > m->max_len ? start - m->max_len : 0;
	size_t i = upper_bound(m, from), n = 0;

	while (i > 0 && m->r[i - 1].start >= from)
		i--;
	for (; i < m->count && m->r[i].start <= last; i++) {
		const struct map_range *r = &m->r[i];

		if (!(MAP_BIT(r->source) & sources) || !ranges_intersect(r->start, r->last, start, last))
			continue;
		n++;
		if (fn)
			fn(ctx, r);
	}
	return n;
}

size_t addrmap_gaps(const struct addrmap *m, uint64_t start, uint64_t last, uint32_t sources, addrmap_gap_fn fn,
		    void *ctx)
{
	uint64_t next = start;
	size_t n = 0;
	bool done = false;

	for (size_t i = 0; i < m->count && !done && m->r[i].start <= last; i++) {
		const struct map_range *r = &m->r[i];

		if (!(MAP_BIT(r->source) & sources) || r->last < next)
			continue;
		if (r->start > next) {
			n++;
			if (fn)
				fn(ctx, next, r->start - 1);
		}
		if (r->last >= last)
			done = true;
		else
			next = r->last + 1;
	}
	if (!done && next <= last) {
		n++;
		if (fn)
			fn(ctx, next, last);
	}
	return n;
}

const char *map_source_name(enum map_source s)
{
	static const char *const names[MAP_SOURCES] = { "firmware", "ecam", "chbs", "bar", "window", "region",
							"cxlval", "firmware_region" };

	return s < MAP_SOURCES ? names[s] : "unknown";
}
