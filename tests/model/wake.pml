/* SPDX-License-Identifier: MIT */
/*
 * wake.pml: a Promela model of Bolt's send / kick / block handshake, checked
 * by spin from tests/model/run.sh (`make model`, part of `make test`).
 * docs/wake-protocol.md explains the protocol, the model and its limits.
 *
 * It mirrors these C functions; CHANGE TOGETHER: a change to the order of
 * the shared accesses in any of them must be made here too, and the check
 * re-run (`make model`).
 *
 *   sched/sched.c      sched_kick(), sched_wake(), sched_block_unless(),
 *                      sched_start(), sched_stop(), sched_pick() (the
 *                      locked path), sched_pick_idle(),
 *                      rq_insert()/rq_insert_woken()/rq_pop()/rq_remove()
 *   sched/idle.c/.h    sched_next() (inline fast path, then sched_pick() or
 *                      the idle loop around sched_pick_idle()), with the
 *                      HLT mode's `halted` store before the wait and its
 *                      relaxed clear after it (sched_next_slow())
 *   sched/notify.c     sched_notify() (wake a blocked receiver, kick a
 *                      running one on another CPU)
 *   arch/x86/idle.c    arch_idle_wait() (MONITOR the kick word, re-check
 *                      the queue head, MWAIT; or, p->idle_hlt, re-check
 *                      the head, then sti; hlt; cli)
 *   arch/x86/vmx.c     prepare_entry() (in_guest store, then re-check of
 *                      rq.resched and vcpu_upcall_pending()),
 *                      vmx_handle_exit() (clears in_guest)
 *   arch/x86/upcall.c  vmx_deliver_upcall(), vcpu_upcall_pending()
 *   arch/x86/exit.c    exit_hlt(), exit_external_interrupt()
 *   core/hc_sched_op.c SCHEDOP_block, SCHEDOP_poll (sched_poll): both through
 *                      sched_block_unless(), as exit_hlt
 *   core/send.c        guest_send()
 *   evtchn/abi_2l.c    twol_set_pending(), twol_mark_word() (upcall_pending
 *                      exchange 0 -> 1 => notify)
 *   evtchn/port.c      evtchn_notify(), evtchn_domain_close_all()
 *   core/lifecycle.c   guest_stop(), guest_load()/guest_xen_reset() (stop,
 *                      close channels, reset shared_info, sched_start)
 *   sched/timer.c      timer_run() (not modelled: it only adds wake-ups)
 * Not modelled: priorities. Every vCPU has the same one, so a wake always
 * sets resched and kicks; sched_wake() skips both only when the woken
 * vCPU is below the running one, which then keeps the CPU anyway and
 * sets resched itself when it blocks (block_locked(), under the same lock).
 *
 * Memory model: every shared access is one Promela step and steps
 * interleave, i.e. sequential consistency. That is what the C code gets for
 * the Dekker pairs (in_guest store/resched+upcall loads on the entering CPU,
 * upcall xchg or kick fetch-add / in_guest load on the sender; halted
 * store/head re-check on the idle CPU, kick fetch-add / halted load on the
 * waker): seq_cst or locked RMWs on x86. BUG_STORE_BUFFERED and
 * BUG_HALTED_BUFFERED show what a plain (store-buffered) in_guest or halted
 * store would break. The relaxed halted = false after a HLT wait is
 * modelled as a store that may stay buffered until the next rq.lock.
 *
 * Configurations (-D, one of):
 *   CFG_2CPU     CPU 1 runs receiver R (v0) and a same-CPU sender T (v1,
 *                sends 1 event to R); a guest on CPU 0 sends 2 events to R.
 *   CFG_3CPU     CPU 1 runs R1 (v0), CPU 2 runs R2 (v1); R1 and R2 send one
 *                event to each other from their own guests; a guest on
 *                CPU 0 sends one event to R1, so two remote senders race on
 *                R1, and CPUs 1 and 2 both send and receive.
 *   CFG_RESTART  CPU 1 runs R (v0), which may crash once (stop + restart,
 *                or stop for good) while a guest on CPU 0 sends it 2 events.
 * Idle mode (-D, at most one; default: every CPU has MONITOR/MWAIT):
 *   IDLE_HLT     every receiving CPU idles in HLT (p->idle_hlt: no
 *                MONITOR/MWAIT), woken only by the kick IPI
 *   IDLE_MIXED   CPU 1 idles in HLT, the others in MWAIT (the choice is
 *                per CPU, arch/x86/idle.c idle_mode_init())
 * Bug variants (each must make spin find a violation):
 *   BUG_NO_RECHECK        prepare_entry does not re-check after in_guest=1
 *   BUG_NO_BLOCK_RECHECK  exit_hlt/SCHEDOP_block: no re-check after blocking
 *   BUG_NO_IDLE_RECHECK   arch_idle_wait: MWAIT without re-checking the head
 *   BUG_NOTIFY_NO_IPI     sched_notify never IPIs a running receiver
 *   BUG_STORE_BUFFERED    in_guest store visible only after the re-check
 * HLT-mode bug variants (with IDLE_HLT; each must make spin find a violation):
 *   BUG_KICK_NO_HALTED    sched_kick() loads only in_guest, not halted
 *   BUG_HALTED_BUFFERED   the halted store becomes visible only after the
 *                         head re-check (a relaxed/plain store left in the
 *                         store buffer, or one made after the re-check)
 *   BUG_NO_HLT_RECHECK    arch_idle_wait: HLT without re-checking the head
 *   BUG_STI_NO_SHADOW     the pending IPI can be taken between STI and HLT
 *                         (as with `sti; nop; hlt`): the HLT then sleeps
 * Hardware variant (must still pass):
 *   IPI_LOST_IN_ROOT      an IPI that finds its CPU in root is dropped,
 *                         except in the HLT window (halted set), where the
 *                         pending IPI is what ends the HLT
 *
 * Sending CPU 0 is not a CPU process: its guest only sends, and what CPU 0
 * does between sends (its own entries and exits) touches none of the
 * receivers' variables. Its sends run as the `sender` process.
 */

