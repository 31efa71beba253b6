// SPDX-License-Identifier: MIT
/*
 * Text output. The firmware console (ConOut) is what a user sees on screen and,
 * on servers and in OVMF, also on the serial port through the firmware's own
 * console redirection. We drive COM1 ourselves only when ConOut does not
 * already reach a UART; otherwise serial-over-LAN would show every line twice.
 */
#include "boot/uefi.h"

#include <string.h>

#include "boot/portio.h"

#define COM_THR 0
#define COM_IER 1
#define COM_FCR 2
#define COM_LCR 3
#define COM_MCR 4
#define COM_LSR 5
#define COM_DLL 0
#define COM_DLM 1
#define COM_LSR_THRE 0x20
#define COM_LCR_DLAB 0x80
#define COM_LCR_8N1 0x03

static uint16_t serial_port;
static bool serial_ok;

void console_init(void)
{
	efi_st->ConOut->EnableCursor(efi_st->ConOut, FALSE);
}

void console_write(void *ctx, const char *line, size_t len)
{
	CHAR16 buf[130];
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		if (line[i] == '\n')
			buf[n++] = L'\r';
		buf[n++] = (CHAR16)(unsigned char)line[i];
		if (n >= 126 || i + 1 == len) {
			buf[n] = 0;
			efi_st->ConOut->OutputString(efi_st->ConOut, buf);
			n = 0;
		}
	}
}

/* Device path node: type 3 (messaging), sub-type 14 (UART). UEFI 2.10 §10.3.4.14. */
static bool device_path_has_uart(const uint8_t *p, size_t len)
{
	size_t off = 0;

	while (off + 4 <= len) {
		uint16_t node_len = (uint16_t)(p[off + 2] | p[off + 3] << 8);

		if (p[off] == 3 && p[off + 1] == 14)
			return true;
		if (node_len < 4)
			break;
		off += node_len;
	}
	return false;
}

bool console_is_serial(void)
{
	EFI_GUID global = EFI_GLOBAL_VARIABLE;
	uint8_t buf[1024];
	UINTN size = sizeof(buf);

	if (efi_st->RuntimeServices->GetVariable(L"ConOut", &global, NULL, &size, buf) != EFI_SUCCESS)
		return false;
	return device_path_has_uart(buf, size);
}

#define UART_CLOCK_BAUD 115200 /* a 16550's base rate: divisor 1 */

void serial_init(uint16_t port, unsigned baud)
{
	const uint16_t divisor = (uint16_t)(UART_CLOCK_BAUD / (baud ? baud : UART_CLOCK_BAUD));

	serial_port = port;
	outb(port + COM_IER, 0);
	outb(port + COM_LCR, COM_LCR_DLAB);
	outb(port + COM_DLL, divisor & 0xff);
	outb(port + COM_DLM, divisor >> 8);
	outb(port + COM_LCR, COM_LCR_8N1);
	outb(port + COM_FCR, 0xc7); /* enable and clear FIFOs */
	outb(port + COM_MCR, 0x03); /* DTR, RTS */
	/* No UART answers with all ones: then we stay silent rather than spin. */
	serial_ok = inb(port + COM_LSR) != 0xff;
}

static void serial_putc(char c)
{
	/* Bounded: a missing or stuck UART must not hang the run. */
	for (unsigned spin = 0; spin < 100000; spin++)
		if (inb(serial_port + COM_LSR) & COM_LSR_THRE)
			break;
	outb(serial_port + COM_THR, (uint8_t)c);
}

void serial_write(void *ctx, const char *line, size_t len)
{
	if (!serial_ok)
		return;
	for (size_t i = 0; i < len; i++) {
		if (line[i] == '\n')
			serial_putc('\r');
		serial_putc(line[i]);
	}
}
