/* SPDX-License-Identifier: MIT */
/*
 * Port I/O exits, string I/O (INS/OUTS, REP) included. Every guest port
 * access exits (unconditional I/O exiting); ports are emulated here:
 * COM1 at 0x3F8 and the Bochs/QEMU debug port 0xE9 go to the guest's log,
 * writes to the ACPI sleep control and reset registers its FADT names
 * power it off or restart it (core/acpi_pm.c), every other port reads as
 * all-ones and ignores writes.
 */
#include "arch/exits.h"
#include "arch/vmcs.h"
#include "arch/vmx.h"
#include "arch/vmx_setup.h"
#include "arch/x86.h"
#include "core/acpi_pm.h"
#include "core/guest.h"
#include "core/vcpu_up.h"
#include "core/wiring.h"
#include "lib/lib.h"

#define COM1_BASE 0x3f8
#define DEBUG_PORT 0xe9
/* Elements a REP string instruction may move per exit; the rest re-executes. */
#define STRING_IO_BATCH 256

static uint32_t port_read(struct guest *g, uint16_t port, unsigned size)
{
	if (size == 1 && port >= COM1_BASE && port < COM1_BASE + 8)
		return uart_read(&g->uart, port - COM1_BASE);
	if (size == 1 && port == DEBUG_PORT)
		return DEBUG_PORT; /* what Bochs' port_e9_hack answers */
	return 0xffffffffu >> (32 - 8 * size);
}

/* Returns false when the write must be retried (a throttled doorbell). */
static bool port_write(struct vcpu *v, uint16_t port, unsigned size, uint32_t val)
{
	struct guest *g = v->guest;

	if (g->nr_doorbells) {
		int db = guest_doorbell(v, port);
		if (db)
			return db > 0;
	}
	if (size == 1 && (port == DEBUG_PORT || (port >= COM1_BASE && port < COM1_BASE + 8))) {
		/* The UART and the line are the guest's, shared by its vCPUs (core/hypercall.c). */
		bool shared = g->nr_vcpus > 1;

		if (shared)
			guest_spin_lock(&g->hc_lock);
		if (port == DEBUG_PORT)
			console_linebuf_putc(&g->con, (char)val);
		else
			uart_write(&g->uart, port - COM1_BASE, (uint8_t)val, &g->con);
		if (shared)
			spin_unlock(&g->hc_lock);
	} else {
		(void)acpi_pm_write(g, port, size, val);
	}
	return true;
}

static uint64_t addr_mask(unsigned addr_size)
{
	return addr_size == 2 ? ~0ULL : addr_size == 1 ? 0xffffffffULL : 0xffffULL;
}

/*
 * INS/OUTS: the CPU reports the linear address of the memory operand
 * (SDM 28.2.1, "guest-linear address") and the address size in the
 * VM-exit instruction-information field (SDM 28.2.5, Table 28-8). Each
 * element's address is the segment base plus the index register wrapped
 * to the address size (DI = 0xFFFF + 1 is offset 0 again), and outside
 * 64-bit mode the linear address itself wraps at 4 GiB.
 */
static void string_io(struct vcpu *v, struct guest_regs *regs, uint16_t port, unsigned size,
		      bool in, bool rep)
{
	uint32_t info = vmcs_read32(VMX_INSTRUCTION_INFO);
	unsigned asz = (info >> 7) & 7;
	uint64_t mask = addr_mask(asz);
	uint64_t *index = in ? &regs->rdi : &regs->rsi;
	uint64_t count = rep ? (regs->rcx & mask) : 1;
	uint64_t la = vmcs_readnat(GUEST_LINEAR_ADDRESS);
	uint64_t seg_base = la - (*index & mask);
	uint64_t la_mask = (vmcs_read32(GUEST_CS_AR_BYTES) & VMX_AR_L) ? ~0ULL : 0xffffffffULL;
	int64_t step = (vmcs_readnat(GUEST_RFLAGS) & X86_RFLAGS_DF) ? -(int64_t)size : (int64_t)size;
	uint64_t done = 0;

	while (done < count && done < STRING_IO_BATCH) {
		uint32_t val = 0;
		int rc;

		if (in) {
			val = port_read(v->guest, port, size);
			rc = vcpu_copy_to_guest(v, la, &val, size);
		} else {
			rc = vcpu_copy_from_guest(v, &val, la, size);
			if (!rc && !port_write(v, port, size, val))
				break; /* throttled doorbell: this element again later */
		}
		if (rc) {
			/* Registers show the progress so far, as after a real fault. */
			vcpu_inject_access_fault(v, la, size, in);
			break;
		}
		*index = (*index & ~mask) | ((*index + (uint64_t)step) & mask);
		la = (seg_base + (*index & mask)) & la_mask;
		done++;
	}
	if (rep)
		regs->rcx = (regs->rcx & ~mask) | ((count - done) & mask);
	if (done == count)
		vmx_advance_rip();
}

/* SDM 28.2.1, Table 28-5: exit qualification for I/O instructions. */
EXIT_HANDLER(exit_io)
{
	uint64_t q = vmcs_readnat(EXIT_QUALIFICATION);
	unsigned size = (q & 7) + 1;
	bool in = q & 8, string = q & 16, rep = q & 32;
	uint16_t port = (uint16_t)(q >> 16);

	if (string) {
		string_io(v, regs, port, size, in, rep);
		return;
	}
	if (in) {
		uint32_t val = port_read(v->guest, port, size);
		if (size == 4)
			regs->rax = val; /* a 32-bit result zero-extends into RAX */
		else if (size == 2)
			regs->rax = (regs->rax & ~0xffffULL) | (val & 0xffff);
		else
			regs->rax = (regs->rax & ~0xffULL) | (val & 0xff);
	} else if (!port_write(v, port, size, (uint32_t)regs->rax)) {
		return; /* throttled doorbell: the OUT runs again when the vCPU wakes */
	}
	/* An ACPI power-off or reset stopped or reset the vCPU: its RIP is not ours to move. */
	if (v->state == VCPU_STOPPED || v->arch.reload_regs)
		return;
	vmx_advance_rip();
}
