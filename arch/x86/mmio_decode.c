/* SPDX-License-Identifier: MIT */
/*
 * Decoder for MMIO-hole emulation (see arch/mmio_decode.h). An EPT
 * violation gives the guest-physical address and whether it was a read or
 * a write, but not the register, size or length: VM_EXIT_INSTRUCTION_LEN
 * is defined only for the exits of SDM Vol. 3C 28.2.5 ("Information for VM
 * Exits Due to Instruction Execution"), which do not include EPT
 * violations. So the instruction is decoded here, in full (prefixes,
 * ModRM, SIB, displacement, immediate: SDM Vol. 2A chapter 2), for the few
 * forms compilers and drivers emit for MMIO; everything else is refused and
 * the caller stops the guest.
 */
#include "arch/mmio_decode.h"
#include "lib/errno.h"

struct dec {
	const uint8_t *p;
	size_t avail, pos;
	unsigned mode;
	bool opsize, addrsize, rep, rex_any;
	uint8_t rex;
};

static int next(struct dec *d, uint8_t *b)
{
	if (d->pos >= d->avail || d->pos >= MMIO_INSN_MAX)
		return -XEN_EFAULT;
	*b = d->p[d->pos++];
	return 0;
}

static int skip(struct dec *d, unsigned n)
{
	if (d->pos + n > d->avail || d->pos + n > MMIO_INSN_MAX)
		return -XEN_EFAULT;
	d->pos += n;
	return 0;
}

static unsigned addr_size(const struct dec *d)
{
	if (d->mode == 64)
		return d->addrsize ? 4 : 8;
	if (d->mode == 32)
		return d->addrsize ? 2 : 4;
	return d->addrsize ? 4 : 2;
}

/* Operand size of a non-byte form (Vol. 1 3.6.1, Vol. 2A 2.2.1.2). */
static unsigned op_size(const struct dec *d)
{
	if (d->mode == 64 && (d->rex & 8))
		return 8;
	if (d->mode == 16)
		return d->opsize ? 4 : 2;
	return d->opsize ? 2 : 4;
}

/*
 * ModRM and what follows it for the address (Vol. 2A tables 2-1, 2-2, 2-3):
 * the register field goes to *reg; a register operand (mod = 3) cannot be
 * what faulted on memory and is refused.
 */
static int modrm(struct dec *d, struct mmio_insn *in, unsigned *reg)
{
	uint8_t m, sib;
	unsigned mod, rm;
	int rc;

	if ((rc = next(d, &m)))
		return rc;
	mod = m >> 6;
	rm = m & 7;
	*reg = ((m >> 3) & 7) | ((d->rex & 4) ? 8 : 0);
	if (mod == 3)
		return -XEN_EOPNOTSUPP;
	if (addr_size(d) == 2) {
		/* 16-bit addressing: no SIB; [disp16] is mod 0, rm 6. */
		if (mod == 0 && rm == 6)
			return skip(d, 2);
		return skip(d, mod == 1 ? 1 : mod == 2 ? 2 : 0);
	}
	if (rm == 4) {
		if ((rc = next(d, &sib)))
			return rc;
		/* SIB base 101 with mod 0: no base register, disp32. */
		if (mod == 0 && (sib & 7) == 5)
			return skip(d, 4);
	} else if (mod == 0 && rm == 5) {
		/* [disp32]: RIP-relative in 64-bit mode (Vol. 2A 2.2.1.6). */
		in->rip_relative = d->mode == 64;
		return skip(d, 4);
	}
	return skip(d, mod == 1 ? 1 : mod == 2 ? 4 : 0);
}

static int prefixes(struct dec *d)
{
	uint8_t b;

	for (;;) {
		if (d->pos >= d->avail || d->pos >= MMIO_INSN_MAX)
			return -XEN_EFAULT;
		b = d->p[d->pos++];
		if (d->mode == 64 && (b & 0xf0) == 0x40) {
			d->rex = b; /* the last REX wins */
			d->rex_any = true;
			continue;
		}
		switch (b) {
		case 0x66:
			d->opsize = true;
			break;
		case 0x67:
			d->addrsize = true;
			break;
		case 0xf2:
		case 0xf3:
			d->rep = true;
			break;
		case 0x26: case 0x2e: case 0x36: case 0x3e: case 0x64: case 0x65:
			break; /* segment overrides: the CPU already computed the address */
		case 0xf0:
			return -XEN_EOPNOTSUPP; /* LOCK: no MOV takes it (#UD) */
		default:
			d->pos--; /* the opcode */
			return 0;
		}
		/* A REX prefix counts only right before the opcode (Vol. 2A 2.2.1). */
		d->rex = 0;
		d->rex_any = false;
	}
}

/* An immediate of n bytes, sign-extended to 64 bits (Vol. 2A, MOV C7: imm32 sign-extended). */
static int immediate(struct dec *d, struct mmio_insn *in, unsigned n)
{
	uint64_t v = 0;

	if (d->pos + n > d->avail || d->pos + n > MMIO_INSN_MAX)
		return -XEN_EFAULT;
	for (unsigned i = 0; i < n; i++)
		v |= (uint64_t)d->p[d->pos + i] << (8 * i);
	if (n < 8 && (v >> (8 * n - 1)) & 1)
		v |= ~0ull << (8 * n);
	d->pos += n;
	in->has_imm = true;
	in->imm = v;
	return 0;
}

