// SPDX-License-Identifier: MIT
/*
 * libFuzzer: the AML scan for CXL host bridges on arbitrary bytes. libFuzzer
 * hands the input in a heap buffer of exactly its size, so ASan stops any
 * read past it. After the scan, whatever the input (ACPI 6.5 §20.2):
 *  - every host bridge found is a Device op (5B 82) after the 36-byte header
 *    whose package lies inside the input and holds the string "ACPI0016";
 *  - a _UID or _BBN it reports is a Name() of that integer inside the package;
 *  - bridges come in table order, at most cap of them, and a smaller cap
 *    gives a prefix of the same list.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "acpi/dsdt.h"
#include "fuzz/fuzz_invariant.h"

static const uint8_t *in;
static size_t in_len;

/* PkgLength at p (§20.2.4), decoded here; 0 if it runs off the input. */
static size_t package_length(const uint8_t *p, size_t avail, size_t *nbytes)
{
	size_t follow, len;

	if (!avail)
		return 0;
	follow = p[0] >> 6;
	if (follow + 1 > avail)
		return 0;
	len = follow ? p[0] & 0x0f : p[0] & 0x3f;
	for (size_t i = 0; i < follow; i++)
		len |= (size_t)p[1 + i] << (4 + 8 * i);
	*nbytes = follow + 1;
	return len;
}

/* Name(seg, integer) with this value somewhere in [from, to). */
static bool name_holds(const uint8_t *from, const uint8_t *to, const char *seg, uint64_t v)
{
	for (const uint8_t *p = from; p + 6 <= to; p++) {
		static const unsigned width[] = { [0x0a] = 1, [0x0b] = 2, [0x0c] = 4, [0x0e] = 8 };
		const uint8_t *d = p + 5;
		uint64_t got = 0;

		if (p[0] != 0x08 || memcmp(p + 1, seg, 4))
			continue;
		if (*d <= 1)
			got = *d;
		else if (*d >= 0x0a && *d <= 0x0e && *d != 0x0d && (size_t)(to - d) >= 1 + width[*d])
			for (unsigned i = 0; i < width[*d]; i++)
				got |= (uint64_t)d[1 + i] << (8 * i);
		else
			continue;
		if (got == v)
			return true;
	}
	return false;
}

static bool holds_string(const uint8_t *from, const uint8_t *to, const char *s)
{
	size_t n = strlen(s);

	for (const uint8_t *p = from; p + n <= to; p++)
		if (!memcmp(p, s, n))
			return true;
	return false;
}

static void check_bridge(const struct aml_host_bridge *hb, uint32_t prev)
{
	const uint8_t *p, *end;
	size_t nb, len;

	FUZZ_REQUIRE(hb->offset >= 36 && hb->offset + 2 < in_len && hb->offset > prev,
		     "host bridge at offset 0x%x of %zu bytes (previous 0x%x)", hb->offset, in_len, prev);
	p = in + hb->offset;
	FUZZ_REQUIRE(p[0] == 0x5b && p[1] == 0x82, "host bridge at 0x%x is not a Device op", hb->offset);
	len = package_length(p + 2, in_len - hb->offset - 2, &nb);
	FUZZ_REQUIRE(len && len <= in_len - hb->offset - 2, "host bridge at 0x%x: package of %zu bytes", hb->offset,
		     len);
	end = p + 2 + len;
	FUZZ_REQUIRE(holds_string(p, end, "ACPI0016"), "host bridge at 0x%x without ACPI0016", hb->offset);
	FUZZ_REQUIRE(!hb->has_uid || name_holds(p, end, "_UID", hb->uid),
		     "host bridge at 0x%x: _UID %llu (has_uid %d) is not in its package", hb->offset,
		     (unsigned long long)hb->uid, hb->has_uid);
	FUZZ_REQUIRE(!hb->has_bbn || name_holds(p, end, "_BBN", hb->bbn),
		     "host bridge at 0x%x: _BBN %llu (has_bbn %d) is not in its package", hb->offset,
		     (unsigned long long)hb->bbn, hb->has_bbn);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct aml_host_bridge hb[AML_MAX_HOST_BRIDGES], few[2];
	unsigned n = 0, nfew = 0;

	in = data;
	in_len = size;
	aml_find_cxl_host_bridges(data, size, hb, &n, AML_MAX_HOST_BRIDGES);
	FUZZ_REQUIRE(n <= AML_MAX_HOST_BRIDGES, "%u host bridges", n);
	for (unsigned i = 0; i < n; i++)
		check_bridge(&hb[i], i ? hb[i - 1].offset : 0);
	aml_find_cxl_host_bridges(data, size, few, &nfew, 2);
	FUZZ_REQUIRE(nfew == (n < 2 ? n : 2), "cap 2 gives %u of %u", nfew, n);
	for (unsigned i = 0; i < nfew; i++)
		FUZZ_REQUIRE(few[i].offset == hb[i].offset && few[i].has_uid == hb[i].has_uid && few[i].uid == hb[i].uid &&
				     few[i].has_bbn == hb[i].has_bbn && few[i].bbn == hb[i].bbn,
			     "cap 2: bridge %u differs", i);
	return 0;
}
