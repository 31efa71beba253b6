// SPDX-License-Identifier: MIT
/*
 * libFuzzer: the memory-device register block and its primary mailbox
 * (cxl/mbox.c) over simulated MMIO. The input is the device:
 *   byte 0      the command timeout, 1 + byte % 16 ms (the real 2000 ms
 *               would poll 20000 times per wait)
 *   byte 1      k: how many scripted register values follow
 *   4 * k bytes values that successive reads of the mailbox's volatile
 *               registers (control, command, status) return, in order;
 *               once they run out those registers read from the block
 *   the rest    the device register block from FUZZ_DEV on (capabilities
 *               array, headers, mailbox registers, payload); past the
 *               input it reads all ones, like a device that is gone.
 *
 * What runs is the real code: cxl_mbox_find, then cxl_mbox_capacity
 * (Identify Memory Device, Get Partition Info). Checked: aligned dword reads
 * only, inside the capabilities array and headers while finding, inside the
 * mailbox capability's own length after; the only writes are the 64-bit
 * command register (opcode, no input payload) and the doorbell, rung only
 * after control read clear; every wait ends on the simulated clock (which
 * advances only through plat_delay_us and plat_timer_ns) within its timeout;
 * what is decoded is what the spec allows. This file is the platform seam of
 * its binary.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "lib/bits.h"
#include "lib/platform.h"
#include "cxl/mbox.h"
#include "cxl/regs.h"

#define FUZZ_DEV 0xfe010000ULL

static const uint8_t *block, *script;
static size_t block_len, script_len, script_pos;
static uint64_t allowed_lo, allowed_hi;
static uint64_t mbox; /* the mailbox registers once found, else 0 */
static uint64_t now_ns;
static unsigned long reads, max_reads;
static bool doorbell_seen_clear;

#define check(cond) \
	do { \
		if (!(cond)) \
			__builtin_trap(); \
	} while (0)

static uint32_t block_dword(uint64_t off)
{
	uint32_t v = ~0U;

	if (off <= block_len && block_len - off >= sizeof(v))
		memcpy(&v, block + off, sizeof(v));
	return v;
}

static bool is_volatile(uint64_t addr)
{
	return mbox && (addr == mbox + CXLDEV_MBOX_CTRL || addr == mbox + CXLDEV_MBOX_CMD ||
			addr == mbox + CXLDEV_MBOX_CMD + 4 || addr == mbox + CXLDEV_MBOX_STATUS_HIGH);
}

uint32_t plat_mmio_read32(uint64_t addr)
{
	uint32_t v;

	check(IS_ALIGNED(addr, 4));
	check(addr >= allowed_lo && addr < allowed_hi && allowed_hi - addr >= 4);
	/* A wait that polls without the clock moving never ends. */
	check(++reads <= max_reads);
	if (is_volatile(addr) && script_pos < script_len)
		memcpy(&v, script + 4 * script_pos++, sizeof(v));
	else
		v = block_dword(addr - FUZZ_DEV);
	if (mbox && addr == mbox + CXLDEV_MBOX_CTRL)
		doorbell_seen_clear = !(v & CXLDEV_MBOX_CTRL_DOORBELL);
	return v;
}

/* The doorbell, only when control last read clear: a command in flight is never rung over. */
void plat_mmio_write32(uint64_t addr, uint32_t value)
{
	check(mbox && addr == mbox + CXLDEV_MBOX_CTRL && value == CXLDEV_MBOX_CTRL_DOORBELL);
	check(doorbell_seen_clear);
	doorbell_seen_clear = false;
}

/* The command register: Identify or Get Partition Info, no input payload. */
void plat_mmio_write64(uint64_t addr, uint64_t value)
{
	check(mbox && addr == mbox + CXLDEV_MBOX_CMD);
	check(value == CXL_MBOX_OP_IDENTIFY || value == CXL_MBOX_OP_GET_PARTITION_INFO);
	check(doorbell_seen_clear);
}

uint64_t plat_mem_read64(uint64_t hpa)
{
	__builtin_trap();
}

void plat_mem_write64(uint64_t hpa, uint64_t value)
{
	__builtin_trap();
}

void plat_cache_flush(uint64_t hpa, uint64_t len)
{
	__builtin_trap();
}

uint64_t plat_timer_ns(void)
{
	return now_ns += 1000;
}

void plat_delay_us(uint32_t us)
{
	check(us > 0);
	now_ns += (uint64_t)us * 1000;
}

const void *plat_phys_map(uint64_t phys, uint64_t len)
{
	__builtin_trap();
}

/* The mailbox header cxl_mbox_find should have used: the first with the mailbox id. */
static bool mailbox_header(uint64_t *off, uint32_t *len, uint64_t *headers_end)
{
	unsigned n = FIELD_GET(CXLDEV_CAP_ARRAY_COUNT, block_dword(4));

	*headers_end = CXLDEV_CAP_HDR(n < 16 ? n : 16);

	for (unsigned i = 0; i < n && i < 16; i++)
		if (FIELD_GET(CXLDEV_CAP_HDR_ID, block_dword(CXLDEV_CAP_HDR(i))) == CXLDEV_CAP_ID_MAILBOX) {
			*off = block_dword(CXLDEV_CAP_HDR(i) + CXLDEV_CAP_HDR_OFFSET);
			*len = block_dword(CXLDEV_CAP_HDR(i) + CXLDEV_CAP_HDR_LENGTH);
			return true;
		}
	return false;
}

