// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * NewReno congestion control (RFC 9002 §7, Appendix B).
 */

#include <linux/string.h>
#include <linux/types.h>

#include "cc.h"

/* episode_lost of a recovery period an ECN mark began: never undone */
#define TQUIC_CC_EPISODE_ECN	0xffffffffU

/**
 * tquic_cc_min_window() - kMinimumWindow (RFC 9002 §7.2): 2 datagrams
 * @cc: controller
 */
u64 tquic_cc_min_window(const struct tquic_cc *cc)
{
	return 2 * cc->mds;
}

/**
 * tquic_cc_init() - a controller in slow start
 * @cc: controller
 * @max_datagram_size: the path's maximum datagram size
 */
void tquic_cc_init(struct tquic_cc *cc, u64 max_datagram_size)
{
	u64 w;

	memset(cc, 0, sizeof(*cc));
	cc->mds = max_datagram_size;
	/* RFC 9002 §7.2: min(10 * mds, max(14720, 2 * mds)) */
	w = 2 * max_datagram_size > 14720 ? 2 * max_datagram_size : 14720;
	cc->cwnd = 10 * max_datagram_size < w ? 10 * max_datagram_size : w;
	cc->ssthresh = ~0ULL;
	cc->in_flight = 0;
	cc->recovery_start = 0;
	cc->recovery_valid = false;
	cc->ca_acked = 0;
}

/**
 * tquic_cc_can_send() - room in the window for @bytes more in flight?
 * @cc: controller
 * @bytes: size of the packet to send
 */
bool tquic_cc_can_send(const struct tquic_cc *cc, u64 bytes)
{
	return cc->in_flight + bytes <= cc->cwnd;
}

/**
 * tquic_cc_on_sent() - an in-flight packet was sent (RFC 9002 B.4)
 * @cc: controller
 * @bytes: its size
 */
void tquic_cc_on_sent(struct tquic_cc *cc, u64 bytes)
{
	cc->in_flight += bytes;
}

static bool tquic_cc_in_recovery(const struct tquic_cc *cc, u64 time_sent)
{
	return cc->recovery_valid && time_sent <= cc->recovery_start;
}

/**
 * tquic_cc_on_removed() - an in-flight packet left the network without an
 *	acknowledgement: declared lost, or its keys were discarded
 * @cc: controller
 * @bytes: its size
 */
void tquic_cc_on_removed(struct tquic_cc *cc, u64 bytes)
{
	cc->in_flight = cc->in_flight > bytes ? cc->in_flight - bytes : 0;
}

/**
 * tquic_cc_on_acked() - an in-flight packet was acknowledged (RFC 9002 B.5)
 * @cc: controller
 * @bytes: its size
 * @time_sent: when it was sent
 * @app_limited: the sender did not fill the window (RFC 9002 §7.8): the
 *	window does not grow
 */
void tquic_cc_on_acked(struct tquic_cc *cc, u64 bytes, u64 time_sent,
		       bool app_limited)
{
	tquic_cc_on_removed(cc, bytes);
	/* RFC 9002 §7.3.2: no increase for packets sent before recovery */
	if (app_limited || tquic_cc_in_recovery(cc, time_sent) ||
	    cc->queue_high || cc->drain_cwnd)
		return;
	if (cc->cwnd < cc->ssthresh) {
		/* RFC 9002 §7.3.1: slow start, by the bytes acknowledged */
		cc->cwnd += bytes;
		return;
	}
	/* RFC 9002 §7.3.3: congestion avoidance, one mds per cwnd acked */
	cc->ca_acked += bytes;
	if (cc->ca_acked >= cc->cwnd) {
		cc->ca_acked -= cc->cwnd;
		cc->cwnd += cc->mds;
	}
}

/**
 * tquic_cc_on_congestion() - a loss or an ECN-CE mark (RFC 9002 B.6)
 * @cc: controller
 * @time_sent: when the lost (or CE-marked) packet was sent
 * @now: current time
 *
 * One reduction per round trip: packets sent before the current recovery
 * period began do not reduce the window again.
 */
void tquic_cc_on_congestion(struct tquic_cc *cc, u64 time_sent, u64 now)
{
	if (tquic_cc_in_recovery(cc, time_sent))
		return;
	cc->recovery_start = now;
	cc->recovery_valid = true;
	cc->prior_cwnd = cc->cwnd;
	cc->prior_ssthresh = cc->ssthresh;
	cc->episode_lost = 0;
	cc->episode_spurious = 0;
	/* RFC 9002 §7.3.2: kLossReductionFactor 0.5 */
	cc->ssthresh = cc->cwnd / 2;
	cc->cwnd = cc->ssthresh > tquic_cc_min_window(cc) ? cc->ssthresh :
			tquic_cc_min_window(cc);
	cc->ca_acked = 0;
}

/**
 * tquic_cc_on_persistent_congestion() - RFC 9002 §7.6.2
 * @cc: controller
 *
 * The window collapses to kMinimumWindow and recovery ends.
 */
