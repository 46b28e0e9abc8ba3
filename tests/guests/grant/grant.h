/* SPDX-License-Identifier: MIT */
/* The grant-table test guest (tests/guests/grant/): shared helpers and the roles. */
#ifndef TESTS_GUESTS_GRANT_H
#define TESTS_GUESTS_GRANT_H

#include <bolt/sdk.h>
#include <xen/grant_table.h>
#include <xen/memory.h>

#define PAGE BOLT_PAGE_SIZE
#define GFN(p) ((xen_pfn_t)((uintptr_t)(p) / PAGE))
#define REF_RW 8    /* granted read-write to the mapper */
#define REF_RO 9    /* granted read-only to the mapper */
#define REF_OTHER 10 /* granted to domain 3 */
#define MAGIC 0x544e5247u /* "GRNT" at the start of a granted page */

/* The first words of a granted page. */
struct shared_hdr {
	volatile uint32_t magic;
	volatile uint32_t boot;     /* the granter's boot count */
	volatile uint32_t from_mapper;
	volatile uint32_t done;     /* the mapper is finished */
};

extern unsigned failures;
extern const char *role_name;

#define EXPECT_EQ(a, b)                                                                      \
	do {                                                                                 \
		long long a_ = (long long)(a), b_ = (long long)(b);                          \
		if (a_ != b_) {                                                              \
			failures++;                                                          \
			printf("%s: line %d: %s = %lld, expected %lld\n", role_name, __LINE__, #a, \
			       a_, b_);                                                      \
		}                                                                            \
	} while (0)

long gnttab_op(unsigned cmd, void *uop, unsigned count);
long add_grant_frame(unsigned long idx, void *where);
/* One map / unmap / copy; the status (GNTST_*) or the hypercall's error. */
int map_ref(domid_t dom, grant_ref_t ref, void *where, uint32_t flags, grant_handle_t *handle);
int unmap_handle(grant_handle_t handle, void *where);
int copy_op(struct gnttab_copy *c);

int role_granter(void);
int role_mapper(void);
int role_restart_granter(uint64_t last_boot);
int role_restart_mapper(uint64_t boots);

#endif
