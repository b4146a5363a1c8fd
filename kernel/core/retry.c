// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Retry integrity (RFC 9001 §5.8, RFC 9369 §3.3.3) and stateless reset
 * tokens (RFC 9000 §10.3).
 */

#include <linux/errno.h>
#include <linux/string.h>
#include <linux/types.h>

#include "crypto.h"
#include "header.h"
#include "quic.h"
#include "retry.h"

/* RFC 9001 §5.8 */
static const u8 tquic_retry_key_v1[16] = {
	0xbe, 0x0c, 0x69, 0x0b, 0x9f, 0x66, 0x57, 0x5a,
	0x1d, 0x76, 0x6b, 0x54, 0xe3, 0x68, 0xc8, 0x4e,
};
static const u8 tquic_retry_nonce_v1[12] = {
	0x46, 0x15, 0x99, 0xd3, 0x5d, 0x63, 0x2b, 0xf2,
	0x23, 0x98, 0x25, 0xbb,
};

/* RFC 9369 §3.3.3 */
static const u8 tquic_retry_key_v2[16] = {
	0x8f, 0xb4, 0xb0, 0x1b, 0x56, 0xac, 0x48, 0xe2,
	0x60, 0xfb, 0xcb, 0xce, 0xad, 0x7c, 0xcc, 0x92,
};
static const u8 tquic_retry_nonce_v2[12] = {
	0xd8, 0x69, 0x69, 0xbc, 0x2d, 0x7c, 0x6d, 0x99,
	0x90, 0xef, 0xb0, 0x4a,
};

/* Largest Retry packet we build or check: header, CIDs, a token */
#define TQUIC_RETRY_MAX 1500

/**
 * tquic_retry_tag() - the integrity tag of a Retry packet
 * @version: QUIC version
 * @odcid: the client's original Destination Connection ID
 * @odcid_len: its length
 * @retry: the Retry packet without its tag
 * @retry_len: its length
 * @tag: 16 bytes out
 *
 * The tag is AES-128-GCM over nothing, with the Retry pseudo-packet
 * (ODCID length, ODCID, the Retry packet) as associated data.
 *
 * May sleep. Return: 0 or a negative errno.
 */
int tquic_retry_tag(u32 version, const u8 *odcid, u8 odcid_len,
		    const u8 *retry, size_t retry_len, u8 *tag)
{
	const u8 *key = tquic_retry_key_v1, *nonce = tquic_retry_nonce_v1;
	struct tquic_aead *a;
	u8 *pseudo;
	size_t plen;
	int err;

	if (version == TQUIC_VERSION_2) {
		key = tquic_retry_key_v2;
		nonce = tquic_retry_nonce_v2;
	} else if (version != TQUIC_VERSION_1) {
		return -EPROTONOSUPPORT;
	}
	if (odcid_len > TQUIC_MAX_CID_LEN || retry_len > TQUIC_RETRY_MAX)
		return -EINVAL;

	/* pseudo-packet, then room for the tag the AEAD writes */
	plen = 1 + odcid_len + retry_len;
	pseudo = tquic_crypto_buf_alloc(plen + TQUIC_AEAD_TAG_LEN);
	if (!pseudo)
		return -ENOMEM;
	pseudo[0] = odcid_len;
	memcpy(pseudo + 1, odcid, odcid_len);
	memcpy(pseudo + 1 + odcid_len, retry, retry_len);

	err = -ENOMEM;
	a = tquic_aead_alloc(TQUIC_AES_128_GCM, key);
	if (a) {
		err = tquic_aead_seal(a, nonce, pseudo, plen, pseudo + plen, 0);
		tquic_aead_free(a);
	}
	if (!err)
		memcpy(tag, pseudo + plen, TQUIC_AEAD_TAG_LEN);
	tquic_crypto_buf_free(pseudo);
	return err;
}

