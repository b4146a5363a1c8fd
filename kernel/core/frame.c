// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * QUIC frames: decode and encode (RFC 9000 §19, RFC 9221 §4,
 * draft-ietf-quic-multipath-21 §4).
 */

#include <linux/errno.h>
#include <linux/string.h>
#include <linux/types.h>

#include "frame.h"

#define PT_I	(1U << TQUIC_PKT_INITIAL)
#define PT_0	(1U << TQUIC_PKT_0RTT)
#define PT_H	(1U << TQUIC_PKT_HANDSHAKE)
#define PT_1	(1U << TQUIC_PKT_1RTT)

static bool tquic_frame_is_multipath(u64 type)
{
	return type == TQUIC_FT_PATH_ACK || type == TQUIC_FT_PATH_ACK_ECN ||
	       (type >= TQUIC_FT_PATH_ABANDON &&
		type <= TQUIC_FT_PATH_CIDS_BLOCKED);
}

/* The packet types each frame may appear in; 0 for an unknown type. */
static unsigned int tquic_frame_pkt_types(u64 type)
{
	/* RFC 9000 §12.4, Table 3 */
	switch (type) {
	case TQUIC_FT_PADDING:
	case TQUIC_FT_PING:
	case TQUIC_FT_CONNECTION_CLOSE:
		return PT_I | PT_H | PT_0 | PT_1;
	case TQUIC_FT_ACK:
	case TQUIC_FT_ACK_ECN:
	case TQUIC_FT_CRYPTO:
		return PT_I | PT_H | PT_1;
	case TQUIC_FT_RESET_STREAM:
	case TQUIC_FT_STOP_SENDING:
	case TQUIC_FT_STREAM ... TQUIC_FT_STREAM + 7:
	case TQUIC_FT_MAX_DATA:
	case TQUIC_FT_MAX_STREAM_DATA:
	case TQUIC_FT_MAX_STREAMS_BIDI:
	case TQUIC_FT_MAX_STREAMS_UNI:
	case TQUIC_FT_DATA_BLOCKED:
	case TQUIC_FT_STREAM_DATA_BLOCKED:
	case TQUIC_FT_STREAMS_BLOCKED_BIDI:
	case TQUIC_FT_STREAMS_BLOCKED_UNI:
	case TQUIC_FT_NEW_CONNECTION_ID:
	case TQUIC_FT_PATH_CHALLENGE:
	case TQUIC_FT_CONNECTION_CLOSE_APP:
		return PT_0 | PT_1;
	case TQUIC_FT_NEW_TOKEN:
	case TQUIC_FT_RETIRE_CONNECTION_ID:
	case TQUIC_FT_PATH_RESPONSE:
	case TQUIC_FT_HANDSHAKE_DONE:
		return PT_1;
	case TQUIC_FT_DATAGRAM:
	case TQUIC_FT_DATAGRAM_LEN:
		/* RFC 9221 §4: 0-RTT or 1-RTT */
		return PT_0 | PT_1;
	default:
		/* multipath §4: multipath frames only in 1-RTT packets */
		if (tquic_frame_is_multipath(type))
			return PT_1;
		return 0;
	}
}

/**
 * tquic_frame_allowed() - may a frame of @type arrive in a @pt packet?
 * @type: frame type
 * @pt: packet type
 *
 * Return: true when RFC 9000 §12.4 (and the extensions) allow it.
 */
bool tquic_frame_allowed(u64 type, enum tquic_pkt_type pt)
{
	return tquic_frame_pkt_types(type) & (1U << pt);
}

/* Reads of a field: any failure is the frame's encoding error. */
#define RD(c, v)							\
	do {								\
		if (tquic_varint_read((c), &(v), NULL))			\
			return -EBADMSG;				\
	} while (0)

static int tquic_rd_bytes(struct tquic_cur *c, u8 *dst, size_t n)
{
	if (tquic_cur_left(c) < n)
		return -EBADMSG;
	memcpy(dst, c->p, n);
	c->p += n;
	return 0;
}

