// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * A QUIC connection's transport state machine: see conn.h.
 */

#include <linux/errno.h>
#include <linux/string.h>
#include <linux/types.h>

#include "conn.h"
#include "error.h"
#include "header.h"
#include "pktnum.h"
#include "protect.h"
#include "retry.h"
#include "varint.h"

/* What a sent packet carried, packed into tquic_sent.token. */
#define TQUIC_TOK_LEN_MASK	0xffffULL
#define TQUIC_TOK_OFF_SHIFT	16
#define TQUIC_TOK_OFF_MASK	0xffffffffULL
#define TQUIC_TOK_HANDSHAKE_DONE (1ULL << 48)
#define TQUIC_TOK_CIDS		(1ULL << 49)	/* CID frames: see cid.h */

#define TQUIC_OUR_MAX_ACK_DELAY_MS	25	/* RFC 9000 §18.2 default */
#define TQUIC_OUR_ACK_DELAY_EXP		3

static const struct {
	enum tquic_hdr_kind kind;
	enum tquic_pkt_type pt;
} tquic_level_hdr[TQUIC_NR_LEVELS] = {
	[TQUIC_LEVEL_INITIAL] = { TQUIC_HDR_INITIAL, TQUIC_PKT_INITIAL },
	[TQUIC_LEVEL_HANDSHAKE] = { TQUIC_HDR_HANDSHAKE, TQUIC_PKT_HANDSHAKE },
	[TQUIC_LEVEL_APP] = { TQUIC_HDR_SHORT, TQUIC_PKT_1RTT },
};

/* The CRYPTO range a sent packet's token names; false when none. */
static bool tquic_tok_crypto(u64 token, u32 *off, u32 *len)
{
	*len = token & TQUIC_TOK_LEN_MASK;
	*off = (token >> TQUIC_TOK_OFF_SHIFT) & TQUIC_TOK_OFF_MASK;
	return *len != 0;
}

struct tquic_rec_ctx {
	struct tquic_conn *c;
	enum tquic_level level;
};

static void tquic_conn_set_state(struct tquic_conn *c,
				 enum tquic_state state)
{
	if (c->state == state)
		return;
	c->state = state;
	if (c->ops && c->ops->state_changed)
		c->ops->state_changed(c->ops->ctx, state);
}

static u64 tquic_conn_pto(const struct tquic_conn *c)
{
	return tquic_rtt_pto(&c->pr.rtt, c->pr.max_ack_delay, c->confirmed);
}

/* RFC 9000 §10.1: the idle period restarts, and is at least 3 PTOs */
static void tquic_conn_idle_restart(struct tquic_conn *c, u64 now)
{
	u64 min = 3 * tquic_conn_pto(c);

	if (c->idle_timeout)
		c->idle_deadline = now + (c->idle_timeout > min ?
					  c->idle_timeout : min);
}

static void tquic_level_drop_keys(struct tquic_conn_level *l)
{
	if (l->has_rx)
		tquic_keys_destroy(&l->rx);
	if (l->has_tx)
		tquic_keys_destroy(&l->tx);
	l->has_rx = false;
	l->has_tx = false;
}

static void tquic_conn_discard(struct tquic_conn *c, enum tquic_level level)
{
	struct tquic_conn_level *l = &c->lvl[level];

	if (l->discarded)
		return;
	/* RFC 9001 §4.9, RFC 9002 §6.4 */
	tquic_space_discard(&l->space, &c->pr);
	tquic_level_drop_keys(l);
	l->discarded = true;
	l->probes = 0;
	/* RFC 9002 A.6: the backoff restarts with the space gone */
	c->pto_count = 0;
	c->pto_fired = 0;
}

/*
 * The frames packet @pn at @level carried (its @token) were acknowledged,
 * or are owed again: the packet was lost or never went out. RFC 9000
 * §13.3: CRYPTO data, HANDSHAKE_DONE, NEW_CONNECTION_ID and
 * RETIRE_CONNECTION_ID are sent again until acknowledged.
 */
static void tquic_conn_frames_outcome(struct tquic_conn *c,
				      enum tquic_level level, u64 token,
				      const struct tquic_sent_stream *st,
				      u64 pn, bool acked)
{
	struct tquic_cstream *cout = &c->lvl[level].cout;
	u32 off, len;

	if (tquic_tok_crypto(token, &off, &len)) {
		if (acked)
			tquic_cstream_on_acked(cout, off, len);
		else
			tquic_cstream_on_lost(cout, off, len);
	}
	if (token & TQUIC_TOK_HANDSHAKE_DONE)
		c->handshake_done_pending = !acked;
	if (token & TQUIC_TOK_CIDS) {
		tquic_local_cids_on_outcome(&c->lcids, pn, acked);
		tquic_peer_cids_on_outcome(&c->pcids, pn, acked);
	}
	if (st->id || st->msd || st->max_data || st->max_streams)
		tquic_streams_outcome(c, st, acked);
}

static void tquic_conn_on_acked(void *ctx, const struct tquic_sent *p)
{
	struct tquic_rec_ctx *rc = ctx;

	tquic_conn_frames_outcome(rc->c, rc->level, p->token, &p->st, p->pn,
				  true);
}

static void tquic_conn_on_lost(void *ctx, const struct tquic_sent *p)
{
	struct tquic_rec_ctx *rc = ctx;

	rc->c->stats.pkts_lost++;
	tquic_conn_frames_outcome(rc->c, rc->level, p->token, &p->st, p->pn,
				  false);
}

static int tquic_conn_install_initial(struct tquic_conn *c, const u8 *dcid,
				      u8 dcid_len)
{
	struct tquic_conn_level *l = &c->lvl[TQUIC_LEVEL_INITIAL];
	int err;

	tquic_level_drop_keys(l);
	err = tquic_initial_keys_install(c->version, dcid, dcid_len,
					 c->is_server, &l->rx, &l->tx);
	if (err)
		return err;
	l->has_rx = true;
	l->has_tx = true;
	return 0;
}

static int tquic_conn_local_tparams(struct tquic_conn *c,
				    const struct tquic_conn_cfg *cfg)
{
	struct tquic_tparams *tp = &c->local_tp;
	int n;

	tquic_tparams_init(tp);
	tp->present = TQUIC_TPB(TQUIC_TP_INITIAL_SCID) |
		      TQUIC_TPB(TQUIC_TP_MAX_UDP_PAYLOAD_SIZE) |
		      TQUIC_TPB(TQUIC_TP_ACTIVE_CONNECTION_ID_LIMIT);
	memcpy(tp->initial_scid, c->scid, c->scid_len);
	tp->initial_scid_len = c->scid_len;
	tp->max_udp_payload_size = TQUIC_MAX_DGRAM;
	tp->active_connection_id_limit = TQUIC_CID_SLOTS;
	if (cfg->idle_timeout_ms) {
		tp->present |= TQUIC_TPB(TQUIC_TP_MAX_IDLE_TIMEOUT);
		tp->max_idle_timeout = cfg->idle_timeout_ms;
	}
	if (c->is_server) {
		tp->present |= TQUIC_TPB(TQUIC_TP_ORIGINAL_DCID) |
			       TQUIC_TPB(TQUIC_TP_STATELESS_RESET_TOKEN);
		memcpy(tp->original_dcid, c->odcid, c->odcid_len);
		tp->original_dcid_len = c->odcid_len;
		memcpy(tp->stateless_reset_token, cfg->reset_token,
		       TQUIC_RESET_TOKEN_LEN);
		if (c->retry_scid_len) {
			tp->present |= TQUIC_TPB(TQUIC_TP_RETRY_SCID);
			memcpy(tp->retry_scid, c->retry_scid,
			       c->retry_scid_len);
			tp->retry_scid_len = c->retry_scid_len;
		}
	}
	/* RFC 9221 §3: DATAGRAM frames carry the tunnel's inner packets */
	tp->present |= TQUIC_TPB(TQUIC_TP_MAX_DATAGRAM_FRAME_SIZE);
	tp->max_datagram_frame_size = TQUIC_DGRAM_FRAME_MAX;
	/* unidirectional streams carry TCP flows (stream.c) */
	tquic_streams_init(c);
	n = tquic_tparams_write(c->local_tp_buf, sizeof(c->local_tp_buf),
				c->is_server, tp);
	if (n < 0)
		return n;
	c->local_tp_len = (size_t)n;
	return 0;
}

/**
 * tquic_conn_init() - a connection in the handshake state
 * @c: storage, owned by the caller
 * @cfg: how it starts
 * @ops: how it reports, or NULL
 *
 * Installs the Initial keys (RFC 9001 §5.2) from the Destination CID of the
 * client's first Initial and encodes our transport parameters.
 *
 * Return: 0 or a negative errno (then tquic_conn_destroy() is still due).
 */
