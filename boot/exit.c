// SPDX-License-Identifier: MIT
#include <string.h>

#include "boot/portio.h"
#include "boot/uefi.h"

#define QEMU_DEBUG_EXIT_PORT 0xf4

/*
 * isa-debug-exit is only written under QEMU: on a real server port 0xf4 may
 * belong to something else. CPUID leaf 0x40000000 names the hypervisor.
 */
bool running_in_qemu(void)
{
	uint32_t r[4];
	char vendor[13];

	cpuid(1, 0, r);
	if (!(r[2] & (1U << 31)))
		return false;
	cpuid(0x40000000, 0, r);
	memcpy(vendor, &r[1], 4);
	memcpy(vendor + 4, &r[2], 4);
	memcpy(vendor + 8, &r[3], 4);
	vendor[12] = '\0';
	return !strcmp(vendor, "TCGTCGTCGTCG") || !strcmp(vendor, "KVMKVMKVM");
}

void qemu_debug_exit(uint8_t status)
{
	outb(QEMU_DEBUG_EXIT_PORT, status);
}
