/* SPDX-License-Identifier: MIT */
/*
 * Guest SDK v2, the core: what a Bolt guest sees beyond standard C. A guest
 * is an ordinary C program, `int main(int argc, char **argv)` on newlib
 * (argv[1..] are the words of its bolt.cfg command line); entry.S and
 * start.c bring it up in 64-bit long mode with an identity map of the first
 * 4 GiB, SSE on, an IDT that reports exceptions, the heap over the rest of
 * its RAM and, when Bolt offers the Xen CPUID leaves, a hypercall page,
 * shared_info and the event-channel upcall (evtchn.h). newlib's system
 * calls are in syscalls.c, time.c and heap.c (docs/guest-sdk.md lists them).
 * Everything runs on one vCPU with interrupts off except while waiting for
 * an event, so nothing here is locked; what the upcall handler shares with
 * main-line code is updated atomically, and an upcall handler must not use
 * stdio or malloc (newlib is built without locks).
 */
#ifndef BOLT_GUEST_SDK_BASE_H
#define BOLT_GUEST_SDK_BASE_H

/*
 * Without this the Xen headers give the pre-3.1 interface, where
 * __HYPERVISOR_sched_op means the old compat call. Bolt speaks the new one.
 */
#ifndef __XEN_INTERFACE_VERSION__
#define __XEN_INTERFACE_VERSION__ 0x00040e00
#endif

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <xen/xen.h>
#include <xen/sched.h>
#include <xen/arch-x86/hvm/start_info.h>

#include <bolt/bolt.h>
/* The SDK returns negative Xen errno values (-XEN_EINVAL, ...), as Bolt does. */
#include <xen/errno.h>

/* Page size of the guest's identity map and of Bolt's pages. */
#define BOLT_PAGE_SIZE 4096u

_Static_assert(__HYPERVISOR_sched_op == 29, "Xen headers give the compat sched_op");

/* --- Hypercalls ---------------------------------------------------------- */

/*
 * Guest-physical address of the Xen hypercall page once sdk_start has set
 * it up (xen.c), 0 before that or off Xen. Bolt fills it with 32-byte
 * stubs `mov $nr, %eax; vmcall; ret`, one per hypercall number.
 */
extern uintptr_t bolt_hypercall_page;
#define BOLT_HYPERCALL_STUB_SIZE 32u
#define BOLT_HYPERCALL_STUBS (4096u / BOLT_HYPERCALL_STUB_SIZE)

/*
 * The one place a hypercall is issued (Xen HVM 64-bit convention): through
 * the hypercall page when there is one, as Xen guests do, else a plain
 * VMCALL (which Bolt also accepts, e.g. during setup or off the Xen leaves).
 * All argument registers are treated as clobbered: Xen may scribble on them.
 * The `call` pushes a return address below RSP: safe because every guest
 * is built with -mno-red-zone.
 */
static inline long bolt_hypercall5(unsigned long nr, unsigned long a1, unsigned long a2,
				   unsigned long a3, unsigned long a4, unsigned long a5)
{
	register unsigned long r10 __asm__("r10") = a4;
	register unsigned long r8 __asm__("r8") = a5;
	unsigned long ret = nr;
	uintptr_t page = bolt_hypercall_page;

	if (page && nr < BOLT_HYPERCALL_STUBS) {
		uintptr_t stub = page + nr * BOLT_HYPERCALL_STUB_SIZE;

		__asm__ volatile("call *%[stub]"
				 : "+a"(ret), "+D"(a1), "+S"(a2), "+d"(a3), "+r"(r10), "+r"(r8)
				 : [stub] "r"(stub)
				 : "memory");
	} else {
		__asm__ volatile("vmcall"
				 : "+a"(ret), "+D"(a1), "+S"(a2), "+d"(a3), "+r"(r10), "+r"(r8)
				 :
				 : "memory");
	}
	return (long)ret;
}

/*
 * console_io(CONSOLEIO_write) of raw bytes, no buffering: returns 0 or a
 * negative Xen errno. printf and write(1 or 2, ...) are the usual way out;
 * this is for code that must not touch stdio (an upcall handler).
 */
long bolt_console_write(const char *buf, size_t len);

/*
 * sched_op(SCHEDOP_shutdown): SHUTDOWN_poweroff, SHUTDOWN_reboot,
 * SHUTDOWN_crash. Flushes stdout/stderr first. exit(n) is the usual way
 * out: it runs atexit handlers and reports n to Bolt, whose log then shows
 * "exit status n"; bolt_shutdown is for reboot and crash.
 */
__attribute__((noreturn)) void bolt_shutdown(unsigned int reason);
/* sched_op(SCHEDOP_yield): returns 0 or a negative Xen errno. */
long bolt_yield(void);

/* --- CPU ------------------------------------------------------------------- */

static inline void bolt_cpuid(uint32_t leaf, uint32_t sub, uint32_t regs[4])
{
	__asm__ volatile("cpuid"
			 : "=a"(regs[0]), "=b"(regs[1]), "=c"(regs[2]), "=d"(regs[3])
			 : "a"(leaf), "c"(sub));
}

