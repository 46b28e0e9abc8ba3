/* SPDX-License-Identifier: MIT */
/*
 * PVH entry of the 64-bit conformance guest. Xen's PVH boot ABI
 * (docs/misc/pvh.pandoc in Xen): enter at the XEN_ELFNOTE_PHYS32_ENTRY
 * address in 32-bit protected mode, paging off, CS/DS/ES/SS flat 4 GiB,
 * EFLAGS.IF = 0, EBX = physical address of struct hvm_start_info. Nothing
 * else is promised: no stack, no GDT we may keep, no zeroed bss.
 *
 * We identity-map 0..4 GiB with 2 MiB pages (PML4 -> one PDPT -> four
 * PDs; SDM Vol. 3A 4.5), turn on long mode (SDM Vol. 3A 9.8.5: CR4.PAE,
 * CR3, EFER.LME, then CR0.PG) and call xc_main(start_info).
 * x87/SSE stay off: the C code is built with -mgeneral-regs-only.
 */
#include "tests/xen/pvh_common.S"

#define MSR_EFER	0xc0000080
#define EFER_LME	0x100
#define CR0_PE		0x1
#define CR0_PG		0x80000000
#define CR4_PAE		0x20
#define PG_P		0x1
#define PG_RW		0x2
#define PG_PS		0x80
#define SEL_CODE64	0x08
#define SEL_DATA	0x10

	.section .text.entry, "ax"
	.code32
	.globl xc_entry32
xc_entry32:
	XC_ENTRY_PROLOGUE

	/* PML4[0] = PDPT; PDPT[i] = PD i, i < 4. */
	movl	$xc_pdpt, %eax
	orl	$(PG_P | PG_RW), %eax
	movl	%eax, xc_pml4
	XC_FILL xc_pdpt, xc_pd + (PG_P | PG_RW), 4, 4096, 8

	/* 2048 PDEs of 2 MiB each: entry k maps k << 21. */
	XC_FILL xc_pd, PG_P | PG_RW | PG_PS, 2048, 0x200000, 8

	movl	%cr4, %eax
	orl	$CR4_PAE, %eax
	movl	%eax, %cr4
	movl	$xc_pml4, %eax
	movl	%eax, %cr3
	movl	$MSR_EFER, %ecx
	rdmsr
	orl	$EFER_LME, %eax
	wrmsr
	lgdt	xc_gdtr
	movl	%cr0, %eax
	orl	$(CR0_PG | CR0_PE), %eax
	movl	%eax, %cr0
	ljmp	$SEL_CODE64, $xc_entry64

	.code64
xc_entry64:
	movl	$SEL_DATA, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %fs
	movl	%eax, %gs
	movl	%eax, %ss
	movl	$xc_stack_top, %esp	/* zero-extended: below 4 GiB */
	movl	%ebx, %edi		/* xc_main(uint32_t start_info_pa) */
	xorl	%ebp, %ebp
	call	xc_main
3:	cli
	hlt
	jmp	3b

	/* .data: the CPU sets accessed bits in the descriptors it loads. */
	.section .data
	.balign 8
xc_gdt:
	.quad 0
	.quad 0x00af9a000000ffff	/* 0x08: 64-bit code, DPL 0 */
	.quad 0x00cf92000000ffff	/* 0x10: flat 4 GiB data */
xc_gdt_end:
xc_gdtr:
	.word xc_gdt_end - xc_gdt - 1
	.long xc_gdt			/* 32-bit LGDT reads a 4-byte base */

	.section .bss
	.balign 4096
xc_pml4:	.skip 4096
xc_pdpt:	.skip 4096
xc_pd:		.skip 4 * 4096
	XC_STACK

	.section .note.GNU-stack, "", @progbits
