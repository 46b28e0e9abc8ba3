/* SPDX-License-Identifier: MIT */
/*
 * The guest SDK, all of it: what a guest includes (docs/guest-sdk.md).
 * base.h is the core (hypercalls, console, start info, exceptions, shm),
 * evtchn.h the event channels and waits, bolt_op.h Bolt's own hypercall.
 * The SDK's own files include the parts they use, never this umbrella.
 */
#ifndef BOLT_GUEST_SDK_H
#define BOLT_GUEST_SDK_H

#include "guests/sdk/base.h"
#include "guests/sdk/bolt_op.h"
#include "guests/sdk/evtchn.h"

#endif
