/* SPDX-License-Identifier: MIT */
/*
 * Checks on the guest's segment and descriptor-table registers (SDM Vol.
 * 3C, 27.3.1.2 and 27.3.1.3), in the protected-mode, unrestricted-guest
 * and virtual-8086 variants. A segment's selector, base, limit and access
 * rights are laid out in parallel from ES (B.1.2, B.2.3, B.3.3, B.4.3).
 */
#include "arch/vmx_bits.h"
#include "vmentry_check_internal.h"

#define S_SEG "27.3.1.2"
#define S_DT "27.3.1.3"

enum { ES, CS, SS, DS, FS, GS, LDTR, TR };
static const char *const seg_names[] = { "ES", "CS", "SS", "DS", "FS", "GS", "LDTR", "TR" };

struct seg {
	uint64_t sel, base, limit, ar;
	enum vmcs_field fsel, fbase, flimit, far;
	bool usable;
	unsigned type, dpl;
};

static void load(const struct vc *c, unsigned i, struct seg *s)
{
	s->fsel = (enum vmcs_field)(GUEST_ES_SELECTOR + 2 * i);
	s->fbase = (enum vmcs_field)(GUEST_ES_BASE + 2 * i);
	s->flimit = (enum vmcs_field)(GUEST_ES_LIMIT + 2 * i);
	s->far = (enum vmcs_field)(GUEST_ES_AR_BYTES + 2 * i);
	s->sel = vc_val(c, s->fsel);
	s->base = vc_val(c, s->fbase);
	s->limit = vc_val(c, s->flimit);
	s->ar = vc_val(c, s->far);
	s->usable = !(s->ar & VMX_AR_UNUSABLE);
	s->type = s->ar & 0xf;
	s->dpl = (s->ar >> 5) & 3;
}

/* The access-rights rules every usable segment shares: reserved bits and granularity. */
static int check_ar_common(struct vc *c, unsigned i, const struct seg *s)
{
	if (s->ar & 0xf00)
		return vc_fail(c, S_SEG, s->far, "(%s) has reserved bits 11:8 set", seg_names[i]);
	if (s->ar & 0xfffe0000ULL)
		return vc_fail(c, S_SEG, s->far, "(%s) has reserved bits 31:17 set", seg_names[i]);
	if ((s->limit & 0xfff) != 0xfff && (s->ar & VMX_AR_G))
		return vc_fail(c, S_SEG, s->far, "(%s) sets G with limit 0x%llx, whose bits 11:0 are not all 1",
			       seg_names[i], (unsigned long long)s->limit);
	if ((s->limit >> 20) && !(s->ar & VMX_AR_G))
		return vc_fail(c, S_SEG, s->far, "(%s) clears G with limit 0x%llx above 1 MByte", seg_names[i],
			       (unsigned long long)s->limit);
	return 0;
}

static int check_v86(struct vc *c, const struct seg *sg)
{
	for (unsigned i = ES; i <= GS; i++) {
		const struct seg *s = &sg[i];

		if (s->base != s->sel << 4)
			return vc_fail(c, S_SEG, s->fbase, "(%s) is not selector << 4 in virtual-8086 mode",
				       seg_names[i]);
		if (s->limit != 0xffff)
			return vc_fail(c, S_SEG, s->flimit, "(%s) is not 0xffff in virtual-8086 mode", seg_names[i]);
		if (s->ar != 0xf3)
			return vc_fail(c, S_SEG, s->far, "(%s) is not 0xf3 in virtual-8086 mode", seg_names[i]);
	}
	return 0;
}

static int check_cs_ss(struct vc *c, const struct seg *cs, const struct seg *ss)
{
	bool type3 = cs->type == 3;

	if (!(cs->type == 9 || cs->type == 11 || cs->type == 13 || cs->type == 15 || (type3 && c->unrestricted)))
		return vc_fail(c, S_SEG, cs->far, "(CS) has type %u, not an accessed code segment%s", cs->type,
			       c->unrestricted ? " or read/write data" : "");
	if (!(cs->ar & VMX_AR_S) || !(cs->ar & VMX_AR_P))
		return vc_fail(c, S_SEG, cs->far, "(CS) has S or P clear");
	if (type3 && cs->dpl != 0)
		return vc_fail(c, S_SEG, cs->far, "(CS) is a data segment with DPL %u, not 0", cs->dpl);
	if ((cs->type == 9 || cs->type == 11) && cs->dpl != ss->dpl)
		return vc_fail(c, S_SEG, cs->far, "(CS) is non-conforming with DPL %u, not SS.DPL %u", cs->dpl,
			       ss->dpl);
	if ((cs->type == 13 || cs->type == 15) && cs->dpl > ss->dpl)
		return vc_fail(c, S_SEG, cs->far, "(CS) is conforming with DPL %u above SS.DPL %u", cs->dpl,
			       ss->dpl);
	if (c->ia32e_guest && (cs->ar & VMX_AR_L) && (cs->ar & VMX_AR_DB))
		return vc_fail(c, S_SEG, cs->far, "(CS) sets both L and D/B in IA-32e mode");
	if (check_ar_common(c, CS, cs))
		return -1;
	if (ss->usable) {
		if (ss->type != 3 && ss->type != 7)
			return vc_fail(c, S_SEG, ss->far, "(SS) has type %u, not read/write data", ss->type);
		if (!(ss->ar & VMX_AR_S) || !(ss->ar & VMX_AR_P))
			return vc_fail(c, S_SEG, ss->far, "(SS) has S or P clear");
		if (check_ar_common(c, SS, ss))
			return -1;
	}
	if (!c->unrestricted && ss->dpl != (ss->sel & 3))
		return vc_fail(c, S_SEG, ss->far, "(SS) has DPL %u, not the selector's RPL %u", ss->dpl,
			       (unsigned)(ss->sel & 3));
	if ((type3 || !(vc_val(c, GUEST_CR0) & VC_CR0_PE)) && ss->dpl != 0)
		return vc_fail(c, S_SEG, ss->far, "(SS) has DPL %u, not 0, in real mode or with a data CS",
			       ss->dpl);
	return 0;
}

