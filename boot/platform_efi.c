// SPDX-License-Identifier: MIT
/*
 * The platform seam (lib/platform.h) on real hardware under UEFI boot
 * services: physical memory and MMIO are identity-mapped by firmware's page
 * tables, and during the CXL phases by ours (boot/paging.c), which keep
 * firmware's mappings and add the windows: an address is a pointer.
 */
#include "lib/platform.h"

#include "boot/portio.h"
#include "boot/uefi.h"

#define WATCHDOG_CODE 0xc1a1
#define WATCHDOG_KICK_NS (5ULL * 1000000000) /* re-arming is a firmware call: not more often */

static uint64_t tsc_khz;
static uint32_t watchdog_seconds;
static uint64_t watchdog_last_ns;

void platform_watchdog_arm(uint32_t seconds)
{
	watchdog_seconds = seconds;
	efi_bs->SetWatchdogTimer(seconds, WATCHDOG_CODE, 0, NULL); /* no timer read: may run before platform_efi_init */
}

void plat_watchdog_kick(void)
{
	uint64_t now = plat_timer_ns();

	if (watchdog_last_ns && now - watchdog_last_ns < WATCHDOG_KICK_NS)
		return;
	watchdog_last_ns = now;
	efi_bs->SetWatchdogTimer(watchdog_seconds, WATCHDOG_CODE, 0, NULL);
}

uint32_t plat_mmio_read32(uint64_t addr)
{
	return *(volatile uint32_t *)(uintptr_t)addr;
}

void plat_mmio_write32(uint64_t addr, uint32_t value)
{
	*(volatile uint32_t *)(uintptr_t)addr = value;
}

void plat_mmio_write64(uint64_t addr, uint64_t value)
{
	*(volatile uint64_t *)(uintptr_t)addr = value;
}

uint64_t plat_mem_read64(uint64_t hpa)
{
	return *(volatile uint64_t *)(uintptr_t)hpa;
}

void plat_mem_write64(uint64_t hpa, uint64_t value)
{
	*(volatile uint64_t *)(uintptr_t)hpa = value;
}

/* The TSC is calibrated once against the firmware's Stall(); fine for timeouts. */
void platform_efi_init(void)
{
	uint64_t t0 = rdtsc();

	efi_bs->Stall(10000);
	tsc_khz = (rdtsc() - t0) / 10;
	if (!tsc_khz)
		tsc_khz = 1;
}

uint64_t platform_tsc_hz(void)
{
	return tsc_khz * 1000;
}

uint64_t plat_timer_ns(void)
{
	uint64_t t = rdtsc();

	return t / tsc_khz * 1000000 + (t % tsc_khz) * 1000000 / tsc_khz;
}

void plat_delay_us(uint32_t us)
{
	uint64_t end = plat_timer_ns() + (uint64_t)us * 1000;

	while (plat_timer_ns() < end)
		__asm__ volatile("pause");
}

bool plat_claim_ram(uint64_t base, uint64_t size)
{
	EFI_PHYSICAL_ADDRESS a = base;

	return efi_bs->AllocatePages(AllocateAddress, EfiLoaderData, size / 4096, &a) == EFI_SUCCESS;
}

void plat_release_ram(uint64_t base, uint64_t size)
{
	efi_bs->FreePages(base, size / 4096);
}

const void *plat_phys_map(uint64_t phys, uint64_t len)
{
	if (!phys || phys + len < phys)
		return NULL;
	return (const void *)(uintptr_t)phys;
}
