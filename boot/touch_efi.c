// SPDX-License-Identifier: MIT
/*
 * The touch engine's hot loops on real hardware (lib/platform.h). Memory is
 * identity-mapped, so an HPA is a pointer. Tags go out as non-temporal
 * stores (movnti): they bypass the caches and do not read the line first,
 * and after the sfence they have reached the device, so the read-back that
 * follows comes from the device and not from a cache. The cross-check's
 * single words use stores + clflushopt (clflush on CPUs without it).
 * Nothing here calls firmware: these run on every CPU (boot/mp_efi.c).
 */
#include "lib/platform.h"

#include "boot/portio.h"
#include "boot/uefi.h"

#define LINE 64
#define QWORDS_PER_LINE 8
#define CPUID_EXT_FEATURES 7
#define CPUID7_EBX_CLFLUSHOPT (1U << 23)
#define WBINVD_MAX_CPUS 64	  /* as many as the touch engine drives */
#define WBINVD_TIMEOUT_US 1000000 /* wbinvd takes milliseconds; a CPU not back in 1 s is reported */

static inline void stream64(uint64_t *p, uint64_t v)
{
	__asm__ volatile("movnti %1, %0" : "=m"(*p) : "r"(v));
}

static inline void store_fence(void)
{
	__asm__ volatile("sfence" : : : "memory");
}

void plat_fill_lines(uint64_t hpa, uint64_t len, uint64_t first)
{
	uint64_t *p = (uint64_t *)(uintptr_t)hpa, *end = p + len / 8;

	for (uint64_t v = first; p < end; p += QWORDS_PER_LINE, v++) {
		stream64(p + 0, v);
		stream64(p + 1, v);
		stream64(p + 2, v);
		stream64(p + 3, v);
		stream64(p + 4, v);
		stream64(p + 5, v);
		stream64(p + 6, v);
		stream64(p + 7, v);
	}
	store_fence();
}

uint64_t plat_check_lines(uint64_t hpa, uint64_t len, uint64_t first, uint64_t *observed)
{
	const volatile uint64_t *p = (const volatile uint64_t *)(uintptr_t)hpa;

	for (uint64_t q = 0, v = first; q < len / 8; q += QWORDS_PER_LINE, v++) {
		uint64_t diff = (p[q] ^ v) | (p[q + 1] ^ v) | (p[q + 2] ^ v) | (p[q + 3] ^ v) | (p[q + 4] ^ v) |
				(p[q + 5] ^ v) | (p[q + 6] ^ v) | (p[q + 7] ^ v);

		if (!diff)
			continue;
		/* Rare: find the word again (a second read; the first wrong value is the one reported). */
		for (unsigned i = 0; i < QWORDS_PER_LINE; i++)
			if (p[q + i] != v) {
				*observed = p[q + i];
				return (q + i) * 8;
			}
	}
	return len;
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
		stream64(d + q, s[q]);
	store_fence();
	for (uint64_t q = 0; q < len / 8; q++)
		bad += ((const volatile uint64_t *)d)[q] != s[q];
	return bad;
}

/* The baseline a firmware engineer would write: one rep stosq, then one read per qword. */
uint64_t plat_raw_fill_read(uint64_t hpa, uint64_t len)
{
	void *dst = (void *)(uintptr_t)hpa;
	uint64_t count = len / 8, x = 0;
	const volatile uint64_t *p = (const volatile uint64_t *)(uintptr_t)hpa;

	__asm__ volatile("rep stosq" : "+D"(dst), "+c"(count) : "a"(0ULL) : "memory");
	for (uint64_t q = 0; q < len / 8; q++)
		x ^= p[q];
	return x;
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
