/* SPDX-License-Identifier: MIT */
/*
 * What every conformance build's entry has in common, #included by each
 * <arch>/entry.S: the ELF notes, the entry prologue and the stack.
 *
 * XEN_ELFNOTE_PHYS32_ENTRY is what makes an ELF a PVH kernel (Xen's
 * docs/misc/pvh.pandoc): the 32-bit physical entry point, xc_entry32 in
 * the including file. Bolt's loader (lib/elf.c) reads only that note and
 * skips the others, as Xen's PVH path ignores the PV-only ones
 * (XEN_ELFNOTE_PAE_MODE, _FEATURES); XEN_ELFNOTE_GUEST_OS is here so that
 * every build checks that a loader walks past notes it does not use.
 *
 * XC_NOTE(type, desc...) emits one note named "Xen" (ELF gABI note
 * layout: namesz, descsz, type, name and desc each padded to 4 bytes).
 */
#include <xen/elfnote.h>

#define XC_NOTE(type, desc...)				\
	.balign 4;					\
	.long 2f - 1f;					\
	.long 4f - 3f;					\
	.long type;					\
1:	.asciz "Xen";					\
2:	.balign 4;					\
3:	desc;						\
4:	.balign 4

	.section .note.Xen, "a", @note
	XC_NOTE(XEN_ELFNOTE_GUEST_OS, .asciz "xenconf")
	XC_NOTE(XEN_ELFNOTE_PHYS32_ENTRY, .long xc_entry32)

/*
 * The first instructions of every build, still in the mode the PVH ABI
 * enters in (32-bit protected mode, paging off, flat segments, EBX =
 * hvm_start_info): interrupts and string direction off, bss cleared (the
 * ABI promises no zeroed bss; page tables and the stack live there), ESP at
 * xc_stack_top. EBX survives for the caller.
 */
.macro XC_ENTRY_PROLOGUE
	cli
	cld
	movl	$__bss_start, %edi
	movl	$__bss_end, %ecx
	subl	%edi, %ecx
	shrl	$2, %ecx		/* the linker script aligns both to 16 */
	xorl	%eax, %eax
	rep stosl
	movl	$xc_stack_top, %esp
.endm

/* The stack, at the end of bss (cleared by XC_ENTRY_PROLOGUE). */
.macro XC_STACK
	.section .bss
	.balign 16
		.skip 0x8000
xc_stack_top:
.endm

/*
 * Fill count page-table entries of size bytes (4 or 8; the high dword of
 * an 8-byte entry stays 0 from the cleared bss) at table: entry k =
 * first + k * step. Clobbers EAX, ECX, EDI.
 */
.macro XC_FILL table, first, count, step, size
	movl	$(\first), %eax
	movl	$(\table), %edi
	movl	$(\count), %ecx
1:	movl	%eax, (%edi)
	addl	$(\step), %eax
	addl	$(\size), %edi
	loop	1b
.endm
