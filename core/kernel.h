/* SPDX-License-Identifier: MIT */
#ifndef CXLVAL_KERNEL_H
#define CXLVAL_KERNEL_H

#include "core/firmware.h"
#include "core/status.h"

/* Runs every phase on the captured firmware facts; returns the exit status. */
enum cxlval_status kernel_main(const struct fw_facts *facts);

#endif
