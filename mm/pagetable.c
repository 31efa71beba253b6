// SPDX-License-Identifier: MIT
/*
 * Page-table builder and walker (see pagetable.h). Levels count down from the
 * root (4 or 5) to 1, the 4 KiB page table; an entry at level L spans
 * 2^(12 + 9(L-1)) bytes and can be a leaf at levels 1-3 (PS set at 2 and 3).
 */
#include "mm/pagetable.h"

#include <string.h>

#include "lib/fmt.h"
#include "mm/memtype.h"

static unsigned pt_index(uint64_t va, unsigned level)
{
	return (unsigned)(va >> (12 + 9 * (level - 1))) & (PT_ENTRIES - 1);
}

static bool is_leaf(uint64_t e, unsigned level)
{
	return level == PT_LEVEL_4K || (level <= PT_LEVEL_1G && (e & PTE_PS));
}

/* The PAT bit moves between 4 KiB and large leaves (Tables 4-18 .. 4-20). */
static uint64_t pat_bit(unsigned level)
{
	return level == PT_LEVEL_4K ? PTE_PAT_4K : PTE_PAT_LARGE;
}

static unsigned leaf_pat_index(uint64_t e, unsigned level)
{
	return (e & PTE_PWT ? 1u : 0u) | (e & PTE_PCD ? 2u : 0u) | (e & pat_bit(level) ? 4u : 0u);
}

/* Leaf address bits: below the page size they are flags (PAT at bit 12) or reserved. */
static uint64_t leaf_addr(uint64_t e, unsigned level)
{
	return e & PTE_ADDR & ~(pt_level_size(level) - 1);
}

int pt_pat_index(uint64_t pat, uint8_t type)
{
	for (unsigned i = 0; i < PAT_ENTRIES; i++)
		if (pat_entry(pat, i) == type)
			return (int)i;
	return -1;
}

bool pt_pat_choose(uint64_t fw_pat, uint8_t used, uint64_t *pat)
{
	static const uint8_t needed[] = { MT_WB, MT_UC, MT_WC };
	uint64_t p = fw_pat;
	int slot = PAT_ENTRIES - 1;

	for (unsigned k = 0; k < ARRAY_SIZE(needed); k++) {
		if (pt_pat_index(p, needed[k]) >= 0)
			continue;
		/* A free slot: firmware's tables do not select it and it holds no type we rely on. */
		while (slot >= 0 && ((used & (1U << slot)) || pat_entry(p, (unsigned)slot) == MT_WB ||
				     pat_entry(p, (unsigned)slot) == MT_UC || pat_entry(p, (unsigned)slot) == MT_WC))
			slot--;
		if (slot < 0)
			return false;
		p = (p & ~(0xffULL << (8 * slot))) | (uint64_t)needed[k] << (8 * slot);
		slot--;
	}
	*pat = p;
	return true;
}

/* ---- builder ---------------------------------------------------------- */

static uint64_t *table(struct pt_builder *b, uint64_t phys)
{
	return b->ops->table(b->ops->ctx, phys);
}

static uint64_t new_table(struct pt_builder *b)
{
	uint64_t f = b->nr_owned < PT_MAX_OWNED ? b->ops->alloc_frame(b->ops->ctx) : 0;

	if (!f || (f & (PT_TABLE_SIZE - 1))) {
		b->failed = true;
		return 0;
	}
	memset(table(b, f), 0, PT_ENTRIES * sizeof(uint64_t));
	b->owned[b->nr_owned++] = f;
	return f;
}

static bool owned(const struct pt_builder *b, uint64_t phys)
{
	for (unsigned i = 0; i < b->nr_owned; i++)
		if (b->owned[i] == phys)
			return true;
	return false;
}