/**
 * tquic_retry_build() - a whole Retry packet (RFC 9000 §17.2.5)
 * @buf: destination
 * @len: room
 * @version: QUIC version
 * @dcid: the client's Source Connection ID
 * @dcid_len: its length
 * @scid: the CID the client is to use next
 * @scid_len: its length
 * @token: the Retry token
 * @token_len: its length, not 0
 * @odcid: the Destination CID of the client's Initial, for the tag
 * @odcid_len: its length
 *
 * May sleep. Return: the packet's length, or a negative errno.
 */
int tquic_retry_build(u8 *buf, size_t len, u32 version, const u8 *dcid,
		      u8 dcid_len, const u8 *scid, u8 scid_len,
		      const u8 *token, size_t token_len, const u8 *odcid,
		      u8 odcid_len)
{
	int n, err;

	n = tquic_retry_hdr_write(buf, len, version, dcid, dcid_len, scid,
				  scid_len, token, token_len);
	if (n < 0)
		return n;
	if ((size_t)n + TQUIC_AEAD_TAG_LEN > len)
		return -ENOSPC;
	err = tquic_retry_tag(version, odcid, odcid_len, buf, (size_t)n,
			      buf + n);
	return err ? err : n + TQUIC_AEAD_TAG_LEN;
}

/**
 * tquic_retry_verify() - check a received Retry packet's tag
 * @version: its version
 * @odcid: the Destination Connection ID of our first Initial
 * @odcid_len: its length
 * @pkt: the whole Retry packet, tag included
 * @pkt_len: its length
 *
 * May sleep. Return: 0 when the tag is right, -EBADMSG when it is not
 * (RFC 9001 §5.8: discard the packet), another negative errno.
 */
int tquic_retry_verify(u32 version, const u8 *odcid, u8 odcid_len,
		       const u8 *pkt, size_t pkt_len)
{
	u8 tag[TQUIC_AEAD_TAG_LEN];
	int err;

	if (pkt_len < TQUIC_AEAD_TAG_LEN)
		return -EBADMSG;
	err = tquic_retry_tag(version, odcid, odcid_len, pkt,
			      pkt_len - TQUIC_AEAD_TAG_LEN, tag);
	if (err)
		return err;
	return tquic_crypto_memneq(tag, pkt + pkt_len - TQUIC_AEAD_TAG_LEN,
				   TQUIC_AEAD_TAG_LEN) ? -EBADMSG : 0;
}

/**
 * tquic_reset_token() - the stateless reset token for one of our CIDs
 * @static_key: a secret kept for the endpoint's lifetime
 * @key_len: its length
 * @cid: the connection ID
 * @cid_len: its length
 * @token: TQUIC_RESET_TOKEN_LEN bytes out
 *
 * RFC 9000 §10.3.2: a keyed hash of the CID, so that a server that lost
 * its state can still produce it, and nobody without the key can.
 *
 * Return: 0 or a negative errno.
 */
int tquic_reset_token(const u8 *static_key, size_t key_len, const u8 *cid,
		      u8 cid_len, u8 *token)
{
	u8 out[32];
	int err;

	if (cid_len > TQUIC_MAX_CID_LEN)
		return -EINVAL;
	err = tquic_hmac(TQUIC_SHA256, static_key, key_len, cid, cid_len, out);
	if (!err)
		memcpy(token, out, TQUIC_RESET_TOKEN_LEN);
	memset(out, 0, sizeof(out));
	return err;
}

/**
 * tquic_reset_token_match() - does a datagram end with @token?
 * @dgram: a datagram that could not be processed otherwise
 * @len: its length
 * @token: a token the peer gave us
 *
 * RFC 9000 §10.3.1: the last 16 bytes of a datagram of at least 21 bytes,
 * compared in constant time.
 */
bool tquic_reset_token_match(const u8 *dgram, size_t len, const u8 *token)
{
	if (len < TQUIC_RESET_MIN_LEN)
		return false;
	return !tquic_crypto_memneq(dgram + len - TQUIC_RESET_TOKEN_LEN, token,
				    TQUIC_RESET_TOKEN_LEN);
}

