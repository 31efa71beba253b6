// SPDX-License-Identifier: MIT
#include "core/cache_log.h"

#include "core/log.h"
#include "lib/platform.h"

#define NS_PER_US 1000ULL

void cache_log_flush(void *ctx, const struct hdm_flush *f)
{
	struct log_event ev;

	log_begin(&ev, LOG_INFO, "cache.flush");
	log_msg(&ev, "%s: 0x%llx bytes at 0x%llx written back and invalidated", hdm_flush_when_name(f->when),
		(unsigned long long)f->bytes, (unsigned long long)f->hpa);
	log_str(&ev, "when", hdm_flush_when_name(f->when));
	log_str(&ev, "method", plat_cache_flush_method(f->all));
	log_hex(&ev, "resource", f->hpa);
	log_u64(&ev, "bytes", f->bytes);
	if (f->all)
		log_u64(&ev, "cpus", f->cpus);
	log_u64(&ev, "us", f->ns / NS_PER_US);
	log_end(&ev);
}
