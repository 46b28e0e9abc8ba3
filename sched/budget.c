/* SPDX-License-Identifier: MIT */
/* Flood budgets per (sender, receiver) pair (sched/budget.h). */
#include "core/console.h"
#include "core/guest.h"
#include "core/time.h"
#include "sched/budget.h"
#include "sched/sched.h"
#include "sched/timer.h"

bool sched_budget_charge(struct vcpu *v, struct sched_budget *b, const char *receiver)
{
	uint64_t now;

	if (!b->limit)
		return false;
	now = time_now_ns();
	if (now >= b->window_end_ns) {
		b->window_end_ns = now + b->period_ns;
		b->used = 0;
	}
	if (b->used < b->limit) {
		b->used++;
		return false;
	}
	if (!b->logged) {
		log_printf("guest '%s': channel '%s' over its budget (%u per %lu us): throttling the sender on every channel to '%s'",
			   v->guest->cfg->name, b->channel, b->limit,
			   (unsigned long)(b->period_ns / 1000), receiver);
		b->logged = true;
	}
	v->throttled++;
	timer_set_poll(v, b->window_end_ns); /* timer_run() wakes it when the window ends */
	sched_block_unless(v, NULL, NULL);
	return true;
}
