// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Packet-number truncation and recovery (RFC 9000 §17.1, Appendix A).
 */

#include <linux/types.h>

#include "pktnum.h"

/**
 * tquic_pn_enc_len() - bytes to send of a packet number
 * @full_pn: the packet number being sent
 * @largest_acked: the largest packet number the peer acknowledged in this
 *	space, or -1 when none was
 *
 * RFC 9000 Appendix A.2: enough bits for twice the number of packets not
 * yet acknowledged, so the peer recovers the full number.
 *
 * Return: 1 to 4; 0 when even 4 bytes cannot express the distance (more
 * than 2^31 packets unacknowledged), which a sender must never reach.
 */
size_t tquic_pn_enc_len(u64 full_pn, s64 largest_acked)
{
	u64 num_unacked = full_pn - (u64)largest_acked;
	size_t b;

	for (b = 1; b <= 4; b++)
		if (num_unacked <= (1ULL << (8 * b - 1)))
			return b;
	return 0;
}

/**
 * tquic_pn_decode() - recover a full packet number from its truncation
 * @largest_pn: largest packet number processed so far in this space
 * @none_received: true when no packet was processed yet in this space
 *	(@largest_pn is then ignored)
 * @truncated_pn: the packet number as read from the header
 * @pn_nbits: bits it was sent with: 8, 16, 24 or 32
 *
 * RFC 9000 Appendix A.3: the candidate closest to the next expected packet
 * number. Written so that no step overflows or underflows.
 *
 * Return: the full packet number.
 */
u64 tquic_pn_decode(u64 largest_pn, bool none_received, u64 truncated_pn,
		    unsigned int pn_nbits)
{
	u64 expected = none_received ? 0 : largest_pn + 1;
	u64 win = 1ULL << pn_nbits;
	u64 hwin = win / 2;
	u64 mask = win - 1;
	u64 candidate = (expected & ~mask) | (truncated_pn & mask);

	if (candidate + hwin <= expected && candidate < (1ULL << 62) - win)
		return candidate + win;
	if (candidate > expected + hwin && candidate >= win)
		return candidate - win;
	return candidate;
}
