// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Streams: see stream.h. Only unidirectional streams are used: each side
 * opens one per flow direction it sends, so neither side has to learn
 * which of its flows a peer's stream belongs to. The peer may open no
 * bidirectional stream (initial_max_streams_bidi is 0).
 */

#include <linux/errno.h>
#include <linux/string.h>
#include <linux/types.h>

#include "conn.h"
#include "crypto.h"
#include "error.h"
#include "stream.h"
#include "varint.h"

static bool tquic_stream_is_uni(u64 id)
{
	return id & 2;
}

/* RFC 9000 §2.1: bit 0 says who opened it */
static bool tquic_stream_is_ours(const struct tquic_conn *c, u64 id)
{
	return (id & 1) == (c->is_server ? 1 : 0);
}

static u32 tquic_stream_bucket(u64 id)
{
	return (u32)((id >> 2) * 0x9e3779b97f4a7c15ULL >> 56) %
	       TQUIC_STREAM_BUCKETS;
}

static struct tquic_stream *tquic_stream_find(const struct tquic_conn *c,
					      u64 id)
{
	struct tquic_stream *s = c->streams.hash[tquic_stream_bucket(id)];

	while (s && s->id != id)
		s = s->hnext;
	return s;
}

/* ---- byte ranges ---- */

/* Adds [@start, @end); -ENOSPC when it would need a slot and none is free */
static int tquic_ranges_add(struct tquic_ranges *r, u64 start, u64 end)
{
	u32 i, j;

	if (start >= end)
		return 0;
	for (i = 0; i < r->n && r->r[i].end < start; i++)
		;
	for (j = i; j < r->n && r->r[j].start <= end; j++)
		;
	if (i == j) {
		if (r->n == TQUIC_STREAM_RANGES)
			return -ENOSPC;
		memmove(&r->r[i + 1], &r->r[i], (r->n - i) * sizeof(r->r[0]));
		r->r[i].start = start;
		r->r[i].end = end;
		r->n++;
		return 0;
	}
	/* ranges i .. j - 1 overlap or touch it: they become one */
	if (r->r[i].start < start)
		start = r->r[i].start;
	if (r->r[j - 1].end > end)
		end = r->r[j - 1].end;
	r->r[i].start = start;
	r->r[i].end = end;
	memmove(&r->r[i + 1], &r->r[j], (r->n - j) * sizeof(r->r[0]));
	r->n -= j - i - 1;
	return 0;
}

/* Takes [@start, @end) out; a range it would split with no slot free stays */
static void tquic_ranges_remove(struct tquic_ranges *r, u64 start, u64 end)
{
	u32 i = 0;

	while (i < r->n) {
		struct tquic_range *x = &r->r[i];

		if (x->end <= start || x->start >= end) {
			i++;
		} else if (x->start < start && x->end > end) {
			if (r->n == TQUIC_STREAM_RANGES)
				return;
			memmove(&r->r[i + 2], &r->r[i + 1],
				(r->n - i - 1) * sizeof(r->r[0]));
			r->r[i + 1].start = end;
			r->r[i + 1].end = x->end;
			x->end = start;
			r->n++;
			return;
		} else if (x->start < start) {
			x->end = start;
			i++;
		} else if (x->end > end) {
			x->start = end;
			i++;
		} else {
			memmove(&r->r[i], &r->r[i + 1],
				(r->n - i - 1) * sizeof(r->r[0]));
			r->n--;
		}
	}
}

/*
 * Bytes to send again. With every slot taken, the two closest ranges
 * become one: a few bytes sent twice cost less than a stalled stream.
 */
static void tquic_stream_lost_add(struct tquic_stream *s, u64 start, u64 end)
{
	struct tquic_ranges *r = &s->tx_lost;
	u32 i, k;

	if (start < s->tx_acked)
		start = s->tx_acked;
	while (tquic_ranges_add(r, start, end)) {
		k = 0;
		for (i = 1; i + 1 < r->n; i++)
			if (r->r[i + 1].start - r->r[i].end <
			    r->r[k + 1].start - r->r[k].end)
				k = i;
		r->r[k].end = r->r[k + 1].end;
		memmove(&r->r[k + 1], &r->r[k + 2],
			(r->n - k - 2) * sizeof(r->r[0]));
		r->n--;
	}
	/* what was acknowledged meanwhile is not sent again */
	for (i = 0; i < s->tx_ack.n; i++)
		tquic_ranges_remove(r, s->tx_ack.r[i].start, s->tx_ack.r[i].end);
}

