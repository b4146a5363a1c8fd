// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Loss detection in one packet-number space (RFC 9002 §6, Appendix A):
 * acknowledgements, RTT samples, packet and time thresholds, congestion
 * events, persistent congestion, ECN-CE, acks of packets never sent, PTO.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <string.h>

#include "recovery.h"

struct log {
	u64 acked[64], lost[64];
	int nacked, nlost;
};

static void on_acked(void *ctx, const struct tquic_sent *p)
{
	struct log *l = ctx;

	l->acked[l->nacked++ & 63] = p->token;
}

static void on_lost(void *ctx, const struct tquic_sent *p)
{
	struct log *l = ctx;

	l->lost[l->nlost++ & 63] = p->token;
}

struct fixture {
	struct tquic_sent ring[64];
	struct tquic_space s;
	struct tquic_path_rec pr;
	struct log log;
	struct tquic_rec_ops ops;
	u8 ranges[128];
};

static void setup(struct fixture *f)
{
	memset(f, 0, sizeof(*f));
	assert_int_equal(tquic_space_init(&f->s, f->ring, 64), 0);
	tquic_rtt_init(&f->pr.rtt);
	tquic_cc_init(&f->pr.cc, 1200);
	f->pr.max_ack_delay = 25000;
	f->pr.ack_delay_exponent = 3;
	f->pr.handshake_confirmed = true;
	f->ops.acked = on_acked;
	f->ops.lost = on_lost;
	f->ops.ctx = &f->log;
}

/* send n ack-eliciting 1200-byte packets, @gap us apart from @t */
static void send(struct fixture *f, int n, u64 t, u64 gap)
{
	int i;

	for (i = 0; i < n; i++) {
		s64 pn = tquic_space_on_sent(&f->s, &f->pr, t + (u64)i * gap, 1200,
					     true, true, 1000 + f->s.next, NULL);
		assert_true(pn >= 0);
	}
}

static int ack(struct fixture *f, const struct tquic_ack_range *r, size_t n,
	       u64 delay, u64 now)
{
	struct tquic_frame_ack a = { 0 };

	assert_true(tquic_ack_ranges_write(f->ranges, sizeof(f->ranges), r, n, &a) >= 0);
	a.delay = delay;
	return tquic_space_on_ack(&f->s, &f->pr, &a, now, &f->ops);
}

static void test_ack_all_samples_rtt_and_grows_window(void **state)
{
	static const struct tquic_ack_range all[] = { { 0, 4 } };
	struct fixture f;

	(void)state;
	setup(&f);
	send(&f, 5, 0, 100);
	assert_true(f.pr.cc.in_flight == 6000);
	/* ack at 50 ms with ack delay 1000 * 2^3 us = 8 ms: first sample */
	assert_int_equal(ack(&f, all, 1, 1000, 50400), 0);
	assert_int_equal(f.log.nacked, 5);
	assert_int_equal(f.log.nlost, 0);
	assert_true(f.pr.rtt.latest == 50000);	/* sent at 400, acked at 50400 */
	assert_true(f.pr.cc.in_flight == 0);
	assert_true(f.pr.cc.cwnd == 12000 + 6000);	/* slow start */
	assert_true(f.s.base == 5 && f.s.ack_eliciting_in_flight == 0);
	/* an ACK of the same packets again changes nothing */
	assert_int_equal(ack(&f, all, 1, 0, 60000), 0);
	assert_int_equal(f.log.nacked, 5);
}

static void test_packet_threshold(void **state)
{
	/* 0..9 sent; 3..9 acked: 0 and 1 and 2 are 3+ behind 9... */
	static const struct tquic_ack_range r[] = { { 3, 9 } };
	struct fixture f;

	(void)state;
	setup(&f);
	send(&f, 10, 0, 10);
	assert_int_equal(ack(&f, r, 1, 0, 20000), 0);
	/* largest 9 >= pn + 3 for pn 0, 1, 2: all three lost */
	assert_int_equal(f.log.nlost, 3);
	assert_true(f.log.lost[0] == 1000 && f.log.lost[2] == 1002);
	assert_int_equal(f.log.nacked, 7);
	/* one congestion event: the window halves once */
	assert_true(f.pr.cc.cwnd == 6000);
	assert_true(f.pr.cc.in_flight == 0);
}

