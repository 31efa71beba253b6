// SPDX-License-Identifier: MIT
#include "mm/frame_alloc.h"

#include <string.h>

void frame_alloc_init(struct frame_alloc *fa, struct extent *pool_storage, struct extent *free_storage,
		      size_t cap)
{
	memset(fa, 0, sizeof(*fa));
	fa->pool = pool_storage;
	fa->free = free_storage;
	fa->cap = cap;
}

/* Inserts into a sorted, disjoint extent list, merging with neighbours it touches. */
static bool insert_extent(struct extent *v, size_t *n, size_t cap, uint64_t start, uint64_t last)
{
	size_t i = 0;

	while (i < *n && v[i].last < start)
		i++;
	if (i < *n && v[i].start <= last)
		return false; /* overlaps: a double free or a double give */
	if (i > 0 && v[i - 1].last + 1 == start) {
		v[i - 1].last = last;
		if (i < *n && last + 1 == v[i].start) {
			v[i - 1].last = v[i].last;
			memmove(&v[i], &v[i + 1], (*n - i - 1) * sizeof(*v));
			(*n)--;
		}
		return true;
	}
	if (i < *n && last + 1 == v[i].start) {
		v[i].start = start;
		return true;
	}
	if (*n >= cap)
		return false;
	memmove(&v[i + 1], &v[i], (*n - i) * sizeof(*v));
	v[i] = (struct extent){ start, last };
	(*n)++;
	return true;
}

static uint64_t add_piece(struct frame_alloc *fa, uint64_t start, uint64_t last)
{
	uint64_t a = (start + FRAME_SIZE - 1) & ~(FRAME_SIZE - 1);

	if (last < a || last - a + 1 < FRAME_SIZE)
		return 0;
	last = a + ((last - a + 1) & ~(FRAME_SIZE - 1)) - 1;
	if (!insert_extent(fa->pool, &fa->nr_pool, fa->cap, a, last)) {
		fa->overflow = true;
		return 0;
	}
	insert_extent(fa->free, &fa->nr_free, fa->cap, a, last);
	return last - a + 1;
}

struct carve {
	struct frame_alloc *fa;
	uint64_t next, last, added;
	bool done; /* a forbidden range reaches the end */
};

/* Forbidden ranges come in start order: what lies between them is ours. */
static void carve_around(void *ctx, const struct map_range *r)
{
	struct carve *c = ctx;

	if (c->done)
		return;
	if (r->start > c->next)
		c->added += add_piece(c->fa, c->next, r->start - 1);
	if (r->last >= c->last)
		c->done = true;
	else if (r->last + 1 > c->next)
		c->next = r->last + 1;
}

uint64_t frame_alloc_give(struct frame_alloc *fa, uint64_t start, uint64_t size, const struct addrmap *map,
			  uint32_t forbidden_sources)
{
	struct carve c = { fa, start, start + size - 1, 0, false };

	if (!size || start + size - 1 < start)
		return 0;
	if (map)
		addrmap_overlaps(map, start, c.last, forbidden_sources, carve_around, &c);
	if (!c.done)
		c.added += add_piece(fa, c.next, c.last);
	return c.added;
}

uint64_t frame_alloc(struct frame_alloc *fa, uint64_t size, uint64_t align)
{
	size = (size + FRAME_SIZE - 1) & ~(FRAME_SIZE - 1);
	if (!size || align < FRAME_SIZE || (align & (align - 1)))
		return 0;
	for (size_t i = 0; i < fa->nr_free; i++) {
		struct extent *e = &fa->free[i];
		uint64_t a = (e->start + align - 1) & ~(align - 1);

		if (a < e->start || a > e->last || e->last - a + 1 < size)
			continue;
		/* Cut [a, a+size) out of e: up to two pieces remain. */
		if (a == e->start && a + size - 1 == e->last) {
			memmove(e, e + 1, (fa->nr_free - i - 1) * sizeof(*e));
			fa->nr_free--;
		} else if (a == e->start) {
			e->start = a + size;
		} else if (a + size - 1 == e->last) {
			e->last = a - 1;
		} else {
			uint64_t tail_start = a + size, tail_last = e->last;

			if (fa->nr_free >= fa->cap)
				continue; /* no room to split this one; try further on */
			e->last = a - 1;
			insert_extent(fa->free, &fa->nr_free, fa->cap, tail_start, tail_last);
		}
		fa->allocations++;
		return a;
	}
	return 0;
}

static bool in_pool(const struct frame_alloc *fa, uint64_t start, uint64_t last)
{
	for (size_t i = 0; i < fa->nr_pool; i++)
		if (fa->pool[i].start <= start && last <= fa->pool[i].last)
			return true;
	return false;
}

int frame_free(struct frame_alloc *fa, uint64_t addr, uint64_t size)
{
	uint64_t last;

	size = (size + FRAME_SIZE - 1) & ~(FRAME_SIZE - 1);
	last = addr + size - 1;
	if (!size || addr & (FRAME_SIZE - 1) || last < addr || !in_pool(fa, addr, last) || !fa->allocations)
		return -1;
	if (!insert_extent(fa->free, &fa->nr_free, fa->cap, addr, last))
		return -1;
	fa->allocations--;
	return 0;
}

void frame_alloc_stats(const struct frame_alloc *fa, struct frame_stats *st)
{
	memset(st, 0, sizeof(*st));
	for (size_t i = 0; i < fa->nr_pool; i++)
		st->total += fa->pool[i].last - fa->pool[i].start + 1;
	for (size_t i = 0; i < fa->nr_free; i++) {
		uint64_t len = fa->free[i].last - fa->free[i].start + 1;

		st->free += len;
		if (len > st->largest_free)
			st->largest_free = len;
	}
	st->allocations = fa->allocations;
}
