# SPDX-License-Identifier: MIT
# Building a Bolt guest against the Bolt guest SDK (`make sdk` in Bolt's
# tree makes one in build/sdk; copy that directory anywhere). A guest is a
# directory with its C files and a three-line Makefile:
#
#   BOLT_SDK ?= /path/to/bolt-sdk
#   GUEST := ping
#   include $(BOLT_SDK)/bolt-guest.mk
#
# `make` then builds $(GUEST).elf from every *.c and *.S there (or from
# SRCS), `make clean` removes what it built. Add your own flags in CFLAGS,
# LDFLAGS and LDLIBS. Without GUEST this only defines BOLT_CFLAGS,
# BOLT_LDFLAGS and BOLT_LIBS, for a build of your own (Bolt's tree does that).
#
# What the flags are for:
#  -nostdinc -isystem SDK/include -isystem GCC's: newlib's headers, never
#      the host's glibc ones; GCC's own (stdarg.h, stddef.h) stay.
#  -mno-red-zone: guests run in ring 0 and take upcalls and exceptions on
#      the interrupted stack, which would overwrite a red zone.
#  -fno-pic -fno-pie -fno-stack-protector: linked at a fixed guest-physical
#      address; no TLS for a stack canary.
#  -ffunction-sections -fdata-sections, --gc-sections: only what a guest
#      uses of newlib ends up in it (hello.elf is about 160 KiB).
#  No -ffreestanding: a guest is a hosted C program on newlib, so GCC may
#      inline memcpy(&x, p, 8) as one move and check printf formats; the
#      freestanding build made every such copy a call (the ring's
#      throughput in Bochs was 10 % lower).
#  _POSIX_TIMERS, _POSIX_MONOTONIC_CLOCK: newlib's generic target does not
#      declare clock_gettime, nanosleep and CLOCK_MONOTONIC; the SDK has them.

BOLT_SDK ?= $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
# Make's built-in CC is "cc"; a guest is built with gcc unless told otherwise.
ifeq ($(origin CC),default)
CC := gcc
endif

BOLT_GCC_INCLUDE := $(shell $(CC) -print-file-name=include)
BOLT_CFLAGS := -nostdinc -isystem $(BOLT_SDK)/include -isystem $(BOLT_GCC_INCLUDE) \
	-fno-pic -fno-pie -mno-red-zone -fno-stack-protector \
	-ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables \
	-D_POSIX_TIMERS=1 -D_POSIX_MONOTONIC_CLOCK=200112L \
	-D__XEN_INTERFACE_VERSION__=0x00040e00
# -u sdk_entry32 pulls the PVH entry and the Xen note out of libbolt.a.
BOLT_LDFLAGS := -nostdlib -static -no-pie -Wl,--gc-sections -Wl,--build-id=none \
	-Wl,-z,noexecstack -Wl,-z,max-page-size=4096 -Wl,-u,sdk_entry32 \
	-T $(BOLT_SDK)/lib/guest.ld -L$(BOLT_SDK)/lib
BOLT_LIBS := -Wl,--start-group -lbolt -lc -lm -Wl,--end-group -lgcc

ifdef GUEST
SRCS ?= $(wildcard *.c *.S)
CFLAGS ?= -O2 -g -Wall -Wextra
BOLT_OBJS := $(addsuffix .o,$(basename $(SRCS)))

$(GUEST).elf: $(BOLT_OBJS) $(BOLT_SDK)/lib/libbolt.a $(BOLT_SDK)/lib/guest.ld
	$(CC) $(BOLT_LDFLAGS) $(LDFLAGS) $(BOLT_OBJS) $(LDLIBS) $(BOLT_LIBS) -o $@

%.o: %.c
	$(CC) $(BOLT_CFLAGS) $(CFLAGS) -MMD -MP -c $< -o $@

%.o: %.S
	$(CC) $(BOLT_CFLAGS) $(CFLAGS) -MMD -MP -c $< -o $@

clean:
	rm -f $(GUEST).elf $(BOLT_OBJS) $(BOLT_OBJS:.o=.d)

-include $(BOLT_OBJS:.o=.d)
.PHONY: clean
endif