int tquic_conn_init(struct tquic_conn *c, const struct tquic_conn_cfg *cfg,
		    const struct tquic_conn_ops *ops)
{
	int i, err;

	memset(c, 0, sizeof(*c));
	c->ops = ops;
	if (cfg->version != TQUIC_VERSION_1 && cfg->version != TQUIC_VERSION_2)
		return -EPROTONOSUPPORT;
	if (cfg->scid_len > TQUIC_MAX_CID_LEN ||
	    cfg->dcid_len > TQUIC_MAX_CID_LEN ||
	    cfg->odcid_len > TQUIC_MAX_CID_LEN ||
	    cfg->retry_scid_len > TQUIC_MAX_CID_LEN)
		return -EINVAL;
	/* RFC 9000 §7.2: a client's first Destination CID has 8 bytes or more */
	if (!cfg->is_server && cfg->dcid_len < 8)
		return -EINVAL;
	c->is_server = cfg->is_server;
	c->version = cfg->version;
	c->state = TQUIC_STATE_HANDSHAKE;
	memcpy(c->scid, cfg->scid, cfg->scid_len);
	c->scid_len = cfg->scid_len;
	memcpy(c->dcid, cfg->dcid, cfg->dcid_len);
	c->dcid_len = cfg->dcid_len;
	if (c->is_server) {
		memcpy(c->odcid, cfg->odcid, cfg->odcid_len);
		c->odcid_len = cfg->odcid_len;
		memcpy(c->retry_scid, cfg->retry_scid, cfg->retry_scid_len);
		c->retry_scid_len = cfg->retry_scid_len;
		/* the client's Source CID is known from its Initial */
		memcpy(c->peer_scid, cfg->dcid, cfg->dcid_len);
		c->peer_scid_len = cfg->dcid_len;
		c->got_peer_scid = true;
		/* RFC 9000 §8.1: a Retry token proves the address */
		c->addr_validated = cfg->retry_scid_len > 0;
	} else {
		memcpy(c->odcid, cfg->dcid, cfg->dcid_len);
		c->odcid_len = cfg->dcid_len;
		c->addr_validated = true;
	}

	for (i = 0; i < TQUIC_NR_LEVELS; i++) {
		struct tquic_conn_level *l = &c->lvl[i];

		tquic_space_init(&l->space, l->ring, TQUIC_SENT_RING);
		tquic_ackrx_init(&l->ackrx);
		tquic_cstream_init(&l->cout, l->cout_buf, l->cout_need,
				   l->cout_acked, TQUIC_CRYPTO_TX_CAP);
		tquic_reasm_init(&l->cin, l->cin_buf, l->cin_have,
				 TQUIC_CRYPTO_RX_CAP);
	}
	tquic_rtt_init(&c->pr.rtt);
	tquic_cc_init(&c->pr.cc, TQUIC_MIN_INITIAL_DGRAM);
	c->pr.max_ack_delay = TQUIC_OUR_MAX_ACK_DELAY_MS * 1000;
	c->pr.ack_delay_exponent = TQUIC_OUR_ACK_DELAY_EXP;
	tquic_peer_cids_init(&c->pcids, TQUIC_CID_SLOTS);
	tquic_local_cids_init(&c->lcids, c->scid, c->scid_len);
	tquic_pacer_init(&c->pacer, c->pr.cc.cwnd, cfg->now);
	c->keepalive = cfg->keepalive_ms * 1000;
	c->integrity_limit = TQUIC_INTEGRITY_LIMIT_GCM;
	c->max_dgram = TQUIC_MAX_DGRAM;

	c->idle_timeout = cfg->idle_timeout_ms * 1000;
	c->idle_deadline = c->idle_timeout ? cfg->now + c->idle_timeout : 0;
	c->pto_anchor = cfg->now;

	err = tquic_conn_local_tparams(c, cfg);
	if (err)
		return err;
	/* RFC 9001 §5.2: after a Retry, from the CID the Retry gave */
	if (c->retry_scid_len)
		return tquic_conn_install_initial(c, c->retry_scid,
						  c->retry_scid_len);
	return tquic_conn_install_initial(c, c->odcid, c->odcid_len);
}

/**
 * tquic_conn_destroy() - free the keys; @c itself is the caller's
 * @c: connection
 */
void tquic_conn_destroy(struct tquic_conn *c)
{
	int i;

	tquic_streams_destroy(c);
	tquic_keyphase_destroy(&c->kp);
	if (c->app_ring)
		tquic_big_free(c->app_ring, c->lvl[TQUIC_LEVEL_APP].space.cap *
			       sizeof(*c->app_ring));
	for (i = 0; i < TQUIC_NR_LEVELS; i++)
		tquic_level_drop_keys(&c->lvl[i]);
	tquic_crypto_buf_free(c->pending);
	c->pending = NULL;
	c->npending = 0;
}

/**
 * tquic_conn_close() - close the connection (RFC 9000 §10.2)
 * @c: connection
 * @now: current time
 * @app: @error is an application error code (CONNECTION_CLOSE 0x1d)
 * @error: error code
 * @frame_type: the frame type that caused a transport error, or 0
 *
 * The connection enters the closing state: it sends CONNECTION_CLOSE and
 * answers further packets with it for three PTOs, then it is closed.
 */
void tquic_conn_close(struct tquic_conn *c, u64 now, bool app, u64 error,
		      u64 frame_type)
{
	if (c->state >= TQUIC_STATE_CLOSING)
		return;
	c->close_app = app;
	c->close_error = error;
	c->close_frame_type = frame_type;
	c->close_remote = false;
	c->close_send = true;
	c->close_deadline = now + 3 * tquic_conn_pto(c);
	tquic_conn_set_state(c, TQUIC_STATE_CLOSING);
}

static void tquic_conn_drain(struct tquic_conn *c, u64 now, bool app,
			     u64 error)
{
	if (c->state >= TQUIC_STATE_DRAINING)
		return;
	if (c->state != TQUIC_STATE_CLOSING) {
		c->close_app = app;
		c->close_error = error;
		c->close_frame_type = 0;
		c->close_remote = true;
	}
	c->close_send = false;
	/* RFC 9000 §10.2.2 */
	c->close_deadline = now + 3 * tquic_conn_pto(c);
	tquic_conn_set_state(c, TQUIC_STATE_DRAINING);
}

static void tquic_conn_deliver_crypto(struct tquic_conn *c,
				      enum tquic_level level)
{
	struct tquic_reasm *r = &c->lvl[level].cin;
	size_t n;

	while ((n = tquic_reasm_read(r, c->chunk, sizeof(c->chunk))) > 0) {
		if (c->ops && c->ops->crypto_data)
			c->ops->crypto_data(c->ops->ctx, level, c->chunk, n);
	}
}

/* Send with the peer's next unused CID; false when it issued none */
static bool tquic_conn_next_peer_cid(struct tquic_conn *c)
{
	struct tquic_cid_entry *e = tquic_peer_cids_pick(&c->pcids);

	if (!e)
		return false;
	memcpy(c->dcid, e->cid, e->len);
	c->dcid_len = e->len;
	return true;
}

/* RFC 9000 §5.1.2: once the CID we send with is retired, use another */
static void tquic_conn_follow_peer_cid(struct tquic_conn *c)
{
	if (c->has_peer_tp && !tquic_peer_cids_in_use(&c->pcids))
		tquic_conn_next_peer_cid(c);
}

/*
 * One packet's frames; @h is its header. Returns 0, 1 when the peer
 * closed, or the QUIC error code (always positive) the connection must
 * close with.
 */
static u64 tquic_conn_frames(struct tquic_conn *c, u64 now,
			     enum tquic_level level, const struct tquic_hdr *h,
			     const u8 *p, size_t len, bool *ack_eliciting,
			     u64 *bad_frame, bool *closed)
{
	struct tquic_conn_level *l = &c->lvl[level];
	struct tquic_rec_ctx rc = { .c = c, .level = level };
	const struct tquic_rec_ops rops = {
		.acked = tquic_conn_on_acked,
		.lost = tquic_conn_on_lost,
		.ctx = &rc,
	};
	struct tquic_frame f;
	struct tquic_cur cur;
	u64 err64;
	int err;

	/* RFC 9000 §12.4: a packet holds at least one frame */
	if (!len)
		return TQUIC_PROTOCOL_VIOLATION;
	tquic_cur_init(&cur, p, len);
	while (tquic_cur_left(&cur)) {
		err = tquic_frame_read(&cur, tquic_level_hdr[level].pt,
				       TQUIC_FRAME_F_DATAGRAM, &f);
		if (err)
			return tquic_frame_err_to_quic(err);
		*bad_frame = f.type;
		switch (f.type) {
		case TQUIC_FT_PADDING:
			continue;
		case TQUIC_FT_ACK:
		case TQUIC_FT_ACK_ECN:
			err = tquic_space_on_ack(&l->space, &c->pr, &f.ack, now,
						 &rops);
			if (err)
				return TQUIC_PROTOCOL_VIOLATION;
			if (level == TQUIC_LEVEL_HANDSHAKE)
				c->peer_validated_us = true;
			/* RFC 9002 A.7 */
			if (c->is_server || c->peer_validated_us) {
				c->pto_count = 0;
				c->pto_fired = 0;
			}
			continue;
		case TQUIC_FT_CONNECTION_CLOSE:
		case TQUIC_FT_CONNECTION_CLOSE_APP:
			tquic_conn_drain(c, now,
					 f.type == TQUIC_FT_CONNECTION_CLOSE_APP,
					 f.close.error_code);
			*closed = true;
			return 0;
		default:
			break;
		}
		*ack_eliciting = true;
		switch (f.type) {
		case TQUIC_FT_PING:
			break;
		case TQUIC_FT_CRYPTO:
			/* RFC 9000 §7.5 */
			err = tquic_reasm_insert(&l->cin, f.crypto.offset,
						 f.crypto.data, f.crypto.len,
						 false);
			if (err == -ENOSPC)
				return TQUIC_CRYPTO_BUFFER_EXCEEDED;
			if (err)
				return TQUIC_FRAME_ENCODING_ERROR;
			tquic_conn_deliver_crypto(c, level);
			if (c->state >= TQUIC_STATE_CLOSING)
				return 0;
			break;
		case TQUIC_FT_HANDSHAKE_DONE:
			/* RFC 9000 §19.20 */
			if (c->is_server)
				return TQUIC_PROTOCOL_VIOLATION;
			if (!c->confirmed) {
				c->confirmed = true;	/* RFC 9001 §4.1.2 */
				c->pr.handshake_confirmed = true;
				c->peer_validated_us = true;
				tquic_conn_discard(c, TQUIC_LEVEL_HANDSHAKE);
			}
			break;
		case TQUIC_FT_NEW_TOKEN:
			/* RFC 9000 §19.7 */
			if (c->is_server)
				return TQUIC_PROTOCOL_VIOLATION;
			break;	/* no 0-RTT, so no use for tokens */
		case TQUIC_FT_NEW_CONNECTION_ID:
			/* RFC 9000 §19.15: not for zero-length CIDs */
			if (!c->dcid_len)
				return TQUIC_PROTOCOL_VIOLATION;
			err = tquic_peer_cids_on_frame(&c->pcids, &f);
			if (err == -EDQUOT)
				return TQUIC_CONNECTION_ID_LIMIT_ERROR;
			if (err)
				return TQUIC_PROTOCOL_VIOLATION;
			tquic_conn_follow_peer_cid(c);
			break;
		case TQUIC_FT_RETIRE_CONNECTION_ID:
			/* RFC 9000 §19.16; a replacement is issued on send */
			err = tquic_local_cids_retire(&c->lcids, f.retire_cid.seq,
						      h->dcid, h->dcid_len);
			if (err < 0)
				return TQUIC_PROTOCOL_VIOLATION;
			c->stats.cids_retired += err;
			break;
		case TQUIC_FT_PATH_CHALLENGE:
			/* RFC 9000 §8.2.2 */
			memcpy(c->path_response, f.path_data.data,
			       TQUIC_PATH_DATA_LEN);
			c->path_response_pending = true;
			break;
		case TQUIC_FT_PATH_RESPONSE:
			break;	/* we sent no challenge: ignored */
		case TQUIC_FT_DATAGRAM:
		case TQUIC_FT_DATAGRAM_LEN:
			tquic_dgram_recv(c, f.datagram.data, f.datagram.len);
			break;
		case TQUIC_FT_MAX_DATA:
		case TQUIC_FT_MAX_STREAMS_BIDI:
		case TQUIC_FT_MAX_STREAMS_UNI:
		case TQUIC_FT_DATA_BLOCKED:
		case TQUIC_FT_STREAMS_BLOCKED_BIDI:
		case TQUIC_FT_STREAMS_BLOCKED_UNI:
		case TQUIC_FT_RESET_STREAM:
		case TQUIC_FT_STOP_SENDING:
		case TQUIC_FT_MAX_STREAM_DATA:
		case TQUIC_FT_STREAM_DATA_BLOCKED:
		case TQUIC_FT_STREAM ... TQUIC_FT_STREAM + 7:
			err64 = tquic_streams_on_frame(c, &f);
			if (err64)
				return err64;
			if (c->state >= TQUIC_STATE_CLOSING)
				return 0;
			break;
		default:
			return TQUIC_PROTOCOL_VIOLATION;
		}
	}
	*bad_frame = 0;
	return 0;
}

