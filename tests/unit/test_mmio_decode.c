/* SPDX-License-Identifier: MIT */
/*
 * Host tests for the MMIO-hole decoder (arch/x86/mmio_decode.c): length,
 * size and register of each MOV form it accepts, in 64-, 32- and 16-bit
 * code, with 66/67/REX/segment prefixes and every ModRM/SIB/displacement
 * shape (RIP-relative included); the refusals (other opcodes, register
 * operands, LOCK, truncated bytes); and the register an all-ones read
 * leaves behind (8/16-bit merge, 32-bit zero-extension, MOVZX, MOVSX).
 */
#include <stdint.h>

#include "arch/mmio_decode.h"
#include "lib/errno.h"

#include "unit.h"

#define DEC(mode, ...)                                                          \
	({                                                                      \
		static const uint8_t b_[] = { __VA_ARGS__ };                    \
		mmio_decode(b_, sizeof(b_), (mode), &in);                       \
	})

static void test_mov_load_store_64(void)
{
	struct mmio_insn in;

	/* mov (%rax),%eax */
	CHECK_EQ(DEC(64, 0x8b, 0x00), 0);
	CHECK_EQ(in.len, 2);
	CHECK_EQ(in.kind, MMIO_LOAD);
	CHECK_EQ(in.size, 4);
	CHECK_EQ(in.reg, 0);
	/* mov 0x10(%rbx),%r9 : REX.WR */
	CHECK_EQ(DEC(64, 0x4c, 0x8b, 0x4b, 0x10), 0);
	CHECK_EQ(in.len, 4);
	CHECK_EQ(in.size, 8);
	CHECK_EQ(in.reg, 9);
	/* mov %dx,0x12345678(%rdi) : 66, disp32 */
	CHECK_EQ(DEC(64, 0x66, 0x89, 0x97, 0x78, 0x56, 0x34, 0x12), 0);
	CHECK_EQ(in.len, 7);
	CHECK_EQ(in.kind, MMIO_STORE);
	CHECK_EQ(in.size, 2);
	CHECK_EQ(in.reg, 2); /* the source: what an emulated store (vLAPIC) writes */
	CHECK(!in.has_imm);
	CHECK_EQ(mmio_store_data(&in, 0x1111222233334444ull), 0x4444u);
	/* mov %cl,(%rdx) and mov (%rsi),%bh (high byte without REX) */
	CHECK_EQ(DEC(64, 0x88, 0x0a), 0);
	CHECK_EQ(in.size, 1);
	CHECK_EQ(in.len, 2);
	CHECK_EQ(in.reg, 1);
	/* mov %ah,(%rdx): bits 15:8 of rAX */
	CHECK_EQ(DEC(64, 0x88, 0x22), 0);
	CHECK_EQ(in.reg, 0);
	CHECK(in.high8);
	CHECK_EQ(mmio_store_data(&in, 0xabcd), 0xabu);
	CHECK_EQ(DEC(64, 0x8a, 0x3e), 0);
	CHECK_EQ(in.reg, 3); /* BH lives in rBX */
	CHECK(in.high8);
	/* mov (%rsi),%dil: with REX, reg 7 is DIL */
	CHECK_EQ(DEC(64, 0x40, 0x8a, 0x3e), 0);
	CHECK_EQ(in.len, 3);
	CHECK_EQ(in.reg, 7);
	CHECK(!in.high8);
	/* REX before a legacy prefix is ignored: 48 66 8b 00 is a 16-bit load */
	CHECK_EQ(DEC(64, 0x48, 0x66, 0x8b, 0x00), 0);
	CHECK_EQ(in.size, 2);
	CHECK_EQ(in.len, 4);
}

