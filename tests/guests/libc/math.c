/* SPDX-License-Identifier: MIT */
/*
 * libc math: libm against known values (to 17 significant digits), within
 * a relative 1e-12. The arguments are volatile, or the compiler would
 * compute the results itself and libm would never run.
 */
#include "tests/guests/libc/libc.h"

#include <math.h>

#define MATH_TOL 1e-12

static volatile double m_two = 2.0, m_half = 0.5, m_one = 1.0, m_ten = 10.0, m_zero = 0.0;
static volatile double m_pi = 3.14159265358979323846;

static void math_near(struct libc_group *g, const char *what, double got, double want)
{
	double err = fabs(got - want);
	double tol = MATH_TOL * (fabs(want) > 1.0 ? fabs(want) : 1.0);

	libc_check(g, err <= tol, "%s: expected %.17g, got %.17g", what, want, got);
}

static void math_exact(struct libc_group *g, const char *what, double got, double want)
{
	libc_check(g, got == want && signbit(got) == signbit(want),
		   "%s: expected %.17g, got %.17g", what, want, got);
}

static void math_transcendental(struct libc_group *g)
{
	math_near(g, "sqrt(2)", sqrt(m_two), 1.4142135623730951);
	math_near(g, "sin(pi/6)", sin(m_pi / 6), 0.5);
	math_near(g, "cos(0)", cos(m_zero), 1.0);
	math_near(g, "cos(pi)", cos(m_pi), -1.0);
	math_near(g, "tan(pi/4)", tan(m_pi / 4), 1.0);
	math_near(g, "atan2(1, 1)", atan2(m_one, m_one), 0.78539816339744831);
	math_near(g, "exp(1)", exp(m_one), 2.7182818284590452);
	math_near(g, "log(10)", log(m_ten), 2.3025850929940457);
	math_near(g, "log10(1000)", log10(m_ten * 100), 3.0);
	math_near(g, "pow(2, 0.5)", pow(m_two, m_half), 1.4142135623730951);
	math_near(g, "pow(10, -3)", pow(m_ten, -3 * m_one), 1e-3);
	math_near(g, "sin(1e6)", sin(m_ten * 1e5), -0.34999350217129294);
}

static void math_rounding(struct libc_group *g)
{
	math_exact(g, "floor(-2.5)", floor(-2.5 * m_one), -3.0);
	math_exact(g, "floor(2.5)", floor(2.5 * m_one), 2.0);
	math_exact(g, "ceil(-2.5)", ceil(-2.5 * m_one), -2.0);
	math_exact(g, "ceil(2.1)", ceil(2.1 * m_one), 3.0);
	math_exact(g, "trunc(-2.7)", trunc(-2.7 * m_one), -2.0);
	math_exact(g, "round(2.5)", round(2.5 * m_one), 3.0);
	math_exact(g, "fabs(-3.5)", fabs(-3.5 * m_one), 3.5);
	math_exact(g, "fmod(10.5, 3)", fmod(10.5 * m_one, 3.0), 1.5);
	math_exact(g, "fmod(-7, 3)", fmod(-7.0 * m_one, 3.0), -1.0);
	math_exact(g, "ldexp(0.75, 4)", ldexp(0.75 * m_one, 4), 12.0);
}

static void math_special(struct libc_group *g)
{
	libc_check(g, isnan(sqrt(-m_one)), "sqrt(-1) is not a NaN");
	libc_check(g, isinf(exp(1000 * m_one)) && exp(1000 * m_one) > 0, "exp(1000) is not +inf");
	libc_check(g, isinf(log(m_zero)) && log(m_zero) < 0, "log(0) is not -inf");
	math_exact(g, "pow(0, 0)", pow(m_zero, m_zero), 1.0);
}

void libc_math(struct libc_group *g)
{
	math_transcendental(g);
	math_rounding(g);
	math_special(g);
}
