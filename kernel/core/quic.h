/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Constants of QUIC v1/v2 (RFC 9000, RFC 9369) and the multipath extension
 * (RFC 10069 / draft-ietf-quic-multipath-21) shared by kernel/core.
 */
#ifndef _TQUIC_CORE_QUIC_H
#define _TQUIC_CORE_QUIC_H

#include <linux/types.h>

#define TQUIC_VERSION_1		0x00000001U	/* RFC 9000 */
#define TQUIC_VERSION_2		0x6b3343cfU	/* RFC 9369 §3.1 */

#define TQUIC_MAX_CID_LEN	20	/* RFC 9000 §17.2 */
#define TQUIC_RESET_TOKEN_LEN	16	/* RFC 9000 §10.3 */
#define TQUIC_PATH_DATA_LEN	8	/* RFC 9000 §19.17 */

/* RFC 9000 §4.6, §19.11: stream counts never exceed 2^60 */
#define TQUIC_MAX_STREAMS_LIMIT	(1ULL << 60)
/* multipath §2: path IDs are at most 2^32 - 1 */
#define TQUIC_MAX_PATH_ID	0xffffffffULL

/* The packet types a frame can arrive in (RFC 9000 §12.4, Table 3). */
enum tquic_pkt_type {
	TQUIC_PKT_INITIAL,
	TQUIC_PKT_0RTT,
	TQUIC_PKT_HANDSHAKE,
	TQUIC_PKT_1RTT,
};

#endif /* _TQUIC_CORE_QUIC_H */
