# SPDX-License-Identifier: MIT
# Guest SDK, example guests and test guests. Included by the top Makefile
# (which defines B, CC, WARN); also usable alone:
#   make -f guests/guests.mk            builds every guest ELF
#   make -f guests/guests.mk sdk        builds the SDK directory, $(B)/sdk
#
# Guests are C programs on newlib (docs/guest-sdk.md). `sdk` stages an
# installable SDK in $(B)/sdk: include/ (newlib, Xen public, Bolt's ABI and
# the SDK's headers), lib/ (libbolt.a, newlib's libc.a and libm.a,
# guest.ld), bolt-guest.mk and bin/bolt-new-guest. The guests in this tree
# are built against that directory with the flags bolt-guest.mk defines,
# exactly as a guest outside the tree is: nothing here compiles Bolt's own
# code (core/, lib/) into a guest.
#
# libbolt.a is every guests/sdk/*.c plus entry.S. Every directory in
# GUEST_DIRS is one guest: all its *.c (and *.S) files are linked into
# $(B)/guests/<dir name>.elf.

B ?= build
CC ?= gcc
WARN ?= -std=c11 -Wall -Wextra -Werror -Wshadow -Wvla -Wmissing-prototypes

NEWLIB := $(B)/newlib/current
SDK := $(B)/sdk
BOLT_SDK := $(abspath $(SDK))
include guests/sdk/bolt-guest.mk

# newlib, built once and cached (tools/build-newlib.sh decides when to rebuild).
NEWLIB_LIBS := $(NEWLIB)/lib/libc.a $(NEWLIB)/lib/libm.a
$(NEWLIB_LIBS): tools/build-newlib.sh
	tools/build-newlib.sh $(B)/newlib
	@touch -c $(NEWLIB_LIBS)

SDK_PUBLIC_HEADERS := $(wildcard include/bolt/*.h) $(shell find guests/sdk/include -name '*.h')
SDK_HEADERS_STAMP := $(SDK)/include/.stamp
$(SDK_HEADERS_STAMP): $(SDK_PUBLIC_HEADERS) $(NEWLIB_LIBS) tools/sdk-headers.sh
	tools/sdk-headers.sh $(NEWLIB) $(SDK)
	@touch $@

# In-tree code also follows the project's warning rules; _DEFAULT_SOURCE
# because -std=c11 would otherwise hide POSIX and BSD names in newlib.
GUEST_CFLAGS := $(BOLT_CFLAGS) $(WARN) -D_DEFAULT_SOURCE -iquote . -O2 -g -MMD -MP

GUEST_OBJDIR := $(B)/guests/obj
GUEST_SDK_SRCS := $(sort $(wildcard guests/sdk/*.c)) guests/sdk/entry.S
GUEST_SDK_OBJS := $(patsubst %,$(GUEST_OBJDIR)/%.o,$(basename $(GUEST_SDK_SRCS)))
GUEST_SDK := $(SDK)/lib/libbolt.a

SDK_FILES := $(GUEST_SDK) $(SDK)/lib/libc.a $(SDK)/lib/libm.a $(SDK)/lib/guest.ld \
	$(SDK)/bolt-guest.mk $(SDK)/bin/bolt-new-guest $(SDK)/COPYING.NEWLIB

GUEST_DIRS := guests/hello guests/spin guests/ping guests/pong guests/bench tests/guests/attack tests/guests/evt \
	tests/guests/ring tests/guests/hostile tests/guests/libc \
	tests/guests/memop tests/guests/mmio tests/guests/pvcon tests/guests/grant \
	tests/guests/fifo tests/guests/lapic tests/guests/smp
GUEST_ELFS := $(foreach d,$(GUEST_DIRS),$(B)/guests/$(notdir $(d)).elf)

guests: $(GUEST_ELFS)
sdk: $(SDK_FILES) $(SDK_HEADERS_STAMP)

$(GUEST_OBJDIR)/%.o: %.c $(SDK_HEADERS_STAMP) guests/sdk/bolt-guest.mk
	@mkdir -p $(dir $@)
	@echo "  GUESTCC $<"
	@$(CC) $(GUEST_CFLAGS) -c $< -o $@

$(GUEST_OBJDIR)/%.o: %.S $(SDK_HEADERS_STAMP) guests/sdk/bolt-guest.mk
	@mkdir -p $(dir $@)
	@echo "  GUESTAS $<"
	@$(CC) $(GUEST_CFLAGS) -c $< -o $@

$(GUEST_SDK): $(GUEST_SDK_OBJS)
	@mkdir -p $(dir $@)
	@rm -f $@
	@echo "  AR      $@"
	@ar rcs $@ $^

$(SDK)/lib/libc.a $(SDK)/lib/libm.a: $(SDK)/lib/%: $(NEWLIB)/lib/%
	@mkdir -p $(dir $@)
	cp $< $@

$(SDK)/COPYING.NEWLIB: $(NEWLIB_LIBS)
	cp $(NEWLIB)/COPYING.NEWLIB $@

$(SDK)/lib/guest.ld: guests/sdk/guest.ld
	@mkdir -p $(dir $@)
	cp $< $@

$(SDK)/bolt-guest.mk: guests/sdk/bolt-guest.mk
	@mkdir -p $(dir $@)
	cp $< $@

$(SDK)/bin/bolt-new-guest: tools/new-guest
	@mkdir -p $(dir $@)
	cp $< $@

# guest_rule(dir): link every source of one guest directory into its ELF.
define guest_rule
GUEST_OBJS_$(notdir $(1)) := $(patsubst %,$(GUEST_OBJDIR)/%.o,$(basename $(sort $(wildcard $(1)/*.c $(1)/*.S))))
GUEST_ALL_OBJS += $$(GUEST_OBJS_$(notdir $(1)))
$(B)/guests/$(notdir $(1)).elf: $$(GUEST_OBJS_$(notdir $(1))) $(SDK_FILES)
	@echo "  GUESTLD $$@"
	@$(CC) $(BOLT_LDFLAGS) $$(GUEST_OBJS_$(notdir $(1))) $(BOLT_LIBS) -o $$@
endef
$(foreach d,$(GUEST_DIRS),$(eval $(call guest_rule,$(d))))

-include $(GUEST_SDK_OBJS:.o=.d) $(GUEST_ALL_OBJS:.o=.d)

.PHONY: guests sdk
