/* SPDX-License-Identifier: MIT */
/*
 * A decoder for the instructions guests use on MMIO (arch/x86/mmio_decode.c),
 * so that an access to the MMIO hole (docs/abi.md, "Guest-physical address
 * space") can be emulated: MOV r/m<->reg (88/89/8A/8B), MOV moffs (A0-A3),
 * MOV r/m, imm (C6 /0, C7 /0), MOVZX/MOVSX (0F B6/B7/BE/BF), STOS and MOVS
 * (AA/AB/A4/A5). Anything else is rejected. Host-testable: no VMCS here.
 */
#ifndef ARCH_MMIO_DECODE_H
#define ARCH_MMIO_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MMIO_INSN_MAX 15 /* SDM Vol. 2A 2.3.11: longer is #GP */

enum mmio_kind {
	MMIO_LOAD,  /* memory -> register reg (MOV, MOVZX, MOVSX) */
	MMIO_STORE, /* register or immediate -> memory */
	MMIO_STOS,  /* [rDI] <- AL/AX/EAX/RAX, rDI += size */
	MMIO_MOVS,  /* [rDI] <- [rSI] */
};

struct mmio_insn {
	unsigned len;       /* bytes, prefixes to immediate */
	enum mmio_kind kind;
	unsigned size;      /* bytes of memory accessed: 1, 2, 4, 8 */
	unsigned reg;       /* MMIO_LOAD: destination GPR, 0-15 in ModRM.reg order (0 = rAX;
			       for AH-BH the register that holds it, rAX-rBX) */
	unsigned reg_size;  /* MMIO_LOAD: bytes written to reg (> size for MOVZX/MOVSX) */
	bool high8;         /* bits 15:8 of reg: AH, CH, DH or BH (8A without REX, reg 4-7) */
	bool sign;          /* MOVSX: sign-extend instead of zero-extend */
	bool rep;           /* F2/F3 before STOS/MOVS */
	bool rip_relative;  /* ModRM memory operand is [RIP + disp32] */
	unsigned addr_size; /* 2, 4 or 8 (STOS/MOVS step rDI/rSI/rCX at this width) */
	/* MMIO_STORE: an immediate (has_imm), else the source is reg (high8: AH-BH). */
	bool has_imm;
	uint64_t imm;       /* sign-extended */
};

/*
 * Decode bytes[0..avail) in a code segment of mode 16, 32 or 64 bits.
 * 0, -XEN_EFAULT if the instruction runs past avail, -XEN_EOPNOTSUPP if it
 * is not one of the forms above (or its operand is a register).
 */
int mmio_decode(const uint8_t *bytes, size_t avail, unsigned mode, struct mmio_insn *out);

/*
 * The register after an MMIO_LOAD that read data (size bytes) into a
 * register holding old: 8/16-bit writes keep the other bits, 32-bit writes
 * zero bits 63:32 (SDM Vol. 1 3.4.1.1), MOVZX/MOVSX extend to reg_size.
 */
/*
 * The size bytes an MMIO_STORE writes, given the value of its source
 * register reg (ignored for an immediate); STOS stores rAX's.
 */
uint64_t mmio_store_data(const struct mmio_insn *in, uint64_t reg);

uint64_t mmio_load_result(const struct mmio_insn *in, uint64_t old, uint64_t data);

/*
 * One element of STOS/MOVS: step rDI (and rSI) by size, down if df, at the
 * address size; with rep, count rCX down. True if the instruction is done
 * (RIP moves on), false if a rep has elements left (it runs again).
 */
bool mmio_string_step(const struct mmio_insn *in, bool df, uint64_t *rdi, uint64_t *rsi,
		      uint64_t *rcx);

#endif
