/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Round-trip time estimation (RFC 9002 §5), one per path. Times are in
 * microseconds from an injected clock.
 */
#ifndef _TQUIC_CORE_RTT_H
#define _TQUIC_CORE_RTT_H

#include <linux/types.h>

/* RFC 9002 §6.2.2: kInitialRtt */
#define TQUIC_INITIAL_RTT_US	333000ULL
/* RFC 9002 §6.1.2: kGranularity */
#define TQUIC_GRANULARITY_US	1000ULL

/**
 * struct tquic_rtt - a path's RTT estimate
 * @latest: latest_rtt
 * @min: min_rtt
 * @smoothed: smoothed_rtt
 * @var: rttvar
 * @has_sample: a first sample was taken
 */
struct tquic_rtt {
	u64 latest;
	u64 min;
	u64 smoothed;
	u64 var;
	bool has_sample;
};

void tquic_rtt_init(struct tquic_rtt *r);
void tquic_rtt_sample(struct tquic_rtt *r, u64 latest, u64 ack_delay,
		      u64 max_ack_delay, bool handshake_confirmed);
u64 tquic_rtt_pto(const struct tquic_rtt *r, u64 max_ack_delay,
		  bool with_ack_delay);
u64 tquic_rtt_loss_delay(const struct tquic_rtt *r);

#endif /* _TQUIC_CORE_RTT_H */
