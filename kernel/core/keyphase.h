/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * 1-RTT key phases: key update (RFC 9001 §6).
 */
#ifndef _TQUIC_CORE_KEYPHASE_H
#define _TQUIC_CORE_KEYPHASE_H

#include <linux/types.h>

#include "keys.h"

/* RFC 9000 §17.3.1: the Key Phase bit of a short header's first byte */
#define TQUIC_KEY_PHASE_BIT	0x04

/**
 * struct tquic_keyphase - key phase state next to the 1-RTT keys
 * @prev_rx: receive keys of the previous phase, for late packets
 * @next_rx: receive keys of the next phase, derived ahead (RFC 9001 §9.5)
 * @next_tx: send keys of the next phase, derived ahead too, so that an
 *	update (ours or the peer's) allocates nothing on the packet path
 * @has_prev: @prev_rx holds keys
 * @has_next: @next_rx and @next_tx hold keys; after an update they are
 *	derived again by tquic_keyphase_arm(), outside the packet path
 * @phase: the Key Phase bit of the current keys, both directions
 * @awaiting_peer: we updated and have not yet opened a packet of the peer's
 *	protected with the new keys (RFC 9001 §6.1: old keys stay until then)
 * @first_rx_pn: first packet number received in the current phase
 * @first_tx_pn: first packet number sent in the current phase
 * @prev_until: when @prev_rx may go (three PTO after the update completed)
 * @tx_pkts: packets sent in the current phase
 * @updates: key updates done, ours and the peer's
 */
struct tquic_keyphase {
	struct tquic_keys prev_rx, next_rx, next_tx;
	bool has_prev, has_next;
	bool phase;
	bool awaiting_peer;
	u64 first_rx_pn, first_tx_pn;
	u64 prev_until;
	u64 tx_pkts;
	u32 updates;
};

int tquic_keyphase_arm(struct tquic_keyphase *kp, const struct tquic_keys *rx,
		       const struct tquic_keys *tx);
struct tquic_keys *tquic_keyphase_rx(struct tquic_keyphase *kp,
				     struct tquic_keys *rx, u8 first_byte,
				     u64 pn);
int tquic_keyphase_on_rx(struct tquic_keyphase *kp, struct tquic_keys *used,
			 struct tquic_keys *rx, struct tquic_keys *tx, u64 pn,
			 u64 next_tx_pn, u64 now, u64 keep);
bool tquic_keyphase_may_update(const struct tquic_keyphase *kp,
			       bool has_acked, u64 largest_acked);
int tquic_keyphase_update(struct tquic_keyphase *kp, struct tquic_keys *rx,
			  struct tquic_keys *tx, u64 next_tx_pn);
void tquic_keyphase_expire(struct tquic_keyphase *kp, u64 now);
void tquic_keyphase_destroy(struct tquic_keyphase *kp);

#endif /* _TQUIC_CORE_KEYPHASE_H */
