// SPDX-License-Identifier: GPL-2.0
/*
 * kernel/core/crypto.h on the kernel crypto API: hmac(sha256/384),
 * gcm(aes), rfc7539(chacha20,poly1305), ecb(aes) and chacha20 for header
 * protection. Only synchronous implementations are asked for, so every
 * call completes before it returns.
 *
 * Buffers handed to scatterlists must be in the linear mapping (kmalloc,
 * skb data), never on the stack (CONFIG_VMAP_STACK).
 */

#include <crypto/aead.h>
#include <crypto/algapi.h>
#include <crypto/hash.h>
#include <crypto/skcipher.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>

#include "core/crypto.h"
#include "mem.h"

/*
 * @req: the request, allocated with the transform: calls on one AEAD are
 * serialised by its user (a connection's lock, the namespace's for the
 * token key), so nothing is allocated per packet
 */
struct tquic_aead {
	struct crypto_aead *tfm;
	struct aead_request *req;
};

/**
 * struct tquic_hp - header protection
 * @alg: packet protection algorithm
 * @tfm: ecb(aes) or chacha20
 * @scratch: linear memory for the cipher's output; calls on one context
 *	must not run concurrently (a connection's packets are processed one
 *	at a time)
 */
struct tquic_hp {
	enum tquic_aead_alg alg;
	struct crypto_sync_skcipher *tfm;
	u8 scratch[16];
};

int tquic_hmac(enum tquic_hash_alg h, const u8 *key, size_t klen,
	       const u8 *data, size_t dlen, u8 *out)
{
	struct crypto_shash *tfm;
	int err;

	tfm = crypto_alloc_shash(h == TQUIC_SHA384 ? "hmac(sha384)" :
				 "hmac(sha256)", 0, 0);
	if (IS_ERR(tfm))
		return PTR_ERR(tfm);
	err = crypto_shash_setkey(tfm, key, klen);
	if (!err) {
		SHASH_DESC_ON_STACK(desc, tfm);

		desc->tfm = tfm;
		err = crypto_shash_digest(desc, data, dlen, out);
		shash_desc_zero(desc);
	}
	crypto_free_shash(tfm);
	return err;
}

static const char *tquic_aead_name(enum tquic_aead_alg alg)
{
	return alg == TQUIC_CHACHA20_POLY1305 ? "rfc7539(chacha20,poly1305)" :
	       "gcm(aes)";
}

struct tquic_aead *tquic_aead_alloc(enum tquic_aead_alg alg, const u8 *key)
{
	struct tquic_aead *a;

	a = tquic_mem_kzalloc(sizeof(*a), GFP_KERNEL);
	if (!a)
		return NULL;
	/* mask CRYPTO_ALG_ASYNC: a synchronous implementation only */
	a->tfm = crypto_alloc_aead(tquic_aead_name(alg), 0, CRYPTO_ALG_ASYNC);
	if (IS_ERR(a->tfm))
		goto free;
	if (crypto_aead_setkey(a->tfm, key, tquic_aead_key_len(alg)) ||
	    crypto_aead_setauthsize(a->tfm, TQUIC_AEAD_TAG_LEN))
		goto free_tfm;
	a->req = aead_request_alloc(a->tfm, GFP_KERNEL);
	if (!a->req)
		goto free_tfm;
	return a;

free_tfm:
	crypto_free_aead(a->tfm);
free:
	tquic_mem_kfree(a);
	return NULL;
}

void tquic_aead_free(struct tquic_aead *a)
{
	if (!a)
		return;
	aead_request_free(a->req);
	crypto_free_aead(a->tfm);
	tquic_mem_kfree(a);
}

/* AD and data as one scatterlist, of one entry when they are adjacent. */
static int tquic_aead_crypt(struct tquic_aead *a, bool enc, const u8 *nonce,
			    const u8 *ad, size_t adlen, u8 *data,
			    size_t cryptlen, size_t datalen)
{
	struct scatterlist sg[2];
	struct aead_request *req;
	u8 iv[TQUIC_AEAD_NONCE_LEN];
	int err;

	/*
	 * A scatterlist takes pages of the linear mapping: a buffer on a
	 * vmapped stack or from vmalloc would be read from the wrong page
	 * (CONFIG_DEBUG_SG BUGs on it). Such a caller is a bug of ours:
	 * say so once (the VM tests fail on the warning) and refuse,
	 * rather than encrypt garbage. Callers use slab memory: crypto
	 * buffers and the namespace's datagram buffers.
	 */
	if (WARN_ON_ONCE(!virt_addr_valid(ad) || !virt_addr_valid(data) ||
			 !virt_addr_valid(data + datalen - 1) ||
			 (adlen && !virt_addr_valid(ad + adlen - 1))))
		return -EFAULT;
	req = a->req;
	if (ad + adlen == data) {
		sg_init_one(&sg[0], ad, adlen + datalen);
	} else {
		sg_init_table(sg, 2);
		sg_set_buf(&sg[0], ad, adlen);
		sg_set_buf(&sg[1], data, datalen);
	}
	memcpy(iv, nonce, sizeof(iv));
	aead_request_set_callback(req, 0, NULL, NULL);
	aead_request_set_crypt(req, sg, sg, cryptlen, iv);
	aead_request_set_ad(req, adlen);
	err = enc ? crypto_aead_encrypt(req) : crypto_aead_decrypt(req);
	/* the request holds pointers to the buffers until the next call */
	aead_request_set_crypt(req, NULL, NULL, 0, NULL);
	return err;
}

