// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Stream reassembly: order, overlap, duplicates, the window, final size
 * (RFC 9000 §2.2, §4.5), wrapping around the ring.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <string.h>

#include "reasm.h"

static const u8 text[] = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

static void test_out_of_order_overlap_duplicates(void **state)
{
	u8 buf[64], have[8], out[64];
	struct tquic_reasm r;

	(void)state;
	assert_int_equal(tquic_reasm_init(&r, buf, have, 64), 0);
	assert_int_equal(tquic_reasm_insert(&r, 10, text + 10, 10, false), 0);
	assert_int_equal(tquic_reasm_read(&r, out, sizeof(out)), 0);	/* hole */
	assert_int_equal(tquic_reasm_insert(&r, 5, text + 5, 10, false), 0);
	assert_int_equal(tquic_reasm_insert(&r, 0, text, 3, false), 0);
	assert_int_equal(tquic_reasm_read(&r, out, sizeof(out)), 3);
	assert_memory_equal(out, "012", 3);
	assert_int_equal(tquic_reasm_insert(&r, 0, text, 20, false), 0);	/* covers the rest */
	assert_int_equal(tquic_reasm_read(&r, out, 10), 10);
	assert_memory_equal(out, text + 3, 10);
	assert_int_equal(tquic_reasm_read(&r, out, sizeof(out)), 7);
	assert_memory_equal(out, text + 13, 7);
	/* data already delivered is ignored */
	assert_int_equal(tquic_reasm_insert(&r, 0, text, 20, false), 0);
	assert_int_equal(tquic_reasm_read(&r, out, sizeof(out)), 0);
}

static void test_window_and_wraparound(void **state)
{
	u8 buf[16], have[2], out[64], all[64];
	struct tquic_reasm r;
	size_t got = 0, n;
	u64 off;

	(void)state;
	tquic_reasm_init(&r, buf, have, 16);
	/* beyond base + cap */
	assert_int_equal(tquic_reasm_insert(&r, 10, text, 7, false), -ENOSPC);
	/* 60 bytes through a 16-byte window, in chunks delivered as they go */
	for (off = 0; off < 60; off += 6) {
		size_t len = 60 - off < 6 ? 60 - off : 6;

		assert_int_equal(tquic_reasm_insert(&r, off, text + off, len, false), 0);
		n = tquic_reasm_read(&r, out, sizeof(out));
		memcpy(all + got, out, n);
		got += n;
	}
	assert_int_equal(got, 60);
	assert_memory_equal(all, text, 60);
}

static void test_final_size(void **state)
{
	u8 buf[64], have[8], out[64];
	struct tquic_reasm r;

	(void)state;
	tquic_reasm_init(&r, buf, have, 64);
	assert_int_equal(tquic_reasm_insert(&r, 0, text, 10, false), 0);
	/* a FIN below what was already received */
	assert_int_equal(tquic_reasm_insert(&r, 0, text, 5, true), -EPIPE);
	assert_int_equal(tquic_reasm_insert(&r, 10, text + 10, 5, true), 0);
	assert_false(tquic_reasm_finished(&r));
	/* another final size, or data past it */
	assert_int_equal(tquic_reasm_insert(&r, 10, text + 10, 6, true), -EPIPE);
	assert_int_equal(tquic_reasm_insert(&r, 15, text + 15, 1, false), -EPIPE);
	/* the same FIN again is fine */
	assert_int_equal(tquic_reasm_insert(&r, 12, text + 12, 3, true), 0);
	assert_int_equal(tquic_reasm_read(&r, out, sizeof(out)), 15);
	assert_true(tquic_reasm_finished(&r));
	/* a zero-length FIN on an empty stream */
	tquic_reasm_init(&r, buf, have, 64);
	assert_int_equal(tquic_reasm_insert(&r, 0, NULL, 0, true), 0);
	assert_true(tquic_reasm_finished(&r));
	/* offsets at the top of the range */
	assert_int_equal(tquic_reasm_insert(&r, (1ULL << 62) - 1, text, 1, false),
			 -EBADMSG);
	assert_int_equal(tquic_reasm_init(&r, buf, have, 12), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_out_of_order_overlap_duplicates),
		cmocka_unit_test(test_window_and_wraparound),
		cmocka_unit_test(test_final_size),
	};

	return cmocka_run_group_tests_name("reasm", tests, NULL, NULL);
}
