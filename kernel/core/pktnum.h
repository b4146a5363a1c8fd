/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Packet-number truncation and recovery (RFC 9000 §17.1, Appendix A).
 */
#ifndef _TQUIC_CORE_PKTNUM_H
#define _TQUIC_CORE_PKTNUM_H

#include <linux/types.h>

/* RFC 9000 §12.3: packet numbers are in 0 .. 2^62 - 1 */
#define TQUIC_PN_MAX ((1ULL << 62) - 1)

size_t tquic_pn_enc_len(u64 full_pn, s64 largest_acked);
u64 tquic_pn_decode(u64 largest_pn, bool none_received, u64 truncated_pn,
		    unsigned int pn_nbits);

#endif /* _TQUIC_CORE_PKTNUM_H */
