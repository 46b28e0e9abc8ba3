/* SPDX-License-Identifier: MIT */
/*
 * The Xen wallclock: the Unix time at system time 0 (when Bolt started
 * its clock), read once at boot from the firmware's real-time clock and
 * published in every guest's shared_info (wc_sec, wc_nsec, wc_sec_hi), so
 * that a guest's CLOCK_REALTIME, gettimeofday() and time() are the date.
 */
#ifndef CORE_WALLCLOCK_H
#define CORE_WALLCLOCK_H

#include <stdbool.h>
#include <stdint.h>

struct shared_info;
struct compat_shared_info;

/* A calendar time as a firmware RTC gives it (UEFI's EFI_TIME). */
struct civil_time {
	uint16_t year;    /* 1970-2500: Unix nanoseconds in 64 bits last until 2554 */
	uint8_t month;    /* 1-12 */
	uint8_t day;      /* 1-31, checked against the month */
	uint8_t hour;     /* 0-23 */
	uint8_t minute;   /* 0-59 */
	uint8_t second;   /* 0-59 */
	uint32_t nanosecond;
	bool utc_offset_known;
	int16_t utc_offset_min; /* local = UTC + offset, -1440..1440 */
};

/*
 * Nanoseconds since 1970-01-01 00:00 UTC; 0 or -XEN_EINVAL for a field out
 * of range (month 13, 29 February of a common year, a year outside
 * 1970-2500).
 * A time with no known offset is taken as UTC.
 */
int wallclock_from_civil(const struct civil_time *t, uint64_t *unix_ns);
/* Set (at boot, before any guest starts) the Unix time at system time 0; 0 = unknown. */
void wallclock_set(uint64_t unix_ns_at_boot);
uint64_t wallclock_get(void);
/* Write the wallclock into shared_info under its version, as Xen does. */
void wallclock_fill(struct shared_info *s);
/* The same in a 32-bit guest's layout (wc_* at 2304, wc_sec_hi in arch). */
void wallclock_fill_compat(struct compat_shared_info *s);

#endif
