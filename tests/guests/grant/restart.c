/* SPDX-License-Identifier: MIT */
/*
 * Hostile: grant mappings across a granter's restarts.
 *
 * restart-granter n=N: each boot first checks that the page it grants is
 * all zero (as loaded): a peer still writing through a mapping that
 * outlived the previous boot would show here. It grants the page to
 * domain 2, waits until the mapper holds it (GTF_reading), then for a
 * while tries to end access (refused while mapped, as Linux's
 * gnttab_end_foreign_access_ref checks) and grants again, and reboots with
 * the page still mapped by the peer; boot N waits for the mapper instead.
 *
 * restart-mapper n=N: the first mapping of each granter boot it holds,
 * writing 0xAB into the page, until Bolt revokes it under the granter's
 * restart: it must then see its own page come back (never the granter's
 * next boot, nor the page zeroed), and its handle is gone
 * (GNTST_bad_handle). Meanwhile it maps the grant a second time and
 * unmaps it, in a loop, racing the restarts. It stops once it has mapped
 * boot N.
 */
#include "grant.h"

#define BOOT_NS 30000000ull /* granter's time per boot */
#define TIMEOUT_NS 60000000000ull
#define OWN 0x5a5a5a5au

static grant_entry_v1_t gtab[PAGE / sizeof(grant_entry_v1_t)] __attribute__((aligned(PAGE)));
static uint8_t page[PAGE] __attribute__((aligned(PAGE)));
static uint8_t win[PAGE] __attribute__((aligned(PAGE)));
static uint8_t win2[PAGE] __attribute__((aligned(PAGE)));

/* While holding one mapping: map the grant again elsewhere, write, unmap (a restart may race it). */
static unsigned churn_once(void)
{
	grant_handle_t h2;
	int rc = map_ref(1, REF_RW, win2, GNTMAP_host_map, &h2);

	if (rc == GNTST_general_error)
		return 0; /* the granter is restarting: its table is empty */
	EXPECT_EQ(rc, GNTST_okay);
	if (rc)
		return 0;
	((volatile uint8_t *)win2)[128] = 0xab;
	rc = unmap_handle(h2, win2);
	if (rc != GNTST_bad_handle) /* bad_handle: revoked between the two */
		EXPECT_EQ(rc, GNTST_okay);
	return 1;
}

