/* SPDX-License-Identifier: MIT */
/*
 * The fixed instructions of the VM-exit stub (arch/x86/vmexit.S) that lie
 * outside its two timestamps. hv_send and hv_wake (struct bolt_stats) run
 * from the stub's first instruction to VMRESUME/VMLAUNCH; the stub reads
 * the TSC a few instructions inside that window and C adds these back.
 * Under Bochs a TSC tick is one instruction, so the counts are exact there
 * (docs/performance.md, "Measurement windows"); on hardware they are a
 * few cycles of a window of thousands. Change them with the stub.
 */
#ifndef ARCH_VMEXIT_H
#define ARCH_VMEXIT_H

/* The LEA that makes room for the frame, the stores of RAX and RDX (SAVE_AX_DX). */
#define VMEXIT_INSNS_BEFORE_TSC 3
/* The entry's RDTSC itself, its two stores, two GPR loads, LEA and JNZ. */
#define VMENTRY_INSNS_FROM_TSC 7

#endif
