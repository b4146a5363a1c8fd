// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * NewReno congestion control (RFC 9002 §7, Appendix B).
 */

#include <linux/types.h>

#include "cc.h"

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
	if (app_limited || tquic_cc_in_recovery(cc, time_sent))
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