static void tquic_conn_buffer(struct tquic_conn *c, const u8 *pkt, size_t len)
{
	struct tquic_pending_pkt *pp;

	/* RFC 9001 §5.7: kept until the keys arrive, within a bound */
	if (c->npending >= TQUIC_PENDING_PKTS || len > TQUIC_MAX_DGRAM) {
		c->stats.pkts_dropped++;
		return;
	}
	/*
	 * Apart from the connection: it is decrypted in place later, and
	 * the AEAD wants linear memory, which a large connection object
	 * need not be (see kernel/core/crypto.h).
	 */
	if (!c->pending) {
		c->pending = tquic_crypto_buf_alloc(TQUIC_PENDING_PKTS *
						    sizeof(*c->pending));
		if (!c->pending) {
			c->stats.pkts_dropped++;
			return;
		}
	}
	pp = &c->pending[c->npending++];
	memmove(pp->data, pkt, len);
	pp->len = (u16)len;
}

static void tquic_conn_replay_pending(struct tquic_conn *c, u64 now)
{
	u8 i, n = c->npending;

	c->npending = 0;
	for (i = 0; i < n; i++)
		tquic_conn_recv(c, now, c->pending[i].data, c->pending[i].len);
}

static void tquic_conn_on_retry(struct tquic_conn *c,
				const struct tquic_hdr *h, const u8 *pkt,
				size_t len)
{
	struct tquic_conn_level *l = &c->lvl[TQUIC_LEVEL_INITIAL];

	/* RFC 9000 §17.2.5.2: one Retry, before any Initial was processed */
	if (c->is_server || c->retried || l->any_rx ||
	    h->token_len == 0 || h->token_len > TQUIC_MAX_TOKEN_LEN ||
	    (h->scid_len == c->odcid_len &&
	     !memcmp(h->scid, c->odcid, c->odcid_len)) ||
	    tquic_retry_verify(c->version, c->odcid, c->odcid_len, pkt, len)) {
		c->stats.pkts_dropped++;
		return;
	}
	memcpy(c->token, h->token, h->token_len);
	c->token_len = (u16)h->token_len;
	memcpy(c->retry_scid, h->scid, h->scid_len);
	c->retry_scid_len = h->scid_len;
	memcpy(c->dcid, h->scid, h->scid_len);
	c->dcid_len = h->scid_len;
	c->retried = true;
	/* RFC 9001 §5.2: Initial keys from the new Destination CID */
	if (tquic_conn_install_initial(c, c->dcid, c->dcid_len))
		return;
	/* packet numbers go on (§17.2.5.3); everything is sent again */
	tquic_space_discard(&l->space, &c->pr);
	tquic_cstream_resend_unacked(&l->cout);
	c->stats.pkts_rx++;
}

static bool tquic_conn_vn_lists(const struct tquic_hdr *h, u32 version)
{
	size_t i;

	for (i = 0; i < h->nversions; i++)
		if (tquic_get_be32(h->versions + 4 * i) == version)
			return true;
	return false;
}

static enum tquic_level tquic_kind_level(enum tquic_hdr_kind kind)
{
	return kind == TQUIC_HDR_INITIAL ? TQUIC_LEVEL_INITIAL :
	       kind == TQUIC_HDR_HANDSHAKE ? TQUIC_LEVEL_HANDSHAKE :
	       TQUIC_LEVEL_APP;
}

static bool tquic_cid_eq(const u8 *a, u8 alen, const u8 *b, u8 blen)
{
	return alen == blen && !memcmp(a, b, alen);
}

/*
 * One packet of a datagram; @pkt is decrypted in place. Returns whether it
 * could be decrypted (a stateless reset cannot).
 */
static bool tquic_conn_recv_pkt(struct tquic_conn *c, u64 now,
				const struct tquic_hdr *h, u8 *pkt,
				size_t dgram_len)
{
	enum tquic_level level = tquic_kind_level(h->kind);
	struct tquic_conn_level *l = &c->lvl[level];
	bool ack_eliciting = false, closed = false;
	struct tquic_keys *keys;
	size_t hdr_len, plen = h->len;
	u64 pn, err, bad_frame = 0;
	u8 reserved;

	if (h->kind == TQUIC_HDR_0RTT || l->discarded) {
		c->stats.pkts_dropped++;
		return false;
	}
	if (!l->has_rx || (level == TQUIC_LEVEL_APP && c->is_server &&
			   !c->tls_done)) {
		/* RFC 9001 §5.7: 1-RTT only once the handshake is complete */
		if (level != TQUIC_LEVEL_INITIAL)
			tquic_conn_buffer(c, pkt, plen);
		else
			c->stats.pkts_dropped++;
		return false;
	}
	/* RFC 9000 §14.1 */
	if (c->is_server && level == TQUIC_LEVEL_INITIAL &&
	    dgram_len < TQUIC_MIN_INITIAL_DGRAM) {
		c->stats.pkts_dropped++;
		return false;
	}
	/* RFC 9000 §7.2: the server's first Source CID becomes our DCID */
	if (h->kind != TQUIC_HDR_SHORT) {
		if (!c->got_peer_scid) {
			if (!h->scid_len) {
				c->stats.pkts_dropped++;
				return false;
			}
		} else if (!tquic_cid_eq(h->scid, h->scid_len, c->peer_scid,
					 c->peer_scid_len)) {
			c->stats.pkts_dropped++;
			return false;
		}
	}
	if (tquic_packet_hp_remove(&l->rx, pkt, plen, h->pn_offset,
				   l->largest_rx, !l->any_rx, &pn, &hdr_len)) {
		c->stats.pkts_undecryptable++;
		return false;
	}
	keys = &l->rx;
	if (h->kind == TQUIC_HDR_SHORT) {
		tquic_keyphase_expire(&c->kp, now);
		keys = tquic_keyphase_rx(&c->kp, &l->rx, pkt[0], pn);
	}
	if (!keys || tquic_packet_open(keys, 0, pkt, plen, hdr_len, pn)) {
		c->stats.pkts_undecryptable++;
		/* RFC 9001 §6.6: forgeries are counted across all keys */
		if (keys && ++c->auth_failures > c->integrity_limit)
			tquic_conn_close(c, now, false,
					 TQUIC_AEAD_LIMIT_REACHED, 0);
		return false;
	}
	if (tquic_ackrx_is_duplicate(&l->ackrx, pn)) {
		c->stats.pkts_dropped++;
		return true;
	}
	/* RFC 9000 §17.2, §17.3.1: reserved bits are zero once unprotected */
	reserved = h->kind == TQUIC_HDR_SHORT ? pkt[0] & 0x18 : pkt[0] & 0x0c;
	if (reserved) {
		tquic_conn_close(c, now, false, TQUIC_PROTOCOL_VIOLATION, 0);
		return true;
	}
	if (h->kind == TQUIC_HDR_SHORT &&
	    tquic_keyphase_on_rx(&c->kp, keys, &l->rx, &l->tx, pn,
				 l->space.next, now, 3 * tquic_conn_pto(c))) {
		tquic_conn_close(c, now, false, TQUIC_INTERNAL_ERROR, 0);
		return true;
	}
	if (h->kind != TQUIC_HDR_SHORT && !c->got_peer_scid) {
		memcpy(c->peer_scid, h->scid, h->scid_len);
		c->peer_scid_len = h->scid_len;
		memcpy(c->dcid, h->scid, h->scid_len);
		c->dcid_len = h->scid_len;
		c->got_peer_scid = true;
	}

	/* RFC 9000 §8.1: a Handshake packet proves the client's address */
	if (c->is_server && level == TQUIC_LEVEL_HANDSHAKE) {
		c->addr_validated = true;
		/* RFC 9001 §4.9.1 */
		tquic_conn_discard(c, TQUIC_LEVEL_INITIAL);
	}
	c->stats.pkts_rx++;
	c->stats.bytes_rx += plen;
	c->amp_rx += plen;
	tquic_conn_idle_restart(c, now);
	c->ack_eliciting_since_rx = false;

	err = tquic_conn_frames(c, now, level, h, pkt + hdr_len,
				plen - hdr_len - TQUIC_AEAD_TAG_LEN,
				&ack_eliciting, &bad_frame, &closed);
	if (err) {
		tquic_conn_close(c, now, false, err, bad_frame);
		return true;
	}
	if (closed || c->state >= TQUIC_STATE_CLOSING) {
		if (c->state == TQUIC_STATE_CLOSING &&
		    c->close_sent < TQUIC_CLOSE_REPEAT)
			c->close_send = true;	/* RFC 9000 §10.2.1 */
		return true;
	}
	if (l->discarded)
		return true;	/* HANDSHAKE_DONE dropped the Handshake space */
	tquic_ackrx_on_received(&l->ackrx, pn, now, ack_eliciting,
				TQUIC_ECN_NOT_ECT,
				TQUIC_OUR_MAX_ACK_DELAY_MS * 1000,
				level != TQUIC_LEVEL_APP);
	if (!l->any_rx || pn > l->largest_rx)
		l->largest_rx = pn;
	l->any_rx = true;
	return true;
}

