// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * QUIC key schedule (RFC 9001 §5, RFC 9369 §3.3).
 */

#include <linux/errno.h>
#include <linux/string.h>
#include <linux/types.h>

#include "keys.h"
#include "quic.h"

/* RFC 9001 §5.2 */
static const u8 tquic_salt_v1[20] = {
	0x38, 0x76, 0x2c, 0xf7, 0xf5, 0x59, 0x34, 0xb3, 0x4d, 0x17,
	0x9a, 0xe6, 0xa4, 0xc8, 0x0c, 0xad, 0xcc, 0xbb, 0x7f, 0x0a,
};

/* RFC 9369 §3.3.1 */
static const u8 tquic_salt_v2[20] = {
	0x0d, 0xed, 0xe3, 0xde, 0xf7, 0x00, 0xa6, 0xdb, 0x81, 0x93,
	0x81, 0xbe, 0x6e, 0x26, 0x9d, 0xcb, 0xf9, 0xbd, 0x2e, 0xd9,
};

/* RFC 9001 §5.1 and RFC 9369 §3.3.2: the labels differ by version */
struct tquic_labels {
	const char *key, *iv, *hp, *ku;
};

static const struct tquic_labels tquic_labels_v1 = {
	"quic key", "quic iv", "quic hp", "quic ku",
};

static const struct tquic_labels tquic_labels_v2 = {
	"quicv2 key", "quicv2 iv", "quicv2 hp", "quicv2 ku",
};

static const struct tquic_labels *tquic_labels(u32 version)
{
	return version == TQUIC_VERSION_2 ? &tquic_labels_v2 : &tquic_labels_v1;
}

/**
 * tquic_hkdf_extract() - HKDF-Extract (RFC 5869 §2.2)
 * @h: hash
 * @salt: salt
 * @salt_len: its length
 * @ikm: input keying material
 * @ikm_len: its length
 * @prk: tquic_hash_len(@h) bytes out
 *
 * Return: 0 or a negative errno.
 */
int tquic_hkdf_extract(enum tquic_hash_alg h, const u8 *salt, size_t salt_len,
		       const u8 *ikm, size_t ikm_len, u8 *prk)
{
	return tquic_hmac(h, salt, salt_len, ikm, ikm_len, prk);
}

/**
 * tquic_hkdf_expand_label() - HKDF-Expand-Label with an empty context
 * @h: hash
 * @secret: the secret (PRK)
 * @secret_len: its length
 * @label: label without the "tls13 " prefix (RFC 8446 §7.1)
 * @out: result
 * @out_len: bytes wanted, at most 255 * hash length
 *
 * Return: 0 or a negative errno.
 */
int tquic_hkdf_expand_label(enum tquic_hash_alg h, const u8 *secret,
			    size_t secret_len, const char *label,
			    u8 *out, size_t out_len)
{
	size_t hl = tquic_hash_len(h), llen = strlen(label), ilen, done = 0;
	u8 buf[TQUIC_MAX_HASH_LEN + 2 + 1 + 255 + 1 + 1];
	u8 t[TQUIC_MAX_HASH_LEN];
	u8 *info;
	u8 i;
	int err;

	if (llen > 255 - 6 || out_len > 255 * hl || out_len > 0xffff)
		return -EINVAL;
	/* RFC 8446 §7.1: HkdfLabel = length(2) || label<7..255> || context<0..255> */
	info = buf + hl;
	info[0] = (u8)(out_len >> 8);
	info[1] = (u8)out_len;
	info[2] = (u8)(6 + llen);
	memcpy(info + 3, "tls13 ", 6);
	memcpy(info + 9, label, llen);
	info[9 + llen] = 0;
	ilen = 10 + llen;

	/* RFC 5869 §2.3: T(i) = HMAC(PRK, T(i-1) || info || i) */
	for (i = 1; done < out_len; i++) {
		size_t off = i == 1 ? hl : 0, n;

		if (i > 1)
			memcpy(buf, t, hl);
		info[ilen] = i;
		err = tquic_hmac(h, secret, secret_len, buf + off,
				 hl - off + ilen + 1, t);
		if (err)
			return err;
		n = out_len - done < hl ? out_len - done : hl;
		memcpy(out + done, t, n);
		done += n;
	}
	memset(t, 0, sizeof(t));
	return 0;
}

