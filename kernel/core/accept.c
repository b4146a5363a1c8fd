// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * A listener's answer to a datagram that names no connection: see accept.h.
 */

#include <linux/errno.h>
#include <linux/string.h>
#include <linux/types.h>

#include "accept.h"
#include "crypto.h"
#include "error.h"
#include "keys.h"
#include "protect.h"
#include "retry.h"

/*
 * RFC 9001 §5.2, §5.4, §5.3: does the first packet of @dgram open under
 * the client's Initial keys, which its Destination CID gives? Only the
 * receive keys are derived, and freed again; the packet is opened in a
 * copy in @env's scratch memory (the AEAD works in place, in linear
 * memory), wiped afterwards. @dgram stays as it came, for the connection.
 */
static int tquic_accept_trial(const struct tquic_accept_env *env,
			      const u8 *dgram, const struct tquic_hdr *h)
{
	struct tquic_keys rx;
	size_t hdr_len;
	u64 pn;
	int err;

	if (!env->scratch || h->len > env->scratch_len)
		return -ENOSPC;
	err = tquic_initial_keys_install(h->version, h->dcid, h->dcid_len,
					 true, &rx, NULL);
	if (err)
		return err;
	memcpy(env->scratch, dgram, h->len);
	err = tquic_packet_unprotect(&rx, 0, env->scratch, h->len,
				     h->pn_offset, 0, true, &pn, &hdr_len);
	tquic_keys_destroy(&rx);
	memset(env->scratch, 0, h->len);
	return err;
}

/*
 * RFC 9000 §8.1.2, §17.2.5.1: a token of ours comes back in an Initial to
 * the CID our Retry gave (TQUIC_CID_LEN bytes), from the address it was
 * issued to, in time; it holds the client's original Destination CID.
 * Return: 0, -EBADMSG or -ETIMEDOUT for a token to refuse, another
 * negative errno.
 */
static int tquic_accept_open_token(const struct tquic_accept_env *env,
				   const struct tquic_hdr *h,
				   struct tquic_conn_cfg *cfg)
{
	if (!env->token_key || h->dcid_len != TQUIC_CID_LEN)
		return -EBADMSG;
	return tquic_retry_token_open(env->token_key, env->now / 1000,
				      TQUIC_RETRY_TOKEN_LIFETIME_MS, env->addr,
				      env->addr_len, h->dcid, h->dcid_len,
				      h->token, h->token_len, cfg->odcid,
				      &cfg->odcid_len);
}

/**
 * tquic_accept_initial() - what a listener does with a datagram that names
 *	none of its connections
 * @env: the caller's environment: clock, client address, keys, random CID,
 *	scratch memory, whether a Retry is wanted
 * @dgram: the datagram; left as it came
 * @len: its length
 * @h: out: its first packet's header, pointing into @dgram, to answer
 *	with (TQUIC_ACCEPT_VN, _RETRY, _REFUSE)
 * @cfg: out, for TQUIC_ACCEPT_NEW only (untouched otherwise): the new
 *	server connection's configuration; idle_timeout_ms and keepalive_ms
 *	are the caller's to set (0 here)
 *
 * Cheapest first, each step only for what passed the ones before:
 *
 * 1. Without keys: a datagram of 1200 bytes or more (RFC 9000 §14.1)
 *    whose first packet is a long-header Initial (§17.2.2) of a version
 *    we speak (else Version Negotiation, §6.1) with a Destination CID of
 *    8 bytes or more (§7.2).
 * 2. Without a token shaped like ours (any other counts as none,
 *    §8.1.3), a Retry if @env asks.
 * 3. The client's Initial keys (RFC 9001 §5.2) and a trial decryption of
 *    the first packet, header protection and AEAD: what does not open is
 *    dropped.
 * 4. A token shaped like ours is opened with the token key and must be
 *    good, else INVALID_TOKEN (§8.1.2: for an Initial otherwise valid).
 * 5. The stateless reset token of the connection's first CID (§10.3.2).
 *
 * Nothing is kept between calls, whatever the verdict: no keys, no state.
 *
 * May sleep. Return: the verdict.
 */
enum tquic_accept_verdict
tquic_accept_initial(const struct tquic_accept_env *env, const u8 *dgram,
		     size_t len, struct tquic_hdr *h,
		     struct tquic_conn_cfg *cfg)
{
	struct tquic_conn_cfg c;
	bool ours;
	int err;

	/* 1: size, header, version, Destination CID length */
	err = tquic_conn_first_initial(dgram, len, h);
	if (err == -EPROTONOSUPPORT)
		return TQUIC_ACCEPT_VN;
	if (err)
		return TQUIC_ACCEPT_DROP;

	/* 2: a first Initial without a token of ours, when a Retry is wanted */
	ours = tquic_retry_token_is_ours(h->token, h->token_len);
	if (!ours && env->retry)
		return TQUIC_ACCEPT_RETRY;

	/* 3: only now keys, for a packet that has the shape of a client's */
	if (tquic_accept_trial(env, dgram, h))
		return TQUIC_ACCEPT_DROP;