/**
 * tquic_conn_recv() - process one UDP datagram addressed to the connection
 * @c: connection
 * @now: current time
 * @dgram: the datagram; decrypted in place
 * @len: its length
 *
 * Coalesced packets (RFC 9000 §12.2) are processed in order; packets that
 * fail to parse or decrypt are dropped and counted. A protocol error puts
 * the connection in the closing state.
 */
void tquic_conn_recv(struct tquic_conn *c, u64 now, u8 *dgram, size_t len)
{
	bool maybe_reset;
	size_t off = 0;

	if (c->state >= TQUIC_STATE_DRAINING || !len)
		return;
	/*
	 * RFC 9000 §10.3.1: compared before decryption, which works in
	 * place, and acted on only if the first packet fails.
	 */
	maybe_reset = !(dgram[0] & 0x80) &&
		      tquic_peer_cids_reset_match(&c->pcids, dgram, len);
	while (off < len) {
		struct tquic_hdr h;
		u8 *pkt = dgram + off;

		if (tquic_hdr_parse(pkt, len - off, c->scid_len, &h)) {
			c->stats.pkts_dropped++;
			goto failed;
		}
		/*
		 * RFC 9000 §5.2: ours, or (server) the client's first choice;
		 * §12.2: coalesced packets carry the same one.
		 */
		if (!tquic_conn_owns_cid(c, h.dcid, h.dcid_len) &&
		    !(c->is_server && h.kind != TQUIC_HDR_SHORT &&
		      tquic_cid_eq(h.dcid, h.dcid_len, c->odcid,
				   c->odcid_len))) {
			c->stats.pkts_dropped++;
			goto failed;
		}
		if (h.kind == TQUIC_HDR_VN) {
			/* RFC 9000 §6.2 */
			if (!c->is_server && !c->lvl[0].any_rx && !c->retried &&
			    !tquic_conn_vn_lists(&h, c->version)) {
				c->close_app = false;
				c->close_remote = true;
				c->close_error = TQUIC_CONNECTION_REFUSED;
				tquic_conn_set_state(c, TQUIC_STATE_CLOSED);
			}
			return;
		}
		if (h.kind != TQUIC_HDR_SHORT && h.version != c->version) {
			c->stats.pkts_dropped++;
			return;
		}
		if (h.kind == TQUIC_HDR_RETRY) {
			tquic_conn_on_retry(c, &h, pkt, h.len);
			return;
		}
		if (!tquic_conn_recv_pkt(c, now, &h, pkt, len) && !off)
			goto failed;
		if (c->state >= TQUIC_STATE_DRAINING)
			return;
		off += h.len;
	}
	return;
failed:
	if (!off && maybe_reset)
		tquic_conn_check_reset(c, now, dgram, len);
}

/**
 * tquic_conn_owns_cid() - is @cid one of the CIDs we issued and hold?
 * @c: connection
 * @cid: a packet's Destination CID
 * @len: its length
 */
bool tquic_conn_owns_cid(const struct tquic_conn *c, const u8 *cid, u8 len)
{
	return tquic_local_cids_find(&c->lcids, cid, len);
}

/**
 * tquic_conn_check_reset() - is @dgram the peer's stateless reset?
 * @c: connection
 * @now: current time
 * @dgram: a datagram whose first packet could not be associated with a
 *	connection or decrypted
 * @len: its length
 *
 * Compares its last 16 bytes with the reset token of the CID we send with
 * (RFC 9000 §10.3.1). On a match the connection enters the draining
 * period and sends nothing more.
 *
 * Return: whether it matched.
 */
bool tquic_conn_check_reset(struct tquic_conn *c, u64 now, const u8 *dgram,
			    size_t len)
{
	if (c->state >= TQUIC_STATE_DRAINING ||
	    !tquic_peer_cids_reset_match(&c->pcids, dgram, len))
		return false;
	c->close_reset = true;
	c->close_app = false;
	c->close_error = TQUIC_NO_ERROR;
	c->close_frame_type = 0;
	c->close_remote = true;
	tquic_conn_drain(c, now, false, TQUIC_NO_ERROR);
	return true;
}

/* Ack-eliciting frames wait at @level (its keys being there) */
static bool tquic_conn_has_eliciting(const struct tquic_conn *c,
				     enum tquic_level level)
{
	const struct tquic_conn_level *l = &c->lvl[level];

	if (!l->has_tx || l->discarded)
		return false;
	if (l->probes || tquic_cstream_pending(&l->cout))
		return true;
	return level == TQUIC_LEVEL_APP && c->tls_done &&
	       (c->handshake_done_pending || c->path_response_pending ||
		c->ping_pending || tquic_local_cids_owed(&c->lcids) ||
		tquic_peer_cids_owed(&c->pcids) || tquic_dgram_pending(c) ||
		tquic_streams_pending(c));
}

/* Every level with a packet to send now; at most one CONNECTION_CLOSE. */
static bool tquic_conn_wants(struct tquic_conn *c, enum tquic_level level,
			     u64 now, bool allow_eliciting)
{
	struct tquic_conn_level *l = &c->lvl[level];

	if (!l->has_tx || l->discarded)
		return false;
	if (c->state == TQUIC_STATE_CLOSING)
		return true;
	if (l->any_rx && tquic_ackrx_due(&l->ackrx, now))
		return true;
	return allow_eliciting && tquic_conn_has_eliciting(c, level);
}

/* NEW_CONNECTION_ID and RETIRE_CONNECTION_ID frames owed, in packet @pn */
static void tquic_conn_put_cid_frames(struct tquic_conn *c, u8 *p,
				      size_t room, size_t *used, u64 pn,
				      bool *eliciting, u64 *token)
{
	struct tquic_frame f;
	unsigned int i;

	for (i = 0; i < TQUIC_LCID_SLOTS; i++) {
		struct tquic_local_cid *e = &c->lcids.e[i];

		if (e->state != TQUIC_OWED_SEND)
			continue;
		memset(&f, 0, sizeof(f));
		f.type = TQUIC_FT_NEW_CONNECTION_ID;
		f.new_cid.seq = e->seq;
		f.new_cid.cid_len = e->len;
		memcpy(f.new_cid.cid, e->cid, e->len);
		memcpy(f.new_cid.reset_token, e->reset_token,
		       TQUIC_RESET_TOKEN_LEN);
		if (tquic_frame_put(p, room, used, &f))
			return;
		e->state = TQUIC_OWED_SENT;
		e->sent_pn = pn;
		*token |= TQUIC_TOK_CIDS;
		*eliciting = true;
	}
	for (i = 0; i < TQUIC_CID_RETIRE_MAX; i++) {
		struct tquic_cid_retire *r = &c->pcids.retire[i];

		if (r->state != TQUIC_OWED_SEND)
			continue;
		memset(&f, 0, sizeof(f));
		f.type = TQUIC_FT_RETIRE_CONNECTION_ID;
		f.retire_cid.seq = r->seq;
		if (tquic_frame_put(p, room, used, &f))
			return;
		r->state = TQUIC_OWED_SENT;
		r->sent_pn = pn;
		*token |= TQUIC_TOK_CIDS;
		*eliciting = true;
	}
}

