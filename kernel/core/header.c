// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * QUIC packet headers (RFC 9000 §17, RFC 8999, RFC 9369 §3.2).
 */

#include <linux/errno.h>
#include <linux/string.h>
#include <linux/types.h>

#include "crypto.h"
#include "header.h"
#include "varint.h"

#define TQUIC_HDR_FORM		0x80
#define TQUIC_HDR_FIXED		0x40

/* Long packet type bits: RFC 9000 §17.2 and RFC 9369 §3.2 */
static int tquic_long_type_decode(u32 version, u8 bits)
{
	static const enum tquic_hdr_kind v1[4] = {
		TQUIC_HDR_INITIAL, TQUIC_HDR_0RTT, TQUIC_HDR_HANDSHAKE,
		TQUIC_HDR_RETRY,
	};
	static const enum tquic_hdr_kind v2[4] = {
		TQUIC_HDR_RETRY, TQUIC_HDR_INITIAL, TQUIC_HDR_0RTT,
		TQUIC_HDR_HANDSHAKE,
	};

	return version == TQUIC_VERSION_2 ? v2[bits & 3] : v1[bits & 3];
}

static int tquic_long_type_encode(u32 version, enum tquic_hdr_kind kind)
{
	static const u8 v1[4] = { 0, 1, 2, 3 };	/* Initial 0RTT HS Retry */
	static const u8 v2[4] = { 1, 2, 3, 0 };

	if (kind > TQUIC_HDR_RETRY)
		return -EINVAL;
	return version == TQUIC_VERSION_2 ? v2[kind] : v1[kind];
}

static bool tquic_version_known(u32 v)
{
	return v == TQUIC_VERSION_1 || v == TQUIC_VERSION_2;
}

/**
 * tquic_hdr_pkt_type() - the packet type frames are checked against
 * @kind: a kind that carries frames (not Retry or Version Negotiation)
 */
enum tquic_pkt_type tquic_hdr_pkt_type(enum tquic_hdr_kind kind)
{
	switch (kind) {
	case TQUIC_HDR_INITIAL:
		return TQUIC_PKT_INITIAL;
	case TQUIC_HDR_0RTT:
		return TQUIC_PKT_0RTT;
	case TQUIC_HDR_HANDSHAKE:
		return TQUIC_PKT_HANDSHAKE;
	default:
		return TQUIC_PKT_1RTT;
	}
}

static int tquic_rd_cid(struct tquic_cur *c, const u8 **cid, u8 *cid_len,
			size_t max)
{
	size_t n;

	if (tquic_cur_left(c) < 1)
		return -EBADMSG;
	n = *c->p++;
	if (n > max || tquic_cur_left(c) < n)
		return -EBADMSG;
	*cid = c->p;
	*cid_len = (u8)n;
	c->p += n;
	return 0;
}

/**
 * tquic_hdr_parse() - parse the header of the first packet in @buf
 * @buf: datagram (or what is left of it after coalesced packets)
 * @len: its length
 * @short_dcid_len: length of our connection IDs, for short headers
 * @h: result
 *
 * Nothing protected is touched: the packet number and the low bits of the
 * first byte are read after header protection is removed.
 *
 * Return: 0; -EBADMSG for a packet to drop (truncated, fixed bit clear,
 * CIDs longer than the version allows, Length beyond the datagram);
 * -EPROTONOSUPPORT for a long header of an unknown version, with @h's
 * version and connection IDs filled in so a Version Negotiation packet can
 * answer it (RFC 9000 §6.1).
 */
int tquic_hdr_parse(const u8 *buf, size_t len, size_t short_dcid_len,
		    struct tquic_hdr *h)
{
	struct tquic_cur c;
	u64 v;
	u8 first;

	memset(h, 0, sizeof(*h));
	tquic_cur_init(&c, buf, len);
	if (len < 1)
		return -EBADMSG;
	first = *c.p++;

	if (!(first & TQUIC_HDR_FORM)) {
		/* RFC 9000 §17.3.1 */
		if (!(first & TQUIC_HDR_FIXED) || short_dcid_len > TQUIC_MAX_CID_LEN ||
		    tquic_cur_left(&c) < short_dcid_len)
			return -EBADMSG;
		h->kind = TQUIC_HDR_SHORT;
		h->dcid = c.p;
		h->dcid_len = (u8)short_dcid_len;
		h->pn_offset = 1 + short_dcid_len;
		h->len = len;
		return 0;
	}

	/* RFC 8999 §5.1: version, then CIDs of up to 255 bytes */
	if (tquic_cur_left(&c) < 4)
		return -EBADMSG;
	h->version = tquic_get_be32(c.p);
	c.p += 4;
	if (tquic_rd_cid(&c, &h->dcid, &h->dcid_len, 255) ||
	    tquic_rd_cid(&c, &h->scid, &h->scid_len, 255))
		return -EBADMSG;

