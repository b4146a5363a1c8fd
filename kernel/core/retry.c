// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Retry integrity (RFC 9001 §5.8, RFC 9369 §3.3.3) and stateless reset
 * tokens (RFC 9000 §10.3).
 */

#include <linux/errno.h>
#include <linux/string.h>
#include <linux/types.h>

#include "crypto.h"
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
	if (len < 21)
		return false;
	return !tquic_crypto_memneq(dgram + len - TQUIC_RESET_TOKEN_LEN, token,
				    TQUIC_RESET_TOKEN_LEN);
}