/* The frames of packet @pn at @level, at @p; returns their length. */
static size_t tquic_conn_payload(struct tquic_conn *c, enum tquic_level level,
				 u64 now, u64 pn, u8 *p, size_t room,
				 bool allow_eliciting, bool *eliciting,
				 u64 *token, struct tquic_sent_stream *st)
{
	struct tquic_conn_level *l = &c->lvl[level];
	struct tquic_frame f;
	size_t used = 0;
	u8 ranges[TQUIC_ACK_RANGES_BUF];
	size_t rroom;
	u32 off, n;

	if (c->state == TQUIC_STATE_CLOSING) {
		memset(&f, 0, sizeof(f));
		/* RFC 9000 §10.2.3: no application close before 1-RTT */
		if (c->close_app && level == TQUIC_LEVEL_APP) {
			f.type = TQUIC_FT_CONNECTION_CLOSE_APP;
			f.close.error_code = c->close_error;
		} else {
			f.type = TQUIC_FT_CONNECTION_CLOSE;
			f.close.error_code = c->close_app ?
					     TQUIC_APPLICATION_ERROR :
					     c->close_error;
			f.close.frame_type = c->close_frame_type;
		}
		tquic_frame_put(p, room, &used, &f);
		return used;
	}
	/*
	 * RFC 9000 §13.2.4: the ranges that fit beside the frame's other
	 * fields, the newest first; the oldest are left out rather than
	 * the whole ACK.
	 */
	rroom = room > used + TQUIC_ACK_FIXED_MAX ?
		room - used - TQUIC_ACK_FIXED_MAX : 0;
	if (rroom > sizeof(ranges))
		rroom = sizeof(ranges);
	/*
	 * A 1-RTT packet carries an ACK only when ack-eliciting packets
	 * arrived since the last one (RFC 9000 §13.2.1: none for
	 * non-ack-eliciting packets alone). Repeating it in every packet
	 * spent up to 32 ranges' worth of every full datagram (5% of a
	 * bulk transfer); a lost ACK is made good by the next one, which
	 * reports every range again.
	 */
	if (l->any_rx && (l->ackrx.pending || l->ackrx.immediate ||
			  level != TQUIC_LEVEL_APP) &&
	    !tquic_ackrx_frame(&l->ackrx, now,
					    TQUIC_OUR_ACK_DELAY_EXP, false, 0,
					    ranges, rroom, &f)) {
		if (!tquic_frame_put(p, room, &used, &f))
			tquic_ackrx_on_ack_sent(&l->ackrx);
	}
	if (!allow_eliciting)
		return used;
	if (level == TQUIC_LEVEL_APP && c->tls_done) {
		if (c->handshake_done_pending) {
			f.type = TQUIC_FT_HANDSHAKE_DONE;
			if (!tquic_frame_put(p, room, &used, &f)) {
				c->handshake_done_pending = false;
				*token |= TQUIC_TOK_HANDSHAKE_DONE;
				*eliciting = true;
			}
		}
		if (c->path_response_pending) {
			f.type = TQUIC_FT_PATH_RESPONSE;
			memcpy(f.path_data.data, c->path_response,
			       TQUIC_PATH_DATA_LEN);
			if (!tquic_frame_put(p, room, &used, &f)) {
				c->path_response_pending = false;
				*eliciting = true;
			}
		}
		tquic_conn_put_cid_frames(c, p, room, &used, pn, eliciting,
					  token);
	}
	/* CRYPTO: type, offset (up to 4 bytes here), length (2) */
	if (room > used + 8) {
		n = tquic_cstream_next(&l->cout, (u32)(room - used - 8), &off);
		if (n) {
			f.type = TQUIC_FT_CRYPTO;
			f.crypto.offset = off;
			f.crypto.data = l->cout.buf + off;
			f.crypto.len = n;
			if (tquic_frame_put(p, room, &used, &f)) {
				tquic_cstream_on_lost(&l->cout, off, n);
			} else {
				*token |= ((u64)off << TQUIC_TOK_OFF_SHIFT) | n;
				*eliciting = true;
			}
		}
	}
	if (level == TQUIC_LEVEL_APP && room > used) {
		n = (u32)tquic_dgram_put(c, p + used, room - used);
		if (n) {
			used += n;
			*eliciting = true;
		}
	}
	/* last: a STREAM frame takes whatever room is left */
	if (level == TQUIC_LEVEL_APP && room > used) {
		n = (u32)tquic_streams_put(c, p + used, room - used, st);
		if (n) {
			used += n;
			*eliciting = true;
		}
	}
	if (l->probes || (level == TQUIC_LEVEL_APP && c->ping_pending)) {
		if (!*eliciting) {
			f.type = TQUIC_FT_PING;
			if (!tquic_frame_put(p, room, &used, &f))
				*eliciting = true;
		}
		if (*eliciting && l->probes)
			l->probes--;
		if (*eliciting && level == TQUIC_LEVEL_APP)
			c->ping_pending = false;
	}
	return used;
}

/* the bytes @l's next packet number takes, 0 when it cannot be encoded */
static size_t tquic_level_pn_len(const struct tquic_conn_level *l)
{
	return tquic_pn_enc_len(l->space.next, l->space.has_acked ?
				(s64)l->space.largest_acked : -1);
}

/*
 * One protected packet at @out: the frames are written after room for the
 * longest header, then moved up behind the real one. @min_len pads it.
 */
static size_t tquic_conn_build(struct tquic_conn *c, enum tquic_level level,
			       u64 now, u8 *out, size_t room, size_t min_len,
			       bool allow_eliciting)
{
	struct tquic_conn_level *l = &c->lvl[level];
	enum tquic_hdr_kind kind = tquic_level_hdr[level].kind;
	bool eliciting = false;
	size_t pn_len, hdr_max, payload, total;
	u64 token = 0, pn = l->space.next;
	struct tquic_sent_stream st = { 0 };
	int hdr_len, n;

	if (!tquic_space_make_room(&l->space))
		return 0;	/* too much unacknowledged: wait for ACKs */
	pn_len = tquic_level_pn_len(l);
	if (!pn_len)
		return 0;
	if (kind == TQUIC_HDR_SHORT)
		hdr_max = 1 + c->dcid_len + pn_len;
	else
		hdr_max = 7 + c->dcid_len + c->scid_len + 2 + pn_len +
			  (kind == TQUIC_HDR_INITIAL ?
			   tquic_varint_len(c->token_len) + c->token_len : 0);
	if (room < hdr_max + TQUIC_AEAD_TAG_LEN + 24)
		return 0;
	payload = tquic_conn_payload(c, level, now, pn, out + hdr_max,
				     room - hdr_max - TQUIC_AEAD_TAG_LEN,
				     allow_eliciting, &eliciting, &token, &st);
	if (!payload)
		return 0;
	/* RFC 9001 §5.4.2: 4 bytes of packet number and payload to sample */
	if (pn_len + payload < 4) {
		memset(out + hdr_max + payload, 0, 4 - pn_len - payload);
		payload = 4 - pn_len;
	}
	/*
	 * RFC 9000 §10.3: 22 bytes more than the CIDs we ask for, so that a
	 * stateless reset smaller than any of our packets still has room
	 */
	if (kind == TQUIC_HDR_SHORT &&
	    hdr_max + payload + TQUIC_AEAD_TAG_LEN < 22 + (size_t)c->scid_len) {
		n = (int)(22 + c->scid_len - hdr_max - payload -
			  TQUIC_AEAD_TAG_LEN);
		memset(out + hdr_max + payload, 0, n);
		payload += n;
	}
	if (hdr_max + payload + TQUIC_AEAD_TAG_LEN < min_len) {
		n = (int)(min_len - hdr_max - payload - TQUIC_AEAD_TAG_LEN);
		if (hdr_max + payload + n + TQUIC_AEAD_TAG_LEN > room)
			n = (int)(room - hdr_max - payload - TQUIC_AEAD_TAG_LEN);
		memset(out + hdr_max + payload, 0, n);
		payload += n;
	}
	if (kind == TQUIC_HDR_SHORT)
		hdr_len = tquic_short_hdr_write(out, room, c->dcid, c->dcid_len,
						c->kp.phase, false, pn, pn_len);
	else
		hdr_len = tquic_long_hdr_write(out, room, c->version, kind,
					       c->dcid, c->dcid_len, c->scid,
					       c->scid_len, c->token,
					       kind == TQUIC_HDR_INITIAL ?
					       c->token_len : 0, pn, pn_len,
					       payload);
	if (hdr_len < 0 || (size_t)hdr_len > hdr_max)
		goto undo;
	/* the header may be shorter than the bound: pad to keep the size */
	if ((size_t)hdr_len < hdr_max && min_len) {
		size_t extra = hdr_max - hdr_len;

		memset(out + hdr_max + payload, 0, extra);
		payload += extra;
		if (kind != TQUIC_HDR_SHORT) {
			hdr_len = tquic_long_hdr_write(out, room, c->version,
						       kind, c->dcid,
						       c->dcid_len, c->scid,
						       c->scid_len, c->token,
						       kind == TQUIC_HDR_INITIAL ?
						       c->token_len : 0, pn,
						       pn_len, payload);
			if (hdr_len < 0)
				goto undo;
		}
	}
	memmove(out + hdr_len, out + hdr_max, payload);
	n = tquic_packet_protect(&l->tx, 0, out, hdr_len, pn_len, payload, pn);
	if (n < 0)
		goto undo;
	total = (size_t)n;
	if (level == TQUIC_LEVEL_APP)
		c->kp.tx_pkts++;
	tquic_space_on_sent(&l->space, &c->pr, now, (u32)total, eliciting,
			    eliciting || min_len, token, &st);
	c->stats.pkts_tx++;
	c->stats.bytes_tx += total;
	if (eliciting) {
		c->pto_anchor = now;
		c->last_eliciting_tx = now;
		if (!c->ack_eliciting_since_rx) {
			tquic_conn_idle_restart(c, now);
			c->ack_eliciting_since_rx = true;
		}
	}
	return total;
undo:
	tquic_conn_frames_outcome(c, level, token, &st, pn, false);
	return 0;
}

/* RFC 9000 §5.1.1: as many CIDs with the peer as it accepts (to our cap) */
static void tquic_conn_issue_cids(struct tquic_conn *c)
{
	u8 cid[TQUIC_MAX_CID_LEN], token[TQUIC_RESET_TOKEN_LEN];
	u64 want = c->peer_tp.active_connection_id_limit;
	unsigned int draws = 0;

	if (!c->confirmed || c->state != TQUIC_STATE_ESTABLISHED ||
	    !c->ops || !c->ops->new_cid || !c->scid_len)
		return;
	if (want > TQUIC_LCID_SLOTS)
		want = TQUIC_LCID_SLOTS;
	while (tquic_local_cids_count(&c->lcids) < want &&
	       draws++ < 2 * TQUIC_LCID_SLOTS) {
		if (c->ops->new_cid(c->ops->ctx, cid, c->scid_len, token))
			return;
		tquic_local_cids_add(&c->lcids, cid, c->scid_len, token);
	}
}

/*
 * RFC 9002 §7.7: ack-eliciting packets leave at 5/4 cwnd per RTT with
 * bursts of at most the initial window; ACKs, probes and closes are not
 * held back. Returns whether a full-sized datagram may go now; if not, and
 * something waits, the pacer's timer is set.
 */
