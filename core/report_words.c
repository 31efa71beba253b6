// SPDX-License-Identifier: MIT
/*
 * report.html speaks to people: the log's stable ids (conflict shapes, port
 * types, finding rules) in plain words, sizes in binary units, and per
 * finding rule what Linux does with it and what the vendor should change.
 * The JSON keeps the ids; these tables are the only place they get words.
 */
#include <string.h>

#include "lib/fmt.h"
#include "core/report_html.h"

void report_size_words(uint64_t bytes, char *out, size_t cap)
{
	static const char *const units[] = { "bytes", "KiB", "MiB", "GiB", "TiB", "PiB" };
	unsigned u = 0;
	uint64_t v = bytes;

	while (u + 1 < sizeof(units) / sizeof(units[0]) && v >= 1024 && !(v & 1023)) {
		v >>= 10;
		u++;
	}
	fmt_snprintf(out, cap, "%llu %s", (unsigned long long)v, units[u]);
}

/* Ids whose words are not just the id with spaces. */
static const char *const id_words[][2] = {
	{ "fw_inside_window", "inside the window" },
	{ "window_inside_fw", "the window lies inside it" },
	{ "partial_head", "over the start of the window" },
	{ "partial_tail", "over the end of the window" },
	{ "exact", "exactly the window" },
	{ "system_ram", "system RAM" },
	{ "host_bridge", "host bridge" },
	{ "skipped_no_uncommit", "skipped: a decoder could not be uncommitted" },
	{ "failed_to_map", "failed: could not be mapped" },
	{ "done", "done" },
	{ "pmem", "persistent (pmem)" },
	{ "ram", "volatile (ram)" },
	{ "wb", "write-back" },
	{ "uc", "uncached" },
	{ "wc", "write-combining" },
	{ "wt", "write-through" },
	{ "wp", "write-protect" },
	{ "true", "yes" },
	{ "false", "no" },
	/* window.verdict reasons (issue 14, docs/log.md) */
	{ "misrouted", "the touch or the cross-check found lines unrouted, aliased or corrupted (Touch failures, below)" },
	{ "commit_failed", "a decoder cxlval programmed did not commit" },
	{ "program_never", "program = never: the window was free and nothing was programmed" },
	{ "program_always", "program = always: firmware's region was audited, not touched" },
	{ "not_selected", "left out by 'windows' in the configuration" },
	{ "firmware_region_incomplete", "firmware committed a host bridge or switch decoder with no endpoint decoder "
					"below it" },
	{ "firmware_region_unroutable", "firmware's region leaves a position without a device, or asks a device "
					"for memory it does not have" },
	{ "memory_in_use", "firmware already uses the conventional memory over its region, so cxlval could not "
			   "claim it" },
	{ "reserved_memory", "the memory map marks it reserved: touched only with destructive = yes" },
	{ "memory_map_inconsistent", "the memory map cuts, mixes or misaligns the region: touched only with "
				     "destructive = yes" },
	{ "firmware_memory", "firmware describes the region cxlval programmed in the memory map: touched only with "
			     "destructive = yes" },
	{ "not_reached", "the CXL phases did not get to it (no usable host bridge or MCFG)" },
	/* region.plan reasons (cxl/planner.c) that read badly as words */
	{ "not_type3", "the window does not allow type-3 memory devices" },
	{ "ways_unsupported_at_port", "a port cannot decode that many ways" },
	{ "hpa_order", "decoders would not increase in address with their index" },
};

const char *report_id_words(const char *id, char *out, size_t cap)
{
	size_t i;

	for (i = 0; i < sizeof(id_words) / sizeof(id_words[0]); i++)
		if (!strcmp(id, id_words[i][0]))
			return id_words[i][1];
	for (i = 0; id[i] && i + 1 < cap; i++)
		out[i] = id[i] == '_' ? ' ' : id[i];
	out[i] = '\0';
	return out;
}

