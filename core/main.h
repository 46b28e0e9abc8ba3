/* SPDX-License-Identifier: MIT */
/*
 * The hand-over from boot/ to the rest of Bolt. boot/ calls this on every
 * CPU; core/ never calls back into boot/ by name, so what the boot CPU
 * needs from boot/ (starting the other CPUs) comes in as an argument.
 */
#ifndef CORE_MAIN_H
#define CORE_MAIN_H

/*
 * CPU index's life once its descriptor tables are loaded: arch bring-up,
 * then its guests and the scheduler; never returns. CPU 0 passes
 * start_others, which it calls once it is in VMX root to start the
 * application processors; the APs pass NULL.
 */
__attribute__((noreturn)) void bolt_cpu_main(unsigned index, void (*start_others)(void));

#endif
