// SPDX-License-Identifier: MIT
/*
 * UEFI entry: set up the ways of being heard (console, serial, log files),
 * arm the watchdog, capture the firmware's facts, run, and leave with a
 * status QEMU or the firmware can see.
 */
#include "boot/uefi.h"

#include <string.h>

#include "core/kernel.h"
#include "core/log.h"
#include "core/platform.h"

#define WATCHDOG_SECONDS 600
#define WATCHDOG_CODE 0xc1a1
#define COM1 0x3f8

EFI_HANDLE efi_image;
EFI_SYSTEM_TABLE *efi_st;
EFI_BOOT_SERVICES *efi_bs;

void *efi_alloc(size_t size)
{
	void *p;

	return efi_bs->AllocatePool(EfiLoaderData, size, &p) == EFI_SUCCESS ? p : NULL;
}

void efi_free(void *p)
{
	if (p)
		efi_bs->FreePool(p);
}

static struct logfile *log_txt, *log_jsonl;
static uint64_t start_ns;

/* Log times count from cxlval's start, not from power-on. */
static uint64_t run_time_ns(void)
{
	return plat_timer_ns() - start_ns;
}

static void close_logs(void)
{
	log_flush();
	logfile_close(log_txt);
	logfile_close(log_jsonl);
}

static void setup_log(void)
{
	struct log_sink con = { LOG_SINK_TEXT, LOG_INFO, console_write, NULL, NULL };
	struct log_sink ser = { LOG_SINK_TEXT, LOG_INFO, serial_write, NULL, NULL };

	log_init();
	log_set_clock(run_time_ns);
	log_add_sink(&con);
	if (!console_is_serial()) {
		serial_init(COM1);
		log_add_sink(&ser);
	}
	log_txt = logfile_create(L"log.txt");
	log_jsonl = logfile_create(L"log.jsonl");
	if (log_txt) {
		struct log_sink s = { LOG_SINK_TEXT, LOG_DEBUG, logfile_write, logfile_flush, log_txt };

		log_add_sink(&s);
	}
	if (log_jsonl) {
		struct log_sink s = { LOG_SINK_JSON, LOG_DEBUG, logfile_write, logfile_flush, log_jsonl };

		log_add_sink(&s);
	}
	if (!log_txt || !log_jsonl) {
		log_printf(LOG_WARN, "log.file", "cannot create log files under \\cxlval\\runs on the boot volume; "
						 "console and serial only");
	} else {
		const CHAR16 *w = logfile_run_name();
		char run[5] = { (char)w[0], (char)w[1], (char)w[2], (char)w[3], 0 };

		log_printf(LOG_INFO, "results", "this run's results: \\cxlval\\runs\\%s\\", run);
	}
}

/* The map is copied into our own array so later pool allocations cannot change it under us. */
static int capture_memmap(struct fw_facts *facts)
{
	UINTN size = 0, key, desc_size;
	UINT32 desc_version;
	uint8_t *raw = NULL;
	struct fw_mem_desc *out;
	EFI_STATUS st;

	for (int tries = 0; tries < 4; tries++) {
		st = efi_bs->GetMemoryMap(&size, (EFI_MEMORY_DESCRIPTOR *)raw, &key, &desc_size, &desc_version);
		if (st == EFI_SUCCESS)
			break;
		efi_free(raw);
		raw = NULL;
		if (st != EFI_BUFFER_TOO_SMALL)
			return -1;
		size += 8 * sizeof(EFI_MEMORY_DESCRIPTOR); /* room for the allocation itself */
		raw = efi_alloc(size);
		if (!raw)
			return -1;
	}
	if (st != EFI_SUCCESS || !desc_size)
		return -1;
	out = efi_alloc((size / desc_size) * sizeof(*out));
	if (!out)
		return -1;
	for (UINTN off = 0, i = 0; off + desc_size <= size; off += desc_size, i++) {
		const EFI_MEMORY_DESCRIPTOR *d = (const void *)(raw + off);

		out[i] = (struct fw_mem_desc){ d->Type, d->PhysicalStart, d->NumberOfPages, d->Attribute };
		facts->memmap_count = i + 1;
	}
	facts->memmap = out;
	efi_free(raw);
	return 0;
}

