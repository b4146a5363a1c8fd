// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * DATAGRAM frames (RFC 9221) between the connection and its owner's queue.
 * Datagrams are ack-eliciting and congestion controlled but never sent
 * again once lost (RFC 9221 §5): the inner protocol recovers, as it would
 * on any link.
 */

#include <linux/types.h>

#include "conn.h"
#include "datagram.h"
#include "frame.h"
#include "varint.h"

/* whether the peer takes DATAGRAM frames and we have somewhere to put them */
static bool tquic_dgram_enabled(const struct tquic_conn *c)
{
	return c->dops && c->has_peer_tp &&
	       c->peer_tp.max_datagram_frame_size > TQUIC_DGRAM_FRAME_HDR &&
	       c->state == TQUIC_STATE_ESTABLISHED;
}

/**
 * tquic_dgram_max_payload() - the largest datagram that crosses in one packet
 * @c: connection
 *
 * A 1-RTT packet of the connection's largest size holds the short header
 * (RFC 9000 §17.3: one byte, the peer's CID, up to four bytes of packet
 * number), the AEAD tag and one DATAGRAM frame, whose size the peer also
 * limits (RFC 9221 §3). The owner sizes its MTU from this.
 *
 * Return: the payload in bytes, 0 while datagrams cannot be sent.
 */
size_t tquic_dgram_max_payload(const struct tquic_conn *c)
{
	size_t over = 1 + c->dcid_len + 4 + TQUIC_AEAD_TAG_LEN +
		      TQUIC_DGRAM_FRAME_HDR;
	size_t max;

	if (!tquic_dgram_enabled(c) || c->max_dgram <= over)
		return 0;
	max = c->max_dgram - over;
	if (c->peer_tp.max_datagram_frame_size - TQUIC_DGRAM_FRAME_HDR < max)
		max = (size_t)c->peer_tp.max_datagram_frame_size -
		      TQUIC_DGRAM_FRAME_HDR;
	return max;
}

/**
 * tquic_dgram_pending() - whether the owner has a datagram for the peer
 * @c: connection
 */
bool tquic_dgram_pending(const struct tquic_conn *c)
{
	return tquic_dgram_enabled(c) && c->dops->pending(c->dops->ctx);
}

/**
 * tquic_dgram_put() - fill a 1-RTT packet's room with waiting datagrams
 * @c: connection
 * @p: where the frames go
 * @room: bytes free at @p
 *
 * Each datagram takes a DATAGRAM frame with a length (type 0x31), so that
 * several small ones (the inner TCP's ACKs) share a packet.
 *
 * Return: the bytes written.
 */
size_t tquic_dgram_put(struct tquic_conn *c, u8 *p, size_t room)
{
	size_t used = 0, n, max = tquic_dgram_max_payload(c);

	if (!max)
		return 0;
	while (room - used > TQUIC_DGRAM_FRAME_HDR) {
		size_t fit = room - used - TQUIC_DGRAM_FRAME_HDR;

		n = c->dops->pull(c->dops->ctx, p + used + TQUIC_DGRAM_FRAME_HDR,
				  fit < max ? fit : max);
		if (!n)
			break;
		p[used] = TQUIC_FT_DATAGRAM_LEN;
		/* RFC 9000 §16: a two-byte varint, 0x4000 | length */
		p[used + 1] = 0x40 | (u8)(n >> 8);
		p[used + 2] = (u8)n;
		used += TQUIC_DGRAM_FRAME_HDR + n;
		c->stats.dgrams_tx++;
	}
	return used;
}

/**
 * tquic_dgram_recv() - a DATAGRAM frame arrived
 * @c: connection
 * @data: its payload
 * @len: its length
 */
void tquic_dgram_recv(struct tquic_conn *c, const u8 *data, size_t len)
{
	c->stats.dgrams_rx++;
	if (!c->dops) {
		c->stats.dgrams_dropped++;
		return;
	}
	c->dops->recv(c->dops->ctx, data, len);
}
