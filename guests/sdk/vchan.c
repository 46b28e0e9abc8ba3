/* SPDX-License-Identifier: MIT */
/*
 * The vchan (vchan.h): the lossless ring in granted pages. This file only
 * sets up and tears down; the data path is ring.c's, unchanged.
 */
#include <stdlib.h>
#include <string.h>

#include <bolt/sdk/base.h>
#include <bolt/sdk/evtchn.h>
#include <bolt/sdk/vchan.h>

#define VCHAN_PAGE BOLT_PAGE_SIZE

_Static_assert(sizeof(struct bolt_vchan_ctl) <= VCHAN_PAGE, "vchan control page");

/*
 * `pages` zeroed pages, page-aligned; NULL if the heap is short.
 */
static void *vchan_alloc(uint32_t pages)
{
	void *p = aligned_alloc(VCHAN_PAGE, (size_t)pages * VCHAN_PAGE);

	if (p)
		memset(p, 0, (size_t)pages * VCHAN_PAGE);
	return p;
}

static bool vchan_expired(uint64_t deadline)
{
	return deadline && bolt_now_ns() >= deadline;
}

static uint64_t vchan_deadline(uint64_t timeout_ns)
{
	return timeout_ns ? bolt_now_ns() + timeout_ns : 0;
}

/* Server: end every grant (control page and ring); -XEN_EBUSY while one is mapped. */
static int vchan_end_all(struct bolt_vchan *v)
{
	int ret = 0;

	for (uint32_t i = 0; i <= v->nr_pages; i++) {
		int r = bolt_grant_end_access(v->ctl_ref + i);

		/* 0 also for an entry ended on an earlier try: it is free either way. */
		if (r == -XEN_EBUSY)
			ret = r;
	}
	return ret;
}

int bolt_vchan_server_init(struct bolt_vchan *v, domid_t client, grant_ref_t ctl_ref,
			   uint32_t nr_pages)
{
	uint32_t last = ctl_ref + nr_pages, i = 0;
	unsigned int frames = last / BOLT_GNTTAB_PER_FRAME + 1;
	evtchn_port_t port;
	int ret;

	if (!v || ctl_ref < BOLT_GNTTAB_FIRST_REF || !nr_pages ||
	    nr_pages > BOLT_VCHAN_MAX_PAGES || frames > BOLT_GNTTAB_FRAMES)
		return -XEN_EINVAL;
	ret = bolt_gnttab_setup(frames);
	if (ret < 0)
		return ret;
	memset(v, 0, sizeof(*v));
	v->server = true;
	v->peer = client;
	v->ctl_ref = ctl_ref;
	v->nr_pages = nr_pages;
	v->alloc = vchan_alloc(nr_pages + 1);
	if (!v->alloc)
		return -XEN_ENOMEM;
	v->ctl = v->alloc;
	v->ring = (uint8_t *)v->alloc + VCHAN_PAGE;
	ret = (int)bolt_evtchn_alloc_unbound(client, &port);
	if (ret < 0)
		goto out;
	v->port = port;
	for (i = 0; i < nr_pages; i++) {
		ret = bolt_grant_access(ctl_ref + 1 + i, client, (uint8_t *)v->ring + i * VCHAN_PAGE,
					false);
		if (ret < 0)
			goto out;
		v->ctl->refs[i] = ctl_ref + 1 + i;
	}
	v->ctl->version = BOLT_VCHAN_VERSION;
	v->ctl->nr_pages = nr_pages;
	v->ctl->port = port;
	/* Everything else is in place before the magic, the magic before the grant. */
	__atomic_store_n(&v->ctl->magic, BOLT_VCHAN_MAGIC, __ATOMIC_RELEASE);
	ret = bolt_grant_access(ctl_ref, client, v->ctl, false);
out:
	if (ret < 0) {
		/* Nobody can have mapped yet: the control page was never granted. */
		for (uint32_t j = 0; j < i; j++)
			bolt_grant_end_access(ctl_ref + 1 + j);
		if (v->port)
			bolt_evtchn_close(v->port);
		free(v->alloc);
		memset(v, 0, sizeof(*v));
	}
	return ret;
}

