/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer harness for the PVH ELF loader (lib/elf.c).
 *
 * Input: an 8-byte prefix, then the image.
 *   bytes 0..3  ram_size = value % (4 MiB + 1)  (little-endian)
 *   byte  4     min_paddr = value * 64 KiB      (may exceed ram_size)
 *   byte  5     errlen (0..255; the error buffer is exactly that big)
 *   byte  6     bit 0: name NULL
 * The guest RAM is a 4 MiB mapping followed by a 64 KiB canary; it is
 * filled with a pattern once and restored after every successful load.
 * Oracles: probe and load agree; a failed load writes nothing (RAM is
 * made read-only when the probe rejects the image, so a stray write
 * faults at once, and the canary is compared); a successful load writes
 * only inside [load_lo, load_hi), which lies in
 * [min_paddr, ram_size) and holds the entry point; a larger RAM and a
 * lower min_paddr never turn success into failure; error texts are
 * NUL-terminated inside their buffer and non-empty on failure.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "lib/elf.h"
#include "lib/errno.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define PREFIX 8
#define RAM_SIZE (4u << 20)
#define CANARY_SIZE (64u << 10)
#define PATTERN 0x5a

static uint8_t *ram;     /* RAM_SIZE + CANARY_SIZE, page-aligned (mmap) */
static uint8_t *pattern; /* the same size, all PATTERN, for memcmp */

static void fail(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz_elf: %s\n%s\n", what, detail ? detail : "");
	abort();
}

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/* ram[lo, hi) must still hold the pattern. */
static void check_untouched(uint64_t lo, uint64_t hi, const char *why)
{
	if (lo < hi && memcmp(ram + lo, pattern, (size_t)(hi - lo)))
		fail(why, NULL);
}

static void check_err(int rc, const char *err, size_t errlen)
{
	if (!errlen)
		return;
	if (!memchr(err, '\0', errlen))
		fail("error text not NUL-terminated inside its buffer", NULL);
	if (rc == 0 && err[0])
		fail("error text set on success", err);
	if (rc && errlen >= 2 && !err[0])
		fail("failure without an error text", NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct elf_pvh_info pinfo, linfo, binfo;
	uint64_t ram_size, min_paddr;
	const char *name;
	size_t errlen, len;
	char *err;
	int prc, lrc, brc;

	if (!ram) {
		ram = mmap(NULL, RAM_SIZE + CANARY_SIZE, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		pattern = malloc(RAM_SIZE + CANARY_SIZE);
		if (ram == MAP_FAILED || !pattern)
			abort();
		memset(ram, PATTERN, RAM_SIZE + CANARY_SIZE);
		memset(pattern, PATTERN, RAM_SIZE + CANARY_SIZE);
	}
	if (size < PREFIX)
		return 0;
	ram_size = rd32(data) % (RAM_SIZE + 1);
	min_paddr = (uint64_t)data[4] << 16;
	errlen = data[5];
	name = (data[6] & 1) ? NULL : "fuzz.elf";
	data += PREFIX;
	len = size - PREFIX;

	/* Exactly-sized buffers so ASan catches any over-read or over-write. */
	err = malloc(errlen ? errlen : 1);
	if (!err)
		abort();

	memset(&pinfo, 0xa5, sizeof(pinfo));
	prc = elf_probe_pvh(data, len, name, ram_size, min_paddr, &pinfo, err, errlen);
	check_err(prc, err, errlen);

	memset(&linfo, 0xa5, sizeof(linfo));
	if (prc && mprotect(ram, RAM_SIZE + CANARY_SIZE, PROT_READ))
		abort();
	lrc = elf_load_pvh(data, len, name, ram, ram_size, min_paddr, &linfo, err, errlen);
	if (prc && mprotect(ram, RAM_SIZE + CANARY_SIZE, PROT_READ | PROT_WRITE))
		abort();
	check_err(lrc, err, errlen);
	free(err);

	if (prc != lrc)
		fail("elf_probe_pvh and elf_load_pvh disagree", NULL);
	if (prc != 0 && prc != -XEN_ENOEXEC && prc != -XEN_EINVAL && prc != -XEN_E2BIG)
		fail("undocumented error code", NULL);
	if (lrc) {
		/* Probe accepted, load refused: already a failure above. */
		check_untouched(RAM_SIZE, RAM_SIZE + CANARY_SIZE, "a failed load wrote the canary");
		return 0;
	}

	if (memcmp(&pinfo, &linfo, sizeof(pinfo)))
		fail("probe and load report different info", NULL);
	if (!linfo.nr_segments || linfo.load_lo < min_paddr || linfo.load_lo >= linfo.load_hi ||
	    linfo.load_hi > ram_size)
		fail("loaded range outside [min_paddr, ram_size)", NULL);
	if (linfo.entry < linfo.load_lo || linfo.entry >= linfo.load_hi)
		fail("entry point outside the loaded range", NULL);
	check_untouched(0, linfo.load_lo, "load wrote below load_lo");
	check_untouched(linfo.load_hi, RAM_SIZE + CANARY_SIZE, "load wrote above load_hi");
	memset(ram + linfo.load_lo, PATTERN, (size_t)(linfo.load_hi - linfo.load_lo));

	/* Loosening the limits must keep it valid, with the same layout. */
	brc = elf_probe_pvh(data, len, name, UINT64_MAX, 0, &binfo, NULL, 0);
	if (brc || memcmp(&binfo, &linfo, sizeof(binfo)))
		fail("image valid for a small RAM is rejected for a larger one", NULL);
	return 0;
}
