/* SPDX-License-Identifier: MIT */
/*
 * A guest sends an event (EVTCHNOP_send, BOLT_OP_send or a PIO doorbell):
 * the pair's flood budget, the benchmark counters and tracing, then the
 * event-channel core.
 */
#ifndef CORE_SEND_H
#define CORE_SEND_H

#include <stdint.h>

struct vcpu;

/*
 * Send on the guest's own port. 0 or -XEN_E* as EVTCHNOP_send;
 * -XEN_EAGAIN: throttled by a budget, the vCPU now sleeps and the caller
 * must retry the instruction (a hypercall continuation).
 */
int guest_send(struct vcpu *v, uint32_t port);

#endif