int pt_init(struct pt_builder *b, const struct pt_ops *ops, unsigned levels, unsigned max_leaf, uint64_t pat,
	    uint64_t share_root)
{
	memset(b, 0, sizeof(*b));
	b->ops = ops;
	b->levels = levels == 5 ? 5 : 4;
	b->max_leaf = max_leaf >= PT_LEVEL_1G ? PT_LEVEL_1G : PT_LEVEL_2M;
	b->pat = pat;
	b->root = new_table(b);
	if (!b->root)
		return -1;
	if (share_root)
		memcpy(table(b, b->root), table(b, share_root & CR3_ADDR), PT_ENTRIES * sizeof(uint64_t));
	return 0;
}

/* A table of 512 leaves one level down that map exactly what the large leaf e mapped. */
static uint64_t split(struct pt_builder *b, uint64_t e, unsigned level)
{
	uint64_t t = new_table(b), flags, *child;
	unsigned down = level - 1;

	if (!t)
		return 0;
	child = table(b, t);
	flags = e & ~PTE_ADDR & ~PTE_PS & ~PTE_PAT_LARGE;
	if (e & PTE_PAT_LARGE)
		flags |= pat_bit(down);
	if (down > PT_LEVEL_4K)
		flags |= PTE_PS;
	for (unsigned i = 0; i < PT_ENTRIES; i++)
		child[i] = (leaf_addr(e, level) + i * pt_level_size(down)) | flags;
	return t;
}

/* A copy of someone else's table, so that changing it leaves theirs alone. */
static uint64_t clone(struct pt_builder *b, uint64_t src)
{
	uint64_t t = new_table(b);

	if (t)
		memcpy(table(b, t), table(b, src), PT_ENTRIES * sizeof(uint64_t));
	return t;
}

/* The table below entry *e, made ours (created, split or cloned as needed); 0 on failure. */
static uint64_t own_child(struct pt_builder *b, uint64_t *e, unsigned level)
{
	uint64_t child;

	if (!(*e & PTE_P))
		child = new_table(b);
	else if (is_leaf(*e, level))
		child = split(b, *e, level);
	else if (!owned(b, *e & PTE_ADDR))
		child = clone(b, *e & PTE_ADDR);
	else
		return *e & PTE_ADDR;
	if (!child)
		return 0;
	/* RW on the path: upper-level RW only restricts, the leaves still decide for firmware's pages. */
	*e = child | (*e & PTE_P ? (*e & (PTE_US | PTE_XD)) : 0) | PTE_P | PTE_RW | PTE_A;
	return child;
}

static uint64_t leaf_entry(uint64_t va, unsigned level, int pat_index)
{
	uint64_t e = va | PTE_P | PTE_RW | PTE_A | PTE_D;

	if (level > PT_LEVEL_4K)
		e |= PTE_PS;
	if (pat_index & 1)
		e |= PTE_PWT;
	if (pat_index & 2)
		e |= PTE_PCD;
	if (pat_index & 4)
		e |= pat_bit(level);
	return e;
}

static void map_level(struct pt_builder *b, uint64_t tbl, unsigned level, uint64_t va, uint64_t last,
		      int pat_index)
{
	uint64_t span = pt_level_size(level);

	while (!b->failed) {
		uint64_t *e = &table(b, tbl)[pt_index(va, level)];
		uint64_t entry_last = (va | (span - 1)) < last ? (va | (span - 1)) : last;

		if (level <= b->max_leaf && (va & (span - 1)) == 0 && entry_last - va == span - 1) {
			*e = leaf_entry(va, level, pat_index);
			b->leaves[level]++;
		} else {
			uint64_t child = own_child(b, e, level);

			if (child)
				map_level(b, child, level - 1, va, entry_last, pat_index);
		}
		if (entry_last == last)
			return;
		va = entry_last + 1;
	}
}

int pt_map(struct pt_builder *b, uint64_t phys, uint64_t size, uint8_t type)
{
	int idx = pt_pat_index(b->pat, type);

	if (idx < 0 || !size || (phys | size) & (PT_TABLE_SIZE - 1) || phys + size - 1 < phys)
		b->failed = true;
	if (b->failed)
		return -1;
	map_level(b, b->root, b->levels, phys, phys + size - 1, idx);
	return b->failed ? -1 : 0;
}

