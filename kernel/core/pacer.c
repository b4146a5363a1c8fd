// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Pacing (RFC 9002 §7.7).
 */

#include <linux/types.h>

#include "pacer.h"

/**
 * tquic_pacer_init() - a full bucket
 * @p: pacer
 * @burst: fewest bytes a burst may hold (RFC 9002 §7.7: the initial window)
 * @now: current time in microseconds
 */
void tquic_pacer_init(struct tquic_pacer *p, u64 burst, u64 now)
{
	p->tokens = burst;
	p->burst = burst;
	p->cap = burst;
	p->last = now;
	p->frac = 0;
}

/* fractions of a byte are kept in 1/65536ths */
#define TQUIC_PACER_FRAC_BITS	16
/*
 * A burst may carry this long at the pacing rate when that is more than
 * the initial window: what Linux TCP sends back to back while paced
 * (tcp_tso_autosize(), sk_pacing_shift 10). RFC 9002 §7.7 allows a larger
 * burst where the path takes it; each burst is one wakeup of the sender,
 * and at hundreds of Mbit/s a timer per ten packets costs more than the
 * burst does to a queue.
 */
#define TQUIC_PACER_BURST_US	1000

/**
 * tquic_pacer_refill() - add the tokens earned since the last refill
 * @p: pacer
 * @now: current time
 * @cwnd: the path's congestion window
 * @srtt: the path's smoothed RTT
 */
void tquic_pacer_refill(struct tquic_pacer *p, u64 now, u64 cwnd, u64 srtt)
{
	u64 dt, per_srtt, per_us, earned;

	if (now <= p->last)
		return;
	dt = now - p->last;
	p->last = now;
	/* RFC 9002 §7.7: 5/4 * cwnd per smoothed RTT */
	per_srtt = 5 * cwnd / 4;
	if (srtt) {
		u64 ms = per_srtt * TQUIC_PACER_BURST_US / srtt;

		p->cap = ms > p->burst ? ms : p->burst;
	}
	/* no RTT yet, or long enough idle: the whole burst */
	if (!srtt || dt >= 4 * srtt) {
		p->tokens = p->cap;
		p->frac = 0;
		return;
	}
	if (p->tokens > p->cap)
		p->tokens = p->cap;
	per_us = (per_srtt << TQUIC_PACER_FRAC_BITS) / srtt;
	earned = per_us * dt + p->frac;
	p->frac = earned & ((1ULL << TQUIC_PACER_FRAC_BITS) - 1);
	earned >>= TQUIC_PACER_FRAC_BITS;
	if (earned >= p->cap - p->tokens) {
		p->tokens = p->cap;
		p->frac = 0;
	} else {
		p->tokens += earned;
	}
}

/**
 * tquic_pacer_can_send() - may a packet of @bytes go now?
 * @p: pacer, refilled
 * @bytes: packet size
 */
bool tquic_pacer_can_send(const struct tquic_pacer *p, u64 bytes)
{
	return p->tokens >= bytes;
}

/**
 * tquic_pacer_on_sent() - spend the tokens of a sent packet
 * @p: pacer
 * @bytes: packet size
 */
void tquic_pacer_on_sent(struct tquic_pacer *p, u64 bytes)
{
	p->tokens = p->tokens > bytes ? p->tokens - bytes : 0;
}

/**
 * tquic_pacer_next() - when a packet of @bytes may go
 * @p: pacer, refilled at @now
 * @now: current time
 * @bytes: packet size
 * @cwnd: congestion window
 * @srtt: smoothed RTT
 *
 * Return: @now if it may go now, else the time the bucket holds @bytes.
 */
u64 tquic_pacer_next(const struct tquic_pacer *p, u64 now, u64 bytes,
		     u64 cwnd, u64 srtt)
{
	u64 need, rate_num;

	if (p->tokens >= bytes)
		return now;
	need = bytes - p->tokens;
	rate_num = 5 * cwnd / 4;	/* bytes per srtt */
	if (!rate_num)
		return now + srtt;
	/* round up so that the bucket holds enough at that time */
	return now + (need * srtt + rate_num - 1) / rate_num;
}