/* Client: unmap what is mapped, close the port, free the pages. */
static void vchan_client_undo(struct bolt_vchan *v)
{
	while (v->mapped) {
		v->mapped--;
		bolt_grant_unmap(v->handles[v->mapped],
				 (uint8_t *)v->ring + v->mapped * VCHAN_PAGE);
	}
	if (v->ctl) {
		if (v->port)
			__atomic_store_n(&v->ctl->client_state, BOLT_VCHAN_CLIENT_CLOSED,
					 __ATOMIC_RELEASE);
		bolt_grant_unmap(v->ctl_handle, v->ctl);
	}
	if (v->port)
		bolt_evtchn_close(v->port);
	free(v->alloc);
	memset(v, 0, sizeof(*v));
}

/* Map the control page, retrying while the server has not granted it. */
static int vchan_map_ctl(struct bolt_vchan *v, void *page, uint64_t deadline)
{
	for (;;) {
		int ret = bolt_grant_map(v->peer, v->ctl_ref, page, false, &v->ctl_handle);

		if (ret != GNTST_general_error || vchan_expired(deadline))
			return ret == GNTST_general_error ? -XEN_ETIMEDOUT : ret;
		bolt_yield();
	}
}

int bolt_vchan_client_init(struct bolt_vchan *v, domid_t server, grant_ref_t ctl_ref,
			   uint64_t timeout_ns)
{
	uint64_t deadline = vchan_deadline(timeout_ns);
	struct bolt_vchan_ctl *c;
	void *ctl_page;
	evtchn_port_t port;
	int ret;

	if (!v)
		return -XEN_EINVAL;
	memset(v, 0, sizeof(*v));
	v->peer = server;
	v->ctl_ref = ctl_ref;
	ctl_page = vchan_alloc(1);
	if (!ctl_page)
		return -XEN_ENOMEM;
	ret = vchan_map_ctl(v, ctl_page, deadline);
	if (ret) {
		free(ctl_page);
		return ret;
	}
	v->ctl = c = ctl_page;
	/* Granted after the magic was written: anything else is not a vchan. */
	if (__atomic_load_n(&c->magic, __ATOMIC_ACQUIRE) != BOLT_VCHAN_MAGIC ||
	    c->version != BOLT_VCHAN_VERSION)
		goto bad;
	/* Copy out once what we use: the server could change it under us. */
	v->nr_pages = __atomic_load_n(&c->nr_pages, __ATOMIC_RELAXED);
	port = __atomic_load_n(&c->port, __ATOMIC_RELAXED);
	if (!v->nr_pages || v->nr_pages > BOLT_VCHAN_MAX_PAGES || !port ||
	    port >= BOLT_EVTCHN_PORTS)
		goto bad;
	v->alloc = v->ring = vchan_alloc(v->nr_pages);
	if (!v->ring) {
		ret = -XEN_ENOMEM;
		goto fail;
	}
	for (; v->mapped < v->nr_pages; v->mapped++) {
		grant_ref_t ref = __atomic_load_n(&c->refs[v->mapped], __ATOMIC_RELAXED);

		ret = bolt_grant_map(server, ref, (uint8_t *)v->ring + v->mapped * VCHAN_PAGE,
				     false, &v->handles[v->mapped]);
		if (ret)
			goto fail;
	}
	ret = (int)bolt_evtchn_bind_interdomain(server, port, &v->port);
	if (ret < 0)
		goto fail;
	__atomic_store_n(&c->client_state, BOLT_VCHAN_CLIENT_CONNECTED, __ATOMIC_RELEASE);
	return 0;
bad:
	ret = -XEN_EIO;
fail:
	vchan_client_undo(v);
	free(ctl_page);
	return ret;
}

size_t bolt_vchan_ring_size(const struct bolt_vchan *v)
{
	return (size_t)v->nr_pages * VCHAN_PAGE;
}

int bolt_vchan_ring_init(struct bolt_vchan *v, struct bolt_ring *r, bool producer)
{
	return bolt_ring_init(r, v->ring, bolt_vchan_ring_size(v), v->port, producer);
}

int bolt_vchan_close(struct bolt_vchan *v, uint64_t timeout_ns)
{
	uint64_t deadline = vchan_deadline(timeout_ns);
	void *ctl_page;

	if (!v || !v->ctl)
		return -XEN_EINVAL;
	if (!v->server) {
		ctl_page = v->ctl;
		vchan_client_undo(v);
		free(ctl_page);
		return 0;
	}
	/* Pages the client may still map are never freed (nor reused). */
	while (vchan_end_all(v) == -XEN_EBUSY) {
		if (vchan_expired(deadline))
			return -XEN_ETIMEDOUT;
		bolt_yield();
	}
	bolt_evtchn_close(v->port);
	free(v->alloc);
	memset(v, 0, sizeof(*v));
	return 0;
}
