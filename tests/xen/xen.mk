# SPDX-License-Identifier: MIT
# The Xen conformance guests (tests/xen/, docs/xen-conformance.md), included
# by the top Makefile. Built only against the Xen public headers: the
# include path holds GCC's own headers (stdint.h, stdarg.h) and a directory
# whose only entry is a link to /usr/include/xen, so an #include of
# anything from Bolt, the SDK or libc fails to compile.
#
# One ELF per build in XENCONF_BUILDS; each is <arch dir>/*.{c,S} plus the
# shared lib/*.c, cases/*.c and main.c, linked with xen.ld. The ELFs join
# GUEST_ELFS so that the esp target copies them beside the SDK guests.
# Builds: 64 (x86_64/, long mode) and three from x86_32/, told apart by
# XC_PAGING (tests/xen/paging.h): 32 (flat protected mode, paging off),
# 32pse (4 MiB pages, CR4.PSE) and 32pae (CR4.PAE, PDPT, 2 MiB pages).

XEN_DIR := tests/xen
XEN_OBJDIR := $(B)/xenconf
XEN_INC := $(XEN_OBJDIR)/include
XEN_HEADERS ?= /usr/include/xen

XEN_CFLAGS_COMMON := $(WARN) -nostdinc -isystem $(shell $(CC) -print-file-name=include) \
	-isystem $(XEN_INC) -iquote . $(XEN_DEFS) -ffreestanding -fno-builtin \
	-fno-pic -fno-pie -fno-stack-protector -fno-asynchronous-unwind-tables \
	-mno-red-zone -mgeneral-regs-only -O2 -g -MMD -MP
XEN_LDFLAGS_COMMON := -nostdlib -static --build-id=none -z noexecstack \
	-z max-page-size=4096 -T $(XEN_DIR)/xen.ld

XEN_SHARED_SRCS := $(sort $(wildcard $(XEN_DIR)/lib/*.c $(XEN_DIR)/cases/*.c)) $(XEN_DIR)/main.c

# Per build: its arch directory, compiler and linker flags.
XENCONF_BUILDS := 64 32 32pse 32pae
XEN_ARCH_64 := x86_64
XEN_CFLAGS_64 := -m64
XEN_LDFLAGS_64 := -m elf_x86_64
# 32-bit PVH: the same x86_32/ sources; XC_PAGING picks the paging mode.
XEN_ARCH_32 := x86_32
XEN_CFLAGS_32 := -m32 -DXC_PAGING=0
XEN_LDFLAGS_32 := -m elf_i386
XEN_ARCH_32pse := x86_32
XEN_CFLAGS_32pse := -m32 -DXC_PAGING=1
XEN_LDFLAGS_32pse := -m elf_i386
XEN_ARCH_32pae := x86_32
XEN_CFLAGS_32pae := -m32 -DXC_PAGING=2
XEN_LDFLAGS_32pae := -m elf_i386

$(XEN_INC)/xen:
	@mkdir -p $(XEN_INC)
	ln -sfn $(XEN_HEADERS) $@

# xen_build(name): objects in $(B)/xenconf/<name>/, ELF $(B)/guests/xenconf<name>.elf.
define xen_build
XEN_SRCS_$(1) := $$(sort $$(wildcard $(XEN_DIR)/$$(XEN_ARCH_$(1))/*.c $(XEN_DIR)/$$(XEN_ARCH_$(1))/*.S)) $(XEN_SHARED_SRCS)
XEN_OBJS_$(1) := $$(patsubst $(XEN_DIR)/%,$(XEN_OBJDIR)/$(1)/%.o,$$(basename $$(XEN_SRCS_$(1))))

$(XEN_OBJDIR)/$(1)/%.o: $(XEN_DIR)/%.c | $(XEN_INC)/xen
	@mkdir -p $$(dir $$@)
	@echo "  XENCC   $$< ($(1))"
	@$(CC) $(XEN_CFLAGS_COMMON) $$(XEN_CFLAGS_$(1)) -c $$< -o $$@

$(XEN_OBJDIR)/$(1)/%.o: $(XEN_DIR)/%.S | $(XEN_INC)/xen
	@mkdir -p $$(dir $$@)
	@echo "  XENAS   $$< ($(1))"
	@$(CC) $(XEN_CFLAGS_COMMON) $$(XEN_CFLAGS_$(1)) -D__ASSEMBLY__ -c $$< -o $$@

$(B)/guests/xenconf$(1).elf: $$(XEN_OBJS_$(1)) $(XEN_DIR)/xen.ld
	@mkdir -p $$(dir $$@)
	@echo "  XENLD   $$@"
	@ld $(XEN_LDFLAGS_COMMON) $$(XEN_LDFLAGS_$(1)) $$(XEN_OBJS_$(1)) -o $$@

-include $$(XEN_OBJS_$(1):.o=.d)
endef
$(foreach b,$(XENCONF_BUILDS),$(eval $(call xen_build,$(b))))

XENCONF_ELFS := $(foreach b,$(XENCONF_BUILDS),$(B)/guests/xenconf$(b).elf)
GUEST_ELFS += $(XENCONF_ELFS)
guests: $(XENCONF_ELFS)
xenconf: $(XENCONF_ELFS)
.PHONY: xenconf
