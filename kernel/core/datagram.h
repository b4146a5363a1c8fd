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

struct tquic_conn;

size_t tquic_dgram_max_payload(const struct tquic_conn *c);
bool tquic_dgram_pending(const struct tquic_conn *c);
size_t tquic_dgram_put(struct tquic_conn *c, u8 *p, size_t room);
void tquic_dgram_recv(struct tquic_conn *c, const u8 *data, size_t len);

#endif /* _TQUIC_CORE_DATAGRAM_H */
