// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Receiving side of acknowledgements (RFC 9000 §13.2): duplicates, range
 * merging, forgetting old ranges, when an ACK is due, the frame it makes.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>

#include "ackrx.h"

static void rx(struct tquic_ackrx *a, u64 pn, u64 now)
{
	assert_int_equal(tquic_ackrx_on_received(a, pn, now, true,
						 TQUIC_ECN_NOT_ECT, 25000, false), 0);
}

static void test_ranges_merge_and_duplicates(void **state)
{
	struct tquic_ackrx a;
	u64 pns[] = { 0, 1, 2, 5, 7, 6, 10, 4, 3 }, i;

	(void)state;
	tquic_ackrx_init(&a);
	for (i = 0; i < 5; i++)
		rx(&a, pns[i], i);
	/* 0-2, 5, 7 */
	assert_int_equal(a.n, 3);
	assert_true(a.r[0].smallest == 7 && a.r[2].smallest == 0 && a.r[2].largest == 2);
	for (; i < 9; i++)
		rx(&a, pns[i], i);
	/* 6 joins 5 and 7; 4 and 3 join 0-2 with 5-7: 0-7, 10 */
	assert_int_equal(a.n, 2);
	assert_true(a.r[0].smallest == 10 && a.r[1].smallest == 0 && a.r[1].largest == 7);
	for (i = 0; i < 9; i++)
		assert_true(tquic_ackrx_is_duplicate(&a, pns[i]));
	assert_false(tquic_ackrx_is_duplicate(&a, 8));
	assert_int_equal(tquic_ackrx_on_received(&a, 5, 100, true, TQUIC_ECN_NOT_ECT,
						 25000, false), -EALREADY);
}

static void test_old_ranges_forgotten(void **state)
{
	struct tquic_ackrx a;
	u64 pn;

	(void)state;
	tquic_ackrx_init(&a);
	/* every third packet: each is a range of its own */
	for (pn = 0; pn < 3 * (TQUIC_ACKRX_RANGES + 5); pn += 3)
		rx(&a, pn, pn);
	assert_int_equal(a.n, TQUIC_ACKRX_RANGES);
	/* the forgotten ones count as received: dropped if they come again */
	assert_true(tquic_ackrx_is_duplicate(&a, 1));
	assert_true(a.floor > 0);
	assert_false(tquic_ackrx_is_duplicate(&a, a.r[0].largest + 1));
	/* an old packet that arrives when no range is free is accepted once,
	 * and a replay of it is refused */
	pn = a.floor;	/* two below the oldest range kept: not adjacent */
	assert_true(pn + 2 == a.r[TQUIC_ACKRX_RANGES - 1].smallest);
	assert_false(tquic_ackrx_is_duplicate(&a, pn));
	rx(&a, pn, 1000);
	assert_int_equal(a.n, TQUIC_ACKRX_RANGES);
	assert_true(a.floor == pn + 1);
	assert_true(tquic_ackrx_is_duplicate(&a, pn));
}

static void test_when_ack_is_due(void **state)
{
	struct tquic_ackrx a;

	(void)state;
	tquic_ackrx_init(&a);
	/* one ack-eliciting packet: due after max_ack_delay */
	rx(&a, 0, 1000);
	assert_false(tquic_ackrx_due(&a, 1000));
	assert_true(tquic_ackrx_due(&a, 26000));
	/* a second one: due at once (RFC 9000 §13.2.2) */
	rx(&a, 1, 2000);
	assert_true(tquic_ackrx_due(&a, 2000));
	tquic_ackrx_on_ack_sent(&a);
	assert_false(tquic_ackrx_due(&a, 100000));
	/* non-eliciting packets never make an ACK due */
	assert_int_equal(tquic_ackrx_on_received(&a, 2, 3000, false,
						 TQUIC_ECN_NOT_ECT, 25000, false), 0);
	assert_false(tquic_ackrx_due(&a, 1000000));
	/* a gap: due at once (RFC 9000 §13.2.1) */
	rx(&a, 5, 4000);
	assert_true(tquic_ackrx_due(&a, 4000));
	tquic_ackrx_on_ack_sent(&a);
	/* Initial and Handshake: at once */
	assert_int_equal(tquic_ackrx_on_received(&a, 6, 5000, true,
						 TQUIC_ECN_NOT_ECT, 25000, true), 0);
	assert_true(tquic_ackrx_due(&a, 5000));
}

static void test_frame(void **state)
{
	struct tquic_ackrx a;
	struct tquic_frame f, g;
	struct tquic_ack_iter it;
	struct tquic_ack_range r;
	struct tquic_cur c;
	u8 ranges[64], buf[128];
	int n;

	(void)state;
	tquic_ackrx_init(&a);
	assert_int_equal(tquic_ackrx_frame(&a, 0, 3, false, 0, ranges,
					   sizeof(ranges), &f), -ENODATA);
	rx(&a, 0, 0);
	rx(&a, 1, 0);
	rx(&a, 9, 1000);
	assert_int_equal(tquic_ackrx_on_received(&a, 10, 2000, true, TQUIC_ECN_CE,
						 25000, false), 0);
	/* 16 ms after the largest arrived, exponent 3: delay field 2000 */
	assert_int_equal(tquic_ackrx_frame(&a, 18000, 3, true, 4, ranges,
					   sizeof(ranges), &f), 0);
	assert_true(f.type == TQUIC_FT_PATH_ACK_ECN);
	assert_true(f.ack.path_id == 4 && f.ack.largest == 10 && f.ack.delay == 2000);
	assert_true(f.ack.ce == 1);

	/* it encodes, decodes, and names exactly what arrived */
	n = tquic_frame_write(buf, sizeof(buf), &f);
	assert_true(n > 0);
	tquic_cur_init(&c, buf, (size_t)n);
	assert_int_equal(tquic_frame_read(&c, TQUIC_PKT_1RTT, TQUIC_FRAME_F_MULTIPATH, &g), 0);
	tquic_ack_iter_init(&it, &g.ack);
	assert_true(tquic_ack_iter_next(&it, &r) && r.smallest == 9 && r.largest == 10);
	assert_true(tquic_ack_iter_next(&it, &r) && r.smallest == 0 && r.largest == 1);
	assert_false(tquic_ack_iter_next(&it, &r));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ranges_merge_and_duplicates),
		cmocka_unit_test(test_old_ranges_forgotten),
		cmocka_unit_test(test_when_ack_is_due),
		cmocka_unit_test(test_frame),
	};

	return cmocka_run_group_tests_name("ackrx", tests, NULL, NULL);
}
