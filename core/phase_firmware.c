// SPDX-License-Identifier: MIT
/* Phase "firmware": the memory map firmware handed over, and who the machine is (SMBIOS). */
#include "core/log.h"
#include "core/run.h"
#include "lib/fmt.h"
#include "lib/platform.h"

/* Debug: a hundred descriptors are for the files and the report; the console (slow on hardware) gets the summary. */
static void log_memmap(const struct fw_facts *facts)
{
	for (size_t i = 0; i < facts->memmap_count; i++) {
		const struct fw_mem_desc *d = &facts->memmap[i];
		struct log_event ev;

		log_begin(&ev, LOG_DEBUG, "memmap.entry");
		log_u64(&ev, "index", i);
		log_str(&ev, "type", fw_mem_type_name(d->type));
		log_u64(&ev, "type_id", d->type);
		log_hex(&ev, "start", d->phys);
		log_hex(&ev, "end", d->phys + d->pages * FW_PAGE_SIZE - 1);
		log_u64(&ev, "pages", d->pages);
		log_hex(&ev, "attr", d->attr);
		log_bool(&ev, "soft_reserved", d->attr & FW_MEM_ATTR_SP);
		log_end(&ev);
	}
	log_printf(LOG_INFO, "memmap.summary", "%zu descriptors", facts->memmap_count);
}

/* Who the machine is, for the report: SMBIOS BIOS, system and board strings. */
static void log_platform(struct run *run)
{
	const struct smbios_identity *id = &run->platform;
	const uint8_t *ep = run->facts->smbios_phys ? plat_phys_map(run->facts->smbios_phys, SMBIOS3_EP_LENGTH) : NULL;
	struct smbios_table_loc loc = { 0 };
	const uint8_t *table = NULL;
	struct log_event ev;
	char version[8];

	if (ep && smbios_entry_point(ep, ep[0] == '_' && ep[3] == '3' ? SMBIOS3_EP_LENGTH : SMBIOS2_EP_LENGTH, &loc,
				     &run->findings))
		table = plat_phys_map(loc.addr, loc.length);
	if (table)
		smbios_identity(table, loc.length, &run->platform, &run->findings);
	log_begin(&ev, table ? LOG_INFO : LOG_WARN, "platform.identity");
	log_bool(&ev, "smbios", table != NULL);
	fmt_snprintf(version, sizeof(version), "%u.%u", loc.major, loc.minor);
	log_str(&ev, "smbios_version", table ? version : "none");
	log_str(&ev, "sys_vendor", id->sys_vendor);
	log_str(&ev, "product_name", id->product_name);
	log_str(&ev, "product_version", id->product_version);
	log_str(&ev, "board_vendor", id->board_vendor);
	log_str(&ev, "board_name", id->board_name);
	log_str(&ev, "board_version", id->board_version);
	log_str(&ev, "bios_vendor", id->bios_vendor);
	log_str(&ev, "bios_version", id->bios_version);
	log_str(&ev, "bios_date", id->bios_date);
	log_end(&ev);
}

void phase_firmware(struct run *run)
{
	log_set_phase("firmware");
	log_memmap(run->facts);
	log_platform(run);
}
