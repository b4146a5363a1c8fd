// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Connection IDs, the peer's and ours (RFC 9000 §5.1, §19.15, §19.16).
 */

#include <linux/errno.h>
#include <linux/string.h>
#include <linux/types.h>

#include "cid.h"
#include "retry.h"

/**
 * tquic_peer_cids_init() - no CIDs yet
 * @pc: table
 * @limit: our active_connection_id_limit, 2 to TQUIC_CID_SLOTS
 *
 * Return: 0 or -EINVAL.
 */
int tquic_peer_cids_init(struct tquic_peer_cids *pc, u32 limit)
{
	if (limit < 2 || limit > TQUIC_CID_SLOTS)
		return -EINVAL;
	memset(pc, 0, sizeof(*pc));
	pc->limit = limit;
	return 0;
}

static int tquic_peer_cids_owe(struct tquic_peer_cids *pc, u64 seq)
{
	struct tquic_cid_retire *free_slot = NULL;
	u32 i;

	for (i = 0; i < TQUIC_CID_RETIRE_MAX; i++) {
		struct tquic_cid_retire *r = &pc->retire[i];

		if (r->state == TQUIC_OWED_NONE) {
			if (!free_slot)
				free_slot = r;
		} else if (r->seq == seq) {
			return 0;
		}
	}
	/* RFC 9000 §5.1.2: too many retirements outstanding */
	if (!free_slot)
		return -EDQUOT;
	free_slot->seq = seq;
	free_slot->state = TQUIC_OWED_SEND;
	pc->nretire++;
	return 0;
}

/**
 * tquic_peer_cids_retire() - we stop using one CID and owe its retirement
 * @pc: table
 * @seq: its sequence number
 *
 * Return: 0, -ENOENT when no such CID is held, -EDQUOT when too many
 * retirements are owed.
 */
int tquic_peer_cids_retire(struct tquic_peer_cids *pc, u64 seq)
{
	u32 i;

	for (i = 0; i < TQUIC_CID_SLOTS; i++) {
		if (pc->e[i].valid && pc->e[i].seq == seq) {
			memset(&pc->e[i], 0, sizeof(pc->e[i]));
			return tquic_peer_cids_owe(pc, seq);
		}
	}
	return -ENOENT;
}

/**
 * tquic_peer_cids_add() - a CID the peer issued
 * @pc: table
 * @seq: its sequence number
 * @retire_prior_to: the frame's Retire Prior To (0 for the handshake CID)
 * @cid: the CID
 * @len: its length, 1 to 20 (0 only for a handshake CID)
 * @reset_token: its stateless reset token, or NULL (a client's handshake
 *	CID has none)
 *
 * Return: 0; -EPROTO when a sequence number comes back with another CID or
 * token, or a CID comes back under another sequence number (RFC 9000
 * §19.15: PROTOCOL_VIOLATION); -EDQUOT when more than our limit would be
 * active or too many retirements are owed (CONNECTION_ID_LIMIT_ERROR).
 */
int tquic_peer_cids_add(struct tquic_peer_cids *pc, u64 seq, u64 retire_prior_to,
			const u8 *cid, u8 len, const u8 *reset_token)
{
	struct tquic_cid_entry *free_slot = NULL;
	u32 i, active = 0;
	int err;

	if (len > TQUIC_MAX_CID_LEN || retire_prior_to > seq)
		return -EPROTO;
	for (i = 0; i < TQUIC_CID_SLOTS; i++) {
		struct tquic_cid_entry *e = &pc->e[i];

		if (!e->valid) {
			if (!free_slot)
				free_slot = e;
			continue;
		}
		if (e->seq == seq) {
			/* a repeat: fine if identical, else a violation */
			if (e->len != len || memcmp(e->cid, cid, len) ||
			    e->has_token != !!reset_token ||
			    (reset_token &&
			     memcmp(e->reset_token, reset_token,
				    TQUIC_RESET_TOKEN_LEN)))
				return -EPROTO;
			return 0;
		}
		if (e->len == len && !memcmp(e->cid, cid, len))
			return -EPROTO;
	}

	/* RFC 9000 §5.1.2: retire everything below Retire Prior To */
	if (retire_prior_to > pc->retire_prior_to) {
		pc->retire_prior_to = retire_prior_to;
		for (i = 0; i < TQUIC_CID_SLOTS; i++) {
			if (pc->e[i].valid && pc->e[i].seq < retire_prior_to) {
				err = tquic_peer_cids_retire(pc, pc->e[i].seq);
				if (err)
					return err;
				if (!free_slot)
					free_slot = &pc->e[i];
			}
		}
	}
	/* RFC 9000 §19.15: a CID already retired on arrival is retired back */
	if (seq < pc->retire_prior_to)
		return tquic_peer_cids_owe(pc, seq);

	for (i = 0; i < TQUIC_CID_SLOTS; i++)
		active += pc->e[i].valid;
	/* RFC 9000 §5.1.1: more than our limit is CONNECTION_ID_LIMIT_ERROR */
	if (active >= pc->limit || !free_slot)
		return -EDQUOT;
	free_slot->seq = seq;
	free_slot->len = len;
	if (len)
		memcpy(free_slot->cid, cid, len);
	free_slot->has_token = reset_token;
	if (reset_token)
		memcpy(free_slot->reset_token, reset_token,
		       TQUIC_RESET_TOKEN_LEN);
	free_slot->valid = true;
	free_slot->in_use = false;
	return 0;
}