static void test_time_threshold_and_loss_timer(void **state)
{
	/* 0..2 sent; 1..2 acked: 0 is only 2 behind, lost by time later */
	static const struct tquic_ack_range r[] = { { 1, 2 } };
	struct fixture f;
	u64 t;

	(void)state;
	setup(&f);
	send(&f, 3, 0, 1000);
	assert_int_equal(ack(&f, r, 1, 0, 41000), 0);	/* rtt sample 39 ms */
	assert_int_equal(f.log.nlost, 0);
	/* loss delay 9/8 * 39 ms from packet 0's send time */
	t = f.s.loss_time;
	assert_true(t == 39000 + 39000 / 8);
	tquic_space_detect_lost(&f.s, &f.pr, t - 1, &f.ops);
	assert_int_equal(f.log.nlost, 0);
	tquic_space_detect_lost(&f.s, &f.pr, t, &f.ops);
	assert_int_equal(f.log.nlost, 1);
	assert_true(f.log.lost[0] == 1000);
	assert_true(f.s.loss_time == 0 && f.s.base == 3);
}

static void test_never_sent_is_protocol_violation(void **state)
{
	static const struct tquic_ack_range r[] = { { 0, 5 } };
	struct fixture f;

	(void)state;
	setup(&f);
	send(&f, 5, 0, 10);	/* 0..4 */
	assert_int_equal(ack(&f, r, 1, 0, 1000), -EPROTO);
	assert_int_equal(f.log.nacked, 0);
}

static void test_ecn_ce_is_congestion(void **state)
{
	static const struct tquic_ack_range r[] = { { 0, 1 } };
	struct tquic_frame_ack a = { 0 };
	struct fixture f;

	(void)state;
	setup(&f);
	send(&f, 2, 0, 10);
	tquic_ack_ranges_write(f.ranges, sizeof(f.ranges), r, 1, &a);
	a.ecn = true;
	a.ce = 1;
	assert_int_equal(tquic_space_on_ack(&f.s, &f.pr, &a, 30000, &f.ops), 0);
	assert_true(f.pr.cc.ssthresh == 6000);
	assert_int_equal(f.log.nlost, 0);
}

static void test_persistent_congestion(void **state)
{
	static const struct tquic_ack_range first[] = { { 0, 0 } };
	static const struct tquic_ack_range last[] = { { 30, 30 } };
	struct fixture f;

	(void)state;
	setup(&f);
	send(&f, 1, 0, 0);
	assert_int_equal(ack(&f, first, 1, 0, 10000), 0);	/* rtt 10 ms */
	/* PTO 10 + 4 * 5 + 25 = 55 ms; persistent congestion beyond 165 ms:
	 * 1..30 sent 10 ms apart (290 ms), all lost but the last acked */
	send(&f, 30, 20000, 10000);
	assert_int_equal(ack(&f, last, 1, 0, 320000), 0);
	assert_int_equal(f.log.nlost, 29);
	/* RFC 9002 A.7/B.8: the loss halves 13200 to ssthresh 6600, persistent
	 * congestion collapses the window to 2 * 1200 and ends recovery, then
	 * the acknowledged packet 30 (sent after that) grows it in slow start */
	assert_true(f.pr.cc.ssthresh == 6600);
	assert_true(f.pr.cc.cwnd == tquic_cc_min_window(&f.pr.cc) + 1200);

	/* the same losses over a shorter span are no persistent congestion */
	setup(&f);
	send(&f, 1, 0, 0);
	assert_int_equal(ack(&f, first, 1, 0, 10000), 0);
	send(&f, 30, 20000, 1000);	/* 29 ms between the first and last */
	assert_int_equal(ack(&f, last, 1, 0, 60000), 0);
	assert_true(f.pr.cc.cwnd > tquic_cc_min_window(&f.pr.cc) + 1200);
}

static void test_ring_full_and_discard(void **state)
{
	struct fixture f;
	int i;

	(void)state;
	setup(&f);
	for (i = 0; i < 64; i++)
		assert_true(tquic_space_on_sent(&f.s, &f.pr, 0, 100, true, true, 0, NULL) == i);
	assert_int_equal(tquic_space_on_sent(&f.s, &f.pr, 0, 100, true, true, 0, NULL),
			 -ENOBUFS);
	assert_true(f.pr.cc.in_flight == 6400);
	/* keys discarded: out of flight without being lost (RFC 9002 §6.4) */
	tquic_space_discard(&f.s, &f.pr);
	assert_true(f.pr.cc.in_flight == 0);
	assert_int_equal(f.log.nlost, 0);
	assert_true(tquic_space_on_sent(&f.s, &f.pr, 0, 100, true, true, 0, NULL) == 64);
}