/**
 * tquic_initial_secrets() - the Initial secrets of a connection
 * @version: TQUIC_VERSION_1 or TQUIC_VERSION_2
 * @dcid: Destination Connection ID of the client's first Initial
 * @dcid_len: its length
 * @client: 32 bytes out, client_initial_secret
 * @server: 32 bytes out, server_initial_secret
 *
 * RFC 9001 §5.2, RFC 9369 §3.3.1.
 *
 * Return: 0, -EPROTONOSUPPORT for another version, or a negative errno.
 */
int tquic_initial_secrets(u32 version, const u8 *dcid, size_t dcid_len,
			  u8 *client, u8 *server)
{
	const u8 *salt;
	u8 prk[32];
	int err;

	if (version == TQUIC_VERSION_1)
		salt = tquic_salt_v1;
	else if (version == TQUIC_VERSION_2)
		salt = tquic_salt_v2;
	else
		return -EPROTONOSUPPORT;

	err = tquic_hkdf_extract(TQUIC_SHA256, salt, 20, dcid, dcid_len, prk);
	if (!err)
		err = tquic_hkdf_expand_label(TQUIC_SHA256, prk, 32, "client in",
					      client, 32);
	if (!err)
		err = tquic_hkdf_expand_label(TQUIC_SHA256, prk, 32, "server in",
					      server, 32);
	memset(prk, 0, sizeof(prk));
	return err;
}

/**
 * tquic_keys_material() - key, IV and header protection key of a secret
 * @version: QUIC version (selects the labels)
 * @alg: AEAD
 * @secret: traffic secret of tquic_hash_len(tquic_aead_hash(@alg)) bytes
 * @key: tquic_aead_key_len(@alg) bytes out
 * @iv: TQUIC_AEAD_NONCE_LEN bytes out
 * @hp: tquic_aead_key_len(@alg) bytes out
 *
 * Return: 0 or a negative errno.
 */
int tquic_keys_material(u32 version, enum tquic_aead_alg alg,
			const u8 *secret, u8 *key, u8 *iv, u8 *hp)
{
	const struct tquic_labels *l = tquic_labels(version);
	enum tquic_hash_alg h = tquic_aead_hash(alg);
	size_t sl = tquic_hash_len(h), kl = tquic_aead_key_len(alg);
	int err;

	err = tquic_hkdf_expand_label(h, secret, sl, l->key, key, kl);
	if (!err)
		err = tquic_hkdf_expand_label(h, secret, sl, l->iv, iv,
					      TQUIC_AEAD_NONCE_LEN);
	if (!err)
		err = tquic_hkdf_expand_label(h, secret, sl, l->hp, hp, kl);
	return err;
}

static int tquic_keys_setup(struct tquic_keys *k, bool with_hp,
			    struct tquic_hp *hp_reuse)
{
	u8 key[TQUIC_MAX_KEY_LEN], hp[TQUIC_MAX_KEY_LEN];
	int err;

	err = tquic_keys_material(k->version, k->alg, k->secret, key, k->iv,
				  hp);
	if (err)
		goto out;
	err = -ENOMEM;
	k->aead = tquic_aead_alloc(k->alg, key);
	if (!k->aead)
		goto out;
	k->hp = with_hp ? tquic_hp_alloc(k->alg, hp) : hp_reuse;
	k->hp_owned = with_hp;
	if (!k->hp) {
		tquic_aead_free(k->aead);
		k->aead = NULL;
		goto out;
	}
	err = 0;
out:
	memset(key, 0, sizeof(key));
	memset(hp, 0, sizeof(hp));
	return err;
}