/**
 * tquic_reset_build() - a stateless reset answering a datagram
 * @pkt: where it is built: @cap bytes the caller filled with random ones
 * @cap: room at @pkt
 * @trigger_len: length of the datagram that named a CID we do not know
 * @token: the reset token of that CID
 *
 * RFC 9000 §10.3: it looks like a short-header packet (fixed bit set, the
 * rest unpredictable) and ends with the token. It is one byte shorter
 * than the trigger up to 43 bytes, and 43 to 58 bytes past that, so it is
 * always smaller than the trigger (§10.3.3: no loop between two
 * endpoints, no amplification) and has at least 21 bytes.
 *
 * Return: its length, or 0 when the trigger is too short to answer.
 */
size_t tquic_reset_build(u8 *pkt, size_t cap, size_t trigger_len,
			 const u8 *token)
{
	size_t len;

	if (trigger_len <= TQUIC_RESET_MIN_LEN || cap < TQUIC_RESET_MAX_LEN)
		return 0;
	len = trigger_len - 1;
	if (len > 43 + (size_t)(pkt[1] & 15))
		len = 43 + (pkt[1] & 15);
	pkt[0] = (pkt[0] & 0x3f) | 0x40;
	memcpy(pkt + len - TQUIC_RESET_TOKEN_LEN, token, TQUIC_RESET_TOKEN_LEN);
	return len;
}

/*
 * Retry tokens (RFC 9000 §8.1.2, §8.1.4): opaque to the client, so the
 * format is ours. A marker byte, a random AEAD nonce, then sealed under a
 * key only this server holds: when the token was issued and the client's
 * original Destination CID. The client's IP address and the CID the Retry
 * told it to use are the associated data, so the token is worth nothing
 * from another address or with another CID.
 */
#define TQUIC_TOKEN_MARK	0x52
#define TQUIC_TOKEN_HDR		(1 + TQUIC_AEAD_NONCE_LEN)
#define TQUIC_TOKEN_AD_MAX	(16 + TQUIC_MAX_CID_LEN)

static int tquic_token_ad(u8 *ad, const u8 *addr, size_t addr_len,
			  const u8 *cid, u8 cid_len)
{
	if (addr_len > 16 || cid_len > TQUIC_MAX_CID_LEN)
		return -EINVAL;
	memcpy(ad, addr, addr_len);
	memcpy(ad + addr_len, cid, cid_len);
	return (int)(addr_len + cid_len);
}

/**
 * tquic_retry_token_seal() - make a Retry token
 * @a: the server's token key (AES-128-GCM)
 * @nonce: TQUIC_AEAD_NONCE_LEN fresh random bytes
 * @now_ms: current time, milliseconds
 * @addr: the client's IP address (4 or 16 bytes)
 * @addr_len: its length
 * @rscid: the Source CID of the Retry, the client's next Destination CID
 * @rscid_len: its length
 * @odcid: the Destination CID of the client's first Initial
 * @odcid_len: its length
 * @out: the token
 * @cap: room at @out, TQUIC_RETRY_TOKEN_MAX will do
 *
 * May sleep. Return: the token's length, or a negative errno.
 */
int tquic_retry_token_seal(struct tquic_aead *a, const u8 *nonce, u64 now_ms,
			   const u8 *addr, size_t addr_len, const u8 *rscid,
			   u8 rscid_len, const u8 *odcid, u8 odcid_len,
			   u8 *out, size_t cap)
{
	size_t plen = 8 + 1 + (size_t)odcid_len;
	size_t len = TQUIC_TOKEN_HDR + plen + TQUIC_AEAD_TAG_LEN;
	u8 *ad, *buf;
	int adlen, err, i;

	if (odcid_len > TQUIC_MAX_CID_LEN || cap < len)
		return -EINVAL;
	/* AD and plaintext side by side in one buffer the AEAD may take */
	ad = tquic_crypto_buf_alloc(TQUIC_TOKEN_AD_MAX + plen +
				    TQUIC_AEAD_TAG_LEN);
	if (!ad)
		return -ENOMEM;
	adlen = tquic_token_ad(ad, addr, addr_len, rscid, rscid_len);
	if (adlen < 0) {
		err = adlen;
		goto out;
	}
	buf = ad + adlen;
	for (i = 0; i < 8; i++)
		buf[i] = (u8)(now_ms >> (56 - 8 * i));
	buf[8] = odcid_len;
	memcpy(buf + 9, odcid, odcid_len);
	err = tquic_aead_seal(a, nonce, ad, (size_t)adlen, buf, plen);
	if (!err) {
		out[0] = TQUIC_TOKEN_MARK;
		memcpy(out + 1, nonce, TQUIC_AEAD_NONCE_LEN);
		memcpy(out + TQUIC_TOKEN_HDR, buf, plen + TQUIC_AEAD_TAG_LEN);
	}
out:
	tquic_crypto_buf_free(ad);
	return err ? err : (int)len;
}

