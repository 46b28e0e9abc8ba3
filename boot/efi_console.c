/* SPDX-License-Identifier: MIT */
/*
 * Console sinks around ExitBootServices. Before it, Bolt writes through the
 * firmware console (which OVMF also mirrors to COM1) and port 0xE9; after
 * it, the firmware console is gone and Bolt drives the sinks bolt.cfg asks
 * for itself: COM1, port 0xE9 and the GOP framebuffer.
 */
#include <efi.h>
#include <efilib.h>

#include "arch/serial.h"
#include "boot/boot.h"
#include "core/config.h"
#include "core/console.h"
#include "core/fbcon.h"

static EFI_SIMPLE_TEXT_OUT_PROTOCOL *conout;
static struct fbcon fb;
static bool have_gop;

static void conout_sink(const char *s, size_t n)
{
	CHAR16 buf[CONSOLE_LINE_MAX + 64];
	size_t j = 0;

	for (size_t i = 0; i < n && j < ARRAY_SIZE(buf) - 1; i++)
		buf[j++] = (CHAR16)(unsigned char)s[i];
	buf[j] = 0;
	conout->OutputString(conout, buf);
}

static void gop_sink(const char *s, size_t n)
{
	fbcon_write(&fb, s, n);
}

void efi_console_early(void *system_table)
{
	conout = ((EFI_SYSTEM_TABLE *)system_table)->ConOut;
	console_add_sink(conout_sink);
	console_add_sink(e9_sink);
}

int efi_console_setup_gop(void *system_table)
{
	EFI_GRAPHICS_OUTPUT_PROTOCOL *gop;
	(void)system_table;

	if (BS->LocateProtocol(&GraphicsOutputProtocol, NULL, (void **)&gop) != EFI_SUCCESS)
		return -1;
	EFI_GRAPHICS_OUTPUT_MODE_INFORMATION *info = gop->Mode->Info;
	enum fbcon_format fmt;
	if (info->PixelFormat == PixelRedGreenBlueReserved8BitPerColor)
		fmt = FBCON_RGBX;
	else if (info->PixelFormat == PixelBlueGreenRedReserved8BitPerColor)
		fmt = FBCON_BGRX;
	else
		return -1; /* bitmask or blt-only modes: no linear 32 bpp framebuffer */
	if (fbcon_init(&fb, (void *)(uintptr_t)gop->Mode->FrameBufferBase, info->HorizontalResolution,
		       info->VerticalResolution, info->PixelsPerScanLine, fmt))
		return -1;
	have_gop = true;
	return 0;
}

void efi_console_exit_boot_services(unsigned console_mask)
{
	console_remove_sink(conout_sink);
	console_remove_sink(e9_sink);
	if (console_mask & CFG_CONSOLE_COM1) {
		serial_init();
		console_add_sink(serial_sink);
	}
	if (console_mask & CFG_CONSOLE_E9)
		console_add_sink(e9_sink);
	if ((console_mask & CFG_CONSOLE_GOP) && have_gop)
		console_add_sink(gop_sink);
}