/* ---- the send list: streams with a frame to send ---- */

static u64 tquic_streams_credit(const struct tquic_conn *c)
{
	const struct tquic_streams *ss = &c->streams;

	return ss->tx_max_data > ss->tx_data ? ss->tx_max_data - ss->tx_data :
					       0;
}

/* new bytes @s may send now (RFC 9000 §4.1: both limits) */
static u64 tquic_stream_new_room(const struct tquic_conn *c,
				 const struct tquic_stream *s)
{
	u64 lim = s->tx_end < s->tx_max ? s->tx_end : s->tx_max;
	u64 n = lim > s->tx_next ? lim - s->tx_next : 0;
	u64 credit = tquic_streams_credit(c);

	return n < credit ? n : credit;
}

static bool tquic_stream_fin_due(const struct tquic_stream *s)
{
	return s->tx_fin && !s->tx_fin_sent && s->tx_next == s->tx_end;
}

static bool tquic_stream_wants(const struct tquic_conn *c,
			       const struct tquic_stream *s)
{
	return s->rx_max_owed || s->tx_lost.n || tquic_stream_fin_due(s) ||
	       tquic_stream_new_room(c, s);
}

static void tquic_stream_unlist(struct tquic_conn *c, struct tquic_stream *s)
{
	struct tquic_streams *ss = &c->streams;

	if (!s->listed)
		return;
	if (s->prev)
		s->prev->next = s->next;
	else
		ss->head = s->next;
	if (s->next)
		s->next->prev = s->prev;
	else
		ss->tail = s->prev;
	s->prev = NULL;
	s->next = NULL;
	s->listed = false;
}

/* on the list's tail iff it wants to send */
static void tquic_stream_relist(struct tquic_conn *c, struct tquic_stream *s)
{
	struct tquic_streams *ss = &c->streams;

	if (!tquic_stream_wants(c, s)) {
		tquic_stream_unlist(c, s);
		return;
	}
	if (s->listed)
		return;
	s->prev = ss->tail;
	s->next = NULL;
	if (ss->tail)
		ss->tail->next = s;
	else
		ss->head = s;
	ss->tail = s;
	s->listed = true;
}

/* ---- life of a stream ---- */

static struct tquic_stream *tquic_stream_new(struct tquic_conn *c, u64 id)
{
	struct tquic_streams *ss = &c->streams;
	struct tquic_stream *s = tquic_small_alloc(sizeof(*s));
	u32 b = tquic_stream_bucket(id);

	if (!s)
		return NULL;
	s->id = id;
	s->hnext = ss->hash[b];
	ss->hash[b] = s;
	ss->count++;
	return s;
}

static void tquic_stream_free(struct tquic_conn *c, struct tquic_stream *s)
{
	struct tquic_streams *ss = &c->streams;
	struct tquic_stream **pp = &ss->hash[tquic_stream_bucket(s->id)];
	struct tquic_ofo *o;

	while (*pp != s)
		pp = &(*pp)->hnext;
	*pp = s->hnext;
	tquic_stream_unlist(c, s);
	ss->unsent -= s->tx_end - s->tx_next;
	while ((o = s->ofo)) {
		s->ofo = o->next;
		ss->ofo_chunks--;
		tquic_small_free(o);
	}
	ss->count--;
	tquic_small_free(s);
}

/* @s is done: its owner lets go, and it is freed */
static void tquic_stream_close(struct tquic_conn *c, struct tquic_stream *s)
{
	const struct tquic_stream_ops *ops = c->streams.ops;

	if (ops && s->priv)
		ops->closed(s->priv);
	s->priv = NULL;
	tquic_stream_free(c, s);
}

/**
 * tquic_streams_init() - no streams; our limits for the peer
 * @c: connection, being initialised
 *
 * RFC 9000 §18.2: the peer may open TQUIC_STREAMS_RX_WIN unidirectional
 * streams and no bidirectional one, and send within our windows.
 */
