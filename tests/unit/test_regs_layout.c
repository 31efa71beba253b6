// SPDX-License-Identifier: MIT
/*
 * cxl/regs.h and cxl/pci_regs.h against register values decoded by hand.
 * Each row is a concrete register value (several seen in QEMU, DESIGN.md §5
 * and §5b) and the field value read off its bits with the spec's bit
 * positions in hand, not computed from the header under test. The simulator
 * has its own layout (tests/sim/sim_regs.h), so a wrong mask here would not
 * be repeated there either.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lib/bits.h"
#include "cxl/pci_regs.h"
#include "cxl/regs.h"

struct field_row {
	const char *field;
	uint32_t mask; /* the product's mask */
	uint32_t reg;  /* a register value */
	uint32_t want; /* the field, decoded by hand */
};

#define ROW(mask, reg, want) { #mask, mask, reg, want }

static const struct field_row rows[] = {
	/*
	 * CXL 3.1 §8.2.4.20.1 HDM Decoder Capability: decoder count [3:0], target count [7:4],
	 * A11to8 interleave bit 8, A14to12 bit 9, 3/6/12-way bit 11, 16-way bit 12.
	 * 0x310 QEMU 7.2 endpoint: 0011 0001 0000 -> count 0, targets 1, bits 8 and 9.
	 */
	ROW(CXL_HDM_CAP_DECODER_COUNT, 0x310, 0), ROW(CXL_HDM_CAP_TARGET_COUNT, 0x310, 1),
	ROW(CXL_HDM_CAP_INTERLEAVE_11_8, 0x310, 1), ROW(CXL_HDM_CAP_INTERLEAVE_14_12, 0x310, 1),
	ROW(CXL_HDM_CAP_3_6_12_WAY, 0x310, 0), ROW(CXL_HDM_CAP_16_WAY, 0x310, 0),
	/* 0x382 QEMU 10 host bridge: 0011 1000 0010 -> count 2, targets 8, bits 8 and 9. */
	ROW(CXL_HDM_CAP_DECODER_COUNT, 0x382, 2), ROW(CXL_HDM_CAP_TARGET_COUNT, 0x382, 8),
	ROW(CXL_HDM_CAP_INTERLEAVE_11_8, 0x382, 1), ROW(CXL_HDM_CAP_INTERLEAVE_14_12, 0x382, 1),
	ROW(CXL_HDM_CAP_3_6_12_WAY, 0x382, 0), ROW(CXL_HDM_CAP_16_WAY, 0x382, 0),
	/* 0x1B12 QEMU 10 endpoint: 1 1011 0001 0010 -> count 2, targets 1, bits 8, 9, 11, 12. */
	ROW(CXL_HDM_CAP_DECODER_COUNT, 0x1b12, 2), ROW(CXL_HDM_CAP_TARGET_COUNT, 0x1b12, 1),
	ROW(CXL_HDM_CAP_INTERLEAVE_11_8, 0x1b12, 1), ROW(CXL_HDM_CAP_INTERLEAVE_14_12, 0x1b12, 1),
	ROW(CXL_HDM_CAP_3_6_12_WAY, 0x1b12, 1), ROW(CXL_HDM_CAP_16_WAY, 0x1b12, 1),
	/* 0x04A5: 0100 1010 0101 -> count 5, targets 10, bit 10 (reserved) belongs to no field. */
	ROW(CXL_HDM_CAP_DECODER_COUNT, 0x4a5, 5), ROW(CXL_HDM_CAP_TARGET_COUNT, 0x4a5, 10),
	ROW(CXL_HDM_CAP_3_6_12_WAY, 0x4a5, 0), ROW(CXL_HDM_CAP_16_WAY, 0x4a5, 0),
	/* §8.2.4.20.3 HDM Decoder Global Control: HDM Decoder Enable bit 1 (QEMU firmware writes 2). */
	ROW(CXL_HDM_GLOBAL_ENABLE, 0x2, 1), ROW(CXL_HDM_GLOBAL_ENABLE, 0x1, 0),
	/*
	 * §8.2.4.20.7 Decoder Control: IG [3:0], IW [7:4], Lock On Commit 8, Commit 9, Committed 10,
	 * Error Not Committed 11, Target Type 12. 0x215 (QEMU, 2-way 8 KiB): 0010 0001 0101.
	 */
	ROW(CXL_HDM_CTRL_IG, 0x215, 5), ROW(CXL_HDM_CTRL_IW, 0x215, 1), ROW(CXL_HDM_CTRL_LOCK_ON_COMMIT, 0x215, 0),
	ROW(CXL_HDM_CTRL_COMMIT, 0x215, 1), ROW(CXL_HDM_CTRL_COMMITTED, 0x215, 0),
	ROW(CXL_HDM_CTRL_COMMIT_ERROR, 0x215, 0), ROW(CXL_HDM_CTRL_TYPE, 0x215, 0),
	/* 0x510 (QEMU, locked after commit, Commit cleared): 0101 0001 0000. */
	ROW(CXL_HDM_CTRL_IG, 0x510, 0), ROW(CXL_HDM_CTRL_IW, 0x510, 1), ROW(CXL_HDM_CTRL_LOCK_ON_COMMIT, 0x510, 1),
	ROW(CXL_HDM_CTRL_COMMIT, 0x510, 0), ROW(CXL_HDM_CTRL_COMMITTED, 0x510, 1),
	/* 0x710: Lock On Commit, Commit and Committed. */
	ROW(CXL_HDM_CTRL_LOCK_ON_COMMIT, 0x710, 1), ROW(CXL_HDM_CTRL_COMMIT, 0x710, 1),
	ROW(CXL_HDM_CTRL_COMMITTED, 0x710, 1), ROW(CXL_HDM_CTRL_COMMIT_ERROR, 0x710, 0),
	/* 0x1CA6: 1 1100 1010 0110 -> IG 6 (16 KiB), IW 10 (12-way), Committed, Error, Target Type. */
	ROW(CXL_HDM_CTRL_IG, 0x1ca6, 6), ROW(CXL_HDM_CTRL_IW, 0x1ca6, 10),
	ROW(CXL_HDM_CTRL_LOCK_ON_COMMIT, 0x1ca6, 0), ROW(CXL_HDM_CTRL_COMMIT, 0x1ca6, 0),
	ROW(CXL_HDM_CTRL_COMMITTED, 0x1ca6, 1), ROW(CXL_HDM_CTRL_COMMIT_ERROR, 0x1ca6, 1),
	ROW(CXL_HDM_CTRL_TYPE, 0x1ca6, 1),
	/* 0x3F9: 11 1111 1001 -> IG 9, IW 15 (both reserved encodings: the fields still read so). */
	ROW(CXL_HDM_CTRL_IG, 0x3f9, 9), ROW(CXL_HDM_CTRL_IW, 0x3f9, 15), ROW(CXL_HDM_CTRL_TYPE, 0x3f9, 0),
	/* §8.2.4.20.5/.6/.9: base, size and DPA skip low hold address bits [31:28] in bits [31:28]. */
	ROW(CXL_HDM_ADDR_LOW_MASK, 0x9fffffff, 0x9), ROW(CXL_HDM_ADDR_LOW_MASK, 0x0fffffff, 0),
	ROW(CXL_HDM_DPA_SKIP_LOW_MASK, 0x10000001, 0x1),
	/* §8.1.9 Register Locator entry, low dword: BIR [2:0], Block Identifier [15:8], offset [31:16]. */
	ROW(CXL_REGLOC_BIR, 0x00010300, 0), ROW(CXL_REGLOC_BLOCK_ID, 0x00010300, 3),
	ROW(CXL_REGLOC_OFFSET_LOW, 0x00010300, 1), ROW(CXL_REGLOC_BIR, 0x12340105, 5),
	ROW(CXL_REGLOC_BLOCK_ID, 0x12340105, 1), ROW(CXL_REGLOC_OFFSET_LOW, 0x12340105, 0x1234),
	/* §8.2.4.1 CXL capability header: id [15:0], array size [31:24]; entries: id [15:0], pointer [31:20]. */
	ROW(CXL_CM_CAP_HDR_ID, 0x0a110001, 1), ROW(CXL_CM_CAP_HDR_ARRAY_SIZE, 0x0a110001, 0x0a),
	ROW(CXL_CM_CAP_ENTRY_ID, 0x12830005, 5), ROW(CXL_CM_CAP_ENTRY_PTR, 0x12830005, 0x128),
	/* §8.1.3.2 DVSEC CXL Control: Mem_Enable bit 2. §8.1.3.8 range size low: valid bit 0, size [31:28]. */
	ROW(CXL_DVSEC_MEM_ENABLE, 0x0004, 1), ROW(CXL_DVSEC_MEM_ENABLE, 0x0003, 0),
	ROW(CXL_DVSEC_MEM_INFO_VALID, 0x10000003, 1), ROW(CXL_DVSEC_MEM_SIZE_LOW, 0x10000003, 1),
	/* §8.2.8.4.5 mailbox command register: opcode [15:0], payload length [36:16]. */
	ROW(CXLDEV_MBOX_CMD_OPCODE, 0x00434000, 0x4000), ROW(CXLDEV_MBOX_CMD_LEN_LOW, 0x00434000, 0x43),
	ROW(CXLDEV_MBOX_CMD_LEN_HIGH, 0x00000011, 0x11), ROW(CXLDEV_MBOX_CAP_PAYLOAD_SIZE, 0x00000009, 9),
	/* PCIe 6.0 §7.5.3.2 PCIe capabilities: device/port type [23:20] of the first dword (0x00420010: 4, RP). */
	ROW(PCI_EXP_TYPE, 0x00420010, 4), ROW(PCI_EXP_TYPE, 0x00520010, 5),
	/* §7.5.3.6 Link Capabilities: port number [31:24]. */
	ROW(PCI_EXP_LNKCAP_PN, 0x0100f013, 1), ROW(PCI_EXP_LNKCAP_PN, 0xfe000000, 0xfe),
	/* §7.6.3 extended capability header: id [15:0], next [31:20]; §7.9.6 DVSEC header 1. */
	ROW(PCI_EXT_CAP_ID, 0x15010023, 0x23), ROW(PCI_EXT_CAP_NEXT, 0x15010023, 0x150),
	ROW(PCI_DVSEC_VENDOR, 0x03c11e98, 0x1e98), ROW(PCI_DVSEC_LENGTH, 0x03c11e98, 0x3c),
	ROW(PCI_DVSEC_ID, 0x00000008, 8),
	/* §7.5.1.3.2 bus numbers: secondary [15:8], subordinate [23:16]; header type [22:16]. */
	ROW(PCI_SECONDARY_BUS, 0x00ff0d0c, 0x0d), ROW(PCI_SUBORDINATE_BUS, 0x00ff0d0c, 0xff),
	ROW(PCI_HEADER_TYPE_MASK, 0x00810000, 1), ROW(PCI_HEADER_MULTIFUNCTION, 0x00810000, 1),
	ROW(PCI_BAR_TYPE, 0xfe00000c, 2), ROW(PCI_BAR_MEM_MASK, 0xfe00000c, 0x0fe00000),
};

