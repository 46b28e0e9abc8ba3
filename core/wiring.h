/* SPDX-License-Identifier: MIT */
/* Static wiring of guests from bolt.cfg (core/wiring.c). */
#ifndef CORE_WIRING_H
#define CORE_WIRING_H

#include <stdbool.h>
#include <stdint.h>

#include "config/config.h"

struct guest;
struct vcpu;

/* @alloc returns zeroable memory for shared regions (at boot: UEFI pages). */
int wiring_setup(const struct bolt_config *cfg, const char *file, void *(*alloc)(uint64_t bytes));
/*
 * An OUT to @ioport by @g: 1 if it was a doorbell and the event was sent,
 * -1 if it was one but the channel's budget held it back (the vCPU sleeps;
 * the OUT must run again), 0 if it is no doorbell.
 */
int guest_doorbell(struct vcpu *v, uint16_t ioport);

#endif