void tquic_streams_init(struct tquic_conn *c)
{
	struct tquic_streams *ss = &c->streams;
	struct tquic_tparams *tp = &c->local_tp;

	memset(ss, 0, sizeof(*ss));
	ss->rx_max_data = TQUIC_CONN_RX_WINDOW;
	ss->rx_max_uni = TQUIC_STREAMS_RX_WIN;
	tp->present |= TQUIC_TPB(TQUIC_TP_INITIAL_MAX_DATA) |
		       TQUIC_TPB(TQUIC_TP_INITIAL_MAX_STREAM_DATA_UNI) |
		       TQUIC_TPB(TQUIC_TP_INITIAL_MAX_STREAMS_UNI);
	tp->initial_max_data = TQUIC_CONN_RX_WINDOW;
	tp->initial_max_stream_data_uni = TQUIC_STREAM_RX_WINDOW;
	tp->initial_max_streams_uni = TQUIC_STREAMS_RX_WIN;
}

/**
 * tquic_streams_peer_limits() - the peer's transport parameters arrived
 * @c: connection
 */
void tquic_streams_peer_limits(struct tquic_conn *c)
{
	c->streams.peer_max_uni = c->peer_tp.initial_max_streams_uni;
	c->streams.tx_max_data = c->peer_tp.initial_max_data;
}

/**
 * tquic_streams_destroy() - free every stream
 * @c: connection
 */
void tquic_streams_destroy(struct tquic_conn *c)
{
	struct tquic_streams *ss = &c->streams;
	u32 b;

	for (b = 0; b < TQUIC_STREAM_BUCKETS; b++)
		while (ss->hash[b])
			tquic_stream_close(c, ss->hash[b]);
}

/**
 * tquic_conn_set_stream_ops() - who keeps the streams' bytes
 * @c: connection
 * @ops: the owner, or NULL: the current owner's streams all end now
 *
 * Without an owner our streams cannot be read, so they go (their flows
 * end with them); the peer's stay, and what arrives on them is dropped.
 */
void tquic_conn_set_stream_ops(struct tquic_conn *c,
				const struct tquic_stream_ops *ops)
{
	struct tquic_streams *ss = &c->streams;
	struct tquic_stream *s, *next;
	u32 b;

	if (!ops) {
		for (b = 0; b < TQUIC_STREAM_BUCKETS; b++) {
			for (s = ss->hash[b]; s; s = next) {
				next = s->hnext;
				if (tquic_stream_is_ours(c, s->id)) {
					tquic_stream_close(c, s);
					continue;
				}
				if (ss->ops && s->priv)
					ss->ops->closed(s->priv);
				s->priv = NULL;
			}
		}
	}
	ss->ops = ops;
}

/**
 * tquic_streams_can_open() - whether tquic_stream_open() may succeed
 * @c: connection
 */
bool tquic_streams_can_open(const struct tquic_conn *c)
{
	return c->streams.ops && c->state == TQUIC_STATE_ESTABLISHED &&
	       c->has_peer_tp && c->streams.next_uni < c->streams.peer_max_uni;
}

/**
 * tquic_stream_open() - open a unidirectional stream to send on
 * @c: connection
 * @priv: the owner's handle for it
 *
 * Return: the stream, or NULL when the peer's stream limit is reached
 * (RFC 9000 §4.6), the connection is not established or memory is short.
 */
struct tquic_stream *tquic_stream_open(struct tquic_conn *c, void *priv)
{
	struct tquic_streams *ss = &c->streams;
	struct tquic_stream *s;
	u64 id;

	if (!tquic_streams_can_open(c))
		return NULL;
	/* RFC 9000 §2.1: client-initiated 0x2, server-initiated 0x3 */
	id = ss->next_uni << 2 | 2 | (c->is_server ? 1 : 0);
	s = tquic_stream_new(c, id);
	if (!s)
		return NULL;
	ss->next_uni++;
	ss->stats_opened++;
	s->priv = priv;
	s->tx_max = c->peer_tp.initial_max_stream_data_uni;
	return s;
}

/**
 * tquic_stream_write() - @len more bytes queued on @s
 * @c: connection
 * @s: one of our streams, not finished
 * @len: how many; the owner keeps them until acknowledged
 */
void tquic_stream_write(struct tquic_conn *c, struct tquic_stream *s,
			size_t len)
{
	if (s->tx_fin)
		return;
	s->tx_end += len;
	c->streams.unsent += len;
	tquic_stream_relist(c, s);
}

