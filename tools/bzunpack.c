// SPDX-License-Identifier: MIT
/*
 * bzunpack: turn a Linux bzImage into the vmlinux ELF that PVH boot needs,
 * the way Xen's domain builder does (xc_dom_bzimageloader): read the x86
 * boot protocol header, find the compressed payload (payload_offset and
 * payload_length, boot protocol 2.08+), and run the matching decompressor
 * from Debian's packages on it (lz4, gzip, xz, zstd, bzip2, lzop). No
 * decompressor is written here.
 *
 * The kernel's build appends the uncompressed size as a little-endian
 * 32-bit word after the compressed stream (arch/x86/boot/compressed); the
 * lz4 tool treats those 4 bytes as a broken frame, so they are cut off
 * and used to check the result instead.
 *
 * Usage: bzunpack BZIMAGE VMLINUX
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* x86 boot protocol (Documentation/x86/boot.rst): offsets in the bzImage. */
#define BP_SETUP_SECTS 0x1f1
#define BP_HEADER 0x202      /* "HdrS" */
#define BP_VERSION 0x206
#define BP_PAYLOAD_OFFSET 0x248
#define BP_PAYLOAD_LENGTH 0x24c
#define BP_MIN_VERSION 0x208 /* the first with payload_offset/length */

struct format {
	const char *name;
	const uint8_t magic[6];
	size_t magic_len;
	const char *argv[4]; /* decompressor reading stdin, writing stdout */
};

static const struct format formats[] = {
	{ "lz4 (legacy)", { 0x02, 0x21, 0x4c, 0x18 }, 4, { "lz4", "-dc", NULL } },
	{ "gzip", { 0x1f, 0x8b }, 2, { "gzip", "-dc", NULL } },
	{ "xz", { 0xfd, '7', 'z', 'X', 'Z', 0 }, 6, { "xz", "-dc", NULL } },
	{ "zstd", { 0x28, 0xb5, 0x2f, 0xfd }, 4, { "zstd", "-dcq", NULL } },
	{ "bzip2", { 'B', 'Z', 'h' }, 3, { "bzip2", "-dc", NULL } },
	{ "lzma", { 0x5d, 0x00, 0x00 }, 3, { "xz", "--format=lzma", "-dc", NULL } },
	{ "lzo", { 0x89, 'L', 'Z', 'O' }, 4, { "lzop", "-dc", NULL } },
};

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint8_t *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc((size_t)n + 1);
		if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		}
		*len = (size_t)n;
	}
	fclose(f);
	return buf;
}

/* Run fmt's decompressor: data on its stdin, out_fd its stdout. 0 on success. */
static int run_decompressor(const struct format *fmt, const uint8_t *data, size_t len, int out_fd)
{
	int pfd[2], status;
	pid_t pid;

	if (pipe(pfd))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		dup2(pfd[0], 0);
		dup2(out_fd, 1);
		close(pfd[0]);
		close(pfd[1]);
		execvp(fmt->argv[0], (char *const *)fmt->argv);
		fprintf(stderr, "bzunpack: cannot run %s: %s (is its Debian package installed?)\n",
			fmt->argv[0], strerror(errno));
		_exit(127);
	}
	close(pfd[0]);
	while (len) {
		ssize_t w = write(pfd[1], data, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		data += w;
		len -= (size_t)w;
	}
	close(pfd[1]);
	if (waitpid(pid, &status, 0) < 0)
		return -1;
	return (len == 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0) ? 0 : -1;
}

int main(int argc, char **argv)
{
	const struct format *fmt = NULL;
	struct stat st;
	size_t len = 0;
	uint8_t *img;
	int fd;

	if (argc != 3) {
		fprintf(stderr, "usage: bzunpack BZIMAGE VMLINUX\n");
		return 2;
	}
	img = read_all(argv[1], &len);
	if (!img) {
		fprintf(stderr, "bzunpack: cannot read %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	if (len < BP_PAYLOAD_LENGTH + 4 || memcmp(img + BP_HEADER, "HdrS", 4)) {
		fprintf(stderr, "bzunpack: %s: not a bzImage (no \"HdrS\" boot header at 0x%x)\n",
			argv[1], BP_HEADER);
		return 1;
	}
	unsigned version = img[BP_VERSION] | img[BP_VERSION + 1] << 8;
	if (version < BP_MIN_VERSION) {
		fprintf(stderr, "bzunpack: %s: boot protocol %u.%02u has no payload fields (needs 2.08+)\n",
			argv[1], version >> 8, version & 0xff);
		return 1;
	}
	/* setup_sects 0 means 4 (boot.rst); the protected-mode part follows the setup. */
	size_t setup = ((size_t)(img[BP_SETUP_SECTS] ? img[BP_SETUP_SECTS] : 4) + 1) * 512;
	size_t off = setup + le32(img + BP_PAYLOAD_OFFSET), plen = le32(img + BP_PAYLOAD_LENGTH);
	if (plen < 8 || off > len || plen > len - off) {
		fprintf(stderr, "bzunpack: %s: payload [0x%zx, +0x%zx) lies outside the file (%zu bytes)\n",
			argv[1], off, plen, len);
		return 1;
	}
	const uint8_t *payload = img + off;
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (!memcmp(payload, formats[i].magic, formats[i].magic_len))
			fmt = &formats[i];
	if (!fmt) {
		fprintf(stderr, "bzunpack: %s: unknown payload compression (magic %02x %02x %02x %02x)\n",
			argv[1], payload[0], payload[1], payload[2], payload[3]);
		return 1;
	}
	uint32_t want = le32(payload + plen - 4);
	fd = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		fprintf(stderr, "bzunpack: cannot write %s: %s\n", argv[2], strerror(errno));
		return 1;
	}
	if (run_decompressor(fmt, payload, plen - 4, fd)) {
		fprintf(stderr, "bzunpack: %s: %s decompression failed\n", argv[1], fmt->name);
		close(fd);
		unlink(argv[2]);
		return 1;
	}
	if (fstat(fd, &st) || (uint64_t)st.st_size != want) {
		fprintf(stderr, "bzunpack: %s: unpacked %lld bytes, the image says %u\n", argv[1],
			(long long)st.st_size, want);
		close(fd);
		unlink(argv[2]);
		return 1;
	}
	close(fd);
	uint8_t elf[4] = { 0 };
	fd = open(argv[2], O_RDONLY);
	if (fd < 0 || read(fd, elf, 4) != 4 || memcmp(elf, "\177ELF", 4)) {
		fprintf(stderr, "bzunpack: %s: the payload is not an ELF file\n", argv[1]);
		if (fd >= 0)
			close(fd);
		unlink(argv[2]);
		return 1;
	}
	close(fd);
	printf("bzunpack: %s: %s payload, %zu bytes -> %s, %u bytes\n", argv[1], fmt->name, plen,
	       argv[2], want);
	free(img);
	return 0;
}
