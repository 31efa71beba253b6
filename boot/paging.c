// SPDX-License-Identifier: MIT
/*
 * The CPU half of the platform seam: MSR and CPUID reads, control registers,
 * and switching between firmware's page tables and ours. Firmware's CR3 and
 * PAT are saved when ours go in and put back by plat_paging_leave, which the
 * end of the run and the exception path both call.
 */
#include "boot/uefi.h"

#include "boot/portio.h"
#include "core/log.h"
#include "lib/platform.h"
#include "mm/memtype.h"
#include "mm/pagetable.h"

#define RFLAGS_IF (1ULL << 9) /* SDM Vol. 1 §3.4.3.3 */

static bool ours_active;
static uint64_t fw_cr3, fw_pat;
static uint64_t our_cr3, our_pat; /* what APs load for a sweep while ours are active */

uint64_t plat_read_msr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return (uint64_t)hi << 32 | lo;
}

static void write_msr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)) : "memory");
}

void plat_cpuid(uint32_t leaf, uint32_t subleaf, uint32_t regs[4])
{
	cpuid(leaf, subleaf, regs);
}

uint64_t plat_read_cr(int n)
{
	uint64_t v = 0;

	if (n == 3)
		__asm__ volatile("mov %%cr3, %0" : "=r"(v));
	else if (n == 4)
		__asm__ volatile("mov %%cr4, %0" : "=r"(v));
	return v;
}

/* Loading CR3 flushes the TLB except global entries; toggling CR4.PGE flushes those too (SDM §4.10.4.1). */
static void load_cr3(uint64_t cr3)
{
	uint64_t cr4 = plat_read_cr(4);

	__asm__ volatile("mov %0, %%cr3" : : "r"(cr3) : "memory");
	if (cr4 & CR4_PGE) {
		__asm__ volatile("mov %0, %%cr4" : : "r"(cr4 & ~CR4_PGE) : "memory");
		__asm__ volatile("mov %0, %%cr4" : : "r"(cr4) : "memory");
	}
}

/* PAT changes take effect for new TLB fills: written before the CR3 load that flushes (SDM §12.12.4). */
void plat_paging_enter(uint64_t root, uint64_t pat)
{
	if (ours_active)
		return;
	fw_cr3 = plat_read_cr(3);
	fw_pat = plat_read_msr(MSR_PAT);
	our_cr3 = root & CR3_ADDR;
	our_pat = pat;
	ours_active = true;
	if (pat != fw_pat)
		write_msr(MSR_PAT, pat);
	load_cr3(root & CR3_ADDR);
}

void plat_paging_leave(void)
{
	if (!ours_active)
		return;
	if (plat_read_msr(MSR_PAT) != fw_pat)
		write_msr(MSR_PAT, fw_pat);
	load_cr3(fw_cr3);
	ours_active = false;
}

/*
 * An AP runs a sweep on the tables the BSP runs on: a window firmware's
 * tables leave out is mapped only in ours. No firmware call happens on the
 * AP in between, and its own CR3 and PAT go back before it returns.
 */
void paging_ap_enter(struct ap_paging *saved)
{
	saved->switched = ours_active;
	if (!saved->switched)
		return;
	saved->cr3 = plat_read_cr(3);
	saved->pat = plat_read_msr(MSR_PAT);
	if (our_pat != saved->pat)
		write_msr(MSR_PAT, our_pat);
	load_cr3(our_cr3);
}

void paging_ap_leave(const struct ap_paging *saved)
{
	if (!saved->switched)
		return;
	if (plat_read_msr(MSR_PAT) != saved->pat)
		write_msr(MSR_PAT, saved->pat);
	load_cr3(saved->cr3);
}

/* Test builds: the CPU state firmware handed over, and what we hand back, for the integration test to compare. */
void cpu_state_log(const char *when)
{
#ifdef CXLVAL_TEST_HOOKS
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) idtr;
	uint64_t rflags;
	struct log_event ev;

	__asm__ volatile("sidt %0" : "=m"(idtr));
	__asm__ volatile("pushfq; pop %0" : "=r"(rflags));
	log_begin(&ev, LOG_INFO, "cpu.state");
	log_str(&ev, "when", when);
	log_hex(&ev, "cr3", plat_read_cr(3));
	log_hex(&ev, "idtr_base", idtr.base);
	log_hex(&ev, "idtr_limit", idtr.limit);
	log_bool(&ev, "interrupts", (rflags & RFLAGS_IF) != 0);
	log_hex(&ev, "pat", plat_read_msr(MSR_PAT));
	log_end(&ev);
#else
	(void)when;
#endif
}