int role_restart_granter(uint64_t last)
{
	struct shared_hdr *h = (struct shared_hdr *)page;
	struct bolt_info info;
	unsigned ends = 0, busy = 0;
	uint64_t until;

	if (bolt_info(&info) < 0)
		return -1;
	for (unsigned i = 0; i < PAGE; i++)
		if (page[i]) {
			printf("restart-granter: boot %u: byte %u of the granted page is 0x%x, not 0: "
			       "a stale mapping wrote into the new boot\n", info.boot_count, i, page[i]);
			failures++;
			break;
		}
	EXPECT_EQ(add_grant_frame(0, gtab), 0);
	h->magic = MAGIC;
	h->boot = info.boot_count;
	gtab[REF_RW].domid = 2;
	gtab[REF_RW].frame = (uint32_t)GFN(page);
	__atomic_store_n(&gtab[REF_RW].flags, GTF_permit_access, __ATOMIC_RELEASE);
	printf("restart-granter: boot %u: granted ref %u\n", info.boot_count, REF_RW);
	if (info.boot_count < last) {
		/* Reboot only with the page mapped: Bolt must revoke it. */
		until = bolt_now_ns() + TIMEOUT_NS;
		while (!(gtab[REF_RW].flags & GTF_reading) && bolt_now_ns() < until)
			bolt_yield();
		EXPECT_EQ(gtab[REF_RW].flags & GTF_reading, GTF_reading);
		until = bolt_now_ns() + BOOT_NS;
		while (bolt_now_ns() < until) {
			uint16_t f = GTF_permit_access;

			/* End access unless mapped (Bolt keeps GTF_reading/writing set then). */
			if (__atomic_compare_exchange_n(&gtab[REF_RW].flags, &f, 0, false,
							__ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
				ends++;
				bolt_yield();
				__atomic_store_n(&gtab[REF_RW].flags, GTF_permit_access,
						 __ATOMIC_RELEASE);
			} else {
				busy += (f & (GTF_reading | GTF_writing)) != 0;
			}
			bolt_yield();
		}
		printf("restart-granter: boot %u: ended access %u times, busy %u times; rebooting\n",
		       info.boot_count, ends, busy);
		bolt_shutdown(SHUTDOWN_reboot);
	}
	until = bolt_now_ns() + TIMEOUT_NS;
	while (!h->done && bolt_now_ns() < until)
		bolt_yield();
	EXPECT_EQ(h->done, 1);
	/* Give the mapper time to unmap, then the entry must be idle. */
	until = bolt_now_ns() + TIMEOUT_NS;
	while ((gtab[REF_RW].flags & (GTF_reading | GTF_writing)) && bolt_now_ns() < until)
		bolt_yield();
	EXPECT_EQ(gtab[REF_RW].flags, GTF_permit_access);
	printf("restart-granter: last boot %u, mapper done\n", info.boot_count);
	return 0;
}

int role_restart_mapper(uint64_t last)
{
	struct shared_hdr *h = (struct shared_hdr *)win;
	uint64_t until = bolt_now_ns() + TIMEOUT_NS;
	unsigned maps = 0, revoked = 0, refused = 0, max_boot = 0, held_boot = ~0u;
	unsigned held_revoked = 0;
	grant_handle_t handle;

	for (unsigned i = 0; i < PAGE / 4; i++)
		((uint32_t *)win)[i] = OWN;
	while (bolt_now_ns() < until) {
		int rc = map_ref(1, REF_RW, win, GNTMAP_host_map, &handle);
		bool hold, lost = false;
		uint32_t boot;

		if (rc == GNTST_general_error) { /* not granted right now: restarting, or ended */
			refused++;
			bolt_yield();
			continue;
		}
		EXPECT_EQ(rc, GNTST_okay);
		if (rc)
			break;
		maps++;
		boot = h->boot;
		hold = h->magic == MAGIC && boot != held_boot && boot < last;
		if (hold)
			held_boot = boot;
		/*
		 * Between the map and here, a restart may already have revoked it.
		 * Held, it stays until the restart takes it away: the page must
		 * then be ours again, never the granter's next boot.
		 */
		for (uint64_t t = bolt_now_ns() + TIMEOUT_NS; !lost; ) {
			if (h->magic != MAGIC || h->boot != boot) {
				lost = true;
				if (h->magic != OWN) {
					printf("restart-mapper: a mapping of boot %u now shows magic 0x%x, "
					       "boot %u: it outlived the granter's restart\n", boot,
					       h->magic, h->boot);
					failures++;
				}
				break;
			}
			if (boot > max_boot)
				max_boot = boot;
			memset(win + 64, 0xab, 64);
			if (!hold)
				break;
			maps += churn_once();
			if (bolt_now_ns() > t) {
				printf("restart-mapper: held boot %u's page for 60 s: no restart\n", boot);
				failures++;
				break;
			}
			bolt_yield();
		}
		if (hold && !lost)
			break;
		if (!lost && h->boot == last) {
			h->done = 1;
			EXPECT_EQ(unmap_handle(handle, win), GNTST_okay);
			break;
		}
		rc = unmap_handle(handle, win);
		if (lost || rc == GNTST_bad_handle) {
			/* Revoked: the handle went with it, and the page under it is ours again. */
			EXPECT_EQ(rc, GNTST_bad_handle);
			EXPECT_EQ(h->magic, OWN);
			revoked++;
			held_revoked += hold;
		} else {
			EXPECT_EQ(rc, GNTST_okay);
		}
		if (failures)
			break;
	}
	printf("restart-mapper: %u mappings, %u revoked under it (%u held across a restart), %u "
	       "refused, granter boots seen up to %u\n", maps, revoked, held_revoked, refused,
	       max_boot);
	EXPECT_EQ(max_boot, last);
	EXPECT_EQ(held_revoked, last); /* each restart took a held mapping away */
	return 0;
}