static void test_addressing_shapes(void)
{
	struct mmio_insn in;

	/* mov 0x0(%rip),%eax : RIP-relative disp32 */
	CHECK_EQ(DEC(64, 0x8b, 0x05, 0, 0, 0, 0), 0);
	CHECK_EQ(in.len, 6);
	CHECK(in.rip_relative);
	/* the same bytes in 32-bit code: [disp32], not RIP-relative */
	CHECK_EQ(DEC(32, 0x8b, 0x05, 0, 0, 0xd0, 0xfe), 0);
	CHECK_EQ(in.len, 6);
	CHECK(!in.rip_relative);
	/* mov (%rax,%rcx,4),%edx : SIB, no displacement */
	CHECK_EQ(DEC(64, 0x8b, 0x14, 0x88), 0);
	CHECK_EQ(in.len, 3);
	CHECK_EQ(in.reg, 2);
	/* mov 0x8(%rsp),%eax : SIB + disp8 */
	CHECK_EQ(DEC(64, 0x8b, 0x44, 0x24, 0x08), 0);
	CHECK_EQ(in.len, 4);
	/* mov 0xfed00000(,%rcx,1),%eax : SIB base 101, mod 0 -> disp32 */
	CHECK_EQ(DEC(64, 0x8b, 0x04, 0x0d, 0x00, 0x00, 0xd0, 0xfe), 0);
	CHECK_EQ(in.len, 7);
	/* mov 0x100(%r13,%r12,8),%r15d : REX.RXB, SIB + disp32 */
	CHECK_EQ(DEC(64, 0x47, 0x8b, 0xbc, 0xe5, 0x00, 0x01, 0x00, 0x00), 0);
	CHECK_EQ(in.len, 8);
	CHECK_EQ(in.reg, 15);
	CHECK_EQ(in.size, 4);
	/* 67: mov (%eax),%eax in 64-bit code */
	CHECK_EQ(DEC(64, 0x67, 0x8b, 0x00), 0);
	CHECK_EQ(in.len, 3);
	CHECK_EQ(in.addr_size, 4);
	/* segment override: mov %fs:(%rax),%eax */
	CHECK_EQ(DEC(64, 0x64, 0x8b, 0x00), 0);
	CHECK_EQ(in.len, 3);
}

static void test_16bit_addressing(void)
{
	struct mmio_insn in;

	/* 16-bit code: mov [0x1234],ax (mod 0, rm 6: disp16) */
	CHECK_EQ(DEC(16, 0x8b, 0x06, 0x34, 0x12), 0);
	CHECK_EQ(in.len, 4);
	CHECK_EQ(in.size, 2);
	/* mov eax,[bx+si+0x10] with 66 */
	CHECK_EQ(DEC(16, 0x66, 0x8b, 0x40, 0x10), 0);
	CHECK_EQ(in.len, 4);
	CHECK_EQ(in.size, 4);
	/* 32-bit code with 67: 16-bit addressing, mod 2 -> disp16 */
	CHECK_EQ(DEC(32, 0x67, 0x8b, 0x80, 0x00, 0x10), 0);
	CHECK_EQ(in.len, 5);
	CHECK_EQ(in.addr_size, 2);
}

static void test_immediates_and_moffs(void)
{
	struct mmio_insn in;

	/* movb $0x1,(%rax) */
	CHECK_EQ(DEC(64, 0xc6, 0x00, 0x01), 0);
	CHECK_EQ(in.len, 3);
	CHECK_EQ(in.size, 1);
	/* movl $0x12345678,0x10(%rax) */
	CHECK_EQ(DEC(64, 0xc7, 0x40, 0x10, 0x78, 0x56, 0x34, 0x12), 0);
	CHECK_EQ(in.len, 7);
	CHECK_EQ(in.kind, MMIO_STORE);
	CHECK_EQ(in.size, 4);
	CHECK(in.has_imm);
	CHECK_EQ(mmio_store_data(&in, ~0ull), 0x12345678u);
	/* movq $-1,(%rax): imm32 sign-extended */
	CHECK_EQ(DEC(64, 0x48, 0xc7, 0x00, 0xff, 0xff, 0xff, 0xff), 0);
	CHECK_EQ(in.len, 7);
	CHECK_EQ(in.size, 8);
	CHECK_EQ(mmio_store_data(&in, 0), ~0ull);
	/* movw $0x1234,(%rax) */
	CHECK_EQ(DEC(64, 0x66, 0xc7, 0x00, 0x34, 0x12), 0);
	CHECK_EQ(in.len, 5);
	CHECK_EQ(in.size, 2);
	/* movabs 0xfed00000,%eax: 8-byte offset in 64-bit code */
	CHECK_EQ(DEC(64, 0xa1, 0, 0, 0xd0, 0xfe, 0, 0, 0, 0), 0);
	CHECK_EQ(in.len, 9);
	CHECK_EQ(in.kind, MMIO_LOAD);
	CHECK_EQ(in.reg, 0);
	/* mov %al,0xfed00000 in 32-bit code: 4-byte offset */
	CHECK_EQ(DEC(32, 0xa2, 0, 0, 0xd0, 0xfe), 0);
	CHECK_EQ(in.len, 5);
	CHECK_EQ(in.kind, MMIO_STORE);
	CHECK_EQ(in.size, 1);
}

