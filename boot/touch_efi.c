// SPDX-License-Identifier: MIT
/*
 * The touch engine's block operations on real hardware (lib/platform.h).
 * Memory is identity-mapped, so an HPA is a pointer. The fill and check
 * loops are in touch/lines.h, shared with the host DRAM benchmark. The
 * cross-check's single words use stores + clflushopt (clflush on CPUs
 * without it).
 * Nothing here calls firmware: these run on every CPU (boot/mp_efi.c).
 */
#include "lib/platform.h"

#include "boot/portio.h"
#include "boot/uefi.h"
#include "touch/lines.h"

#define LINE 64
#define CPUID_EXT_FEATURES 7
#define CPUID7_EBX_CLFLUSHOPT (1U << 23)
#define WBINVD_MAX_CPUS 64	  /* as many as the touch engine drives */
#define WBINVD_TIMEOUT_US 1000000 /* wbinvd takes milliseconds; a CPU not back in 1 s is reported */

void plat_fill_lines(uint64_t hpa, uint64_t len, uint64_t first)
{
	touch_lines_fill((uint64_t *)(uintptr_t)hpa, len, first);
}

uint64_t plat_check_lines(uint64_t hpa, uint64_t len, uint64_t first, uint64_t *observed)
{
	return touch_lines_check((const volatile uint64_t *)(uintptr_t)hpa, len, first, observed);
}

void plat_save(void *dst, uint64_t hpa, uint64_t len)
{
	const volatile uint64_t *s = (const volatile uint64_t *)(uintptr_t)hpa;
	uint64_t *d = dst;

	for (uint64_t q = 0; q < len / 8; q++)
		d[q] = s[q];
}

uint64_t plat_restore(uint64_t hpa, const void *src, uint64_t len)
{
	uint64_t *d = (uint64_t *)(uintptr_t)hpa, bad = 0;
	const uint64_t *s = src;

	for (uint64_t q = 0; q < len / 8; q++)
		touch_stream64(d + q, s[q]);
	touch_store_fence();
	for (uint64_t q = 0; q < len / 8; q++)
		bad += ((const volatile uint64_t *)d)[q] != s[q];
	return bad;
}

uint64_t plat_raw_fill_read(uint64_t hpa, uint64_t len)
{
	return touch_raw_fill_read((void *)(uintptr_t)hpa, len);
}

static bool have_clflushopt(void)
{
	static int known = -1;
	uint32_t r[4];

	if (known < 0) {
		cpuid(0, 0, r);
		known = 0;
		if (r[0] >= CPUID_EXT_FEATURES) {
			cpuid(CPUID_EXT_FEATURES, 0, r);
			known = !!(r[1] & CPUID7_EBX_CLFLUSHOPT);
		}
	}
	return known;
}

const char *plat_store_method(void)
{
	return have_clflushopt() ? "movnti+sfence (words: clflushopt)" : "movnti+sfence (words: clflush)";
}

void plat_cache_flush(uint64_t hpa, uint64_t len)
{
	bool opt = have_clflushopt();

	for (uint64_t p = hpa & ~(uint64_t)(LINE - 1); p < hpa + len; p += LINE) {
		if (opt)
			__asm__ volatile("clflushopt (%0)" : : "r"((uintptr_t)p) : "memory");
		else
			__asm__ volatile("clflush (%0)" : : "r"((uintptr_t)p) : "memory");
	}
	/* clflushopt is ordered by a fence; clflush is already ordered with stores, mfence covers both. */
	__asm__ volatile("mfence" : : : "memory");
}

/* Each worker notes the CPU it ran on: without MP Services the BSP runs them all. */
static void wbinvd_step(void *arg, unsigned step)
{
	__asm__ volatile("wbinvd" : : : "memory");
	*(volatile uint32_t *)arg = mp_apic_id() + 1; /* 0 means "did not run" */
}

/*
 * wbinvd reaches only the caches of the CPU that runs it (and the caches it
 * shares): every CPU that may have touched memory runs it, through the same
 * MP Services path as the touch workers, so the CPUs cxlval uses are exactly
 * the ones flushed. A CPU that does not come back in time is not counted.
 */
unsigned plat_cache_flush_all(void)
{
	static uint32_t ran_on[WBINVD_MAX_CPUS];
	static void *args[WBINVD_MAX_CPUS];
	bool back[WBINVD_MAX_CPUS];
	unsigned n = plat_cpu_count(), done = 0;

	if (n > WBINVD_MAX_CPUS)
		n = WBINVD_MAX_CPUS;
	for (unsigned i = 0; i < n; i++) {
		ran_on[i] = 0;
		args[i] = &ran_on[i];
	}
	plat_run_steps(wbinvd_step, args, n, 1, WBINVD_TIMEOUT_US, back);
	/* Distinct CPUs that came back. */
	for (unsigned i = 0; i < n; i++) {
		bool seen = !back[i] || !ran_on[i];

		for (unsigned k = 0; k < i && !seen; k++)
			seen = back[k] && ran_on[k] == ran_on[i];
		done += !seen;
	}
	return done;
}

const char *plat_cache_flush_method(bool all)
{
	if (all)
		return "wbinvd_all_cpus";
	return have_clflushopt() ? "clflushopt" : "clflush";
}