#define RUNNABLE 0
#define BLOCKED  1
#define STOPPED  2
#define NONE     7

/* mon[]: the MONITOR armed on rq.kick by arch_idle_wait. */
#define MON_OFF  0
#define MON_ARMED 1
#define MON_HIT  2  /* a store hit the armed line: MWAIT returns at once */

/* HLT_IDLE(c): CPU c has no MONITOR/MWAIT (p->idle_hlt); fixed per run. */
#if defined(IDLE_HLT)
#define HLT_IDLE(c) true
#elif defined(IDLE_MIXED)
#define HLT_IDLE(c) (c == 1)
#else
#define HLT_IDLE(c) false
#endif

#if defined(CFG_3CPU)
#define NCPU 3
#define NV 2
#elif defined(CFG_RESTART)
#define NCPU 2
#define NV 1
#else
#ifndef CFG_2CPU
#define CFG_2CPU
#endif
#define NCPU 2
#define NV 2
#endif

/* --- per-vCPU state (struct vcpu, the guest's shared_info) --- */
byte state[NV];       /* v->state */
bool queued[NV];      /* on its CPU's rq (rq.head list); the order is policy */
bool upcall[NV];      /* shinfo->vcpu_info[0].evtchn_upcall_pending */
bool bound[NV];       /* its channels are open (evtchn_domain_close_all) */
byte cpu_of[NV];      /* v->pcpu: pinned */
byte send_to[NV];     /* whom its guest sends to (NONE: nobody) */
byte sends[NV];       /* sends its guest has left */
byte crashes[NV];     /* guest_stop()s its guest has left */