/* A length-prefixed or to-the-end run of bytes, by reference. */
static int tquic_rd_ref(struct tquic_cur *c, u64 len, const u8 **p,
			size_t *n)
{
	if (len > tquic_cur_left(c))
		return -EBADMSG;
	*p = c->p;
	*n = (size_t)len;
	c->p += len;
	return 0;
}

static int tquic_frame_read_ack(struct tquic_cur *c, struct tquic_frame *f)
{
	struct tquic_frame_ack *a = &f->ack;
	u64 smallest, i, gap, len;
	const u8 *start;

	memset(a, 0, sizeof(*a));
	if (f->type == TQUIC_FT_PATH_ACK || f->type == TQUIC_FT_PATH_ACK_ECN) {
		RD(c, a->path_id);
		if (a->path_id > TQUIC_MAX_PATH_ID)
			return -EPROTO;
	}
	RD(c, a->largest);
	RD(c, a->delay);
	RD(c, a->range_count);
	RD(c, a->first_range);
	/* RFC 9000 §19.3.1: no range may reach below packet number 0 */
	if (a->first_range > a->largest)
		return -EBADMSG;
	smallest = a->largest - a->first_range;

	start = c->p;
	for (i = 0; i < a->range_count; i++) {
		RD(c, gap);
		RD(c, len);
		/* largest of this range = smallest - gap - 2 */
		if (smallest < 2 || gap > smallest - 2)
			return -EBADMSG;
		smallest = smallest - gap - 2;
		if (len > smallest)
			return -EBADMSG;
		smallest -= len;
	}
	a->ranges = start;
	a->ranges_len = (size_t)(c->p - start);

	if (f->type == TQUIC_FT_ACK_ECN || f->type == TQUIC_FT_PATH_ACK_ECN) {
		a->ecn = true;
		RD(c, a->ect0);
		RD(c, a->ect1);
		RD(c, a->ce);
	}
	return 0;
}