static bool tquic_conn_pace(struct tquic_conn *c, u64 now, size_t cap)
{
	int i;

	tquic_pacer_refill(&c->pacer, now, c->pr.cc.cwnd, c->pr.rtt.smoothed);
	if (tquic_pacer_can_send(&c->pacer, cap))
		return true;
	for (i = 0; i < TQUIC_NR_LEVELS; i++) {
		if (tquic_conn_has_eliciting(c, i)) {
			c->stats.paced++;
			c->pacer_wake = tquic_pacer_next(&c->pacer, now, cap,
							 c->pr.cc.cwnd,
							 c->pr.rtt.smoothed);
			break;
		}
	}
	return false;
}

/**
 * tquic_conn_send() - the next datagram to send, if any
 * @c: connection
 * @now: current time
 * @buf: where to write it
 * @cap: room at @buf
 *
 * Coalesces one packet per level (RFC 9000 §12.2), pads datagrams with an
 * Initial packet to 1200 bytes (§14.1), stays within three times what was
 * received until the peer's address is validated (§8.1) and within the
 * congestion window except for probes (RFC 9002 §7.5), paced (§7.7).
 *
 * Return: the datagram's length, 0 when there is nothing to send now.
 */
size_t tquic_conn_send(struct tquic_conn *c, u64 now, u8 *buf, size_t cap)
{
	bool want[TQUIC_NR_LEVELS], pad = false, allow, probing = false;
	size_t used = 0, min_len;
	int i, last = -1;

	if (c->state >= TQUIC_STATE_DRAINING)
		return 0;
	if (c->state == TQUIC_STATE_CLOSING && !c->close_send)
		return 0;
	if (c->kp.tx_pkts >= TQUIC_KU_AFTER_PKTS) {
		tquic_keyphase_expire(&c->kp, now);
		tquic_conn_key_update(c);	/* retried until allowed */
	}
	tquic_conn_issue_cids(c);
	if (cap > c->max_dgram)
		cap = c->max_dgram;
	if (!c->addr_validated) {
		u64 budget = 3 * c->amp_rx;

		if (budget <= c->amp_tx)
			return 0;
		if (cap > budget - c->amp_tx)
			cap = (size_t)(budget - c->amp_tx);
	}
	for (i = 0; i < TQUIC_NR_LEVELS; i++)
		probing |= c->lvl[i].probes > 0;
	allow = probing || (tquic_cc_can_send(&c->pr.cc, cap) &&
			    (c->state == TQUIC_STATE_CLOSING ||
			     tquic_conn_pace(c, now, cap)));
	for (i = 0; i < TQUIC_NR_LEVELS; i++) {
		want[i] = tquic_conn_wants(c, i, now, allow);
		if (want[i])
			last = i;
	}
	if (last < 0)
		return 0;
	/* RFC 9000 §14.1: a client pads every datagram with an Initial */
	if (want[TQUIC_LEVEL_INITIAL] &&
	    (!c->is_server || c->state == TQUIC_STATE_CLOSING ||
	     (allow && (c->lvl[0].probes ||
			tquic_cstream_pending(&c->lvl[0].cout)))))
		pad = true;
	if (pad && cap < TQUIC_MIN_INITIAL_DGRAM)
		return 0;
	for (i = 0; i <= last; i++) {
		size_t n;

		if (!want[i])
			continue;
		min_len = (i == last && pad && used < TQUIC_MIN_INITIAL_DGRAM) ?
			  TQUIC_MIN_INITIAL_DGRAM - used : 0;
		n = tquic_conn_build(c, i, now, buf + used, cap - used,
				     min_len, allow);
		if (!n && i == TQUIC_LEVEL_INITIAL && pad)
			return 0;
		used += n;
		if (n && i == TQUIC_LEVEL_HANDSHAKE && !c->is_server)
			c->sent_handshake = true;
	}
	if (!used)
		return 0;
	/* a datagram holding only an unpadded Initial must still reach 1200 */
	if (pad && used < TQUIC_MIN_INITIAL_DGRAM) {
		memset(buf + used, 0, TQUIC_MIN_INITIAL_DGRAM - used);
		used = TQUIC_MIN_INITIAL_DGRAM;
	}
	c->amp_tx += used;
	if (allow && !probing)
		tquic_pacer_on_sent(&c->pacer, used);
	if (c->state == TQUIC_STATE_CLOSING) {
		c->close_send = false;
		c->close_sent++;
	}
	/* RFC 9001 §4.9.1: a client drops Initial keys with its first
	 * Handshake packet
	 */
	if (c->sent_handshake && !c->lvl[TQUIC_LEVEL_INITIAL].discarded)
		tquic_conn_discard(c, TQUIC_LEVEL_INITIAL);
	return used;
}

/*
 * RFC 9000 §8.1, RFC 9002 §6.2.2.1: before the client's address is
 * validated the server may send three times what it received. It is
 * blocked once what is left is too little for the datagram it would
 * need: 1200 bytes while its probes may carry an Initial (which is
 * padded, §14.1), or any datagram at all.
 */
static bool tquic_conn_amp_blocked(const struct tquic_conn *c)
{
	u64 budget = 3 * c->amp_rx, need;

	if (c->addr_validated)
		return false;
	need = c->lvl[TQUIC_LEVEL_INITIAL].discarded ? 1 :
	       TQUIC_MIN_INITIAL_DGRAM;
	return budget < c->amp_tx + need;
}

/*
 * Can a packet be built at @l at all? Not while its ring is full of
 * packets the peer must answer, nor once its next packet number is too
 * far past the largest the peer acknowledged to be encoded (RFC 9000
 * §17.1: a peer that acknowledges nothing, for 2^31 packets).
 */
static bool tquic_conn_level_can_send(const struct tquic_conn_level *l)
{
	return !tquic_space_blocked(&l->space) && tquic_level_pn_len(l);
}

/* RFC 9002 A.8 GetPtoTimeAndSpace(); returns 0 when no PTO is armed. */
static u64 tquic_conn_pto_time(const struct tquic_conn *c, int *level)
{
	u64 t, best = 0;
	int i;
	bool inflight = false;

	if (tquic_conn_amp_blocked(c))
		return 0;	/* RFC 9002 A.6 */
	for (i = 0; i < TQUIC_NR_LEVELS; i++)
		if (!c->lvl[i].discarded && c->lvl[i].space.ack_eliciting_in_flight)
			inflight = true;
	if (!inflight) {
		/*
		 * RFC 9002 §6.2.2.1: a client keeps probing until validated,
		 * once it has sent something: before its first Initial (TLS
		 * has not handed over the ClientHello yet) there is nothing
		 * to probe for.
		 */
		if (c->is_server || c->peer_validated_us ||
		    !c->lvl[TQUIC_LEVEL_INITIAL].space.next)
			return 0;
		*level = c->lvl[TQUIC_LEVEL_HANDSHAKE].has_tx ?
			 TQUIC_LEVEL_HANDSHAKE : TQUIC_LEVEL_INITIAL;
		return c->pto_anchor +
		       (tquic_rtt_pto(&c->pr.rtt, 0, false) <<
			(c->pto_count > 16 ? 16 : c->pto_count));
	}
	for (i = 0; i < TQUIC_NR_LEVELS; i++) {
		const struct tquic_conn_level *l = &c->lvl[i];

		if (l->discarded || !l->space.ack_eliciting_in_flight)
			continue;
		/* application data waits for the handshake to be confirmed */
		if (i == TQUIC_LEVEL_APP && !c->confirmed)
			continue;
		t = tquic_space_pto_time(&l->space, &c->pr,
					 i == TQUIC_LEVEL_APP, c->pto_count,
					 c->pto_fired);
		if (t && (!best || t < best)) {
			best = t;
			*level = i;
		}
	}
	return best;
}

static u64 tquic_min_time(u64 a, u64 b)
{
	if (!a)
		return b;
	if (!b)
		return a;
	return a < b ? a : b;
}

/* RFC 9000 §10.1.2: a PING when nothing ack-eliciting went out a while */
static bool tquic_conn_keepalive_armed(const struct tquic_conn *c)
{
	return c->keepalive && c->confirmed && !c->ping_pending &&
	       c->state == TQUIC_STATE_ESTABLISHED;
}

/**
 * tquic_conn_timeout() - when tquic_conn_on_timeout() is next due
 * @c: connection
 *
 * Return: the time, or 0 when no timer is needed.
 */
u64 tquic_conn_timeout(const struct tquic_conn *c)
{
	u64 t = 0, loss = 0;
	int i, level;

	if (c->state == TQUIC_STATE_CLOSED)
		return 0;
	if (c->state >= TQUIC_STATE_CLOSING)
		return c->close_deadline;
	t = tquic_min_time(c->idle_deadline, c->pacer_wake);
	if (tquic_conn_keepalive_armed(c))
		t = tquic_min_time(t, c->last_eliciting_tx + c->keepalive);
	for (i = 0; i < TQUIC_NR_LEVELS; i++) {
		const struct tquic_conn_level *l = &c->lvl[i];

		if (l->discarded)
			continue;
		loss = tquic_min_time(loss, l->space.loss_time);
		/*
		 * An ACK that the amplification limit (RFC 9000 §8.1) or a
		 * ring of unacknowledged packets holds back waits for the
		 * peer's next datagram, not for a timer that would fire
		 * again at once.
		 */
		if (l->any_rx && l->ackrx.pending && !tquic_conn_amp_blocked(c) &&
		    tquic_conn_level_can_send(l))
			t = tquic_min_time(t, l->ackrx.deadline);
	}
	if (loss)
		return tquic_min_time(t, loss);
	return tquic_min_time(t, tquic_conn_pto_time(c, &level));
}

