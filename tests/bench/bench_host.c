// SPDX-License-Identifier: MIT
/*
 * Host benchmarks of the pure logic, at 1x, 10x and 100x the input, so that
 * growth shows: the address map (build + overlap queries + conflicts), the
 * interleave math per address, the touch planner (probe offsets) and the
 * region planner. Built with -O2 and no sanitizers (make bench-host).
 * Prints one table row per measurement: name, n, total ms, ns per item.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "touch/touch.h"
#include "cxl/interleave.h"
#include "cxl/planner.h"
#include "cxl/topology.h"
#include "mm/addrmap.h"
#include "mm/conflict.h"

#define MIB (1ULL << 20)
#define GIB (1ULL << 30)
#define QUERIES 10000
#define FW_PAGE 4096ULL

static uint64_t rng_state = 0x243f6a8885a308d3ULL;

/* splitmix64: the same inputs on every run. */
static uint64_t rng(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void row(const char *name, unsigned long n, double ms, unsigned long items)
{
	printf("%-34s %8lu %10.3f %10.1f\n", name, n, ms, items ? ms * 1e6 / (double)items : 0.0);
}

static volatile uint64_t sink; /* keeps results alive */

static void count_fn(void *ctx, const struct map_range *r)
{
	(*(uint64_t *)ctx)++;
}

/* n firmware ranges of 1-16 pages with gaps, in address order (as a memory map is) or shuffled. */
/* QUERIES random 256 KiB overlap queries over [0, at). */
static uint64_t time_queries(const struct addrmap *m, uint64_t at, unsigned n, const char *label)
{
	double t0 = now_ms();
	uint64_t hits = 0;

	for (unsigned q = 0; q < QUERIES; q++) {
		uint64_t s = rng() % at;

		addrmap_overlaps(m, s, s + 64 * FW_PAGE, ~0U, count_fn, &hits);
	}
	row(label, n, now_ms() - t0, QUERIES);
	return hits;
}

static void bench_addrmap(unsigned n, bool shuffled)
{
	struct map_range *storage = calloc(n + 16, sizeof(*storage));
	struct map_range *in = calloc(n, sizeof(*in));
	struct addrmap m;
	struct conflict_report *rep = calloc(1, sizeof(*rep));
	uint64_t at = 0, hits = 0;
	double t0;
	char name[64];

	for (unsigned i = 0; i < n; i++) {
		uint64_t pages = 1 + rng() % 16;

		at += (rng() % 4) * FW_PAGE;
		in[i] = (struct map_range){ at, at + pages * FW_PAGE - 1, MAP_FIRMWARE, 7, 0xf, (int)i, 0 };
		at += pages * FW_PAGE;
	}
	for (unsigned i = n; shuffled && i > 1; i--) {
		unsigned j = (unsigned)(rng() % i);
		struct map_range t = in[i - 1];

		in[i - 1] = in[j];
		in[j] = t;
	}
	addrmap_init(&m, storage, n + 16);
	t0 = now_ms();
	for (unsigned i = 0; i < n; i++)
		addrmap_add(&m, &in[i]);
	snprintf(name, sizeof(name), "addrmap build (%s)", shuffled ? "random order" : "address order");
	row(name, n, now_ms() - t0, n);
	if (shuffled)
		goto out;
	/* A window over the middle third: every range there conflicts. */
	addrmap_add_span(&m, MAP_WINDOW, at / 3 & ~(FW_PAGE - 1), at / 3, 0, 0, 0);
	hits += time_queries(&m, at, n, "addrmap overlap query (256 KiB)");
	addrmap_index(&m);
	hits += time_queries(&m, at, n, "addrmap overlap query, indexed");
	t0 = now_ms();
	conflicts_find(&m, rep);
	row("conflicts_find (window over 1/3)", n, now_ms() - t0, n);
	sink += hits + rep->count;
out:
	free(storage);
	free(in);
	free(rep);
}

static void bench_interleave(const char *name, const struct ileave *il, unsigned n)
{
	uint64_t acc = 0, span = 64 * GIB;
	double t0 = now_ms();

	for (unsigned i = 0; i < n; i++) {
		uint64_t off = (rng() % span) & ~63ULL;

		acc += ileave_hpa_to_pos(il, off) + ileave_hpa_to_dpa(il, off);
	}
	row(name, n, now_ms() - t0, n);
	sink += acc;
}

static void bench_probes(uint64_t region, unsigned ways)
{
	static uint64_t offs[TOUCH_MAX_PROBES];
	struct touch_plan tp = { 0, 0, 0x290000000ULL, region, 256, ways, 0, false, 1 };
	double t0 = now_ms();
	size_t n = 0;
	char name[64];

	for (int rep = 0; rep < 10; rep++)
		n = touch_probe_offsets(&tp, offs);
	snprintf(name, sizeof(name), "touch probes %u-way, %llu MiB", ways, (unsigned long long)(region / MIB));
	row(name, n, (now_ms() - t0) / 10, n);
}

/* hbs host bridges with devs root ports and one device each; windows windows over all host bridges. */
static void bench_planner(unsigned hbs, unsigned devs, unsigned windows)
{
	static struct cxl_topology t;
	static struct region_plan plans[CXL_MAX_WINDOWS];
	uint32_t uids[16];
	unsigned planned = 0;
	double t0;
	char name[64];

	cxl_topo_init(&t);
	for (unsigned h = 0; h < hbs; h++) {
		int p = cxl_topo_add_host_bridge(&t, 100 + h, 0x280000000ULL + h * 0x10000);

		uids[h] = 100 + h;
		cxl_topo_alloc_decoders(&t, &t.ports[p].hdm, 4);
		t.ports[p].hdm.nr_targets = 8;
		for (unsigned d = 0; d < devs; d++) {
			int dp = cxl_topo_add_dport(&t, p, (uint8_t)d, (struct cxl_bdf){ 0, (uint8_t)(h * 16 + d), 0, 0 });
			int e = cxl_topo_add_endpoint(&t, dp, (struct cxl_bdf){ 0, (uint8_t)(0x80 + h * 16 + d), 0, 0 },
						      0xfe000000ULL + (h * 16 + d) * 0x10000ULL);

			cxl_topo_alloc_decoders(&t, &t.endpoints[e].hdm, 4);
			t.endpoints[e].hdm.nr_targets = 1;
			t.endpoints[e].persistent_bytes = 4 * GIB;
		}
	}
	for (unsigned w = 0; w < windows; w++) {
		struct cxl_window win = { .base = 0x1000000000ULL + w * 256 * GIB, .size = (uint64_t)hbs * devs * GIB,
					  .ways = hbs, .granularity = 256, .arith = ILEAVE_MODULO, .restrictions = 0xe,
					  .allow_type3 = true, .allow_volatile = true, .allow_persistent = true };

		memcpy(win.target_uid, uids, hbs * sizeof(uids[0]));
		cxl_topo_add_window(&t, &win);
	}
	t0 = now_ms();
	for (int rep = 0; rep < 10; rep++)
		planned = planner_plan_all(&t, plans);
	snprintf(name, sizeof(name), "planner %u HB x %u dev, %u windows", hbs, devs, windows);
	row(name, (unsigned long)hbs * devs, (now_ms() - t0) / 10, windows);
	sink += planned;
}

int main(void)
{
	struct ileave mod2 = { 0, 2, 256, ILEAVE_MODULO, 0, { 0 } };
	struct ileave mod12 = { 0, 12, 1024, ILEAVE_MODULO, 0, { 0 } };

	printf("%-34s %8s %10s %10s\n", "benchmark", "n", "total ms", "ns/item");
	for (unsigned n = 1000; n <= 100000; n *= 10)
		bench_addrmap(n, false);
	for (unsigned n = 1000; n <= 10000; n *= 10)
		bench_addrmap(n, true); /* sorted insert: quadratic in random order; 100k would take ~10 s */
	for (unsigned n = 1000; n <= 100000; n *= 10)
		bench_interleave("interleave hpa->pos,dpa 2-way", &mod2, n * 10);
	for (unsigned n = 1000; n <= 100000; n *= 10)
		bench_interleave("interleave hpa->pos,dpa 12-way", &mod12, n * 10);
	bench_probes(256 * MIB, 2);
	bench_probes(4 * GIB, 4);
	bench_probes(1024 * GIB, 16);
	bench_planner(1, 1, 1);
	bench_planner(2, 4, 2);
	bench_planner(4, 8, 4);
	bench_planner(8, 8, 16);
	return 0;
}
