// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * QUIC transport parameters: decode, validate, encode (RFC 9000 §18).
 */

#include <linux/errno.h>
#include <linux/string.h>
#include <linux/types.h>

#include "tparams.h"
#include "varint.h"

/* RFC 9000 §18.2: parameters only a server may send */
#define TQUIC_TP_SERVER_ONLY (TQUIC_TPB(TQUIC_TP_ORIGINAL_DCID) |	\
			      TQUIC_TPB(TQUIC_TP_STATELESS_RESET_TOKEN) | \
			      TQUIC_TPB(TQUIC_TP_PREFERRED_ADDRESS) |	\
			      TQUIC_TPB(TQUIC_TP_RETRY_SCID))

/**
 * tquic_tparams_init() - every parameter absent, at its default
 * @tp: parameters
 */
void tquic_tparams_init(struct tquic_tparams *tp)
{
	memset(tp, 0, sizeof(*tp));
	/* RFC 9000 §18.2 defaults */
	tp->max_udp_payload_size = 65527;
	tp->ack_delay_exponent = 3;
	tp->max_ack_delay = 25;
	tp->active_connection_id_limit = 2;
}

static bool tquic_tp_known(u64 id)
{
	return id <= TQUIC_TP_VERSION_INFORMATION ||
	       id == TQUIC_TP_MAX_DATAGRAM_FRAME_SIZE ||
	       id == TQUIC_TP_INITIAL_MAX_PATH_ID;
}

/* A parameter whose value is one varint that fills it exactly. */
static int tquic_tp_varint(const u8 *v, size_t len, u64 *out)
{
	struct tquic_cur c;

	tquic_cur_init(&c, v, len);
	if (tquic_varint_read(&c, out, NULL) || tquic_cur_left(&c))
		return -EBADMSG;
	return 0;
}

static int tquic_tp_cid(const u8 *v, size_t len, u8 *cid, u8 *cid_len)
{
	if (len > TQUIC_MAX_CID_LEN)
		return -EBADMSG;
	memcpy(cid, v, len);
	*cid_len = (u8)len;
	return 0;
}

static int tquic_tp_preferred_address(const u8 *v, size_t len,
				      struct tquic_preferred_address *pa)
{
	size_t cid_len;

	/* RFC 9000 §18.2: 4+2+16+2 address bytes, a CID length, the CID,
	 * and a 16-byte reset token */
	if (len < 4 + 2 + 16 + 2 + 1 + TQUIC_RESET_TOKEN_LEN)
		return -EBADMSG;
	memcpy(pa->ipv4, v, 4);
	pa->ipv4_port = tquic_get_be16(v + 4);
	memcpy(pa->ipv6, v + 6, 16);
	pa->ipv6_port = tquic_get_be16(v + 22);
	cid_len = v[24];
	/* a zero-length CID cannot come with a preferred address either */
	if (cid_len < 1 || cid_len > TQUIC_MAX_CID_LEN ||
	    len != 25 + cid_len + TQUIC_RESET_TOKEN_LEN)
		return -EBADMSG;
	pa->cid_len = (u8)cid_len;
	memcpy(pa->cid, v + 25, cid_len);
	memcpy(pa->reset_token, v + 25 + cid_len, TQUIC_RESET_TOKEN_LEN);
	return 0;
}

static int tquic_tp_version_info(const u8 *v, size_t len,
				 struct tquic_tparams *tp)
{
	size_t i;

	/* RFC 9368 §4: a chosen version and zero or more available ones,
	 * 4 bytes each; a chosen version of 0 is invalid */
	if (len < 4 || len % 4)
		return -EBADMSG;
	tp->chosen_version = tquic_get_be32(v);
	if (!tp->chosen_version)
		return -EBADMSG;
	tp->nversions = 0;
	for (i = 4; i < len; i += 4) {
		u32 ver = tquic_get_be32(v + i);

		if (!ver)
			return -EBADMSG;
		if (tp->nversions < TQUIC_TP_MAX_VERSIONS)
			tp->available_versions[tp->nversions++] = ver;
	}
	return 0;
}

static int tquic_tp_one(u64 id, const u8 *v, size_t len,
			struct tquic_tparams *tp)
{
	u64 x;
	int err;

