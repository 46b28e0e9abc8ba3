/* SPDX-License-Identifier: MIT */
/*
 * evt: the event-channel test guest. One binary, many scenarios: `test=NAME`
 * on the command line picks one (main.c has the table), the
 * tests/integration/evtchn-*.cfg configs put the right guests together.
 * Each scenario returns NULL (pass) or why it failed; main.c turns that
 * into "RESULT <name> PASS" or "RESULT <name> FAIL: <reason>".
 */
#ifndef BOLT_TEST_EVT_H
#define BOLT_TEST_EVT_H

#include <bolt/sdk.h>

#define EVT_NAME_MAX 48u
#define EVT_MS 1000000ull /* ns */
/* Default longest wait for a peer guest: covers its boot and our own checks. */
#define EVT_DEFAULT_TIMEOUT_MS 20000u

/* What every scenario gets: the parsed common keys, and si for the rest. */
struct evt_args {
	const struct hvm_start_info *si;
	char test[24];
	char name[EVT_NAME_MAX];
	uint64_t rounds;     /* rounds= (scenario-specific default when 0) */
	uint64_t warmup;     /* warmup= unmeasured rounds before them (0) */
	evtchn_port_t port;  /* port= the scenario's main local port (1) */
	uint64_t timeout_ns; /* timeout_ms= longest wait for a peer */
};

typedef const char *(*evt_scenario_fn)(const struct evt_args *a);

/* --- common.c ------------------------------------------------------------ */

/* Format a failure reason into a static buffer (one failure per run). */
const char *evt_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* NULL if got == want, else a reason naming what, got and want. */
const char *evt_check_rc(const char *what, long got, long want);
/* Optional numeric key with a default; NULL or why it is malformed. */
const char *evt_opt(const struct evt_args *a, const char *key, uint64_t def, uint64_t *out);

/* EVTCHNOP_* with the caller's struct as is (dom fields included): the SDK
 * wrappers always say DOMID_SELF, attacks need other values. */
long evt_raw_evtchn_op(unsigned int cmd, void *arg);
/* set_timer_op at an absolute system time (0 cancels). */
long evt_timer_abs(uint64_t deadline_ns);

/* SCHEDOP_poll on one port for at most timeout_ns: true if it came (cleared). */
bool evt_poll(evtchn_port_t port, uint64_t timeout_ns);
/* Send on port: EVTCHNOP_send, or `outb` to bell when bell is nonzero. */
long evt_kick(evtchn_port_t port, uint16_t bell);

/*
 * Bind VIRQ_TIMER with a counting handler so evt_sleep_until can bound its
 * `sti; hlt` sleeps (evt_sleep_until calls it itself). NULL or why not.
 */
const char *evt_safety_timer_init(void);
/*
 * Sleep in `sti; hlt` (IF=1, so upcalls run) until done(arg) or timeout_ns
 * passed; true if done. Takes over VIRQ_TIMER. Returns with IF=0.
 */
bool evt_sleep_until(bool (*done)(void *arg), void *arg, uint64_t timeout_ns);
/* evt_sleep_until for "bolt_evtchn_count(port) >= target". */
bool evt_sleep_until_count(evtchn_port_t port, uint64_t target, uint64_t timeout_ns);

/* One xorshift64 step: the busy loops' work, cheap to recompute. */
static inline uint64_t evt_xorshift(uint64_t x)
{
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return x;
}

/* --- scenarios (one file each) ------------------------------------------ */

const char *evt_ping(const struct evt_args *a);       /* pingpong.c */
const char *evt_pong(const struct evt_args *a);       /* pingpong.c */
/* Alternating send/reply rounds on port (used by foreign.c too). */
const char *evt_ping_rounds(evtchn_port_t port, uint16_t bell, uint64_t n,
			    uint64_t timeout_ns, uint64_t *samples);
const char *evt_mask_rx(const struct evt_args *a);    /* mask.c */
const char *evt_mask_tx(const struct evt_args *a);    /* mask.c */
const char *evt_timer(const struct evt_args *a);      /* timer.c */
const char *evt_vcpuop(const struct evt_args *a);     /* vcpuop.c */
const char *evt_acl_a(const struct evt_args *a);      /* acl.c */
const char *evt_acl_b(const struct evt_args *a);      /* acl.c */
const char *evt_acl_c(const struct evt_args *a);      /* acl.c */
const char *evt_foreign_victim(const struct evt_args *a);   /* foreign.c */
const char *evt_foreign_attacker(const struct evt_args *a); /* foreign.c */
const char *evt_ports(const struct evt_args *a);      /* ports.c */
const char *evt_running_rx(const struct evt_args *a); /* running.c */
const char *evt_busy(const struct evt_args *a);       /* running.c */
const char *evt_status(const struct evt_args *a);     /* status.c */
const char *evt_status_peer(const struct evt_args *a); /* status.c */

/* flood.c */
const char *evt_flood_ping(const struct evt_args *a);
const char *evt_flood(const struct evt_args *a);
const char *evt_flood_sink(const struct evt_args *a);
const char *evt_flood_rebind(const struct evt_args *a);
const char *evt_flood_self(const struct evt_args *a);

/* restart.c, watchdog.c */
const char *evt_restart_victim(const struct evt_args *a);
const char *evt_restart_survivor(const struct evt_args *a);
const char *evt_cli_spin(const struct evt_args *a);
const char *evt_share(const struct evt_args *a);

#endif