int tquic_aead_seal(struct tquic_aead *a, const u8 *nonce, const u8 *ad,
		    size_t adlen, u8 *data, size_t len)
{
	return tquic_aead_crypt(a, true, nonce, ad, adlen, data, len,
				len + TQUIC_AEAD_TAG_LEN);
}

int tquic_aead_open(struct tquic_aead *a, const u8 *nonce, const u8 *ad,
		    size_t adlen, u8 *data, size_t len)
{
	if (len < TQUIC_AEAD_TAG_LEN)
		return -EBADMSG;
	return tquic_aead_crypt(a, false, nonce, ad, adlen, data, len, len);
}

struct tquic_hp *tquic_hp_alloc(enum tquic_aead_alg alg, const u8 *key)
{
	struct tquic_hp *hp;

	hp = tquic_mem_kzalloc(sizeof(*hp), GFP_KERNEL);
	if (!hp)
		return NULL;
	hp->alg = alg;
	hp->tfm = crypto_alloc_sync_skcipher(alg == TQUIC_CHACHA20_POLY1305 ?
					     "chacha20" : "ecb(aes)", 0, 0);
	if (IS_ERR(hp->tfm))
		goto free;
	if (crypto_sync_skcipher_setkey(hp->tfm, key, tquic_aead_key_len(alg)))
		goto free_tfm;
	return hp;

free_tfm:
	crypto_free_sync_skcipher(hp->tfm);
free:
	tquic_mem_kfree(hp);
	return NULL;
}

void tquic_hp_free(struct tquic_hp *hp)
{
	if (!hp)
		return;
	crypto_free_sync_skcipher(hp->tfm);
	tquic_mem_kfree(hp);
}

int tquic_hp_mask(struct tquic_hp *hp, const u8 *sample, u8 *mask)
{
	SYNC_SKCIPHER_REQUEST_ON_STACK(req, hp->tfm);
	struct scatterlist sg;
	u8 iv[TQUIC_HP_SAMPLE_LEN];
	int err;

	skcipher_request_set_sync_tfm(req, hp->tfm);
	skcipher_request_set_callback(req, 0, NULL, NULL);
	if (hp->alg == TQUIC_CHACHA20_POLY1305) {
		/* RFC 9001 §5.4.4: the sample is the cipher's 16-byte IV
		 * (32-bit little-endian counter, 96-bit nonce), as the
		 * kernel's chacha20 takes it; encrypt five zero bytes */
		memcpy(iv, sample, sizeof(iv));
		memset(hp->scratch, 0, TQUIC_HP_MASK_LEN);
		sg_init_one(&sg, hp->scratch, TQUIC_HP_MASK_LEN);
		skcipher_request_set_crypt(req, &sg, &sg, TQUIC_HP_MASK_LEN, iv);
	} else {
		/* RFC 9001 §5.4.3: AES-ECB of the sample */
		memcpy(hp->scratch, sample, TQUIC_HP_SAMPLE_LEN);
		sg_init_one(&sg, hp->scratch, TQUIC_HP_SAMPLE_LEN);
		skcipher_request_set_crypt(req, &sg, &sg, TQUIC_HP_SAMPLE_LEN,
					   NULL);
	}
	err = crypto_skcipher_encrypt(req);
	skcipher_request_zero(req);
	if (!err)
		memcpy(mask, hp->scratch, TQUIC_HP_MASK_LEN);
	return err;
}

int tquic_crypto_memneq(const void *a, const void *b, size_t n)
{
	return crypto_memneq(a, b, n) ? 1 : 0;
}

void *tquic_crypto_buf_alloc(size_t n)
{
	return tquic_mem_kzalloc(n, GFP_KERNEL);
}

void tquic_crypto_buf_free(void *p)
{
	tquic_mem_kfree(p);
}

void *tquic_big_alloc(size_t n)
{
	return tquic_mem_vzalloc(n);
}

void tquic_big_free(void *p, size_t n)
{
	tquic_mem_vfree(p, n);
}

void *tquic_small_alloc(size_t n)
{
	void *p = kzalloc(n, GFP_ATOMIC | __GFP_NOWARN);

	if (p)
		atomic_long_inc(&tquic_mem_objects);
	return p;
}

void tquic_small_free(void *p)
{
	if (!p)
		return;
	atomic_long_dec(&tquic_mem_objects);
	kfree(p);
}