/* --- per-CPU state (struct pcpu, struct runqueue) --- */
byte nq[NCPU];        /* vCPUs on rq: rq.head != NULL <=> nq > 0 */
bool resched[NCPU];   /* rq.resched */
byte current[NCPU];   /* p->current */
bool in_guest[NCPU];  /* p->in_guest */
byte mon[NCPU];       /* MONITOR state of the rq.kick line */
bool ipi[NCPU];       /* the kick IPI latched in the local APIC */
bool halted[NCPU];    /* p->halted: the CPU is in (or about to enter) HLT */
bool sleeping[NCPU];  /* ghost: the CPU is in MWAIT or HLT */

/*
 * arch_kick_cpu(t). The IPI stays pending in the local APIC while t runs
 * in root with interrupts off and forces an exit right after t's next
 * entry. IPI_LOST_IN_ROOT instead drops an IPI that arrives while t is
 * not in the guest (and a latched one at t's next exit): the protocol must
 * not need the latch, because the entering CPU re-checks after in_guest=1.
 */
/*
 * In the HLT idle mode the latch is the design: an IPI sent after the
 * CPU stored `halted` may arrive before its STI (IF = 0), and only the
 * pending IPI ends the HLT. So IPI_LOST_IN_ROOT keeps IPIs that find
 * `halted` set; BUG_STI_NO_SHADOW shows what losing those breaks.
 */
#ifdef IPI_LOST_IN_ROOT
inline send_ipi(t) { atomic { if :: in_guest[t] || halted[t] -> ipi[t] = 1 :: else fi } }
#define EXIT_DROPS_IPI ; ipi[c] = 0
#else
inline send_ipi(t) { ipi[t] = 1 }
#define EXIT_DROPS_IPI
#endif

/*
 * rq.lock: a critical section is one atomic step. That hides no
 * interleaving that matters: every other access to what it writes either
 * holds the lock too, or is an unlocked read of single words (the CPU's own
 * fast path reads resched then state; a sender reads current then state
 * then in_guest; the idle re-check reads the head) that can see no
 * combination an atomic section could not produce, because no section
 * writes the word such a reader reads first before the one it reads
 * second (sched_wake() writes state, then resched).
 */

/* rq_insert(): double insertion would corrupt the list. */
inline rq_insert(c, v) {
	assert(!queued[v] && state[v] != STOPPED);
	queued[v] = 1; nq[c]++
}

/* rq_pop(): which vCPU comes first is policy (priority, round robin,
 * handover, the woken-preempts boost): any queued one. */
inline rq_pop(c, v) {
	if
	:: nq[c] == 0 -> v = NONE
	:: queued[0] && cpu_of[0] == c -> v = 0
#if NV > 1
	:: queued[1] && cpu_of[1] == c -> v = 1
#endif
	fi;
	if
	:: v != NONE ->
		assert(state[v] == RUNNABLE);
		queued[v] = 0; nq[c]--
	:: else
	fi
}

/* kick(target) in sched/sched.c, called by CPU `me`. */
inline kick(me, t) {
	if
	:: t == me -> resched[t] = 1
	:: else ->
		/* __atomic_fetch_add(&rq.kick): a store to the MONITORed line */
		if
		:: mon[t] == MON_ARMED -> mon[t] = MON_HIT
		:: else
		fi;
		/*
		 * __atomic_load_n(&in_guest) || __atomic_load_n(&halted): two
		 * seq_cst loads, the second only if the first is false. A CPU
		 * in HLT is reached by the IPI only (nobody watches its kick
		 * word): the Dekker pair with the idle loop's halted store and
		 * head re-check.
		 */
		if
		:: in_guest[t] -> send_ipi(t)  /* arch_kick_cpu */
		:: else ->
#ifndef BUG_KICK_NO_HALTED
			if
			:: halted[t] -> send_ipi(t)
			:: else
			fi
#else
			skip
#endif
		fi
	fi
}

/* sched_wake(v), on CPU `me`; woke: its return value. */
inline sched_wake(me, v, woke, t) {
	atomic {
	t = cpu_of[v];
	if
	:: state[v] == BLOCKED ->
		state[v] = RUNNABLE;
		if
		:: current[t] != v -> rq_insert(t, v)
		:: else
		fi;
		resched[t] = 1;
		woke = 1
	:: else -> woke = 0
	fi;
	}
	if
	:: woke -> kick(me, t)
	:: else
	fi
}