/**
 * tquic_peer_cids_on_frame() - a NEW_CONNECTION_ID or PATH_NEW_CONNECTION_ID
 * @pc: the table of the frame's path
 * @f: the decoded frame
 *
 * Return: as tquic_peer_cids_add().
 */
int tquic_peer_cids_on_frame(struct tquic_peer_cids *pc,
			     const struct tquic_frame *f)
{
	return tquic_peer_cids_add(pc, f->new_cid.seq, f->new_cid.retire_prior_to,
				   f->new_cid.cid, f->new_cid.cid_len,
				   f->new_cid.reset_token);
}

/**
 * tquic_peer_cids_pick() - an unused CID, lowest sequence number first
 * @pc: table
 *
 * Return: the CID, now marked in use, or NULL when none is left (the
 * peer has to issue more first; multipath: PATH_CIDS_BLOCKED).
 */
struct tquic_cid_entry *tquic_peer_cids_pick(struct tquic_peer_cids *pc)
{
	struct tquic_cid_entry *best = NULL;
	u32 i;

	for (i = 0; i < TQUIC_CID_SLOTS; i++) {
		struct tquic_cid_entry *e = &pc->e[i];

		if (e->valid && !e->in_use && (!best || e->seq < best->seq))
			best = e;
	}
	if (best)
		best->in_use = true;
	return best;
}

/**
 * tquic_peer_cids_in_use() - the CID we send with, if it was not retired
 * @pc: table
 */
struct tquic_cid_entry *tquic_peer_cids_in_use(struct tquic_peer_cids *pc)
{
	u32 i;

	for (i = 0; i < TQUIC_CID_SLOTS; i++)
		if (pc->e[i].valid && pc->e[i].in_use)
			return &pc->e[i];
	return NULL;
}

/**
 * tquic_peer_cids_reset_match() - is @dgram a stateless reset for the CID
 *	we send with? (RFC 9000 §10.3.1)
 * @pc: table
 * @dgram: a datagram that could not be decrypted
 * @len: its length
 *
 * Tokens of CIDs not used yet or retired are not compared (§10.3.1).
 */
bool tquic_peer_cids_reset_match(const struct tquic_peer_cids *pc,
				 const u8 *dgram, size_t len)
{
	bool hit = false;
	u32 i;

	/* compare with every token, so the time taken tells nothing */
	for (i = 0; i < TQUIC_CID_SLOTS; i++)
		if (pc->e[i].valid && pc->e[i].in_use && pc->e[i].has_token &&
		    tquic_reset_token_match(dgram, len, pc->e[i].reset_token))
			hit = true;
	return hit;
}

/**
 * tquic_local_cids_init() - our handshake CID, sequence number 0
 * @lc: table
 * @cid: the CID
 * @len: its length
 *
 * Its reset token, if any, went in the transport parameters, so no
 * NEW_CONNECTION_ID is owed for it.
 */
void tquic_local_cids_init(struct tquic_local_cids *lc, const u8 *cid, u8 len)
{
	memset(lc, 0, sizeof(*lc));
	lc->e[0].state = TQUIC_OWED_ACKED;
	lc->e[0].len = len;
	memcpy(lc->e[0].cid, cid, len);
	lc->next_seq = 1;
}

/**
 * tquic_local_cids_count() - CIDs issued and not retired
 * @lc: table
 */
unsigned int tquic_local_cids_count(const struct tquic_local_cids *lc)
{
	unsigned int i, n = 0;

	for (i = 0; i < TQUIC_LCID_SLOTS; i++)
		n += lc->e[i].state != TQUIC_OWED_NONE;
	return n;
}

/**
 * tquic_local_cids_find() - the entry of one of our CIDs
 * @lc: table
 * @cid: a packet's Destination CID
 * @len: its length
 *
 * Return: the entry, or NULL when @cid is not one we issued or was retired.
 */
const struct tquic_local_cid *
tquic_local_cids_find(const struct tquic_local_cids *lc, const u8 *cid, u8 len)
{
	unsigned int i;

	for (i = 0; i < TQUIC_LCID_SLOTS; i++) {
		const struct tquic_local_cid *e = &lc->e[i];

		if (e->state != TQUIC_OWED_NONE && e->len == len &&
		    !memcmp(e->cid, cid, len))
			return e;
	}
	return NULL;
}

