/* SPDX-License-Identifier: MIT */
/* The primary mailbox of a memory device (CXL 3.1 §8.2.8.4), 32-bit accesses only. */
#ifndef CXLVAL_MBOX_H
#define CXLVAL_MBOX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cxl_mbox {
	uint64_t regs;
	uint32_t payload_size;
};

enum mbox_error { MBOX_OK, MBOX_NOT_FOUND, MBOX_BUSY, MBOX_TIMEOUT, MBOX_RETURN_CODE, MBOX_TOO_LARGE, MBOX_INVALID };

/*
 * Finds the mailbox in a device register block; MBOX_NOT_FOUND if there is
 * none or its header is impossible (unaligned, overlapping the headers, a
 * payload size outside 256 B .. 1 MiB or past the capability's length).
 */
enum mbox_error cxl_mbox_find(uint64_t device_regs, struct cxl_mbox *mb);

/* Runs one command; out gets at most out_cap bytes. *rc is the device's return code. */
enum mbox_error cxl_mbox_cmd(const struct cxl_mbox *mb, uint16_t opcode, void *out, size_t out_cap, size_t *out_len,
			     uint32_t timeout_ms, uint16_t *rc);

/* The same with an input payload of in_len bytes (at most the payload size). */
enum mbox_error cxl_mbox_cmd_in(const struct cxl_mbox *mb, uint16_t opcode, const void *in, size_t in_len, void *out,
				size_t out_cap, size_t *out_len, uint32_t timeout_ms, uint16_t *rc);

struct cxl_capacity {
	uint64_t total, volatile_only, persistent_only, partition_align; /* bytes */
	uint64_t active_volatile, active_persistent;
	bool have_partition_info;
};

/*
 * Identify Memory Device, then Get Partition Info when the device can be
 * partitioned. MBOX_INVALID when the capacities break the spec (a part larger
 * than the total, a count that does not fit 64 bits in bytes).
 */
enum mbox_error cxl_mbox_capacity(const struct cxl_mbox *mb, uint32_t timeout_ms, struct cxl_capacity *cap,
				  uint16_t *rc);

const char *mbox_error_name(enum mbox_error e);

#endif