static void check_capacity(const struct cxl_capacity *c)
{
	check(IS_ALIGNED(c->total | c->volatile_only | c->persistent_only | c->partition_align, CXL_CAPACITY_UNIT));
	check(IS_ALIGNED(c->active_volatile | c->active_persistent, CXL_CAPACITY_UNIT));
	/* Total = volatile only + persistent only + partitionable, none wrapped past 2^64. */
	check(c->volatile_only <= c->total && c->persistent_only <= c->total - c->volatile_only);
	check(c->partition_align <= c->total);
	check(c->active_volatile <= c->total && c->active_persistent <= c->total - c->active_volatile);
	if (!c->have_partition_info) {
		check(!c->partition_align);
		check(c->active_volatile == c->volatile_only && c->active_persistent == c->persistent_only);
	} else {
		check(c->partition_align);
		check(c->active_volatile >= c->volatile_only && c->active_persistent >= c->persistent_only);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cxl_mbox mb;
	struct cxl_capacity cap;
	enum mbox_error e;
	uint32_t timeout_ms, hdr_len = 0;
	uint64_t hdr_off = 0, headers_end = 0;
	uint16_t rc = 0xffff;

	if (size < 2)
		return 0;
	timeout_ms = 1 + data[0] % 16;
	script_len = data[1];
	if (size - 2 < 4 * script_len)
		script_len = (size - 2) / 4;
	script = data + 2;
	block = script + 4 * script_len;
	block_len = size - 2 - 4 * script_len;
	script_pos = 0;
	mbox = 0;
	now_ns = 0;
	reads = 0;
	doorbell_seen_clear = false;
	/* Finding reads the array and headers, then the mailbox's capabilities register wherever it is. */
	allowed_lo = FUZZ_DEV;
	allowed_hi = FUZZ_DEV + (1ULL << 33);
	max_reads = 64;
	e = cxl_mbox_find(FUZZ_DEV, &mb);
	check(e == MBOX_OK || e == MBOX_NOT_FOUND);
	if (e) {
		check(!mb.regs);
		return 0;
	}
	/* The mailbox the header names, aligned, with its registers and whole payload inside its length. */
	check(mailbox_header(&hdr_off, &hdr_len, &headers_end));
	check(mb.regs == FUZZ_DEV + hdr_off);
	check(IS_ALIGNED(mb.regs, 8) && hdr_off >= headers_end);
	check(mb.payload_size >= 256 && mb.payload_size <= SZ_1M);
	check(hdr_len >= CXLDEV_MBOX_PAYLOAD && hdr_len - CXLDEV_MBOX_PAYLOAD >= mb.payload_size);
	mbox = mb.regs;
	allowed_lo = mb.regs;
	allowed_hi = mb.regs + hdr_len;
	/* Two commands, two waits each of at most timeout_ms in 100 us polls, then registers and payload. */
	reads = 0;
	max_reads = 2 * (2 * (timeout_ms * 10 + 3) + 3 + 0x60 / 4);
	e = cxl_mbox_capacity(&mb, timeout_ms, &cap, &rc);
	check(now_ns <= 4 * ((uint64_t)timeout_ms * 1000000 + 200000));
	check(e <= MBOX_INVALID && e != MBOX_NOT_FOUND);
	check((e == MBOX_RETURN_CODE) == (rc != 0));
	if (!e) {
		/* Identify's counts came from the payload in the block (payload reads are never scripted). */
		uint64_t raw_off = mb.regs - FUZZ_DEV + CXLDEV_MBOX_PAYLOAD;
		uint64_t total = block_dword(raw_off + CXL_IDENTIFY_TOTAL) |
				 (uint64_t)block_dword(raw_off + CXL_IDENTIFY_TOTAL + 4) << 32;
		uint64_t vol = block_dword(raw_off + CXL_IDENTIFY_VOLATILE_ONLY) |
			       (uint64_t)block_dword(raw_off + CXL_IDENTIFY_VOLATILE_ONLY + 4) << 32;

		check(total <= UINT64_MAX / CXL_CAPACITY_UNIT && cap.total == total * CXL_CAPACITY_UNIT);
		check(cap.volatile_only == vol * CXL_CAPACITY_UNIT);
		check_capacity(&cap);
	}

	/* One command on its own: what it returns fits the payload and the buffer. */
	{
		uint8_t out[0x40];
		size_t out_len = 1;

		reads = 0;
		now_ns = 0;
		max_reads = 2 * (timeout_ms * 10 + 3) + 3 + sizeof(out) / 4;
		e = cxl_mbox_cmd(&mb, CXL_MBOX_OP_IDENTIFY, out, sizeof(out), &out_len, timeout_ms, &rc);
		check(now_ns <= 2 * ((uint64_t)timeout_ms * 1000000 + 200000));
		check(e <= MBOX_INVALID && e != MBOX_NOT_FOUND);
		check(out_len <= mb.payload_size && out_len <= sizeof(out));
		check(!e || !out_len);
	}
	return 0;
}
