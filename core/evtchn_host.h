/* SPDX-License-Identifier: MIT */
/* What the event-channel core's FIFO ABI needs from a guest: its frames and heap memory. */
#ifndef CORE_EVTCHN_HOST_H
#define CORE_EVTCHN_HOST_H

#include "evtchn/evtchn.h"

/* Hooks for evtchn_domain_set_host(); the context is the struct guest. */
extern const struct evtchn_host guest_evtchn_host;

#endif