/**
 * tquic_conn_on_timeout() - run what is due at @now
 * @c: connection
 * @now: current time
 *
 * Idle timeout (RFC 9000 §10.1), keepalive (§10.1.2), end of closing or
 * draining (§10.2), loss detection (RFC 9002 §6.1.2) and probe timeouts
 * (§6.2). ACKs and paced packets that fell due are sent by the next
 * tquic_conn_send().
 */
void tquic_conn_on_timeout(struct tquic_conn *c, u64 now)
{
	struct tquic_rec_ctx rc = { .c = c };
	const struct tquic_rec_ops rops = {
		.acked = tquic_conn_on_acked,
		.lost = tquic_conn_on_lost,
		.ctx = &rc,
	};
	int i, level = -1;
	u64 t;

	if (c->state == TQUIC_STATE_CLOSED)
		return;
	if (c->state >= TQUIC_STATE_CLOSING) {
		if (now >= c->close_deadline)
			tquic_conn_set_state(c, TQUIC_STATE_CLOSED);
		return;
	}
	if (c->idle_deadline && now >= c->idle_deadline) {
		/* RFC 9000 §10.1: silently closed */
		c->close_app = false;
		c->close_remote = false;
		c->close_error = TQUIC_NO_ERROR;
		tquic_conn_set_state(c, TQUIC_STATE_CLOSED);
		return;
	}
	if (c->pacer_wake && c->pacer_wake <= now)
		c->pacer_wake = 0;
	if (tquic_conn_keepalive_armed(c) &&
	    now >= c->last_eliciting_tx + c->keepalive)
		c->ping_pending = true;
	for (i = 0; i < TQUIC_NR_LEVELS; i++) {
		struct tquic_conn_level *l = &c->lvl[i];

		if (!l->discarded && l->space.loss_time &&
		    l->space.loss_time <= now) {
			rc.level = i;
			tquic_space_detect_lost(&l->space, &c->pr, now, &rops);
			return;
		}
	}
	t = tquic_conn_pto_time(c, &level);
	if (!t || t > now || level < 0)
		return;
	/* RFC 9002 §6.2.4: probes carry the data still unacknowledged */
	c->pto_count++;
	c->stats.ptos++;
	c->pto_anchor = now;
	c->pto_fired = now;
	c->lvl[level].probes = c->lvl[level].space.ack_eliciting_in_flight ?
			       2 : 1;
	tquic_cstream_resend_unacked(&c->lvl[level].cout);
	/* §6.2.4: a client's Initial probe may carry its Handshake data too */
	if (level == TQUIC_LEVEL_INITIAL &&
	    c->lvl[TQUIC_LEVEL_HANDSHAKE].has_tx)
		tquic_cstream_resend_unacked(
			&c->lvl[TQUIC_LEVEL_HANDSHAKE].cout);
}

/**
 * tquic_conn_ping() - send a PING in a 1-RTT packet
 * @c: connection
 *
 * The peer acknowledges it (RFC 9000 §19.2); for keepalives and tests.
 */
void tquic_conn_ping(struct tquic_conn *c)
{
	if (c->state < TQUIC_STATE_CLOSING)
		c->ping_pending = true;
}

/**
 * tquic_conn_rotate_cid() - send with the peer's next CID, retire the old
 * @c: connection
 *
 * RFC 9000 §5.1.2: the old CID's RETIRE_CONNECTION_ID goes with the next
 * 1-RTT packet and the peer issues a replacement.
 *
 * Return: 0; -EAGAIN before the handshake is confirmed or while the peer
 * has issued no spare CID; -ESTALE once closing.
 */
int tquic_conn_rotate_cid(struct tquic_conn *c)
{
	struct tquic_cid_entry *cur;
	u64 seq;

	if (c->state >= TQUIC_STATE_CLOSING)
		return -ESTALE;
	cur = tquic_peer_cids_in_use(&c->pcids);
	if (!c->confirmed || !cur)
		return -EAGAIN;
	seq = cur->seq;
	if (!tquic_conn_next_peer_cid(c))
		return -EAGAIN;
	return tquic_peer_cids_retire(&c->pcids, seq);
}

/**
 * tquic_conn_key_update() - start a 1-RTT key update (RFC 9001 §6.1)
 * @c: connection
 *
 * Also done by itself after TQUIC_KU_AFTER_PKTS packets in one phase.
 *
 * Return: 0; -EAGAIN when not allowed yet (handshake not confirmed, the
 * last update not acknowledged or its old keys still kept); -ESTALE once
 * closing; a key schedule error.
 */
int tquic_conn_key_update(struct tquic_conn *c)
{
	struct tquic_conn_level *l = &c->lvl[TQUIC_LEVEL_APP];

	if (c->state >= TQUIC_STATE_CLOSING)
		return -ESTALE;
	if (!c->confirmed || !l->has_rx || !l->has_tx ||
	    !tquic_keyphase_may_update(&c->kp, l->space.has_acked,
				       l->space.largest_acked))
		return -EAGAIN;
	return tquic_keyphase_update(&c->kp, &l->rx, &l->tx, l->space.next);
}

/*
 * The 1-RTT ring is three quarters full: twice as many records before the
 * congestion window outgrows it (no allocation when a packet is sent).
 */
static bool tquic_conn_ring_due(const struct tquic_conn *c)
{
	const struct tquic_space *s = &c->lvl[TQUIC_LEVEL_APP].space;

	return !c->ring_grow_failed && s->cap < TQUIC_SENT_RING_MAX &&
	       4 * (s->next - s->base) >= 3 * (u64)s->cap;
}

static void tquic_conn_ring_grow(struct tquic_conn *c)
{
	struct tquic_space *s = &c->lvl[TQUIC_LEVEL_APP].space;
	struct tquic_sent *ring, *old;
	u32 cap = 2 * s->cap, old_cap = s->cap;

	ring = tquic_big_alloc(cap * sizeof(*ring));
	if (!ring) {
		c->ring_grow_failed = true;	/* the ring it has still works */
		return;
	}
	old = tquic_space_grow(s, ring, cap);
	if (old != c->lvl[TQUIC_LEVEL_APP].ring)
		tquic_big_free(old, old_cap * sizeof(*old));
	c->app_ring = ring;
}

/**
 * tquic_conn_prepare_due() - whether tquic_conn_prepare() has work
 * @c: connection
 *
 * True after a key update, until the keys of the phase after it are
 * derived, and when the 1-RTT sent-packet ring is three quarters full. The kernel checks this after driving the connection in softirq
 * and calls tquic_conn_prepare() from process context.
 */
bool tquic_conn_prepare_due(const struct tquic_conn *c)
{
	const struct tquic_conn_level *l = &c->lvl[TQUIC_LEVEL_APP];

	if (!l->has_rx || !l->has_tx || l->discarded ||
	    c->state >= TQUIC_STATE_CLOSING)
		return false;
	return !c->kp.has_next || tquic_conn_ring_due(c);
}

/**
 * tquic_conn_prepare() - allocate what the packet path will need
 * @c: connection
 *
 * Derives the next phase's keys (RFC 9001 §6) after an update, and grows
 * the 1-RTT sent-packet ring as the congestion window fills it, so that
 * nothing is allocated while packets are processed. May sleep.
 *
 * Return: 0 or a negative errno (then the next update cannot be followed
 * and the peer's packets of that phase fail to open).
 */
int tquic_conn_prepare(struct tquic_conn *c)
{
	struct tquic_conn_level *l = &c->lvl[TQUIC_LEVEL_APP];

	if (!tquic_conn_prepare_due(c))
		return 0;
	if (tquic_conn_ring_due(c))
		tquic_conn_ring_grow(c);
	if (c->kp.has_next)
		return 0;
	return tquic_keyphase_arm(&c->kp, &l->rx, &l->tx);
}

/**
 * tquic_conn_set_dgram_ops() - where DATAGRAM frames come from and go to
 * @c: connection
 * @dops: the owner's queue (datagram.h), or NULL: none are sent and those
 *	received are dropped and counted
 */
void tquic_conn_set_dgram_ops(struct tquic_conn *c,
			      const struct tquic_dgram_ops *dops)
{
	c->dops = dops;
}

/**
 * tquic_conn_set_max_dgram() - the largest datagram the path carries
 * @c: connection
 * @max: bytes of UDP payload, from the route's MTU
 *
 * Never above what we announced or the peer takes (RFC 9000 §18.2), never
 * below the 1200 bytes every QUIC path must carry (RFC 9000 §14).
 */
void tquic_conn_set_max_dgram(struct tquic_conn *c, size_t max)
{
	u64 cap = TQUIC_MAX_DGRAM;

	if (c->has_peer_tp && c->peer_tp.max_udp_payload_size < cap)
		cap = c->peer_tp.max_udp_payload_size;
	if (max > cap)
		max = (size_t)cap;
	if (max < TQUIC_MIN_INITIAL_DGRAM)
		max = TQUIC_MIN_INITIAL_DGRAM;
	c->max_dgram = (u16)max;
}

/**
 * tquic_conn_crypto_send() - TLS bytes to send at @level
 * @c: connection
 * @level: encryption level
 * @data: bytes
 * @len: their number
 *
 * Return: 0; -EINVAL for a bad level, -ESTALE once its keys are gone,
 * -ENOSPC past the stream's capacity.
 */
int tquic_conn_crypto_send(struct tquic_conn *c, enum tquic_level level,
			   const u8 *data, size_t len)
{
	if ((unsigned int)level >= TQUIC_NR_LEVELS)
		return -EINVAL;
	if (c->lvl[level].discarded || c->state >= TQUIC_STATE_CLOSING)
		return -ESTALE;
	return tquic_cstream_write(&c->lvl[level].cout, data, len);
}

/**
 * tquic_conn_set_secret() - install a traffic secret from TLS
 * @c: connection
 * @now: current time
 * @level: Handshake or application (Initial keys are derived, not given)
 * @tx: the secret protects our packets (else the peer's)
 * @alg: the cipher suite's AEAD
 * @secret: the secret
 * @secret_len: its length, the suite's hash length
 *
 * Packets kept for lack of these keys are processed now.
 *
 * Return: 0; -EINVAL, -EEXIST when the level already has keys that way,
 * -ESTALE after they were discarded, or the key schedule's error.
 */