/**
 * tquic_stream_finish() - no more bytes on @s: its FIN is sent
 * @c: connection
 * @s: one of our streams
 *
 * Once everything is acknowledged, the owner is told it is closed.
 */
void tquic_stream_finish(struct tquic_conn *c, struct tquic_stream *s)
{
	s->tx_fin = true;
	tquic_stream_relist(c, s);
}

/* ---- sending ---- */

/**
 * tquic_streams_pending() - a stream frame or flow-control update waits
 * @c: connection
 */
bool tquic_streams_pending(const struct tquic_conn *c)
{
	const struct tquic_streams *ss = &c->streams;
	const struct tquic_stream *s;

	if (c->state != TQUIC_STATE_ESTABLISHED)
		return false;
	if (ss->max_data_owed || ss->max_streams_owed)
		return true;
	for (s = ss->head; s; s = s->next)
		if (tquic_stream_wants(c, s))
			return true;
	return false;
}

/* MAX_DATA, MAX_STREAMS and @s's MAX_STREAM_DATA, if owed and they fit */
static void tquic_streams_put_limits(struct tquic_conn *c,
				     struct tquic_stream *s, u8 *p,
				     size_t room, size_t *used,
				     struct tquic_sent_stream *rec)
{
	struct tquic_streams *ss = &c->streams;
	struct tquic_frame f;

	memset(&f, 0, sizeof(f));
	if (ss->max_data_owed) {
		f.type = TQUIC_FT_MAX_DATA;
		f.max.max = ss->rx_max_data;
		if (!tquic_frame_put(p, room, used, &f)) {
			ss->max_data_owed = false;
			rec->max_data = 1;
		}
	}
	if (ss->max_streams_owed) {
		f.type = TQUIC_FT_MAX_STREAMS_UNI;
		f.max.max = ss->rx_max_uni;
		if (!tquic_frame_put(p, room, used, &f)) {
			ss->max_streams_owed = false;
			rec->max_streams = 1;
		}
	}
	if (s && s->rx_max_owed) {
		f.type = TQUIC_FT_MAX_STREAM_DATA;
		f.max_stream_data.stream_id = s->id;
		f.max_stream_data.max = s->rx_max;
		if (!tquic_frame_put(p, room, used, &f)) {
			s->rx_max_owed = false;
			rec->msd = s->id + 1;
		}
	}
}

/*
 * One STREAM frame of @s at @p: lost bytes first (RFC 9000 §13.3), then
 * new ones. With no length field it runs to the packet's end, which it
 * does whenever it fills the room. Returns the bytes written.
 */
static size_t tquic_stream_put_data(struct tquic_conn *c,
				    struct tquic_stream *s, u8 *p,
				    size_t room, struct tquic_sent_stream *rec)
{
	const struct tquic_stream_ops *ops = c->streams.ops;
	u64 off, avail, len;
	size_t hdr, lenlen = 0;
	bool resend, fin;
	u8 type = TQUIC_FT_STREAM;
	int n;

	resend = s->tx_lost.n;
	if (resend) {
		off = s->tx_lost.r[0].start;
		avail = s->tx_lost.r[0].end - off;
	} else {
		off = s->tx_next;
		avail = tquic_stream_new_room(c, s);
		if (!avail && !tquic_stream_fin_due(s))
			return 0;
	}
	hdr = 1 + tquic_varint_len(s->id) + (off ? tquic_varint_len(off) : 0);
	if (room < hdr + 1 + (avail ? 1 : 0))
		return 0;
	if (avail >= room - hdr) {
		len = room - hdr;
	} else {
		len = avail;
		lenlen = tquic_varint_len(len);
		if (hdr + lenlen + len > room) {
			len = room - hdr - lenlen;
			if (!len)
				return 0;
		}
		type |= TQUIC_STREAM_LEN;
	}
	fin = s->tx_fin && off + len == s->tx_end;
	if (off)
		type |= TQUIC_STREAM_OFF;
	if (fin)
		type |= TQUIC_STREAM_FIN;
	p[0] = type;
	n = tquic_varint_write(p + 1, room - 1, s->id);
	hdr = 1 + (size_t)n;
	if (off)
		hdr += (size_t)tquic_varint_write(p + hdr, room - hdr, off);
	if (lenlen)
		hdr += (size_t)tquic_varint_write(p + hdr, room - hdr, len);
	if (len && ops->read(s->priv, off, p + hdr, (size_t)len))
		return 0;
	if (resend) {
		tquic_ranges_remove(&s->tx_lost, off, off + len);
		c->streams.stats_retx_bytes += len;
	} else {
		s->tx_next += len;
		c->streams.tx_data += len;
		c->streams.unsent -= len;
	}
	if (fin)
		s->tx_fin_sent = true;
	rec->id = s->id + 1;
	rec->off = off;
	rec->len = (u32)len;
	rec->fin = fin;
	return hdr + (size_t)len;
}

