/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * DATAGRAM frames (RFC 9221): how the inner packets of UDP and other
 * non-TCP flows cross the connection. The owner keeps the queue of what
 * waits to be sent (struct tquic_dgram_ops); the connection pulls from it
 * when a 1-RTT packet is built and the congestion controller and pacer
 * allow, and hands every DATAGRAM frame it receives to the owner.
 */
#ifndef _TQUIC_CORE_DATAGRAM_H
#define _TQUIC_CORE_DATAGRAM_H

#include <linux/types.h>

/* the max_datagram_frame_size we advertise (RFC 9221 §3) */
#define TQUIC_DGRAM_FRAME_MAX	65535
/* a DATAGRAM frame's own bytes: type 0x31 and a two-byte length */
#define TQUIC_DGRAM_FRAME_HDR	3

/**
 * struct tquic_dgram_ops - the owner's datagram queue
 * @pending: whether a datagram waits to be sent
 * @pull: copy the next waiting datagram to @buf if it takes at most @room
 *	bytes and drop it from the queue; its length, or 0 when none waits
 *	or the next one does not fit (it waits for the next packet)
 * @recv: a datagram arrived; @data lives only during the call
 * @ctx: passed to each
 *
 * Called with the connection's state locked, in whatever context the
 * connection is driven from (softirq in the kernel): none may sleep.
 */
struct tquic_dgram_ops {
	bool (*pending)(void *ctx);
	size_t (*pull)(void *ctx, u8 *buf, size_t room);
	void (*recv)(void *ctx, const u8 *data, size_t len);
	void *ctx;
};

/*
 * Each inner packet a DATAGRAM frame carries is tagged with its flow's ID
 * and its sequence number in that flow, two varints before the packet
 * (RFC 9221 §5 leaves the payload to the application): flow 0 is "no
 * flow". Both stay below 2^30, so the tag takes at most eight bytes.
 */
#define TQUIC_DGRAM_TAG_MAX	8
#define TQUIC_DGRAM_ID_LIMIT	(1U << 30)
/* sequence numbers remembered per flow, behind the newest */
#define TQUIC_SEQWIN		128

/**
 * struct tquic_seqwin - the sequence numbers a flow's receiver saw
 * @top: the newest, if @any
 * @bits: bit (n % TQUIC_SEQWIN) set: n was seen, for n in the window
 *	(@top - TQUIC_SEQWIN, @top]
 * @any: something was seen
 */
struct tquic_seqwin {
	u32 top;
	u64 bits[TQUIC_SEQWIN / 64];
	bool any;
};

struct tquic_conn;

size_t tquic_dgram_tag_write(u8 *p, size_t room, u32 flow, u32 seq);
int tquic_dgram_tag_read(const u8 *p, size_t len, u32 *flow, u32 *seq);
bool tquic_seqwin_accept(struct tquic_seqwin *w, u32 seq);
size_t tquic_dgram_max_payload(const struct tquic_conn *c);
bool tquic_dgram_pending(const struct tquic_conn *c);
size_t tquic_dgram_put(struct tquic_conn *c, u8 *p, size_t room);
void tquic_dgram_recv(struct tquic_conn *c, const u8 *data, size_t len);

#endif /* _TQUIC_CORE_DATAGRAM_H */
