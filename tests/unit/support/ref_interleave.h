/* SPDX-License-Identifier: MIT */
/*
 * A second, plain reading of the CXL interleave rules for the test oracles
 * (planner checker, simulator). It shares no code and no types with
 * cxl/interleave.c on purpose: a misreading there must show up as a
 * disagreement with this file, not be repeated by it.
 *
 * Sources: CXL 3.1 §8.2.4.20.13 (HDM decoder: which target an HPA goes to,
 * and the endpoint's DPA), §9.13.1 and the CFMWS / CXIMS descriptions
 * (§9.18.3, §9.18.4: window-level modulo and XOR, 3/6/12 ways). Linux
 * drivers/cxl/acpi.c (cxl_xor_hpa_to_spa), core/region.c
 * (cxl_calc_interleave_pos) and QEMU hw/cxl/cxl-host.c read the same text.
 */
#ifndef CXLVAL_TEST_REF_INTERLEAVE_H
#define CXLVAL_TEST_REF_INTERLEAVE_H

#include <stdbool.h>
#include <stdint.h>

#define REF_MAX_XORMAPS 4

/* One interleave set: a CFMWS window or one HDM decoder. */
struct ref_set {
	unsigned ways;	      /* 1, 2, 4, 8, 16, 3, 6, 12 */
	unsigned granularity; /* bytes, 256 .. 16384 */
	bool xor_arith;	      /* CFMWS Interleave Arithmetic 1 (windows only) */
	uint64_t xormap[REF_MAX_XORMAPS]; /* CXIMS XORMAP list; the first log2(2^k part of ways) apply */
};

/* Encoded ways (CFMWS ENIW, HDM decoder IW): 1 2 4 8 16 -> 0..4, 3 6 12 -> 8 9 10; else -1. */
int ref_eniw(unsigned ways);
/* The inverse; 0 for a reserved encoding. */
unsigned ref_ways(unsigned eniw);
/* Encoded granularity (HBIG, IG): 256 B << n, n = 0..6; else -1. */
int ref_ig(unsigned granularity);
/* ways and granularity are ones the spec allows. */
bool ref_set_valid(unsigned ways, unsigned granularity);

/*
 * Which entry of the target list receives hpa (an absolute HPA: decoders
 * and the platform look at HPA bits, not at an offset into the set).
 */
unsigned ref_target(const struct ref_set *s, uint64_t hpa);
/* The endpoint decoder: device address offset for an offset into its HPA range. */
uint64_t ref_dpa_offset(unsigned ways, unsigned granularity, uint64_t hpa_offset);

#endif
