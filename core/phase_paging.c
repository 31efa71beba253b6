// SPDX-License-Identifier: MIT
/*
 * Phase "paging": the memory type of every window and region (MTRRs, then
 * the PAT entry the page tables select), whether firmware's page tables map
 * the windows and how, and page tables of our own for the CXL phases.
 *
 * Our tables keep every firmware mapping exactly (firmware's top table is
 * copied, everything below it shared; see mm/pagetable.h), add the windows
 * write-back (except what firmware's memory map claims), and add ECAM and host-bridge registers uncached where firmware
 * left them out. That is why firmware calls made while ours are loaded (log
 * file writes, console, the timer interrupt) still work: firmware sees its own
 * mappings. Firmware's CR3 and PAT come back after the CXL phases, on an
 * exception, and before cxlval returns (boot/paging.c).
 */
#include <string.h>

#include "core/log.h"
#include "core/run.h"
#include "lib/fmt.h"
#include "lib/platform.h"
#include "mm/memtype.h"
#include "mm/pagetable.h"

#define MM_PIECES 16
#define TYPE_BITS 9 /* bits 0-7: encodings, bit 8: undefined */

static uint16_t type_bit(uint8_t t)
{
	return (uint16_t)(1U << (t < 8 ? t : 8));
}

static uint8_t bit_type(unsigned b)
{
	return b < 8 ? (uint8_t)b : MT_UNDEFINED;
}

/* "wb", "uc,wb": the types in a mask, in encoding order. */
static size_t types_format(uint16_t types, char *buf, size_t cap)
{
	size_t n = 0;

	buf[0] = '\0';
	for (unsigned b = 0; b < TYPE_BITS; b++)
		if (types & (1U << b) && n < cap)
			n += (size_t)fmt_snprintf(buf + n, cap - n, n ? ",%s" : "%s", memtype_name(bit_type(b)));
	return n;
}

/* Firmware's tables and ours live in identity-mapped RAM (as scratch_alloc assumes too). */
static uint64_t phys_read64(void *ctx, uint64_t phys)
{
	const uint64_t *p = plat_phys_map(phys, 8);

	return p ? *p : 0;
}

static uint64_t *table_at(void *ctx, uint64_t phys)
{
	return (uint64_t *)(uintptr_t)phys;
}

static uint64_t table_frame(void *ctx)
{
	return frame_alloc(&((struct run *)ctx)->scratch, FRAME_SIZE, FRAME_SIZE);
}

/* ---- memory types ------------------------------------------------------ */

static bool read_cpu(struct run_paging *pg)
{
	uint32_t r[4], max_ext;
	bool has_pat, pages_1g = false;

	plat_cpuid(1, 0, r);
	pg->mtrr.supported = r[3] & CPUID_01_EDX_MTRR;
	has_pat = r[3] & CPUID_01_EDX_PAT;
	plat_cpuid(0x80000000, 0, r);
	max_ext = r[0];
	pg->mtrr.phys_bits = 36; /* SDM: without leaf 80000008H, MAXPHYADDR is 36 */
	if (max_ext >= 0x80000008) {
		plat_cpuid(0x80000008, 0, r);
		pg->mtrr.phys_bits = FIELD_GET(CPUID_80000008_EAX_PHYS_BITS, r[0]);
	}
	if (max_ext >= 0x80000001) {
		plat_cpuid(0x80000001, 0, r);
		pages_1g = r[3] & CPUID_80000001_EDX_PAGE1GB;
	}
	/* Only MSRs CPUID and MTRRcap promise are read: any other rdmsr may fault. */
	if (pg->mtrr.supported) {
		pg->mtrr.cap = plat_read_msr(MSR_MTRRCAP);
		pg->mtrr.def_type = plat_read_msr(MSR_MTRR_DEF_TYPE);
		for (unsigned i = 0; (pg->mtrr.cap & MTRRCAP_FIX) && i < MTRR_NR_FIXED; i++)
			pg->mtrr.fixed[i] = plat_read_msr(mtrr_fixed_msr(i));
		for (unsigned n = 0; n < mtrr_var_count(&pg->mtrr); n++) {
			pg->mtrr.base[n] = plat_read_msr(MSR_MTRR_PHYSBASE(n));
			pg->mtrr.mask[n] = plat_read_msr(MSR_MTRR_PHYSMASK(n));
		}
	}
	pg->mtrr.pat = has_pat ? plat_read_msr(MSR_PAT) : PAT_POWER_ON;
	return pages_1g;
}

