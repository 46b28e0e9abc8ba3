/* SPDX-License-Identifier: MIT */
/*
 * PVH entry of the 32-bit flat conformance guest. Xen's PVH boot ABI
 * (docs/misc/pvh.pandoc in Xen): enter at the XEN_ELFNOTE_PHYS32_ENTRY
 * address in 32-bit protected mode, paging off, CS/DS/ES/SS flat 4 GiB,
 * EFLAGS.IF = 0, EBX = physical address of struct hvm_start_info.
 *
 * The guest stays in that mode: no paging (CR0.PG = 0, so linear =
 * physical, SDM Vol. 3A 4.1.1), the flat segments the loader gave. It
 * clears bss, sets up a stack and calls xc_main(start_info) (cdecl).
 * x87/SSE stay off: the C code is built with -mgeneral-regs-only.
 */
#include <xen/elfnote.h>

	.section .note.Xen, "a", @note
	.balign 4
	.long xc_note_name_end - xc_note_name
	.long xc_note_desc_end - xc_note_desc
	.long XEN_ELFNOTE_PHYS32_ENTRY
xc_note_name:
	.asciz "Xen"
xc_note_name_end:
	.balign 4
xc_note_desc:
	.long xc_entry32
xc_note_desc_end:
	.balign 4

	.section .text.entry, "ax"
	.code32
	.globl xc_entry32
xc_entry32:
	cli
	cld
	/* Clear bss (the stack lives there); EBX survives. */
	movl	$__bss_start, %edi
	movl	$__bss_end, %ecx
	subl	%edi, %ecx
	shrl	$2, %ecx		/* the linker script aligns both to 16 */
	xorl	%eax, %eax
	rep stosl
	movl	$xc_stack_top, %esp
	xorl	%ebp, %ebp
	subl	$12, %esp		/* keep ESP 16-aligned at the call (i386 psABI) */
	pushl	%ebx			/* xc_main(uint32_t start_info_pa) */
	call	xc_main
1:	cli
	hlt
	jmp	1b

	.section .bss
	.balign 16
		.skip 0x8000
xc_stack_top:

	.section .note.GNU-stack, "", @progbits