/**
 * tquic_local_cids_add() - issue a new CID, its NEW_CONNECTION_ID owed
 * @lc: table
 * @cid: the CID, of the same length as the others
 * @len: its length
 * @reset_token: its stateless reset token
 *
 * Return: 0; -ENOSPC when TQUIC_LCID_SLOTS are issued, -EEXIST when
 * @cid is already one of ours (a random draw came back: draw again).
 */
int tquic_local_cids_add(struct tquic_local_cids *lc, const u8 *cid, u8 len,
			 const u8 *reset_token)
{
	struct tquic_local_cid *free_slot = NULL;
	unsigned int i;

	if (!len || len > TQUIC_MAX_CID_LEN)
		return -EINVAL;
	if (tquic_local_cids_find(lc, cid, len))
		return -EEXIST;
	for (i = 0; i < TQUIC_LCID_SLOTS && !free_slot; i++)
		if (lc->e[i].state == TQUIC_OWED_NONE)
			free_slot = &lc->e[i];
	if (!free_slot)
		return -ENOSPC;
	free_slot->seq = lc->next_seq++;
	free_slot->state = TQUIC_OWED_SEND;
	free_slot->len = len;
	memcpy(free_slot->cid, cid, len);
	memcpy(free_slot->reset_token, reset_token, TQUIC_RESET_TOKEN_LEN);
	return 0;
}

/**
 * tquic_local_cids_retire() - the peer's RETIRE_CONNECTION_ID
 * @lc: table
 * @seq: the sequence number it retires
 * @pkt_dcid: the Destination CID of the packet that carried it
 * @pkt_dcid_len: its length
 *
 * Return: 1 when a CID was retired, 0 when it was before (frames may
 * repeat), -EPROTO for a sequence number we never issued or the CID the packet
 * itself was sent to (RFC 9000 §19.16: PROTOCOL_VIOLATION).
 */
int tquic_local_cids_retire(struct tquic_local_cids *lc, u64 seq,
			    const u8 *pkt_dcid, u8 pkt_dcid_len)
{
	unsigned int i;

	if (seq >= lc->next_seq)
		return -EPROTO;
	for (i = 0; i < TQUIC_LCID_SLOTS; i++) {
		struct tquic_local_cid *e = &lc->e[i];

		if (e->state == TQUIC_OWED_NONE || e->seq != seq)
			continue;
		if (e->len == pkt_dcid_len && !memcmp(e->cid, pkt_dcid, e->len))
			return -EPROTO;
		memset(e, 0, sizeof(*e));
		return 1;
	}
	return 0;
}

/**
 * tquic_local_cids_owed() - is a NEW_CONNECTION_ID waiting to be sent?
 * @lc: table
 */
bool tquic_local_cids_owed(const struct tquic_local_cids *lc)
{
	unsigned int i;

	for (i = 0; i < TQUIC_LCID_SLOTS; i++)
		if (lc->e[i].state == TQUIC_OWED_SEND)
			return true;
	return false;
}

/**
 * tquic_local_cids_on_outcome() - the 1-RTT packet @pn was acknowledged
 *	or lost (or never sent)
 * @lc: table
 * @pn: its packet number
 * @acked: acknowledged; else its NEW_CONNECTION_ID frames are owed again
 *	(RFC 9000 §13.3)
 */
void tquic_local_cids_on_outcome(struct tquic_local_cids *lc, u64 pn,
				 bool acked)
{
	unsigned int i;

	for (i = 0; i < TQUIC_LCID_SLOTS; i++) {
		struct tquic_local_cid *e = &lc->e[i];

		if (e->state == TQUIC_OWED_SENT && e->sent_pn == pn)
			e->state = acked ? TQUIC_OWED_ACKED : TQUIC_OWED_SEND;
	}
}

/**
 * tquic_peer_cids_owed() - is a RETIRE_CONNECTION_ID waiting to be sent?
 * @pc: table
 */
bool tquic_peer_cids_owed(const struct tquic_peer_cids *pc)
{
	u32 i;

	for (i = 0; i < TQUIC_CID_RETIRE_MAX; i++)
		if (pc->retire[i].state == TQUIC_OWED_SEND)
			return true;
	return false;
}

/**
 * tquic_peer_cids_on_outcome() - the 1-RTT packet @pn was acknowledged
 *	or lost (or never sent)
 * @pc: table
 * @pn: its packet number
 * @acked: acknowledged: its retirements are done; else they are owed
 *	again (RFC 9000 §13.3)
 */
void tquic_peer_cids_on_outcome(struct tquic_peer_cids *pc, u64 pn, bool acked)
{
	u32 i;

	for (i = 0; i < TQUIC_CID_RETIRE_MAX; i++) {
		struct tquic_cid_retire *r = &pc->retire[i];

		if (r->state != TQUIC_OWED_SENT || r->sent_pn != pn)
			continue;
		if (acked) {
			memset(r, 0, sizeof(*r));
			pc->nretire--;
		} else {
			r->state = TQUIC_OWED_SEND;
		}
	}
}
