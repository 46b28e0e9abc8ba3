/* SPDX-License-Identifier: MIT */
/* The end of a run: once every guest has stopped, print a summary and power off. */
#ifndef CORE_SUMMARY_H
#define CORE_SUMMARY_H

#include "config/config.h"

struct guest;

void summary_init(unsigned nr_running, enum cfg_on_all_stopped policy, uint64_t tsc_per_us);
/* Called once per guest that stops for good; the last one ends the run. */
void summary_guest_stopped(struct guest *g);

#endif
