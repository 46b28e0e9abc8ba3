/* SPDX-License-Identifier: MIT */
/*
 * The vLAPIC timer (SDM Vol. 3A, 11.5.4): one-shot, periodic and
 * TSC-deadline. The bus clock is 1 GHz (core/vlapic.h), so a count lasts
 * divide ns and the deadline is plain system time; sched/timer.c arms the
 * CPU's timer for timer_deadline_ns and calls vlapic_timer_expire.
 */
#include "core/vlapic.h"

#include "core/vlapic_internal.h"

/* Divide configuration bits 3, 1:0 -> divisor (SDM Figure 11-10). */
static uint64_t divisor(const struct vlapic *l)
{
	unsigned code = (l->timer_dcr & 3) | ((l->timer_dcr >> 1) & 4);

	return code == 7 ? 1 : 2ULL << code;
}

static uint32_t timer_mode(const struct vlapic *l)
{
	return l->lvt[VLAPIC_LVT_IDX_TIMER] & VLAPIC_LVT_TIMER_MODE;
}

void vlapic_timer_stop(struct vlapic *l)
{
	l->timer_deadline_ns = 0;
	l->tsc_deadline = 0;
}

static void start_count(struct vlapic *l, uint64_t now_ns)
{
	l->timer_start_ns = now_ns;
	l->timer_deadline_ns = l->timer_icr ? now_ns + l->timer_icr * divisor(l) : 0;
	if (l->timer_deadline_ns == 0 && l->timer_icr)
		l->timer_deadline_ns = 1; /* system time 0 is "none" */
}

void vlapic_timer_lvt_write(struct vlapic *l, uint32_t val)
{
	uint32_t old = timer_mode(l);

	l->lvt[VLAPIC_LVT_IDX_TIMER] = val;
	/* SDM 11.5.4.1: a write that changes the timer mode disarms it. */
	if (timer_mode(l) != old) {
		vlapic_timer_stop(l);
		l->timer_icr = 0;
	}
}

void vlapic_timer_icr_write(struct vlapic *l, uint32_t val, uint64_t now_ns)
{
	/* In TSC-deadline mode the initial count is ignored (SDM 11.5.4.1). */
	if (timer_mode(l) == VLAPIC_TIMER_TSC_DEADLINE)
		return;
	l->timer_icr = val; /* 0 stops the timer */
	start_count(l, now_ns);
}

void vlapic_timer_dcr_write(struct vlapic *l, uint32_t val, uint64_t now_ns)
{
	uint32_t left = vlapic_timer_ccr(l, now_ns);
	bool running = l->timer_deadline_ns && timer_mode(l) != VLAPIC_TIMER_TSC_DEADLINE;

	l->timer_dcr = val & 0xb;
	/* A running count goes on from where it is, at the new rate. */
	if (running) {
		uint64_t div = divisor(l);

		l->timer_start_ns = now_ns - (uint64_t)(l->timer_icr - left) * div;
		l->timer_deadline_ns = now_ns + (uint64_t)left * div;
	}
}

uint32_t vlapic_timer_ccr(const struct vlapic *l, uint64_t now_ns)
{
	uint64_t elapsed;

	if (timer_mode(l) == VLAPIC_TIMER_TSC_DEADLINE || !l->timer_icr || !l->timer_deadline_ns)
		return 0;
	elapsed = (now_ns > l->timer_start_ns ? now_ns - l->timer_start_ns : 0) / divisor(l);
	if (timer_mode(l) == VLAPIC_TIMER_PERIODIC)
		return l->timer_icr - (uint32_t)(elapsed % l->timer_icr);
	return elapsed >= l->timer_icr ? 0 : l->timer_icr - (uint32_t)elapsed;
}

uint64_t vlapic_tsc_deadline_read(const struct vlapic *l)
{
	return timer_mode(l) == VLAPIC_TIMER_TSC_DEADLINE ? l->tsc_deadline : 0;
}

void vlapic_tsc_deadline_write(struct vlapic *l, uint64_t tsc, uint64_t deadline_ns, uint64_t now_ns)
{
	(void)now_ns;
	/* SDM 11.5.4.1: ignored unless the timer is in TSC-deadline mode; 0 disarms. */
	if (timer_mode(l) != VLAPIC_TIMER_TSC_DEADLINE)
		return;
	l->tsc_deadline = tsc;
	/* A deadline already past fires at once: the next timer_run. */
	l->timer_deadline_ns = tsc ? (deadline_ns ? deadline_ns : 1) : 0;
}

bool vlapic_timer_expire(struct vlapic *l, uint64_t now_ns)
{
	uint32_t lvt = l->lvt[VLAPIC_LVT_IDX_TIMER];

	if (!l->timer_deadline_ns || now_ns < l->timer_deadline_ns)
		return false;
	switch (timer_mode(l)) {
	case VLAPIC_TIMER_PERIODIC: {
		uint64_t period = l->timer_icr * divisor(l);
		uint64_t next = l->timer_deadline_ns + period;

		/* Periods missed while the CPU was elsewhere are not made up (as VIRQ_TIMER's). */
		if (next <= now_ns)
			next = now_ns + period;
		l->timer_start_ns = next - period;
		l->timer_deadline_ns = next;
		break;
	}
	case VLAPIC_TIMER_TSC_DEADLINE:
		vlapic_timer_stop(l); /* the MSR reads 0 once it fired */
		break;
	default:
		l->timer_deadline_ns = 0;
		break;
	}
	if (lvt & VLAPIC_LVT_MASKED)
		return false; /* counted down, no interrupt (SDM 11.5.1) */
	return vlapic_set_irr(l, (uint8_t)lvt);
}
