/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Congestion control, per path: NewReno as RFC 9002 §7 and Appendix B
 * describe it, in bytes.
 */
#ifndef _TQUIC_CORE_CC_H
#define _TQUIC_CORE_CC_H

#include <linux/types.h>

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
 */
struct tquic_cc {
	u64 mds;
	u64 cwnd;
	u64 ssthresh;
	u64 in_flight;
	u64 recovery_start;
	bool recovery_valid;
	u64 ca_acked;
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

#endif /* _TQUIC_CORE_CC_H */