/*
 * guest_send() -> evtchn_op_send() -> twol_set_pending()/twol_mark_word()
 * under the domain locks, then evtchn_notify() -> sched_notify(), on
 * CPU `me`, to vCPU v. Port pending bits, selector and mask are folded into
 * upcall_pending: only its 0 -> 1 transition notifies.
 */
inline send(me, v, old, woke, t) {
	atomic {
		if
		:: bound[v] -> old = upcall[v]; upcall[v] = 1
		:: else -> old = 1  /* port closed: -EINVAL, nothing raised */
		fi
	}
	if
	:: !old ->
		sched_wake(me, v, woke, t);
#ifndef BUG_NOTIFY_NO_IPI
		/* a running receiver on another CPU: IPI it if it is in the guest */
		if
		:: !woke && t != me && current[t] == v ->
			if
			:: state[v] == RUNNABLE ->
				if
				:: in_guest[t] -> send_ipi(t)
				:: else
				fi
			:: else
			fi
		:: else
		fi;
#endif
		woke = 0
	:: else
	fi;
	old = 0; t = 0
}

/* The guest on CPU `me` (its CPU is not modelled) sending n events. */
proctype sender(byte me; byte v1; byte n1; byte v2; byte n2)
{
	bool old, woke;
	byte t;

	do
	:: n1 > 0 -> send(me, v1, old, woke, t); n1--
	:: n2 > 0 -> send(me, v2, old, woke, t); n2--
	:: else -> break
	od
}

/*
 * One CPU: prepare_entry() -> sched_next() / sched_next() idle loop -> VM entry ->
 * the guest -> a VM exit -> vmx_handle_exit() -> its handler -> again.
 */