/**
 * tquic_streams_put() - stream frames for a 1-RTT packet's room
 * @c: connection
 * @p: where they go
 * @room: bytes free at @p
 * @rec: what the packet carries, for tquic_streams_outcome()
 *
 * The flow-control updates owed, then one STREAM frame of the stream
 * whose turn it is; streams take turns packet by packet.
 *
 * Return: the bytes written.
 */
size_t tquic_streams_put(struct tquic_conn *c, u8 *p, size_t room,
			 struct tquic_sent_stream *rec)
{
	struct tquic_streams *ss = &c->streams;
	struct tquic_stream *s;
	size_t used = 0;

	if (c->state != TQUIC_STATE_ESTABLISHED)
		return 0;
	while ((s = ss->head) && !tquic_stream_wants(c, s))
		tquic_stream_unlist(c, s);
	tquic_streams_put_limits(c, s, p, room, &used, rec);
	if (s && ss->ops && tquic_stream_is_ours(c, s->id))
		used += tquic_stream_put_data(c, s, p + used, room - used, rec);
	if (s) {
		/* its turn is over */
		tquic_stream_unlist(c, s);
		tquic_stream_relist(c, s);
	}
	return used;
}

/* @s's bytes [@off, @off + @len) (and FIN) are acknowledged */
static void tquic_stream_acked(struct tquic_conn *c, struct tquic_stream *s,
			       u64 off, u64 len, bool fin)
{
	const struct tquic_stream_ops *ops = c->streams.ops;
	struct tquic_ranges *a = &s->tx_ack;
	u64 end = off + len, before = s->tx_acked;

	if (fin)
		s->tx_fin_acked = true;
	tquic_ranges_remove(&s->tx_lost, off, end);
	if (end > s->tx_acked) {
		if (off <= s->tx_acked)
			s->tx_acked = end;
		else if (tquic_ranges_add(a, off, end))
			/* no slot to remember it: it is sent again */
			tquic_stream_lost_add(s, off, end);
		while (a->n && a->r[0].start <= s->tx_acked) {
			if (a->r[0].end > s->tx_acked)
				s->tx_acked = a->r[0].end;
			memmove(&a->r[0], &a->r[1], (a->n - 1) * sizeof(a->r[0]));
			a->n--;
		}
	}
	if (s->tx_acked != before && ops && s->priv)
		ops->acked(s->priv, s->tx_acked);
	if (s->tx_fin && s->tx_fin_acked && s->tx_acked == s->tx_end)
		tquic_stream_close(c, s);
	else
		tquic_stream_relist(c, s);
}

/**
 * tquic_streams_outcome() - a packet's stream frames arrived or were lost
 * @c: connection
 * @rec: what the packet carried
 * @acked: acknowledged; otherwise lost, or never sent
 *
 * RFC 9000 §13.3: lost STREAM data is sent again (unless acknowledged
 * since), and lost flow-control updates are sent again with current
 * values.
 */
void tquic_streams_outcome(struct tquic_conn *c,
			   const struct tquic_sent_stream *rec, bool acked)
{
	struct tquic_streams *ss = &c->streams;
	struct tquic_stream *s;

	if (rec->id && (s = tquic_stream_find(c, rec->id - 1))) {
		if (acked) {
			tquic_stream_acked(c, s, rec->off, rec->len, rec->fin);
		} else {
			tquic_stream_lost_add(s, rec->off, rec->off + rec->len);
			if (rec->fin && !s->tx_fin_acked)
				s->tx_fin_sent = false;
			tquic_stream_relist(c, s);
		}
	}
	if (acked)
		return;
	if (rec->max_data)
		ss->max_data_owed = true;
	if (rec->max_streams)
		ss->max_streams_owed = true;
	if (rec->msd && (s = tquic_stream_find(c, rec->msd - 1))) {
		s->rx_max_owed = true;
		tquic_stream_relist(c, s);
	}
}

