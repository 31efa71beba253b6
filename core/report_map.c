// SPDX-License-Identifier: MIT
/*
 * The physical address map of report.html: four lanes (firmware memory map,
 * CFMWS windows, regions, conflicts) on one address axis that is not to
 * scale (each stretch between two boundaries as wide as the logarithm of its
 * size). The axis wraps: it is cut at boundaries into rows no wider than
 * MAP_ROW_W, each row its own SVG that scales down with the page, so the map
 * is never cut off at the right edge. Every block has its exact range as a
 * tooltip (<title>), the whole range even where a row break splits it.
 */
#include <string.h>

#include "lib/firmware.h"
#include "lib/fmt.h"
#include "core/report_html.h"

enum lane { LANE_FW, LANE_WINDOW, LANE_REGION, LANE_CONFLICT, LANES };
static const char *const lane_names[LANES] = { "Firmware map", "CFMWS windows", "Regions", "Conflicts" };

#define SVG_MAX_RANGES 512
#define SVG_LABEL 40

struct svg_range {
	uint64_t start, end; /* end exclusive */
	enum lane lane;
	const char *cls;
	char label[SVG_LABEL];
};

struct svg_map {
	struct svg_range r[SVG_MAX_RANGES];
	unsigned n;
	uint64_t bound[2 * SVG_MAX_RANGES];
	unsigned x[2 * SVG_MAX_RANGES]; /* x of each boundary within its row */
	unsigned row[2 * SVG_MAX_RANGES]; /* the row each boundary starts */
	unsigned nb, rows;
};

/* What a vendor needs to tell memory-map entries apart at a glance. */
static const char *fw_class(uint32_t type, uint64_t attr)
{
	if (attr & FW_MEM_ATTR_SP)
		return "soft";
	switch (type) {
	case FW_MEM_CONVENTIONAL: case FW_MEM_LOADER_CODE: case FW_MEM_LOADER_DATA:
	case FW_MEM_BOOT_CODE: case FW_MEM_BOOT_DATA: return "ram";
	case FW_MEM_RUNTIME_CODE: case FW_MEM_RUNTIME_DATA: return "runtime";
	case FW_MEM_ACPI_RECLAIM: case FW_MEM_ACPI_NVS: return "acpi";
	case FW_MEM_MMIO: case FW_MEM_MMIO_PORT: return "mmio";
	case FW_MEM_PERSISTENT: return "pmem";
	default: return "reserved";
	}
}

static const char *const class_words[][2] = {
	{ "ram", "RAM" }, { "runtime", "runtime services" }, { "acpi", "ACPI" }, { "mmio", "MMIO" },
	{ "reserved", "reserved" }, { "soft", "soft reserved" }, { "pmem", "persistent" },
};

static const char *fw_words(const char *cls)
{
	for (unsigned i = 0; i < sizeof(class_words) / sizeof(class_words[0]); i++)
		if (!strcmp(cls, class_words[i][0]))
			return class_words[i][1];
	return cls;
}

static void add_range(struct svg_map *m, enum lane lane, uint64_t start, uint64_t end, const char *cls,
		      const char *label)
{
	struct svg_range *prev = m->n ? &m->r[m->n - 1] : NULL;

	if (end <= start)
		return;
	/* Neighbouring firmware entries of one kind are one block on the map; the table lists each. */
	if (prev && lane == LANE_FW && prev->lane == LANE_FW && prev->end == start && !strcmp(prev->cls, cls)) {
		prev->end = end;
		return;
	}
	if (m->n >= SVG_MAX_RANGES)
		return;
	m->r[m->n] = (struct svg_range){ start, end, lane, cls, "" };
	fmt_snprintf(m->r[m->n].label, SVG_LABEL, "%s", label);
	m->n++;
}

