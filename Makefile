# SPDX-License-Identifier: MIT
# Bolt: a tiny type-1 micro-hypervisor for x86-64.
#
#   make            build/bolt.efi, build/esp/, build/bolt.img
#   make run        boot the demo (Bochs, or QEMU/KVM when nested VMX is available)
#   make run-kvm    boot the demo under QEMU/KVM with -cpu host
#   make test       host unit tests + Bochs integration tests
#   make check-cfg  validate every shipped bolt.cfg with the host tool
#   make linux      the Linux guest from Debian's packages (docs/linux.md)
#   make run-linux  boot Linux beside the pong SDK guest (configs/linux.cfg)

B := build
CC := gcc
HOST_CC := gcc
OBJCOPY := objcopy

WARN := -std=c11 -Wall -Wextra -Werror -Wshadow -Wvla -Wmissing-prototypes
INCS := -I. -Iarch/x86/include -Iinclude
# The current Xen interface (otherwise xen.h maps sched_op to the 3.0 compat call).
XEN_DEFS := -D__XEN_INTERFACE_VERSION__=0x00040e00

# --- The hypervisor: a GNU-EFI application -----------------------------------
EFI_INC := /usr/include/efi
EFI_LIB := /usr/lib
EFI_CRT0 := $(EFI_LIB)/crt0-efi-x86_64.o
EFI_LDS := $(EFI_LIB)/elf_x86_64_efi.lds

# No SSE/x87 in the hypervisor: guest FPU state then never needs saving on exits.
HV_CFLAGS := $(WARN) $(INCS) $(XEN_DEFS) -isystem $(EFI_INC) -isystem $(EFI_INC)/x86_64 \
	-DGNU_EFI_USE_MS_ABI -ffreestanding -fno-stack-protector -fno-stack-check \
	-fpic -fshort-wchar -mno-red-zone -mgeneral-regs-only -mno-sse -mno-mmx \
	-maccumulate-outgoing-args -fno-strict-aliasing -fno-builtin -O2 -g \
	-MMD -MP

