/* SPDX-License-Identifier: MIT */
/*
 * Ticket spinlock. The hypervisor runs with interrupts off, so a lock is
 * never re-entered from an interrupt handler on the same CPU.
 */
#ifndef CORE_SPINLOCK_H
#define CORE_SPINLOCK_H

#include <stdint.h>

struct spinlock {
	uint16_t next;
	uint16_t owner;
};

#define SPINLOCK_INIT { 0, 0 }

static inline void spin_lock(struct spinlock *l)
{
	/* Acquire on taking a ticket pairs with the release in spin_unlock(). */
	uint16_t me = __atomic_fetch_add(&l->next, 1, __ATOMIC_RELAXED);

	while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != me)
		__builtin_ia32_pause();
}

static inline void spin_unlock(struct spinlock *l)
{
	/* Release: everything written under the lock is visible to the next owner. */
	__atomic_store_n(&l->owner, (uint16_t)(l->owner + 1), __ATOMIC_RELEASE);
}

#endif