static void log_mtrrs(const struct run_paging *pg)
{
	struct log_event ev;
	uint64_t start, last;

	log_begin(&ev, LOG_INFO, "memtype.mtrr");
	log_bool(&ev, "supported", pg->mtrr.supported);
	log_bool(&ev, "enabled", pg->mtrr.def_type & MTRR_DEF_TYPE_E);
	log_bool(&ev, "fixed_enabled", (pg->mtrr.def_type & MTRR_DEF_TYPE_FE) && (pg->mtrr.cap & MTRRCAP_FIX));
	log_str(&ev, "default_type", memtype_name((uint8_t)FIELD_GET(MTRR_DEF_TYPE_TYPE, pg->mtrr.def_type)));
	log_u64(&ev, "variable_count", mtrr_var_count(&pg->mtrr));
	log_hex(&ev, "mtrrcap", pg->mtrr.cap);
	log_hex(&ev, "def_type", pg->mtrr.def_type);
	log_hex(&ev, "pat", pg->mtrr.pat);
	log_u64(&ev, "phys_bits", pg->mtrr.phys_bits);
	log_end(&ev);
	for (unsigned n = 0; n < mtrr_var_count(&pg->mtrr); n++) {
		bool regular = mtrr_var_range(&pg->mtrr, n, &start, &last);

		if (!(pg->mtrr.mask[n] & MTRR_PHYSMASK_VALID))
			continue;
		log_begin(&ev, regular ? LOG_INFO : LOG_WARN, "memtype.variable");
		log_u64(&ev, "index", n);
		log_str(&ev, "type", memtype_name((uint8_t)FIELD_GET(MTRR_PHYSBASE_TYPE, pg->mtrr.base[n])));
		log_hex(&ev, "physbase", pg->mtrr.base[n]);
		log_hex(&ev, "physmask", pg->mtrr.mask[n]);
		log_bool(&ev, "contiguous", regular);
		if (regular) {
			log_hex(&ev, "start", start);
			log_hex(&ev, "end", last);
		} else {
			log_msg(&ev, "variable MTRR %u has a mask with holes: ignored in the memory types below", n);
		}
		log_end(&ev);
	}
}

/* Logs the MTRR pieces of [base, base+size) as event memtype.<key>; returns their type bits. */
static uint16_t report_range(const struct run_paging *pg, const char *event, const char *key, unsigned index,
			     uint64_t base, uint64_t size)
{
	struct memtype_piece p[MM_PIECES];
	size_t n = memtype_decode(&pg->mtrr, base, base + size - 1, p, MM_PIECES), len = 0;
	char detail[LOG_TEXT_MAX / 2], src[40], types[48];
	uint16_t bits = 0;
	struct log_event ev;

	detail[0] = '\0';
	for (size_t i = 0; i < n && i < MM_PIECES; i++) {
		bits |= type_bit(p[i].type);
		memtype_source_format(&p[i], src, sizeof(src));
		if (len < sizeof(detail))
			len += (size_t)fmt_snprintf(detail + len, sizeof(detail) - len, "%s%s 0x%llx-0x%llx (%s)",
						    i ? "; " : "", memtype_name(p[i].type),
						    (unsigned long long)p[i].start, (unsigned long long)p[i].last, src);
	}
	types_format(bits, types, sizeof(types));
	log_begin(&ev, LOG_INFO, event);
	if (!strcmp(key, "region")) { /* by its cxl-cli name, like every other region event */
		char name[16];

		fmt_snprintf(name, sizeof(name), "region%u", index);
		log_str(&ev, key, name);
	} else {
		log_u64(&ev, key, index);
	}
	log_hex(&ev, "resource", base);
	log_hex(&ev, "size", size);
	log_str(&ev, "memtype", n == 1 ? memtype_name(p[0].type) : "mixed");
	log_str(&ev, "types", types);
	log_u64(&ev, "pieces", n);
	log_str(&ev, "sources", detail);
	log_end(&ev);
	return bits;
}

