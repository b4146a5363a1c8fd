// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * 1-RTT key phases (RFC 9001 §6). The current keys live with the level
 * (struct tquic_conn_level); this keeps the previous receive keys for late
 * packets and the next ones ready for the peer's update. Every phase shares
 * the header protection key of the first (RFC 9001 §6.1), owned by
 * whichever keys are current.
 */

#include <linux/errno.h>
#include <linux/string.h>
#include <linux/types.h>

#include "keyphase.h"

/**
 * tquic_keyphase_arm() - derive the next keys from the current ones
 * @kp: key phase state
 * @rx: current receive keys
 * @tx: current send keys
 *
 * Called once both 1-RTT keys are installed and again after every update,
 * so that a packet of the next phase costs no more to try than any other
 * (RFC 9001 §9.5) and an update allocates nothing where packets are
 * processed. May sleep (it allocates AEAD transforms).
 *
 * Return: 0 or a negative errno.
 */
int tquic_keyphase_arm(struct tquic_keyphase *kp, const struct tquic_keys *rx,
		       const struct tquic_keys *tx)
{
	int err;

	if (kp->has_next) {
		tquic_keys_destroy(&kp->next_rx);
		tquic_keys_destroy(&kp->next_tx);
	}
	kp->has_next = false;
	err = tquic_keys_next(&kp->next_rx, rx);
	if (!err)
		err = tquic_keys_next(&kp->next_tx, tx);
	if (err) {
		tquic_keys_destroy(&kp->next_rx);
		tquic_keys_destroy(&kp->next_tx);
		return err;
	}
	kp->has_next = true;
	return 0;
}

/**
 * tquic_keyphase_rx() - the keys to open a 1-RTT packet with
 * @kp: key phase state
 * @rx: current receive keys
 * @first_byte: the packet's first byte, header protection removed
 * @pn: its packet number
 *
 * RFC 9001 §6.5: a packet in the other phase with a number below the
 * current phase's first is late and takes the previous keys (as does every
 * packet in the old phase while our own update waits for the peer); any
 * other packet in the other phase is the peer's update and takes the next.
 *
 * Return: the keys, or NULL when the packet cannot be opened (previous keys
 * gone, next keys not derived).
 */
struct tquic_keys *tquic_keyphase_rx(struct tquic_keyphase *kp,
				     struct tquic_keys *rx, u8 first_byte,
				     u64 pn)
{
	bool phase = first_byte & TQUIC_KEY_PHASE_BIT;

	if (phase == kp->phase)
		return rx;
	if (kp->awaiting_peer || pn < kp->first_rx_pn)
		return kp->has_prev ? &kp->prev_rx : NULL;
	return kp->has_next ? &kp->next_rx : NULL;
}

/* @to takes over @from's keys; @from is left empty */
static void tquic_keys_move(struct tquic_keys *to, struct tquic_keys *from)
{
	*to = *from;
	memset(from, 0, sizeof(*from));
}

/*
 * @cur becomes the previous keys (@prev, when given) and @next the current
 * ones, taking over the shared header protection key.
 */
static void tquic_keyphase_rotate(struct tquic_keys *cur,
				  struct tquic_keys *prev,
				  struct tquic_keys *next)
{
	next->hp_owned = cur->hp_owned;
	cur->hp_owned = false;
	if (prev)
		tquic_keys_move(prev, cur);
	else
		tquic_keys_destroy(cur);
	tquic_keys_move(cur, next);
}

/*
 * Both directions move to the next phase, with the keys derived ahead;
 * those of the phase after wait for tquic_keyphase_arm().
 */
static int tquic_keyphase_step(struct tquic_keyphase *kp, struct tquic_keys *rx,
			       struct tquic_keys *tx, u64 next_tx_pn)
{
	if (!kp->has_next)
		return -ENOKEY;
	if (kp->has_prev)
		tquic_keys_destroy(&kp->prev_rx);
	tquic_keyphase_rotate(rx, &kp->prev_rx, &kp->next_rx);
	kp->has_prev = true;
	kp->has_next = false;
	tquic_keyphase_rotate(tx, NULL, &kp->next_tx);
	kp->phase = !kp->phase;
	kp->first_tx_pn = next_tx_pn;
	kp->tx_pkts = 0;
	kp->updates++;
	return 0;
}