static void test_movzx_movsx_and_strings(void)
{
	struct mmio_insn in;

	/* movzbl (%rax),%ecx */
	CHECK_EQ(DEC(64, 0x0f, 0xb6, 0x08), 0);
	CHECK_EQ(in.len, 3);
	CHECK_EQ(in.size, 1);
	CHECK_EQ(in.reg_size, 4);
	CHECK_EQ(in.reg, 1);
	CHECK(!in.sign);
	/* movswq 0x4(%rdx),%r8 */
	CHECK_EQ(DEC(64, 0x4c, 0x0f, 0xbf, 0x42, 0x04), 0);
	CHECK_EQ(in.len, 5);
	CHECK_EQ(in.size, 2);
	CHECK_EQ(in.reg_size, 8);
	CHECK_EQ(in.reg, 8);
	CHECK(in.sign);
	/* rep stosq */
	CHECK_EQ(DEC(64, 0xf3, 0x48, 0xab), 0);
	CHECK_EQ(in.len, 3);
	CHECK_EQ(in.kind, MMIO_STOS);
	CHECK_EQ(in.size, 8);
	CHECK(in.rep);
	/* movsb */
	CHECK_EQ(DEC(64, 0xa4), 0);
	CHECK_EQ(in.kind, MMIO_MOVS);
	CHECK_EQ(in.size, 1);
	CHECK(!in.rep);
}

static void test_rejects(void)
{
	struct mmio_insn in;

	CHECK_EQ(DEC(64, 0x01, 0x00), -XEN_EOPNOTSUPP);	     /* add %eax,(%rax) */
	CHECK_EQ(DEC(64, 0x8b, 0xc0), -XEN_EOPNOTSUPP);	     /* mov %eax,%eax: no memory */
	CHECK_EQ(DEC(64, 0xf0, 0x89, 0x00), -XEN_EOPNOTSUPP); /* lock mov */
	CHECK_EQ(DEC(64, 0xc7, 0x08, 0, 0, 0, 0), -XEN_EOPNOTSUPP); /* C7 /1 */
	CHECK_EQ(DEC(64, 0x0f, 0xaf, 0x00), -XEN_EOPNOTSUPP);	     /* imul */
	CHECK_EQ(DEC(64, 0x0f, 0x10, 0x00), -XEN_EOPNOTSUPP);	     /* movups */
	CHECK_EQ(DEC(64, 0x87, 0x00), -XEN_EOPNOTSUPP);	     /* xchg */
	/* truncated: the displacement is missing */
	CHECK_EQ(DEC(64, 0x8b, 0x80, 0x00, 0x00), -XEN_EFAULT);
	CHECK_EQ(DEC(64, 0x66, 0x66), -XEN_EFAULT);
	/* more than 15 bytes of prefixes */
	CHECK_EQ(DEC(64, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
		     0x66, 0x66, 0x66, 0x8b, 0x00), -XEN_EFAULT);
	CHECK_EQ(DEC(48, 0x8b, 0x00), -XEN_EINVAL);
	/* in 32-bit code 0x48 is DEC eax, not REX */
	CHECK_EQ(DEC(32, 0x48, 0x8b, 0x00), -XEN_EOPNOTSUPP);
}

