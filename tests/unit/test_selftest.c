// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The RFC 9001 / RFC 9369 Appendix A and multipath nonce known-answer
 * tests (kernel/core/selftest.c) over the userspace crypto (nettle). The
 * module runs the same code over the kernel crypto API (tests/vm).
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>

#include "selftest.h"

static void report(const char *name, bool ok, void *ctx)
{
	int *n = ctx;

	(*n)++;
	printf("# %s: %s\n", ok ? "pass" : "FAIL", name);
}

static void test_known_answers(void **state)
{
	int n = 0;

	(void)state;
	assert_int_equal(tquic_selftest_run(report, &n), 0);
	/* every vector was run: nonce, 2x2 keys, 2x(2+2+1+2) packets, ku,
	 * AES-256-GCM on path 3 both ways */
	assert_int_equal(n, 23);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_answers),
	};

	return cmocka_run_group_tests_name("selftest", tests, NULL, NULL);
}
