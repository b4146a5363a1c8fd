/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Congestion control, per path: NewReno as RFC 9002 §7 and Appendix B
 * describe it, in bytes, with a bound on the queue it builds: once a
 * round trip's smallest RTT sample is more than TQUIC_CC_QUEUE_TARGET above
 * the path's base RTT, the window stops growing and is scaled down to
 * what the target allows (as TCP Vegas and HyStart read delay). The base
 * RTT is the smallest sample of the last two TQUIC_CC_BASE_WINDOW periods;
 * at the start of each period one round trip runs at half the window, so
 * that the queue drains and the base stays true.
 */
#ifndef _TQUIC_CORE_CC_H
#define _TQUIC_CORE_CC_H

#include <linux/types.h>

/* queueing delay the window may build at the bottleneck, microseconds */
#define TQUIC_CC_QUEUE_TARGET	10000ULL
/* how long a base RTT sample counts, microseconds (twice this at most) */
#define TQUIC_CC_BASE_WINDOW	10000000ULL

/**
 * struct tquic_cc - one path's congestion controller
 * @mds: max_datagram_size of the path
 * @cwnd: congestion_window
 * @ssthresh: slow start threshold (U64_MAX until the first loss)
 * @in_flight: bytes_in_flight
 * @recovery_start: congestion_recovery_start_time, valid if @in_recovery_valid
 * @recovery_valid: a recovery period was ever entered
 * @ca_acked: bytes acknowledged in congestion avoidance not yet turned
 *	into window growth (RFC 9002 §7.3.3: one datagram per window acked)
 * @prior_cwnd: @cwnd before the current recovery period
 * @prior_ssthresh: @ssthresh before it
 * @episode_lost: packets the current recovery period counts as lost
 *	(all ones: it was an ECN mark, never undone)
 * @episode_spurious: of those, packets acknowledged after all
 * @undone: recovery periods undone as spurious
 * @base_cur: the smallest RTT sample of the current base period
 * @base_prev: of the one before
 * @base_start: when the current base period began (0: no sample yet)
 * @round_start: when the current round trip began: it ends with the
 *	acknowledgement of a packet sent after that
 * @round_min: the smallest RTT sample of this round trip (0: none)
 * @drain_cwnd: the window to return to after a draining round (0: none)
 * @queue_high: the last round's queueing delay was above the target
 * @delay_cuts: windows scaled down for queueing delay
 */
struct tquic_cc {
	u64 mds;
	u64 cwnd;
	u64 ssthresh;
	u64 in_flight;
	u64 recovery_start;
	bool recovery_valid;
	u64 ca_acked;
	u64 prior_cwnd, prior_ssthresh;
	u32 episode_lost, episode_spurious;
	u64 undone;
	u64 base_cur, base_prev, base_start;
	u64 round_start, round_min;
	u64 drain_cwnd;
	bool queue_high;
	u64 delay_cuts;
};

void tquic_cc_init(struct tquic_cc *cc, u64 max_datagram_size);
u64 tquic_cc_min_window(const struct tquic_cc *cc);
bool tquic_cc_can_send(const struct tquic_cc *cc, u64 bytes);
void tquic_cc_on_sent(struct tquic_cc *cc, u64 bytes);
void tquic_cc_on_acked(struct tquic_cc *cc, u64 bytes, u64 time_sent,
		       bool app_limited);
void tquic_cc_on_removed(struct tquic_cc *cc, u64 bytes);
void tquic_cc_on_congestion(struct tquic_cc *cc, u64 time_sent, u64 now);
void tquic_cc_on_persistent_congestion(struct tquic_cc *cc);
void tquic_cc_on_lost(struct tquic_cc *cc, u32 n);
void tquic_cc_on_ecn(struct tquic_cc *cc, u64 time_sent, u64 now);
void tquic_cc_on_spurious(struct tquic_cc *cc, u64 time_sent);
void tquic_cc_on_rtt(struct tquic_cc *cc, u64 rtt, u64 now);
void tquic_cc_on_ack_event(struct tquic_cc *cc, u64 largest_sent, u64 now);

#endif /* _TQUIC_CORE_CC_H */
