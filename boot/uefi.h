/* SPDX-License-Identifier: MIT */
/* Internal to boot/: the UEFI environment and the boot-side services. */
#ifndef CXLVAL_BOOT_UEFI_H
#define CXLVAL_BOOT_UEFI_H

#include <efi.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

extern EFI_HANDLE efi_image;
extern EFI_SYSTEM_TABLE *efi_st;
extern EFI_BOOT_SERVICES *efi_bs;

void *efi_alloc(size_t size); /* boot-services pool; NULL on failure */
void efi_free(void *p);

/* console.c */
void console_init(void);
void console_write(void *ctx, const char *line, size_t len);
bool console_is_serial(void); /* firmware's ConOut already goes to a UART */
void serial_init(uint16_t port, unsigned baud);
void serial_write(void *ctx, const char *line, size_t len);

/* logfile.c: \cxlval\runs\NNNN\<name> on the volume cxlval was loaded from, a new NNNN per run */
struct logfile;
struct logfile *logfile_create(const CHAR16 *name);
void logfile_write(void *ctx, const char *line, size_t len);
void logfile_flush(void *ctx);
void logfile_close(struct logfile *f);
const CHAR16 *logfile_run_name(void); /* "0001", or NULL when no run folder could be made */
/* Reads \\cxlval\\<name> into buf; returns bytes read, or -1 when there is no such file. */
long logdir_read(const CHAR16 *name, char *buf, size_t cap);

/* platform_efi.c */
void platform_efi_init(void);
/* Arm the firmware watchdog with this timeout now; plat_watchdog_kick (platform_efi.c) re-arms it. */
void platform_watchdog_arm(uint32_t seconds);
uint64_t platform_tsc_hz(void);

/* exceptions.c: our IDT for vectors 0-31 while we run; cleanup runs on a fault */
void idt_install(void (*fault_cleanup)(void));
void idt_restore(void);

/* paging.c: test builds log CR3, IDTR, RFLAGS.IF and PAT as event cpu.state */
void cpu_state_log(const char *when);

/* paging.c: an AP's switch to the tables the BSP runs on, and back */
struct ap_paging {
	bool switched;
	uint64_t cr3, pat;
};
void paging_ap_enter(struct ap_paging *saved);
void paging_ap_leave(const struct ap_paging *saved);

/* mp_efi.c: the APIC ID of the CPU that calls it (x2APIC ID where CPUID leaf 0Bh has one) */
uint32_t mp_apic_id(void);

/* exit.c */
bool running_in_qemu(void);
void qemu_debug_exit(uint8_t status);

#endif
