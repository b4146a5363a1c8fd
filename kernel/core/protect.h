/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Packet protection (RFC 9001 §5.3, §5.4) with the multipath nonce
 * (draft-ietf-quic-multipath-21 §2.4).
 */
#ifndef _TQUIC_CORE_PROTECT_H
#define _TQUIC_CORE_PROTECT_H

#include <linux/types.h>

#include "keys.h"

void tquic_nonce(const u8 *iv, u32 path_id, u64 pn, u8 *nonce);
int tquic_packet_protect(struct tquic_keys *k, u32 path_id, u8 *pkt,
			 size_t hdr_len, size_t pn_len, size_t payload_len,
			 u64 pn);
int tquic_packet_hp_remove(struct tquic_keys *k, u8 *pkt, size_t pkt_len,
			   size_t pn_offset, u64 largest_pn, bool none_received,
			   u64 *pn, size_t *hdr_len);
int tquic_packet_open(struct tquic_keys *k, u32 path_id, u8 *pkt,
		      size_t pkt_len, size_t hdr_len, u64 pn);
int tquic_packet_unprotect(struct tquic_keys *k, u32 path_id, u8 *pkt,
			   size_t pkt_len, size_t pn_offset, u64 largest_pn,
			   bool none_received, u64 *pn, size_t *hdr_len);

#endif /* _TQUIC_CORE_PROTECT_H */
