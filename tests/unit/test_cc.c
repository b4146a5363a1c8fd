// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * RFC 9002 arithmetic: RTT estimation (§5), NewReno (§7, Appendix B),
 * pacing (§7.7). Numbers are worked by hand from the RFC's formulas.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "cc.h"
#include "pacer.h"
#include "rtt.h"

static void test_rtt_first_and_later_samples(void **state)
{
	struct tquic_rtt r;

	(void)state;
	tquic_rtt_init(&r);
	assert_true(r.smoothed == 333000 && r.var == 166500);
	/* PTO before any sample: 333 + 4 * 166.5 ms (§6.2.2) */
	assert_true(tquic_rtt_pto(&r, 25000, false) == 999000);

	/* §5.3 first sample: smoothed = latest, var = latest / 2 */
	tquic_rtt_sample(&r, 100000, 5000, 25000, true);
	assert_true(r.min == 100000 && r.smoothed == 100000 && r.var == 50000);

	/* second sample 120 ms with 10 ms ack delay: adjusted 110 ms */
	tquic_rtt_sample(&r, 120000, 10000, 25000, true);
	assert_true(r.min == 100000);
	assert_true(r.var == (3 * 50000 + 10000) / 4);
	assert_true(r.smoothed == (7 * 100000 + 110000) / 8);

	/* an ack delay that would take the sample below min_rtt is ignored */
	tquic_rtt_sample(&r, 105000, 20000, 25000, true);
	assert_true(r.smoothed == (7 * 101250 + 105000) / 8);

	/* after confirmation the ack delay is capped at max_ack_delay */
	tquic_rtt_init(&r);
	tquic_rtt_sample(&r, 100000, 0, 25000, true);
	tquic_rtt_sample(&r, 200000, 90000, 25000, true);
	assert_true(r.smoothed == (7 * 100000 + 175000) / 8);
	/* min_rtt takes the sample whole, without the ack delay */
	tquic_rtt_sample(&r, 50000, 40000, 25000, true);
	assert_true(r.min == 50000);
}

static void test_rtt_pto_and_loss_delay(void **state)
{
	struct tquic_rtt r;

	(void)state;
	tquic_rtt_init(&r);
	tquic_rtt_sample(&r, 40000, 0, 25000, false);
	/* §6.2.1: srtt + max(4 * rttvar, granularity) + max_ack_delay */
	assert_true(tquic_rtt_pto(&r, 25000, true) == 40000 + 80000 + 25000);
	assert_true(tquic_rtt_pto(&r, 25000, false) == 40000 + 80000);
	/* §6.1.2: 9/8 of max(srtt, latest) */
	assert_true(tquic_rtt_loss_delay(&r) == 45000);
	/* never below kGranularity */
	tquic_rtt_init(&r);
	tquic_rtt_sample(&r, 200, 0, 0, false);
	assert_true(tquic_rtt_loss_delay(&r) == 1000);
	assert_true(tquic_rtt_pto(&r, 0, false) == 200 + 1000);
}

static void test_cc_initial_window(void **state)
{
	struct tquic_cc cc;

	(void)state;
	tquic_cc_init(&cc, 1200);
	assert_true(cc.cwnd == 12000);		/* 10 * 1200 < 14720 */
	tquic_cc_init(&cc, 1472);
	assert_true(cc.cwnd == 14720);		/* max(14720, 2944) */
	tquic_cc_init(&cc, 9000);
	assert_true(cc.cwnd == 18000);		/* 2 * 9000 > 14720 */
	assert_true(tquic_cc_min_window(&cc) == 18000);
}