static int check_data(struct vc *c, unsigned i, const struct seg *s)
{
	if (!s->usable)
		return 0;
	if (!(s->type & 1) || ((s->type & 8) && !(s->type & 2)))
		return vc_fail(c, S_SEG, s->far, "(%s) has type %u, not accessed data or readable code",
			       seg_names[i], s->type);
	if (!(s->ar & VMX_AR_S) || !(s->ar & VMX_AR_P))
		return vc_fail(c, S_SEG, s->far, "(%s) has S or P clear", seg_names[i]);
	if (!c->unrestricted && s->type <= 11 && s->dpl < (s->sel & 3))
		return vc_fail(c, S_SEG, s->far, "(%s) has DPL %u below the selector's RPL %u", seg_names[i],
			       s->dpl, (unsigned)(s->sel & 3));
	return check_ar_common(c, i, s);
}

static int check_system(struct vc *c, const struct seg *tr, const struct seg *ldtr)
{
	if (!(tr->type == 11 || (tr->type == 3 && !c->ia32e_guest)))
		return vc_fail(c, S_SEG, tr->far, "(TR) has type %u, not a busy %sTSS", tr->type,
			       c->ia32e_guest ? "64-bit " : "");
	if ((tr->ar & VMX_AR_S) || !(tr->ar & VMX_AR_P) || !tr->usable)
		return vc_fail(c, S_SEG, tr->far, "(TR) has S set, P clear or is unusable");
	if (check_ar_common(c, TR, tr))
		return -1;
	if (ldtr->usable) {
		if (ldtr->type != 2 || (ldtr->ar & VMX_AR_S) || !(ldtr->ar & VMX_AR_P))
			return vc_fail(c, S_SEG, ldtr->far, "(LDTR) is usable but not a present LDT (type 2, S 0)");
		if (check_ar_common(c, LDTR, ldtr))
			return -1;
	}
	return 0;
}

static int check_selectors_bases(struct vc *c, const struct seg *sg, bool v86)
{
	if (sg[TR].sel & 4)
		return vc_fail(c, S_SEG, sg[TR].fsel, "(TR) has TI set");
	if (sg[LDTR].usable && (sg[LDTR].sel & 4))
		return vc_fail(c, S_SEG, sg[LDTR].fsel, "(LDTR) has TI set");
	if (!v86 && !c->unrestricted && (sg[SS].sel & 3) != (sg[CS].sel & 3))
		return vc_fail(c, S_SEG, sg[SS].fsel, "has RPL %u, not CS's RPL %u", (unsigned)(sg[SS].sel & 3),
			       (unsigned)(sg[CS].sel & 3));
	if (!vc_canonical(c, sg[TR].base) || !vc_canonical(c, sg[FS].base) || !vc_canonical(c, sg[GS].base) ||
	    (sg[LDTR].usable && !vc_canonical(c, sg[LDTR].base))) {
		const struct seg *s = !vc_canonical(c, sg[TR].base)   ? &sg[TR]
				      : !vc_canonical(c, sg[FS].base) ? &sg[FS]
				      : !vc_canonical(c, sg[GS].base) ? &sg[GS]
								      : &sg[LDTR];
		return vc_fail(c, S_SEG, s->fbase, "is not canonical");
	}
	if (sg[CS].base >> 32)
		return vc_fail(c, S_SEG, sg[CS].fbase, "has bits 63:32 set");
	for (unsigned i = ES; i <= DS; i++)
		if (i != CS && sg[i].usable && (sg[i].base >> 32))
			return vc_fail(c, S_SEG, sg[i].fbase, "(%s) has bits 63:32 set", seg_names[i]);
	return 0;
}

int vc_check_guest_segments(struct vc *c)
{
	struct seg sg[8];
	bool v86 = vc_val(c, GUEST_RFLAGS) & VC_RFLAGS_VM;

	for (unsigned i = 0; i < 8; i++)
		load(c, i, &sg[i]);
	if (check_selectors_bases(c, sg, v86))
		return -1;
	if (v86) {
		if (check_v86(c, sg))
			return -1;
	} else {
		if (check_cs_ss(c, &sg[CS], &sg[SS]))
			return -1;
		for (unsigned i = ES; i <= GS; i++)
			if (i != CS && i != SS && check_data(c, i, &sg[i]))
				return -1;
	}
	if (check_system(c, &sg[TR], &sg[LDTR]))
		return -1;

	/* 27.3.1.3: GDTR and IDTR. */
	if (!vc_canonical(c, vc_val(c, GUEST_GDTR_BASE)))
		return vc_fail(c, S_DT, GUEST_GDTR_BASE, "is not canonical");
	if (!vc_canonical(c, vc_val(c, GUEST_IDTR_BASE)))
		return vc_fail(c, S_DT, GUEST_IDTR_BASE, "is not canonical");
	if (vc_val(c, GUEST_GDTR_LIMIT) >> 16)
		return vc_fail(c, S_DT, GUEST_GDTR_LIMIT, "has bits 31:16 set");
	if (vc_val(c, GUEST_IDTR_LIMIT) >> 16)
		return vc_fail(c, S_DT, GUEST_IDTR_LIMIT, "has bits 31:16 set");
	return 0;
}