static void collect_map(const struct report *r, struct svg_map *m)
{
	char a[REPORT_VALUE_MAX], b[REPORT_VALUE_MAX], c[REPORT_VALUE_MAX], label[SVG_LABEL];

	for (unsigned i = 0; report_get(r, "memmap", i, "start", a); i++) {
		const char *cls;

		report_get(r, "memmap", i, "end", b);
		report_get(r, "memmap", i, "type_id", c);
		report_get(r, "memmap", i, "attr", label);
		cls = fw_class((uint32_t)report_u64(c), report_u64(label));
		add_range(m, LANE_FW, report_u64(a), report_u64(b) + 1, cls, fw_words(cls));
	}
	/* Numbered like the conflicts' target_index: among the valid windows, in CEDT order. */
	for (unsigned i = 0, w = 0; report_get(r, "cfmws", i, "resource", a); i++) {
		report_get(r, "cfmws", i, "size", b);
		report_get(r, "cfmws", i, "valid", c);
		if (strcmp(c, "true"))
			continue;
		fmt_snprintf(label, sizeof(label), "window %u", w++);
		add_range(m, LANE_WINDOW, report_u64(a), report_u64(a) + report_u64(b), "window", label);
	}
	for (unsigned i = 0; report_get(r, "regions", i, "resource", a); i++) {
		report_get(r, "regions", i, "size", b);
		report_get(r, "regions", i, "region", c);
		add_range(m, LANE_REGION, report_u64(a), report_u64(a) + report_u64(b), "region", c);
	}
	for (unsigned i = 0; report_get(r, "conflicts", i, "overlap_start", a); i++) {
		report_get(r, "conflicts", i, "overlap_end", b);
		report_get(r, "conflicts", i, "id", c);
		fmt_snprintf(label, sizeof(label), "conflict %s", c);
		add_range(m, LANE_CONFLICT, report_u64(a), report_u64(b) + 1, "conflict", label);
	}
}

static void add_bound(struct svg_map *m, uint64_t v)
{
	unsigned i = 0;

	while (i < m->nb && m->bound[i] < v)
		i++;
	if (i < m->nb && m->bound[i] == v)
		return;
	memmove(&m->bound[i + 1], &m->bound[i], (m->nb - i) * sizeof(m->bound[0]));
	m->bound[i] = v;
	m->nb++;
}

/* Segment widths grow with log2 of their size: a 4 KiB gap stays visible next to a 4 GiB window. */
static unsigned seg_width(uint64_t size)
{
	unsigned log2 = 0;

	while (log2 < 63 && (size >> (log2 + 1)))
		log2++;
	return log2 <= 12 ? 10 : 10 + (log2 - 12) * 4;
}

#define SVG_LEFT 110
#define SVG_LANE_H 34
#define SVG_TOP 6
#define SVG_AXIS_H 96
#define MAP_ROW_W 1000 /* drawing units of one row after the lane names; rows scale down with the page */

/*
 * Cut the axis into rows at boundaries: row[i] and x[i] are the row and the
 * start of the stretch from boundary i to i + 1 (the last boundary: the end
 * of the last row).
 */
static void layout(struct svg_map *m)
{
	unsigned x = 0, row = 0;

	for (unsigned i = 0; i < m->nb; i++) {
		unsigned w = i + 1 < m->nb ? seg_width(m->bound[i + 1] - m->bound[i]) : 0;

		if (w && x && x + w > MAP_ROW_W) {
			row++;
			x = 0;
		}
		m->x[i] = x;
		m->row[i] = row;
		x += w;
	}
	m->rows = m->nb ? row + 1 : 0;
}

/* The first boundary of a row and the one that ends it. */
static void row_span(const struct svg_map *m, unsigned row, unsigned *first, unsigned *last)
{
	*first = m->nb;
	*last = 0;
	for (unsigned i = 0; i < m->nb; i++) {
		if (m->row[i] != row)
			continue;
		if (i < *first)
			*first = i;
		*last = i + 1 < m->nb ? i + 1 : i;
	}
}

static unsigned index_of(const struct svg_map *m, uint64_t v)
{
	unsigned i = 0;

	while (i + 1 < m->nb && m->bound[i] < v)
		i++;
	return i;
}

/* x of boundary i in row: a boundary that starts the next row is also the end of this one. */
static unsigned x_in_row(const struct svg_map *m, unsigned i, unsigned row)
{
	if (m->row[i] == row)
		return SVG_LEFT + m->x[i];
	return SVG_LEFT + m->x[i - 1] + seg_width(m->bound[i] - m->bound[i - 1]);
}

