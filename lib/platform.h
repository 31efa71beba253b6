/* SPDX-License-Identifier: MIT */
/*
 * The platform seam (../shared/DESIGN.md §3). Everything that touches hardware goes
 * through these functions. Two implementations are linked, never both:
 *   boot/platform_efi.c  - real hardware under UEFI (identity-mapped MMIO)
 *   tests/sim/           - a software CXL fabric for host tests
 * PCI config space is reached through ECAM, i.e. through mmio_read32/write32
 * at the address MCFG gives; the simulator decodes ECAM like real hardware.
 * Component registers are 32-bit only (../shared/DESIGN.md §5): plat_mmio_write64 is for the
 * mailbox's 64-bit command register, never for component registers.
 */
#ifndef CXLVAL_PLATFORM_H
#define CXLVAL_PLATFORM_H

#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>

uint32_t plat_mmio_read32(uint64_t addr);
void plat_mmio_write32(uint64_t addr, uint32_t value);
/* 64-bit MMIO: memory-device (mailbox) registers only, which the spec defines as 64-bit. */
void plat_mmio_write64(uint64_t addr, uint64_t value);

/* Memory behind CXL windows and ordinary RAM, by host physical address. */
uint64_t plat_mem_read64(uint64_t hpa);
void plat_mem_write64(uint64_t hpa, uint64_t value);
/*
 * Write back and invalidate cache lines of [hpa, hpa+len) so reads reach the
 * device (clflushopt or clflush, then a fence: these reach every CPU's cache).
 */
void plat_cache_flush(uint64_t hpa, uint64_t len);
/*
 * Write back and invalidate everything every CPU caches (wbinvd on each CPU):
 * cheaper than plat_cache_flush over a range much larger than the caches.
 * Returns how many CPUs did it (a CPU that cannot be reached is left out).
 */
unsigned plat_cache_flush_all(void);
/* For the log: how plat_cache_flush (all false) or plat_cache_flush_all (true) work here. */
const char *plat_cache_flush_method(bool all);

/*
 * Block operations of the touch engine (the hot loops; len is whole 64-byte
 * lines). Line i of [hpa, hpa+len) holds first + i in each of its 8 qwords.
 * Writes reach the device before these return (streaming stores + fence,
 * or stores + cache flush: plat_store_method() names it for the log).
 */
void plat_fill_lines(uint64_t hpa, uint64_t len, uint64_t first);
/* Byte offset of the first qword that differs from that pattern (its value in *observed), or len. */
uint64_t plat_check_lines(uint64_t hpa, uint64_t len, uint64_t first, uint64_t *observed);
/*
 * Save: memory to a buffer. Restore: back with non-temporal stores (no line
 * is read or left in a cache), read back; returns how many qwords differ
 * afterwards. Restore also takes single qwords (len a multiple of 8).
 */
void plat_save(void *dst, uint64_t hpa, uint64_t len);
uint64_t plat_restore(uint64_t hpa, const void *src, uint64_t len);
const char *plat_store_method(void);
/* Benchmark baseline: rep stosq of a nonzero constant over [hpa, hpa+len), then a plain read; returns an XOR of what was read. */
uint64_t plat_raw_fill_read(uint64_t hpa, uint64_t len);

/*
 * Runs fn(args[i], s) on n CPUs (args[0] on this one) for s = 0 .. steps-1;
 * every CPU ends step s before any starts s + 1. The other CPUs may run only
 * code that calls none of firmware, the log or the allocator. came_back[i]
 * is false for a CPU that did not finish within timeout_us; it is not waited
 * for longer. plat_cpu_count() says how many CPUs can take part.
 */
typedef void (*plat_step_fn)(void *arg, unsigned step);
void plat_run_steps(plat_step_fn fn, void *const args[], unsigned n, unsigned steps, uint64_t timeout_us,
		    bool came_back[]);
unsigned plat_cpu_count(void);

/* Monotonic time in nanoseconds; every hardware poll is bounded with it. */
uint64_t plat_timer_ns(void);
/* Busy-wait; used between polls. */
void plat_delay_us(uint32_t us);

/*
 * Work is progressing: re-arm the firmware watchdog (at most every few
 * seconds), so a long full-mode sweep is not mistaken for a hang while a
 * real hang still ends in a reset. Called from the boot CPU only.
 */
void plat_watchdog_kick(void);

/*
 * Conventional memory firmware describes over a window: taken from firmware's
 * allocator before it is touched (UEFI AllocatePages with AllocateAddress),
 * false when firmware already uses part of it; given back afterwards.
 */
bool plat_claim_ram(uint64_t base, uint64_t size);
void plat_release_ram(uint64_t base, uint64_t size);

/* Map a physical range for reading ACPI tables; NULL if not accessible. */
const void *plat_phys_map(uint64_t phys, uint64_t len);

/*
 * CPU state behind memory types and paging (core/phase_paging.c). Reads only,
 * except the pair below: plat_paging_enter loads our page tables and PAT,
 * plat_paging_leave puts firmware's CR3 and PAT back (idempotent; the
 * exception path calls it too).
 */
uint64_t plat_read_msr(uint32_t msr);
void plat_cpuid(uint32_t leaf, uint32_t subleaf, uint32_t regs[4]);
uint64_t plat_read_cr(int n); /* CR3, CR4 */
void plat_paging_enter(uint64_t root, uint64_t pat);
void plat_paging_leave(void);

#endif