/**
 * tquic_retry_token_is_ours() - does a token look like one of our Retry tokens?
 * @token: the token of a client Initial
 * @len: its length
 *
 * Tokens of another making (NEW_TOKEN from someone else) are treated as no
 * token at all (RFC 9000 §8.1.3).
 */
bool tquic_retry_token_is_ours(const u8 *token, size_t len)
{
	return len >= TQUIC_TOKEN_HDR + 9 + TQUIC_AEAD_TAG_LEN &&
	       len <= TQUIC_RETRY_TOKEN_MAX && token[0] == TQUIC_TOKEN_MARK;
}

/**
 * tquic_retry_token_open() - check a Retry token and recover what it holds
 * @a: the server's token key
 * @now_ms: current time, milliseconds
 * @lifetime_ms: how long a token is good for
 * @addr: the address the Initial came from (4 or 16 bytes)
 * @addr_len: its length
 * @dcid: the Initial's Destination CID
 * @dcid_len: its length
 * @token: the Initial's token
 * @len: its length
 * @odcid: out, TQUIC_MAX_CID_LEN bytes: the client's original DCID
 * @odcid_len: out: its length
 *
 * May sleep. Return: 0; -EBADMSG for a token that is not ours, was
 * changed, or is for another address or CID; -ETIMEDOUT when expired;
 * another negative errno.
 */
int tquic_retry_token_open(struct tquic_aead *a, u64 now_ms, u64 lifetime_ms,
			   const u8 *addr, size_t addr_len, const u8 *dcid,
			   u8 dcid_len, const u8 *token, size_t len,
			   u8 *odcid, u8 *odcid_len)
{
	size_t clen;
	u64 issued = 0;
	u8 *ad, *buf;
	int adlen, err, i;

	if (!tquic_retry_token_is_ours(token, len))
		return -EBADMSG;
	clen = len - TQUIC_TOKEN_HDR;
	/*
	 * Opened in a copy (the token stays as it is in the packet), with
	 * the AD before it in one buffer the AEAD may take.
	 */
	ad = tquic_crypto_buf_alloc(TQUIC_TOKEN_AD_MAX + clen);
	if (!ad)
		return -ENOMEM;
	adlen = tquic_token_ad(ad, addr, addr_len, dcid, dcid_len);
	if (adlen < 0) {
		err = adlen;
		goto out;
	}
	buf = ad + adlen;
	memcpy(buf, token + TQUIC_TOKEN_HDR, clen);
	err = tquic_aead_open(a, token + 1, ad, (size_t)adlen, buf, clen);
	if (err) {
		err = -EBADMSG;
		goto out;
	}
	for (i = 0; i < 8; i++)
		issued = (issued << 8) | buf[i];
	if (buf[8] > TQUIC_MAX_CID_LEN ||
	    9 + (size_t)buf[8] + TQUIC_AEAD_TAG_LEN != clen) {
		err = -EBADMSG;
		goto out;
	}
	if (issued > now_ms || now_ms - issued > lifetime_ms) {
		err = -ETIMEDOUT;
		goto out;
	}
	*odcid_len = buf[8];
	memcpy(odcid, buf + 9, buf[8]);
out:
	tquic_crypto_buf_free(ad);
	return err;
}
