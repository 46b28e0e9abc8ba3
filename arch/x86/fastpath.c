/* SPDX-License-Identifier: MIT */
/*
 * The notification fast path: the two ways a guest sends an event with
 * everything in registers, recognised right after the exit reason, before
 * the exit table and the generic hypercall decode (issue 9: those cost
 * about 150 instructions of a 730-instruction send).
 *
 *   VMCALL bolt_op(BOLT_OP_send, port) from 64-bit code at CPL 0
 *   OUT to a bolt.cfg doorbell port (not IN, not string)
 *
 * Anything else, and any case these do not fully cover (32-bit code, user
 * mode, a port above 32 bits, a plain OUT), goes the generic way, which
 * gives the same results: this is only a shortcut to guest_send().
 */
#include <stdint.h>
#include <xen/xen.h>

#include "arch/exits.h"
#include "arch/vmcs.h"
#include "arch/vmx.h"
#include "arch/vmx_setup.h"
#include "bolt/bolt.h"
#include "core/guest.h"
#include "core/send.h"
#include "core/wiring.h"
#include "lib/errno.h"

/* SDM 28.2.1, Table 28-5: I/O exit qualification bits 3 (IN) and 4 (string). */
#define IO_QUAL_IN_OR_STRING 0x18

bool vmx_fast_exit(struct vcpu *v, struct guest_regs *regs, uint32_t reason)
{
	if (reason == EXIT_REASON_VMCALL) {
		int rc;

		if (regs->rax != BOLT_HYPERCALL_bolt_op || regs->rdi != BOLT_OP_send ||
		    regs->rsi > UINT32_MAX)
			return false;
		/*
		 * 64-bit code: CS.L, which a valid guest state has only in
		 * IA-32e mode (SDM 26.3.1.2), so EFER.LMA need not be read.
		 * CPL 0: SS.DPL (SDM Vol. 3A, 5.5).
		 */
		if (!(vmcs_read32(GUEST_CS_AR_BYTES) & VMX_AR_L) ||
		    (vmcs_read32(GUEST_SS_AR_BYTES) & VMX_AR_DPL_MASK))
			return false;
		rc = guest_send(v, (uint32_t)regs->rsi);
		if (rc == -XEN_EAGAIN)
			return true; /* throttled: the VMCALL runs again when the window ends */
		regs->rax = (uint64_t)(int64_t)rc;
		vmx_advance_rip();
		return true;
	}
	if (reason == EXIT_REASON_IO_INSTRUCTION && v->guest->nr_doorbells) {
		uint64_t q = vmcs_readnat(EXIT_QUALIFICATION);
		int db;

		if (q & IO_QUAL_IN_OR_STRING)
			return false;
		db = guest_doorbell(v, (uint16_t)(q >> 16));
		if (db == 0)
			return false; /* not a doorbell: the UART, port 0xE9, ... */
		if (db > 0)
			vmx_advance_rip();
		return true; /* db < 0: throttled, the OUT runs again when the vCPU wakes */
	}
	return false;
}
