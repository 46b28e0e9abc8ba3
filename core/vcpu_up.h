/* SPDX-License-Identifier: MIT */
/*
 * Starting and stopping the vCPUs of a multi-vCPU guest (core/vcpu_up.c):
 * vCPU 0's PVH boot, INIT and STARTUP IPIs from the vLAPIC, VCPUOP_up /
 * down / initialise, and stopping every vCPU of a guest before its RAM is
 * reused.
 */
#ifndef CORE_VCPU_UP_H
#define CORE_VCPU_UP_H

#include <stdbool.h>
#include <stdint.h>

struct guest;
struct pcpu;
struct vcpu;
struct vcpu_start;

/*
 * Start stopped vCPU v as s says: its VMCS is built and checked here
 * (-XEN_EINVAL if VM entry would refuse it), then its own CPU loads it
 * before the next entry (vcpu_apply_start). Caller holds g->vcpu_lock.
 */
int vcpu_request_start(struct vcpu *v, const struct vcpu_start *s);

/* The vLAPIC's INIT and STARTUP IPIs to sibling t (SDM Vol. 3A, 10.6.1 and 8.4.4). */
void vcpu_init_ipi(struct vcpu *t);
void vcpu_startup_ipi(struct vcpu *t, uint8_t vector);

/* VCPUOP_initialise / up / down / is_up on target t (caller: the vCPU making the call). */
long vcpu_op_initialise(struct vcpu *caller, struct vcpu *t, bool compat, uint64_t arg);
long vcpu_op_up(struct vcpu *t);
long vcpu_op_down(struct vcpu *caller, struct vcpu *t);
bool vcpu_is_up(const struct vcpu *t);

/*
 * HLT with interrupts disabled on v: with other vCPUs of its guest still
 * up, only v stops (Linux parks CPUs so at shutdown) and this returns
 * true; false when v is the last one up (the guest stops).
 */
bool vcpu_halt_forever(struct vcpu *v);

/*
 * Stop every vCPU of g (the caller's own included) and wait until none of
 * their CPUs is still inside one of them: after this, g's RAM and state
 * may be rewritten. Takes g->vcpu_lock; returns false if another vCPU of
 * g stopped the guest first (then the caller's vCPU is already stopped).
 */
bool vcpus_stop_all(struct guest *g, struct vcpu *self);
void vcpus_stop_done(struct guest *g);

/*
 * After v changed its guest's EPT: every other vCPU's CPU drops its
 * cached translations before v goes on (an idle one before its next
 * entry).
 */
void vcpus_sync_siblings(struct vcpu *v);

/*
 * A lock shared by a guest's vCPUs on different CPUs: serves syncs while
 * it waits, since the holder may be waiting for this CPU.
 */
struct spinlock;
void guest_spin_lock(struct spinlock *l);

#endif