static void test_cc_slow_start_recovery_avoidance(void **state)
{
	struct tquic_cc cc;
	int i;

	(void)state;
	tquic_cc_init(&cc, 1000);
	assert_true(cc.cwnd == 10000);
	for (i = 0; i < 10; i++)
		tquic_cc_on_sent(&cc, 1000);
	assert_false(tquic_cc_can_send(&cc, 1000));
	/* slow start: each acked byte adds a byte */
	for (i = 0; i < 10; i++)
		tquic_cc_on_acked(&cc, 1000, 100, false);
	assert_true(cc.cwnd == 20000 && cc.in_flight == 0);

	/* a loss of a packet sent at t=200, noticed at t=300 */
	tquic_cc_on_sent(&cc, 1000);
	tquic_cc_on_removed(&cc, 1000);
	tquic_cc_on_congestion(&cc, 200, 300);
	assert_true(cc.ssthresh == 10000 && cc.cwnd == 10000);
	/* another loss of a packet sent before recovery began: no change */
	tquic_cc_on_congestion(&cc, 250, 310);
	assert_true(cc.cwnd == 10000);
	/* acks of packets sent before recovery began do not grow it */
	tquic_cc_on_sent(&cc, 1000);
	tquic_cc_on_acked(&cc, 1000, 299, false);
	assert_true(cc.cwnd == 10000);

	/* congestion avoidance: one datagram per window of acked bytes */
	for (i = 0; i < 9; i++) {
		tquic_cc_on_sent(&cc, 1000);
		tquic_cc_on_acked(&cc, 1000, 400, false);
	}
	assert_true(cc.cwnd == 10000);
	tquic_cc_on_sent(&cc, 1000);
	tquic_cc_on_acked(&cc, 1000, 400, false);
	assert_true(cc.cwnd == 11000);

	/* app-limited acks do not grow the window */
	tquic_cc_on_sent(&cc, 1000);
	tquic_cc_on_acked(&cc, 1000, 500, true);
	assert_true(cc.cwnd == 11000);

	/* a later loss halves again, never below the minimum window */
	tquic_cc_on_congestion(&cc, 600, 700);
	assert_true(cc.cwnd == 5500);
	tquic_cc_on_congestion(&cc, 800, 900);
	tquic_cc_on_congestion(&cc, 1000, 1100);
	assert_true(cc.cwnd == 2000);

	/* persistent congestion: minimum window, recovery over */
	tquic_cc_init(&cc, 1000);
	tquic_cc_on_persistent_congestion(&cc);
	assert_true(cc.cwnd == 2000 && !cc.recovery_valid);
}

static void test_pacer(void **state)
{
	struct tquic_pacer p;
	u64 t;

	(void)state;
	/* burst of 10 packets, then 5/4 * cwnd per srtt */
	tquic_pacer_init(&p, 12000, 0);
	assert_true(tquic_pacer_can_send(&p, 12000));
	tquic_pacer_on_sent(&p, 12000);
	assert_false(tquic_pacer_can_send(&p, 1200));
	/* cwnd 96000 bytes, srtt 80 ms: 1.5 bytes/us; 1200 bytes in 800 us */
	t = tquic_pacer_next(&p, 0, 1200, 96000, 80000);
	assert_true(t == 800);
	tquic_pacer_refill(&p, 799, 96000, 80000);
	assert_false(tquic_pacer_can_send(&p, 1200));
	tquic_pacer_init(&p, 12000, 0);
	tquic_pacer_on_sent(&p, 12000);
	tquic_pacer_refill(&p, 800, 96000, 80000);
	assert_true(tquic_pacer_can_send(&p, 1200));
	/* an idle path gets its burst back, no more */
	tquic_pacer_refill(&p, 10000000, 96000, 80000);
	assert_true(p.tokens == 12000);
	/* refills every microsecond earn what one refill would: cwnd 12000,
	 * srtt 20 ms is 0.75 bytes/us, less than a byte each time */
	tquic_pacer_on_sent(&p, 12000);
	for (t = 10000001; t <= 10002000; t++)
		tquic_pacer_refill(&p, t, 12000, 20000);
	assert_true(p.tokens == 1500);
}

