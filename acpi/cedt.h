/* SPDX-License-Identifier: MIT */
/*
 * CXL Early Discovery Table (CXL 3.1 §9.18). Every structure's field offsets
 * are defined here, once, relative to the start of the structure.
 */
#ifndef CXLVAL_CEDT_H
#define CXLVAL_CEDT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/diag.h"

/* §9.18.1: every structure starts with type u8, reserved u8, length u16 */
#define CEDT_ST_TYPE 0
#define CEDT_ST_LENGTH 2
#define CEDT_ST_HDR_SIZE 4

enum cedt_type { CEDT_TYPE_CHBS = 0, CEDT_TYPE_CFMWS = 1, CEDT_TYPE_CXIMS = 2, CEDT_TYPE_RDPAS = 3 };

/* §9.18.2 CXL Host Bridge Structure */
#define CHBS_UID 4
#define CHBS_VERSION 8
#define CHBS_RESERVED 12
#define CHBS_BASE 16
#define CHBS_LENGTH 24
#define CHBS_SIZE 32
#define CHBS_VERSION_RCH 0   /* RCRB, 8 KiB */
#define CHBS_VERSION_CHBCR 1 /* host bridge component registers, 64 KiB */
#define CHBS_RCRB_LEN 0x2000ULL
#define CHBS_CHBCR_LEN 0x10000ULL

/* §9.18.3 CXL Fixed Memory Window Structure */
#define CFMWS_RESERVED1 4
#define CFMWS_BASE 8
#define CFMWS_SIZE 16
#define CFMWS_ENIW 24
#define CFMWS_ARITH 25
#define CFMWS_RESERVED2 26
#define CFMWS_HBIG 28
#define CFMWS_RESTRICTIONS 32
#define CFMWS_QTG_ID 34
#define CFMWS_TARGETS 36
#define CFMWS_ARITH_MODULO 0
#define CFMWS_ARITH_XOR 1
#define CFMWS_RESTRICT_TYPE2 0x1
#define CFMWS_RESTRICT_TYPE3 0x2
#define CFMWS_RESTRICT_VOLATILE 0x4
#define CFMWS_RESTRICT_PMEM 0x8
#define CFMWS_RESTRICT_FIXED 0x10
#define CFMWS_ALIGN (256ULL << 20)
#define CFMWS_MAX_ENIW 10 /* 12 ways */
#define CFMWS_MAX_HBIG 6 /* 16 KiB */

/* §9.18.4 CXL XOR Interleave Math Structure */
#define CXIMS_HBIG 6
#define CXIMS_NR_XORMAPS 7
#define CXIMS_XORMAPS 8
#define CXIMS_MAX_XORMAPS 4

/* §9.18.5 RCEC Downstream Port Association Structure */
#define RDPAS_SEGMENT 4
#define RDPAS_BDF 6
#define RDPAS_PROTOCOL 8
#define RDPAS_ADDRESS 9
#define RDPAS_SIZE 17

#define CEDT_MAX_CHBS 32
#define CEDT_MAX_CFMWS 32
#define CEDT_MAX_CXIMS 16
#define CEDT_MAX_RDPAS 32
#define CEDT_MAX_TARGETS 16

struct cedt_where {
	int index;	 /* structure index in the table */
	uint32_t offset; /* byte offset of the structure in the table */
	bool valid;	 /* passed every rule: safe to use */
};

struct cedt_chbs {
	struct cedt_where at;
	uint32_t uid, version;
	uint64_t base, length;
};

struct cedt_cfmws {
	struct cedt_where at;
	uint64_t base, size;
	uint8_t eniw, arithmetic;
	unsigned ways;	      /* decoded from ENIW; 0 when the encoding is invalid */
	uint32_t hbig;	      /* raw */
	uint64_t granularity; /* 256 << HBIG */
	uint16_t restrictions, qtg_id;
	unsigned nr_targets; /* targets read (= ways when the length is right) */
	uint32_t target_uid[CEDT_MAX_TARGETS];
};

struct cedt_cxims {
	struct cedt_where at;
	uint8_t hbig, nr_xormaps;
	uint64_t xormap[CXIMS_MAX_XORMAPS];
};

struct cedt_rdpas {
	struct cedt_where at;
	uint16_t segment, bdf;
	uint8_t protocol;
	uint64_t address;
};

struct cedt {
	uint32_t length;
	bool checksum_ok;
	bool truncated; /* the walk stopped before the end of the table */
	unsigned nr_structures;
	unsigned nr_chbs, nr_cfmws, nr_cxims, nr_rdpas;
	struct cedt_chbs chbs[CEDT_MAX_CHBS];
	struct cedt_cfmws cfmws[CEDT_MAX_CFMWS];
	struct cedt_cxims cxims[CEDT_MAX_CXIMS];
	struct cedt_rdpas rdpas[CEDT_MAX_RDPAS];
};

/*
 * Parses a whole CEDT image (header included). Every violated rule is
 * reported; what passed every rule has at.valid set. Returns 0, or -1 when
 * the image is not a CEDT at all.
 */
int cedt_parse(const void *table, size_t len, struct cedt *out, struct diag_sink *sink);

/* Ways of a CFMWS ENIW (= HDM decoder IW) encoding: 1-16, 3, 6, 12; 0 when the encoding is not valid. */
unsigned cfmws_eniw_to_ways(unsigned eniw);

const struct cedt_chbs *cedt_chbs_by_uid(const struct cedt *c, uint32_t uid);
/* The valid CXIMS an XOR window uses (same HBIG), or NULL. */
const struct cedt_cxims *cedt_cxims_for(const struct cedt *c, const struct cedt_cfmws *w);

#endif
