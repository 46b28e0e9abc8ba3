/* SPDX-License-Identifier: MIT */
/*
 * Flood protection (bolt.cfg `budget = N/PERIOD`): the scheduler's answer
 * to a sender that notifies one receiver faster than its budget allows.
 */
#ifndef SCHED_BUDGET_H
#define SCHED_BUDGET_H

#include <stdbool.h>

#include "sched/types.h"

struct vcpu;

/*
 * Charge one send from v against b (the (sender, receiver) pair's budget;
 * receiver names it for the log). Within budget: false. Over it: v now
 * sleeps until the window ends and the caller must retry the send then
 * (nothing is lost; the flooder's CPU time goes to the other vCPUs): true.
 */
bool sched_budget_charge(struct vcpu *v, struct sched_budget *b, const char *receiver);

#endif
