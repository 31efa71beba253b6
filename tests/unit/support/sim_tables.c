// SPDX-License-Identifier: MIT
#include "unit/support/sim_tables.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "sim/sim.h"
#include "unit/support/cedt_build.h"

void sim_tables_publish(struct cedt *cedt, struct mcfg *mcfg, const uint32_t *uids, unsigned nr_hb,
			const struct sim_window_desc *w, unsigned nr_w)
{
	static struct tbuf tb;

	tb_header(&tb, "CEDT");
	for (unsigned i = 0; i < nr_hb; i++)
		tb_chbs(&tb, uids[i], 1, SIM_TABLES_CHBCR + i * 0x10000, 0x10000);
	for (unsigned i = 0; i < nr_w; i++) {
		tb_cfmws(&tb, w[i].base, w[i].size, w[i].eniw, 0, 0, 0xf, w[i].ways, w[i].uids);
		sim_add_window(w[i].base, w[i].size, w[i].ways, 256, false, (uint64_t[1]){ 0 }, 0, w[i].uids);
	}
	tb_finish(&tb);
	assert_int_equal(cedt_parse(tb.b, tb.len, cedt, NULL), 0);
	tb_header(&tb, "MCFG");
	tb_put64(&tb, 0);
	tb_mcfg_entry(&tb, SIM_ECAM_BASE, 0, 0, 255);
	tb_finish(&tb);
	assert_int_equal(mcfg_parse(tb.b, tb.len, mcfg, NULL), 0);
}
