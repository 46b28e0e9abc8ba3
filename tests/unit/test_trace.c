/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for the bolt-trace decoder (tools/trace_decode.c,
 * tools/trace_pair.c) and its output (tools/trace_report.c): logs with
 * console prefixes and CRLF, interleaved channels, missing stages,
 * malformed lines, repeated dumps, and the exact per-stage numbers.
 */
#include <stdbool.h>
#include <stdint.h>

#include "unit.h"

/* tools/ is not in the Makefile's HOST_SRCS: compile it in. */
#include "tools/stats.c"
#include "tools/trace_decode.c"
#include "tools/trace_pair.c"
#include "tools/trace_report.c"

static int decode(const char *log, struct tdec_result *res)
{
	return tdec_decode(log, strlen(log), "log", res);
}

/* Check count, p50, p99 and max of one stage. */
static void check_stage(const struct tdec_channel *ch, enum tdec_stage st, size_t n, uint64_t p50,
			uint64_t p99, uint64_t max)
{
	struct stats_summary s;

	CHECK_EQ(tdec_stage_summary(ch, st, &s), 0);
	if (s.n != n || s.p50 != p50 || s.p99 != p99 || s.max != max)
		fprintf(stderr, "stage %s: n %zu p50 %llu p99 %llu max %llu\n", tdec_stage_name(st),
			s.n, (unsigned long long)s.p50, (unsigned long long)s.p99,
			(unsigned long long)s.max);
	CHECK_EQ(s.n, n);
	CHECK_EQ(s.p50, p50);
	CHECK_EQ(s.p99, p99);
	CHECK_EQ(s.max, max);
}

static void check_chan(const struct tdec_channel *ch, uint32_t sd, uint32_t sp, uint32_t dd,
		       uint32_t dp, size_t n, size_t incomplete)
{
	CHECK_EQ(ch->src_dom, sd);
	CHECK_EQ(ch->src_port, sp);
	CHECK_EQ(ch->dst_dom, dd);
	CHECK_EQ(ch->dst_port, dp);
	CHECK_EQ(ch->nnotifs, n);
	CHECK_EQ(ch->incomplete, incomplete);
}

