/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Pacing (RFC 9002 §7.7): a token bucket filled at 5/4 * cwnd / smoothed_rtt,
 * holding the initial window or a millisecond at that rate, whichever is
 * more, so bursts stay that small.
 */
#ifndef _TQUIC_CORE_PACER_H
#define _TQUIC_CORE_PACER_H

#include <linux/types.h>

/**
 * struct tquic_pacer - one path's pacer
 * @tokens: bytes that may be sent now
 * @burst: fewest tokens a full bucket holds (the initial window)
 * @cap: most tokens held now (the burst)
 * @last: time @tokens was last brought up to date
 * @frac: a byte's fraction earned too, in 1/65536ths
 */
struct tquic_pacer {
	u64 tokens;
	u64 burst;
	u64 cap;
	u64 last;
	u64 frac;
};

void tquic_pacer_init(struct tquic_pacer *p, u64 burst, u64 now);
void tquic_pacer_refill(struct tquic_pacer *p, u64 now, u64 cwnd, u64 srtt);
bool tquic_pacer_can_send(const struct tquic_pacer *p, u64 bytes);
void tquic_pacer_on_sent(struct tquic_pacer *p, u64 bytes);
u64 tquic_pacer_next(const struct tquic_pacer *p, u64 now, u64 bytes,
		     u64 cwnd, u64 srtt);

#endif /* _TQUIC_CORE_PACER_H */
