// SPDX-License-Identifier: GPL-2.0
/*
 * kernel/core/datagram.c: the flow tag before each inner packet a
 * DATAGRAM frame carries, and the per-flow window that drops second
 * copies and packets too late.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "conn.h"
#include "datagram.h"

static void test_tag_roundtrip(void **state)
{
	static const u32 v[] = { 0, 1, 63, 64, 16383, 16384,
				 TQUIC_DGRAM_ID_LIMIT - 1 };
	u8 buf[16];
	u32 f, s;
	size_t i, j, n;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		for (j = 0; j < sizeof(v) / sizeof(v[0]); j++) {
			n = tquic_dgram_tag_write(buf, sizeof(buf), v[i], v[j]);
			assert_true(n >= 2 && n <= TQUIC_DGRAM_TAG_MAX);
			assert_int_equal(tquic_dgram_tag_read(buf, n, &f, &s),
					 (int)n);
			assert_int_equal(f, v[i]);
			assert_int_equal(s, v[j]);
			/* cut short: no tag */
			assert_true(tquic_dgram_tag_read(buf, n - 1, &f, &s) < 0);
		}
	}
	/* not in the room given, or out of range: nothing written */
	assert_int_equal(tquic_dgram_tag_write(buf, 1, 1, 1), 0);
	assert_int_equal(tquic_dgram_tag_write(buf, sizeof(buf),
					       TQUIC_DGRAM_ID_LIMIT, 0), 0);
	/* an eight-byte varint (2^30 and up) is refused when read */
	memcpy(buf, "\xc0\x00\x00\x00\x40\x00\x00\x00\x01", 9);
	assert_true(tquic_dgram_tag_read(buf, 9, &f, &s) < 0);
	assert_true(tquic_dgram_tag_read(buf, 0, &f, &s) < 0);
}

static void test_seqwin(void **state)
{
	struct tquic_seqwin w;
	u32 i;

	(void)state;
	memset(&w, 0, sizeof(w));
	assert_true(tquic_seqwin_accept(&w, 10));
	/* a second copy is dropped; reordering within the window is not */
	assert_false(tquic_seqwin_accept(&w, 10));
	assert_true(tquic_seqwin_accept(&w, 12));
	assert_true(tquic_seqwin_accept(&w, 11));
	assert_false(tquic_seqwin_accept(&w, 11));
	assert_true(tquic_seqwin_accept(&w, 9));
	/* every number once, in any order, over many windows */
	for (i = 13; i < 2000; i += 2) {
		assert_true(tquic_seqwin_accept(&w, i + 1));
		assert_true(tquic_seqwin_accept(&w, i));
		assert_false(tquic_seqwin_accept(&w, i));
		assert_false(tquic_seqwin_accept(&w, i + 1));
	}
	/* older than the window: too late */
	assert_false(tquic_seqwin_accept(&w, 2000 - TQUIC_SEQWIN));
	/* the oldest number still in the window, seen already */
	assert_false(tquic_seqwin_accept(&w, 2001 - TQUIC_SEQWIN + 1));
	/* a jump past the window forgets it all, and works on from there */
	assert_true(tquic_seqwin_accept(&w, 100000));
	assert_true(tquic_seqwin_accept(&w, 99999));
	assert_false(tquic_seqwin_accept(&w, 100000));
	/* numbers skipped by a jump are not taken as seen when a wrap of
	 * the bitmap reuses their bits */
	memset(&w, 0, sizeof(w));
	assert_true(tquic_seqwin_accept(&w, 0));
	assert_true(tquic_seqwin_accept(&w, TQUIC_SEQWIN - 1));
	assert_true(tquic_seqwin_accept(&w, TQUIC_SEQWIN + 5));
	assert_true(tquic_seqwin_accept(&w, TQUIC_SEQWIN + 4));
	assert_true(tquic_seqwin_accept(&w, 7));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tag_roundtrip),
		cmocka_unit_test(test_seqwin),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