HV_SRCS := $(sort $(wildcard lib/*.c config/*.c boot/*.c arch/x86/*.c core/*.c evtchn/*.c sched/*.c))
HV_SRCS := $(filter-out arch/x86/asm-offsets.c,$(HV_SRCS))
HV_ASM := $(sort $(wildcard arch/x86/*.S))
HV_OBJS := $(HV_SRCS:%.c=$(B)/hv/%.o) $(HV_ASM:%.S=$(B)/hv/%.o)

all: $(B)/bolt.efi esp img tools guests sdk

$(B)/hv/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(HV_CFLAGS) -c $< -o $@

# Struct offsets for the assembly, generated from C (never hand-written).
$(B)/gen/asm-offsets.h: arch/x86/asm-offsets.c $(wildcard arch/x86/include/arch/*.h) core/pcpu.h
	@mkdir -p $(dir $@)
	$(CC) $(HV_CFLAGS) -S $< -o $(B)/gen/asm-offsets.s
	sed -n 's/.*->\([A-Z0-9_]*\) \$$\{0,1\}\(-\{0,1\}[0-9]*\).*/#define \1 \2/p' \
		$(B)/gen/asm-offsets.s > $@.tmp && mv $@.tmp $@

$(B)/hv/%.o: %.S $(B)/gen/asm-offsets.h
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	@$(CC) $(INCS) -I$(B)/gen -D__ASSEMBLY__ -c $< -o $@

$(B)/bolt.so: $(HV_OBJS)
	ld -nostdlib -znocombreloc -shared -Bsymbolic -T $(EFI_LDS) $(EFI_CRT0) \
		$(HV_OBJS) -o $@ -L$(EFI_LIB) -lefi -lgnuefi

$(B)/bolt.efi: $(B)/bolt.so
	$(OBJCOPY) -j .text -j .sdata -j .data -j .dynamic -j .dynsym -j .rel \
		-j .rela -j .rel.* -j .rela.* -j .reloc --target=efi-app-x86_64 $< $@

-include $(HV_OBJS:.o=.d)

# --- Host tools ---------------------------------------------------------------
# guests/sdk/include: the unit tests of the SDK's pure parts include its sources.
HOST_CFLAGS := $(WARN) $(INCS) -Iguests/sdk/include $(XEN_DEFS) -DBOLT_HOST -D_DEFAULT_SOURCE -O1 -g
SAN := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

# Generic modules that compile unchanged on the host (unit tests link them all).
HOST_SRCS := $(wildcard lib/fmt.c lib/lib.c config/*.c core/mem.c core/stats.c core/balloon.c core/physmap.c core/acpi_tables.c core/compat.c core/grant_table.c core/vlapic*.c \
	lib/elf.c boot/acpi.c core/pvcon_ring.c arch/x86/ept.c arch/x86/guest_pt.c arch/x86/xcr0.c core/fbcon.c \
	arch/x86/mtrr.c arch/x86/ept_ram.c arch/x86/tsc_freq.c arch/x86/cpu_policy.c \
	arch/x86/cpuid_policy.c arch/x86/msr_policy.c arch/x86/mmio_decode.c \
	arch/x86/vmx_caps.c arch/x86/vmcs_image.c arch/x86/vmcs_build.c arch/x86/vmentry_check*.c)
EVTCHN_SRCS := $(sort $(wildcard evtchn/*.c))
SCHED_SRCS := $(sort $(wildcard sched/*.c))

tools: $(B)/tools/boltcfg $(B)/tools/bolt-trace $(B)/tools/bolt-vmxcheck $(B)/tools/fbshot $(B)/tools/bzunpack

# Would Bolt run on a CPU? Its VMCS code over a capability file (docs/vmxcaps.md).
VMXCHECK_SRCS := tools/vmxcheck.c tools/vmxcheck_run.c tools/vmxcaps.c arch/x86/vmx_caps.c \
	arch/x86/vmcs_image.c arch/x86/vmcs_build.c arch/x86/cpu_policy.c lib/fmt.c lib/lib.c
$(B)/tools/bolt-vmxcheck: $(VMXCHECK_SRCS) $(wildcard arch/x86/vmentry_check*.c tools/*.h lib/*.h arch/x86/include/arch/*.h)
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) $(VMXCHECK_SRCS) $(wildcard arch/x86/vmentry_check*.c) -o $@

TRACE_SRCS := tools/trace_decode.c tools/trace_pair.c tools/trace_report.c tools/stats.c

$(B)/tools/bolt-trace: tools/bolt-trace.c $(TRACE_SRCS) $(wildcard tools/*.h)
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) tools/bolt-trace.c $(TRACE_SRCS) -o $@

# The GOP console font, converted at build time from Debian's psf-unifont
# (GPL-2+) into a data file on the ESP: never linked into the MIT bolt.efi.
FONT_PSF := /usr/share/consolefonts/Unifont-APL8x16.psf.gz
FONT_BIN := $(B)/gen/font8x16.bin
$(B)/tools/psf2bin: tools/psf2bin.c lib/font_file.h
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) $< -o $@

$(FONT_BIN): $(B)/tools/psf2bin $(FONT_PSF)
	@mkdir -p $(dir $@)
	gzip -dc $(FONT_PSF) | $(B)/tools/psf2bin - > $@.tmp && mv $@.tmp $@

CONFIG_SRCS := $(sort $(wildcard config/*.c))

# Screenshots of the GOP console: PPM to PNG, glyph check (tests/gop-screen.sh).
FBSHOT_SRCS := tools/png.c tools/glyph_check.c
$(B)/tools/fbshot: tools/fbshot.c $(FBSHOT_SRCS) tools/png.h tools/glyph_check.h lib/font_file.h
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) tools/fbshot.c $(FBSHOT_SRCS) -o $@

$(B)/tools/boltcfg: tools/boltcfg.c $(CONFIG_SRCS) lib/fmt.c lib/lib.c $(wildcard lib/*.h config/*.h)
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) tools/boltcfg.c $(CONFIG_SRCS) lib/fmt.c lib/lib.c -o $@

# --- Guests -------------------------------------------------------------------
-include guests/guests.mk
# The Xen conformance guests (tests/xen/): built without the SDK.
include tests/xen/xen.mk

# --- ESP tree and disk image -------------------------------------------------
CONFIGS := $(wildcard configs/*.cfg)
DEMO_CFG ?= configs/demo.cfg

esp: $(B)/bolt.efi guests $(FONT_BIN)
	@rm -rf $(B)/esp && mkdir -p $(B)/esp/EFI/BOOT
	cp $(B)/bolt.efi $(B)/esp/EFI/BOOT/BOOTX64.EFI
	cp $(DEMO_CFG) $(B)/esp/bolt.cfg
	cp $(FONT_BIN) $(B)/esp/font8x16.bin
	cp $(GUEST_ELFS) $(B)/esp/

img: esp
	tools/mkimg.sh $(B)/esp $(B)/bolt.img

# --- The Linux guest (docs/linux.md) ------------------------------------------
# Debian's kernel (linux-image-$(LINUX_FLAVOUR)) unpacked into a PVH ELF, an
# initramfs of busybox-static + guests/linux/, and a disk image whose ESP has
# every guest, the kernel and the initramfs, with configs/linux.cfg as bolt.cfg.
LINUX_FLAVOUR ?= cloud-amd64
LINUX_DIR := $(B)/linux/$(LINUX_FLAVOUR)
LINUX_PROGS := $(B)/linux/bin/evtchn-ping $(B)/linux/bin/grant $(B)/linux/bin/tsc
LINUX_IMG := $(if $(filter cloud-amd64,$(LINUX_FLAVOUR)),$(B)/linux.img,$(B)/linux-$(LINUX_FLAVOUR).img)
LINUX_IMG_MIB := 128

$(B)/tools/bzunpack: tools/bzunpack.c
	@mkdir -p $(dir $@)
	$(HOST_CC) $(WARN) -D_DEFAULT_SOURCE -O2 $< -o $@

# User-space programs for the initramfs: static, against glibc and linux-libc-dev.
$(B)/linux/bin/%: guests/linux/%.c include/bolt/bolt.h
	@mkdir -p $(dir $@)
	$(HOST_CC) $(WARN) -Iinclude -D_DEFAULT_SOURCE -O2 -static $< -o $@

$(LINUX_DIR)/vmlinux: tools/linux-image.sh guests/linux/init $(LINUX_PROGS) $(B)/tools/bzunpack
	tools/linux-image.sh $(LINUX_FLAVOUR) $(LINUX_DIR) $(B)/tools/bzunpack $(LINUX_PROGS)

linux: $(LINUX_DIR)/vmlinux

$(LINUX_IMG): $(LINUX_DIR)/vmlinux configs/linux.cfg esp
	@rm -rf $@.esp && cp -r $(B)/esp $@.esp
	cp $(LINUX_DIR)/vmlinux $(LINUX_DIR)/initrd.gz $@.esp/
	cp configs/linux.cfg $@.esp/bolt.cfg
	tools/mkimg.sh $@.esp $@ $(LINUX_IMG_MIB)
	@rm -rf $@.esp

linux-img: $(LINUX_IMG)

run-linux: deps
	$(MAKE) all linux-img
	tools/run.sh --img $(LINUX_IMG) --timeout 900

.PHONY: linux linux-img run-linux

# --- Tests --------------------------------------------------------------------
UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(B)/unit/%)

# Explicit seams: evtchn/ calls the scheduler's sched_notify(). test_evtchn
# links the event-channel core alone and defines its own sched_notify to
# observe deliveries; test_sched and test_notify link evtchn/ and include sched/'s
# sources, with fake arch and time hooks; the other tests link neither.
$(B)/unit/test_evtchn: UNIT_EXTRA := $(EVTCHN_SRCS)
$(B)/unit/test_evtchn_compat: UNIT_EXTRA := $(EVTCHN_SRCS)
$(B)/unit/test_evtchn_fifo: UNIT_EXTRA := $(EVTCHN_SRCS)
$(B)/unit/test_evtchn_smp: UNIT_EXTRA := $(EVTCHN_SRCS)
$(B)/unit/test_sched: UNIT_EXTRA := $(EVTCHN_SRCS)
$(B)/unit/test_notify: UNIT_EXTRA := $(EVTCHN_SRCS)
# Capability files of real machines (tests/data/vmxcaps/, docs/vmxcaps.md):
# a test that loads them links the host-only parser.
VMXCAPS_SRCS := tools/vmxcaps.c
$(B)/unit/test_vmxcaps: UNIT_EXTRA := $(VMXCAPS_SRCS)
$(B)/unit/test_vmcs_caps: UNIT_EXTRA := $(VMXCAPS_SRCS) tools/vmxcheck_run.c

$(B)/unit/%: tests/unit/%.c tests/unit/unit.c tests/unit/unit.h $(HOST_SRCS) $(EVTCHN_SRCS) $(SCHED_SRCS) $(wildcard lib/*.h config/*.h core/*.h boot/*.h arch/x86/include/arch/*.h evtchn/*.h guests/sdk/* guests/sdk/include/bolt/*.h guests/sdk/include/bolt/sdk/*.h tools/*.c tools/*.h sched/*.h tests/unit/*.h core/time.c)
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	@$(HOST_CC) $(HOST_CFLAGS) $(SAN) -Itests/unit $< tests/unit/unit.c $(HOST_SRCS) $(UNIT_EXTRA) -o $@

# test_fbcon also checks the real font file when it exists.
unit-bins: $(UNIT_BINS) $(FONT_BIN)

unit: unit-bins
	@tests/run-unit.sh $(UNIT_BINS)

deps:
	@tools/deps.sh

test: deps
	$(MAKE) all unit-bins linux-img
	tests/run-all.sh

# The wake-protocol model (tests/model/wake.pml) checked by spin: seconds.
model:
	@tests/model/run.sh

# Benchmarks in Bochs (tools/bench.sh): table + BENCH lines, build/bench/*.csv, *.png.
bench: deps
	$(MAKE) all
	tools/bench.sh

# The same with 50 samples, checking only that every figure comes out.
bench-smoke:
	tools/bench.sh --smoke

# The 2-CPU benchmark under QEMU/KVM (nested VMX on an Intel host): the
# figures are then real TSC cycles. Needs /dev/kvm; says so clearly if not.
bench-kvm: deps
	$(MAKE) all
	tools/run.sh --kvm --cpus 2 --cfg bench/bench2.cfg
	@grep -ah '^[a-z0-9-]*: *BENCH ' build/run/kvm/debugcon.txt | sed 's/^[^:]*: *//' | tee build/run/kvm/bench.txt

.PHONY: bench bench-smoke bench-kvm

# --- Host fuzzing (libFuzzer, Debian clang; tests/fuzz/run.sh) ---------------
# Each harness links only the modules it exercises. `make fuzz` runs each
# for FUZZ_SECONDS; `make fuzz-smoke` (also part of `make test`) 10 s each.
FUZZ_CC := clang
FUZZ_CFLAGS := $(WARN) $(INCS) $(XEN_DEFS) -DBOLT_HOST -D_DEFAULT_SOURCE -g -O1 \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-fsanitize-coverage-ignorelist=tests/fuzz/coverage-ignore.txt
FUZZ_SECONDS ?= 60
FUZZ_NAMES := config elf guest_pt evtchn
FUZZ_BINS := $(FUZZ_NAMES:%=$(B)/fuzz/fuzz_%)
FUZZ_SRCS_config := $(CONFIG_SRCS) lib/fmt.c lib/lib.c
FUZZ_SRCS_elf := lib/elf.c lib/fmt.c lib/lib.c
FUZZ_SRCS_guest_pt := arch/x86/guest_pt.c lib/lib.c
FUZZ_SRCS_evtchn := $(sort $(wildcard evtchn/*.c)) lib/fmt.c lib/lib.c

define FUZZ_RULE
$(B)/fuzz/fuzz_$(1): tests/fuzz/fuzz_$(1).c tests/fuzz/coverage-ignore.txt $(FUZZ_SRCS_$(1)) $(wildcard lib/*.h config/*.h core/*.h boot/*.h arch/x86/include/arch/*.h evtchn/*.h)
	@mkdir -p $$(dir $$@)
	@echo "  FUZZCC  $$@"
	@$(FUZZ_CC) $(FUZZ_CFLAGS) $$< $(FUZZ_SRCS_$(1)) -o $$@
endef
$(foreach n,$(FUZZ_NAMES),$(eval $(call FUZZ_RULE,$(n))))

fuzz-bins: $(FUZZ_BINS)

# Then the large hostile-exits run in Bochs (issue 8): 1,000,000 exit-causing
# operations; EXITS_SEED=N (and EXITS_COUNT=N) replace the cfg's seed and count.
EXITS_FLAGS = $(if $(EXITS_SEED),--seed $(EXITS_SEED)) $(if $(EXITS_COUNT),--count $(EXITS_COUNT))

fuzz: deps fuzz-bins all
	rc=0; tests/fuzz/run.sh --seconds $(FUZZ_SECONDS) || rc=1; \
	tests/fuzz/hostile-exits.sh $(EXITS_FLAGS) || rc=1; exit $$rc

fuzz-smoke: fuzz-bins
	tests/fuzz/run.sh --smoke

.PHONY: fuzz fuzz-bins fuzz-smoke

run: deps
	$(MAKE) all
	tools/run.sh

run-kvm: deps
	$(MAKE) all
	tools/run.sh --kvm

check-cfg: tools
	@for f in $(CONFIGS); do $(B)/tools/boltcfg check $$f || exit 1; done

clean:
	rm -rf $(B)

.PHONY: all esp img tools guests unit unit-bins deps test model run run-kvm check-cfg clean
.DELETE_ON_ERROR:
