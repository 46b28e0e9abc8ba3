/* SPDX-License-Identifier: MIT */
/*
 * fifo: the FIFO event-ABI test guest (tests/integration/evtchn-fifo.cfg,
 * hostile-fifo-*.cfg). One binary, `test=NAME` picks the role (main.c).
 * It brings its own FIFO consumer (consume.c), written as Linux's FIFO
 * driver consumes queues, so the SDK's 2-level upcall handler stays out
 * of the way: a guest on FIFO here keeps its upcalls masked and polls.
 */
#ifndef BOLT_TEST_FIFO_H
#define BOLT_TEST_FIFO_H

#include <bolt/sdk.h>

#define FG_MS 1000000ull
#define FG_PAGES 9u /* array pages the guest can give: 9 x 1024 words */

/* --- consume.c ----------------------------------------------------------- */
long fg_evtchn_op(unsigned int cmd, void *arg);
/* init_control on the static control page, then `pages` array pages. */
long fg_init(unsigned pages);
/* The next array page (expand_array), as the guest's page count grows. */
long fg_expand(void);
long fg_set_priority(evtchn_port_t port, uint32_t prio);
/* The guest's event word of port (port < pages given x 1024). */
event_word_t *fg_word(evtchn_port_t port);
struct evtchn_fifo_control_block *fg_cb(void);
/* The control page and the word pages as bytes (for the restart checks). */
uint8_t *fg_cb_page(void);
uint8_t *fg_array_bytes(void);
/* Take the next event as Linux does; 0 if none (clears PENDING). */
evtchn_port_t fg_consume(void);
/* Mask upcalls for good: this guest consumes by polling. */
void fg_upcalls_off(void);

/* --- roles ---------------------------------------------------------------- */
const char *fg_order_rx(const struct hvm_start_info *si, const char *name); /* order.c */
const char *fg_order_tx(const struct hvm_start_info *si, const char *name); /* order.c */
const char *fg_restart_victim(const struct hvm_start_info *si, const char *name); /* restart.c */
const char *fg_flooder(const struct hvm_start_info *si, const char *name);  /* restart.c */
const char *fg_garbage(const struct hvm_start_info *si, const char *name);  /* garbage.c */
const char *fg_bystander(const struct hvm_start_info *si, const char *name); /* garbage.c */

const char *fg_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
uint64_t fg_opt(const struct hvm_start_info *si, const char *key, uint64_t def);

static inline uint64_t fg_xorshift(uint64_t x)
{
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return x;
}

#endif
