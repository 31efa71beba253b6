// SPDX-License-Identifier: MIT
#include "cxl/mbox.h"

#include <stdbool.h>
#include <string.h>

#include "cxl/regs.h"
#include "lib/le.h"
#include "lib/platform.h"

#define MAX_CAPS 16

enum mbox_error cxl_mbox_find(uint64_t device_regs, struct cxl_mbox *mb)
{
	unsigned n;

	memset(mb, 0, sizeof(*mb));
	if (!device_regs || plat_mmio_read32(device_regs) == ~0U)
		return MBOX_NOT_FOUND;
	n = FIELD_GET(CXLDEV_CAP_ARRAY_COUNT, plat_mmio_read32(device_regs + 4));
	if (n > MAX_CAPS)
		n = MAX_CAPS;
	for (unsigned i = 0; i < n; i++) {
		uint64_t hdr = device_regs + CXLDEV_CAP_HDR(i);
		uint32_t off, len, shift;

		if (FIELD_GET(CXLDEV_CAP_HDR_ID, plat_mmio_read32(hdr)) != CXLDEV_CAP_ID_MAILBOX)
			continue;
		/* 64-bit registers after the headers, the whole payload inside the capability's length. */
		off = plat_mmio_read32(hdr + CXLDEV_CAP_HDR_OFFSET);
		len = plat_mmio_read32(hdr + CXLDEV_CAP_HDR_LENGTH);
		if (!IS_ALIGNED(off, 8) || off < CXLDEV_CAP_HDR(n) || len < CXLDEV_MBOX_PAYLOAD)
			return MBOX_NOT_FOUND;
		shift = FIELD_GET(CXLDEV_MBOX_CAP_PAYLOAD_SIZE, plat_mmio_read32(device_regs + off + CXLDEV_MBOX_CAPS));
		if (shift < CXLDEV_MBOX_PAYLOAD_MIN_SHIFT || shift > CXLDEV_MBOX_PAYLOAD_MAX_SHIFT ||
		    len - CXLDEV_MBOX_PAYLOAD < 1U << shift)
			return MBOX_NOT_FOUND;
		mb->regs = device_regs + off;
		mb->payload_size = 1U << shift;
		return MBOX_OK;
	}
	return MBOX_NOT_FOUND;
}

static bool doorbell_clear(const struct cxl_mbox *mb, uint32_t timeout_ms)
{
	uint64_t deadline = plat_timer_ns() + (uint64_t)timeout_ms * 1000000;

	while (plat_mmio_read32(mb->regs + CXLDEV_MBOX_CTRL) & CXLDEV_MBOX_CTRL_DOORBELL) {
		if (plat_timer_ns() > deadline)
			return false;
		plat_delay_us(100);
	}
	return true;
}

enum mbox_error cxl_mbox_cmd(const struct cxl_mbox *mb, uint16_t opcode, void *out, size_t out_cap, size_t *out_len,
			     uint32_t timeout_ms, uint16_t *rc)
{
	uint32_t lo, hi;
	size_t len;

	*rc = 0;
	*out_len = 0;
	if (!mb->regs)
		return MBOX_NOT_FOUND;
	/* Someone else's command in flight: wait for it, bounded, but never ring over it. */
	if (!doorbell_clear(mb, timeout_ms))
		return MBOX_BUSY;
	/* One 64-bit write: the spec's register width, and QEMU ignores 32-bit writes here. */
	plat_mmio_write64(mb->regs + CXLDEV_MBOX_CMD, FIELD_PREP(CXLDEV_MBOX_CMD_OPCODE, opcode));
	plat_mmio_write32(mb->regs + CXLDEV_MBOX_CTRL, CXLDEV_MBOX_CTRL_DOORBELL);
	if (!doorbell_clear(mb, timeout_ms))
		return MBOX_TIMEOUT;
	*rc = (uint16_t)plat_mmio_read32(mb->regs + CXLDEV_MBOX_STATUS_HIGH);
	if (*rc)
		return MBOX_RETURN_CODE;
	lo = plat_mmio_read32(mb->regs + CXLDEV_MBOX_CMD);
	hi = plat_mmio_read32(mb->regs + CXLDEV_MBOX_CMD + 4);
	len = FIELD_GET(CXLDEV_MBOX_CMD_LEN_LOW, lo) | (size_t)FIELD_GET(CXLDEV_MBOX_CMD_LEN_HIGH, hi) << 16;
	if (len > mb->payload_size || len > out_cap)
		return MBOX_TOO_LARGE;
	for (size_t off = 0; off < len; off += 4) {
		uint32_t v = plat_mmio_read32(mb->regs + CXLDEV_MBOX_PAYLOAD + off);

		memcpy((uint8_t *)out + off, &v, len - off < 4 ? len - off : 4);
	}
	*out_len = len;
	return MBOX_OK;
}

