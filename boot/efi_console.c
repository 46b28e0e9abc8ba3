/* SPDX-License-Identifier: MIT */
/*
 * Console sinks around ExitBootServices. Before it, Bolt writes through the
 * firmware console (which OVMF also mirrors to COM1) and port 0xE9; after
 * it, the firmware console is gone and Bolt drives the sinks bolt.cfg asks
 * for itself: COM1, port 0xE9 and the GOP framebuffer. The framebuffer's
 * glyphs come from font8x16.bin on the boot volume (GPL-2+ Unifont data
 * kept out of the MIT bolt.efi), read here while the firmware can still
 * read files.
 */
#include <efi.h>
#include <efilib.h>

#include "arch/serial.h"
#include "boot/boot.h"
#include "config/config.h"
#include "core/console.h"
#include "core/fbcon.h"
#include "lib/errno.h"
#include "lib/lib.h"

static EFI_SIMPLE_TEXT_OUT_PROTOCOL *conout;
static struct fbcon fb;
static bool have_gop;
static void *font_data; /* efi_read_file()'s pages, while the font is in use */
static size_t font_len;

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

/*
 * Bolt's lines before ExitBootServices, kept for the screen it shows when
 * it gives up (efi_console_give_up): until then the firmware's console
 * draws them, in its own font and layout. A few dozen lines at most.
 */
static char early_log[4096];
static size_t early_len;

static void history_sink(const char *s, size_t n)
{
	n = MIN(n, sizeof(early_log) - early_len);
	memcpy(early_log + early_len, s, n);
	early_len += n;
}

void efi_console_early(void *system_table)
{
	conout = ((EFI_SYSTEM_TABLE *)system_table)->ConOut;
	console_add_sink(conout_sink);
	console_add_sink(e9_sink);
	console_add_sink(history_sink);
}

#define FONT_PATH "font8x16.bin"
#define GIVE_UP_WAIT_S 15u

/*
 * Read and check the console font. Its pages are EfiLoaderData, which stay
 * Bolt's after ExitBootServices, so fbcon may keep pointing into them.
 */
static int load_font(void *image_handle, const uint8_t (**glyphs)[FBCON_FONT_H])
{
	void *data;
	size_t len;
	int rc = efi_read_file(image_handle, FONT_PATH, &data, &len);

	if (rc)
		return rc;
	rc = fbcon_font_parse(data, len, glyphs);
	if (rc) { /* same page count efi_read_file allocated (it adds a NUL) */
		BS->FreePages((EFI_PHYSICAL_ADDRESS)(uintptr_t)data, EFI_SIZE_TO_PAGES(len + 1));
		return rc;
	}
	font_data = data;
	font_len = len;
	return 0;
}

int efi_console_setup_gop(void *image_handle)
{
	EFI_GRAPHICS_OUTPUT_PROTOCOL *gop;
	const uint8_t (*font)[FBCON_FONT_H];
	enum fbcon_format fmt;
	int rc;

	if (BS->LocateProtocol(&GraphicsOutputProtocol, NULL, (void **)&gop) != EFI_SUCCESS) {
		log_printf("console: the firmware offers no GOP framebuffer; 'gop' sink disabled");
		return -XEN_ENODEV;
	}
	EFI_GRAPHICS_OUTPUT_MODE_INFORMATION *info = gop->Mode->Info;
	if (info->PixelFormat == PixelRedGreenBlueReserved8BitPerColor) {
		fmt = FBCON_RGBX;
	} else if (info->PixelFormat == PixelBlueGreenRedReserved8BitPerColor) {
		fmt = FBCON_BGRX;
	} else {
		/* bitmask or blt-only modes: no linear 32 bpp framebuffer */
		log_printf("console: GOP pixel format %u is not linear 32 bpp RGB/BGR; "
			   "'gop' sink disabled", (unsigned)info->PixelFormat);
		return -XEN_EOPNOTSUPP;
	}
	rc = load_font(image_handle, &font);
	if (rc) {
		log_printf("console: " FONT_PATH " missing or invalid on the boot volume; "
			   "'gop' sink disabled");
		return rc;
	}
	rc = fbcon_init(&fb, (void *)(uintptr_t)gop->Mode->FrameBufferBase,
			info->HorizontalResolution, info->VerticalResolution,
			info->PixelsPerScanLine, fmt, font);
	if (rc) {
		log_printf("console: GOP mode %ux%u (stride %u) is unusable (error %d); "
			   "'gop' sink disabled", (unsigned)info->HorizontalResolution,
			   (unsigned)info->VerticalResolution, (unsigned)info->PixelsPerScanLine, rc);
		return rc;
	}
	have_gop = true;
	log_printf("console: GOP %ux%u framebuffer, font from " FONT_PATH,
		   (unsigned)info->HorizontalResolution, (unsigned)info->VerticalResolution);
	return 0;
}

static void free_font(void)
{
	if (font_data)
		BS->FreePages((EFI_PHYSICAL_ADDRESS)(uintptr_t)font_data, EFI_SIZE_TO_PAGES(font_len + 1));
	font_data = NULL;
}

void efi_console_give_up(unsigned console_mask)
{
	EFI_INPUT_KEY key;

	console_remove_sink(history_sink);
	if (!have_gop) {
		free_font();
		return; /* serial and port 0xE9 are logs: nobody to wait for */
	}
	have_gop = false;
	/*
	 * Someone is looking at a screen, and the firmware's boot manager
	 * would redraw it at once: leave the lines up until a key press or
	 * GIVE_UP_WAIT_S. Bolt draws them itself, with the console it would
	 * have run with (so the 'gop' sink is seen working before a machine
	 * with VT-x exists): the firmware's text console writes to the same
	 * framebuffer, so it stops here, and COM1 is driven by Bolt as after
	 * ExitBootServices. Reset ConIn first, so that a key pressed during
	 * the boot does not end the wait before it starts.
	 */
	console_remove_sink(conout_sink);
	if (console_mask & CFG_CONSOLE_COM1) {
		serial_init();
		console_add_sink(serial_sink);
	}
	fbcon_clear(&fb);
	fbcon_write(&fb, early_log, early_len);
	console_add_sink(gop_sink);
	ST->ConIn->Reset(ST->ConIn, FALSE);
	log_printf("press a key to return to the firmware (%u s)", GIVE_UP_WAIT_S);
	if (WaitForSingleEvent(ST->ConIn->WaitForKey, GIVE_UP_WAIT_S * 10000000ULL) == EFI_SUCCESS)
		ST->ConIn->ReadKeyStroke(ST->ConIn, &key);
	/* The firmware owns the screen and COM1 again; the font goes last (fbcon drew with it). */
	console_remove_sink(gop_sink);
	console_remove_sink(serial_sink);
	console_add_sink(conout_sink);
	free_font();
}

void efi_console_exit_boot_services(unsigned console_mask)
{
	console_remove_sink(history_sink);
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
