/* SPDX-License-Identifier: MIT */
/* The log of the HDM driver's cache maintenance (event cache.flush, docs/log.md). */
#ifndef CXLVAL_CACHE_LOG_H
#define CXLVAL_CACHE_LOG_H

#include "cxl/hdm.h"

/* An hdm_flush_fn: one cache.flush event per flush. */
void cache_log_flush(void *ctx, const struct hdm_flush *f);

#endif
