/* SPDX-License-Identifier: MIT */
/* Hypervisor-side timing histograms (struct bolt_timing, include/bolt/bolt.h). */
#ifndef CORE_STATS_H
#define CORE_STATS_H

#include <stdint.h>

#include "bolt/bolt.h"

void timing_add(struct bolt_timing *t, uint64_t ticks);

#endif