	switch (id) {
	case TQUIC_TP_ORIGINAL_DCID:
		return tquic_tp_cid(v, len, tp->original_dcid,
				    &tp->original_dcid_len);
	case TQUIC_TP_INITIAL_SCID:
		return tquic_tp_cid(v, len, tp->initial_scid,
				    &tp->initial_scid_len);
	case TQUIC_TP_RETRY_SCID:
		return tquic_tp_cid(v, len, tp->retry_scid, &tp->retry_scid_len);
	case TQUIC_TP_STATELESS_RESET_TOKEN:
		if (len != TQUIC_RESET_TOKEN_LEN)
			return -EBADMSG;
		memcpy(tp->stateless_reset_token, v, len);
		return 0;
	case TQUIC_TP_DISABLE_ACTIVE_MIGRATION:
		if (len)
			return -EBADMSG;
		tp->disable_active_migration = true;
		return 0;
	case TQUIC_TP_PREFERRED_ADDRESS:
		return tquic_tp_preferred_address(v, len, &tp->preferred_address);
	case TQUIC_TP_VERSION_INFORMATION:
		return tquic_tp_version_info(v, len, tp);
	}

	err = tquic_tp_varint(v, len, &x);
	if (err)
		return err;
	switch (id) {
	case TQUIC_TP_MAX_IDLE_TIMEOUT:
		tp->max_idle_timeout = x;
		return 0;
	case TQUIC_TP_MAX_UDP_PAYLOAD_SIZE:
		/* RFC 9000 §18.2: values below 1200 are invalid */
		if (x < 1200)
			return -EBADMSG;
		tp->max_udp_payload_size = x;
		return 0;
	case TQUIC_TP_INITIAL_MAX_DATA:
		tp->initial_max_data = x;
		return 0;
	case TQUIC_TP_INITIAL_MAX_STREAM_DATA_BIDI_LOCAL:
		tp->initial_max_stream_data_bidi_local = x;
		return 0;
	case TQUIC_TP_INITIAL_MAX_STREAM_DATA_BIDI_REMOTE:
		tp->initial_max_stream_data_bidi_remote = x;
		return 0;
	case TQUIC_TP_INITIAL_MAX_STREAM_DATA_UNI:
		tp->initial_max_stream_data_uni = x;
		return 0;
	case TQUIC_TP_INITIAL_MAX_STREAMS_BIDI:
	case TQUIC_TP_INITIAL_MAX_STREAMS_UNI:
		/* RFC 9000 §18.2: above 2^60 is a TRANSPORT_PARAMETER_ERROR */
		if (x > TQUIC_MAX_STREAMS_LIMIT)
			return -EBADMSG;
		if (id == TQUIC_TP_INITIAL_MAX_STREAMS_BIDI)
			tp->initial_max_streams_bidi = x;
		else
			tp->initial_max_streams_uni = x;
		return 0;
	case TQUIC_TP_ACK_DELAY_EXPONENT:
		/* RFC 9000 §18.2: above 20 is invalid */
		if (x > 20)
			return -EBADMSG;
		tp->ack_delay_exponent = x;
		return 0;
	case TQUIC_TP_MAX_ACK_DELAY:
		/* RFC 9000 §18.2: 2^14 or more is invalid */
		if (x >= (1U << 14))
			return -EBADMSG;
		tp->max_ack_delay = x;
		return 0;
	case TQUIC_TP_ACTIVE_CONNECTION_ID_LIMIT:
		/* RFC 9000 §18.2: at least 2 */
		if (x < 2)
			return -EBADMSG;
		tp->active_connection_id_limit = x;
		return 0;
	case TQUIC_TP_MAX_DATAGRAM_FRAME_SIZE:
		tp->max_datagram_frame_size = x;
		return 0;
	case TQUIC_TP_INITIAL_MAX_PATH_ID:
		/* multipath §2.1: above 2^32 - 1 is a TRANSPORT_PARAMETER_ERROR */
		if (x > TQUIC_MAX_PATH_ID)
			return -EBADMSG;
		tp->initial_max_path_id = x;
		return 0;
	}
	return -EBADMSG;
}