	if (h->version == 0) {
		/* RFC 9000 §17.2.1: a list of 4-byte versions, at least one */
		size_t rest = tquic_cur_left(&c);

		if (!rest || rest % 4)
			return -EBADMSG;
		h->kind = TQUIC_HDR_VN;
		h->versions = c.p;
		h->nversions = rest / 4;
		h->len = len;
		return 0;
	}
	if (!tquic_version_known(h->version))
		return -EPROTONOSUPPORT;

	/* RFC 9000 §17.2: fixed bit set, CIDs of at most 20 bytes */
	if (!(first & TQUIC_HDR_FIXED) || h->dcid_len > TQUIC_MAX_CID_LEN ||
	    h->scid_len > TQUIC_MAX_CID_LEN)
		return -EBADMSG;
	h->kind = tquic_long_type_decode(h->version, (first >> 4) & 3);

	if (h->kind == TQUIC_HDR_RETRY) {
		/* RFC 9000 §17.2.5: token, then a 16-byte integrity tag; the
		 * packet fills the datagram */
		if (tquic_cur_left(&c) < TQUIC_AEAD_TAG_LEN + 1)
			return -EBADMSG;
		h->token = c.p;
		h->token_len = tquic_cur_left(&c) - TQUIC_AEAD_TAG_LEN;
		h->len = len;
		return 0;
	}

	if (h->kind == TQUIC_HDR_INITIAL) {
		/* RFC 9000 §17.2.2 */
		if (tquic_varint_read(&c, &v, NULL) || v > tquic_cur_left(&c))
			return -EBADMSG;
		h->token = c.p;
		h->token_len = (size_t)v;
		c.p += v;
	}
	/* Length covers the packet number and the protected payload */
	if (tquic_varint_read(&c, &v, NULL) || v > tquic_cur_left(&c))
		return -EBADMSG;
	h->pn_offset = (size_t)(c.p - buf);
	h->len = h->pn_offset + (size_t)v;
	return 0;
}

static void tquic_put_pn(u8 *p, u64 pn, size_t pn_len)
{
	size_t i;

	for (i = 0; i < pn_len; i++)
		p[i] = (u8)(pn >> (8 * (pn_len - 1 - i)));
}

/* RFC 9000 §17.2: first byte, version, both CIDs with their lengths */
static void tquic_long_hdr_start(struct tquic_wr *w, u8 first, u32 version,
				 const u8 *dcid, u8 dcid_len, const u8 *scid,
				 u8 scid_len)
{
	u8 fixed[5];

	fixed[0] = first;
	tquic_put_be32(fixed + 1, version);
	tquic_wr_bytes(w, fixed, sizeof(fixed));
	tquic_wr_bytes(w, &dcid_len, 1);
	tquic_wr_bytes(w, dcid, dcid_len);
	tquic_wr_bytes(w, &scid_len, 1);
	tquic_wr_bytes(w, scid, scid_len);
}

/**
 * tquic_long_hdr_write() - write an Initial, 0-RTT or Handshake header
 * @buf: destination
 * @len: room
 * @version: QUIC version
 * @kind: TQUIC_HDR_INITIAL, _0RTT or _HANDSHAKE
 * @dcid: Destination Connection ID
 * @dcid_len: its length, at most 20
 * @scid: Source Connection ID
 * @scid_len: its length, at most 20
 * @token: Initial token (Initial only)
 * @token_len: its length
 * @pn: packet number; its low @pn_len bytes are written
 * @pn_len: 1 to 4
 * @payload_len: plaintext payload bytes that follow (the tag is added to
 *	the Length field here)
 *
 * The header is written unprotected; tquic_packet_protect() protects it.
 *
 * Return: header length (the packet number ends it), or a negative errno.
 */
int tquic_long_hdr_write(u8 *buf, size_t len, u32 version,
			 enum tquic_hdr_kind kind,
			 const u8 *dcid, u8 dcid_len,
			 const u8 *scid, u8 scid_len,
			 const u8 *token, size_t token_len,
			 u64 pn, size_t pn_len, size_t payload_len)
{
	struct tquic_wr w;
	u64 length;
	int type;

	type = tquic_long_type_encode(version, kind);
	if (type < 0 || kind == TQUIC_HDR_RETRY || !tquic_version_known(version) ||
	    dcid_len > TQUIC_MAX_CID_LEN || scid_len > TQUIC_MAX_CID_LEN ||
	    pn_len < 1 || pn_len > 4 || (kind != TQUIC_HDR_INITIAL && token_len))
		return -EINVAL;
	length = pn_len + (u64)payload_len + TQUIC_AEAD_TAG_LEN;
	if (!tquic_varint_len(length))
		return -ENOSPC;

	tquic_wr_init(&w, buf, len);
	tquic_long_hdr_start(&w, TQUIC_HDR_FORM | TQUIC_HDR_FIXED |
			     (u8)(type << 4) | (u8)(pn_len - 1), version, dcid,
			     dcid_len, scid, scid_len);
	if (kind == TQUIC_HDR_INITIAL) {
		tquic_wr_varint(&w, token_len);
		tquic_wr_bytes(&w, token, token_len);
	}
	tquic_wr_varint(&w, length);
	if (!w.err && (size_t)(w.end - w.p) < pn_len)
		w.err = -ENOSPC;
	if (w.err)
		return w.err;
	tquic_put_pn(w.p, pn, pn_len);
	return (int)(w.p + pn_len - buf);
}