/* at a high rate a burst carries a millisecond of it, not only the IW */
static void test_pacer_burst_scales(void **state)
{
	struct tquic_pacer p;

	(void)state;
	tquic_pacer_init(&p, 12000, 0);
	tquic_pacer_on_sent(&p, 12000);
	/* cwnd 400000, srtt 4 ms: 125 bytes/us, 125000 bytes per ms */
	tquic_pacer_refill(&p, 10000, 400000, 4000);
	assert_true(p.cap == 125000);
	assert_true(p.tokens == 125000);
	/* the rate falls (srtt 80 ms): the burst is the initial window again */
	tquic_pacer_refill(&p, 10001, 400000, 80000);
	assert_true(p.cap == 12000);
	assert_true(p.tokens == 12000);
}

/* one round trip: @bytes sent at *t, acknowledged @rtt later */
static void cc_round(struct tquic_cc *cc, u64 *t, u64 bytes, u64 rtt)
{
	u64 sent = *t;

	tquic_cc_on_sent(cc, bytes);
	*t += rtt;
	tquic_cc_on_rtt(cc, rtt, *t);
	tquic_cc_on_acked(cc, bytes, sent, false);
	tquic_cc_on_ack_event(cc, sent, *t);
}

/*
 * The queue the window builds is bounded: a round trip whose best RTT is
 * 20 ms above the base scales the window to base + 10 ms and stops its
 * growth until the delay is back under the target; every 10 s one round
 * at half the window lets the queue empty.
 */
static void test_cc_queue_delay_bound(void **state)
{
	struct tquic_cc cc;
	u64 t = 1000000, cw;
	int i;

	(void)state;
	tquic_cc_init(&cc, 1200);
	tquic_cc_on_rtt(&cc, 20000, t);
	for (i = 0; i < 3; i++)
		cc_round(&cc, &t, 6000, 20000);
	assert_true(cc.cwnd > 12000 + 3 * 6000 - 1);	/* slow start */
	assert_false(cc.queue_high);
	cw = cc.cwnd;
	cc_round(&cc, &t, 6000, 40000);
	assert_true(cc.queue_high);
	assert_int_equal(cc.delay_cuts, 1);
	/* grown by the 6000 acknowledged, then scaled to 30 of 40 ms */
	assert_int_equal(cc.cwnd, (cw + 6000) * 30000 / 40000);
	assert_true(cc.ssthresh == cc.cwnd);
	cw = cc.cwnd;
	/* within the target (28 ms): no cut, and growth again */
	cc_round(&cc, &t, 6000, 28000);
	assert_false(cc.queue_high);
	assert_int_equal(cc.cwnd, cw);
	cc_round(&cc, &t, cc.cwnd, 21000);
	assert_true(cc.cwnd > cw);
	/* ten seconds on: one round at half the window, then back */
	t += TQUIC_CC_BASE_WINDOW;
	cw = cc.cwnd;
	cc_round(&cc, &t, 1200, 20000);
	assert_int_equal(cc.cwnd, cw / 2);
	cc_round(&cc, &t, 1200, 20000);
	assert_true(cc.cwnd >= cw);
	/* a path whose RTT grew for good is the new base within 20 s */
	for (i = 0; i < 300 && cc.delay_cuts < 10; i++)
		cc_round(&cc, &t, 1200, 80000);
	for (i = 0; i < 2; i++) {
		t += TQUIC_CC_BASE_WINDOW;
		cc_round(&cc, &t, 1200, 80000);	/* draining */
		cc_round(&cc, &t, 1200, 80000);
	}
	cw = cc.delay_cuts;
	cc_round(&cc, &t, 1200, 80000);
	cc_round(&cc, &t, 1200, 80000);
	assert_int_equal(cc.delay_cuts, cw);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rtt_first_and_later_samples),
		cmocka_unit_test(test_rtt_pto_and_loss_delay),
		cmocka_unit_test(test_cc_initial_window),
		cmocka_unit_test(test_cc_slow_start_recovery_avoidance),
		cmocka_unit_test(test_pacer),
		cmocka_unit_test(test_pacer_burst_scales),
		cmocka_unit_test(test_cc_queue_delay_bound),
	};

	return cmocka_run_group_tests_name("cc", tests, NULL, NULL);
}