static void test_fields_decode_as_by_hand(void **state)
{
	for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
		const struct field_row *r = &rows[i];
		uint32_t got = (r->reg & r->mask) >> __builtin_ctz(r->mask);

		if (got != r->want)
			fail_msg("%s of 0x%08x: cxlval reads 0x%x, by hand 0x%x", r->field, r->reg, got, r->want);
		/* FIELD_GET is what the product calls: it must agree with the plain shift. */
		assert_int_equal(FIELD_GET(r->mask, r->reg), got);
	}
}

/* Offsets: the capability structure, decoder n at 0x10 + 0x20 n, and its registers (§8.2.4.20). */
static void test_offsets(void **state)
{
	static const struct {
		const char *what;
		unsigned got, want;
	} offs[] = {
		{ "capability", CXL_HDM_CAP, 0x00 },
		{ "global control", CXL_HDM_GLOBAL_CTRL, 0x04 },
		{ "decoder 0 base low", CXL_HDM_DECODER(0) + CXL_HDM_BASE_LOW, 0x10 },
		{ "decoder 0 base high", CXL_HDM_DECODER(0) + CXL_HDM_BASE_HIGH, 0x14 },
		{ "decoder 0 size low", CXL_HDM_DECODER(0) + CXL_HDM_SIZE_LOW, 0x18 },
		{ "decoder 0 size high", CXL_HDM_DECODER(0) + CXL_HDM_SIZE_HIGH, 0x1c },
		{ "decoder 0 control", CXL_HDM_DECODER(0) + CXL_HDM_CTRL, 0x20 },
		{ "decoder 0 target / skip low", CXL_HDM_DECODER(0) + CXL_HDM_TARGET_LOW, 0x24 },
		{ "decoder 0 target / skip high", CXL_HDM_DECODER(0) + CXL_HDM_TARGET_HIGH, 0x28 },
		{ "decoder 1 base low", CXL_HDM_DECODER(1) + CXL_HDM_BASE_LOW, 0x30 },
		{ "decoder 3 control", CXL_HDM_DECODER(3) + CXL_HDM_CTRL, 0x80 },
		{ "cache/mem registers", CXL_CM_OFFSET, 0x1000 },
		{ "component block", (unsigned)CXL_COMPONENT_BLOCK_SIZE, 0x10000 },
		{ "register locator first entry", CXL_REGLOC_FIRST, 0x0c },
		{ "DVSEC control", CXL_DVSEC_CTRL, 0x0c },
		{ "DVSEC range 1 size high", CXL_DVSEC_RANGE_SIZE_HIGH(0), 0x18 },
		{ "DVSEC range 1 size low", CXL_DVSEC_RANGE_SIZE_LOW(0), 0x1c },
		{ "DVSEC range 2 size low", CXL_DVSEC_RANGE_SIZE_LOW(1), 0x2c },
		{ "device capability header 1", CXLDEV_CAP_HDR(1), 0x20 },
		{ "mailbox control", CXLDEV_MBOX_CTRL, 0x04 },
		{ "mailbox command", CXLDEV_MBOX_CMD, 0x08 },
		{ "mailbox status high", CXLDEV_MBOX_STATUS_HIGH, 0x14 },
		{ "mailbox payload", CXLDEV_MBOX_PAYLOAD, 0x20 },
		{ "PCIe link capabilities", PCI_EXP_LNKCAP, 0x0c },
		{ "capability pointer", PCI_CAP_PTR, 0x34 },
		{ "bus numbers", PCI_BUS_NUMBERS, 0x18 },
	};

	for (size_t i = 0; i < ARRAY_SIZE(offs); i++)
		if (offs[i].got != offs[i].want)
			fail_msg("%s at 0x%x, the spec says 0x%x", offs[i].what, offs[i].got, offs[i].want);
}

