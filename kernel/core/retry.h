/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Retry integrity tags (RFC 9001 §5.8, RFC 9369 §3.3.3) and stateless
 * reset tokens (RFC 9000 §10.3).
 */
#ifndef _TQUIC_CORE_RETRY_H
#define _TQUIC_CORE_RETRY_H

#include <linux/types.h>

int tquic_retry_tag(u32 version, const u8 *odcid, u8 odcid_len,
		    const u8 *retry, size_t retry_len, u8 *tag);
int tquic_retry_verify(u32 version, const u8 *odcid, u8 odcid_len,
		       const u8 *pkt, size_t pkt_len);
int tquic_reset_token(const u8 *static_key, size_t key_len, const u8 *cid,
		      u8 cid_len, u8 *token);
bool tquic_reset_token_match(const u8 *dgram, size_t len, const u8 *token);

#endif /* _TQUIC_CORE_RETRY_H */