static int decode_op(struct dec *d, struct mmio_insn *in)
{
	unsigned reg, osz = op_size(d);
	uint8_t op, op2;
	int rc;

	if ((rc = next(d, &op)))
		return rc;
	switch (op) {
	case 0x88: /* MOV r/m8, r8 */
	case 0x89: /* MOV r/m, r */
		in->kind = MMIO_STORE;
		in->size = op == 0x88 ? 1 : osz;
		if ((rc = modrm(d, in, &in->reg)))
			return rc;
		/* The source, for a store that is emulated (the vLAPIC page): AH-BH as for loads. */
		in->high8 = op == 0x88 && !d->rex_any && in->reg >= 4 && in->reg < 8;
		if (in->high8)
			in->reg -= 4;
		return 0;
	case 0x8a: /* MOV r8, r/m8 */
	case 0x8b: /* MOV r, r/m */
		in->kind = MMIO_LOAD;
		in->size = in->reg_size = op == 0x8a ? 1 : osz;
		if ((rc = modrm(d, in, &in->reg)))
			return rc;
		/* Without REX, byte registers 4-7 are AH, CH, DH, BH: bits 15:8 of rAX-rBX. */
		in->high8 = op == 0x8a && !d->rex_any && in->reg >= 4 && in->reg < 8;
		if (in->high8)
			in->reg -= 4;
		return 0;
	case 0xa0: /* MOV AL, moffs8 */
	case 0xa1: /* MOV rAX, moffs */
	case 0xa2: /* MOV moffs8, AL */
	case 0xa3: /* MOV moffs, rAX */
		in->kind = op < 0xa2 ? MMIO_LOAD : MMIO_STORE;
		in->size = in->reg_size = (op & 1) ? osz : 1;
		in->reg = 0;
		return skip(d, addr_size(d)); /* the offset is address-sized */
	case 0xc6: /* MOV r/m8, imm8 */
	case 0xc7: /* MOV r/m, imm16/32 (sign-extended to 64) */
		in->kind = MMIO_STORE;
		in->size = op == 0xc6 ? 1 : osz;
		if ((rc = modrm(d, in, &reg)))
			return rc;
		if ((reg & 7) != 0)
			return -XEN_EOPNOTSUPP; /* only /0 is MOV */
		return immediate(d, in, in->size > 4 ? 4 : in->size);
	case 0xaa: /* STOS m8 */
	case 0xab: /* STOS m16/32/64 */
	case 0xa4: /* MOVS m8, m8 */
	case 0xa5: /* MOVS m, m */
		in->kind = (op & 0xfe) == 0xaa ? MMIO_STOS : MMIO_MOVS;
		in->size = (op & 1) ? osz : 1;
		in->rep = d->rep;
		return 0;
	case 0x0f:
		if ((rc = next(d, &op2)))
			return rc;
		if (op2 != 0xb6 && op2 != 0xb7 && op2 != 0xbe && op2 != 0xbf)
			return -XEN_EOPNOTSUPP;
		/* MOVZX / MOVSX r, r/m8 or r/m16 */
		in->kind = MMIO_LOAD;
		in->size = (op2 & 1) ? 2 : 1;
		in->reg_size = osz;
		in->sign = op2 >= 0xbe;
		return modrm(d, in, &in->reg);
	default:
		return -XEN_EOPNOTSUPP;
	}
}

int mmio_decode(const uint8_t *bytes, size_t avail, unsigned mode, struct mmio_insn *out)
{
	struct dec d = { .p = bytes, .avail = avail, .mode = mode };
	struct mmio_insn in = { 0 };
	int rc;

	if (mode != 16 && mode != 32 && mode != 64)
		return -XEN_EINVAL;
	if ((rc = prefixes(&d)))
		goto out;
	if ((rc = decode_op(&d, &in)))
		goto out;
	in.len = (unsigned)d.pos;
	in.addr_size = addr_size(&d);
	*out = in;
out:
	return rc;
}

static uint64_t mask_of(unsigned size)
{
	return size >= 8 ? ~0ull : (1ull << (size * 8)) - 1;
}

uint64_t mmio_load_result(const struct mmio_insn *in, uint64_t old, uint64_t data)
{
	uint64_t v = data & mask_of(in->size);

	if (in->sign && in->size < 8 && (v >> (in->size * 8 - 1)) & 1)
		v |= ~mask_of(in->size);
	v &= mask_of(in->reg_size);
	if (in->high8)
		return (old & ~0xff00ull) | (v << 8);
	if (in->reg_size >= 4)
		return v; /* a 32-bit destination zeroes bits 63:32 */
	return (old & ~mask_of(in->reg_size)) | v;
}

uint64_t mmio_store_data(const struct mmio_insn *in, uint64_t reg)
{
	uint64_t v = in->has_imm ? in->imm : in->high8 ? reg >> 8 : reg;

	return v & mask_of(in->size);
}

/* A register used as an address of addr_size bytes: only those bits change (SDM Vol. 1 3.3.7). */
static uint64_t addr_add(uint64_t r, int64_t delta, unsigned size)
{
	uint64_t m = mask_of(size), v = (r + (uint64_t)delta) & m;

	return size == 4 ? v : (r & ~m) | v;
}

bool mmio_string_step(const struct mmio_insn *in, bool df, uint64_t *rdi, uint64_t *rsi,
		      uint64_t *rcx)
{
	int64_t step = df ? -(int64_t)in->size : (int64_t)in->size;

	*rdi = addr_add(*rdi, step, in->addr_size);
	if (in->kind == MMIO_MOVS)
		*rsi = addr_add(*rsi, step, in->addr_size);
	if (!in->rep)
		return true;
	*rcx = addr_add(*rcx, -1, in->addr_size);
	return (*rcx & mask_of(in->addr_size)) == 0;
}