/**
 * tquic_keyphase_on_rx() - note a 1-RTT packet opened with @used
 * @kp: key phase state
 * @used: the keys tquic_keyphase_rx() chose
 * @rx: current receive keys
 * @tx: current send keys
 * @pn: the packet's number
 * @next_tx_pn: the number our next packet will carry
 * @now: current time
 * @keep: how long to keep the previous receive keys (three PTO, RFC 9001
 *	§6.1)
 *
 * A packet opened with the next keys is the peer's update: we follow with
 * our send keys before we acknowledge it (RFC 9001 §6.2).
 *
 * Return: 0 or a negative errno (keys could not be derived).
 */
int tquic_keyphase_on_rx(struct tquic_keyphase *kp, struct tquic_keys *used,
			 struct tquic_keys *rx, struct tquic_keys *tx, u64 pn,
			 u64 next_tx_pn, u64 now, u64 keep)
{
	int err;

	if (used == &kp->next_rx) {
		err = tquic_keyphase_step(kp, rx, tx, next_tx_pn);
		if (err)
			return err;
		kp->first_rx_pn = pn;
		kp->prev_until = now + keep;
		return 0;
	}
	if (used == rx) {
		if (kp->awaiting_peer) {
			/* the peer answered our update */
			kp->awaiting_peer = false;
			kp->first_rx_pn = pn;
			kp->prev_until = now + keep;
		} else if (pn < kp->first_rx_pn) {
			kp->first_rx_pn = pn;
		}
	}
	return 0;
}

/**
 * tquic_keyphase_may_update() - whether we may start a key update now
 * @kp: key phase state
 * @has_acked: the peer acknowledged a 1-RTT packet
 * @largest_acked: the largest it acknowledged
 *
 * RFC 9001 §6.1: only once a packet of the current phase was acknowledged.
 * We also wait until the previous receive keys are gone, so that late
 * packets of two phases back are never mistaken for the next one.
 * The handshake must be confirmed: the caller checks that.
 */
bool tquic_keyphase_may_update(const struct tquic_keyphase *kp,
			       bool has_acked, u64 largest_acked)
{
	return kp->has_next && !kp->awaiting_peer && !kp->has_prev &&
	       has_acked && largest_acked >= kp->first_tx_pn;
}

/**
 * tquic_keyphase_update() - start a key update (RFC 9001 §6.1)
 * @kp: key phase state
 * @rx: current receive keys
 * @tx: current send keys
 * @next_tx_pn: the number our next packet will carry
 *
 * Return: 0 or a negative errno.
 */
int tquic_keyphase_update(struct tquic_keyphase *kp, struct tquic_keys *rx,
			  struct tquic_keys *tx, u64 next_tx_pn)
{
	int err = tquic_keyphase_step(kp, rx, tx, next_tx_pn);

	if (!err)
		kp->awaiting_peer = true;
	return err;
}

/**
 * tquic_keyphase_expire() - drop the previous receive keys once due
 * @kp: key phase state
 * @now: current time
 */
void tquic_keyphase_expire(struct tquic_keyphase *kp, u64 now)
{
	if (kp->has_prev && !kp->awaiting_peer && now >= kp->prev_until) {
		tquic_keys_destroy(&kp->prev_rx);
		kp->has_prev = false;
	}
}

void tquic_keyphase_destroy(struct tquic_keyphase *kp)
{
	if (kp->has_prev)
		tquic_keys_destroy(&kp->prev_rx);
	if (kp->has_next) {
		tquic_keys_destroy(&kp->next_rx);
		tquic_keys_destroy(&kp->next_tx);
	}
	memset(kp, 0, sizeof(*kp));
}
