/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * QUIC packet headers (RFC 9000 §17, RFC 9369 §3.2): parse the invariant
 * and version-specific fields of long and short headers, Version
 * Negotiation and Retry; write them.
 */
#ifndef _TQUIC_CORE_HEADER_H
#define _TQUIC_CORE_HEADER_H

#include <linux/types.h>

#include "quic.h"

enum tquic_hdr_kind {
	TQUIC_HDR_INITIAL,
	TQUIC_HDR_0RTT,
	TQUIC_HDR_HANDSHAKE,
	TQUIC_HDR_RETRY,
	TQUIC_HDR_SHORT,
	TQUIC_HDR_VN,		/* Version Negotiation */
};

/**
 * struct tquic_hdr - a parsed header; pointers point into the datagram
 * @kind: what the packet is
 * @version: long header version (0 for Version Negotiation)
 * @dcid: Destination Connection ID
 * @dcid_len: its length
 * @scid: Source Connection ID (long header)
 * @scid_len: its length
 * @token: Initial or Retry token
 * @token_len: its length
 * @pn_offset: where the (protected) packet number starts
 * @len: bytes of the datagram this packet takes (a long header's Length
 *	field ends it; a short header packet runs to the end)
 * @versions: Version Negotiation: the supported versions, 4 bytes each
 * @nversions: their number
 */
struct tquic_hdr {
	enum tquic_hdr_kind kind;
	u32 version;
	const u8 *dcid;
	u8 dcid_len;
	const u8 *scid;
	u8 scid_len;
	const u8 *token;
	size_t token_len;
	size_t pn_offset;
	size_t len;
	const u8 *versions;
	size_t nversions;
};

int tquic_hdr_parse(const u8 *buf, size_t len, size_t short_dcid_len,
		    struct tquic_hdr *h);
enum tquic_pkt_type tquic_hdr_pkt_type(enum tquic_hdr_kind kind);

int tquic_long_hdr_write(u8 *buf, size_t len, u32 version,
			 enum tquic_hdr_kind kind,
			 const u8 *dcid, u8 dcid_len,
			 const u8 *scid, u8 scid_len,
			 const u8 *token, size_t token_len,
			 u64 pn, size_t pn_len, size_t payload_len);
int tquic_retry_hdr_write(u8 *buf, size_t len, u32 version, const u8 *dcid,
			  u8 dcid_len, const u8 *scid, u8 scid_len,
			  const u8 *token, size_t token_len);
int tquic_short_hdr_write(u8 *buf, size_t len, const u8 *dcid, u8 dcid_len,
			  bool key_phase, bool spin, u64 pn, size_t pn_len);
int tquic_vn_write(u8 *buf, size_t len, const u8 *dcid, u8 dcid_len,
		   const u8 *scid, u8 scid_len, const u32 *versions,
		   size_t nversions, u8 unused);

#endif /* _TQUIC_CORE_HEADER_H */