static int tquic_frame_read_body(struct tquic_cur *c, struct tquic_frame *f)
{
	u64 v;
	int err;

	switch (f->type) {
	case TQUIC_FT_PING:
	case TQUIC_FT_HANDSHAKE_DONE:
		return 0;
	case TQUIC_FT_ACK:
	case TQUIC_FT_ACK_ECN:
	case TQUIC_FT_PATH_ACK:
	case TQUIC_FT_PATH_ACK_ECN:
		return tquic_frame_read_ack(c, f);
	case TQUIC_FT_RESET_STREAM:
		RD(c, f->reset_stream.stream_id);
		RD(c, f->reset_stream.error_code);
		RD(c, f->reset_stream.final_size);
		return 0;
	case TQUIC_FT_STOP_SENDING:
		RD(c, f->stop_sending.stream_id);
		RD(c, f->stop_sending.error_code);
		return 0;
	case TQUIC_FT_CRYPTO:
		RD(c, f->crypto.offset);
		RD(c, v);
		err = tquic_rd_ref(c, v, &f->crypto.data, &f->crypto.len);
		if (err)
			return err;
		/* RFC 9000 §19.6: offset + length at most 2^62 - 1 */
		if (f->crypto.len > TQUIC_VARINT_MAX - f->crypto.offset)
			return -EBADMSG;
		return 0;
	case TQUIC_FT_NEW_TOKEN:
		RD(c, v);
		/* RFC 9000 §19.7: an empty token is a FRAME_ENCODING_ERROR */
		if (!v)
			return -EBADMSG;
		return tquic_rd_ref(c, v, &f->new_token.token,
				    &f->new_token.len);
	case TQUIC_FT_STREAM ... TQUIC_FT_STREAM + 7:
		RD(c, f->stream.stream_id);
		f->stream.offset = 0;
		if (f->type & TQUIC_STREAM_OFF)
			RD(c, f->stream.offset);
		if (f->type & TQUIC_STREAM_LEN)
			RD(c, v);
		else
			v = tquic_cur_left(c);	/* RFC 9000 §19.8: to the end */
		err = tquic_rd_ref(c, v, &f->stream.data, &f->stream.len);
		if (err)
			return err;
		f->stream.fin = f->type & TQUIC_STREAM_FIN;
		/* RFC 9000 §19.8: offset + length at most 2^62 - 1 */
		if (f->stream.len > TQUIC_VARINT_MAX - f->stream.offset)
			return -EBADMSG;
		return 0;
	case TQUIC_FT_MAX_DATA:
		RD(c, f->max.max);
		return 0;
	case TQUIC_FT_MAX_STREAM_DATA:
		RD(c, f->max_stream_data.stream_id);
		RD(c, f->max_stream_data.max);
		return 0;
	case TQUIC_FT_MAX_STREAMS_BIDI:
	case TQUIC_FT_MAX_STREAMS_UNI:
		RD(c, f->max.max);
		/* RFC 9000 §19.11 */
		if (f->max.max > TQUIC_MAX_STREAMS_LIMIT)
			return -EBADMSG;
		return 0;
	case TQUIC_FT_DATA_BLOCKED:
		RD(c, f->blocked.limit);
		return 0;
	case TQUIC_FT_STREAM_DATA_BLOCKED:
		RD(c, f->stream_data_blocked.stream_id);
		RD(c, f->stream_data_blocked.limit);
		return 0;
	case TQUIC_FT_STREAMS_BLOCKED_BIDI:
	case TQUIC_FT_STREAMS_BLOCKED_UNI:
		RD(c, f->blocked.limit);
		/* RFC 9000 §19.14 */
		if (f->blocked.limit > TQUIC_MAX_STREAMS_LIMIT)
			return -EBADMSG;
		return 0;
	case TQUIC_FT_NEW_CONNECTION_ID:
	case TQUIC_FT_PATH_NEW_CONNECTION_ID:
		f->new_cid.path_id = 0;
		if (f->type == TQUIC_FT_PATH_NEW_CONNECTION_ID) {
			RD(c, f->new_cid.path_id);
			if (f->new_cid.path_id > TQUIC_MAX_PATH_ID)
				return -EPROTO;
		}
		RD(c, f->new_cid.seq);
		RD(c, f->new_cid.retire_prior_to);
		/* RFC 9000 §19.15: Retire Prior To <= Sequence Number */
		if (f->new_cid.retire_prior_to > f->new_cid.seq)
			return -EBADMSG;
		if (tquic_cur_left(c) < 1)
			return -EBADMSG;
		f->new_cid.cid_len = *c->p++;
		/* RFC 9000 §19.15: a length of 0 or above 20 is an error */
		if (f->new_cid.cid_len < 1 ||
		    f->new_cid.cid_len > TQUIC_MAX_CID_LEN)
			return -EBADMSG;
		err = tquic_rd_bytes(c, f->new_cid.cid, f->new_cid.cid_len);
		if (err)
			return err;
		return tquic_rd_bytes(c, f->new_cid.reset_token,
				      TQUIC_RESET_TOKEN_LEN);
	case TQUIC_FT_RETIRE_CONNECTION_ID:
	case TQUIC_FT_PATH_RETIRE_CONNECTION_ID:
		f->retire_cid.path_id = 0;
		if (f->type == TQUIC_FT_PATH_RETIRE_CONNECTION_ID) {
			RD(c, f->retire_cid.path_id);
			if (f->retire_cid.path_id > TQUIC_MAX_PATH_ID)
				return -EPROTO;
		}
		RD(c, f->retire_cid.seq);
		return 0;
	case TQUIC_FT_PATH_CHALLENGE:
	case TQUIC_FT_PATH_RESPONSE:
		return tquic_rd_bytes(c, f->path_data.data, TQUIC_PATH_DATA_LEN);
	case TQUIC_FT_CONNECTION_CLOSE:
	case TQUIC_FT_CONNECTION_CLOSE_APP:
		RD(c, f->close.error_code);
		f->close.frame_type = 0;
		if (f->type == TQUIC_FT_CONNECTION_CLOSE)
			RD(c, f->close.frame_type);
		RD(c, v);
		return tquic_rd_ref(c, v, &f->close.reason,
				    &f->close.reason_len);
	case TQUIC_FT_DATAGRAM:
		/* RFC 9221 §4: no length field, the data runs to the end */
		return tquic_rd_ref(c, tquic_cur_left(c), &f->datagram.data,
				    &f->datagram.len);
	case TQUIC_FT_DATAGRAM_LEN:
		RD(c, v);
		return tquic_rd_ref(c, v, &f->datagram.data, &f->datagram.len);
	case TQUIC_FT_PATH_ABANDON:
		RD(c, f->path_abandon.path_id);
		RD(c, f->path_abandon.error_code);
		return f->path_abandon.path_id > TQUIC_MAX_PATH_ID ? -EPROTO : 0;
	case TQUIC_FT_PATH_STATUS_BACKUP:
	case TQUIC_FT_PATH_STATUS_AVAILABLE:
		RD(c, f->path_status.path_id);
		RD(c, f->path_status.seq);
		return f->path_status.path_id > TQUIC_MAX_PATH_ID ? -EPROTO : 0;
	case TQUIC_FT_MAX_PATH_ID:
	case TQUIC_FT_PATHS_BLOCKED:
		RD(c, f->max_path_id.max_path_id);
		/* multipath §4: above 2^32 - 1 is a PROTOCOL_VIOLATION */
		return f->max_path_id.max_path_id > TQUIC_MAX_PATH_ID ?
		       -EPROTO : 0;
	case TQUIC_FT_PATH_CIDS_BLOCKED:
		RD(c, f->path_cids_blocked.path_id);
		RD(c, f->path_cids_blocked.next_seq);
		return f->path_cids_blocked.path_id > TQUIC_MAX_PATH_ID ?
		       -EPROTO : 0;
	}
	return -EBADMSG;
}

