/* SPDX-License-Identifier: MIT */
/* Hypercall handlers in core/xen_hc.c and core/hc_evtchn.c. */
#ifndef CORE_XEN_HC_H
#define CORE_XEN_HC_H

#include "core/hypercall.h"

long hc_xen_version(struct vcpu *v, struct hypercall_args *a);
long hc_memory_op(struct vcpu *v, struct hypercall_args *a);
long hc_hvm_op(struct vcpu *v, struct hypercall_args *a);
long hc_set_timer_op(struct vcpu *v, struct hypercall_args *a);
long hc_event_channel_op(struct vcpu *v, struct hypercall_args *a);
long hc_bolt_op(struct vcpu *v, struct hypercall_args *a);

#endif
