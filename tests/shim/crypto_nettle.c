// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The userspace implementation of kernel/core/crypto.h, on nettle (the
 * library GnuTLS itself uses). Linked into unit tests, fuzzers, the link
 * simulator and benchmarks; tquic.ko links kernel/crypto.c instead.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <nettle/aes.h>
#include <nettle/chacha.h>
#include <nettle/chacha-poly1305.h>
#include <nettle/gcm.h>
#include <nettle/hmac.h>
#include <nettle/memops.h>

#include "crypto.h"

struct tquic_aead {
	enum tquic_aead_alg alg;
	union {
		struct gcm_aes128_ctx gcm128;
		struct gcm_aes256_ctx gcm256;
		struct chacha_poly1305_ctx cp;
	};
};

struct tquic_hp {
	enum tquic_aead_alg alg;
	union {
		struct aes128_ctx aes128;
		struct aes256_ctx aes256;
		u8 chacha_key[CHACHA_KEY_SIZE];
	};
};

int tquic_hmac(enum tquic_hash_alg h, const u8 *key, size_t klen,
	       const u8 *data, size_t dlen, u8 *out)
{
	if (h == TQUIC_SHA384) {
		struct hmac_sha384_ctx c;

		hmac_sha384_set_key(&c, klen, key);
		hmac_sha384_update(&c, dlen, data);
		hmac_sha384_digest(&c, SHA384_DIGEST_SIZE, out);
	} else {
		struct hmac_sha256_ctx c;

		hmac_sha256_set_key(&c, klen, key);
		hmac_sha256_update(&c, dlen, data);
		hmac_sha256_digest(&c, SHA256_DIGEST_SIZE, out);
	}
	return 0;
}

struct tquic_aead *tquic_aead_alloc(enum tquic_aead_alg alg, const u8 *key)
{
	struct tquic_aead *a = calloc(1, sizeof(*a));

	if (!a)
		return NULL;
	a->alg = alg;
	switch (alg) {
	case TQUIC_AES_128_GCM:
		gcm_aes128_set_key(&a->gcm128, key);
		break;
	case TQUIC_AES_256_GCM:
		gcm_aes256_set_key(&a->gcm256, key);
		break;
	case TQUIC_CHACHA20_POLY1305:
		chacha_poly1305_set_key(&a->cp, key);
		break;
	default:
		free(a);
		return NULL;
	}
	return a;
}

void tquic_aead_free(struct tquic_aead *a)
{
	if (a) {
		memset(a, 0, sizeof(*a));
		free(a);
	}
}

/* One pass of the AEAD: encrypt or decrypt @len bytes in place, write the
 * tag to @tag. */
static void tquic_aead_run(struct tquic_aead *a, bool enc, const u8 *nonce,
			   const u8 *ad, size_t adlen, u8 *data, size_t len,
			   u8 *tag)
{
	switch (a->alg) {
	case TQUIC_AES_128_GCM:
		gcm_aes128_set_iv(&a->gcm128, TQUIC_AEAD_NONCE_LEN, nonce);
		gcm_aes128_update(&a->gcm128, adlen, ad);
		if (enc)
			gcm_aes128_encrypt(&a->gcm128, len, data, data);
		else
			gcm_aes128_decrypt(&a->gcm128, len, data, data);
		gcm_aes128_digest(&a->gcm128, TQUIC_AEAD_TAG_LEN, tag);
		break;
	case TQUIC_AES_256_GCM:
		gcm_aes256_set_iv(&a->gcm256, TQUIC_AEAD_NONCE_LEN, nonce);
		gcm_aes256_update(&a->gcm256, adlen, ad);
		if (enc)
			gcm_aes256_encrypt(&a->gcm256, len, data, data);
		else
			gcm_aes256_decrypt(&a->gcm256, len, data, data);
		gcm_aes256_digest(&a->gcm256, TQUIC_AEAD_TAG_LEN, tag);
		break;
	case TQUIC_CHACHA20_POLY1305:
		chacha_poly1305_set_nonce(&a->cp, nonce);
		chacha_poly1305_update(&a->cp, adlen, ad);
		if (enc)
			chacha_poly1305_encrypt(&a->cp, len, data, data);
		else
			chacha_poly1305_decrypt(&a->cp, len, data, data);
		chacha_poly1305_digest(&a->cp, TQUIC_AEAD_TAG_LEN, tag);
		break;
	}
}