proctype cpu(byte c)
{
	byte cur, next;
	bool inj, old, woke;
	byte t;

entry:	/* prepare_entry(): sched_next() */
	cur = current[c];
	if
	:: resched[c]
	:: else ->
		if
		:: cur != NONE && state[cur] == RUNNABLE ->
			next = cur; cur = 0; goto picked  /* fast path: nothing changed */
		:: else
		fi
	fi;
	atomic {
	resched[c] = 0;
	if
	:: cur != NONE && state[cur] == RUNNABLE ->
		if
		:: next = cur             /* !should_switch() */
		:: nq[c] > 0 ->           /* should_switch(): a woken or waiting vCPU goes first */
			rq_pop(c, next);
			rq_insert(c, cur)
		fi
	:: else -> rq_pop(c, next)
	fi;
	current[c] = next;
	}
	cur = 0;
	if
	:: next != NONE -> goto picked
	:: else
	fi;

idle:	/* sched_next() idle loop */
	atomic {
	/*
	 * sched_pick_idle()'s spin_lock is a locked RMW: the relaxed
	 * halted = false of the last HLT wait is visible by now.
	 */
	halted[c] = 0;
	rq_pop(c, next);
	current[c] = next;
	if
	:: next != NONE -> resched[c] = 0
	:: else
	fi;
	}
	if
	:: next != NONE -> goto picked
	:: else
	fi;
#if defined(IDLE_HLT) || defined(IDLE_MIXED)
	if
	:: HLT_IDLE(c) -> goto hlt_wait
	:: else
	fi;
#endif
	/* arch_idle_wait(): MONITOR the kick word, re-check rq.head, MWAIT */
	mon[c] = MON_ARMED;
#ifndef BUG_NO_IDLE_RECHECK
	if
	:: nq[c] > 0 -> mon[c] = MON_OFF; goto idle
	:: else
	fi;
#endif
	sleeping[c] = 1;
end_mwait:
	atomic { mon[c] == MON_HIT -> mon[c] = MON_OFF; sleeping[c] = 0 };
	goto idle;

hlt_wait:	/* p->idle_hlt, untimed: sched_next_slow() + arch_idle_wait() */
#ifndef BUG_HALTED_BUFFERED
	halted[c] = 1;            /* __atomic_store_n(&halted, true, SEQ_CST) */
#endif
#ifndef BUG_NO_HLT_RECHECK
	/* arch_idle_wait(): if (*cond) return; */
	if
	:: nq[c] > 0 ->
#ifdef BUG_HALTED_BUFFERED
		halted[c] = 1;    /* the buffered store drains only now */
#endif
		goto hlt_woken
	:: else
	fi;
#endif
#ifdef BUG_HALTED_BUFFERED
	halted[c] = 1;            /* the buffered store drains only now */
#endif
	/* sti; hlt: STI's shadow covers the HLT, so a pending IPI is taken
	 * only once the HLT has begun, and ends it (SDM Vol. 3A, 6.8.3). */
	sleeping[c] = 1;
#ifdef BUG_STI_NO_SHADOW
	if
	:: atomic { ipi[c] -> ipi[c] = 0 }  /* taken before HLT; EOI; then HLT */
	:: skip
	fi;
#endif
end_hlt:
	/* the IPI (host_irq_stub EOIs it) ends the HLT; cli */
	atomic { ipi[c] -> ipi[c] = 0; sleeping[c] = 0 };
hlt_woken:
	/*
	 * __atomic_store_n(&halted, false, RELAXED): it may stay in the store
	 * buffer until sched_pick_idle()'s lock (see idle:). Seen late it only
	 * costs the waker a spurious IPI, which the latch keeps.
	 */
	if
	:: halted[c] = 0
	:: skip
	fi;
	goto idle;

picked:	/* prepare_entry(), after sched_next() */
	inj = upcall[next];       /* vmx_deliver_upcall() */
#ifndef BUG_STORE_BUFFERED
	in_guest[c] = 1;          /* __atomic_store_n(&in_guest, true, SEQ_CST) */
#endif
#ifndef BUG_NO_RECHECK
	if
	:: resched[c] -> in_guest[c] = 0; goto entry
	:: else
	fi;
	if
	:: !inj && upcall[next] -> in_guest[c] = 0; goto entry
	:: else
	fi;
#endif
#ifdef BUG_STORE_BUFFERED
	in_guest[c] = 1;          /* the store leaves the store buffer only now */
#endif
	/* VM entry. An injected upcall runs first; its handler clears the flag. */
	atomic {
		if
		:: inj -> upcall[next] = 0
		:: else
		fi;
		inj = 0
	}

	/*
	 * The guest runs. Each exit it takes clears in_guest in the same step
	 * (vmx_handle_exit()). A latched IPI forces an exit at once, but the
	 * guest may have started a HLT or VMCALL exit already.
	 */
	if
	:: atomic { sends[next] > 0 -> in_guest[c] = 0; sends[next]-- EXIT_DROPS_IPI };
		/* BOLT_OP_send / EVTCHNOP_send */
		send(c, send_to[next], old, woke, t);
		goto entry
	:: atomic { in_guest[c] = 0 EXIT_DROPS_IPI }; goto hlt
	:: atomic { crashes[next] > 0 -> in_guest[c] = 0; crashes[next]-- EXIT_DROPS_IPI };
		goto crash
	:: goto compute
	fi;
compute:	/* a guest that neither halts nor calls: only an IPI gets it out */
end_compute:
	/* exit_external_interrupt(): the exit acks the IPI; sched_next() does the work */
	atomic { ipi[c] -> in_guest[c] = 0; ipi[c] = 0 };
	goto entry;

hlt:	/* exit_hlt(); SCHEDOP_block and SCHEDOP_poll do the same steps */
	if
	:: upcall[next] -> goto entry  /* an event already waits: injected on entry */
	:: else
	fi;
	atomic {                       /* sched_block_unless() */
	if
	:: state[next] == RUNNABLE -> state[next] = BLOCKED
	:: else
	fi;
	resched[c] = 1;
	}
#ifndef BUG_NO_BLOCK_RECHECK
	/* a sender that saw us runnable did not wake us: look again */
	if
	:: upcall[next] -> sched_wake(c, next, woke, t); woke = 0; t = 0
	:: else
	fi;
#endif
	goto entry;

crash:	/* guest_stop() of the running guest, from its own exit */
	atomic {                       /* sched_stop() */
	state[next] = STOPPED;
	if
	:: queued[next] -> queued[next] = 0; nq[c]--
	:: else
	fi;
	resched[c] = 1;
	}
	bound[next] = 0;               /* evtchn_domain_close_all() */
	if
	:: goto entry                  /* stopped for good */
	:: skip
	fi;
	upcall[next] = 0;              /* guest_xen_reset(): shared_info zeroed */
	bound[next] = 1;               /* the new boot binds its channels again */
	atomic {                       /* sched_start() */
	state[next] = RUNNABLE;
	if
	:: current[c] != next -> rq_insert(c, next)
	:: else
	fi;
	resched[c] = 1;
	}
	kick(c, c);
	goto entry
}