/*
 * By rule, or by the rule's family (the part before the dot) when the rule
 * itself has no entry. Linux behaviour: drivers/cxl/acpi.c (cfmws_verify,
 * CHBS), core/hdm.c (commit), arch/x86 MTRR handling.
 */
static const struct {
	const char *rule;
	struct advice a;
} advice[] = {
	{ "hdm.uncommit_refused",
	  { "Linux resets a decoder the same way when it tears a region down; hardware that keeps it committed "
	    "keeps routing the old range until the next reset.",
	    "Nothing for firmware: this is what the decoder hardware (or emulator) did when cxlval cleared Commit. "
	    "The spec lets software uncommit an unlocked decoder.", true } },
	{ "cfmws.no_device_type",
	  { "Linux registers the window but creates no type-3 (memory expander) region in it.",
	    "Set the Window Restrictions bits for the devices the window is meant for.", false } },
	{ "cfmws.no_memory_type",
	  { "Linux registers the window but can create neither a volatile nor a persistent region in it.",
	    "Set the volatile or persistent bit in Window Restrictions.", false } },
	{ "cfmws",
	  { "Linux checks every window when it parses the CEDT (cxl_acpi, cfmws_verify) and skips one that fails: "
	    "no CXL region can be created in it.",
	    "Correct this field of the CFMWS (CXL 3.1 section 9.18.1.3).", false } },
	{ "chbs",
	  { "Linux cannot use the host bridge's component registers: the host bridge and every window that "
	    "targets it stay unusable.",
	    "Correct this field of the CHBS (CXL 3.1 section 9.18.1.2).", false } },
	{ "cxims",
	  { "Linux rejects the XOR windows that need this CXIMS.",
	    "Correct the CXIMS (CXL 3.1 section 9.18.1.4).", false } },
	{ "cedt",
	  { "Linux walks the CEDT structure by structure as cxlval does: what follows a broken length is lost.",
	    "Correct the CEDT header or the structure's length.", false } },
	{ "mcfg",
	  { "Linux cannot reach the configuration space (ECAM) of these buses: CXL ports and devices behind them "
	    "are not found.",
	    "Correct the MCFG entry.", false } },
	{ "rsdp",
	  { "Linux may not find the ACPI tables at all.", "Correct the RSDP.", false } },
	{ "memtype",
	  { "Linux maps CXL memory write-back; where an MTRR makes part of a window uncached or mixed, every access "
	    "there is uncached and slow.",
	    "Leave CXL windows to the write-back default type: no UC variable MTRR over them.", false } },
	{ "hdm",
	  { "Linux programs decoders the same way (cxl_decoder_commit) and would fail to create this region too.",
	    "The decoder must commit and read back as CXL 3.1 section 8.2.4.20 describes: device or switch "
	    "firmware.", false } },
	{ "mbox",
	  { "Linux reads the same capacities through the mailbox: a wrong one gives a wrong partition or no region.",
	    "Device firmware: correct Identify or Get Partition Info.", false } },
	{ "config",
	  { "Not a platform problem: a setting in the configuration file or on the command line was not accepted.",
	    "Correct that line; its default was used.", false } },
};

const struct advice *report_rule_advice(const char *rule)
{
	static const struct advice unknown = { "cxlval does not model what Linux does with this.",
					       "See the finding's text.", false };
	const char *dot = strchr(rule, '.');
	size_t family = dot ? (size_t)(dot - rule) : strlen(rule);

	for (size_t i = 0; i < sizeof(advice) / sizeof(advice[0]); i++)
		if (!strcmp(rule, advice[i].rule))
			return &advice[i].a;
	for (size_t i = 0; i < sizeof(advice) / sizeof(advice[0]); i++)
		if (strlen(advice[i].rule) == family && !strncmp(rule, advice[i].rule, family))
			return &advice[i].a;
	return &unknown;
}