/* A window that is not write-back throughout is slow or wrong for memory: say which MTRR made it so. */
static void window_finding(struct run *run, unsigned w, uint16_t bits)
{
	const struct run_paging *pg = &run->paging;
	char types[48];
	bool uc = bits & type_bit(MT_UC), mixed = bits & (bits - 1), undefined = bits & type_bit(MT_UNDEFINED);

	if (!uc && !mixed && !undefined)
		return;
	types_format(bits, types, sizeof(types));
	diag_report(&run->findings, DIAG_WARN, "MTRR", (int)w, "window", NULL, DIAG_NO_OFFSET,
		    uc ? "memtype.window_uc" : "memtype.window_mixed",
		    "window %u [0x%llx-0x%llx] has memory types %s by the MTRRs (the memory types of the window "
		    "name the MTRR of each piece); CXL memory should be write-back", w, (unsigned long long)pg->win[w].base,
		    (unsigned long long)(pg->win[w].base + pg->win[w].size - 1), types);
}

/* ---- page tables ------------------------------------------------------- */

/* "wb", "uc", "unmapped": what accesses to a window get under tables summarized in s, running with pat. */
static void effective(const struct window_paging *w, const struct pt_summary *s, uint64_t pat, char *buf,
		      size_t cap)
{
	uint16_t eff = 0;
	size_t n;

	for (unsigned b = 0; b < TYPE_BITS; b++)
		for (unsigned i = 0; (w->mtrr_types & (1U << b)) && i < PAT_ENTRIES; i++)
			if (s->pat_indices & (1U << i))
				eff |= type_bit(memtype_combine(bit_type(b), pat_entry(pat, i)));
	n = types_format(eff, buf, cap);
	if (s->unmapped && n < cap)
		fmt_snprintf(buf + n, cap - n, n ? ",unmapped" : "unmapped");
}

static void log_window_paging(const struct run_paging *pg, unsigned w, const char *tables, const struct pt_summary *s,
			      uint64_t pat)
{
	char sizes[16], eff[64];
	struct log_event ev;

	pt_page_sizes_format(s->page_sizes, sizes, sizeof(sizes));
	effective(&pg->win[w], s, pat, eff, sizeof(eff));
	log_begin(&ev, LOG_INFO, "paging.window");
	log_u64(&ev, "window", w);
	log_str(&ev, "tables", tables);
	log_hex(&ev, "resource", pg->win[w].base);
	log_hex(&ev, "size", pg->win[w].size);
	log_bool(&ev, "mapped", s->unmapped == 0);
	log_hex(&ev, "mapped_bytes", s->mapped);
	log_hex(&ev, "unmapped_bytes", s->unmapped);
	if (s->unmapped)
		log_hex(&ev, "first_unmapped", s->first_unmapped);
	log_str(&ev, "page_sizes", sizes);
	log_hex(&ev, "pat_indices", s->pat_indices);
	log_bool(&ev, "identity", s->identity);
	log_bool(&ev, "writable", s->writable);
	log_str(&ev, "memtype", eff);
	log_end(&ev);
}

static void walk_firmware(struct run_paging *pg, unsigned nr_win)
{
	uint64_t top = (1ULL << (pg->levels == 5 ? 56 : 47)) - 1; /* the lower canonical half */
	struct log_event ev;
	char sizes[16];

	pt_summarize(phys_read64, NULL, pg->fw_root, pg->levels, 0, top, &pg->fw_all);
	pt_page_sizes_format(pg->fw_all.page_sizes, sizes, sizeof(sizes));
	log_begin(&ev, LOG_INFO, "paging.firmware");
	log_hex(&ev, "cr3", pg->fw_root);
	log_u64(&ev, "levels", pg->levels);
	log_hex(&ev, "mapped_bytes", pg->fw_all.mapped);
	log_hex(&ev, "last_mapped", pg->fw_all.last_mapped);
	log_str(&ev, "page_sizes", sizes);
	log_hex(&ev, "pat_indices", pg->fw_all.pat_indices);
	log_u64(&ev, "leaves", pg->fw_all.leaves);
	log_bool(&ev, "identity", pg->fw_all.identity);
	log_end(&ev);
	for (unsigned w = 0; w < nr_win; w++) {
		pt_summarize(phys_read64, NULL, pg->fw_root, pg->levels, pg->win[w].base,
			     pg->win[w].base + pg->win[w].size - 1, &pg->win[w].fw);
		log_window_paging(pg, w, "firmware", &pg->win[w].fw, pg->mtrr.pat);
	}
}