/*
 * The properties, checked in every quiescent state: one where no process
 * can move (`timeout`), i.e. every CPU sleeps in MWAIT or HLT, or runs a guest that
 * neither halts nor calls, and every send is done. Why that suffices:
 * every run of this model is finite (run.sh checks that it has no cycle:
 * each loop consumes a send, a crash, a latched IPI, a pending upcall or a
 * resched bit set by one of those), so each run ends in a quiescent state,
 * and a lost wake-up or missed kick is one that is still there when
 * nothing else can happen, i.e. in that state: nothing in flight is left
 * that could repair it. Safety assertions in rq_insert()/rq_pop() check
 * every step.
 */
active proctype quiescent()
{
	byte i;

	timeout ->
	i = 0;
	do
	:: i < NV ->
		/* no lost wake-up: an upcall pending never waits on a blocked vCPU */
		assert(!(state[i] == BLOCKED && upcall[i]));
		/* no forgotten vCPU: a runnable one is running or queued */
		assert(state[i] != RUNNABLE || queued[i] || current[cpu_of[i]] == i);
		assert(state[i] != STOPPED || !queued[i]);
		i++
	:: else -> break
	od;
	i = 0;
	do
	:: i < NCPU ->
		/* no missed IPI: a guest with an upcall pending, or whose CPU
		 * must re-schedule, always gets an exit */
		assert(!(in_guest[i] && resched[i]));
		assert(!(in_guest[i] && current[i] != NONE && upcall[current[i]]));
		/* no CPU sleeping in MWAIT or HLT with a runnable vCPU queued */
		assert(!(sleeping[i] && nq[i] > 0));
		i++
	:: else -> break
	od
}

init
{
	atomic {
		byte i;
		for (i : 0 .. NCPU - 1) {
			current[i] = NONE
		}
#if defined(CFG_2CPU)
		cpu_of[0] = 1; send_to[0] = NONE; sends[0] = 0;
		cpu_of[1] = 1; send_to[1] = 0; sends[1] = 1;
#elif defined(CFG_3CPU)
		cpu_of[0] = 1; send_to[0] = 1; sends[0] = 1;
		cpu_of[1] = 2; send_to[1] = 0; sends[1] = 1;
#else
		cpu_of[0] = 1; send_to[0] = NONE; sends[0] = 0; crashes[0] = 1;
#endif
		/* guests_start_on_cpu() -> sched_start(): queued, resched set */
		for (i : 0 .. NV - 1) {
			bound[i] = 1;
			state[i] = RUNNABLE;
			queued[i] = 1;
			nq[cpu_of[i]]++;
			resched[cpu_of[i]] = 1
		}
		for (i : 1 .. NCPU - 1) {
			run cpu(i)
		}
#if defined(CFG_2CPU)
		run sender(0, 0, 2, 0, 0)
#elif defined(CFG_3CPU)
		run sender(0, 0, 1, 1, 0)
#else
		run sender(0, 0, 2, 0, 0)
#endif
	}
}
