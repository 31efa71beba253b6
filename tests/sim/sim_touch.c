// SPDX-License-Identifier: MIT
/*
 * The simulator's side of the touch engine's seam: block operations built on
 * the simulated memory (so every qword is routed through the simulated
 * decoders): reads through the cache model, fills and restores with
 * non-temporal stores as boot/touch_efi.c does them, and "CPUs" that run their steps one after another in lock step.
 * A knob makes one CPU never come back, as a hung AP would.
 */
#include <string.h>

#include "lib/platform.h"
#include "sim/sim.h"

#define LINE 64
#define QWORDS_PER_LINE 8

static unsigned nr_cpus = 1;
static int hung_cpu = -1;

void sim_set_cpus(unsigned n, int hung)
{
	nr_cpus = n ? n : 1;
	hung_cpu = hung;
}

unsigned plat_cpu_count(void)
{
	return nr_cpus;
}

void plat_fill_lines(uint64_t hpa, uint64_t len, uint64_t first)
{
	for (uint64_t off = 0; off < len; off += 8)
		sim_mem_write64_nt(hpa + off, first + off / LINE);
}

uint64_t plat_check_lines(uint64_t hpa, uint64_t len, uint64_t first, uint64_t *observed)
{
	for (uint64_t off = 0; off < len; off += 8) {
		uint64_t v = plat_mem_read64(hpa + off);

		if (v != first + off / LINE) {
			*observed = v;
			return off;
		}
	}
	return len;
}

void plat_save(void *dst, uint64_t hpa, uint64_t len)
{
	for (uint64_t off = 0; off < len; off += 8) {
		uint64_t v = plat_mem_read64(hpa + off);

		memcpy((uint8_t *)dst + off, &v, sizeof(v));
	}
}

uint64_t plat_restore(uint64_t hpa, const void *src, uint64_t len)
{
	uint64_t bad = 0;

	for (uint64_t off = 0; off < len; off += 8) {
		uint64_t v;

		memcpy(&v, (const uint8_t *)src + off, sizeof(v));
		sim_mem_write64_nt(hpa + off, v);
	}
	for (uint64_t off = 0; off < len; off += 8) {
		uint64_t v;

		memcpy(&v, (const uint8_t *)src + off, sizeof(v));
		bad += plat_mem_read64(hpa + off) != v;
	}
	return bad;
}

uint64_t plat_raw_fill_read(uint64_t hpa, uint64_t len)
{
	uint64_t x = 0;

	for (uint64_t off = 0; off < len; off += 8)
		plat_mem_write64(hpa + off, 0);
	for (uint64_t off = 0; off < len; off += 8)
		x ^= plat_mem_read64(hpa + off);
	return x;
}

const char *plat_store_method(void)
{
	return "sim";
}

void plat_run_steps(plat_step_fn fn, void *const args[], unsigned n, unsigned steps, uint64_t timeout_us,
		    bool came_back[])
{
	for (unsigned i = 0; i < n; i++)
		came_back[i] = (int)i != hung_cpu;
	for (unsigned s = 0; s < steps; s++)
		for (unsigned i = 0; i < n; i++)
			if (came_back[i])
				fn(args[i], s);
}
