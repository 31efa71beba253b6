// SPDX-License-Identifier: MIT
/*
 * UEFI entry: set up the ways of being heard (console, serial, log files),
 * arm the watchdog, capture the firmware's facts, run, and leave with a
 * status QEMU or the firmware can see.
 */
#include "boot/uefi.h"

#include <string.h>

#include "core/config.h"
#include "core/kernel.h"
#include "core/log.h"
#include "core/report.h"
#include "lib/platform.h"

static struct logfile *log_txt, *log_jsonl;
static char run_name[5];
static uint64_t start_ns;

/* Log times count from cxlval's start, not from power-on. */
static uint64_t run_time_ns(void)
{
	return plat_timer_ns() - start_ns;
}

#define REPORT_EVENTS_BYTES (1U << 20)
/* The report writers go straight to the file: logfile.c writes in large pieces. */
static void write_report(const CHAR16 *name, void (*writer)(const struct report *, report_write_fn, void *))
{
	struct logfile *f = logfile_create(name);

	if (f && kernel_report())
		writer(kernel_report(), logfile_write, f);
	logfile_close(f);
}

/* Also the fault path: a run that crashed still leaves its report, marked unfinished. */
static void close_logs(void)
{
	static bool closing;

	if (!closing) {
		closing = true; /* a fault while writing the report must not write it again */
		write_report(L"report.json", report_write_json);
		write_report(L"report.html", report_write_html);
		write_report(L"cxl-list.json", report_write_cxl_list);
	}
	log_flush();
	logfile_close(log_txt);
	logfile_close(log_jsonl);
}

/* Serial "auto": our own UART output only when ConOut does not reach one already, to avoid double lines. */
static void setup_log(const struct cxlval_config *cfg)
{
	struct log_sink con = { LOG_SINK_TEXT, (enum log_level)cfg->verbosity, console_write, NULL, NULL, true };
	struct log_sink ser = { LOG_SINK_TEXT, (enum log_level)cfg->verbosity, serial_write, NULL, NULL, true };

	log_init();
	log_set_clock(run_time_ns);
	log_add_sink(&con);
	if (cfg->serial == SERIAL_ON || (cfg->serial == SERIAL_AUTO && !console_is_serial())) {
		serial_init((uint16_t)cfg->serial_port, cfg->serial_baud);
		log_add_sink(&ser);
	}
	log_txt = logfile_create(L"log.txt");
	log_jsonl = logfile_create(L"log.jsonl");
	if (log_txt) {
		struct log_sink s = { LOG_SINK_TEXT, LOG_DEBUG, logfile_write, logfile_flush, log_txt, false };

		log_add_sink(&s);
	}
	if (log_jsonl) {
		struct log_sink s = { LOG_SINK_JSON, LOG_DEBUG, logfile_write, logfile_flush, log_jsonl, false };

		log_add_sink(&s);
	}
	if (!log_txt || !log_jsonl) {
		log_printf(LOG_WARN, "log.file", "cannot create log files under \\cxlval\\runs on the boot volume; "
						 "console and serial only");
	} else {
		const CHAR16 *w = logfile_run_name();

		for (int i = 0; i < 4; i++)
			run_name[i] = (char)w[i];
		log_printf(LOG_INFO, "results", "this run's results: \\cxlval\\runs\\%s\\", run_name);
	}
}

/* After a CPU exception: decoders back first (that is logged), then the files. */
static void fault_cleanup(void)
{
	kernel_on_fault();
	close_logs();
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

/* A configuration table by GUID, the preferred one if present, else the fallback; 0 if neither. */
static uint64_t find_config_table(EFI_GUID preferred, EFI_GUID fallback)
{
	uint64_t found = 0;

	for (UINTN i = 0; i < efi_st->NumberOfTableEntries; i++) {
		EFI_CONFIGURATION_TABLE *t = &efi_st->ConfigurationTable[i];

		if (!memcmp(&t->VendorGuid, &preferred, sizeof(EFI_GUID)))
			return (uint64_t)(uintptr_t)t->VendorTable;
		if (!memcmp(&t->VendorGuid, &fallback, sizeof(EFI_GUID)))
			found = (uint64_t)(uintptr_t)t->VendorTable;
	}
	return found;
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

/* The UEFI shell hands its command line to us as LoadOptions. */
static void read_cmdline(struct fw_facts *facts)
{
	static char lines[1024];
	EFI_GUID li_guid = EFI_LOADED_IMAGE_PROTOCOL_GUID;
	EFI_LOADED_IMAGE *li;
	size_t n;

	if (efi_bs->HandleProtocol(efi_image, &li_guid, (void **)&li) != EFI_SUCCESS || !li->LoadOptions)
		return;
	n = config_cmdline_lines(li->LoadOptions, li->LoadOptionsSize, lines, sizeof(lines));
	if (n) {
		facts->cmdline_lines = lines;
		facts->cmdline_len = n;
	}
}

/* On hardware the config decides; under QEMU isa-debug-exit carries the status to the test. */
static EFI_STATUS leave(const struct cxlval_config *cfg, enum cxlval_status status)
{
	EFI_STATUS st = status == CXLVAL_PASS ? EFI_SUCCESS : EFI_ABORTED;

	if (running_in_qemu())
		qemu_debug_exit((uint8_t)status);
	if (cfg->on_exit != ON_EXIT_RETURN)
		efi_st->RuntimeServices->ResetSystem(cfg->on_exit == ON_EXIT_RESET ? EfiResetCold : EfiResetShutdown,
						     st, 0, NULL);
	return st;
}

/* GNU-EFI's crt0 calls us with the System V convention: no EFIAPI here. */
EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st);
EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st)
{
	static struct fw_facts facts;
	struct cxlval_config cfg;
	enum cxlval_status status;

	efi_image = image;
	efi_st = st;
	efi_bs = st->BootServices;
	config_defaults(&cfg);
	/* A hang anywhere below ends in a firmware reset, not a dead machine. */
	platform_watchdog_arm(cfg.watchdog_s);
	console_init();
	platform_efi_init();
	start_ns = plat_timer_ns();
	read_config(&facts);
	read_cmdline(&facts);
	/* Settings needed before the log exists; kernel_main parses again and reports mistakes. */
	kernel_config(&facts, &cfg, NULL);
	platform_watchdog_arm(cfg.watchdog_s);
	setup_log(&cfg);
	cpu_state_log("start");
	idt_install(fault_cleanup);
	capture_image(&facts);
	facts.rsdp_phys = find_config_table((EFI_GUID)ACPI_20_TABLE_GUID, (EFI_GUID)ACPI_TABLE_GUID);
	/* SMBIOS 3.x preferred: its table may live above 4 GiB. */
	facts.smbios_phys = find_config_table((EFI_GUID)SMBIOS3_TABLE_GUID, (EFI_GUID)SMBIOS_TABLE_GUID);
	allocate_scratch(&facts);
	facts.report_buf = efi_alloc(REPORT_EVENTS_BYTES);
	facts.report_cap = facts.report_buf ? REPORT_EVENTS_BYTES : 0;
	facts.run_name = run_name[0] ? run_name : NULL;
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
	return leave(&cfg, status);
}
