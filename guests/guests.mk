# SPDX-License-Identifier: MIT
# Guest SDK, example guests and test guests. Included by the top Makefile
# (which defines B, CC, WARN, INCS); also usable alone:
#   make -f guests/guests.mk            builds every guest ELF
#   make -f guests/guests.mk build/guests/hello.elf
#
# The SDK is every guests/sdk/*.c plus entry.S, lib/fmt.c and lib/lib.c;
# a new SDK file is picked up by the wildcard below.
#
# Every directory in GUEST_DIRS is one guest: all its *.c (and *.S) files
# are linked with $(B)/guests/sdk.a into $(B)/guests/<dir name>.elf.

B ?= build
CC ?= gcc
WARN ?= -std=c11 -Wall -Wextra -Werror -Wshadow -Wvla -Wmissing-prototypes
INCS ?= -I. -Iarch/x86/include -Iinclude

# __XEN_INTERFACE_VERSION__: the Xen headers otherwise give the legacy ABI.
GUEST_CFLAGS := $(WARN) $(INCS) -ffreestanding -fno-pic -fno-pie -no-pie -mno-red-zone \
	-fno-stack-protector -O2 -g -D__XEN_INTERFACE_VERSION__=0x00040e00 -MMD -MP
# -u pulls entry.o (the PVH entry and the Xen note) out of the archive.
GUEST_LDFLAGS := -nostdlib -static -Wl,--build-id=none -Wl,-z,noexecstack \
	-Wl,-z,max-page-size=4096 -Wl,-u,sdk_entry32 -T guests/sdk/guest.ld

GUEST_OBJDIR := $(B)/guests/obj
GUEST_SDK_SRCS := $(sort $(wildcard guests/sdk/*.c)) lib/fmt.c lib/lib.c guests/sdk/entry.S
GUEST_SDK_OBJS := $(patsubst %,$(GUEST_OBJDIR)/%.o,$(basename $(GUEST_SDK_SRCS)))
GUEST_SDK := $(B)/guests/sdk.a

GUEST_DIRS := guests/hello guests/spin guests/ping guests/pong guests/bench tests/guests/attack tests/guests/evt \
	tests/guests/ring tests/guests/hostile
GUEST_ELFS := $(foreach d,$(GUEST_DIRS),$(B)/guests/$(notdir $(d)).elf)

guests: $(GUEST_ELFS)

$(GUEST_OBJDIR)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(GUEST_CFLAGS) -c $< -o $@

# lib/lib.c implements memset/memcpy: stop GCC turning their loops back into calls.
$(GUEST_OBJDIR)/lib/lib.o: lib/lib.c
	@mkdir -p $(dir $@)
	$(CC) $(GUEST_CFLAGS) -fno-builtin -fno-tree-loop-distribute-patterns -c $< -o $@

$(GUEST_OBJDIR)/%.o: %.S
	@mkdir -p $(dir $@)
	$(CC) $(GUEST_CFLAGS) -c $< -o $@

$(GUEST_SDK): $(GUEST_SDK_OBJS)
	@rm -f $@
	ar rcs $@ $^

# guest_rule(dir): link every source of one guest directory into its ELF.
define guest_rule
GUEST_OBJS_$(notdir $(1)) := $(patsubst %,$(GUEST_OBJDIR)/%.o,$(basename $(sort $(wildcard $(1)/*.c $(1)/*.S))))
GUEST_ALL_OBJS += $$(GUEST_OBJS_$(notdir $(1)))
$(B)/guests/$(notdir $(1)).elf: $$(GUEST_OBJS_$(notdir $(1))) $(GUEST_SDK) guests/sdk/guest.ld
	$(CC) $(GUEST_CFLAGS) $(GUEST_LDFLAGS) $$(GUEST_OBJS_$(notdir $(1))) $(GUEST_SDK) -o $$@
endef
$(foreach d,$(GUEST_DIRS),$(eval $(call guest_rule,$(d))))

-include $(GUEST_SDK_OBJS:.o=.d) $(GUEST_ALL_OBJS:.o=.d)

.PHONY: guests