/* Serialised TSC read: the lfences keep it from drifting into the timed code. */
static inline uint64_t bolt_rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("lfence; rdtsc; lfence" : "=a"(lo), "=d"(hi) : : "memory");
	return ((uint64_t)hi << 32) | lo;
}

static inline void bolt_outb(uint16_t port, uint8_t val)
{
	__asm__ volatile("outb %0, %1" : : "a"(val), "Nd"(port));
}

/* Contents of CPUID leaf BOLT_CPUID_INFO (see include/bolt/bolt.h). */
struct bolt_info {
	uint32_t version;    /* major << 16 | minor */
	uint32_t domid;      /* index in bolt.cfg, from 1 */
	uint32_t cpu;        /* physical CPU index the guest is pinned to */
	uint32_t boot_count; /* 0 on first boot, +1 per on_crash=restart */
};

/*
 * Read Bolt's CPUID leaves. Returns 0, or -XEN_ENODEV when the
 * "BoltBoltBolt" signature is missing or the info leaf is not offered.
 */
int bolt_info(struct bolt_info *info);

/* --- Start info ------------------------------------------------------------ */

/* The PVH start info Bolt passed at entry (NULL when there was none). */
const struct hvm_start_info *bolt_start_info(void);

/* The command line, or "" when there is none (or the start info magic is wrong). */
const char *bolt_cmdline(const struct hvm_start_info *si);

/*
 * Copy the value of the first `key=value` word of the command line into
 * buf (always NUL-terminated when len > 0). A bare `key` gives "".
 * Returns the value's length, -XEN_ENOENT if the key is absent, or
 * -XEN_E2BIG if the value did not fit (buf then holds a truncated copy).
 */
int bolt_cmdline_get(const struct hvm_start_info *si, const char *key, char *buf, size_t len);

/*
 * Like bolt_cmdline_get for a number: decimal or 0x-prefixed hex.
 * Returns 0, -XEN_ENOENT if absent, -XEN_EINVAL if not a valid number.
 */
int bolt_cmdline_get_u64(const struct hvm_start_info *si, const char *key, uint64_t *val);

/* Parse a whole string as decimal or 0x hex; 0 or -XEN_EINVAL (also on overflow). */
int bolt_parse_u64(const char *s, uint64_t *val);

/* End of the highest RAM entry in the memory map (the guest's RAM size), 0 if none. */
uint64_t bolt_ram_top(const struct hvm_start_info *si);

/* --- Exceptions ------------------------------------------------------------ */

/* What entry.S saves on an exception, lowest address first. */
struct bolt_exception_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error_code;
	uint64_t rip, cs, rflags, rsp, ss; /* pushed by the CPU */
};

/*
 * Called after the exception has been reported. Return true to resume at
 * frame->rip (adjust it to skip the faulting instruction), false to shut
 * down with SHUTDOWN_crash. A hook may also call bolt_shutdown itself.
 */
typedef bool (*bolt_exception_hook_t)(struct bolt_exception_frame *frame);

/* Register (fn) or clear (NULL) the hook for one vector 0-31; 0 or -XEN_EINVAL. */
int bolt_set_exception_hook(unsigned int vector, bolt_exception_hook_t fn);

/* "UD" for 6 and so on; "??" for reserved vectors. */
const char *bolt_exception_name(unsigned int vector);

/* --- Shared memory regions ------------------------------------------------ */

/* One region Bolt maps into several guests at the same guest-physical address. */
struct bolt_shm {
	uint64_t gpa;
	uint64_t size;
	bool writable;
};

/*
 * Find region `name` among the ` bolt.shm=NAME:0xGPA:0xSIZE:rw|ro` words
 * Bolt appends to the command line. Returns 0, -XEN_ENOENT if there is no
 * such region, or -XEN_EINVAL if its word is malformed (out untouched).
 */
int bolt_shm_find(const struct hvm_start_info *si, const char *name, struct bolt_shm *out);
/* The same on a command-line string (NULL counts as ""). */
int bolt_shm_parse(const char *cmdline, const char *name, struct bolt_shm *out);

/* --- Statistics for benchmarks --------------------------------------------- */

/* Sort ascending, in place, O(n log n), no allocation (heapsort). */
void bolt_sort_u64(uint64_t *a, size_t n);
/*
 * Nearest-rank percentile of an ascending array: the smallest value with at
 * least pct% of the samples at or below it. pct 0 gives the minimum, pct
 * >= 100 the maximum, n == 0 gives 0.
 */
uint64_t bolt_percentile(const uint64_t *sorted, size_t n, unsigned pct);

/* --- Heap ------------------------------------------------------------------ */

/*
 * The heap malloc draws from through sbrk: [start, end) is the free RAM
 * after the image in the memory map's RAM entry that holds it, up to the
 * first thing Bolt placed there (start info, command line, memory map).
 * brk is the current break. Once brk would pass end, sbrk fails with
 * ENOMEM and malloc returns NULL.
 */
struct bolt_heap {
	uintptr_t start;
	uintptr_t end;
	uintptr_t brk;
};
void bolt_heap_get(struct bolt_heap *h);


#endif
