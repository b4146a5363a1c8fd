/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * QUIC key schedule (RFC 9001 §5, RFC 9369 §3.3): HKDF, Initial secrets,
 * packet protection keys, key update.
 */
#ifndef _TQUIC_CORE_KEYS_H
#define _TQUIC_CORE_KEYS_H

#include <linux/types.h>

#include "crypto.h"

/**
 * struct tquic_keys - packet protection for one direction at one level
 * @alg: AEAD
 * @version: QUIC version the labels belong to
 * @secret: the traffic secret these keys come from (for key update)
 * @secret_len: its length, the hash length
 * @iv: the packet protection IV
 * @aead: keyed AEAD
 * @hp: keyed header protection
 * @hp_owned: @hp was set up for these keys (false for the keys of a later
 *	key phase, which share the first phase's header protection)
 */
struct tquic_keys {
	enum tquic_aead_alg alg;
	u32 version;
	u8 secret[TQUIC_MAX_HASH_LEN];
	size_t secret_len;
	u8 iv[TQUIC_AEAD_NONCE_LEN];
	struct tquic_aead *aead;
	struct tquic_hp *hp;
	bool hp_owned;
};

int tquic_hkdf_extract(enum tquic_hash_alg h, const u8 *salt, size_t salt_len,
		       const u8 *ikm, size_t ikm_len, u8 *prk);
int tquic_hkdf_expand_label(enum tquic_hash_alg h, const u8 *secret,
			    size_t secret_len, const char *label,
			    u8 *out, size_t out_len);
int tquic_initial_secrets(u32 version, const u8 *dcid, size_t dcid_len,
			  u8 *client, u8 *server);
int tquic_keys_material(u32 version, enum tquic_aead_alg alg,
			const u8 *secret, u8 *key, u8 *iv, u8 *hp);
int tquic_keys_install(struct tquic_keys *k, u32 version,
		       enum tquic_aead_alg alg, const u8 *secret,
		       size_t secret_len);
int tquic_initial_keys_install(u32 version, const u8 *dcid, size_t dcid_len,
			       bool server, struct tquic_keys *rx,
			       struct tquic_keys *tx);
int tquic_keys_next(struct tquic_keys *next, const struct tquic_keys *cur);
void tquic_keys_destroy(struct tquic_keys *k);

#endif /* _TQUIC_CORE_KEYS_H */
