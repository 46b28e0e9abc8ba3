/* SPDX-License-Identifier: MIT */
/*
 * Guest SDK: a vchan, i.e. the lossless ring of <bolt/sdk/ring.h> in pages
 * one guest grants to another (grant.h) with an event channel bound at run
 * time as its doorbell, instead of a static [shm] region and [channel].
 * After setup the ring code and its data path are the same.
 *
 * Bootstrap without xenstore. The server (the granting side) and the client
 * (the mapping side) agree on two numbers out of band, typically their
 * command lines in bolt.cfg: each other's domid (the guest's index in
 * bolt.cfg, from 1) and one grant ref, the control ref. The server
 *   1. allocates nr_pages ring pages and one control page from its heap,
 *      zeroed and page-aligned;
 *   2. EVTCHNOP_alloc_unbound toward the client: the ring's port;
 *   3. grants the ring pages (refs ctl_ref+1 .. ctl_ref+nr_pages), writes
 *      struct bolt_vchan_ctl (ring refs, nr_pages, port) into the control
 *      page, magic last with a release store, and only then grants the
 *      control page at ctl_ref.
 * The client maps ctl_ref, retrying while it is not granted yet (the server
 * may boot later), checks the control page, maps the ring refs it lists at
 * consecutive pages of its own heap, binds the port with
 * EVTCHNOP_bind_interdomain, and says so in client_state. bolt.cfg needs
 * `grant = SERVER, CLIENT` and `allow = SERVER, CLIENT` for the pair.
 *
 * Teardown: the client unmaps the ring pages, writes client_state CLOSED,
 * unmaps the control page; the server ends access to every ref once the
 * client no longer maps it (bolt_grant_end_access), then frees its pages.
 */
#ifndef BOLT_GUEST_SDK_VCHAN_H
#define BOLT_GUEST_SDK_VCHAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <bolt/sdk/grant.h>
#include <bolt/sdk/ring.h>

#define BOLT_VCHAN_MAGIC 0x4e414843564c4f42ull /* "BOLVCHAN" */
#define BOLT_VCHAN_VERSION 1u
/* Ring pages at most: Bolt lets a guest hold 64 grant mappings at once. */
#define BOLT_VCHAN_MAX_PAGES 32u

enum bolt_vchan_client_state {
	BOLT_VCHAN_CLIENT_NONE = 0,
	BOLT_VCHAN_CLIENT_CONNECTED = 1,
	BOLT_VCHAN_CLIENT_CLOSED = 2,
};

/* The control page, at the control ref: ABI between the two guests. */
struct bolt_vchan_ctl {
	uint64_t magic;        /* BOLT_VCHAN_MAGIC, written last by the server */
	uint32_t version;      /* BOLT_VCHAN_VERSION */
	uint32_t nr_pages;     /* ring pages, 1..BOLT_VCHAN_MAX_PAGES */
	uint32_t port;         /* the server's port, unbound for the client */
	uint32_t client_state; /* enum bolt_vchan_client_state, the client's */
	uint32_t refs[BOLT_VCHAN_MAX_PAGES]; /* ring page i is granted at refs[i] */
};

/* One side's private state. */
struct bolt_vchan {
	bool server;
	domid_t peer;
	grant_ref_t ctl_ref;
	uint32_t nr_pages;
	evtchn_port_t port;          /* our end of the doorbell */
	struct bolt_vchan_ctl *ctl;  /* the control page (ours, or mapped) */
	void *ring;                  /* nr_pages pages, contiguous here */
	void *alloc;                 /* what to free at close */
	grant_handle_t ctl_handle;   /* client: its mappings */
	grant_handle_t handles[BOLT_VCHAN_MAX_PAGES];
	uint32_t mapped;             /* client: ring pages mapped so far */
};

/*
 * Server side: steps 1-3 above, for client domain `client`, control ref
 * ctl_ref (at least BOLT_GNTTAB_FIRST_REF) and nr_pages ring pages.
 * Returns 0, -XEN_EINVAL, -XEN_ENOMEM, or a grant or event-channel
 * hypercall's error (everything set up so far is undone).
 */
int bolt_vchan_server_init(struct bolt_vchan *v, domid_t client, grant_ref_t ctl_ref,
			   uint32_t nr_pages);

/*
 * Client side: map server's control ref and the ring pages, bind the port.
 * Waits up to timeout_ns (0: forever) for the server to grant the control
 * page. Returns 0, -XEN_ETIMEDOUT, -XEN_EIO (the control page is not a
 * vchan's: wrong magic, version, page count or port), -XEN_ENOMEM, a map's
 * GNTST_* status or a hypercall's error (everything undone).
 */
int bolt_vchan_client_init(struct bolt_vchan *v, domid_t server, grant_ref_t ctl_ref,
			   uint64_t timeout_ns);

/* The ring's memory: v->ring, nr_pages * BOLT_PAGE_SIZE bytes. */
size_t bolt_vchan_ring_size(const struct bolt_vchan *v);

/* bolt_ring_init over the vchan's pages with its port. */
int bolt_vchan_ring_init(struct bolt_vchan *v, struct bolt_ring *r, bool producer);

/*
 * Tear down (see above). The server waits up to timeout_ns (0: forever)
 * for the client to unmap: -XEN_ETIMEDOUT leaves the pages granted and
 * allocated (never freed while the peer may still map them). Returns 0 or
 * the first error.
 */
int bolt_vchan_close(struct bolt_vchan *v, uint64_t timeout_ns);

#endif
