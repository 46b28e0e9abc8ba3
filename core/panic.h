/* SPDX-License-Identifier: MIT */
/* Fatal hypervisor errors: print, then stop this CPU for good. */
#ifndef CORE_PANIC_H
#define CORE_PANIC_H

__attribute__((noreturn, format(printf, 1, 2))) void panic(const char *fmt, ...);

#define BUG_ON(cond)                                                          \
	do {                                                                  \
		if (cond)                                                     \
			panic("BUG at %s:%d: %s", __FILE__, __LINE__, #cond); \
	} while (0)

#endif
