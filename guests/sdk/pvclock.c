/* SPDX-License-Identifier: MIT */
/*
 * The Xen/KVM pvclock formula, kept apart from the shared_info reader
 * (xen.c) so the host unit tests can check the arithmetic:
 *   ns = system_time + (((tsc - tsc_timestamp) <<or>> tsc_shift) * mul) >> 32
 */
#include <bolt/sdk/base.h>
#include <bolt/sdk/evtchn.h>

uint64_t bolt_pvclock_scale(uint64_t delta, uint32_t mul, int8_t shift)
{
	/* Shifts of 64 or more are undefined in C; no sane clock uses them. */
	if (shift <= -64 || shift >= 64)
		return 0;
	if (shift < 0)
		delta >>= -shift;
	else
		delta <<= shift;
	/* 64 x 32 bits needs 96: the 128-bit product keeps the high part. */
	return (uint64_t)(((unsigned __int128)delta * mul) >> 32);
}

uint64_t bolt_pvclock_ns(const struct vcpu_time_info *t, uint64_t tsc)
{
	/*
	 * A TSC read just before Bolt's update (or a slightly skewed one) can
	 * be below tsc_timestamp: count that as no time passed, not 2^64.
	 */
	uint64_t delta = tsc > t->tsc_timestamp ? tsc - t->tsc_timestamp : 0;

	return t->system_time + bolt_pvclock_scale(delta, t->tsc_to_system_mul, t->tsc_shift);
}
