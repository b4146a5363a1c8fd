/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The narrow cryptographic interface kernel/core uses. Two implementations
 * exist and exactly one is linked: kernel/crypto.c (the kernel crypto API)
 * in tquic.ko, tests/unit/crypto_nettle.c (nettle) in userspace. The RFC
 * test vectors in core/selftest.c run through both.
 */
#ifndef _TQUIC_CORE_CRYPTO_H
#define _TQUIC_CORE_CRYPTO_H

#include <linux/types.h>

/* The TLS 1.3 cipher suites QUIC uses (RFC 9001 §5.3) */
enum tquic_aead_alg {
	TQUIC_AES_128_GCM,		/* TLS_AES_128_GCM_SHA256 */
	TQUIC_AES_256_GCM,		/* TLS_AES_256_GCM_SHA384 */
	TQUIC_CHACHA20_POLY1305,	/* TLS_CHACHA20_POLY1305_SHA256 */
};

enum tquic_hash_alg {
	TQUIC_SHA256,
	TQUIC_SHA384,
};

#define TQUIC_AEAD_TAG_LEN	16
#define TQUIC_AEAD_NONCE_LEN	12
#define TQUIC_HP_SAMPLE_LEN	16
#define TQUIC_HP_MASK_LEN	5
#define TQUIC_MAX_HASH_LEN	48
#define TQUIC_MAX_KEY_LEN	32

struct tquic_aead;
struct tquic_hp;

/**
 * tquic_hmac() - HMAC over one buffer
 * @h: hash
 * @key: key
 * @klen: key length
 * @data: message
 * @dlen: message length
 * @out: tquic_hash_len(@h) bytes
 *
 * Return: 0 or a negative errno.
 */
int tquic_hmac(enum tquic_hash_alg h, const u8 *key, size_t klen,
	       const u8 *data, size_t dlen, u8 *out);

/**
 * tquic_aead_alloc() - an AEAD keyed with @key
 * @alg: algorithm
 * @key: key of tquic_aead_key_len(@alg) bytes
 *
 * May sleep. Return: the context or NULL.
 */
struct tquic_aead *tquic_aead_alloc(enum tquic_aead_alg alg, const u8 *key);
void tquic_aead_free(struct tquic_aead *a);

/**
 * tquic_aead_seal() - encrypt in place and append the tag
 * @a: context
 * @nonce: TQUIC_AEAD_NONCE_LEN bytes
 * @ad: associated data
 * @adlen: its length
 * @data: plaintext of @len bytes, followed by room for the tag
 * @len: plaintext length
 *
 * @ad and @data must be in linear memory (tquic_crypto_buf_alloc(), the
 * kernel's datagram buffers, skb data), never on the stack or in a
 * connection object: the kernel's AEADs take them through scatterlists.
 *
 * Return: 0, -EFAULT for a buffer outside linear memory, or another
 * negative errno.
 */
int tquic_aead_seal(struct tquic_aead *a, const u8 *nonce, const u8 *ad,
		    size_t adlen, u8 *data, size_t len);

/**
 * tquic_aead_open() - check the tag and decrypt in place
 * @a: context
 * @nonce: TQUIC_AEAD_NONCE_LEN bytes
 * @ad: associated data
 * @adlen: its length
 * @data: ciphertext followed by the tag
 * @len: ciphertext length plus TQUIC_AEAD_TAG_LEN
 *
 * On failure the ciphertext may have been overwritten; the tag has not.
 *
 * Return: 0, -EBADMSG when the tag does not match (or @len is shorter than
 * a tag), or another negative errno.
 */
int tquic_aead_open(struct tquic_aead *a, const u8 *nonce, const u8 *ad,
		    size_t adlen, u8 *data, size_t len);

/**
 * tquic_hp_alloc() - a header-protection context (RFC 9001 §5.4)
 * @alg: the packet protection algorithm it belongs to
 * @key: hp key of tquic_aead_key_len(@alg) bytes
 *
 * May sleep. Return: the context or NULL.
 */
struct tquic_hp *tquic_hp_alloc(enum tquic_aead_alg alg, const u8 *key);
void tquic_hp_free(struct tquic_hp *hp);

/**
 * tquic_hp_mask() - the 5-byte mask for one sample
 * @hp: context
 * @sample: TQUIC_HP_SAMPLE_LEN bytes of ciphertext
 * @mask: TQUIC_HP_MASK_LEN bytes out
 *
 * Return: 0 or a negative errno.
 */
int tquic_hp_mask(struct tquic_hp *hp, const u8 *sample, u8 *mask);

/**
 * tquic_crypto_memneq() - constant-time comparison
 * @a: buffer
 * @b: buffer
 * @n: bytes
 *
 * Return: non-zero when they differ.
 */
int tquic_crypto_memneq(const void *a, const void *b, size_t n);

/*
 * Scratch memory for crypto operations, zeroed, in linear memory; may
 * sleep; NULL on failure. Freed wiped.
 */
void *tquic_crypto_buf_alloc(size_t n);
void tquic_crypto_buf_free(void *p);

/*
 * Large zeroed memory the core keeps (sent-packet records), not
 * necessarily linear: never for crypto. May sleep; NULL on failure.
 */
void *tquic_big_alloc(size_t n);
void tquic_big_free(void *p, size_t n);

/*
 * Small zeroed objects the core allocates while it runs (streams, bytes
 * held beyond a gap): never sleeps, so may fail; NULL on failure.
 */
void *tquic_small_alloc(size_t n);
void tquic_small_free(void *p);

static inline size_t tquic_aead_key_len(enum tquic_aead_alg alg)
{
	return alg == TQUIC_AES_128_GCM ? 16 : 32;
}

static inline enum tquic_hash_alg tquic_aead_hash(enum tquic_aead_alg alg)
{
	return alg == TQUIC_AES_256_GCM ? TQUIC_SHA384 : TQUIC_SHA256;
}

static inline size_t tquic_hash_len(enum tquic_hash_alg h)
{
	return h == TQUIC_SHA384 ? 48 : 32;
}

#endif /* _TQUIC_CORE_CRYPTO_H */