/**
 * tquic_keys_install() - set up packet protection from a traffic secret
 * @k: keys, overwritten
 * @version: QUIC version
 * @alg: AEAD of the negotiated cipher suite
 * @secret: the traffic secret
 * @secret_len: must be the suite's hash length
 *
 * May sleep. Return: 0 or a negative errno; on error @k holds nothing.
 */
int tquic_keys_install(struct tquic_keys *k, u32 version,
		       enum tquic_aead_alg alg, const u8 *secret,
		       size_t secret_len)
{
	memset(k, 0, sizeof(*k));
	if (secret_len != tquic_hash_len(tquic_aead_hash(alg)))
		return -EINVAL;
	k->alg = alg;
	k->version = version;
	k->secret_len = secret_len;
	memcpy(k->secret, secret, secret_len);
	return tquic_keys_setup(k, true, NULL);
}

/**
 * tquic_keys_next() - the keys of the next key phase (RFC 9001 §6)
 * @next: keys out
 * @cur: current keys
 *
 * The next secret is HKDF-Expand-Label(secret, "quic ku") ("quicv2 ku" in
 * version 2). The header protection key does not change (RFC 9001 §6):
 * @next shares @cur's header protection context, which stays with the
 * keys that set it up (tquic_keys_destroy() of @next leaves it alone).
 *
 * May sleep. Return: 0 or a negative errno.
 */
int tquic_keys_next(struct tquic_keys *next, const struct tquic_keys *cur)
{
	const struct tquic_labels *l = tquic_labels(cur->version);
	enum tquic_hash_alg h = tquic_aead_hash(cur->alg);
	int err;

	memset(next, 0, sizeof(*next));
	next->alg = cur->alg;
	next->version = cur->version;
	next->secret_len = cur->secret_len;
	err = tquic_hkdf_expand_label(h, cur->secret, cur->secret_len, l->ku,
				      next->secret, cur->secret_len);
	if (err)
		return err;
	return tquic_keys_setup(next, false, cur->hp);
}

/**
 * tquic_initial_keys_install() - one endpoint's Initial packet keys
 * @version: TQUIC_VERSION_1 or TQUIC_VERSION_2
 * @dcid: Destination Connection ID of the client's first Initial
 * @dcid_len: its length
 * @server: the server's side (else the client's)
 * @rx: keys that open the peer's packets, or NULL when not wanted
 * @tx: keys that protect that side's packets, or NULL when not wanted
 *
 * RFC 9001 §5.2: both come from tquic_initial_secrets(), AES-128-GCM.
 *
 * Return: 0 or a negative errno; on error nothing is left installed.
 */
int tquic_initial_keys_install(u32 version, const u8 *dcid, size_t dcid_len,
			       bool server, struct tquic_keys *rx,
			       struct tquic_keys *tx)
{
	u8 client_s[32], server_s[32];
	int err;

	err = tquic_initial_secrets(version, dcid, dcid_len, client_s,
				    server_s);
	if (!err && rx)
		err = tquic_keys_install(rx, version, TQUIC_AES_128_GCM,
					 server ? client_s : server_s, 32);
	if (!err && tx) {
		err = tquic_keys_install(tx, version, TQUIC_AES_128_GCM,
					 server ? server_s : client_s, 32);
		if (err && rx)
			tquic_keys_destroy(rx);
	}
	memset(client_s, 0, sizeof(client_s));
	memset(server_s, 0, sizeof(server_s));
	return err;
}

/**
 * tquic_keys_destroy() - free what tquic_keys_install() set up
 * @k: keys; their header protection context is freed if they own it
 */
void tquic_keys_destroy(struct tquic_keys *k)
{
	if (k->aead)
		tquic_aead_free(k->aead);
	if (k->hp && k->hp_owned)
		tquic_hp_free(k->hp);
	memset(k, 0, sizeof(*k));
}
