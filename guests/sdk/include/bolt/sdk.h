/* SPDX-License-Identifier: MIT */
/*
 * The guest SDK, all of it: what a guest includes (docs/guest-sdk.md),
 * with <stdio.h>, <stdlib.h> and <string.h> from newlib.
 * base.h is the core (hypercalls, console, start info, exceptions, shm),
 * evtchn.h the event channels and waits, bolt_op.h Bolt's own hypercall.
 * The SDK's own files include the parts they use, never this umbrella.
 */
#ifndef BOLT_GUEST_SDK_H
#define BOLT_GUEST_SDK_H

/* What nearly every guest uses, so a guest can start with this one line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bolt/sdk/base.h>
#include <bolt/sdk/bolt_op.h>
#include <bolt/sdk/evtchn.h>

#endif
