/* SPDX-License-Identifier: MIT */
/*
 * Per-channel latency tracing (channels with `trace = on`). Each CPU owns
 * one ring of records and is its only writer, so recording is lock-free:
 * write the record, then publish it with a release store of the head.
 * The dump (at the end of the run, or on request) merges the rings and the
 * guests' ack pages by TSC; see docs/tracing.md for the format.
 */
#ifndef CORE_TRACE_H
#define CORE_TRACE_H

#include <stdbool.h>
#include <stdint.h>

struct guest;
struct pcpu;

enum trace_event {
	TRACE_SEND,      /* sender's CPU: dom/port = sender's end */
	TRACE_KICK_IPI,  /* sender's CPU: dom/port = receiver's end */
	TRACE_KICK_LINE,
	TRACE_WAKE,      /* receiver's CPU: the woken receiver is entered */
	TRACE_INJECT,    /* receiver's CPU: upcall vector injected */
	TRACE_ACK,       /* guest's upcall handler (from its ack page) */
};

#define TRACE_RING 4096

struct trace_rec {
	uint64_t tsc;
	uint32_t port;
	uint16_t dom;
	uint8_t event;
	uint8_t cpu;
};

struct trace_ring {
	struct trace_rec rec[TRACE_RING];
	uint64_t head;   /* records written so far; slot = head % TRACE_RING */
};

/* Is any channel traced? (checked first on every hot path) */
extern bool trace_enabled;

void trace_init(unsigned nr_cpus);
void trace_record(enum trace_event ev, uint16_t dom, uint32_t port);
/* Print every record (merged by TSC) and every guest's acks. */
void trace_dump(void);

/*
 * The send being traced on this CPU, so the scheduler's kick can name the
 * receiving end: set around a traced send, cleared after.
 */
void trace_send_begin(uint16_t dom, uint32_t port, uint16_t rdom, uint32_t rport);
void trace_send_end(void);
void trace_kick(bool ipi);

#endif
