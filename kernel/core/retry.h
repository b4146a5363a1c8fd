/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Retry integrity tags (RFC 9001 §5.8, RFC 9369 §3.3.3) and stateless
 * reset tokens (RFC 9000 §10.3).
 */
#ifndef _TQUIC_CORE_RETRY_H
#define _TQUIC_CORE_RETRY_H

#include <linux/types.h>

#include "quic.h"

int tquic_retry_tag(u32 version, const u8 *odcid, u8 odcid_len,
		    const u8 *retry, size_t retry_len, u8 *tag);
int tquic_retry_build(u8 *buf, size_t len, u32 version, const u8 *dcid,
		      u8 dcid_len, const u8 *scid, u8 scid_len,
		      const u8 *token, size_t token_len, const u8 *odcid,
		      u8 odcid_len);
int tquic_retry_verify(u32 version, const u8 *odcid, u8 odcid_len,
		       const u8 *pkt, size_t pkt_len);
int tquic_reset_token(const u8 *static_key, size_t key_len, const u8 *cid,
		      u8 cid_len, u8 *token);
bool tquic_reset_token_match(const u8 *dgram, size_t len, const u8 *token);

/* RFC 9000 §10.3: a stateless reset's bounds */
#define TQUIC_RESET_MIN_LEN	21
#define TQUIC_RESET_MAX_LEN	58

size_t tquic_reset_build(u8 *pkt, size_t cap, size_t trigger_len,
			 const u8 *token);

struct tquic_aead;

/* marker, nonce, issue time, ODCID length and ODCID, tag */
#define TQUIC_RETRY_TOKEN_MAX	(1 + 12 + 8 + 1 + TQUIC_MAX_CID_LEN + 16)

int tquic_retry_token_seal(struct tquic_aead *a, const u8 *nonce, u64 now_ms,
			   const u8 *addr, size_t addr_len, const u8 *rscid,
			   u8 rscid_len, const u8 *odcid, u8 odcid_len,
			   u8 *out, size_t cap);
bool tquic_retry_token_is_ours(const u8 *token, size_t len);
int tquic_retry_token_open(struct tquic_aead *a, u64 now_ms, u64 lifetime_ms,
			   const u8 *addr, size_t addr_len, const u8 *dcid,
			   u8 dcid_len, const u8 *token, size_t len,
			   u8 *odcid, u8 *odcid_len);

#endif /* _TQUIC_CORE_RETRY_H */