/* Identifiers the spec assigns. */
static void test_identifiers(void **state)
{
	assert_int_equal(CXL_DVSEC_VENDOR, 0x1e98);
	assert_int_equal(CXL_DVSEC_PCIE_DEVICE, 0);
	assert_int_equal(CXL_DVSEC_PORT_EXTENSIONS, 3);
	assert_int_equal(CXL_DVSEC_FLEXBUS_PORT, 7);
	assert_int_equal(CXL_DVSEC_REG_LOCATOR, 8);
	assert_int_equal(CXL_REGLOC_BLOCK_COMPONENT, 1);
	assert_int_equal(CXL_REGLOC_BLOCK_MEMDEV, 3);
	assert_int_equal(CXL_CM_CAP_ID_ARRAY, 1);
	assert_int_equal(CXL_CM_CAP_ID_RAS, 2);
	assert_int_equal(CXL_CM_CAP_ID_HDM, 5);
	assert_int_equal(CXLDEV_CAP_ID_MAILBOX, 2);
	assert_int_equal(CXL_MBOX_OP_IDENTIFY, 0x4000);
	assert_int_equal(CXL_MBOX_OP_GET_PARTITION_INFO, 0x4100);
	assert_int_equal(PCI_EXT_CAP_ID_DVSEC, 0x23);
	assert_int_equal(PCI_CAP_ID_EXP, 0x10);
	assert_int_equal(PCI_CLASS_CXL_MEMDEV, 0x050210);
}

/* Decoder count field: 0 -> 1 decoder, n -> 2n up to 8h, then 9h..Ch -> 20..32; Dh..Fh reserved (§8.2.4.20.1). */
static void test_decoder_count(void **state)
{
	static const struct {
		uint32_t cap;
		unsigned decoders;
	} caps[] = { { 0x310, 1 }, { 0x380, 1 }, { 0x382, 4 }, { 0x1b12, 4 }, { 0x1b11, 2 }, { 0x4a5, 10 }, { 0x8, 16 },
		      { 0x9, 20 }, { 0xa, 24 }, { 0xb, 28 }, { 0xc, 32 }, { 0xd, 0 }, { 0xf, 0 } };

	for (size_t i = 0; i < ARRAY_SIZE(caps); i++)
		assert_int_equal(cxl_hdm_decoder_count(caps[i].cap), caps[i].decoders);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fields_decode_as_by_hand),
		cmocka_unit_test(test_offsets),
		cmocka_unit_test(test_identifiers),
		cmocka_unit_test(test_decoder_count),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