	/*
	 * 4: the token. §8.1.2: INVALID_TOKEN answers an Initial that is
	 * otherwise valid, so junk with a token-shaped field is dropped by
	 * the trial above, unanswered.
	 */
	memset(&c, 0, sizeof(c));
	c.is_server = true;
	c.version = h->version;
	c.now = env->now;
	c.scid_len = TQUIC_CID_LEN;
	if (ours) {
		err = tquic_accept_open_token(env, h, &c);
		if (err == -EBADMSG || err == -ETIMEDOUT)
			return TQUIC_ACCEPT_REFUSE;
		if (err)
			return TQUIC_ACCEPT_DROP;
		/* §7.3: the Retry's CID is ours now, and is authenticated */
		memcpy(c.scid, h->dcid, TQUIC_CID_LEN);
		memcpy(c.retry_scid, h->dcid, TQUIC_CID_LEN);
		c.retry_scid_len = TQUIC_CID_LEN;
	} else {
		memcpy(c.scid, env->cid, TQUIC_CID_LEN);
		memcpy(c.odcid, h->dcid, h->dcid_len);
		c.odcid_len = h->dcid_len;
	}

	/* 5: §7.2: the client's Source CID is our Destination CID */
	memcpy(c.dcid, h->scid, h->scid_len);
	c.dcid_len = h->scid_len;
	if (tquic_reset_token(env->reset_key, env->reset_key_len, c.scid,
			      c.scid_len, c.reset_token))
		return TQUIC_ACCEPT_DROP;
	*cfg = c;
	return TQUIC_ACCEPT_NEW;
}

/**
 * tquic_accept_vn() - the Version Negotiation packet that answers @h
 * @h: the header tquic_accept_initial() parsed for TQUIC_ACCEPT_VN
 * @unused: a random byte for the unused bits of the first byte
 * @buf: where the datagram is built
 * @cap: room at @buf
 *
 * RFC 9000 §6.1, §17.2.1: the versions we speak, with the client's CIDs
 * echoed, swapped. Smaller than the datagram it answers (§8: no
 * amplification).
 *
 * Return: the datagram's length or a negative errno.
 */
int tquic_accept_vn(const struct tquic_hdr *h, u8 unused, u8 *buf,
		    size_t cap)
{
	static const u32 versions[] = { TQUIC_VERSION_2, TQUIC_VERSION_1 };

	return tquic_vn_write(buf, cap, h->scid, h->scid_len, h->dcid,
			      h->dcid_len, versions,
			      sizeof(versions) / sizeof(versions[0]), unused);
}

/**
 * tquic_accept_retry() - the Retry packet that answers @h
 * @env: the environment tquic_accept_initial() returned TQUIC_ACCEPT_RETRY
 *	for; its @cid becomes the Retry's Source CID
 * @h: the header it parsed
 * @nonce: TQUIC_AEAD_NONCE_LEN fresh random bytes for the token
 * @buf: where the datagram is built
 * @cap: room at @buf
 *
 * RFC 9000 §8.1.2, §17.2.5: a Retry naming the CID the client is to use
 * next, with a token that binds the client's address and that CID and
 * holds the client's original Destination CID (§8.1.4), and the
 * integrity tag of RFC 9001 §5.8. Nothing is kept: the token brings back
 * what the connection needs.
 *
 * May sleep. Return: the datagram's length or a negative errno.
 */
int tquic_accept_retry(const struct tquic_accept_env *env,
		       const struct tquic_hdr *h, const u8 *nonce, u8 *buf,
		       size_t cap)
{
	u8 token[TQUIC_RETRY_TOKEN_MAX];
	int tlen;

	if (!env->token_key)
		return -EINVAL;
	tlen = tquic_retry_token_seal(env->token_key, nonce, env->now / 1000,
				      env->addr, env->addr_len, env->cid,
				      TQUIC_CID_LEN, h->dcid, h->dcid_len,
				      token, sizeof(token));
	if (tlen < 0)
		return tlen;
	return tquic_retry_build(buf, cap, h->version, h->scid, h->scid_len,
				 env->cid, TQUIC_CID_LEN, token, (size_t)tlen,
				 h->dcid, h->dcid_len);
}

/**
 * tquic_accept_refuse() - the close that answers a bad Retry token
 * @h: the header tquic_accept_initial() parsed for TQUIC_ACCEPT_REFUSE
 * @buf: where the datagram is built
 * @cap: room at @buf
 *
 * RFC 9000 §8.1.2: a client whose token we refuse would not take another
 * Retry; CONNECTION_CLOSE(INVALID_TOKEN) in an Initial tells it at once,
 * statelessly (see tquic_conn_refuse_initial()). The caller bounds how
 * often: building it derives Initial keys.
 *
 * May sleep. Return: the datagram's length or a negative errno.
 */
int tquic_accept_refuse(const struct tquic_hdr *h, u8 *buf, size_t cap)
{
	return tquic_conn_refuse_initial(buf, cap, h, TQUIC_INVALID_TOKEN);
}