int tquic_conn_set_secret(struct tquic_conn *c, u64 now, enum tquic_level level,
			  bool tx, enum tquic_aead_alg alg, const u8 *secret,
			  size_t secret_len)
{
	struct tquic_conn_level *l;
	int err;

	if (level != TQUIC_LEVEL_HANDSHAKE && level != TQUIC_LEVEL_APP)
		return -EINVAL;
	if (alg > TQUIC_CHACHA20_POLY1305 ||
	    secret_len != tquic_hash_len(tquic_aead_hash(alg)))
		return -EINVAL;
	l = &c->lvl[level];
	if (l->discarded || c->state >= TQUIC_STATE_CLOSING)
		return -ESTALE;
	if (tx ? l->has_tx : l->has_rx)
		return -EEXIST;
	err = tquic_keys_install(tx ? &l->tx : &l->rx, c->version, alg, secret,
				 secret_len);
	if (err)
		return err;
	/* RFC 9001 §6.6 */
	if (alg == TQUIC_CHACHA20_POLY1305)
		c->integrity_limit = TQUIC_INTEGRITY_LIMIT_CHACHA;
	if (level == TQUIC_LEVEL_APP && (tx ? l->has_rx : l->has_tx)) {
		err = tquic_keyphase_arm(&c->kp, &l->rx, &l->tx);
		if (err) {
			tquic_keys_destroy(tx ? &l->tx : &l->rx);
			return err;
		}
	}
	if (tx) {
		l->has_tx = true;
	} else {
		l->has_rx = true;
		tquic_conn_replay_pending(c, now);
	}
	return 0;
}

/**
 * tquic_conn_set_peer_tparams() - the peer's transport parameters
 * @c: connection
 * @buf: the quic_transport_parameters extension's body, as TLS received it
 * @len: its length
 *
 * Decodes and authenticates them (RFC 9000 §7.3: the CIDs the peer used
 * must be the ones it names). A failure closes the connection with
 * TRANSPORT_PARAMETER_ERROR.
 *
 * Return: 0, -EALREADY when given twice, or the error that closed it.
 */
int tquic_conn_set_peer_tparams(struct tquic_conn *c, const u8 *buf,
				size_t len)
{
	struct tquic_tparams *tp = &c->peer_tp;
	int err;

	if (c->has_peer_tp)
		return -EALREADY;
	err = tquic_tparams_read(buf, len, !c->is_server, tp);
	if (err)
		goto bad;
	err = -EPROTO;
	if (!(tp->present & TQUIC_TPB(TQUIC_TP_INITIAL_SCID)) ||
	    !c->got_peer_scid ||
	    !tquic_cid_eq(tp->initial_scid, tp->initial_scid_len,
			  c->peer_scid, c->peer_scid_len))
		goto bad;
	if (!c->is_server) {
		if (!(tp->present & TQUIC_TPB(TQUIC_TP_ORIGINAL_DCID)) ||
		    !tquic_cid_eq(tp->original_dcid, tp->original_dcid_len,
				  c->odcid, c->odcid_len))
			goto bad;
		if (c->retried !=
		    !!(tp->present & TQUIC_TPB(TQUIC_TP_RETRY_SCID)))
			goto bad;
		if (c->retried &&
		    !tquic_cid_eq(tp->retry_scid, tp->retry_scid_len,
				  c->retry_scid, c->retry_scid_len))
			goto bad;
	}
	/* the handshake CID is sequence number 0, in use (RFC 9000 §5.1.1) */
	if (tquic_peer_cids_add(&c->pcids, 0, 0, c->dcid, c->dcid_len,
				tp->present &
				TQUIC_TPB(TQUIC_TP_STATELESS_RESET_TOKEN) ?
				tp->stateless_reset_token : NULL) ||
	    !tquic_peer_cids_pick(&c->pcids))
		goto bad;
	c->has_peer_tp = true;
	/*
	 * RFC 9000 §10.1: the smaller of the two, if both have one; a
	 * peer's value (up to 2^62 - 1 ms) is first clamped so that the
	 * microseconds and the deadlines derived from them cannot wrap.
	 */
	if (tp->max_idle_timeout) {
		u64 peer = tp->max_idle_timeout;

		if (peer > TQUIC_MAX_IDLE_TIMEOUT_MS)
			peer = TQUIC_MAX_IDLE_TIMEOUT_MS;
		peer *= 1000;
		if (!c->idle_timeout || peer < c->idle_timeout)
			c->idle_timeout = peer;
	}
	/* RFC 9000 §18.2: both already checked (< 2^14 ms, <= 20) */
	c->pr.max_ack_delay = tp->max_ack_delay * 1000;
	c->pr.ack_delay_exponent = tp->ack_delay_exponent;
	/* RFC 9000 §18.2: no datagram larger than the peer will take */
	if (tp->max_udp_payload_size < c->max_dgram)
		c->max_dgram = (u16)tp->max_udp_payload_size;
	tquic_streams_peer_limits(c);
	return 0;
bad:
	tquic_conn_close(c, c->pto_anchor, false,
			 TQUIC_TRANSPORT_PARAMETER_ERROR, 0);
	return err;
}

/**
 * tquic_conn_tls_done() - TLS completed the handshake
 * @c: connection
 * @now: current time
 *
 * The server confirms the handshake at once and sends HANDSHAKE_DONE
 * (RFC 9001 §4.1.2); the client waits for that frame.
 *
 * Return: 0, or -EPROTO (and the connection closes) when the 1-RTT keys or
 * the peer's transport parameters are missing.
 */
int tquic_conn_tls_done(struct tquic_conn *c, u64 now)
{
	struct tquic_conn_level *app = &c->lvl[TQUIC_LEVEL_APP];

	if (c->state != TQUIC_STATE_HANDSHAKE)
		return -ESTALE;
	if (!app->has_tx || !app->has_rx || !c->has_peer_tp) {
		/* RFC 9001 §8.2: the extension is mandatory */
		tquic_conn_close(c, now, false,
				 c->has_peer_tp ? TQUIC_INTERNAL_ERROR :
				 TQUIC_TRANSPORT_PARAMETER_ERROR, 0);
		return -EPROTO;
	}
	c->tls_done = true;
	if (c->is_server) {
		c->confirmed = true;
		c->pr.handshake_confirmed = true;
		c->handshake_done_pending = true;
		tquic_conn_discard(c, TQUIC_LEVEL_HANDSHAKE);	/* §4.9.2 */
	}
	tquic_conn_set_state(c, TQUIC_STATE_ESTABLISHED);
	tquic_conn_replay_pending(c, now);
	return 0;
}

/**
 * tquic_conn_first_initial() - may this datagram start a connection?
 * @dgram: a datagram that matched no connection
 * @len: its length
 * @h: its first packet's header out
 *
 * Return: 0 for a client Initial of a version we speak in a datagram of at
 * least 1200 bytes; -EPROTONOSUPPORT for a long header of another version
 * in such a datagram (RFC 9000 §6.1: answered with Version Negotiation);
 * -EINVAL for anything else (dropped).
 */
int tquic_conn_first_initial(const u8 *dgram, size_t len, struct tquic_hdr *h)
{
	int err;

	if (len < TQUIC_MIN_INITIAL_DGRAM)
		return -EINVAL;
	err = tquic_hdr_parse(dgram, len, TQUIC_CID_LEN, h);
	if (err == -EPROTONOSUPPORT)
		return err;	/* h has the CIDs to answer with */
	if (err)
		return -EINVAL;
	if (h->kind != TQUIC_HDR_INITIAL)
		return -EINVAL;
	/* RFC 9000 §7.2: 8 bytes at least in a client's first DCID */
	if (h->dcid_len < 8)
		return -EINVAL;
	return 0;
}

/**
 * tquic_conn_refuse_initial() - close a connection that never started
 * @buf: where the datagram is built
 * @cap: room at @buf
 * @h: the client's first Initial, as tquic_conn_first_initial() parsed it
 * @error: the transport error code (INVALID_TOKEN for a bad Retry token)
 *
 * RFC 9000 §8.1.2, §10.2: an Initial packet with CONNECTION_CLOSE, under
 * the Initial keys of the Destination CID the client used. Nothing is
 * kept, so there is no closing period. The client's address is not
 * validated: the answer is far smaller than its 1200-byte Initial (§8.1).
 *
 * Return: the datagram's length or a negative errno.
 */
int tquic_conn_refuse_initial(u8 *buf, size_t cap, const struct tquic_hdr *h,
			      u64 error)
{
	struct tquic_frame f = { .type = TQUIC_FT_CONNECTION_CLOSE };
	const size_t pn_len = 1;
	struct tquic_keys k;
	size_t hdr_max;
	int n, hdr, err;

	/* first byte, version, both CIDs with their lengths, token length,
	 * Length (2 bytes), packet number
	 */
	hdr_max = 7 + h->dcid_len + h->scid_len + 2 + pn_len;
	if (cap < hdr_max + 32 + TQUIC_AEAD_TAG_LEN)
		return -ENOSPC;
	f.close.error_code = error;
	n = tquic_frame_write(buf + hdr_max, 32, &f);
	if (n < 0)
		return n;
	hdr = tquic_long_hdr_write(buf, cap, h->version, TQUIC_HDR_INITIAL,
				   h->scid, h->scid_len, h->dcid, h->dcid_len,
				   NULL, 0, 0, pn_len, (size_t)n);
	if (hdr < 0)
		return hdr;
	memmove(buf + hdr, buf + hdr_max, n);
	err = tquic_initial_keys_install(h->version, h->dcid, h->dcid_len,
					 true, NULL, &k);
	if (err)
		return err;
	n = tquic_packet_protect(&k, 0, buf, hdr, pn_len, (size_t)n, 0);
	tquic_keys_destroy(&k);
	return n;
}