/**
 * tquic_frame_read() - decode the next frame of a packet's payload
 * @c: cursor over the rest of the payload; on success advanced past the
 *	frame, on failure left where it was
 * @pt: the type of the packet the payload came in
 * @flags: TQUIC_FRAME_F_* extensions the connection negotiated
 * @f: the frame; its pointers point into the payload
 *
 * Consecutive PADDING bytes are returned as one PADDING frame.
 *
 * Return: 0; -EBADMSG for a truncated or malformed frame or an unknown
 * type (FRAME_ENCODING_ERROR, RFC 9000 §12.4); -EPROTO for a frame the
 * packet type, the negotiated extensions or a field's range do not allow,
 * or a type not in its shortest encoding (PROTOCOL_VIOLATION).
 */
int tquic_frame_read(struct tquic_cur *c, enum tquic_pkt_type pt,
		     unsigned int flags, struct tquic_frame *f)
{
	const u8 *start = c->p;
	size_t tlen;
	int err;

	err = tquic_varint_read(c, &f->type, &tlen);
	if (err)
		return err;
	/* RFC 9000 §12.4: frame types use the shortest encoding */
	if (tlen != tquic_varint_len(f->type)) {
		err = -EPROTO;
		goto fail;
	}
	if (!tquic_frame_pkt_types(f->type)) {
		err = -EBADMSG;
		goto fail;
	}
	/* RFC 9221 §4: DATAGRAM without having advertised support */
	if ((f->type == TQUIC_FT_DATAGRAM || f->type == TQUIC_FT_DATAGRAM_LEN) &&
	    !(flags & TQUIC_FRAME_F_DATAGRAM)) {
		err = -EPROTO;
		goto fail;
	}
	/* multipath §4: multipath frames when it was not negotiated */
	if (tquic_frame_is_multipath(f->type) &&
	    !(flags & TQUIC_FRAME_F_MULTIPATH)) {
		err = -EPROTO;
		goto fail;
	}
	if (!tquic_frame_allowed(f->type, pt)) {
		err = -EPROTO;
		goto fail;
	}

	if (f->type == TQUIC_FT_PADDING) {
		f->padding.len = 1;
		while (tquic_cur_left(c) && *c->p == 0) {
			c->p++;
			f->padding.len++;
		}
		return 0;
	}

	err = tquic_frame_read_body(c, f);
	if (!err)
		return 0;
fail:
	c->p = start;
	return err;
}

