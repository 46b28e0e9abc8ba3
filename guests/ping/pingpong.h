/* SPDX-License-Identifier: MIT */
/*
 * What the ping and pong guests must agree on: defaults, limits and the
 * command-line parsing (both read the same rounds=, warmup=, port= keys, so
 * giving both guests the same cmdline keeps their round counts in step).
 */
#ifndef BOLT_GUEST_PINGPONG_H
#define BOLT_GUEST_PINGPONG_H

#include <bolt/sdk.h>

#define PINGPONG_DEFAULT_ROUNDS 2000u
#define PINGPONG_MAX_ROUNDS 100000u
#define PINGPONG_DEFAULT_WARMUP 100u
#define PINGPONG_MAX_WARMUP 10000u
#define PINGPONG_DEFAULT_PORT 1u

struct pingpong_args {
	uint64_t rounds; /* measured round trips */
	uint64_t warmup; /* unmeasured round trips before them */
	evtchn_port_t port;
};

/* Read one optional numeric key; false (and *why set) if it is malformed or out of range. */
static inline bool pingpong_arg(const struct hvm_start_info *si, const char *key, uint64_t lo,
				uint64_t hi, uint64_t *val, const char **why, const char *msg)
{
	uint64_t v;
	int ret = bolt_cmdline_get_u64(si, key, &v);

	if (ret == -XEN_ENOENT)
		return true;
	if (ret < 0 || v < lo || v > hi) {
		*why = msg;
		return false;
	}
	*val = v;
	return true;
}

/* Fill args from the command line; NULL or why it is wrong. */
static inline const char *pingpong_parse_args(const struct hvm_start_info *si,
					      struct pingpong_args *args)
{
	uint64_t port = PINGPONG_DEFAULT_PORT;
	const char *why = NULL;

	args->rounds = PINGPONG_DEFAULT_ROUNDS;
	args->warmup = PINGPONG_DEFAULT_WARMUP;
	if (!pingpong_arg(si, "rounds", 1, PINGPONG_MAX_ROUNDS, &args->rounds, &why,
			  "bad rounds= value (1-100000)") ||
	    !pingpong_arg(si, "warmup", 0, PINGPONG_MAX_WARMUP, &args->warmup, &why,
			  "bad warmup= value (0-10000)") ||
	    !pingpong_arg(si, "port", 1, BOLT_EVTCHN_PORTS - 1, &port, &why,
			  "bad port= value (1-4095)"))
		return why;
	args->port = (evtchn_port_t)port;
	return NULL;
}

/*
 * The port must be one end of a bound interdomain channel (a [channel]
 * section of bolt.cfg); NULL or why not. Prints the peer.
 */
static inline const char *pingpong_check_port(const char *who, evtchn_port_t port)
{
	struct evtchn_status st;
	long ret;

	if (!bolt_xen()->shared_info)
		return "no event channels (no Xen CPUID leaves or shared_info)";
	ret = bolt_evtchn_status(port, &st);
	if (ret < 0) {
		printf("%s: EVTCHNOP_status(port %u) failed: %ld\n", who, port, ret);
		return "EVTCHNOP_status failed";
	}
	/* A [channel] whose other end binds at run time (a Linux guest's /dev/xen/evtchn). */
	if (st.status == EVTCHNSTAT_unbound) {
		printf("%s: port %u offered to domain %u: waiting for it to bind\n", who, port,
		       st.u.unbound.dom);
		return NULL;
	}
	if (st.status != EVTCHNSTAT_interdomain) {
		printf("%s: port %u has status %u, expected %u (interdomain)\n", who, port,
		       st.status, EVTCHNSTAT_interdomain);
		return "port is not a bound interdomain channel: check [channel] in bolt.cfg";
	}
	printf("%s: port %u <-> domain %u port %u\n", who, port, st.u.interdomain.dom,
	       st.u.interdomain.port);
	return NULL;
}

#endif
