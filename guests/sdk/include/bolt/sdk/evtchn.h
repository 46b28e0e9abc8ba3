/* SPDX-License-Identifier: MIT */
/*
 * Guest SDK: Xen shared_info, system time and event channels (2-level ABI,
 * see docs/guest-sdk.md). Included by bolt.h; not meant to be included alone.
 *
 * sdk_start sets everything up before main() when Bolt offers the Xen
 * CPUID leaves: hypercall page, shared_info page, upcall vector
 * BOLT_UPCALL_VECTOR. Without them (off Bolt, or setup failed) every
 * hypercall wrapper here returns -XEN_ENOSYS and bolt_shared_info() is NULL.
 */
#ifndef BOLT_GUEST_SDK_EVTCHN_H
#define BOLT_GUEST_SDK_EVTCHN_H

#include <stdbool.h>
#include <stdint.h>

#include <xen/xen.h>
#include <xen/event_channel.h>

/* The IDT vector Bolt injects for event-channel upcalls. */
#define BOLT_UPCALL_VECTOR 0xf3u
/* Ports of the 2-level ABI on x86-64: 64 words of 64 bits. */
#define BOLT_EVTCHN_PORTS EVTCHN_2L_NR_CHANNELS

/* --- Xen setup, shared_info, time ----------------------------------------- */

/* What sdk_start found and set up (each step needs the ones before it). */
struct bolt_xen_state {
	uint32_t cpuid_base; /* leaf with "XenVMMXenVMM", 0 if none */
	uint32_t version;    /* major << 16 | minor, from base + 1 */
	bool hypercall_page; /* MSR written, bolt_hypercall5 uses the page */
	bool shared_info;    /* XENMEM_add_to_physmap succeeded */
	bool upcall;         /* upcall vector registered (either method) */
};

/* The state above (never NULL; all zero off Xen). */
const struct bolt_xen_state *bolt_xen(void);

/* The mapped shared_info page, or NULL when it could not be mapped. */
struct shared_info *bolt_shared_info(void);

/*
 * Xen system time in ns (pvclock of vcpu_info[0].time), 0 without
 * shared_info. Monotonic while Bolt keeps the pvclock parameters sane.
 */
uint64_t bolt_now_ns(void);

/* Pure pvclock math (pvclock.c), exported for the host tests. */
uint64_t bolt_pvclock_scale(uint64_t delta, uint32_t mul, int8_t shift);
uint64_t bolt_pvclock_ns(const struct vcpu_time_info *t, uint64_t tsc);

/* --- Event-channel operations (hypercalls) --------------------------------- */
/* All return 0 or a negative Xen errno; the port results are set on success. */

long bolt_evtchn_alloc_unbound(domid_t remote, evtchn_port_t *port);
long bolt_evtchn_bind_interdomain(domid_t remote, evtchn_port_t rport, evtchn_port_t *lport);
long bolt_evtchn_bind_virq(uint32_t virq, evtchn_port_t *port);
long bolt_evtchn_bind_ipi(evtchn_port_t *port);
long bolt_evtchn_send(evtchn_port_t port);
/* The same through EVTCHNOP_send (guest-memory argument), as on Xen. */
long bolt_evtchn_send_xen(evtchn_port_t port);
long bolt_evtchn_close(evtchn_port_t port);
/* The SDK fills in status->dom (DOMID_SELF) and ->port; Bolt the rest. */
long bolt_evtchn_status(evtchn_port_t port, struct evtchn_status *status);
/* EVTCHNOP_unmask: clears the mask and re-raises the upcall if pending. */
long bolt_evtchn_unmask(evtchn_port_t port);

/* --- Pending and mask bits in shared_info (no hypercall) ------------------- */

/* Atomically set the mask bit (no upcall for this port while set). */
void bolt_evtchn_mask(evtchn_port_t port);
/* Atomically clear the pending bit; true if it was set (and count it). */
bool bolt_evtchn_test_and_clear(evtchn_port_t port);
bool bolt_evtchn_is_pending(evtchn_port_t port);

/* --- Upcall dispatch ------------------------------------------------------- */

typedef void (*bolt_evtchn_handler_t)(evtchn_port_t port, void *arg);

/*
 * Call fn(port, arg) from the upcall handler (interrupts off, on the
 * interrupted stack) each time port is pending and unmasked; the SDK clears
 * the pending bit first. fn NULL removes the handler: the port is then left
 * pending for bolt_evtchn_wait and friends. Returns 0 or -XEN_EINVAL.
 */
int bolt_evtchn_set_handler(evtchn_port_t port, bolt_evtchn_handler_t fn, void *arg);

/*
 * Events consumed on port since boot: handler dispatches plus successful
 * bolt_evtchn_test_and_clear calls (which the wait functions use).
 * Coalesced sends (two sends while still pending) count once.
 */
uint64_t bolt_evtchn_count(evtchn_port_t port);

/* --- Waiting --------------------------------------------------------------- */

/*
 * Block until port is pending, then clear it. Sleeps with `sti; hlt` (the
 * upcall wakes it) and returns with interrupts off again.
 */
void bolt_evtchn_wait(evtchn_port_t port);
/*
 * Like bolt_evtchn_wait but gives up after `ticks` TSC ticks: true if the
 * event came (and was cleared), false on timeout. Sleeps in SCHEDOP_poll.
 */
bool bolt_evtchn_wait_timeout(evtchn_port_t port, uint64_t ticks);
/*
 * SCHEDOP_poll on n ports (1..128) for at most timeout_ns_from_now ns
 * (0: no timeout). Returns the index of a pending port (its bit is cleared),
 * -1 on timeout, or -XEN_EINVAL for a bad n.
 */
int bolt_evtchn_poll(const evtchn_port_t *ports, unsigned n, uint64_t timeout_ns_from_now);
/* SCHEDOP_block: sleep until some event is pending for this guest. */
void bolt_block(void);
/*
 * set_timer_op: one-shot VIRQ_TIMER at bolt_now_ns() + ns_from_now (bind
 * VIRQ_TIMER with bolt_evtchn_bind_virq to see it). 0 or a negative errno.
 */
int bolt_timer_set(uint64_t ns_from_now);
/* set_timer_op(0): cancel the pending one-shot timer. */
int bolt_timer_cancel(void);

#endif