/* Registers firmware left out of its tables: mapped uncached, absent piece by absent piece. */
static void add_unmapped(void *ctx, const struct map_range *r)
{
	struct run_paging *pg = ctx;
	uint64_t a = ALIGN_DOWN(r->start, FRAME_SIZE), end = ALIGN_UP(r->last + 1, FRAME_SIZE) - 1;

	for (;;) {
		struct pt_leaf l;
		uint64_t last;

		pt_translate(phys_read64, NULL, pg->fw_root, pg->levels, a, &l);
		last = l.va + l.size - 1 < end ? l.va + l.size - 1 : end;
		if (!l.present && !pt_map(&pg->ours, a, last - a + 1, MT_UC))
			log_printf(LOG_INFO, "paging.added", "%s 0x%llx-0x%llx: not in firmware's tables, mapped uc",
				   map_source_name(r->source), (unsigned long long)a, (unsigned long long)last);
		if (last == end)
			return;
		a = last + 1;
	}
}

/*
 * Window bytes nobody else describes are mapped write-back. Where firmware's
 * memory map (or ECAM, a host bridge, cxlval itself) claims part of a window,
 * firmware's mapping stays: never cache someone's MMIO, never change RAM
 * attributes firmware chose. Those overlaps are reported as conflicts anyway.
 */
#define KEEP_FIRMWARE_MAPPING (MAP_BIT(MAP_FIRMWARE) | MAP_BIT(MAP_ECAM) | MAP_BIT(MAP_CHBS) | MAP_BIT(MAP_SELF))

static void map_window_gap(void *ctx, uint64_t start, uint64_t last)
{
	struct run_paging *pg = ctx;
	uint64_t a = ALIGN_UP(start, FRAME_SIZE), end = ALIGN_DOWN(last + 1, FRAME_SIZE);

	if (end > a)
		pt_map(&pg->ours, a, end - a, MT_WB);
}

static void build_ours(struct run *run, bool pages_1g)
{
	struct run_paging *pg = &run->paging;
	unsigned nr_win = run->topo.nr_windows;
	struct log_event ev;
	char sizes[16];
	uint8_t leaf_sizes = 0;

	if (!pt_pat_choose(pg->mtrr.pat, pg->fw_all.pat_indices, &pg->our_pat))
		pg->our_pat = pg->mtrr.pat; /* no free PAT entry: WC is not offered, WB and UC are what we use */
	pg->ops = (struct pt_ops){ table_frame, table_at, run };
	if (pt_init(&pg->ours, &pg->ops, pg->levels, pages_1g ? PT_LEVEL_1G : PT_LEVEL_2M, pg->our_pat,
		    pg->fw_root) == 0) {
		for (unsigned w = 0; w < nr_win; w++)
			addrmap_gaps(&run->map, pg->win[w].base, pg->win[w].base + pg->win[w].size - 1,
				     KEEP_FIRMWARE_MAPPING, 				     map_window_gap, pg);
		addrmap_overlaps(&run->map, 0, UINT64_MAX, MAP_BIT(MAP_ECAM) | MAP_BIT(MAP_CHBS), add_unmapped, pg);
	}
	pg->built = pg->ours.root && !pg->ours.failed;
	for (unsigned level = PT_LEVEL_4K; level <= PT_LEVEL_1G; level++)
		leaf_sizes |= (uint8_t)(pg->ours.leaves[level] ? 1U << level : 0);
	pt_page_sizes_format(leaf_sizes, sizes, sizeof(sizes));
	log_begin(&ev, pg->built ? LOG_INFO : LOG_ERROR, "paging.cxlval");
	if (!pg->built)
		log_msg(&ev, "cannot build page tables (out of scratch frames or a type the PAT lacks); the CXL "
			     "phases run on firmware's tables");
	log_hex(&ev, "root", pg->ours.root);
	log_u64(&ev, "levels", pg->levels);
	log_u64(&ev, "tables", pg->ours.nr_owned);
	log_str(&ev, "page_sizes", sizes); /* of the leaves we wrote; firmware's are shared as they are */
	log_u64(&ev, "leaves_4k", pg->ours.leaves[PT_LEVEL_4K]);
	log_u64(&ev, "leaves_2m", pg->ours.leaves[PT_LEVEL_2M]);
	log_u64(&ev, "leaves_1g", pg->ours.leaves[PT_LEVEL_1G]);
	log_hex(&ev, "pat", pg->our_pat);
	log_bool(&ev, "pat_changed", pg->our_pat != pg->mtrr.pat);
	log_end(&ev);
	for (unsigned w = 0; pg->built && w < nr_win; w++) {
		pt_summarize(phys_read64, NULL, pg->ours.root, pg->levels, pg->win[w].base,
			     pg->win[w].base + pg->win[w].size - 1, 			     &pg->win[w].ours);
		log_window_paging(pg, w, "cxlval", &pg->win[w].ours, pg->our_pat);
	}
}