static void test_load_results(void)
{
	struct mmio_insn in;
	const uint64_t old = 0x1122334455667788ull;

	CHECK_EQ(DEC(64, 0x8b, 0x00), 0); /* 32-bit: zero-extends */
	CHECK(mmio_load_result(&in, old, ~0ull) == 0xffffffffull);
	CHECK_EQ(DEC(64, 0x48, 0x8b, 0x00), 0);
	CHECK(mmio_load_result(&in, old, ~0ull) == ~0ull);
	CHECK_EQ(DEC(64, 0x66, 0x8b, 0x00), 0); /* 16-bit: keeps 63:16 */
	CHECK(mmio_load_result(&in, old, ~0ull) == 0x112233445566ffffull);
	CHECK_EQ(DEC(64, 0x8a, 0x00), 0); /* AL */
	CHECK(mmio_load_result(&in, old, ~0ull) == 0x11223344556677ffull);
	CHECK_EQ(DEC(64, 0x8a, 0x20), 0); /* AH: bits 15:8 of rAX */
	CHECK_EQ(in.reg, 0);
	CHECK(mmio_load_result(&in, old, ~0ull) == 0x112233445566ff88ull);
	CHECK_EQ(DEC(64, 0x0f, 0xb6, 0x00), 0); /* movzbl */
	CHECK(mmio_load_result(&in, old, ~0ull) == 0xffull);
	CHECK_EQ(DEC(64, 0x66, 0x0f, 0xb6, 0x00), 0); /* movzbw: keeps 63:16 */
	CHECK(mmio_load_result(&in, old, ~0ull) == 0x11223344556600ffull);
	CHECK_EQ(DEC(64, 0x48, 0x0f, 0xb7, 0x00), 0); /* movzwq */
	CHECK(mmio_load_result(&in, old, ~0ull) == 0xffffull);
	CHECK_EQ(DEC(64, 0x0f, 0xbe, 0x00), 0); /* movsbl */
	CHECK(mmio_load_result(&in, old, ~0ull) == 0xffffffffull);
	CHECK(mmio_load_result(&in, old, 0x7f) == 0x7full);
	CHECK_EQ(DEC(64, 0x48, 0x0f, 0xbf, 0x00), 0); /* movswq */
	CHECK(mmio_load_result(&in, old, ~0ull) == ~0ull);
}

static void test_string_steps(void)
{
	struct mmio_insn in;
	uint64_t rdi = 0x1000, rsi = 0x2000, rcx = 2;

	CHECK_EQ(DEC(64, 0xf3, 0x48, 0xab), 0); /* rep stosq */
	CHECK(!mmio_string_step(&in, false, &rdi, &rsi, &rcx));
	CHECK(rdi == 0x1008 && rcx == 1 && rsi == 0x2000);
	CHECK(mmio_string_step(&in, false, &rdi, &rsi, &rcx));
	CHECK(rdi == 0x1010 && rcx == 0);
	CHECK_EQ(DEC(64, 0x66, 0xab), 0); /* stosw, DF = 1 */
	CHECK(mmio_string_step(&in, true, &rdi, &rsi, &rcx));
	CHECK(rdi == 0x100e);
	/* 67 stosb: EDI wraps at 32 bits and bits 63:32 are zeroed */
	rdi = 0x12345678ffffffffull;
	CHECK_EQ(DEC(64, 0x67, 0xaa), 0);
	CHECK(mmio_string_step(&in, false, &rdi, &rsi, &rcx));
	CHECK(rdi == 0);
	/* 16-bit addressing: only DI changes */
	rdi = 0xabcd0000ffffull;
	CHECK_EQ(DEC(16, 0xaa), 0);
	CHECK(mmio_string_step(&in, false, &rdi, &rsi, &rcx));
	CHECK(rdi == 0xabcd00000000ull);
}

void unit_main(void)
{
	TEST(test_mov_load_store_64);
	TEST(test_addressing_shapes);
	TEST(test_16bit_addressing);
	TEST(test_immediates_and_moffs);
	TEST(test_movzx_movsx_and_strings);
	TEST(test_rejects);
	TEST(test_load_results);
	TEST(test_string_steps);
}