static void test_pto_time(void **state)
{
	struct fixture f;

	(void)state;
	setup(&f);
	assert_true(tquic_space_pto_time(&f.s, &f.pr, true, 0, 0) == 0);
	send(&f, 1, 5000, 0);
	/* initial PTO 333 + 4 * 166.5 ms, doubled per count */
	assert_true(tquic_space_pto_time(&f.s, &f.pr, false, 0, 0) == 5000 + 999000);
	assert_true(tquic_space_pto_time(&f.s, &f.pr, false, 2, 0) == 5000 + 4 * 999000);
	assert_true(tquic_space_pto_time(&f.s, &f.pr, true, 0, 0) == 5000 + 999000 + 25000);
}

/*
 * RFC 9002 §6.1.1: packets declared lost by the packet threshold and
 * acknowledged afterwards were reordered: the threshold grows past the
 * distance seen, so the same reordering is no loss next time, and the
 * window reduction they alone caused is undone.
 */
static void test_spurious_loss_adapts(void **state)
{
	static const struct tquic_ack_range first[] = { { 0, 0 } };
	static const struct tquic_ack_range late[] = { { 5, 9 } };
	static const struct tquic_ack_range all[] = { { 0, 9 } };
	static const struct tquic_ack_range again[] = { { 16, 19 }, { 10, 10 } };
	struct fixture f;
	u64 cwnd;

	(void)state;
	setup(&f);
	send(&f, 10, 0, 10);
	assert_int_equal(ack(&f, first, 1, 0, 20000), 0);
	cwnd = f.pr.cc.cwnd;
	/* 1..4 overtaken by 5..9: lost by the packet threshold */
	assert_int_equal(ack(&f, late, 1, 0, 20100), 0);
	assert_int_equal(f.log.nlost, 4);
	assert_true(f.pr.cc.cwnd < cwnd);
	/* and there after all */
	assert_int_equal(ack(&f, all, 1, 0, 20200), 0);
	assert_int_equal(f.s.spurious, 4);
	assert_true(f.s.pkt_thresh > TQUIC_PACKET_THRESHOLD);
	assert_true(f.pr.cc.cwnd >= cwnd);
	assert_int_equal(f.pr.cc.undone, 1);
	/* the same reordering again: not a loss now */
	send(&f, 10, 30000, 10);
	assert_int_equal(ack(&f, again, 2, 0, 50000), 0);
	assert_int_equal(f.log.nlost, 4);
	/* a real loss still is one, by time (9/8 RTT), when the timer fires */
	assert_true(f.s.loss_time > 50000);
	tquic_space_detect_lost(&f.s, &f.pr, f.s.loss_time + 1000, &f.ops);
	assert_int_equal(f.log.nlost, 9);
	assert_int_equal(f.s.spurious, 4);
}

/* RFC 9002 §6.1.2: a packet declared lost by time and acknowledged later
 * lengthens the time threshold by how late it came */
static void test_spurious_time_loss(void **state)
{
	static const struct tquic_ack_range second[] = { { 1, 1 } };
	static const struct tquic_ack_range both[] = { { 0, 1 } };
	struct fixture f;

	(void)state;
	setup(&f);
	send(&f, 2, 0, 10);
	assert_int_equal(ack(&f, second, 1, 0, 20000), 0);
	assert_true(f.s.loss_time > 20000);
	tquic_space_detect_lost(&f.s, &f.pr, f.s.loss_time, &f.ops);
	assert_int_equal(f.log.nlost, 1);
	/* 0 was not lost, only later than 9/8 of the RTT (19.99 ms) */
	assert_int_equal(ack(&f, both, 1, 0, 30000), 0);
	assert_int_equal(f.s.spurious, 1);
	assert_int_equal(f.s.reo_extra, 30000 - 9 * 19990 / 8);
	/* never more than one smoothed RTT */
	send(&f, 2, 40000, 10);
	assert_true(f.s.reo_extra <= f.pr.rtt.smoothed);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ack_all_samples_rtt_and_grows_window),
		cmocka_unit_test(test_packet_threshold),
		cmocka_unit_test(test_time_threshold_and_loss_timer),
		cmocka_unit_test(test_never_sent_is_protocol_violation),
		cmocka_unit_test(test_ecn_ce_is_congestion),
		cmocka_unit_test(test_persistent_congestion),
		cmocka_unit_test(test_ring_full_and_discard),
		cmocka_unit_test(test_pto_time),
		cmocka_unit_test(test_spurious_loss_adapts),
		cmocka_unit_test(test_spurious_time_loss),
	};

	return cmocka_run_group_tests_name("recovery", tests, NULL, NULL);
}