/* Every phase change says which tables the phase runs on and what the windows' accesses are (files only). */
static void on_phase(void *ctx, const char *phase)
{
	const struct run *run = ctx;
	const struct run_paging *pg = &run->paging;
	unsigned nr_win = run->topo.nr_windows;
	char types[CXL_MAX_WINDOWS * 24] = "", sizes[16];
	uint8_t page_sizes = 0;
	size_t n = 0;
	struct log_event ev;

	for (unsigned w = 0; w < nr_win && n < sizeof(types); w++) {
		const struct pt_summary *s = pg->active ? &pg->win[w].ours : &pg->win[w].fw;
		char eff[64];

		effective(&pg->win[w], s, pg->active ? pg->our_pat : pg->mtrr.pat, eff, sizeof(eff));
		page_sizes |= s->page_sizes;
		n += (size_t)fmt_snprintf(types + n, sizeof(types) - n, "%swindow%u:%s", w ? " " : "", w, eff);
	}
	pt_page_sizes_format(page_sizes, sizes, sizeof(sizes));
	log_begin(&ev, LOG_DEBUG, "paging.phase");
	log_str(&ev, "tables", pg->active ? "cxlval" : "firmware");
	log_hex(&ev, "cr3", plat_read_cr(3));
	log_u64(&ev, "levels", pg->levels);
	log_str(&ev, "window_page_sizes", sizes);
	log_str(&ev, "window_memtype", types);
	log_end(&ev);
}

void phase_paging(struct run *run)
{
	struct run_paging *pg = &run->paging;
	unsigned nr_win = run->topo.nr_windows;
	bool pages_1g;

	log_set_phase("paging");
	for (unsigned w = 0; w < nr_win; w++)
		pg->win[w] = (struct window_paging){ run->topo.windows[w].base, run->topo.windows[w].size, 0, { 0 },
						     { 0 } };
	pages_1g = read_cpu(pg);
	log_mtrrs(pg);
	for (unsigned w = 0; w < nr_win; w++) {
		pg->win[w].mtrr_types =
			report_range(pg, "memtype.window", "window", w, pg->win[w].base, pg->win[w].size);
		window_finding(run, w, pg->win[w].mtrr_types);
	}
	pg->fw_root = plat_read_cr(3) & CR3_ADDR;
	pg->levels = plat_read_cr(4) & CR4_LA57 ? 5 : 4;
	if (!pg->fw_root) {
		log_printf(LOG_WARN, "paging.none",
			   "paging state not available on this platform; no page tables built");
		return;
	}
	walk_firmware(pg, nr_win);
	if (nr_win)
		build_ours(run, pages_1g);
	log_on_phase(on_phase, run);
	on_phase(run, "paging");
}

void paging_region(struct run *run, unsigned region, uint64_t base, uint64_t size)
{
	report_range(&run->paging, "memtype.region", "region", region, base, size);
}

static void log_switch(const struct run_paging *pg)
{
	struct log_event ev;

	log_begin(&ev, LOG_INFO, "paging.switch");
	log_str(&ev, "tables", pg->active ? "cxlval" : "firmware");
	log_hex(&ev, "cr3", plat_read_cr(3));
	log_hex(&ev, "pat", pg->active ? pg->our_pat : pg->mtrr.pat);
	log_end(&ev);
}

void paging_enter(struct run *run)
{
	struct run_paging *pg = &run->paging;

	if (!pg->built)
		return;
	plat_paging_enter(pg->ours.root, pg->our_pat);
	pg->active = true;
	log_switch(pg);
}

void paging_leave(struct run *run)
{
	struct run_paging *pg = &run->paging;

	if (!pg->active)
		return;
	plat_paging_leave();
	pg->active = false;
	log_switch(pg);
}