void tquic_cc_on_persistent_congestion(struct tquic_cc *cc)
{
	cc->cwnd = tquic_cc_min_window(cc);
	cc->recovery_valid = false;
	cc->ca_acked = 0;
}

/**
 * tquic_cc_on_lost() - @n in-flight packets were declared lost
 * @cc: controller, after tquic_cc_on_congestion() for them
 * @n: how many
 */
void tquic_cc_on_lost(struct tquic_cc *cc, u32 n)
{
	if (cc->episode_lost != TQUIC_CC_EPISODE_ECN)
		cc->episode_lost += n;
}

/**
 * tquic_cc_on_ecn() - an ECN-CE mark (RFC 9002 B.7): a congestion event
 *	that is never undone
 * @cc: controller
 * @time_sent: when the marked packet was sent
 * @now: current time
 */
void tquic_cc_on_ecn(struct tquic_cc *cc, u64 time_sent, u64 now)
{
	tquic_cc_on_congestion(cc, time_sent, now);
	cc->episode_lost = TQUIC_CC_EPISODE_ECN;
}

/**
 * tquic_cc_on_spurious() - a packet declared lost was acknowledged after all
 * @cc: controller
 * @time_sent: when it was sent
 *
 * It was reordered, not lost (RFC 9002 §6.1.1 leaves room for adapting to
 * that). When every loss that started the current recovery period turns
 * out so, the window comes back to what it was, as Linux TCP undoes a
 * reduction that DSACKs show was needless.
 */
void tquic_cc_on_spurious(struct tquic_cc *cc, u64 time_sent)
{
	if (!tquic_cc_in_recovery(cc, time_sent) ||
	    cc->episode_lost == TQUIC_CC_EPISODE_ECN || !cc->episode_lost)
		return;
	if (++cc->episode_spurious < cc->episode_lost)
		return;
	if (cc->cwnd < cc->prior_cwnd)
		cc->cwnd = cc->prior_cwnd;
	cc->ssthresh = cc->prior_ssthresh;
	cc->episode_lost = 0;
	cc->undone++;
}

/**
 * tquic_cc_on_rtt() - an RTT sample of the path (RFC 9002 §5.1)
 * @cc: controller
 * @rtt: latest_rtt, microseconds
 * @now: current time
 */
void tquic_cc_on_rtt(struct tquic_cc *cc, u64 rtt, u64 now)
{
	if (!rtt)
		return;
	if (!cc->base_start) {
		cc->base_start = now ? now : 1;
		cc->base_cur = rtt;
		cc->base_prev = rtt;
		cc->round_start = now;
	}
	if (rtt < cc->base_cur)
		cc->base_cur = rtt;
	if (!cc->round_min || rtt < cc->round_min)
		cc->round_min = rtt;
}

/* a round trip ended: read its queueing delay */
static void tquic_cc_round(struct tquic_cc *cc, u64 now)
{
	u64 base = cc->base_cur < cc->base_prev ? cc->base_cur : cc->base_prev;
	u64 m = cc->round_min, w;

	cc->round_start = now;
	cc->round_min = 0;
	if (cc->drain_cwnd) {
		/* drained: back to the window from before */
		if (cc->cwnd < cc->drain_cwnd)
			cc->cwnd = cc->drain_cwnd;
		cc->drain_cwnd = 0;
		return;
	}
	if (now - cc->base_start >= TQUIC_CC_BASE_WINDOW) {
		cc->base_prev = cc->base_cur;
		cc->base_cur = m ? m : cc->base_prev;
		cc->base_start = now;
		/* one round at half the window lets the queue empty */
		cc->drain_cwnd = cc->cwnd;
		cc->cwnd = cc->cwnd / 2 > tquic_cc_min_window(cc) ?
			   cc->cwnd / 2 : tquic_cc_min_window(cc);
		return;
	}
	if (!m || !base)
		return;
	cc->queue_high = m > base + TQUIC_CC_QUEUE_TARGET;
	if (!cc->queue_high)
		return;
	/* the window whose round trip would take base + target */
	w = cc->cwnd * (base + TQUIC_CC_QUEUE_TARGET) / m;
	cc->cwnd = w > tquic_cc_min_window(cc) ? w : tquic_cc_min_window(cc);
	/* and slow start is over */
	if (cc->ssthresh > cc->cwnd)
		cc->ssthresh = cc->cwnd;
	cc->ca_acked = 0;
	cc->delay_cuts++;
}

/**
 * tquic_cc_on_ack_event() - an ACK was processed
 * @cc: controller
 * @largest_sent: when the newest packet it acknowledged was sent
 * @now: current time
 *
 * Once per round trip, the queueing delay the round's samples show
 * bounds the window (see cc.h).
 */
void tquic_cc_on_ack_event(struct tquic_cc *cc, u64 largest_sent, u64 now)
{
	if (cc->base_start && largest_sent >= cc->round_start)
		tquic_cc_round(cc, now);
}
