// SPDX-License-Identifier: MIT
/*
 * A write-back CPU cache in front of the simulated fabric (tests/sim/sim.h).
 * It is what makes missing cache maintenance visible on the host: a line
 * cached under one decoder configuration is written back, or read, under
 * another one unless the code flushed it in between. QEMU under TCG models
 * no cache, so these mistakes show nowhere else.
 */
#include <string.h>

#include "lib/platform.h"
#include "sim/sim.h"

#define LINE 64ULL
#define QWORDS 8

struct cline {
	bool valid, dirty;
	uint64_t hpa; /* line address */
	uint64_t q[QWORDS];
};

static struct cline lines[SIM_CACHE_LINES];
static bool enabled = true;
static struct sim_cache_stats stats;

void sim_cache_reset(void)
{
	memset(lines, 0, sizeof(lines));
	memset(&stats, 0, sizeof(stats));
	enabled = true;
}

void sim_cache_enable(bool on)
{
	enabled = on;
}

const struct sim_cache_stats *sim_cache_stats(void)
{
	return &stats;
}

static struct cline *slot(uint64_t line)
{
	return &lines[(line / LINE) % SIM_CACHE_LINES];
}

/* Write back (if dirty) and drop: the decoders of this moment decide where the data goes. */
static void evict(struct cline *c)
{
	if (c->valid && c->dirty) {
		for (unsigned i = 0; i < QWORDS; i++)
			sim_mem_write64_uncached(c->hpa + 8 * i, c->q[i]);
		stats.writebacks++;
	}
	c->valid = c->dirty = false;
}

static struct cline *fill(uint64_t hpa)
{
	uint64_t line = hpa & ~(LINE - 1);
	struct cline *c = slot(line);

	if (c->valid && c->hpa == line)
		return c;
	if (c->valid)
		stats.evictions++;
	evict(c);
	c->valid = true;
	c->hpa = line;
	for (unsigned i = 0; i < QWORDS; i++)
		c->q[i] = sim_mem_read64_uncached(line + 8 * i);
	return c;
}

bool sim_cache_holds(uint64_t hpa, bool *dirty)
{
	const struct cline *c = slot(hpa & ~(LINE - 1));
	bool held = c->valid && c->hpa == (hpa & ~(LINE - 1));

	if (dirty)
		*dirty = held && c->dirty;
	return held;
}

uint64_t plat_mem_read64(uint64_t hpa)
{
	if (!enabled)
		return sim_mem_read64_uncached(hpa);
	return fill(hpa)->q[(hpa % LINE) / 8];
}

void plat_mem_write64(uint64_t hpa, uint64_t value)
{
	struct cline *c;

	if (!enabled) {
		sim_mem_write64_uncached(hpa, value);
		return;
	}
	c = fill(hpa);
	c->q[(hpa % LINE) / 8] = value;
	c->dirty = true;
}

void sim_mem_write64_nt(uint64_t hpa, uint64_t value)
{
	struct cline *c = slot(hpa & ~(LINE - 1));

	if (c->valid && c->hpa == (hpa & ~(LINE - 1)))
		evict(c);
	sim_mem_write64_uncached(hpa, value);
}

void plat_cache_flush(uint64_t hpa, uint64_t len)
{
	stats.flush_range_calls++;
	if (len / LINE > SIM_CACHE_LINES) { /* the same lines, found the quick way */
		for (unsigned i = 0; i < SIM_CACHE_LINES; i++)
			if (lines[i].valid && lines[i].hpa + LINE > hpa && lines[i].hpa < hpa + len)
				evict(&lines[i]);
		return;
	}
	for (uint64_t line = hpa & ~(LINE - 1); line < hpa + len; line += LINE) {
		struct cline *c = slot(line);

		if (c->valid && c->hpa == line)
			evict(c);
	}
}

unsigned plat_cache_flush_all(void)
{
	stats.flush_all_calls++;
	for (unsigned i = 0; i < SIM_CACHE_LINES; i++)
		evict(&lines[i]);
	return plat_cpu_count();
}

const char *plat_cache_flush_method(bool all)
{
	return all ? "sim_all" : "sim_range";
}