static void svg_ranges(const struct out *o, const struct svg_map *m, unsigned row, unsigned first, unsigned last)
{
	for (unsigned i = 0; i < m->n; i++) {
		const struct svg_range *g = &m->r[i];
		unsigned s = index_of(m, g->start), e = index_of(m, g->end), x0, x1;
		unsigned y = SVG_TOP + g->lane * SVG_LANE_H;
		char size[32];

		if (e <= first || s >= last)
			continue; /* not in this row */
		x0 = x_in_row(m, s < first ? first : s, row);
		x1 = x_in_row(m, e > last ? last : e, row);
		html_putf(o, "<g><rect class=\"%s\" x=\"%u\" y=\"%u\" width=\"%u\" height=\"%u\"/>", g->cls, x0, y + 4,
			  x1 - x0, SVG_LANE_H - 8);
		report_size_words(g->end - g->start, size, sizeof(size));
		html_put(o, "<title>");
		html_text(o, g->label);
		html_putf(o, ": 0x%llx-0x%llx (%s)</title>", (unsigned long long)g->start,
			  (unsigned long long)g->end - 1, size);
		if (x1 - x0 >= 8 * strlen(g->label) + 8) {
			html_putf(o, "<text x=\"%u\" y=\"%u\">", (x0 + x1) / 2, y + SVG_LANE_H / 2 + 4);
			html_text(o, g->label);
			html_put(o, "</text>");
		}
		html_put(o, "</g>\n");
	}
}

static void svg_axis(const struct out *o, const struct svg_map *m, unsigned row, unsigned first, unsigned last)
{
	unsigned axis_y = SVG_TOP + LANES * SVG_LANE_H, last_label = 0;

	html_putf(o, "<line class=axis x1=\"%u\" y1=\"%u\" x2=\"%u\" y2=\"%u\"/>\n", SVG_LEFT, axis_y,
		  x_in_row(m, last, row), axis_y);
	for (unsigned i = first; i <= last; i++) {
		unsigned x = x_in_row(m, i, row);

		html_putf(o, "<line class=tick x1=\"%u\" y1=\"%u\" x2=\"%u\" y2=\"%u\"/>", x, SVG_TOP, x, axis_y + 4);
		if (i > first && x - last_label < 14)
			continue; /* labels closer than a line of text would overlap */
		last_label = x;
		/* Slanted down and to the left, ending at the tick: never over the lanes. */
		html_putf(o, "<text class=addr text-anchor=end transform=\"translate(%u,%u) rotate(-50)\">0x%llx</text>\n",
			  x + 3, axis_y + 10, (unsigned long long)m->bound[i]);
	}
	for (unsigned l = 0; l < LANES; l++)
		html_putf(o, "<text class=lane x=\"4\" y=\"%u\">%s</text>\n",
			  SVG_TOP + l * SVG_LANE_H + SVG_LANE_H / 2 + 4, lane_names[l]);
}

static void svg_legend(const struct out *o)
{
	static const char *const classes[][2] = {
		{ "ram", "RAM (conventional, boot, loader)" }, { "runtime", "runtime services" }, { "acpi", "ACPI" },
		{ "mmio", "MMIO" }, { "reserved", "reserved" }, { "soft", "soft reserved (EFI_MEMORY_SP)" },
		{ "pmem", "persistent" }, { "window", "CFMWS window" }, { "region", "region cxlval programmed" },
		{ "conflict", "conflict" },
	};

	html_put(o, "<p class=legend>");
	for (unsigned i = 0; i < sizeof(classes) / sizeof(classes[0]); i++)
		html_putf(o, "<span><svg width=\"14\" height=\"14\"><rect class=\"%s\" width=\"14\" height=\"14\"/></svg> "
			     "%s</span> ", classes[i][0], classes[i][1]);
	html_put(o, "</p>\n");
}

void html_address_map(const struct out *o, const struct report *r)
{
	static struct svg_map m; /* too big for a UEFI stack */
	unsigned height = SVG_TOP + LANES * SVG_LANE_H + SVG_AXIS_H;

	memset(&m, 0, sizeof(m));
	collect_map(r, &m);
	for (unsigned i = 0; i < m.n; i++) {
		add_bound(&m, m.r[i].start);
		add_bound(&m, m.r[i].end);
	}
	layout(&m);
	html_put(o, "<h2 id=map-title>Physical address map</h2>\n<p>Not to scale: each stretch between two boundaries "
		    "is as wide as the logarithm of its size, so small ranges stay visible. Read it row by row; hover "
		    "over a block for its exact range.</p>\n<div class=map id=addrmap>\n");
	for (unsigned row = 0; row < m.rows; row++) {
		unsigned first, last, width;

		row_span(&m, row, &first, &last);
		width = x_in_row(&m, last, row) + 30;
		html_putf(o, "<svg class=maprow xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %u %u\" "
			     "style=\"max-width:%upx\">\n", width, height, width);
		svg_ranges(o, &m, row, first, last);
		svg_axis(o, &m, row, first, last);
		html_put(o, "</svg>\n");
	}
	if (!m.rows)
		html_put(o, "<p class=none>nothing to draw</p>\n");
	html_put(o, "</div>\n");
	svg_legend(o);
}