void tquic_ack_iter_init(struct tquic_ack_iter *it,
			 const struct tquic_frame_ack *ack)
{
	tquic_cur_init(&it->c, ack->ranges, ack->ranges_len);
	it->left = ack->range_count;
	it->first = true;
	it->prev_smallest = 0;
	it->ack = ack;
}

/**
 * tquic_ack_iter_next() - the next acknowledged range, largest first
 * @it: iterator over an ACK that tquic_frame_read() accepted
 * @r: the range
 *
 * Return: false when there are no more ranges.
 */
bool tquic_ack_iter_next(struct tquic_ack_iter *it, struct tquic_ack_range *r)
{
	u64 gap, len;

	if (it->first) {
		it->first = false;
		r->largest = it->ack->largest;
		r->smallest = it->ack->largest - it->ack->first_range;
		it->prev_smallest = r->smallest;
		return true;
	}
	if (!it->left)
		return false;
	/* validated by tquic_frame_read_ack(); checked again all the same */
	if (tquic_varint_read(&it->c, &gap, NULL) ||
	    tquic_varint_read(&it->c, &len, NULL) ||
	    it->prev_smallest < 2 || gap > it->prev_smallest - 2 ||
	    len > it->prev_smallest - 2 - gap)
		return false;
	it->left--;
	r->largest = it->prev_smallest - gap - 2;
	r->smallest = r->largest - len;
	it->prev_smallest = r->smallest;
	return true;
}

/**
 * tquic_ack_ranges_write() - encode ACK ranges into an ACK frame's fields
 * @buf: where the Gap/ACK Range Length pairs go
 * @len: room at @buf
 * @r: the ranges, largest first, disjoint and not adjacent
 * @n: number of ranges, at least 1
 * @ack: gets largest, first_range, range_count, ranges and ranges_len
 *
 * The ranges after the first that do not fit in @len are left out, the
 * oldest first (RFC 9000 §13.2.4: the receiver of the ACK takes what is
 * missing as not yet acknowledged, and a later ACK may report it).
 *
 * Return: bytes used at @buf, or -EINVAL for ranges not in order.
 */
int tquic_ack_ranges_write(u8 *buf, size_t len,
			   const struct tquic_ack_range *r, size_t n,
			   struct tquic_frame_ack *ack)
{
	struct tquic_wr w;
	size_t i;
	u64 gap, rlen;

	tquic_wr_init(&w, buf, len);
	if (!n || r[0].smallest > r[0].largest)
		return -EINVAL;
	ack->largest = r[0].largest;
	ack->first_range = r[0].largest - r[0].smallest;
	for (i = 1; i < n; i++) {
		/* RFC 9000 §19.3.1: Gap = previous smallest - largest - 2 */
		if (r[i].smallest > r[i].largest ||
		    r[i].largest + 2 > r[i - 1].smallest)
			return -EINVAL;
		gap = r[i - 1].smallest - r[i].largest - 2;
		rlen = r[i].largest - r[i].smallest;
		if (tquic_varint_len(gap) + tquic_varint_len(rlen) >
		    (size_t)(w.end - w.p))
			break;
		tquic_wr_varint(&w, gap);
		tquic_wr_varint(&w, rlen);
	}
	if (w.err)
		return w.err;
	ack->range_count = i - 1;
	ack->ranges = buf;
	ack->ranges_len = (size_t)(w.p - buf);
	return (int)ack->ranges_len;
}

