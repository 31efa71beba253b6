// SPDX-License-Identifier: MIT
#include "core/progress.h"

#include <string.h>

#include "lib/fmt.h"

void progress_start(struct progress *p, const char *what, uint64_t total, uint64_t unit_bytes, uint64_t now_ns)
{
	char label[sizeof(p->what)];

	fmt_snprintf(label, sizeof(label), "%s", what); /* what may be p->what itself */
	*p = (struct progress){ .total = total, .unit_bytes = unit_bytes, .start_ns = now_ns, .last_ns = now_ns,
				.next_pct = PROGRESS_STEP_PCT };
	memcpy(p->what, label, sizeof(label));
}

bool progress_step(struct progress *p, uint64_t done, uint64_t now_ns, char *buf, size_t cap)
{
	uint64_t elapsed = now_ns - p->start_ns, mib_s_x10, left_s;
	unsigned pct = p->total ? (unsigned)(done >= p->total ? 100 : done * 100 / p->total) : 100;
	bool last = pct == 100;

	if (last ? !p->printed : pct < p->next_pct || now_ns - p->last_ns < PROGRESS_MIN_NS)
		return false;
	if (last && p->next_pct > 100)
		return false; /* the 100 % line was printed already */
	/* MiB/s with one decimal, in integers: no floating point in the UEFI build. */
	mib_s_x10 = (done * p->unit_bytes * 10 >> 20) * 1000 / (elapsed / 1000000 ? elapsed / 1000000 : 1);
	left_s = done && !last ? elapsed / 1000000 * (p->total - done) / done / 1000 : 0;
	if (p->unit_bytes)
		fmt_snprintf(buf, cap, "  %s %3u%%  %llu/%llu  %llu.%llu MiB/s  %llu s left\n", p->what, pct,
			     (unsigned long long)done, (unsigned long long)p->total,
			     (unsigned long long)(mib_s_x10 / 10), (unsigned long long)(mib_s_x10 % 10),
			     (unsigned long long)left_s);
	else
		fmt_snprintf(buf, cap, "  %s %3u%%  %llu/%llu  %llu/s  %llu s left\n", p->what, pct,
			     (unsigned long long)done, (unsigned long long)p->total,
			     (unsigned long long)(done * 1000 / (elapsed / 1000000 ? elapsed / 1000000 : 1)),
			     (unsigned long long)left_s);
	p->printed = true;
	p->last_ns = now_ns;
	p->next_pct = last ? 101 : (pct / PROGRESS_STEP_PCT + 1) * PROGRESS_STEP_PCT;
	return true;
}
