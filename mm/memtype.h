/* SPDX-License-Identifier: MIT */
/*
 * Memory types from the MTRRs and the PAT (Intel SDM Vol. 3A §12.11, §12.12;
 * numbering of the 2023 editions, §11.11/§11.12 in older ones). Pure C: the
 * register values come in a struct (boot reads the MSRs through the platform
 * seam), the decoder says which type every byte of a physical range gets and
 * which MTRR decided it.
 */
#ifndef CXLVAL_MEMTYPE_H
#define CXLVAL_MEMTYPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/bits.h"

/* SDM §12.11.1, §12.12.2: the type encodings shared by MTRRs and PAT entries. */
enum memtype {
	MT_UC = 0,
	MT_WC = 1,
	MT_WT = 4,
	MT_WP = 5,
	MT_WB = 6,
	MT_UC_MINUS = 7, /* PAT only */
	MT_UNDEFINED = 0xff, /* overlapping variable MTRRs of incompatible types (§12.11.4.1) */
};

/* MSR addresses (SDM Vol. 4, Table 2-2). */
#define MSR_MTRRCAP 0xfe
#define MSR_MTRR_PHYSBASE(n) (0x200u + 2u * (n))
#define MSR_MTRR_PHYSMASK(n) (0x201u + 2u * (n))
#define MSR_MTRR_FIX64K_00000 0x250
#define MSR_MTRR_FIX16K_80000 0x258
#define MSR_MTRR_FIX16K_A0000 0x259
#define MSR_MTRR_FIX4K_C0000 0x268 /* .. 0x26f: C0000, C8000, ... F8000 */
#define MSR_PAT 0x277
#define MSR_MTRR_DEF_TYPE 0x2ff

/* CPUID (SDM Vol. 2A, CPUID): MTRR and PAT support, MAXPHYADDR. */
#define CPUID_01_EDX_MTRR BIT(12)
#define CPUID_01_EDX_PAT BIT(16)
#define CPUID_80000008_EAX_PHYS_BITS GENMASK(7, 0)

/* IA32_MTRRCAP (§12.11.1). */
#define MTRRCAP_VCNT GENMASK_ULL(7, 0)
#define MTRRCAP_FIX BIT_ULL(8)
#define MTRRCAP_WC BIT_ULL(10)
/* IA32_MTRR_DEF_TYPE (§12.11.2.1). */
#define MTRR_DEF_TYPE_TYPE GENMASK_ULL(7, 0)
#define MTRR_DEF_TYPE_FE BIT_ULL(10)
#define MTRR_DEF_TYPE_E BIT_ULL(11)
/* IA32_MTRR_PHYSBASEn / PHYSMASKn (§12.11.2.3); address bits end at MAXPHYADDR-1. */
#define MTRR_PHYSBASE_TYPE GENMASK_ULL(7, 0)
#define MTRR_PHYS_ADDR GENMASK_ULL(51, 12)
#define MTRR_PHYSMASK_VALID BIT_ULL(11)
/* IA32_PAT (§12.12.2): eight 8-bit entries, type in the low 3 bits of each. */
#define PAT_ENTRY_TYPE 0x7ULL
#define PAT_ENTRIES 8
/* The PAT value after reset (§12.12.2, Table 12-12): WB WT UC- UC, twice. */
#define PAT_POWER_ON 0x0007040600070406ULL

#define MTRR_MAX_VAR 32		/* VCNT is 8 bits; real CPUs have 8-10, we keep 32 */
#define MTRR_NR_FIXED 11	/* one 64K, two 16K, eight 4K registers */
#define MTRR_FIXED_LIMIT 0x100000ULL

struct mtrr_state {
	bool supported;     /* CPUID.01H:EDX.MTRR */
	unsigned phys_bits; /* MAXPHYADDR, CPUID.80000008H:EAX[7:0] */
	uint64_t cap, def_type;
	uint64_t fixed[MTRR_NR_FIXED]; /* in MSR order: 0x250, 0x258, 0x259, 0x268..0x26f */
	uint64_t base[MTRR_MAX_VAR], mask[MTRR_MAX_VAR];
	uint64_t pat;
};

/* The MSR a fixed[] slot comes from. */
uint32_t mtrr_fixed_msr(unsigned slot);

/* What decided a piece's type. */
enum memtype_source {
	MTS_NO_MTRRS,  /* the CPU has none: no MTRR restriction (reported as WB) */
	MTS_DISABLED,  /* MTRRdefType.E = 0: everything UC */
	MTS_FIXED,     /* a fixed-range MTRR (below 1 MiB) */
	MTS_VARIABLE,  /* one or more variable MTRRs */
	MTS_DEFAULT,   /* no variable MTRR matched: MTRRdefType.Type */
};

struct memtype_piece {
	uint64_t start, last; /* inclusive */
	uint8_t type;	      /* enum memtype */
	enum memtype_source source;
	uint32_t var_mask;    /* MTS_VARIABLE: the variable MTRRs that match */
	uint64_t fixed_base;  /* MTS_FIXED: first byte of the fixed range entry */
};

/* Variable MTRR n as an inclusive range; false if invalid or its mask is not contiguous. */
bool mtrr_var_range(const struct mtrr_state *s, unsigned n, uint64_t *start, uint64_t *last);
/* Valid variable MTRRs whose mask has holes: the decoder ignores them; callers report them. */
uint32_t mtrr_irregular(const struct mtrr_state *s);
unsigned mtrr_var_count(const struct mtrr_state *s);

/*
 * Splits [start, last] into pieces of one MTRR type and one source each, in
 * address order. Returns the number of pieces (it may exceed cap; only cap are
 * stored).
 */
size_t memtype_decode(const struct mtrr_state *s, uint64_t start, uint64_t last, struct memtype_piece *out,
		      size_t cap);

/* Effective type of an access from an MTRR type and a PAT type (SDM Table 12-7). */
uint8_t memtype_combine(uint8_t mtrr, uint8_t pat);
uint8_t pat_entry(uint64_t pat, unsigned index);

/* "uc", "wc", "wt", "wp", "wb", "uc-", "undefined". */
const char *memtype_name(uint8_t type);
/* "default type", "variable MTRR 3", "variable MTRRs 1,3", "fixed 0xC0000", ... */
int memtype_source_format(const struct memtype_piece *p, char *buf, size_t cap);

#endif
