/* SPDX-License-Identifier: MIT */
/*
 * evt: entry point. Parses the keys every scenario shares, runs the one
 * named by test=, and prints its verdict:
 *   RESULT <name> PASS            or
 *   RESULT <name> FAIL: <reason>
 * name= sets <name> (default "evtchn-<test>"), so the configs can give each
 * guest of a scenario its own RESULT line.
 *
 * Common keys: test=NAME (required), name=, rounds=N, warmup=N, port=P (1),
 * timeout_ms=N (20000: longest wait for a peer). Scenario keys are listed
 * in each scenario's file.
 */
#include "tests/guests/evt/evt.h"
#include "lib/macros.h"

static const struct {
	const char *test;
	evt_scenario_fn run;
} evt_scenarios[] = {
	{ "ping", evt_ping },
	{ "pong", evt_pong },
	{ "mask-rx", evt_mask_rx },
	{ "mask-tx", evt_mask_tx },
	{ "timer", evt_timer },
	{ "vcpuop", evt_vcpuop },
	{ "acl-a", evt_acl_a },
	{ "acl-b", evt_acl_b },
	{ "acl-c", evt_acl_c },
	{ "foreign-victim", evt_foreign_victim },
	{ "foreign-attacker", evt_foreign_attacker },
	{ "ports", evt_ports },
	{ "running-rx", evt_running_rx },
	{ "busy", evt_busy },
	{ "status", evt_status },
	{ "status-peer", evt_status_peer },
	{ "flood-ping", evt_flood_ping },
	{ "flood", evt_flood },
	{ "flood-sink", evt_flood_sink },
	{ "flood-rebind", evt_flood_rebind },
	{ "flood-self", evt_flood_self },
	{ "restart-victim", evt_restart_victim },
	{ "restart-survivor", evt_restart_survivor },
	{ "cli-spin", evt_cli_spin },
	{ "share", evt_share },
};

static const char *evt_parse(const struct hvm_start_info *si, struct evt_args *a)
{
	uint64_t port, timeout_ms;
	const char *why;

	a->si = si;
	if (bolt_cmdline_get(si, "test", a->test, sizeof(a->test)) < 0)
		return "no valid test= on the command line";
	if (bolt_cmdline_get(si, "name", a->name, sizeof(a->name)) < 0)
		snprintf(a->name, sizeof(a->name), "evtchn-%s", a->test);
	if ((why = evt_opt(a, "rounds", 0, &a->rounds)) ||
	    (why = evt_opt(a, "warmup", 0, &a->warmup)) ||
	    (why = evt_opt(a, "port", 1, &port)) ||
	    (why = evt_opt(a, "timeout_ms", EVT_DEFAULT_TIMEOUT_MS, &timeout_ms)))
		return why;
	if (port == 0 || port >= BOLT_EVTCHN_PORTS)
		return "port= must be 1-4095";
	a->port = (evtchn_port_t)port;
	a->timeout_ns = timeout_ms * EVT_MS;
	if (!bolt_xen()->shared_info || !bolt_xen()->upcall)
		return "event channels are not set up (see the sdk: lines above)";
	return NULL;
}

int main(void)
{
	const struct hvm_start_info *si = bolt_start_info();
	static struct evt_args args;
	const char *why;
	size_t i;

	why = evt_parse(si, &args);
	if (!why) {
		for (i = 0; i < ARRAY_SIZE(evt_scenarios); i++)
			if (strcmp(evt_scenarios[i].test, args.test) == 0)
				break;
		if (i == ARRAY_SIZE(evt_scenarios)) {
			why = evt_fail("unknown test '%s'", args.test);
		} else {
			/* System time stamps let one log order the guests' phases. */
			printf("%s: test=%s starts at %llu us\n", args.name, args.test,
			       (unsigned long long)(bolt_now_ns() / 1000));
			why = evt_scenarios[i].run(&args);
			printf("%s: test=%s ends at %llu us\n", args.name, args.test,
			       (unsigned long long)(bolt_now_ns() / 1000));
		}
	}
	if (why) {
		printf("RESULT %s FAIL: %s\n", args.name[0] ? args.name : "evtchn", why);
		return 1;
	}
	printf("RESULT %s PASS\n", args.name);
	return 0;
}