/* ---- walker ----------------------------------------------------------- */

void pt_translate(pt_read64_fn rd, void *ctx, uint64_t root, unsigned levels, uint64_t va, struct pt_leaf *out)
{
	uint64_t tbl = root & CR3_ADDR;
	bool writable = true;

	memset(out, 0, sizeof(*out));
	for (unsigned level = levels; level >= PT_LEVEL_4K; level--) {
		uint64_t e = rd(ctx, tbl + 8ULL * pt_index(va, level)), size = pt_level_size(level);

		out->level = level;
		out->va = va & ~(size - 1);
		out->size = size;
		if (!(e & PTE_P))
			return;
		writable &= (e & PTE_RW) != 0;
		if (is_leaf(e, level)) {
			out->present = true;
			out->entry = e;
			out->phys = leaf_addr(e, level) | (va & (size - 1));
			out->pat_index = leaf_pat_index(e, level);
			out->writable = writable;
			return;
		}
		tbl = e & PTE_ADDR;
	}
}

static void account(struct pt_summary *s, const struct pt_leaf *l, uint64_t a, uint64_t end)
{
	if (!l->present) {
		if (!s->unmapped)
			s->first_unmapped = a;
		s->unmapped += end - a + 1;
		return;
	}
	s->mapped += end - a + 1;
	s->last_mapped = end;
	s->page_sizes |= (uint8_t)(1U << l->level);
	s->pat_indices |= (uint8_t)(1U << l->pat_index);
	s->identity &= l->phys == a;
	s->writable &= l->writable;
	s->leaves++;
}

/*
 * One descent over [a, last]: every table entry on the way is read once (a
 * walk from the root per leaf read each upper entry again for every leaf
 * below it: 1 Mi reads for firmware's 1 TiB of 2 MiB pages under OVMF).
 */
static void summarize_level(pt_read64_fn rd, void *ctx, uint64_t tbl, unsigned level, uint64_t a, uint64_t last,
			    bool writable, struct pt_summary *s)
{
	uint64_t size = pt_level_size(level);

	for (;;) {
		uint64_t e = rd(ctx, tbl + 8ULL * pt_index(a, level));
		uint64_t end = (a | (size - 1)) < last ? (a | (size - 1)) : last;
		struct pt_leaf l = { .level = level, .va = a & ~(size - 1), .size = size };

		if (e & PTE_P && !is_leaf(e, level)) {
			summarize_level(rd, ctx, e & PTE_ADDR, level - 1, a, end, writable && (e & PTE_RW), s);
		} else {
			if (e & PTE_P)
				l = (struct pt_leaf){ true, level, l.va, size, leaf_addr(e, level) | (a & (size - 1)), e,
						      leaf_pat_index(e, level), writable && (e & PTE_RW) };
			account(s, &l, a, end);
		}
		if (end == last)
			return;
		a = end + 1;
	}
}

void pt_summarize(pt_read64_fn rd, void *ctx, uint64_t root, unsigned levels, uint64_t start, uint64_t last,
		  struct pt_summary *s)
{
	memset(s, 0, sizeof(*s));
	s->identity = s->writable = true;
	summarize_level(rd, ctx, root & CR3_ADDR, levels, start, last, true, s);
}

int pt_page_sizes_format(uint8_t sizes, char *buf, size_t cap)
{
	static const char *const names[] = { "", "4K", "2M", "1G" };
	int n = 0;

	if (cap)
		buf[0] = '\0';
	for (unsigned level = PT_LEVEL_4K; level <= PT_LEVEL_1G; level++)
		if (sizes & (1U << level) && (size_t)n < cap)
			n += fmt_snprintf(buf + n, cap - (size_t)n, n ? ",%s" : "%s", names[level]);
	return n;
}