static uint64_t find_rsdp(void)
{
	EFI_GUID acpi20 = ACPI_20_TABLE_GUID, acpi10 = ACPI_TABLE_GUID;
	uint64_t v1 = 0;

	for (UINTN i = 0; i < efi_st->NumberOfTableEntries; i++) {
		EFI_CONFIGURATION_TABLE *t = &efi_st->ConfigurationTable[i];

		if (!memcmp(&t->VendorGuid, &acpi20, sizeof(EFI_GUID)))
			return (uint64_t)(uintptr_t)t->VendorTable;
		if (!memcmp(&t->VendorGuid, &acpi10, sizeof(EFI_GUID)))
			v1 = (uint64_t)(uintptr_t)t->VendorTable;
	}
	return v1;
}

static void capture_image(struct fw_facts *facts)
{
	EFI_GUID li_guid = EFI_LOADED_IMAGE_PROTOCOL_GUID;
	EFI_LOADED_IMAGE *li;

	if (efi_bs->HandleProtocol(efi_image, &li_guid, (void **)&li) == EFI_SUCCESS) {
		facts->image_base = (uint64_t)(uintptr_t)li->ImageBase;
		facts->image_size = li->ImageSize;
	}
}

#define CONFIG_MAX 16384
#define SCRATCH_BYTES (4ULL << 20)

/* Scratch memory firmware gives us; allocated before the memory map is captured so it shows there. */
static void allocate_scratch(struct fw_facts *facts)
{
	EFI_PHYSICAL_ADDRESS addr = 0;

	if (efi_bs->AllocatePages(AllocateAnyPages, EfiLoaderData, SCRATCH_BYTES / 4096, &addr) == EFI_SUCCESS) {
		facts->scratch_base = addr;
		facts->scratch_size = SCRATCH_BYTES;
	}
}

static void read_config(struct fw_facts *facts)
{
	static char text[CONFIG_MAX];
	long n = logdir_read(L"cxlval.cfg", text, sizeof(text));

	if (n >= 0) {
		facts->config_text = text;
		facts->config_len = (size_t)n;
	}
}

/* GNU-EFI's crt0 calls us with the System V convention: no EFIAPI here. */
EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st);
EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st)
{
	static struct fw_facts facts;
	enum cxlval_status status;

	efi_image = image;
	efi_st = st;
	efi_bs = st->BootServices;
	/* A hang anywhere below ends in a firmware reset, not a dead machine. */
	efi_bs->SetWatchdogTimer(WATCHDOG_SECONDS, WATCHDOG_CODE, 0, NULL);
	console_init();
	platform_efi_init();
	start_ns = plat_timer_ns();
	setup_log();
	cpu_state_log("start");
	idt_install(close_logs);
	capture_image(&facts);
	facts.rsdp_phys = find_rsdp();
	read_config(&facts);
	allocate_scratch(&facts);
	if (capture_memmap(&facts))
		log_printf(LOG_ERROR, "memmap.capture", "GetMemoryMap failed; continuing without a memory map");

	status = kernel_main(&facts);

	plat_paging_leave();
	idt_restore();
	cpu_state_log("end");
	close_logs();
	if (facts.scratch_size)
		efi_bs->FreePages(facts.scratch_base, facts.scratch_size / 4096);
	efi_bs->SetWatchdogTimer(0, 0, 0, NULL);
	if (running_in_qemu())
		qemu_debug_exit((uint8_t)status);
	return status == CXLVAL_PASS ? EFI_SUCCESS : EFI_ABORTED;
}
