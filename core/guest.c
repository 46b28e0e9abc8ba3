/* SPDX-License-Identifier: MIT */
/* The guest table and what every layer may ask of a guest (core/guest.h). */
#include <stdbool.h>

#include "core/console.h"
#include "core/guest.h"
#include "core/pcpu.h"

struct guest *guests;
unsigned nr_guests;

uint64_t guest_cpu_mask(const struct guest *g)
{
	uint64_t m = 0;

	for (unsigned i = 0; i < g->nr_vcpus; i++)
		m |= 1ULL << g->vcpus[i].pcpu->index;
	return m;
}

const char *guest_stop_name(enum guest_stop why)
{
	switch (why) {
	case GUEST_STOP_POWEROFF:
		return "poweroff";
	case GUEST_STOP_REBOOT:
		return "reboot";
	case GUEST_STOP_CRASH:
		return "crash";
	case GUEST_STOP_HALT:
		return "halt";
	default:
		return "running";
	}
}

#define GUEST_LOG_LIMIT 32

bool guest_may_log(struct guest *g)
{
	if (g->log_lines < GUEST_LOG_LIMIT) {
		if (++g->log_lines == GUEST_LOG_LIMIT)
			log_printf("guest '%s': further refusals are not logged until it restarts",
				   g->cfg->name);
		return g->log_lines < GUEST_LOG_LIMIT;
	}
	return false;
}