/**
 * tquic_tparams_read() - decode and validate the peer's parameters
 * @buf: the quic_transport_parameters extension's body
 * @len: its length
 * @from_server: the peer is the server (server-only parameters allowed)
 * @tp: result; tquic_tparams_init() is applied first
 *
 * Unknown parameters (and reserved ones, RFC 9000 §18.1) are skipped.
 *
 * Return: 0, or -EBADMSG for anything RFC 9000 §7.4/§18 calls a
 * TRANSPORT_PARAMETER_ERROR: truncation, a value of the wrong length or out
 * of range, a parameter sent twice, a server-only parameter from a client.
 */
int tquic_tparams_read(const u8 *buf, size_t len, bool from_server,
		       struct tquic_tparams *tp)
{
	struct tquic_cur c;
	u64 id, vlen;
	int err;

	tquic_tparams_init(tp);
	tquic_cur_init(&c, buf, len);
	while (tquic_cur_left(&c)) {
		if (tquic_varint_read(&c, &id, NULL) ||
		    tquic_varint_read(&c, &vlen, NULL) ||
		    vlen > tquic_cur_left(&c))
			return -EBADMSG;
		if (tquic_tp_known(id)) {
			/* RFC 9000 §7.4: each parameter at most once */
			if (tp->present & TQUIC_TPB(id))
				return -EBADMSG;
			/* RFC 9000 §18.2: server-only from a client */
			if (!from_server && (TQUIC_TPB(id) & TQUIC_TP_SERVER_ONLY))
				return -EBADMSG;
			err = tquic_tp_one(id, c.p, (size_t)vlen, tp);
			if (err)
				return err;
			tp->present |= TQUIC_TPB(id);
		}
		c.p += vlen;
	}
	return 0;
}

static void tquic_tpw_param(struct tquic_wr *w, u64 id, const void *v,
			    size_t len)
{
	tquic_wr_varint(w, id);
	tquic_wr_varint(w, len);
	tquic_wr_bytes(w, v, len);
}

static void tquic_tpw_int(struct tquic_wr *w, u64 id, u64 v)
{
	tquic_wr_varint(w, id);
	tquic_wr_varint(w, tquic_varint_len(v));
	tquic_wr_varint(w, v);
}

/**
 * tquic_tparams_write() - encode the parameters marked present
 * @buf: destination
 * @len: room at @buf
 * @as_server: the local endpoint is the server
 * @tp: parameters; only those with their TQUIC_TPB() bit in @tp->present
 *	are written
 *
 * Return: bytes written, -ENOSPC, or -EINVAL for a set of parameters the
 * peer would have to reject (server-only parameters from a client, values
 * out of range).
 */
