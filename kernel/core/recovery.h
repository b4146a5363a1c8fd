/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Loss detection for one packet-number space (RFC 9002 §6, Appendix A).
 * With multipath, every path has its own application-data space, its own
 * RTT estimate and congestion controller; Initial and Handshake have one
 * space each. Coordinating the spaces (which timer fires first, PTO probes)
 * is the connection's job; this file does one space.
 *
 * Sent packets live in a ring indexed by packet number that the caller
 * provides, so nothing here allocates.
 */
#ifndef _TQUIC_CORE_RECOVERY_H
#define _TQUIC_CORE_RECOVERY_H

#include <linux/types.h>

#include "cc.h"
#include "frame.h"
#include "rtt.h"

#define TQUIC_SENT_PRESENT	0x1	/* slot holds an unacknowledged packet */
#define TQUIC_SENT_ACK_ELICITING 0x2
#define TQUIC_SENT_IN_FLIGHT	0x4

/* RFC 9002 §6.1.1: kPacketThreshold */
#define TQUIC_PACKET_THRESHOLD	3
/* the most it grows to as reordering is seen (§6.1.1 allows adapting) */
#define TQUIC_PACKET_THRESHOLD_MAX	128
/* RFC 9002 §7.6.1: kPersistentCongestionThreshold */
#define TQUIC_PERSISTENT_CONGESTION_THRESHOLD 3

/**
 * struct tquic_sent_stream - the stream frames a 1-RTT packet carried
 *	(stream.c)
 * @id: its STREAM frame's stream ID + 1; 0: none
 * @off: that frame's offset
 * @msd: its MAX_STREAM_DATA frame's stream ID + 1; 0: none
 * @len: the STREAM frame's length
 * @fin: the STREAM frame carried the FIN
 * @max_data: it carried MAX_DATA
 * @max_streams: it carried MAX_STREAMS
 */
struct tquic_sent_stream {
	u64 id, off, msd;
	u32 len;
	u8 fin, max_data, max_streams;
};

/**
 * struct tquic_sent - one sent packet
 * @pn: packet number
 * @time: when it was sent
 * @size: bytes on the wire
 * @flags: TQUIC_SENT_*
 * @token: the caller's handle for what the packet carried, handed back
 *	when it is acknowledged or lost
 * @st: its stream frames (stream.c)
 */
struct tquic_sent {
	u64 pn;
	u64 time;
	u32 size;
	u32 flags;
	u64 token;
	struct tquic_sent_stream st;
};

/**
 * struct tquic_space - loss detection state of one packet-number space
 * @ring: sent packets, @cap entries (a power of two), slot pn & (@cap - 1)
 * @cap: ring size: at most this many packets unacknowledged at once
 * @base: every packet below this number is acknowledged or lost
 * @next: the next packet number to send
 * @largest_acked: largest packet number acknowledged, if @has_acked
 * @has_acked: an ACK was received in this space
 * @loss_time: when the oldest unacknowledged packet becomes lost by time
 *	threshold, 0 for none
 * @last_ack_eliciting: send time of the last ack-eliciting packet
 * @ack_eliciting_in_flight: number of such packets not acked or lost
 * @ecn_ce: largest ECN-CE count the peer reported
 * @first_rtt_sample: time of the first RTT sample in this space, 0 for none
 * @pkt_thresh: the packet reordering threshold in use: kPacketThreshold,
 *	raised past every reordering distance a spurious loss showed
 * @reo_extra: added to the time threshold's loss delay: how much later
 *	than it a spurious loss was acknowledged, at most one smoothed RTT
 * @lost_lo: the oldest packet declared lost whose record may still say so
 * @lost_hi: the newest, if @has_lost
 * @has_lost: some packet was declared lost
 * @spurious: packets declared lost and acknowledged afterwards
 */
struct tquic_space {
	struct tquic_sent *ring;
	u32 cap;
	u64 base;
	u64 next;
	u64 largest_acked;
	bool has_acked;
	u64 loss_time;
	u64 last_ack_eliciting;
	u32 ack_eliciting_in_flight;
	u64 ecn_ce;
	u64 first_rtt_sample;
	u32 pkt_thresh;
	u64 reo_extra;
	u64 lost_lo, lost_hi;
	bool has_lost;
	u64 spurious;
};

/**
 * struct tquic_rec_ops - what the caller is told
 * @acked: a packet was acknowledged
 * @lost: a packet was declared lost; what it carried may need sending again
 * @ctx: passed to both
 */
struct tquic_rec_ops {
	void (*acked)(void *ctx, const struct tquic_sent *p);
	void (*lost)(void *ctx, const struct tquic_sent *p);
	void *ctx;
};

/**
 * struct tquic_path_rec - the per-path state loss detection works with
 * @rtt: the path's RTT estimate
 * @cc: the path's congestion controller
 * @max_ack_delay: the peer's max_ack_delay in microseconds
 * @ack_delay_exponent: the peer's ack_delay_exponent
 * @handshake_confirmed: caps ack delay, adds max_ack_delay to PTO
 */
struct tquic_path_rec {
	struct tquic_rtt rtt;
	struct tquic_cc cc;
	u64 max_ack_delay;
	u64 ack_delay_exponent;
	bool handshake_confirmed;
};

int tquic_space_init(struct tquic_space *s, struct tquic_sent *ring, u32 cap);
struct tquic_sent *tquic_space_grow(struct tquic_space *s,
				    struct tquic_sent *ring, u32 cap);
s64 tquic_space_on_sent(struct tquic_space *s, struct tquic_path_rec *pr,
			u64 now, u32 size, bool ack_eliciting, bool in_flight,
			u64 token, const struct tquic_sent_stream *st);
int tquic_space_on_ack(struct tquic_space *s, struct tquic_path_rec *pr,
		       const struct tquic_frame_ack *ack, u64 now,
		       const struct tquic_rec_ops *ops);
void tquic_space_detect_lost(struct tquic_space *s, struct tquic_path_rec *pr,
			     u64 now, const struct tquic_rec_ops *ops);
void tquic_space_discard(struct tquic_space *s, struct tquic_path_rec *pr);
u64 tquic_space_pto_time(const struct tquic_space *s,
			 const struct tquic_path_rec *pr, bool with_ack_delay,
			 unsigned int pto_count, u64 fired);
bool tquic_space_make_room(struct tquic_space *s);
bool tquic_space_blocked(const struct tquic_space *s);

#endif /* _TQUIC_CORE_RECOVERY_H */
