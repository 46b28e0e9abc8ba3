/* SPDX-License-Identifier: MIT */
/*
 * The Xen PV console Bolt serves for each guest (docs/abi.md, "PV
 * console"): Bolt is the console daemon at the ring's other end.
 */
#ifndef CORE_PVCONSOLE_H
#define CORE_PVCONSOLE_H

#include <stdint.h>

struct guest;

/* At every boot, after the ports were reset: no console port yet, a clean ring. */
void pvconsole_boot(struct guest *g);
/*
 * The guest asked for HVM_PARAM_CONSOLE_EVTCHN: bind the console port
 * (the lowest free one) unless this boot has one. 0 or -XEN_ENOSPC.
 */
int pvconsole_open(struct guest *g);
/* The guest sent on @port: if it is the console port, drain the ring. */
void pvconsole_notify(struct guest *g, uint32_t port);
/* Take what the guest wrote to out[] into its log lines (also at its stop). */
void pvconsole_drain(struct guest *g);

#endif
