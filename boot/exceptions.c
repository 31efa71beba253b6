// SPDX-License-Identifier: MIT
/*
 * Our IDT for vectors 0-31 while cxlval runs. Firmware's entries for the other
 * vectors (its timer, for one) are copied so boot services keep working; the
 * firmware IDT is put back before we return. A fault is reported everywhere
 * we can be heard, the log is flushed, and the run ends with its own status.
 */
#include "boot/uefi.h"

#include <string.h>

#include "core/log.h"
#include "lib/platform.h"
#include "lib/status.h"

struct exception_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error_code;
	uint64_t rip, cs, rflags, rsp, ss; /* pushed by the CPU */
};

struct idt_gate {
	uint16_t offset_lo, selector;
	uint8_t ist, type_attr;
	uint16_t offset_mid;
	uint32_t offset_hi, reserved;
} __attribute__((packed));

struct idtr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

#define IDT_ENTRIES 256
#define GATE_INTERRUPT_PRESENT 0x8e

extern const uint64_t isr_stub_table[32];
void exception_dispatch(struct exception_frame *f);

static struct idt_gate idt[IDT_ENTRIES] __attribute__((aligned(16)));
static struct idtr firmware_idtr;
static bool installed;
static void (*on_fault)(void);

static const char *const vector_names[32] = {
	"#DE divide error", "#DB debug", "NMI", "#BP breakpoint", "#OF overflow", "#BR bound range",
	"#UD invalid opcode", "#NM device not available", "#DF double fault", "coprocessor overrun",
	"#TS invalid TSS", "#NP segment not present", "#SS stack fault", "#GP general protection",
	"#PF page fault", "reserved 15", "#MF x87 error", "#AC alignment check", "#MC machine check",
	"#XM SIMD error", "#VE virtualization", "#CP control protection", "reserved 22", "reserved 23",
	"reserved 24", "reserved 25", "reserved 26", "reserved 27", "#HV hypervisor injection",
	"#VC VMM communication", "#SX security", "reserved 31",
};

static uint64_t read_cr(int n)
{
	uint64_t v = 0;

	switch (n) {
	case 0: __asm__ volatile("mov %%cr0, %0" : "=r"(v)); break;
	case 2: __asm__ volatile("mov %%cr2, %0" : "=r"(v)); break;
	case 3: __asm__ volatile("mov %%cr3, %0" : "=r"(v)); break;
	case 4: __asm__ volatile("mov %%cr4, %0" : "=r"(v)); break;
	}
	return v;
}

void idt_install(void (*fault_cleanup)(void))
{
	uint16_t cs;
	size_t fw_bytes;

	__asm__ volatile("sidt %0" : "=m"(firmware_idtr));
	__asm__ volatile("mov %%cs, %0" : "=r"(cs));
	fw_bytes = (size_t)firmware_idtr.limit + 1;
	if (fw_bytes > sizeof(idt))
		fw_bytes = sizeof(idt);
	memcpy(idt, (const void *)(uintptr_t)firmware_idtr.base, fw_bytes);
	for (int v = 0; v < 32; v++) {
		uint64_t a = isr_stub_table[v];

		idt[v] = (struct idt_gate){ (uint16_t)a, cs, 0, GATE_INTERRUPT_PRESENT, (uint16_t)(a >> 16),
					    (uint32_t)(a >> 32), 0 };
	}
	struct idtr ours = { (uint16_t)(sizeof(idt) - 1), (uint64_t)(uintptr_t)idt };

	on_fault = fault_cleanup;
	__asm__ volatile("lidt %0" : : "m"(ours));
	installed = true;
}

void idt_restore(void)
{
	if (!installed)
		return;
	__asm__ volatile("lidt %0" : : "m"(firmware_idtr));
	installed = false;
}

static void log_fault(const struct exception_frame *f, uint64_t cr3)
{
	struct log_event ev;

	log_begin(&ev, LOG_ERROR, "exception");
	log_msg(&ev, "%s during phase '%s'", vector_names[f->vector & 31], log_phase());
	log_u64(&ev, "vector", f->vector);
	log_hex(&ev, "error_code", f->error_code);
	log_hex(&ev, "rip", f->rip);
	log_hex(&ev, "cs", f->cs);
	log_hex(&ev, "rflags", f->rflags);
	log_hex(&ev, "rsp", f->rsp);
	log_hex(&ev, "cr0", read_cr(0));
	log_hex(&ev, "cr2", read_cr(2));
	log_hex(&ev, "cr3", cr3);
	log_hex(&ev, "cr4", read_cr(4));
	log_str(&ev, "phase", log_phase());
	log_end(&ev);

	log_begin(&ev, LOG_ERROR, "exception.registers");
	log_hex(&ev, "rax", f->rax);
	log_hex(&ev, "rbx", f->rbx);
	log_hex(&ev, "rcx", f->rcx);
	log_hex(&ev, "rdx", f->rdx);
	log_hex(&ev, "rsi", f->rsi);
	log_hex(&ev, "rdi", f->rdi);
	log_hex(&ev, "rbp", f->rbp);
	log_hex(&ev, "r8", f->r8);
	log_hex(&ev, "r9", f->r9);
	log_hex(&ev, "r10", f->r10);
	log_hex(&ev, "r11", f->r11);
	log_hex(&ev, "r12", f->r12);
	log_hex(&ev, "r13", f->r13);
	log_hex(&ev, "r14", f->r14);
	log_hex(&ev, "r15", f->r15);
	log_end(&ev);
}

void exception_dispatch(struct exception_frame *f)
{
	static int depth;

	/* A fault while reporting a fault: stop talking, just leave. */
	if (depth++ == 0) {
		uint64_t cr3 = read_cr(3);

		plat_paging_leave(); /* firmware's tables for the log writes and the way out */
		log_fault(f, cr3);
		if (on_fault)
			on_fault();
		log_flush();
	}
	plat_paging_leave();
	idt_restore();
	if (running_in_qemu())
		qemu_debug_exit(CXLVAL_EXCEPTION);
	/* Back to whoever started us; firmware's Exit() unwinds to StartImage. */
	efi_bs->Exit(efi_image, EFI_ABORTED, 0, NULL);
	for (;;)
		__asm__ volatile("cli; hlt");
}