int tquic_tparams_write(u8 *buf, size_t len, bool as_server,
			const struct tquic_tparams *tp)
{
	static const struct {
		u8 id;
		u16 off;
	} ints[] = {
#define TQUIC_TP_INT(id, field) { id, offsetof(struct tquic_tparams, field) }
		TQUIC_TP_INT(TQUIC_TP_MAX_IDLE_TIMEOUT, max_idle_timeout),
		TQUIC_TP_INT(TQUIC_TP_MAX_UDP_PAYLOAD_SIZE, max_udp_payload_size),
		TQUIC_TP_INT(TQUIC_TP_INITIAL_MAX_DATA, initial_max_data),
		TQUIC_TP_INT(TQUIC_TP_INITIAL_MAX_STREAM_DATA_BIDI_LOCAL,
			     initial_max_stream_data_bidi_local),
		TQUIC_TP_INT(TQUIC_TP_INITIAL_MAX_STREAM_DATA_BIDI_REMOTE,
			     initial_max_stream_data_bidi_remote),
		TQUIC_TP_INT(TQUIC_TP_INITIAL_MAX_STREAM_DATA_UNI,
			     initial_max_stream_data_uni),
		TQUIC_TP_INT(TQUIC_TP_INITIAL_MAX_STREAMS_BIDI,
			     initial_max_streams_bidi),
		TQUIC_TP_INT(TQUIC_TP_INITIAL_MAX_STREAMS_UNI,
			     initial_max_streams_uni),
		TQUIC_TP_INT(TQUIC_TP_ACK_DELAY_EXPONENT, ack_delay_exponent),
		TQUIC_TP_INT(TQUIC_TP_MAX_ACK_DELAY, max_ack_delay),
		TQUIC_TP_INT(TQUIC_TP_ACTIVE_CONNECTION_ID_LIMIT,
			     active_connection_id_limit),
		TQUIC_TP_INT(TQUIC_TP_MAX_DATAGRAM_FRAME_SIZE,
			     max_datagram_frame_size),
		TQUIC_TP_INT(TQUIC_TP_INITIAL_MAX_PATH_ID, initial_max_path_id),
#undef TQUIC_TP_INT
	};
	struct tquic_wr w;
	u8 tmp[4 + 4 * TQUIC_TP_MAX_VERSIONS];
	struct tquic_tparams chk;
	size_t i;

	tquic_wr_init(&w, buf, len);
	if (!as_server && (tp->present & TQUIC_TP_SERVER_ONLY))
		return -EINVAL;
	if (tp->original_dcid_len > TQUIC_MAX_CID_LEN ||
	    tp->initial_scid_len > TQUIC_MAX_CID_LEN ||
	    tp->retry_scid_len > TQUIC_MAX_CID_LEN)
		return -EINVAL;

	for (i = 0; i < sizeof(ints) / sizeof(ints[0]); i++)
		if (tp->present & TQUIC_TPB(ints[i].id))
			tquic_tpw_int(&w, ints[i].id,
				      *(const u64 *)((const u8 *)tp + ints[i].off));
	if (tp->present & TQUIC_TPB(TQUIC_TP_ORIGINAL_DCID))
		tquic_tpw_param(&w, TQUIC_TP_ORIGINAL_DCID, tp->original_dcid,
				tp->original_dcid_len);
	if (tp->present & TQUIC_TPB(TQUIC_TP_STATELESS_RESET_TOKEN))
		tquic_tpw_param(&w, TQUIC_TP_STATELESS_RESET_TOKEN,
				tp->stateless_reset_token, TQUIC_RESET_TOKEN_LEN);
	if (tp->present & TQUIC_TPB(TQUIC_TP_DISABLE_ACTIVE_MIGRATION))
		tquic_tpw_param(&w, TQUIC_TP_DISABLE_ACTIVE_MIGRATION, NULL, 0);
	if (tp->present & TQUIC_TPB(TQUIC_TP_PREFERRED_ADDRESS)) {
		const struct tquic_preferred_address *pa = &tp->preferred_address;
		u8 pab[25 + TQUIC_MAX_CID_LEN + TQUIC_RESET_TOKEN_LEN];

		if (pa->cid_len < 1 || pa->cid_len > TQUIC_MAX_CID_LEN)
			return -EINVAL;
		memcpy(pab, pa->ipv4, 4);
		tquic_put_be16(pab + 4, pa->ipv4_port);
		memcpy(pab + 6, pa->ipv6, 16);
		tquic_put_be16(pab + 22, pa->ipv6_port);
		pab[24] = pa->cid_len;
		memcpy(pab + 25, pa->cid, pa->cid_len);
		memcpy(pab + 25 + pa->cid_len, pa->reset_token,
		       TQUIC_RESET_TOKEN_LEN);
		tquic_tpw_param(&w, TQUIC_TP_PREFERRED_ADDRESS, pab,
				25 + pa->cid_len + TQUIC_RESET_TOKEN_LEN);
	}
	if (tp->present & TQUIC_TPB(TQUIC_TP_INITIAL_SCID))
		tquic_tpw_param(&w, TQUIC_TP_INITIAL_SCID, tp->initial_scid,
				tp->initial_scid_len);
	if (tp->present & TQUIC_TPB(TQUIC_TP_RETRY_SCID))
		tquic_tpw_param(&w, TQUIC_TP_RETRY_SCID, tp->retry_scid,
				tp->retry_scid_len);
	if (tp->present & TQUIC_TPB(TQUIC_TP_VERSION_INFORMATION)) {
		if (tp->nversions > TQUIC_TP_MAX_VERSIONS)
			return -EINVAL;
		tquic_put_be32(tmp, tp->chosen_version);
		for (i = 0; i < tp->nversions; i++)
			tquic_put_be32(tmp + 4 + 4 * i, tp->available_versions[i]);
		tquic_tpw_param(&w, TQUIC_TP_VERSION_INFORMATION, tmp,
				4 + 4 * (size_t)tp->nversions);
	}
	if (w.err)
		return w.err;

	/* Never send what the peer must refuse: check with our own reader. */
	if (tquic_tparams_read(buf, (size_t)(w.p - buf), as_server, &chk))
		return -EINVAL;
	return (int)(w.p - buf);
}