int tquic_aead_seal(struct tquic_aead *a, const u8 *nonce, const u8 *ad,
		    size_t adlen, u8 *data, size_t len)
{
	tquic_aead_run(a, true, nonce, ad, adlen, data, len, data + len);
	return 0;
}

int tquic_aead_open(struct tquic_aead *a, const u8 *nonce, const u8 *ad,
		    size_t adlen, u8 *data, size_t len)
{
	u8 tag[TQUIC_AEAD_TAG_LEN];
	size_t clen;

	if (len < TQUIC_AEAD_TAG_LEN)
		return -EBADMSG;
	clen = len - TQUIC_AEAD_TAG_LEN;
	/* in place, as the kernel's AEADs do: on a bad tag the ciphertext is
	 * gone (crypto.h says so), the tag itself is left alone */
	tquic_aead_run(a, false, nonce, ad, adlen, data, clen, tag);
	if (!memeql_sec(tag, data + clen, TQUIC_AEAD_TAG_LEN))
		return -EBADMSG;
	return 0;
}

struct tquic_hp *tquic_hp_alloc(enum tquic_aead_alg alg, const u8 *key)
{
	struct tquic_hp *hp = calloc(1, sizeof(*hp));

	if (!hp)
		return NULL;
	hp->alg = alg;
	switch (alg) {
	case TQUIC_AES_128_GCM:
		aes128_set_encrypt_key(&hp->aes128, key);
		break;
	case TQUIC_AES_256_GCM:
		aes256_set_encrypt_key(&hp->aes256, key);
		break;
	case TQUIC_CHACHA20_POLY1305:
		memcpy(hp->chacha_key, key, CHACHA_KEY_SIZE);
		break;
	default:
		free(hp);
		return NULL;
	}
	return hp;
}

void tquic_hp_free(struct tquic_hp *hp)
{
	if (hp) {
		memset(hp, 0, sizeof(*hp));
		free(hp);
	}
}

int tquic_hp_mask(struct tquic_hp *hp, const u8 *sample, u8 *mask)
{
	u8 block[16];
	struct chacha_ctx c;

	switch (hp->alg) {
	case TQUIC_AES_128_GCM:
		/* RFC 9001 §5.4.3: mask = AES-ECB(hp_key, sample) */
		aes128_encrypt(&hp->aes128, 16, block, sample);
		break;
	case TQUIC_AES_256_GCM:
		aes256_encrypt(&hp->aes256, 16, block, sample);
		break;
	case TQUIC_CHACHA20_POLY1305:
		/* RFC 9001 §5.4.4: counter = sample[0..3] (little endian),
		 * nonce = sample[4..15], mask = ChaCha20 of five zero bytes */
		memset(block, 0, sizeof(block));
		chacha_set_key(&c, hp->chacha_key);
		chacha_set_nonce96(&c, sample + 4);
		chacha_set_counter32(&c, sample);
		chacha_crypt32(&c, TQUIC_HP_MASK_LEN, block, block);
		break;
	}
	memcpy(mask, block, TQUIC_HP_MASK_LEN);
	return 0;
}

int tquic_crypto_memneq(const void *a, const void *b, size_t n)
{
	return !memeql_sec(a, b, n);
}

void *tquic_crypto_buf_alloc(size_t n)
{
	return calloc(1, n);
}

void tquic_crypto_buf_free(void *p)
{
	free(p);
}

void *tquic_big_alloc(size_t n)
{
	return calloc(1, n);
}

void tquic_big_free(void *p, size_t n)
{
	(void)n;
	free(p);
}

void *tquic_small_alloc(size_t n)
{
	return calloc(1, n);
}

void tquic_small_free(void *p)
{
	free(p);
}
