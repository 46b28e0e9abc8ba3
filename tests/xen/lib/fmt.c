/* SPDX-License-Identifier: MIT */
/* A small vsnprintf: the subset xc.h lists, nothing locale or float. */
#include "tests/xen/xc.h"

struct xc_out {
	char *buf;
	size_t size, len;
};

static void xc_put(struct xc_out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

/*
 * v / base, remainder in *rem, with 32-bit divisions only: a 32-bit build
 * has no libgcc (__udivmoddi4). Long division by 16-bit halves, base <= 16.
 */
static unsigned long long xc_divmod(unsigned long long v, unsigned base, unsigned *rem)
{
	uint32_t hi = (uint32_t)(v >> 32), lo = (uint32_t)v;
	uint32_t qhi = hi / base, r = hi % base;
	uint32_t x = (r << 16) | (lo >> 16), qmid = x / base;

	r = x % base;
	x = (r << 16) | (lo & 0xffff);
	*rem = x % base;
	return ((unsigned long long)qhi << 32) | (qmid << 16) | (x / base);
}

static void xc_put_num(struct xc_out *o, unsigned long long v, unsigned base, bool neg,
		       int width, char pad)
{
	char digits[24];
	int n = 0;

	do {
		unsigned rem;

		v = xc_divmod(v, base, &rem);
		digits[n++] = "0123456789abcdef"[rem];
	} while (v);
	if (neg)
		width--;
	if (neg && pad == '0')
		xc_put(o, '-');
	for (; width > n; width--)
		xc_put(o, pad);
	if (neg && pad != '0')
		xc_put(o, '-');
	while (n)
		xc_put(o, digits[--n]);
}

int xc_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct xc_out o = { .buf = buf, .size = size, .len = 0 };

	for (; *fmt; fmt++) {
		int width = 0, longs = 0;
		char pad = ' ';
		unsigned long long u;
		long long s;

		if (*fmt != '%') {
			xc_put(&o, *fmt);
			continue;
		}
		fmt++;
		if (*fmt == '0')
			pad = '0';
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		while (*fmt == 'l' && longs < 2) {
			longs++;
			fmt++;
		}
		switch (*fmt) {
		case 'd':
		case 'i':
			s = longs == 2 ? va_arg(ap, long long)
			    : longs == 1 ? va_arg(ap, long) : va_arg(ap, int);
			u = s < 0 ? 0ull - (unsigned long long)s : (unsigned long long)s;
			xc_put_num(&o, u, 10, s < 0, width, pad);
			break;
		case 'u':
		case 'x':
			u = longs == 2 ? va_arg(ap, unsigned long long)
			    : longs == 1 ? va_arg(ap, unsigned long) : va_arg(ap, unsigned);
			xc_put_num(&o, u, *fmt == 'u' ? 10 : 16, false, width, pad);
			break;
		case 'p':
			xc_put(&o, '0');
			xc_put(&o, 'x');
			xc_put_num(&o, XC_ULONG(va_arg(ap, void *)), 16, false, width, pad);
			break;
		case 's': {
			const char *str = va_arg(ap, const char *);

			for (str = str ? str : "(null)"; *str; str++)
				xc_put(&o, *str);
			break;
		}
		case 'c':
			xc_put(&o, (char)va_arg(ap, int));
			break;
		case '%':
			xc_put(&o, '%');
			break;
		default: /* unknown conversion: show it rather than guess */
			xc_put(&o, '%');
			if (!*fmt)
				goto out;
			xc_put(&o, *fmt);
			break;
		}
	}
out:
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int xc_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = xc_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
