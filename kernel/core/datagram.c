// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * DATAGRAM frames (RFC 9221) between the connection and its owner's queue.
 * Datagrams are ack-eliciting and congestion controlled but never sent
 * again once lost (RFC 9221 §5): the inner protocol recovers, as it would
 * on any link.
 */

#include <linux/errno.h>
#include <linux/string.h>
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

/**
 * tquic_dgram_tag_write() - an inner packet's flow and sequence number
 * @p: where they go
 * @room: bytes at @p
 * @flow: the flow's ID, below TQUIC_DGRAM_ID_LIMIT
 * @seq: the packet's number in it, below TQUIC_DGRAM_ID_LIMIT
 *
 * Return: the bytes written, 0 when they do not fit.
 */
size_t tquic_dgram_tag_write(u8 *p, size_t room, u32 flow, u32 seq)
{
	size_t a = tquic_varint_len(flow), b = tquic_varint_len(seq);

	if (a + b > room || flow >= TQUIC_DGRAM_ID_LIMIT ||
	    seq >= TQUIC_DGRAM_ID_LIMIT)
		return 0;
	tquic_varint_write(p, a, flow);
	tquic_varint_write(p + a, b, seq);
	return a + b;
}

/**
 * tquic_dgram_tag_read() - the flow and sequence number before a packet
 * @p: a DATAGRAM frame's payload
 * @len: its length
 * @flow: the flow's ID
 * @seq: the packet's number in it
 *
 * Return: the tag's length, or -EBADMSG when the payload has none.
 */
int tquic_dgram_tag_read(const u8 *p, size_t len, u32 *flow, u32 *seq)
{
	struct tquic_cur cur;
	u64 f, n;

	tquic_cur_init(&cur, p, len);
	if (tquic_varint_read(&cur, &f, NULL) ||
	    tquic_varint_read(&cur, &n, NULL) ||
	    f >= TQUIC_DGRAM_ID_LIMIT || n >= TQUIC_DGRAM_ID_LIMIT)
		return -EBADMSG;
	*flow = (u32)f;
	*seq = (u32)n;
	return (int)(len - tquic_cur_left(&cur));
}

static bool tquic_seqwin_test(const struct tquic_seqwin *w, u32 n)
{
	n %= TQUIC_SEQWIN;
	return w->bits[n / 64] >> (n % 64) & 1;
}

static void tquic_seqwin_set(struct tquic_seqwin *w, u32 n, bool on)
{
	n %= TQUIC_SEQWIN;
	if (on)
		w->bits[n / 64] |= 1ULL << (n % 64);
	else
		w->bits[n / 64] &= ~(1ULL << (n % 64));
}

/**
 * tquic_seqwin_accept() - whether packet @seq of a flow is delivered
 * @w: the flow's window
 * @seq: its sequence number
 *
 * A packet seen before (the second copy of a duplicated one) or older than
 * the window is not, as with IPsec's and WireGuard's replay windows: for a
 * flow that wants low latency it is no use that late.
 *
 * Return: true to deliver it.
 */
bool tquic_seqwin_accept(struct tquic_seqwin *w, u32 seq)
{
	u32 n;

	if (!w->any) {
		memset(w, 0, sizeof(*w));
		w->any = true;
		w->top = seq;
		tquic_seqwin_set(w, seq, true);
		return true;
	}
	if (seq > w->top) {
		/* the numbers skipped over are not seen yet */
		if (seq - w->top >= TQUIC_SEQWIN)
			memset(w->bits, 0, sizeof(w->bits));
		else
			for (n = w->top + 1; n != seq; n++)
				tquic_seqwin_set(w, n, false);
		w->top = seq;
		tquic_seqwin_set(w, seq, true);
		return true;
	}
	if (w->top - seq >= TQUIC_SEQWIN || tquic_seqwin_test(w, seq))
		return false;
	tquic_seqwin_set(w, seq, true);
	return true;
}
