// SPDX-License-Identifier: MIT
/*
 * fwfault: a test-only UEFI application that makes firmware lie about CXL
 * windows, then starts cxlval. It reads \cxlval\fwfault.txt from its own
 * volume, one range per line:
 *
 *     <conventional|soft_reserved|reserved|persistent|uncached|unmapped> <base-hex> <size-hex>
 *
 * ("uncached" and "unmapped": MMIO space, not in the memory map, given the UC
 * attribute, for which OVMF's CpuDxe programs a variable MTRR, or the RP
 * attribute, for which it clears the present bit in firmware's page tables.)
 *
 * and adds each range to the Global Coherency Domain with the DXE services
 * (AddMemorySpace, AllocateMemorySpace, SetMemorySpaceAttributes) so that it
 * appears in the UEFI memory map the way a platform firmware would report
 * it. A line "args <words>" gives cxlval a command line, as the UEFI shell
 * would (LoadOptions "cxlval.efi <words>" in UCS-2).
 *
 * BIOS-style decoders (DESIGN.md §5b), committed before anything else, in
 * file order (endpoints first, host bridge last, as a BIOS commits them);
 * every number is hex:
 *
 *     ep <n> <decoder> <base> <size> <control> <dpa-skip>     n-th type-3 device in bus/device order
 *     hb <uid> <decoder> <base> <size> <control> <target-list> the CHBS host bridge with that UID
 *
 * Each sets HDM Decoder Enable (and Mem_Enable on an endpoint), writes base,
 * size and target list / DPA skip, then the control value (0x210: 2-way,
 * 256 B, Commit; 0x310 adds Lock On Commit), and says what control reads.
 * The registers are found the way cxlval finds them: CHBS and MCFG from
 * the ACPI tables, BAR0 from ECAM, the HDM capability in the CXL.cachemem
 * capability array.
 * Then it loads and starts \cxlval\cxlval.efi. Conventional memory is
 * added only after cxlval's image is loaded, so that firmware cannot place
 * the image in a window whose decoders nobody has programmed yet.
 */
#include <efi.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "lib/fmt.h"

/* PI 1.7 vol. 2 §7.2: the part of EFI_DXE_SERVICES we call, in table order. */
enum gcd_memory_type { GCD_NONEXISTENT, GCD_RESERVED, GCD_SYSTEM_MEMORY, GCD_MMIO, GCD_PERSISTENT };
enum gcd_allocate_type { GCD_ALLOCATE_ADDRESS = 2 };

struct dxe_services {
	EFI_TABLE_HEADER hdr;
	EFI_STATUS(EFIAPI *add_memory_space)(UINT32 type, UINT64 base, UINT64 length, UINT64 capabilities);
	EFI_STATUS(EFIAPI *allocate_memory_space)(UINT32 alloc, UINT32 type, UINTN align, UINT64 length,
						  UINT64 *base, EFI_HANDLE image, EFI_HANDLE device);
	void *free_memory_space, *remove_memory_space, *get_memory_space_descriptor;
	EFI_STATUS(EFIAPI *set_memory_space_attributes)(UINT64 base, UINT64 length, UINT64 attributes);
};

#define DXE_SERVICES_GUID { 0x05ad34ba, 0x6f02, 0x4214, { 0x95, 0x2e, 0x4d, 0xa0, 0x39, 0x8e, 0x2b, 0xb9 } }
#define MEM_UC 0x1ULL
#define MEM_WC 0x2ULL
#define MEM_WT 0x4ULL
#define MEM_WB 0x8ULL
#define MEM_RP 0x2000ULL
#define MEM_NV 0x8000ULL
#define MEM_SP 0x40000ULL
#define MAX_RANGES 16
#define MAX_DECODERS 8
#define CXL_TYPE3_ID 0x0d938086U /* QEMU's cxl-type3: device 0x0d93, vendor 0x8086 */

struct decoder_line {
	char who[4]; /* "ep" or "hb" */
	uint64_t which, index, base, size, ctrl, target;
};

