/* SPDX-License-Identifier: MIT */
/*
 * Where each vCPU's vcpu_info lives: in shared_info until the guest moves
 * it into a page of its own RAM with VCPUOP_register_vcpu_info
 * (core/vcpu_info.c). The event ABI reaches it through
 * guest->evtchn.vcpu_info[vcpu].
 */
#ifndef CORE_VCPU_INFO_H
#define CORE_VCPU_INFO_H

#include <stdbool.h>
#include <stdint.h>

struct guest;
struct vcpu;

/* VCPUOP_register_vcpu_info for vCPU t, v's argument at guest address arg: 0 or -XEN_E*. */
long vcpu_info_register(struct vcpu *v, struct vcpu *t, bool compat, uint64_t arg);
/* Every vCPU back to its shared_info slot, nothing registered (boot, restart). */
void vcpu_info_reset(struct guest *g);

#endif
