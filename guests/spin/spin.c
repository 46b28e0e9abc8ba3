/* SPDX-License-Identifier: MIT */
/*
 * spin: a deterministic compute load. Each round runs SPIN_ITERS steps of
 * a xorshift64 generator mixed into an integer sum and an SSE double
 * accumulator, yielding to Bolt now and then. The checksum must equal
 * both SPIN_EXPECTED and a slower reference loop: a mismatch means some
 * VM exit (hypercall, CPUID, preemption) corrupted guest register state,
 * GPRs or SSE.
 * Command line: name=X, expect_cpu=N, rounds=N (default 1, for a longer load).
 */
#include <bolt/sdk.h>

#define SPIN_ITERS 2000000u
#define SPIN_SEED 0x9e3779b97f4a7c15ull
#define SPIN_MULT 0x2545f4914f6cdd1dull
#define SPIN_YIELD_MASK 0x3ffffu
/*
 * SPIN_ITERS steps from SPIN_SEED. Computed once on the host by compiling
 * spin_fast() without the yield; spin_reference() recomputes it at run time.
 */
#define SPIN_EXPECTED 0x165c2d82efe8abe2ull

/* Fold the double accumulator into the checksum (scaling by 1024 is exact). */
static uint64_t spin_fold(uint64_t sum, double acc)
{
	return sum ^ (uint64_t)(acc * 1024.0);
}

static uint64_t spin_fast(void)
{
	uint64_t x = SPIN_SEED, sum = 0;
	double acc = 0.0;
	uint32_t i;

	for (i = 0; i < SPIN_ITERS; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		sum += x * SPIN_MULT;
		sum = (sum << 5) | (sum >> 59);
		acc = acc * 0.5 + (double)(x & 0xffff);
		/* Force VM exits mid-computation, with live state in registers. */
		if ((i & SPIN_YIELD_MASK) == SPIN_YIELD_MASK)
			bolt_yield();
	}
	return spin_fold(sum, acc);
}

/* The same sequence, one operation at a time through memory: slow and plain. */
__attribute__((noinline)) static uint64_t spin_reference(void)
{
	volatile uint64_t x = SPIN_SEED, sum = 0, t;
	volatile double acc = 0.0;
	uint32_t i;

	for (i = 0; i < SPIN_ITERS; i++) {
		t = x << 13;
		x = x ^ t;
		t = x >> 7;
		x = x ^ t;
		t = x << 17;
		x = x ^ t;
		t = x * SPIN_MULT;
		sum = sum + t;
		t = sum >> 59;
		sum = (sum << 5) | t;
		acc = acc / 2.0;
		acc = acc + (double)(x % 65536);
	}
	return spin_fold(sum, acc);
}

static const char *run(const struct hvm_start_info *si)
{
	struct bolt_info info;
	uint64_t rounds = 1, expect_cpu, sum = 0, ref, t0, ticks;
	uint64_t r;
	bool on_bolt;
	int ret;

	/* The load itself runs anywhere; only expect_cpu= needs Bolt's CPUID leaf. */
	on_bolt = bolt_info(&info) == 0;
	if (on_bolt)
		printf("spin: domid %u on cpu %u, boot %u\n", info.domid, info.cpu,
		       info.boot_count);
	else
		printf("spin: no Bolt CPUID signature\n");
	ret = bolt_cmdline_get_u64(si, "expect_cpu", &expect_cpu);
	if (ret == -XEN_EINVAL)
		return "bad expect_cpu= value";
	if (ret == 0 && !on_bolt)
		return "expect_cpu= given but no Bolt CPUID signature";
	if (ret == 0 && expect_cpu != info.cpu) {
		printf("expected cpu %llu, running on cpu %u\n",
		       (unsigned long long)expect_cpu, info.cpu);
		return "wrong cpu";
	}
	ret = bolt_cmdline_get_u64(si, "rounds", &rounds);
	if (ret == -XEN_EINVAL || (ret == 0 && (rounds == 0 || rounds > 100000)))
		return "bad rounds= value (1-100000)";

	t0 = bolt_rdtsc();
	for (r = 0; r < rounds; r++) {
		sum = spin_fast();
		if (sum != SPIN_EXPECTED) {
			printf("round %llu: checksum 0x%llx, expected 0x%llx\n",
			       (unsigned long long)r, (unsigned long long)sum,
			       (unsigned long long)SPIN_EXPECTED);
			return "checksum mismatch";
		}
	}
	ticks = bolt_rdtsc() - t0;
	printf("spin: checksum 0x%llx, %llu iterations, %llu ticks (%llu per iteration)\n",
	       (unsigned long long)sum, (unsigned long long)(rounds * SPIN_ITERS),
	       (unsigned long long)ticks, (unsigned long long)(ticks / (rounds * SPIN_ITERS)));

	ref = spin_reference();
	if (ref != SPIN_EXPECTED) {
		printf("reference checksum 0x%llx, expected 0x%llx\n",
		       (unsigned long long)ref, (unsigned long long)SPIN_EXPECTED);
		return "reference checksum mismatch";
	}
	return NULL;
}

int main(void)
{
	const struct hvm_start_info *si = bolt_start_info();
	char name[BOLT_GUEST_NAME_MAX];
	const char *why;

	if (bolt_cmdline_get(si, "name", name, sizeof(name)) < 0)
		strlcpy(name, "spin", sizeof(name));
	why = run(si);
	if (why) {
		printf("RESULT %s FAIL: %s\n", name, why);
		return 1;
	}
	printf("RESULT %s PASS\n", name);
	return 0;
}
