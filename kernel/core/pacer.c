// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Pacing (RFC 9002 §7.7).
 */

#include <linux/types.h>

#include "pacer.h"

/**
 * tquic_pacer_init() - a full bucket
 * @p: pacer
 * @burst: most bytes sent back to back (RFC 9002 §7.7: the initial window)
 * @now: current time in microseconds
 */
void tquic_pacer_init(struct tquic_pacer *p, u64 burst, u64 now)
{
	p->tokens = burst;
	p->cap = burst;
	p->last = now;
}

/* bytes the rate 5/4 * cwnd / srtt allows in @dt microseconds */
static u64 tquic_pacer_bytes(u64 dt, u64 cwnd, u64 srtt)
{
	if (!srtt)
		return ~0ULL;
	/* dt is capped by the caller's bucket: avoid overflow all the same */
	if (dt > srtt * 4)
		dt = srtt * 4;
	return 5 * cwnd / 4 * dt / srtt;
}

/**
 * tquic_pacer_refill() - add the tokens earned since the last refill
 * @p: pacer
 * @now: current time
 * @cwnd: the path's congestion window
 * @srtt: the path's smoothed RTT
 */
void tquic_pacer_refill(struct tquic_pacer *p, u64 now, u64 cwnd, u64 srtt)
{
	u64 add, rate = 5 * cwnd / 4;

	if (now <= p->last)
		return;
	add = tquic_pacer_bytes(now - p->last, cwnd, srtt);
	if (add >= p->cap - p->tokens || !rate) {
		p->tokens = p->cap;
		p->last = now;
		return;
	}
	/* the time the bytes took: what is left of a byte counts next time */
	p->tokens += add;
	p->last += add * srtt / rate;
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