enum mbox_error cxl_mbox_capacity(const struct cxl_mbox *mb, uint32_t timeout_ms, struct cxl_capacity *cap,
				  uint16_t *rc)
{
	uint8_t out[0x60];
	size_t len;
	enum mbox_error e;

	memset(cap, 0, sizeof(*cap));
	memset(out, 0, sizeof(out));
	e = cxl_mbox_cmd(mb, CXL_MBOX_OP_IDENTIFY, out, sizeof(out), &len, timeout_ms, rc);
	if (e)
		return e;
	if (len < CXL_IDENTIFY_PARTITION_ALIGN + 8)
		return MBOX_TOO_LARGE;
	{
		uint64_t total = get_le64(out + CXL_IDENTIFY_TOTAL), vol = get_le64(out + CXL_IDENTIFY_VOLATILE_ONLY);
		uint64_t pers = get_le64(out + CXL_IDENTIFY_PERSISTENT_ONLY);
		uint64_t align = get_le64(out + CXL_IDENTIFY_PARTITION_ALIGN);

		/* Counts of 256 MiB: total = volatile only + persistent only + partitionable, in 64-bit bytes. */
		if (total > UINT64_MAX / CXL_CAPACITY_UNIT || vol > total || pers > total - vol || align > total)
			return MBOX_INVALID;
		cap->total = total * CXL_CAPACITY_UNIT;
		cap->volatile_only = vol * CXL_CAPACITY_UNIT;
		cap->persistent_only = pers * CXL_CAPACITY_UNIT;
		cap->partition_align = align * CXL_CAPACITY_UNIT;
	}
	cap->active_volatile = cap->volatile_only;
	cap->active_persistent = cap->persistent_only;
	if (!cap->partition_align)
		return MBOX_OK;
	e = cxl_mbox_cmd(mb, CXL_MBOX_OP_GET_PARTITION_INFO, out, sizeof(out), &len, timeout_ms, rc);
	if (e || len < CXL_GPI_ACTIVE_PERSISTENT + 8)
		return e ? e : MBOX_TOO_LARGE;
	{
		uint64_t act_vol = get_le64(out + CXL_GPI_ACTIVE_VOLATILE);
		uint64_t act_pers = get_le64(out + CXL_GPI_ACTIVE_PERSISTENT);
		uint64_t total = cap->total / CXL_CAPACITY_UNIT;

		/* Active = the fixed part plus what is partitioned to it; both inside the total. */
		if (act_vol > total || act_pers > total - act_vol || act_vol < cap->volatile_only / CXL_CAPACITY_UNIT ||
		    act_pers < cap->persistent_only / CXL_CAPACITY_UNIT)
			return MBOX_INVALID;
		cap->active_volatile = act_vol * CXL_CAPACITY_UNIT;
		cap->active_persistent = act_pers * CXL_CAPACITY_UNIT;
	}
	cap->have_partition_info = true;
	return MBOX_OK;
}

const char *mbox_error_name(enum mbox_error e)
{
	static const char *const names[] = { "ok", "not_found", "busy", "timeout", "return_code", "too_large", "invalid" };

	return e <= MBOX_INVALID ? names[e] : "unknown";
}
