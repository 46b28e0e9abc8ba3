/* SPDX-License-Identifier: MIT */
/*
 * bench.elf entry: read the command line (see bench.h), find the shared
 * mailbox region and run the role. Prints "bench: <role> <pair> done" or
 * why it stopped; a nonzero return crashes the guest, which the runner
 * reports through the missing figures.
 */
#include "guests/bench/bench.h"

static uint64_t bench_buf[BENCH_MAX_SAMPLES];

static int bench_num(const struct hvm_start_info *si, const char *key, uint64_t lo, uint64_t hi,
		     uint64_t *val)
{
	uint64_t v;
	int ret = bolt_cmdline_get_u64(si, key, &v);

	if (ret == -XEN_ENOENT)
		return 0;
	if (ret < 0 || v < lo || v > hi) {
		printf("bench: bad %s= on the command line (%llu to %llu)\n", key,
		       (unsigned long long)lo, (unsigned long long)hi);
		return -XEN_EINVAL;
	}
	*val = v;
	return 0;
}

static int bench_setup(const struct hvm_start_info *si, struct bench_ctx *c, char *role,
		       size_t role_len, char *suite, size_t suite_len)
{
	uint64_t pair = 0, doorbell = BENCH_DEFAULT_DOORBELL;
	struct bolt_shm shm;
	char wait[8];
	static char idle[8];
	int ret;

	c->samples = BENCH_DEFAULT_SAMPLES;
	c->warmup = BENCH_DEFAULT_WARMUP;
	c->buf = bench_buf;
	if (bolt_cmdline_get(si, "role", role, role_len) < 0) {
		printf("bench: no role= (drive or echo) on the command line\n");
		return -XEN_EINVAL;
	}
	if (bolt_cmdline_get(si, "suite", suite, suite_len) < 0)
		suite[0] = '\0';
	if (bolt_cmdline_get(si, "wait", wait, sizeof(wait)) >= 0) {
		if (strcmp(wait, "poll") == 0) {
			c->wait_how = BENCH_HOW_POLL;
		} else if (strcmp(wait, "halt") != 0) {
			printf("bench: wait= must be halt or poll\n");
			return -XEN_EINVAL;
		}
	}
	if (bolt_cmdline_get(si, "idle", idle, sizeof(idle)) < 0) {
		memcpy(idle, "spin", 5);
	} else if (strcmp(idle, "spin") != 0 && strcmp(idle, "mwait") != 0) {
		printf("bench: idle= must be spin or mwait\n");
		return -XEN_EINVAL;
	}
	c->idle = idle;
	ret = bench_num(si, "samples", 1, BENCH_MAX_SAMPLES, &c->samples);
	if (!ret)
		ret = bench_num(si, "warmup", 0, BENCH_MAX_WARMUP, &c->warmup);
	if (!ret)
		ret = bench_num(si, "pair", 0, BENCH_MAX_PAIRS - 1, &pair);
	if (!ret)
		ret = bench_num(si, "doorbell", 1, 0xffff, &doorbell);
	if (ret)
		return ret;
	c->pair = (unsigned)pair;
	c->doorbell = (uint16_t)doorbell;
	c->role = role;
	ret = bolt_shm_find(si, "bench", &shm);
	if (ret < 0 || !shm.writable || shm.size < BENCH_MAX_PAIRS * sizeof(struct bench_mbox)) {
		printf("bench: need a writable [shm bench] of at least %u bytes (%d)\n",
		       (unsigned)(BENCH_MAX_PAIRS * sizeof(struct bench_mbox)), ret);
		return -XEN_EINVAL;
	}
	c->mbox = (struct bench_mbox *)(uintptr_t)shm.gpa + c->pair;
	if (!bolt_xen()->shared_info || !bolt_xen()->upcall) {
		printf("bench: event channels or the upcall are not set up\n");
		return -XEN_ENOSYS;
	}
	return 0;
}

int main(void)
{
	const struct hvm_start_info *si = bolt_start_info();
	struct bench_ctx c = { 0 };
	char role[16], suite[16];
	int ret;

	ret = bench_setup(si, &c, role, sizeof(role), suite, sizeof(suite));
	if (!ret) {
		if (strcmp(role, "echo") == 0)
			ret = bench_echo(&c);
		else if (strcmp(role, "drive") == 0 && strcmp(suite, "cpu2") == 0)
			ret = bench_suite_cpu2(&c);
		else if (strcmp(role, "drive") == 0 && strcmp(suite, "pairs") == 0)
			ret = bench_suite_pairs(&c);
		else if (strcmp(role, "drive") == 0 && strcmp(suite, "mwait") == 0)
			ret = bench_suite_mwait(&c);
		else {
			printf("bench: unknown role=%s suite=%s\n", role, suite);
			ret = -XEN_EINVAL;
		}
	}
	if (ret) {
		printf("bench: %s %u stopped: error %d\n", c.role ? c.role : "?", c.pair, ret);
		return 1;
	}
	printf("bench: %s %u done\n", c.role, c.pair);
	return 0;
}
