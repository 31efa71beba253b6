// SPDX-License-Identifier: MIT
/*
 * The CPU side of the platform seam on the host: MSRs, CPUID leaves and
 * control registers a test sets, and the paging calls recorded instead of
 * done. Nothing is set: no MTRRs, no paging (CR3 = 0).
 */
#include "sim/sim.h"

#include <string.h>

#include "lib/platform.h"

#define SIM_MSRS 64
#define SIM_CPUID 8

static struct { uint32_t msr; uint64_t value; } msrs[SIM_MSRS];
static unsigned nr_msrs;
static struct { uint32_t leaf; uint32_t regs[4]; } leaves[SIM_CPUID];
static unsigned nr_leaves;
static uint64_t crs[5];
static struct sim_paging paging;

void sim_cpu_reset(void)
{
	nr_msrs = nr_leaves = 0;
	memset(crs, 0, sizeof(crs));
	memset(&paging, 0, sizeof(paging));
}

void sim_set_msr(uint32_t msr, uint64_t value)
{
	for (unsigned i = 0; i < nr_msrs; i++)
		if (msrs[i].msr == msr) {
			msrs[i].value = value;
			return;
		}
	if (nr_msrs < SIM_MSRS)
		msrs[nr_msrs].msr = msr, msrs[nr_msrs++].value = value;
}

void sim_set_cpuid(uint32_t leaf, uint32_t eax, uint32_t ebx, uint32_t ecx, uint32_t edx)
{
	if (nr_leaves < SIM_CPUID)
		leaves[nr_leaves].leaf = leaf, memcpy(leaves[nr_leaves++].regs, (uint32_t[4]){ eax, ebx, ecx, edx }, 16);
}

void sim_set_cr(int n, uint64_t value)
{
	if (n >= 0 && n < 5)
		crs[n] = value;
}

const struct sim_paging *sim_paging_state(void)
{
	return &paging;
}

uint64_t plat_read_msr(uint32_t msr)
{
	for (unsigned i = 0; i < nr_msrs; i++)
		if (msrs[i].msr == msr)
			return msrs[i].value;
	return 0;
}

void plat_cpuid(uint32_t leaf, uint32_t subleaf, uint32_t regs[4])
{
	memset(regs, 0, 4 * sizeof(uint32_t));
	for (unsigned i = 0; i < nr_leaves; i++)
		if (leaves[i].leaf == leaf)
			memcpy(regs, leaves[i].regs, 4 * sizeof(uint32_t));
}

uint64_t plat_read_cr(int n)
{
	return n >= 0 && n < 5 ? crs[n] : 0;
}

void plat_paging_enter(uint64_t root, uint64_t pat)
{
	paging.active = true;
	paging.root = root;
	paging.pat = pat;
	paging.enters++;
}

void plat_paging_leave(void)
{
	paging.active = false;
}