static void tquic_frame_write_body(struct tquic_wr *w,
				   const struct tquic_frame *f)
{
	switch (f->type) {
	case TQUIC_FT_PING:
	case TQUIC_FT_HANDSHAKE_DONE:
		break;
	case TQUIC_FT_ACK:
	case TQUIC_FT_ACK_ECN:
	case TQUIC_FT_PATH_ACK:
	case TQUIC_FT_PATH_ACK_ECN:
		if (f->type == TQUIC_FT_PATH_ACK || f->type == TQUIC_FT_PATH_ACK_ECN)
			tquic_wr_varint(w, f->ack.path_id);
		tquic_wr_varint(w, f->ack.largest);
		tquic_wr_varint(w, f->ack.delay);
		tquic_wr_varint(w, f->ack.range_count);
		tquic_wr_varint(w, f->ack.first_range);
		tquic_wr_bytes(w, f->ack.ranges, f->ack.ranges_len);
		if (f->type == TQUIC_FT_ACK_ECN || f->type == TQUIC_FT_PATH_ACK_ECN) {
			tquic_wr_varint(w, f->ack.ect0);
			tquic_wr_varint(w, f->ack.ect1);
			tquic_wr_varint(w, f->ack.ce);
		}
		break;
	case TQUIC_FT_RESET_STREAM:
		tquic_wr_varint(w, f->reset_stream.stream_id);
		tquic_wr_varint(w, f->reset_stream.error_code);
		tquic_wr_varint(w, f->reset_stream.final_size);
		break;
	case TQUIC_FT_STOP_SENDING:
		tquic_wr_varint(w, f->stop_sending.stream_id);
		tquic_wr_varint(w, f->stop_sending.error_code);
		break;
	case TQUIC_FT_CRYPTO:
		tquic_wr_varint(w, f->crypto.offset);
		tquic_wr_varint(w, f->crypto.len);
		tquic_wr_bytes(w, f->crypto.data, f->crypto.len);
		break;
	case TQUIC_FT_NEW_TOKEN:
		if (!f->new_token.len)
			w->err = -EINVAL;
		tquic_wr_varint(w, f->new_token.len);
		tquic_wr_bytes(w, f->new_token.token, f->new_token.len);
		break;
	case TQUIC_FT_STREAM ... TQUIC_FT_STREAM + 7:
		tquic_wr_varint(w, f->stream.stream_id);
		if (f->type & TQUIC_STREAM_OFF)
			tquic_wr_varint(w, f->stream.offset);
		else if (f->stream.offset)
			w->err = -EINVAL;
		if (f->type & TQUIC_STREAM_LEN)
			tquic_wr_varint(w, f->stream.len);
		if (!!(f->type & TQUIC_STREAM_FIN) != f->stream.fin)
			w->err = -EINVAL;
		tquic_wr_bytes(w, f->stream.data, f->stream.len);
		break;
	case TQUIC_FT_MAX_DATA:
	case TQUIC_FT_MAX_STREAMS_BIDI:
	case TQUIC_FT_MAX_STREAMS_UNI:
		tquic_wr_varint(w, f->max.max);
		break;
	case TQUIC_FT_MAX_STREAM_DATA:
		tquic_wr_varint(w, f->max_stream_data.stream_id);
		tquic_wr_varint(w, f->max_stream_data.max);
		break;
	case TQUIC_FT_DATA_BLOCKED:
	case TQUIC_FT_STREAMS_BLOCKED_BIDI:
	case TQUIC_FT_STREAMS_BLOCKED_UNI:
		tquic_wr_varint(w, f->blocked.limit);
		break;
	case TQUIC_FT_STREAM_DATA_BLOCKED:
		tquic_wr_varint(w, f->stream_data_blocked.stream_id);
		tquic_wr_varint(w, f->stream_data_blocked.limit);
		break;
	case TQUIC_FT_NEW_CONNECTION_ID:
	case TQUIC_FT_PATH_NEW_CONNECTION_ID:
		if (f->new_cid.cid_len < 1 || f->new_cid.cid_len > TQUIC_MAX_CID_LEN ||
		    f->new_cid.retire_prior_to > f->new_cid.seq)
			w->err = -EINVAL;
		if (f->type == TQUIC_FT_PATH_NEW_CONNECTION_ID)
			tquic_wr_varint(w, f->new_cid.path_id);
		tquic_wr_varint(w, f->new_cid.seq);
		tquic_wr_varint(w, f->new_cid.retire_prior_to);
		tquic_wr_bytes(w, &f->new_cid.cid_len, 1);
		tquic_wr_bytes(w, f->new_cid.cid, f->new_cid.cid_len);
		tquic_wr_bytes(w, f->new_cid.reset_token, TQUIC_RESET_TOKEN_LEN);
		break;
	case TQUIC_FT_RETIRE_CONNECTION_ID:
	case TQUIC_FT_PATH_RETIRE_CONNECTION_ID:
		if (f->type == TQUIC_FT_PATH_RETIRE_CONNECTION_ID)
			tquic_wr_varint(w, f->retire_cid.path_id);
		tquic_wr_varint(w, f->retire_cid.seq);
		break;
	case TQUIC_FT_PATH_CHALLENGE:
	case TQUIC_FT_PATH_RESPONSE:
		tquic_wr_bytes(w, f->path_data.data, TQUIC_PATH_DATA_LEN);
		break;
	case TQUIC_FT_CONNECTION_CLOSE:
	case TQUIC_FT_CONNECTION_CLOSE_APP:
		tquic_wr_varint(w, f->close.error_code);
		if (f->type == TQUIC_FT_CONNECTION_CLOSE)
			tquic_wr_varint(w, f->close.frame_type);
		tquic_wr_varint(w, f->close.reason_len);
		tquic_wr_bytes(w, f->close.reason, f->close.reason_len);
		break;
	case TQUIC_FT_DATAGRAM:
		tquic_wr_bytes(w, f->datagram.data, f->datagram.len);
		break;
	case TQUIC_FT_DATAGRAM_LEN:
		tquic_wr_varint(w, f->datagram.len);
		tquic_wr_bytes(w, f->datagram.data, f->datagram.len);
		break;
	case TQUIC_FT_PATH_ABANDON:
		tquic_wr_varint(w, f->path_abandon.path_id);
		tquic_wr_varint(w, f->path_abandon.error_code);
		break;
	case TQUIC_FT_PATH_STATUS_BACKUP:
	case TQUIC_FT_PATH_STATUS_AVAILABLE:
		tquic_wr_varint(w, f->path_status.path_id);
		tquic_wr_varint(w, f->path_status.seq);
		break;
	case TQUIC_FT_MAX_PATH_ID:
	case TQUIC_FT_PATHS_BLOCKED:
		if (f->max_path_id.max_path_id > TQUIC_MAX_PATH_ID)
			w->err = -ERANGE;
		tquic_wr_varint(w, f->max_path_id.max_path_id);
		break;
	case TQUIC_FT_PATH_CIDS_BLOCKED:
		tquic_wr_varint(w, f->path_cids_blocked.path_id);
		tquic_wr_varint(w, f->path_cids_blocked.next_seq);
		break;
	default:
		w->err = -EINVAL;
	}
}

