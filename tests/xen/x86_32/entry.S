/* SPDX-License-Identifier: MIT */
/*
 * PVH entry of the 32-bit conformance guests. Xen's PVH boot ABI
 * (docs/misc/pvh.pandoc in Xen): enter at the XEN_ELFNOTE_PHYS32_ENTRY
 * address in 32-bit protected mode, paging off, CS/DS/ES/SS flat 4 GiB,
 * EFLAGS.IF = 0, EBX = physical address of struct hvm_start_info.
 *
 * One source, three builds (XC_PAGING, tests/xen/paging.h):
 *  - flat (xenconf32): stays as entered, paging off (linear = physical,
 *    SDM Vol. 3A 4.1.1);
 *  - PSE (xenconf32pse): one page directory of 1024 4 MiB PDEs
 *    (CR4.PSE, SDM Vol. 3A 4.3), CR3 = the directory, CR0.PG;
 *  - PAE (xenconf32pae): a 4-entry PDPT and four directories of 512
 *    2 MiB PDEs (CR4.PAE, SDM Vol. 3A 4.4), CR3 = the PDPT, CR0.PG.
 * Both paged builds identity-map 4 GiB except the crosswise alias that
 * paging.h describes. Then xc_main(start_info) (cdecl). x87/SSE stay
 * off: the C code is built with -mgeneral-regs-only.
 */
#include "tests/xen/paging.h"
#include "tests/xen/pvh_common.S"

#define CR0_PG		0x80000000
#define CR4_PSE		0x10
#define CR4_PAE		0x20
#define PG_P		0x1
#define PG_RW		0x2
#define PG_PS		0x80
#define PDE_LARGE	(PG_P | PG_RW | PG_PS)

	.section .text.entry, "ax"
	.code32
	.globl xc_entry32
xc_entry32:
	XC_ENTRY_PROLOGUE

#if XC_PAGING == XC_PAGING_PSE
	/* PDE k maps k << 22 (4 bytes each). */
	XC_FILL xc_pd, PDE_LARGE, 1024, XC_LARGE, 4
	movl	$((XC_ALIAS_PA + XC_LARGE) | PDE_LARGE), xc_pd + (XC_ALIAS_VA / XC_LARGE) * 4
	movl	$(XC_ALIAS_PA | PDE_LARGE), xc_pd + (XC_ALIAS_VA / XC_LARGE + 1) * 4
	movl	%cr4, %eax
	orl	$CR4_PSE, %eax
	movl	%eax, %cr4
	movl	$xc_pd, %eax
	movl	%eax, %cr3
#elif XC_PAGING == XC_PAGING_PAE
	/* PDPTE i = directory i; a PAE PDPTE has only P (bits 1, 2 are reserved). */
	XC_FILL xc_pdpt, xc_pd + PG_P, 4, 4096, 8
	/* 2048 PDEs of 8 bytes: entry k maps k << 21. */
	XC_FILL xc_pd, PDE_LARGE, 2048, XC_LARGE, 8
	movl	$((XC_ALIAS_PA + XC_LARGE) | PDE_LARGE), xc_pd + (XC_ALIAS_VA / XC_LARGE) * 8
	movl	$(XC_ALIAS_PA | PDE_LARGE), xc_pd + (XC_ALIAS_VA / XC_LARGE + 1) * 8
	movl	%cr4, %eax
	orl	$CR4_PAE, %eax
	movl	%eax, %cr4
	movl	$xc_pdpt, %eax
	movl	%eax, %cr3
#endif
#if XC_PAGING != XC_PAGING_NONE
	movl	%cr0, %eax
	orl	$CR0_PG, %eax
	movl	%eax, %cr0
	jmp	3f			/* SDM Vol. 3A 9.9.1: a jump right after setting PG */
3:
#endif
	xorl	%ebp, %ebp
	subl	$12, %esp		/* keep ESP 16-aligned at the call (i386 psABI) */
	pushl	%ebx			/* xc_main(uint32_t start_info_pa) */
	call	xc_main
4:	cli
	hlt
	jmp	4b

#if XC_PAGING == XC_PAGING_PSE
	.section .bss
	.balign 4096
xc_pd:		.skip 4096
#elif XC_PAGING == XC_PAGING_PAE
	.section .bss
	.balign 4096
xc_pdpt:	.skip 4096		/* 32 bytes used; CR3 needs 32-byte alignment */
xc_pd:		.skip 4 * 4096
#endif
	XC_STACK

	.section .note.GNU-stack, "", @progbits