/* Report, CSV or plot script written to a temporary file, read back. */
static char *capture(const struct tdec_result *res, int what)
{
	FILE *f = tmpfile();
	char *buf = calloc(1, 1 << 16);
	size_t n;

	if (!f || !buf)
		abort();
	if (what == 0)
		CHECK_EQ(tdec_report(res, f), 0);
	else if (what == 1)
		CHECK_EQ(tdec_write_csv(&res->chans[0], f), 0);
	else
		CHECK_EQ(tdec_plot_script(res, "out/it's.png", f), 0);
	rewind(f);
	n = fread(buf, 1, (1 << 16) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static const char pingpong[] =
	"BdsDxe: starting Boot0001\r\n"
	"bolt: TRACE-BEGIN tsc_per_us=50\r\n"
	"bolt: TRACE 1000 cpu=0 send dom=1 port=1\r\n"
	"bolt: TRACE 1100 cpu=0 kick-ipi dom=2 port=1\r\n"
	"pong: pong: a guest line in the middle\r\n"
	"bolt: TRACE 1400 cpu=1 wake dom=2 port=0\r\n"
	"bolt: TRACE 1450 cpu=1 inject dom=2 port=0\r\n"
	"bolt: TRACE 1700 cpu=1 ack dom=2 port=1\r\n"
	"bolt: TRACE 2000 cpu=1 send dom=2 port=1\r\n"
	"bolt: TRACE 2080 cpu=1 kick-line dom=1 port=1\r\n"
	"bolt: TRACE 2500 cpu=0 inject dom=1 port=0\r\n"
	"bolt: TRACE 2600 cpu=0 ack dom=1 port=1\r\n"
	"bolt: TRACE 3000 cpu=0 send dom=1 port=1\r\n"
	"bolt: TRACE 3120 cpu=0 kick-ipi dom=2 port=1\r\n"
	"bolt: TRACE 3500 cpu=1 wake dom=2 port=0\r\n"
	"bolt: TRACE 3560 cpu=1 inject dom=2 port=0\r\n"
	"bolt: TRACE 3900 cpu=1 ack dom=2 port=1\r\n"
	"bolt: TRACE 4000 cpu=1 send dom=2 port=1\r\n"
	"bolt: TRACE 4090 cpu=1 kick-ipi dom=1 port=1\r\n"
	"bolt: TRACE 4200 cpu=0 wake dom=1 port=0\r\n"
	"bolt: TRACE 4210 cpu=0 inject dom=1 port=0\r\n"
	"bolt: TRACE 4400 cpu=0 ack dom=1 port=1\r\n"
	"bolt: TRACE-END 19 records, 0 lost\r\n"
	"bolt: powering off\r\n";

static void test_pingpong(void)
{
	struct tdec_result res;

	CHECK_EQ(decode(pingpong, &res), 0);
	CHECK_EQ(res.tsc_per_us, 50);
	CHECK_EQ(res.dumps, 1);
	CHECK_EQ(res.nrecs, 19);
	CHECK_EQ(res.malformed, 0);
	CHECK(res.diag == NULL);
	CHECK_EQ(res.nchans, 2);
	if (res.nchans != 2)
		goto out;
	check_chan(&res.chans[0], 1, 1, 2, 1, 2, 0);
	check_stage(&res.chans[0], TDEC_SEND_KICK, 2, 100, 120, 120);
	check_stage(&res.chans[0], TDEC_KICK_WAKE, 2, 300, 380, 380);
	check_stage(&res.chans[0], TDEC_WAKE_INJECT, 2, 50, 60, 60);
	check_stage(&res.chans[0], TDEC_INJECT_ACK, 2, 250, 340, 340);
	check_stage(&res.chans[0], TDEC_SEND_ACK, 2, 700, 900, 900);
	/* The reply: the first one finds ping running (no wake). */
	check_chan(&res.chans[1], 2, 1, 1, 1, 2, 0);
	check_stage(&res.chans[1], TDEC_SEND_KICK, 2, 80, 90, 90);
	check_stage(&res.chans[1], TDEC_KICK_WAKE, 1, 110, 110, 110);
	check_stage(&res.chans[1], TDEC_WAKE_INJECT, 1, 10, 10, 10);
	check_stage(&res.chans[1], TDEC_INJECT_ACK, 2, 100, 190, 190);
	check_stage(&res.chans[1], TDEC_SEND_ACK, 2, 400, 600, 600);
out:
	tdec_free(&res);
	CHECK(res.recs == NULL && res.nchans == 0);
}

/* Two senders to one receiver: wake/inject are shared, acks tell the ports apart. */
static void test_interleaved(void)
{
	static const char log[] = "bolt: TRACE-BEGIN tsc_per_us=10\n"
				  "bolt: TRACE 100 cpu=0 send dom=1 port=1\n"
				  "bolt: TRACE 105 cpu=1 send dom=2 port=1\n"
				  "bolt: TRACE 110 cpu=0 kick-ipi dom=3 port=1\n"
				  "bolt: TRACE 120 cpu=1 kick-ipi dom=3 port=2\n"
				  "bolt: TRACE 200 cpu=2 wake dom=3 port=0\n"
				  "bolt: TRACE 210 cpu=2 inject dom=3 port=0\n"
				  "bolt: TRACE 300 cpu=2 ack dom=3 port=2\n"
				  "bolt: TRACE 310 cpu=2 ack dom=3 port=1\n"
				  "bolt: TRACE 1000 cpu=1 send dom=2 port=1\n"
				  "bolt: TRACE 1010 cpu=1 kick-ipi dom=3 port=2\n"
				  "bolt: TRACE 1100 cpu=2 inject dom=3 port=0\n"
				  "bolt: TRACE 1150 cpu=2 ack dom=3 port=2\n"
				  /* dom3 halts, then wakes for something untraced: not a stage of the above. */
				  "bolt: TRACE 1300 cpu=2 wake dom=3 port=0\n"
				  "bolt: TRACE 1310 cpu=2 inject dom=3 port=0\n"
				  "bolt: TRACE-END 14 records, 0 lost\n";
	struct tdec_result res;

	CHECK_EQ(decode(log, &res), 0);
	CHECK_EQ(res.nchans, 2);
	if (res.nchans != 2)
		goto out;
	check_chan(&res.chans[0], 1, 1, 3, 1, 1, 0);
	check_stage(&res.chans[0], TDEC_SEND_KICK, 1, 10, 10, 10);
	check_stage(&res.chans[0], TDEC_KICK_WAKE, 1, 90, 90, 90);
	check_stage(&res.chans[0], TDEC_WAKE_INJECT, 1, 10, 10, 10);
	check_stage(&res.chans[0], TDEC_INJECT_ACK, 1, 100, 100, 100);
	check_stage(&res.chans[0], TDEC_SEND_ACK, 1, 210, 210, 210);
	check_chan(&res.chans[1], 2, 1, 3, 2, 2, 0);
	check_stage(&res.chans[1], TDEC_SEND_KICK, 2, 10, 15, 15);
	check_stage(&res.chans[1], TDEC_KICK_WAKE, 1, 80, 80, 80);
	check_stage(&res.chans[1], TDEC_WAKE_INJECT, 1, 10, 10, 10);
	check_stage(&res.chans[1], TDEC_INJECT_ACK, 2, 50, 90, 90);
	check_stage(&res.chans[1], TDEC_SEND_ACK, 2, 150, 195, 195);
out:
	tdec_free(&res);
}

/* An unkicked send, an ack without inject, an inject without ack. */
static void test_missing_stages(void)
{
	static const char log[] = "bolt: TRACE-BEGIN tsc_per_us=1\r\n"
				  "bolt: TRACE 100 cpu=0 send dom=1 port=1\r\n"
				  "bolt: TRACE 110 cpu=0 kick-ipi dom=2 port=1\r\n"
				  "bolt: TRACE 150 cpu=1 inject dom=2 port=0\r\n"
				  "bolt: TRACE 180 cpu=1 ack dom=2 port=1\r\n"
				  "bolt: TRACE 500 cpu=0 send dom=1 port=1\r\n"
				  "bolt: TRACE 520 cpu=1 ack dom=2 port=1\r\n"
				  "bolt: TRACE 900 cpu=0 send dom=1 port=1\r\n"
				  "bolt: TRACE 905 cpu=0 kick-ipi dom=2 port=1\r\n"
				  "bolt: TRACE 950 cpu=1 wake dom=2 port=0\r\n"
				  "bolt: TRACE 990 cpu=1 inject dom=2 port=0\r\n"
				  "bolt: TRACE-END 10 records, 0 lost\r\n";
	struct tdec_result res;
	char *csv;

	CHECK_EQ(decode(log, &res), 0);
	CHECK_EQ(res.nchans, 1);
	if (res.nchans != 1)
		goto out;
	check_chan(&res.chans[0], 1, 1, 2, 1, 3, 2);
	check_stage(&res.chans[0], TDEC_SEND_KICK, 2, 5, 10, 10);
	check_stage(&res.chans[0], TDEC_KICK_WAKE, 1, 45, 45, 45);
	check_stage(&res.chans[0], TDEC_WAKE_INJECT, 1, 40, 40, 40);
	check_stage(&res.chans[0], TDEC_INJECT_ACK, 1, 30, 30, 30);
	check_stage(&res.chans[0], TDEC_SEND_ACK, 2, 20, 80, 80);
	csv = capture(&res, 1);
	CHECK_STR(csv, "send_tsc,send_line,send_kick,kick_wake,wake_inject,inject_ack,send_ack\n"
		       "100,2,10,,,30,80\n"
		       "500,6,,,,,20\n"
		       "900,8,5,45,40,,\n");
	free(csv);
out:
	tdec_free(&res);
}

/* A lazy channel never kicks: its receiver is the ack that most often follows. */
static void test_lazy_by_acks(void)
{
	static const char log[] = "bolt: TRACE-BEGIN tsc_per_us=1\n"
				  "bolt: TRACE 10 cpu=2 send dom=3 port=1\n"
				  "bolt: TRACE 12 cpu=2 kick-ipi dom=2 port=5\n"
				  "bolt: TRACE 100 cpu=0 send dom=1 port=4\n"
				  "bolt: TRACE 120 cpu=1 ack dom=2 port=5\n"
				  "bolt: TRACE 1000 cpu=1 inject dom=2 port=0\n"
				  "bolt: TRACE 1010 cpu=1 ack dom=2 port=9\n"
				  "bolt: TRACE 2000 cpu=0 send dom=1 port=4\n"
				  "bolt: TRACE 2500 cpu=1 ack dom=2 port=7\n"
				  "bolt: TRACE 3000 cpu=1 inject dom=2 port=0\n"
				  "bolt: TRACE 3020 cpu=1 ack dom=2 port=9\n"
				  "bolt: TRACE 4000 cpu=0 send dom=1 port=4\n"
				  "bolt: TRACE 5000 cpu=1 inject dom=2 port=0\n"
				  "bolt: TRACE 5030 cpu=1 ack dom=2 port=9\n"
				  "bolt: TRACE-END 14 records, 0 lost\n";
	struct tdec_result res;

	CHECK_EQ(decode(log, &res), 0);
	CHECK_EQ(res.nchans, 2);
	if (res.nchans != 2)
		goto out;
	check_chan(&res.chans[0], 1, 4, 2, 9, 3, 0);
	check_stage(&res.chans[0], TDEC_SEND_KICK, 0, 0, 0, 0);
	check_stage(&res.chans[0], TDEC_INJECT_ACK, 3, 20, 30, 30);
	check_stage(&res.chans[0], TDEC_SEND_ACK, 3, 1020, 1030, 1030);
	check_chan(&res.chans[1], 3, 1, 2, 5, 1, 1);
	check_stage(&res.chans[1], TDEC_SEND_KICK, 1, 2, 2, 2);
out:
	tdec_free(&res);
}

static void test_malformed(void)
{
	static const char log[] = "bolt: TRACE 5 cpu=0 send dom=1 port=1\n"
				  "bolt: TRACE-BEGIN tsc_per_us=abc\n"
				  "bolt: TRACE 100 cpu=0 send dom=1 port=1\n"
				  "bolt: TRACE 1x0 cpu=0 send dom=1 port=1\n"
				  "bolt: TRACE 110 cpu=0 kick-ipi dom=2\n"
				  "bolt: TRACE 120 cpu=0 poke dom=2 port=1\n"
				  "bolt: TRACE 130 cpu=0 kick-ipi dom=2 port=1 extra\n"
				  "bolt: TRACE 140 cpu=x kick-ipi dom=2 port=1\n"
				  "bolt: TRACE 150 cpu=1 inject dom=2 port=0\r\n"
				  "bolt: TRACE 160 cpu=1 ack dom=2 port=1\r\r\n"
				  "bolt: TRACE-END 9 records, 2 lost\n"
				  "ping: STRACE 1 2 3 and TRACER 4\n"
				  "bolt: TRACE 99999999999999999999 cpu=0 send dom=1 port=1\n";
	struct tdec_result res;
	char *rep;

	CHECK_EQ(decode(log, &res), 0);
	CHECK_EQ(res.malformed, 8);
	CHECK_EQ(res.nrecs, 3);
	CHECK_EQ(res.tsc_per_us, 0);
	CHECK_EQ(res.lost, 2);
	CHECK(res.diag != NULL);
	if (!res.diag)
		goto out;
	CHECK_CONTAINS(res.diag, "log:1: TRACE record outside a TRACE-BEGIN/TRACE-END dump");
	CHECK_CONTAINS(res.diag, "log:2: malformed TRACE-BEGIN");
	CHECK_CONTAINS(res.diag, "log:4: malformed TRACE record (bad timestamp");
	CHECK_CONTAINS(res.diag, "log:5: malformed TRACE record (expected 5 fields");
	CHECK_CONTAINS(res.diag, "log:6: malformed TRACE record (unknown event");
	CHECK_CONTAINS(res.diag, "log:7: malformed TRACE record (expected 5 fields");
	CHECK_CONTAINS(res.diag, "log:8: malformed TRACE record (bad cpu=N");
	CHECK_CONTAINS(res.diag, "log:11: TRACE-END counts 9 records, but 3 were decoded");
	CHECK_CONTAINS(res.diag, "log:11: 2 records lost");
	CHECK_CONTAINS(res.diag, "log:13: TRACE record outside");
	CHECK(strstr(res.diag, "log:12:") == NULL);
	CHECK(strstr(res.diag, "log:3:") == NULL);
	/* The kicks were malformed: the receiver comes from the ack instead. */
	CHECK_EQ(res.nchans, 1);
	if (res.nchans != 1)
		goto out;
	check_chan(&res.chans[0], 1, 1, 2, 1, 1, 0);
	check_stage(&res.chans[0], TDEC_INJECT_ACK, 1, 10, 10, 10);
	check_stage(&res.chans[0], TDEC_SEND_ACK, 1, 60, 60, 60);
	rep = capture(&res, 0);
	CHECK_CONTAINS(rep, "tsc_per_us unknown");
	CHECK_CONTAINS(rep, "8 malformed lines skipped");
	CHECK_CONTAINS(rep, "  send->ack           1         60         60         60          -");
	CHECK_CONTAINS(rep, "  send->kick          0          -");
	free(rep);
out:
	tdec_free(&res);
}

static void test_no_begin(void)
{
	struct tdec_result res;

	CHECK_EQ(decode("bolt: hello\r\nping: TRACE-ENDING soon\r\n", &res), -XEN_ENODATA);
	CHECK(res.diag && strstr(res.diag, "log: no TRACE-BEGIN line"));
	tdec_free(&res);
	CHECK_EQ(decode("", &res), -XEN_ENODATA);
	tdec_free(&res);
}

/* A dump on request then one at shutdown: the second repeats the first. */
static void test_two_dumps(void)
{
	static const char log[] = "bolt: TRACE-BEGIN tsc_per_us=2\n"
				  "bolt: TRACE 10 cpu=0 send dom=1 port=1\n"
				  "bolt: TRACE 12 cpu=0 kick-ipi dom=2 port=3\n"
				  "bolt: TRACE-END 2 records, 1 lost\n"
				  "bolt: TRACE-BEGIN tsc_per_us=2\n"
				  "bolt: TRACE 10 cpu=0 send dom=1 port=1\n"
				  "bolt: TRACE 12 cpu=0 kick-ipi dom=2 port=3\n"
				  "bolt: TRACE 20 cpu=1 inject dom=2 port=0\n"
				  "bolt: TRACE 30 cpu=1 ack dom=2 port=3\n"
				  "bolt: TRACE-END 4 records, 3 lost\n";
	struct tdec_result res;
	char *rep;

	CHECK_EQ(decode(log, &res), 0);
	CHECK_EQ(res.dumps, 2);
	CHECK_EQ(res.duplicates, 2);
	CHECK_EQ(res.nrecs, 4);
	CHECK_EQ(res.lost, 3);
	CHECK_EQ(res.nchans, 1);
	if (res.nchans == 1) {
		check_chan(&res.chans[0], 1, 1, 2, 3, 1, 0);
		check_stage(&res.chans[0], TDEC_SEND_ACK, 1, 20, 20, 20);
	}
	rep = capture(&res, 0);
	CHECK_CONTAINS(rep, "2 dumps, 4 records (3 lost, 2 repeated by a later dump), tsc_per_us=2, 1 channel\n");
	CHECK_CONTAINS(rep, "channel dom1:1 -> dom2:3: 1 notifications, 0 incomplete");
	CHECK_CONTAINS(rep, "  send->ack           1         20         20         20      10.00      10.00      10.00\n");
	free(rep);
	tdec_free(&res);
}

/* Cut short: no TRACE-END, a send nobody answered, no final newline. */
static void test_truncated(void)
{
	static const char log[] = "x\nbolt: TRACE-BEGIN tsc_per_us=1\nbolt: TRACE 1 cpu=0 send dom=4 port=2";
	struct tdec_result res;
	char name[64];

	CHECK_EQ(decode(log, &res), 0);
	CHECK(res.diag && strstr(res.diag, "log:2: this dump has no TRACE-END"));
	CHECK_EQ(res.nchans, 1);
	if (res.nchans == 1) {
		check_chan(&res.chans[0], 4, 2, TDEC_UNKNOWN, TDEC_UNKNOWN, 1, 1);
		tdec_channel_name(&res.chans[0], name, sizeof(name));
		CHECK_STR(name, "dom4:2 -> dom?");
		tdec_channel_slug(&res.chans[0], name, sizeof(name));
		CHECK_STR(name, "d4p2-unknown");
	}
	tdec_free(&res);
}

static void test_long_line(void)
{
	static char log[2048];
	struct tdec_result res;

	strcpy(log, "bolt: TRACE-BEGIN tsc_per_us=1\n");
	memset(log + strlen(log), 'x', 600);
	strcat(log, " TRACE 1 cpu=0 send dom=1 port=1\nbolt: TRACE-END 0 records, 0 lost\n");
	CHECK_EQ(decode(log, &res), 0);
	CHECK_EQ(res.malformed, 1);
	CHECK_EQ(res.nrecs, 0);
	CHECK(res.diag && strstr(res.diag, "log:2: line longer than 512 characters"));
	tdec_free(&res);
}

static void test_plot_script(void)
{
	struct tdec_result res;
	char *gp;

	CHECK_EQ(decode(pingpong, &res), 0);
	gp = capture(&res, 2);
	CHECK_CONTAINS(gp, "set terminal pngcairo");
	CHECK_CONTAINS(gp, "set output 'out/it''s.png'\n");
	CHECK_CONTAINS(gp, "time since the first record (us)");
	CHECK_CONTAINS(gp, "set ytics ('send' 0, 'kick' 1, 'wake' 2, 'inject' 3, 'ack' 4)");
	/* Channel 0's first notification: 0, 2, 8, 9, 14 us after the first record. */
	CHECK_CONTAINS(gp, "$ch0 << EOD\n0.000 0\n2.000 1\n8.000 2\n9.000 3\n14.000 4\n\n");
	CHECK_CONTAINS(gp, "title 'dom2:1 -> dom1:1'");
	free(gp);
	tdec_free(&res);
}

/* The shipped sample log: 50 ping-pong round trips, the last reply never acked. */
static void test_fixture(void)
{
	size_t len;
	char *text = unit_read_file("tests/data/trace/pingpong.log", &len);
	struct tdec_result res;

	CHECK_EQ(tdec_decode(text, len, "pingpong.log", &res), 0);
	CHECK_EQ(res.nrecs, 449);
	CHECK_EQ(res.malformed, 0);
	CHECK_EQ(res.nchans, 2);
	if (res.nchans == 2) {
		check_chan(&res.chans[0], 1, 1, 2, 1, 50, 0);
		check_stage(&res.chans[0], TDEC_SEND_KICK, 50, 105, 110, 110);
		check_stage(&res.chans[0], TDEC_WAKE_INJECT, 50, 50, 50, 50);
		check_stage(&res.chans[0], TDEC_INJECT_ACK, 50, 250, 750, 750);
		check_chan(&res.chans[1], 2, 1, 1, 1, 50, 1);
		check_stage(&res.chans[1], TDEC_KICK_WAKE, 0, 0, 0, 0);
		check_stage(&res.chans[1], TDEC_INJECT_ACK, 49, 260, 260, 260);
	}
	tdec_free(&res);
	free(text);
}

void unit_main(void)
{
	TEST(test_pingpong);
	TEST(test_interleaved);
	TEST(test_missing_stages);
	TEST(test_lazy_by_acks);
	TEST(test_malformed);
	TEST(test_no_begin);
	TEST(test_two_dumps);
	TEST(test_truncated);
	TEST(test_long_line);
	TEST(test_plot_script);
	TEST(test_fixture);
}