static struct decoder_line decoders[MAX_DECODERS];
static unsigned nr_decoders;

struct range {
	char kind[16];
	uint64_t base, size;
};

static EFI_SYSTEM_TABLE *st;
static EFI_HANDLE self;

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	char line[200];
	CHAR16 wide[200];
	va_list ap;
	size_t i;

	va_start(ap, fmt);
	fmt_vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	for (i = 0; line[i] && i < sizeof(wide) / sizeof(wide[0]) - 3; i++)
		wide[i] = (CHAR16)line[i];
	wide[i++] = L'\r';
	wide[i++] = L'\n';
	wide[i] = 0;
	st->ConOut->OutputString(st->ConOut, wide);
}

static struct dxe_services *find_dxe(void)
{
	EFI_GUID guid = DXE_SERVICES_GUID;

	for (UINTN i = 0; i < st->NumberOfTableEntries; i++)
		if (!memcmp(&st->ConfigurationTable[i].VendorGuid, &guid, sizeof(guid)))
			return st->ConfigurationTable[i].VendorTable;
	return NULL;
}

static uint64_t parse_hex(const char **p)
{
	uint64_t v = 0;

	while (**p == ' ' || **p == '\t')
		(*p)++;
	if ((*p)[0] == '0' && ((*p)[1] == 'x' || (*p)[1] == 'X'))
		*p += 2;
	for (;; (*p)++) {
		char c = **p;

		if (c >= '0' && c <= '9')
			v = v << 4 | (uint64_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v = v << 4 | (uint64_t)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v = v << 4 | (uint64_t)(c - 'A' + 10);
		else
			return v;
	}
}

static CHAR16 args[256];

/* The shell's form: the program name, then the words, NUL-terminated UCS-2. */
static void set_args(const char *words)
{
	static const char prog[] = "cxlval.efi ";
	size_t n = 0;

	for (const char *p = prog; *p; p++)
		args[n++] = (CHAR16)*p;
	for (; *words && n < sizeof(args) / sizeof(args[0]) - 1; words++)
		args[n++] = (CHAR16)(unsigned char)*words;
	args[n] = 0;
}

static unsigned parse(const char *text, size_t len, struct range *out)
{
	unsigned n = 0;

	for (size_t pos = 0; pos < len && n < MAX_RANGES;) {
		char line[128];
		size_t k = 0;
		const char *p;

		while (pos < len && text[pos] != '\n') {
			if (k < sizeof(line) - 1)
				line[k++] = text[pos];
			pos++;
		}
		pos++;
		line[k] = '\0';
		if (!k || line[0] == '#')
			continue;
		if (!strncmp(line, "args ", 5)) {
			set_args(line + 5);
			continue;
		}
		if ((!strncmp(line, "ep ", 3) || !strncmp(line, "hb ", 3)) && nr_decoders < MAX_DECODERS) {
			struct decoder_line *d = &decoders[nr_decoders++];

			p = line + 2;
			memcpy(d->who, line, 2);
			d->which = parse_hex(&p);
			d->index = parse_hex(&p);
			d->base = parse_hex(&p);
			d->size = parse_hex(&p);
			d->ctrl = parse_hex(&p);
			d->target = parse_hex(&p);
			continue;
		}
		for (k = 0; line[k] && line[k] != ' ' && k < sizeof(out[n].kind) - 1; k++)
			out[n].kind[k] = line[k];
		out[n].kind[k] = '\0';
		p = line + k;
		out[n].base = parse_hex(&p);
		out[n].size = parse_hex(&p);
		if (out[n].size)
			n++;
		else
			say("fwfault: ignored line '%s'", line);
	}
	return n;
}

static EFI_STATUS apply(struct dxe_services *dxe, const struct range *r)
{
	uint64_t base = r->base;
	EFI_STATUS s;

	if (!strcmp(r->kind, "reserved") || !strcmp(r->kind, "persistent")) {
		uint32_t type = r->kind[0] == 'r' ? GCD_RESERVED : GCD_PERSISTENT;
		uint64_t caps = MEM_UC | MEM_WB | (type == GCD_PERSISTENT ? MEM_NV : 0);

		s = dxe->add_memory_space(type, base, r->size, caps);
		if (s == EFI_SUCCESS)
			s = dxe->allocate_memory_space(GCD_ALLOCATE_ADDRESS, type, 0, r->size, &base, self, NULL);
		return s;
	}
	if (!strcmp(r->kind, "conventional") || !strcmp(r->kind, "soft_reserved")) {
		bool sp = r->kind[0] == 's';

		s = dxe->add_memory_space(GCD_SYSTEM_MEMORY, base, r->size,
					  MEM_UC | MEM_WC | MEM_WT | MEM_WB | (sp ? MEM_SP : 0));
		if (s == EFI_SUCCESS)
			s = dxe->set_memory_space_attributes(base, r->size, MEM_WB | (sp ? MEM_SP : 0));
		return s;
	}
	if (!strcmp(r->kind, "uncached") || !strcmp(r->kind, "unmapped")) {
		uint64_t attr = r->kind[2] == 'c' ? MEM_UC : MEM_RP;

		s = dxe->add_memory_space(GCD_MMIO, base, r->size, MEM_UC | MEM_WB | MEM_RP);
		if (s == EFI_SUCCESS)
			s = dxe->set_memory_space_attributes(base, r->size, attr);
		return s;
	}
	return EFI_INVALID_PARAMETER;
}

/* ---- BIOS-style decoders ---- */

static const uint8_t *acpi_table(const char *sig)
{
	EFI_GUID acpi20 = ACPI_20_TABLE_GUID;
	const uint8_t *rsdp = NULL, *xsdt;
	uint32_t len;

	for (UINTN i = 0; i < st->NumberOfTableEntries; i++)
		if (!memcmp(&st->ConfigurationTable[i].VendorGuid, &acpi20, sizeof(acpi20)))
			rsdp = st->ConfigurationTable[i].VendorTable;
	if (!rsdp)
		return NULL;
	xsdt = (const uint8_t *)(uintptr_t)*(const uint64_t *)(rsdp + 24);
	len = *(const uint32_t *)(xsdt + 4);
	for (uint32_t off = 36; off + 8 <= len; off += 8) {
		const uint8_t *t = (const uint8_t *)(uintptr_t)*(const uint64_t *)(xsdt + off);

		if (!memcmp(t, sig, 4))
			return t;
	}
	return NULL;
}

static uint64_t chbcr_of(uint32_t uid)
{
	const uint8_t *cedt = acpi_table("CEDT");
	uint32_t len = cedt ? *(const uint32_t *)(cedt + 4) : 0;

	for (uint32_t off = 36; off + 4 <= len;) {
		const uint8_t *e = cedt + off;
		uint16_t elen = *(const uint16_t *)(e + 2);

		if (!elen)
			break;
		if (e[0] == 0 && *(const uint32_t *)(e + 4) == uid)
			return *(const uint64_t *)(e + 16);
		off += elen;
	}
	return 0;
}

/* ECAM of the n-th type-3 device (bus, then device order), or 0. */
static volatile uint8_t *type3_cfg(uint64_t n)
{
	const uint8_t *mcfg = acpi_table("MCFG");
	uint64_t ecam = mcfg ? *(const uint64_t *)(mcfg + 44) : 0;
	unsigned last_bus = mcfg ? mcfg[55] : 0;

	for (unsigned bus = mcfg ? mcfg[54] : 0; ecam && bus <= last_bus; bus++)
		for (unsigned dev = 0; dev < 32; dev++) {
			volatile uint8_t *cfg = (volatile uint8_t *)(uintptr_t)(ecam + ((uint64_t)bus << 20) + (dev << 15));

			if (*(volatile uint32_t *)cfg == CXL_TYPE3_ID && !n--)
				return cfg;
		}
	return NULL;
}

/* Mem_Enable in the PCIe DVSEC for CXL devices (vendor 0x1e98, id 0): control at +0x0c, bit 2. */
static void mem_enable(volatile uint8_t *cfg)
{
	for (unsigned off = 0x100, hops = 0; off && hops < 64; hops++) {
		uint32_t hdr = *(volatile uint32_t *)(cfg + off);

		if ((hdr & 0xffff) == 0x23 && (*(volatile uint32_t *)(cfg + off + 4) & 0xffff) == 0x1e98 &&
		    (*(volatile uint32_t *)(cfg + off + 8) & 0xffff) == 0) {
			*(volatile uint16_t *)(cfg + off + 0x0c) |= 4;
			return;
		}
		off = hdr >> 20;
	}
}

/* The HDM decoder capability (ID 5) in the CXL.cachemem capability array at component + 4 KiB. */
static uint64_t hdm_of(uint64_t component)
{
	volatile uint32_t *array = (volatile uint32_t *)(uintptr_t)(component + 0x1000);
	unsigned n = component ? array[0] >> 24 : 0;

	for (unsigned i = 1; i <= n; i++)
		if ((array[i] & 0xffff) == 5)
			return component + 0x1000 + (array[i] >> 20);
	return 0;
}

static void commit_decoder(const struct decoder_line *d)
{
	volatile uint8_t *cfg = d->who[0] == 'e' ? type3_cfg(d->which) : NULL;
	uint64_t component = cfg ? (*(volatile uint32_t *)(cfg + 0x10) & ~0xfULL) |
				   (uint64_t)*(volatile uint32_t *)(cfg + 0x14) << 32
				 : chbcr_of((uint32_t)d->which);
	uint64_t hdm = hdm_of(component);
	volatile uint32_t *r = (volatile uint32_t *)(uintptr_t)(hdm + 0x10 + 0x20 * d->index);
	uint32_t ctrl = 0;

	if (!hdm) {
		say("fwfault: %s 0x%llx: no HDM decoder capability found", d->who, (unsigned long long)d->which);
		return;
	}
	if (cfg)
		mem_enable(cfg);
	((volatile uint32_t *)(uintptr_t)hdm)[1] |= 2; /* HDM Decoder Enable */
	r[0] = (uint32_t)d->base;
	r[1] = (uint32_t)(d->base >> 32);
	r[2] = (uint32_t)d->size;
	r[3] = (uint32_t)(d->size >> 32);
	r[5] = (uint32_t)d->target;
	r[6] = (uint32_t)(d->target >> 32);
	r[4] = (uint32_t)d->ctrl;
	for (unsigned i = 0; i < 100000 && !((ctrl = r[4]) & 0xc00); i++)
		;
	say("fwfault: %s 0x%llx decoder %llu at 0x%llx: control 0x%llx written, reads 0x%x", d->who,
	    (unsigned long long)d->which, (unsigned long long)d->index, (unsigned long long)hdm,
	    (unsigned long long)d->ctrl, ctrl);
}

static size_t wide_len(const CHAR16 *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

/* Our own volume's device path plus a file-path node: where cxlval.efi is. */
static EFI_DEVICE_PATH *file_path(EFI_HANDLE device, const CHAR16 *name)
{
	EFI_GUID dp_guid = EFI_DEVICE_PATH_PROTOCOL_GUID;
	size_t dev_len = 0, name_bytes = (wide_len(name) + 1) * sizeof(CHAR16), node_len = 4 + name_bytes;
	uint8_t *dev, *p, *out;

	if (st->BootServices->HandleProtocol(device, &dp_guid, (void **)&dev) != EFI_SUCCESS)
		return NULL;
	for (p = dev; !(p[0] == 0x7f && p[1] == 0xff);) {
		size_t len = (size_t)(p[2] | p[3] << 8);

		if (len < 4)
			return NULL;
		dev_len += len;
		p += len;
	}
	if (st->BootServices->AllocatePool(EfiLoaderData, dev_len + node_len + 4, (void **)&out) != EFI_SUCCESS)
		return NULL;
	memcpy(out, dev, dev_len);
	p = out + dev_len;
	p[0] = 4; /* media */
	p[1] = 4; /* file path */
	p[2] = (uint8_t)node_len;
	p[3] = (uint8_t)(node_len >> 8);
	memcpy(p + 4, name, name_bytes);
	p += node_len;
	p[0] = 0x7f;
	p[1] = 0xff;
	p[2] = 4;
	p[3] = 0;
	return (EFI_DEVICE_PATH *)out;
}

static long read_file(EFI_HANDLE device, const CHAR16 *name, char *buf, size_t cap)
{
	EFI_GUID sfs_guid = EFI_SIMPLE_FILE_SYSTEM_PROTOCOL_GUID;
	EFI_FILE_IO_INTERFACE *sfs;
	EFI_FILE_PROTOCOL *root, *f;
	UINTN n = cap;

	if (st->BootServices->HandleProtocol(device, &sfs_guid, (void **)&sfs) != EFI_SUCCESS ||
	    sfs->OpenVolume(sfs, &root) != EFI_SUCCESS)
		return -1;
	if (root->Open(root, &f, (CHAR16 *)name, EFI_FILE_MODE_READ, 0) != EFI_SUCCESS)
		return -1;
	if (f->Read(f, &n, buf) != EFI_SUCCESS)
		n = 0;
	f->Close(f);
	root->Close(root);
	return (long)n;
}

static void apply_all(struct dxe_services *dxe, const struct range *r, unsigned n, bool conventional)
{
	for (unsigned i = 0; i < n; i++) {
		bool conv = !strcmp(r[i].kind, "conventional");

		if (conv != conventional)
			continue;
		say("fwfault: %s 0x%llx size 0x%llx: status 0x%llx", r[i].kind, (unsigned long long)r[i].base,
		    (unsigned long long)r[i].size, (unsigned long long)apply(dxe, &r[i]));
	}
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab);
EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	EFI_GUID li_guid = EFI_LOADED_IMAGE_PROTOCOL_GUID;
	static char text[4096];
	static struct range ranges[MAX_RANGES];
	struct dxe_services *dxe;
	EFI_LOADED_IMAGE *li;
	EFI_HANDLE child;
	EFI_DEVICE_PATH *path;
	EFI_STATUS s;
	long len;
	unsigned n;

	st = systab;
	self = image;
	dxe = find_dxe();
	if (!dxe || st->BootServices->HandleProtocol(image, &li_guid, (void **)&li) != EFI_SUCCESS) {
		say("fwfault: no DXE services or loaded-image protocol");
		return EFI_UNSUPPORTED;
	}
	len = read_file(li->DeviceHandle, L"\\cxlval\\fwfault.txt", text, sizeof(text));
	n = len > 0 ? parse(text, (size_t)len, ranges) : 0;
	say("fwfault: %u ranges, %u decoders", n, nr_decoders);
	for (unsigned i = 0; i < nr_decoders; i++)
		commit_decoder(&decoders[i]);
	apply_all(dxe, ranges, n, false);
	path = file_path(li->DeviceHandle, L"\\cxlval\\cxlval.efi");
	s = path ? st->BootServices->LoadImage(FALSE, image, path, NULL, 0, &child) : EFI_NOT_FOUND;
	if (s != EFI_SUCCESS) {
		say("fwfault: cannot load \\cxlval\\cxlval.efi: 0x%llx", (unsigned long long)s);
		return s;
	}
	apply_all(dxe, ranges, n, true);
	if (args[0] && st->BootServices->HandleProtocol(child, &li_guid, (void **)&li) == EFI_SUCCESS) {
		li->LoadOptions = args;
		li->LoadOptionsSize = (UINT32)((wide_len(args) + 1) * sizeof(CHAR16));
	}
	return st->BootServices->StartImage(child, NULL, NULL);
}