/* ---- receiving ---- */

static bool tquic_streams_rx_ended(const struct tquic_streams *ss, u64 n)
{
	u64 bit = n % TQUIC_STREAMS_RX_WIN;

	return n < ss->rx_base || (ss->rx_done[bit / 64] >> (bit % 64) & 1);
}

/* the peer's stream number @n ended: the limit moves (RFC 9000 §4.6) */
static void tquic_streams_rx_end(struct tquic_streams *ss, u64 n)
{
	u64 bit = n % TQUIC_STREAMS_RX_WIN;

	ss->rx_done[bit / 64] |= 1ULL << (bit % 64);
	for (;;) {
		bit = ss->rx_base % TQUIC_STREAMS_RX_WIN;
		if (!(ss->rx_done[bit / 64] >> (bit % 64) & 1))
			break;
		ss->rx_done[bit / 64] &= ~(1ULL << (bit % 64));
		ss->rx_base++;
	}
	if (ss->rx_base + TQUIC_STREAMS_RX_WIN - ss->rx_max_uni >=
	    TQUIC_STREAMS_RX_WIN / 4) {
		ss->rx_max_uni = ss->rx_base + TQUIC_STREAMS_RX_WIN;
		ss->max_streams_owed = true;
	}
}

/* @n in-order bytes reached the owner: the windows move (RFC 9000 §4.2) */
static void tquic_stream_consumed(struct tquic_conn *c, struct tquic_stream *s,
				  u64 n)
{
	struct tquic_streams *ss = &c->streams;

	ss->rx_consumed += n;
	if (ss->rx_max_data - ss->rx_consumed < TQUIC_CONN_RX_WINDOW / 2) {
		ss->rx_max_data = ss->rx_consumed + TQUIC_CONN_RX_WINDOW;
		ss->max_data_owed = true;
	}
	if (!s->rx_fin && s->rx_max - s->rx_next < TQUIC_STREAM_RX_WINDOW / 2) {
		s->rx_max = s->rx_next + TQUIC_STREAM_RX_WINDOW;
		s->rx_max_owed = true;
		tquic_stream_relist(c, s);
	}
}

static void tquic_stream_deliver(struct tquic_conn *c, struct tquic_stream *s,
				 const u8 *data, u64 len)
{
	const struct tquic_stream_ops *ops = c->streams.ops;

	if (!len)
		return;
	if (ops && s->priv)
		ops->recv(s->priv, data, (size_t)len);
	s->rx_next += len;
	tquic_stream_consumed(c, s, len);
}

/*
 * Bytes [@off, @off + @len) beyond a gap: the parts not held yet are
 * copied and kept in order. -ENOMEM when that cannot be done.
 */
static int tquic_stream_hold(struct tquic_conn *c, struct tquic_stream *s,
			     u64 off, const u8 *data, u64 len)
{
	struct tquic_streams *ss = &c->streams;
	struct tquic_ofo **pp = &s->ofo, *o;
	u64 pos = off, end = off + len, stop;

	/* the usual case: after everything held */
	if (s->ofo_tail && off >= s->ofo_tail->off + s->ofo_tail->len)
		pp = &s->ofo_tail->next;
	while (pos < end) {
		o = *pp;
		if (o && o->off + o->len <= pos) {
			pp = &o->next;
			continue;
		}
		if (o && o->off <= pos) {
			pos = o->off + o->len;
			pp = &o->next;
			continue;
		}
		stop = o && o->off < end ? o->off : end;
		if (ss->ofo_chunks >= TQUIC_OFO_CHUNKS_MAX)
			return -ENOMEM;
		o = tquic_small_alloc(sizeof(*o) + (size_t)(stop - pos));
		if (!o)
			return -ENOMEM;
		o->off = pos;
		o->len = (u32)(stop - pos);
		memcpy(o->data, data + (pos - off), o->len);
		o->next = *pp;
		*pp = o;
		if (!o->next)
			s->ofo_tail = o;
		ss->ofo_chunks++;
		pp = &o->next;
		pos = stop;
	}
	return 0;
}

