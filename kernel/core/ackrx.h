/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * What one packet-number space received, and when to acknowledge it
 * (RFC 9000 §13.2): duplicate detection, ACK ranges, ACK frequency,
 * ECN counts, and the ACK or PATH_ACK frame that reports them.
 */
#ifndef _TQUIC_CORE_ACKRX_H
#define _TQUIC_CORE_ACKRX_H

#include <linux/types.h>

#include "frame.h"

/* ranges kept; older ones are forgotten (and reported no more) */
#define TQUIC_ACKRX_RANGES	32
/* room for every Gap and ACK Range Length pair of those ranges */
#define TQUIC_ACK_RANGES_BUF	(TQUIC_ACKRX_RANGES * 16)
/*
 * An ACK frame's fields other than its ranges at their largest: type (up
 * to 4 bytes), Path ID, Largest Acknowledged, ACK Delay, ACK Range Count,
 * First ACK Range and three ECN counts (8 each)
 */
#define TQUIC_ACK_FIXED_MAX	(4 + 8 * 8)

/* RFC 9000 §13.2.2: acknowledge at least every second ack-eliciting packet */
#define TQUIC_ACK_ELICITING_THRESHOLD 2

/**
 * struct tquic_ackrx - received packet numbers of one space
 * @r: ranges, largest first, disjoint and not adjacent
 * @n: ranges in use
 * @floor: packet numbers below this are treated as already received (their
 *	ranges were forgotten)
 * @largest_time: when the largest packet number was received
 * @pending: ack-eliciting packets received since the last ACK was sent
 * @immediate: an ACK should go out now
 * @deadline: when an ACK must go out at the latest, if @pending
 * @ect0: ECT(0) marked packets received
 * @ect1: ECT(1) marked packets received
 * @ce: ECN-CE marked packets received
 */
struct tquic_ackrx {
	struct tquic_ack_range r[TQUIC_ACKRX_RANGES];
	u32 n;
	u64 floor;
	u64 largest_time;
	u32 pending;
	bool immediate;
	u64 deadline;
	u64 ect0, ect1, ce;
};

enum tquic_ecn {
	TQUIC_ECN_NOT_ECT = 0,
	TQUIC_ECN_ECT1 = 1,
	TQUIC_ECN_ECT0 = 2,
	TQUIC_ECN_CE = 3,
};

void tquic_ackrx_init(struct tquic_ackrx *a);
bool tquic_ackrx_is_duplicate(const struct tquic_ackrx *a, u64 pn);
int tquic_ackrx_on_received(struct tquic_ackrx *a, u64 pn, u64 now,
			    bool ack_eliciting, enum tquic_ecn ecn,
			    u64 max_ack_delay, bool immediate_space);
bool tquic_ackrx_due(const struct tquic_ackrx *a, u64 now);
int tquic_ackrx_frame(struct tquic_ackrx *a, u64 now, u64 ack_delay_exponent,
		      bool path_ack, u64 path_id, u8 *ranges, size_t ranges_len,
		      struct tquic_frame *f);
void tquic_ackrx_on_ack_sent(struct tquic_ackrx *a);

#endif /* _TQUIC_CORE_ACKRX_H */
