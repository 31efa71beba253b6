/* SPDX-License-Identifier: MIT */
/*
 * The platform seam (DESIGN.md §3). Everything that touches hardware goes
 * through these functions. Two implementations are linked, never both:
 *   boot/platform_efi.c  - real hardware under UEFI (identity-mapped MMIO)
 *   tests/sim/           - a software CXL fabric for host tests
 * PCI config space is reached through ECAM, i.e. through mmio_read32/write32
 * at the address MCFG gives; the simulator decodes ECAM like real hardware.
 * Component registers are 32-bit only (DESIGN.md §5): plat_mmio_write64 is for the
 * mailbox's 64-bit command register, never for component registers.
 */
#ifndef CXLVAL_PLATFORM_H
#define CXLVAL_PLATFORM_H

#include <stdint.h>
#include <stddef.h>

uint32_t plat_mmio_read32(uint64_t addr);
void plat_mmio_write32(uint64_t addr, uint32_t value);
/* 64-bit MMIO: memory-device (mailbox) registers only, which the spec defines as 64-bit. */
void plat_mmio_write64(uint64_t addr, uint64_t value);

/* Memory behind CXL windows and ordinary RAM, by host physical address. */
uint64_t plat_mem_read64(uint64_t hpa);
void plat_mem_write64(uint64_t hpa, uint64_t value);
/* Write back and invalidate cache lines of [hpa, hpa+len) so reads reach the device. */
void plat_cache_flush(uint64_t hpa, uint64_t len);

/* Monotonic time in nanoseconds; every hardware poll is bounded with it. */
uint64_t plat_timer_ns(void);
/* Busy-wait; used between polls. */
void plat_delay_us(uint32_t us);

/* Map a physical range for reading ACPI tables; NULL if not accessible. */
const void *plat_phys_map(uint64_t phys, uint64_t len);

/*
 * CPU state behind memory types and paging (core/phase_mm.c). Reads only,
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