/**
 * tquic_frame_write() - encode one frame
 * @buf: destination
 * @len: room at @buf
 * @f: the frame; for PADDING, @f->padding.len zero bytes are written
 *
 * Return: bytes written; -ENOSPC when it does not fit; -EINVAL or -ERANGE
 * for a frame that must not be sent as given.
 */
int tquic_frame_write(u8 *buf, size_t len, const struct tquic_frame *f)
{
	struct tquic_wr w;

	tquic_wr_init(&w, buf, len);
	if (f->type == TQUIC_FT_PADDING) {
		if (f->padding.len > len)
			return -ENOSPC;
		memset(buf, 0, f->padding.len);
		return (int)f->padding.len;
	}
	if (!tquic_frame_pkt_types(f->type))
		return -EINVAL;
	tquic_wr_varint(&w, f->type);
	tquic_frame_write_body(&w, f);
	if (w.err)
		return w.err;
	return (int)(w.p - buf);
}

/**
 * tquic_frame_put() - append a frame to a packet's payload
 * @buf: the payload
 * @room: its size
 * @used: bytes of it in use; advanced past the frame
 * @f: the frame
 *
 * Return: 0, or a negative errno (-ENOSPC: it does not fit) with @used
 * unchanged.
 */
int tquic_frame_put(u8 *buf, size_t room, size_t *used,
		    const struct tquic_frame *f)
{
	int n = tquic_frame_write(buf + *used, room - *used, f);

	if (n < 0)
		return n;
	*used += (size_t)n;
	return 0;
}
