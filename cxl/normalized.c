// SPDX-License-Identifier: MIT
#include "cxl/normalized.h"

static bool inside_a_window(const struct cxl_topology *t, uint64_t base, uint64_t size)
{
	for (unsigned w = 0; w < t->nr_windows; w++)
		if (base >= t->windows[w].base && size <= t->windows[w].size &&
		    base - t->windows[w].base <= t->windows[w].size - size)
			return true;
	return false;
}

void cxl_detect_normalized(struct cxl_topology *t, struct diag_sink *sink)
{
	if (!t->nr_windows)
		return;
	for (unsigned e = 0; e < t->nr_endpoints; e++) {
		const struct cxl_endpoint *ep = &t->endpoints[e];

		for (unsigned m = 0; m < ep->hdm.nr_decoders; m++) {
			const struct cxl_decoder *d = cxl_hdm_decoder(t, &ep->hdm, m);

			if (!d || !d->committed || !d->size || inside_a_window(t, d->base, d->size))
				continue;
			t->normalized_addressing = true;
			diag_report(sink, DIAG_WARN, "CXL", DIAG_NO_INDEX, "HDM decoder", NULL, DIAG_NO_OFFSET,
				    "platform.normalized_addressing",
				    "decoder%u.%u of endpoint%u decodes [0x%llx, +0x%llx), outside every CFMWS: "
				    "normalized (device-relative) addressing; decoders are left as firmware set them",
				    ep->id, m, ep->id, (unsigned long long)d->base, (unsigned long long)d->size);
			return;
		}
	}
}
