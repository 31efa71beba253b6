/* SPDX-License-Identifier: MIT */
/*
 * x86-64 page tables, pure C (Intel SDM Vol. 3A §4.5: 4-level and 5-level
 * paging). A builder for identity-mapped tables of our own, and a walker for
 * anybody's tables. Tables are reached through callbacks so the same code
 * runs on firmware's identity map and on a simulated physical memory in host
 * tests.
 *
 * The builder can start from firmware's tables: it copies firmware's top
 * table and shares everything below it; a table on the way to a new mapping
 * is cloned before it is changed and a large page in the way is split. So
 * firmware's mappings stay exactly as firmware made them, and firmware's own
 * tables are never written.
 */
#ifndef CXLVAL_PAGETABLE_H
#define CXLVAL_PAGETABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/bits.h"

/* Paging-structure entries (SDM §4.5.5, Tables 4-15 .. 4-20). */
#define PTE_P BIT_ULL(0)
#define PTE_RW BIT_ULL(1)
#define PTE_US BIT_ULL(2)
#define PTE_PWT BIT_ULL(3)
#define PTE_PCD BIT_ULL(4)
#define PTE_A BIT_ULL(5)
#define PTE_D BIT_ULL(6)
#define PTE_PS BIT_ULL(7)	 /* PDPTE / PDE: the entry maps a 1 GiB / 2 MiB page */
#define PTE_PAT_4K BIT_ULL(7)	 /* PTE: PAT index bit 2 */
#define PTE_G BIT_ULL(8)
#define PTE_PAT_LARGE BIT_ULL(12) /* 1 GiB / 2 MiB pages: PAT index bit 2 */
#define PTE_XD BIT_ULL(63)
#define PTE_ADDR GENMASK_ULL(51, 12)
/* CPUID.80000001H:EDX.Page1GB (§4.1.4): 1 GiB pages. */
#define CPUID_80000001_EDX_PAGE1GB BIT(26)
/* CR3 (§4.5.2) and CR4 bits (§2.5). */
#define CR3_ADDR GENMASK_ULL(51, 12)
#define CR4_PGE BIT_ULL(7)
#define CR4_LA57 BIT_ULL(12)

#define PT_ENTRIES 512
#define PT_TABLE_SIZE 4096ULL
#define PT_LEVEL_4K 1
#define PT_LEVEL_2M 2
#define PT_LEVEL_1G 3
#define PT_MAX_OWNED 1024

/* The paging level's page size: 4 KiB at level 1, 2 MiB at 2, 1 GiB at 3 (and the span of an entry above). */
static inline uint64_t pt_level_size(unsigned level)
{
	return 1ULL << (12 + 9 * (level - 1));
}

struct pt_ops {
	uint64_t (*alloc_frame)(void *ctx);	     /* a 4 KiB frame's physical address, 0 when none is left */
	uint64_t *(*table)(void *ctx, uint64_t phys); /* the 512 entries of the table at phys */
	void *ctx;
};

struct pt_builder {
	const struct pt_ops *ops;
	unsigned levels;   /* 4, or 5 with CR4.LA57 */
	unsigned max_leaf; /* the largest page used: PT_LEVEL_2M, or PT_LEVEL_1G where the CPU has 1 GiB pages */
	uint64_t pat;	   /* the PAT these tables run with: leaf bits select its entries */
	uint64_t root;
	uint64_t owned[PT_MAX_OWNED]; /* tables we made; every other table is firmware's and only read */
	unsigned nr_owned;
	uint64_t leaves[PT_LEVEL_1G + 1]; /* leaf entries written, by level */
	bool failed;			  /* out of frames, or a type the PAT cannot express */
};

/* An empty root, or a copy of share_root's entries (share_root != 0). Returns -1 without a frame. */
int pt_init(struct pt_builder *b, const struct pt_ops *ops, unsigned levels, unsigned max_leaf, uint64_t pat,
	    uint64_t share_root);
/* Identity-maps [phys, phys+size) read-write with memory type type (enum memtype), over whatever was there. */
int pt_map(struct pt_builder *b, uint64_t phys, uint64_t size, uint8_t type);

/* The PAT index (0-7) holding type, or -1. */
int pt_pat_index(uint64_t pat, uint8_t type);
/*
 * firmware's PAT with WB, UC and WC present, each missing one put into an
 * entry firmware's tables do not use (used: bit i = PAT index i in use), from
 * index 7 down. Returns false when no free entry is left.
 */
bool pt_pat_choose(uint64_t fw_pat, uint8_t used, uint64_t *pat);

/* The walker reads 8-byte entries by physical address. */
typedef uint64_t (*pt_read64_fn)(void *ctx, uint64_t phys);

struct pt_leaf {
	bool present;
	unsigned level;	   /* of the leaf, or where the walk found nothing */
	uint64_t va, size; /* the page (or the absent span) holding the address */
	uint64_t phys;	   /* translation of the address */
	uint64_t entry;	   /* the raw leaf entry */
	unsigned pat_index;
	bool writable;	   /* RW set at every level */
};

void pt_translate(pt_read64_fn rd, void *ctx, uint64_t root, unsigned levels, uint64_t va, struct pt_leaf *out);

/* What a walk over [start, last] found. */
struct pt_summary {
	uint64_t mapped, unmapped; /* bytes */
	uint64_t first_unmapped, last_mapped;
	uint8_t page_sizes;   /* bit level: 1 4 KiB, 2 2 MiB, 3 1 GiB */
	uint8_t pat_indices;  /* bit i: PAT index i seen */
	bool identity;	      /* every mapped byte maps to itself */
	bool writable;	      /* every mapped byte is writable */
	uint64_t leaves;
};

void pt_summarize(pt_read64_fn rd, void *ctx, uint64_t root, unsigned levels, uint64_t start, uint64_t last,
		  struct pt_summary *s);

/* "4K,2M,1G" from a page_sizes mask. */
int pt_page_sizes_format(uint8_t sizes, char *buf, size_t cap);

#endif
