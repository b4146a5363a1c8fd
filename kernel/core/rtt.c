// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Round-trip time estimation (RFC 9002 §5).
 */

#include <linux/types.h>

#include "rtt.h"

/**
 * tquic_rtt_init() - the estimate before any sample (RFC 9002 §5.3)
 * @r: estimate
 */
void tquic_rtt_init(struct tquic_rtt *r)
{
	r->latest = 0;
	r->min = 0;
	r->smoothed = TQUIC_INITIAL_RTT_US;
	r->var = TQUIC_INITIAL_RTT_US / 2;
	r->has_sample = false;
}

/**
 * tquic_rtt_sample() - take one RTT sample (RFC 9002 §5.1-5.3)
 * @r: estimate
 * @latest: time from sending the largest newly acknowledged packet (which
 *	was ack-eliciting) to receiving its acknowledgement
 * @ack_delay: the peer's ACK Delay, already scaled to microseconds
 * @max_ack_delay: the peer's max_ack_delay in microseconds
 * @handshake_confirmed: after confirmation the delay is capped at
 *	@max_ack_delay (RFC 9002 §5.3)
 */
void tquic_rtt_sample(struct tquic_rtt *r, u64 latest, u64 ack_delay,
		      u64 max_ack_delay, bool handshake_confirmed)
{
	u64 adjusted, diff;

	r->latest = latest;
	if (!r->has_sample) {
		/* RFC 9002 §5.3: the first sample sets everything */
		r->has_sample = true;
		r->min = latest;
		r->smoothed = latest;
		r->var = latest / 2;
		return;
	}
	/* RFC 9002 §5.2: min_rtt ignores ack delay */
	if (latest < r->min)
		r->min = latest;
	if (handshake_confirmed && ack_delay > max_ack_delay)
		ack_delay = max_ack_delay;
	/* RFC 9002 §5.3: subtract the delay only if min_rtt stays below */
	adjusted = latest;
	if (ack_delay <= latest && latest - ack_delay >= r->min)
		adjusted = latest - ack_delay;
	diff = r->smoothed > adjusted ? r->smoothed - adjusted :
					adjusted - r->smoothed;
	r->var = (3 * r->var + diff) / 4;
	r->smoothed = (7 * r->smoothed + adjusted) / 8;
}

/**
 * tquic_rtt_pto() - the probe timeout period (RFC 9002 §6.2.1)
 * @r: estimate
 * @max_ack_delay: the peer's max_ack_delay in microseconds
 * @with_ack_delay: add it (the application data space once the handshake
 *	is confirmed; never for Initial and Handshake)
 *
 * Return: smoothed_rtt + max(4 * rttvar, kGranularity) [+ max_ack_delay],
 * before any exponential backoff.
 */
u64 tquic_rtt_pto(const struct tquic_rtt *r, u64 max_ack_delay,
		  bool with_ack_delay)
{
	u64 v = 4 * r->var;

	if (v < TQUIC_GRANULARITY_US)
		v = TQUIC_GRANULARITY_US;
	return r->smoothed + v + (with_ack_delay ? max_ack_delay : 0);
}

/**
 * tquic_rtt_loss_delay() - time threshold for loss (RFC 9002 §6.1.2)
 * @r: estimate
 *
 * Return: 9/8 * max(smoothed_rtt, latest_rtt), at least kGranularity.
 */
u64 tquic_rtt_loss_delay(const struct tquic_rtt *r)
{
	u64 base = r->smoothed > r->latest ? r->smoothed : r->latest;
	u64 d = base + base / 8;

	return d < TQUIC_GRANULARITY_US ? TQUIC_GRANULARITY_US : d;
}