/* what was held and is now in order goes to the owner */
static void tquic_stream_drain(struct tquic_conn *c, struct tquic_stream *s)
{
	struct tquic_ofo *o;
	u64 skip;

	while ((o = s->ofo) && o->off <= s->rx_next) {
		skip = s->rx_next - o->off;
		if (skip < o->len)
			tquic_stream_deliver(c, s, o->data + skip, o->len - skip);
		s->ofo = o->next;
		if (!s->ofo)
			s->ofo_tail = NULL;
		c->streams.ofo_chunks--;
		tquic_small_free(o);
	}
}

/* a peer stream that was received to its end */
static void tquic_stream_rx_finish(struct tquic_conn *c,
				   struct tquic_stream *s)
{
	tquic_streams_rx_end(&c->streams, s->id >> 2);
	tquic_stream_close(c, s);
}

/* the peer's stream @id, which may be new (RFC 9000 §3.2) */
static u64 tquic_stream_rx_get(struct tquic_conn *c, u64 id,
			       struct tquic_stream **out)
{
	struct tquic_streams *ss = &c->streams;
	const struct tquic_stream_ops *ops = ss->ops;
	struct tquic_stream *s;
	u64 n = id >> 2;

	*out = NULL;
	/* RFC 9000 §4.6 */
	if (n >= ss->rx_max_uni)
		return TQUIC_STREAM_LIMIT_ERROR;
	if (tquic_streams_rx_ended(ss, n))
		return 0;	/* a late copy of an ended stream's bytes */
	s = tquic_stream_find(c, id);
	if (!s) {
		s = tquic_stream_new(c, id);
		if (!s)
			return TQUIC_INTERNAL_ERROR;
		s->rx_max = TQUIC_STREAM_RX_WINDOW;
		ss->stats_rx_opened++;
		if (ops)
			ops->opened(ops->ctx, s);
	}
	*out = s;
	return 0;
}

/* RFC 9000 §4.5: the final size, once known, never changes */
static u64 tquic_stream_rx_size(struct tquic_conn *c, struct tquic_stream *s,
				u64 end, bool fin)
{
	struct tquic_streams *ss = &c->streams;

	if (s->rx_fin && (end > s->rx_final || (fin && end != s->rx_final)))
		return TQUIC_FINAL_SIZE_ERROR;
	if (fin && end < s->rx_high)
		return TQUIC_FINAL_SIZE_ERROR;
	/* RFC 9000 §4.1 */
	if (end > s->rx_max)
		return TQUIC_FLOW_CONTROL_ERROR;
	if (end > s->rx_high) {
		if (end - s->rx_high > ss->rx_max_data - ss->rx_data)
			return TQUIC_FLOW_CONTROL_ERROR;
		ss->rx_data += end - s->rx_high;
		s->rx_high = end;
	}
	if (fin) {
		s->rx_fin = true;
		s->rx_final = end;
	}
	return 0;
}

static u64 tquic_stream_recv(struct tquic_conn *c, const struct tquic_frame *f)
{
	u64 off = f->stream.offset, len = f->stream.len, end = off + len;
	struct tquic_stream *s;
	u64 err;

	err = tquic_stream_rx_get(c, f->stream.stream_id, &s);
	if (err || !s)
		return err;
	err = tquic_stream_rx_size(c, s, end, f->stream.fin);
	if (err)
		return err;
	if (off <= s->rx_next) {
		if (end > s->rx_next)
			tquic_stream_deliver(c, s, f->stream.data +
					     (s->rx_next - off),
					     end - s->rx_next);
		tquic_stream_drain(c, s);
	} else if (tquic_stream_hold(c, s, off, f->stream.data, len)) {
		/* RFC 9000 §21.10: more pieces than a sane peer sends */
		return TQUIC_INTERNAL_ERROR;
	}
	if (s->rx_fin && s->rx_next == s->rx_final)
		tquic_stream_rx_finish(c, s);
	return 0;
}

/* RFC 9000 §19.4: the peer abandons a stream it sends */
static u64 tquic_stream_reset_rx(struct tquic_conn *c,
				 const struct tquic_frame *f)
{
	struct tquic_stream *s;
	u64 err;

	err = tquic_stream_rx_get(c, f->reset_stream.stream_id, &s);
	if (err || !s)
		return err;
	err = tquic_stream_rx_size(c, s, f->reset_stream.final_size, true);
	if (err)
		return err;
	/* its bytes count against the connection's limit as if delivered */
	tquic_stream_consumed(c, s, s->rx_final - s->rx_next);
	tquic_stream_rx_finish(c, s);
	return 0;
}

