// SPDX-License-Identifier: MIT
/*
 * Every PCI root bridge firmware knows, from EFI_PCI_ROOT_BRIDGE_IO_PROTOCOL:
 * segment, bus range (Configuration(): ACPI QWORD address space descriptors,
 * ACPI 6.5 §6.4.3.5.1, resource type 2 = bus numbers) and the _UID of the
 * ACPI node in its device path (UEFI 2.10 §10.3.3). Read-only.
 */
#include "boot/uefi.h"

#include <string.h>

#include "lib/firmware.h"

#define ACPI_QWORD_DESC 0x8a
#define ACPI_END_TAG 0x79
#define ACPI_RES_BUS 2
#define QWORD_TYPE 3
#define QWORD_MIN 14
#define QWORD_LEN 38
#define QWORD_SIZE 46
#define DP_ACPI 2
#define DP_ACPI_HID 1
#define DP_ACPI_EXPANDED 2
#define DP_END 0x7f
#define MAX_DESCRIPTORS 64
#define MAX_NODES 32

static uint64_t le64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static void bus_range(EFI_PCI_ROOT_BRIDGE_IO_PROTOCOL *io, struct fw_root_bridge *rb)
{
	void *res = NULL;
	const uint8_t *d;

	if (io->Configuration(io, &res) != EFI_SUCCESS || !res)
		return;
	d = res;
	for (unsigned n = 0; n < MAX_DESCRIPTORS && d[0] == ACPI_QWORD_DESC; n++, d += QWORD_SIZE) {
		uint64_t min = le64(d + QWORD_MIN), len = le64(d + QWORD_LEN);

		if (d[QWORD_TYPE] != ACPI_RES_BUS || !len || min > 255 || min + len - 1 > 255)
			continue;
		rb->bus_start = (uint8_t)min;
		rb->bus_end = (uint8_t)(min + len - 1);
		rb->has_bus = 1;
		return;
	}
}

static void acpi_uid(EFI_HANDLE h, struct fw_root_bridge *rb)
{
	EFI_GUID dp_guid = DEVICE_PATH_PROTOCOL;
	const uint8_t *n = NULL;

	if (efi_bs->HandleProtocol(h, &dp_guid, (void **)&n) != EFI_SUCCESS || !n)
		return;
	for (unsigned k = 0; k < MAX_NODES && n[0] != DP_END; k++) {
		uint16_t len = (uint16_t)(n[2] | n[3] << 8);

		if (n[0] == DP_ACPI && (n[1] == DP_ACPI_HID || n[1] == DP_ACPI_EXPANDED) && len >= 12) {
			memcpy(&rb->hid, n + 4, 4);
			memcpy(&rb->uid, n + 8, 4);
			rb->has_uid = 1;
			return;
		}
		if (len < 4)
			return;
		n += len;
	}
}

void capture_root_bridges(struct fw_facts *facts)
{
	static struct fw_root_bridge rbs[FW_MAX_ROOT_BRIDGES];
	EFI_GUID guid = EFI_PCI_ROOT_BRIDGE_IO_PROTOCOL_GUID;
	EFI_HANDLE *handles = NULL;
	UINTN count = 0;
	size_t n = 0;

	if (efi_bs->LocateHandleBuffer(ByProtocol, &guid, NULL, &count, &handles) != EFI_SUCCESS)
		return;
	for (UINTN i = 0; i < count && n < FW_MAX_ROOT_BRIDGES; i++) {
		EFI_PCI_ROOT_BRIDGE_IO_PROTOCOL *io = NULL;
		struct fw_root_bridge *rb = &rbs[n];

		if (efi_bs->HandleProtocol(handles[i], &guid, (void **)&io) != EFI_SUCCESS || !io)
			continue;
		memset(rb, 0, sizeof(*rb));
		rb->segment = (uint16_t)io->SegmentNumber;
		bus_range(io, rb);
		acpi_uid(handles[i], rb);
		n++;
	}
	efi_bs->FreePool(handles);
	facts->root_bridges = rbs;
	facts->nr_root_bridges = n;
}