/**
 * tquic_retry_hdr_write() - a Retry packet up to its integrity tag
 * @buf: destination
 * @len: room
 * @version: QUIC version
 * @dcid: the client's Source Connection ID
 * @dcid_len: its length
 * @scid: the CID the client is to use next
 * @scid_len: its length
 * @token: the Retry token
 * @token_len: its length, not 0
 *
 * RFC 9000 §17.2.5; tquic_retry_tag() computes the tag that follows.
 *
 * Return: the length written, or a negative errno.
 */
int tquic_retry_hdr_write(u8 *buf, size_t len, u32 version, const u8 *dcid,
			  u8 dcid_len, const u8 *scid, u8 scid_len,
			  const u8 *token, size_t token_len)
{
	struct tquic_wr w;

	if (!tquic_version_known(version) || dcid_len > TQUIC_MAX_CID_LEN ||
	    scid_len > TQUIC_MAX_CID_LEN || !token_len)
		return -EINVAL;
	tquic_wr_init(&w, buf, len);
	/* the low four bits are unused: random (§17.2.5) is allowed, 0 here */
	tquic_long_hdr_start(&w, TQUIC_HDR_FORM | TQUIC_HDR_FIXED |
			     (u8)(tquic_long_type_encode(version,
							 TQUIC_HDR_RETRY) << 4),
			     version, dcid, dcid_len, scid, scid_len);
	tquic_wr_bytes(&w, token, token_len);
	if (w.err)
		return w.err;
	return (int)(w.p - buf);
}

/**
 * tquic_short_hdr_write() - write a 1-RTT header (RFC 9000 §17.3.1)
 * @buf: destination
 * @len: room
 * @dcid: Destination Connection ID
 * @dcid_len: its length
 * @key_phase: Key Phase bit
 * @spin: Spin bit
 * @pn: packet number
 * @pn_len: 1 to 4
 *
 * Return: header length or a negative errno.
 */
int tquic_short_hdr_write(u8 *buf, size_t len, const u8 *dcid, u8 dcid_len,
			  bool key_phase, bool spin, u64 pn, size_t pn_len)
{
	if (dcid_len > TQUIC_MAX_CID_LEN || pn_len < 1 || pn_len > 4)
		return -EINVAL;
	if (len < 1 + (size_t)dcid_len + pn_len)
		return -ENOSPC;
	buf[0] = TQUIC_HDR_FIXED | (spin ? 0x20 : 0) | (key_phase ? 0x04 : 0) |
		 (u8)(pn_len - 1);
	if (dcid_len)
		memcpy(buf + 1, dcid, dcid_len);
	tquic_put_pn(buf + 1 + dcid_len, pn, pn_len);
	return (int)(1 + dcid_len + pn_len);
}

/**
 * tquic_vn_write() - write a Version Negotiation packet (RFC 9000 §17.2.1)
 * @buf: destination
 * @len: room
 * @dcid: the client's Source Connection ID
 * @dcid_len: its length
 * @scid: the client's Destination Connection ID
 * @scid_len: its length
 * @versions: versions we support
 * @nversions: their number, at least 1
 * @unused: random bits for the first byte (RFC 9000 §17.2.1)
 *
 * Return: packet length or a negative errno.
 */
int tquic_vn_write(u8 *buf, size_t len, const u8 *dcid, u8 dcid_len,
		   const u8 *scid, u8 scid_len, const u32 *versions,
		   size_t nversions, u8 unused)
{
	struct tquic_wr w;
	u8 b[4];
	size_t i;

	if (!nversions)
		return -EINVAL;
	tquic_wr_init(&w, buf, len);
	b[0] = TQUIC_HDR_FORM | (unused & 0x7f);
	tquic_wr_bytes(&w, b, 1);
	tquic_put_be32(b, 0);	/* version 0 */
	tquic_wr_bytes(&w, b, 4);
	tquic_wr_bytes(&w, &dcid_len, 1);
	tquic_wr_bytes(&w, dcid, dcid_len);
	tquic_wr_bytes(&w, &scid_len, 1);
	tquic_wr_bytes(&w, scid, scid_len);
	for (i = 0; i < nversions; i++) {
		tquic_put_be32(b, versions[i]);
		tquic_wr_bytes(&w, b, 4);
	}
	if (w.err)
		return w.err;
	return (int)(w.p - buf);
}