/* RFC 9000 §19.8, §4.6: a stream ID the frame may not name at all */
static u64 tquic_stream_id_error(const struct tquic_conn *c, u64 id,
				 bool sender_frame)
{
	if (!tquic_stream_is_uni(id))
		/* we allow no bidirectional stream, and open none */
		return tquic_stream_is_ours(c, id) ? TQUIC_STREAM_STATE_ERROR :
						     TQUIC_STREAM_LIMIT_ERROR;
	/* frames the sender of a stream sends, about one only we send */
	if (sender_frame && tquic_stream_is_ours(c, id))
		return TQUIC_STREAM_STATE_ERROR;
	/* frames a receiver sends, about one only the peer sends */
	if (!sender_frame && !tquic_stream_is_ours(c, id))
		return TQUIC_STREAM_STATE_ERROR;
	/* RFC 9000 §19.10: about a stream of ours not opened yet */
	if (!sender_frame && (id >> 2) >= c->streams.next_uni)
		return TQUIC_STREAM_STATE_ERROR;
	return 0;
}

/**
 * tquic_streams_on_frame() - a stream or flow-control frame arrived
 * @c: connection
 * @f: the frame, in a 1-RTT packet
 *
 * Return: 0, or the QUIC error code the connection closes with.
 */
u64 tquic_streams_on_frame(struct tquic_conn *c, const struct tquic_frame *f)
{
	struct tquic_streams *ss = &c->streams;
	struct tquic_stream *s;
	u64 err;

	switch (f->type) {
	case TQUIC_FT_MAX_DATA:
		if (f->max.max > ss->tx_max_data) {
			u32 b;

			ss->tx_max_data = f->max.max;
			/* streams waiting for credit may go */
			for (b = 0; b < TQUIC_STREAM_BUCKETS; b++)
				for (s = ss->hash[b]; s; s = s->hnext)
					tquic_stream_relist(c, s);
		}
		return 0;
	case TQUIC_FT_MAX_STREAMS_UNI:
		if (f->max.max > ss->peer_max_uni)
			ss->peer_max_uni = f->max.max;
		return 0;
	case TQUIC_FT_MAX_STREAMS_BIDI:
	case TQUIC_FT_STREAMS_BLOCKED_BIDI:
		return 0;	/* we open no bidirectional stream */
	case TQUIC_FT_DATA_BLOCKED:
		ss->max_data_owed = true;
		return 0;
	case TQUIC_FT_STREAMS_BLOCKED_UNI:
		ss->max_streams_owed = true;
		return 0;
	case TQUIC_FT_MAX_STREAM_DATA:
		err = tquic_stream_id_error(c, f->max_stream_data.stream_id,
					    false);
		if (err)
			return err;
		s = tquic_stream_find(c, f->max_stream_data.stream_id);
		if (s && f->max_stream_data.max > s->tx_max) {
			s->tx_max = f->max_stream_data.max;
			tquic_stream_relist(c, s);
		}
		return 0;
	case TQUIC_FT_STOP_SENDING:
		/*
		 * RFC 9000 §3.5 asks for a RESET_STREAM in reply. Not done
		 * yet: our own peer never sends STOP_SENDING, and the
		 * stream keeps sending its flow, which the peer may drop.
		 */
		return tquic_stream_id_error(c, f->stop_sending.stream_id,
					     false);
	case TQUIC_FT_STREAM_DATA_BLOCKED:
		err = tquic_stream_id_error(c, f->stream_data_blocked.stream_id,
					    true);
		if (err)
			return err;
		if ((f->stream_data_blocked.stream_id >> 2) >= ss->rx_max_uni)
			return TQUIC_STREAM_LIMIT_ERROR;
		s = tquic_stream_find(c, f->stream_data_blocked.stream_id);
		if (s) {
			s->rx_max_owed = true;
			tquic_stream_relist(c, s);
		}
		return 0;
	case TQUIC_FT_RESET_STREAM:
		err = tquic_stream_id_error(c, f->reset_stream.stream_id, true);
		return err ?: tquic_stream_reset_rx(c, f);
	default:	/* STREAM */
		err = tquic_stream_id_error(c, f->stream.stream_id, true);
		return err ?: tquic_stream_recv(c, f);
	}
}
