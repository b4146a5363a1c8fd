// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The peer's connection IDs (RFC 9000 §5.1, §19.15, §19.16).
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
	u32 i;

	for (i = 0; i < pc->nretire; i++)
		if (pc->retire[i] == seq)
			return 0;
	/* RFC 9000 §5.1.2: too many retirements outstanding */
	if (pc->nretire == TQUIC_CID_RETIRE_MAX)
		return -EDQUOT;
	pc->retire[pc->nretire++] = seq;
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
 * @reset_token: its stateless reset token
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
			    memcmp(e->reset_token, reset_token,
				   TQUIC_RESET_TOKEN_LEN))
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
	memcpy(free_slot->reset_token, reset_token, TQUIC_RESET_TOKEN_LEN);
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
 * tquic_peer_cids_reset_match() - is @dgram a stateless reset for a CID
 *	the peer gave us? (RFC 9000 §10.3.1)
 * @pc: table
 * @dgram: a datagram that could not be decrypted
 * @len: its length
 */
bool tquic_peer_cids_reset_match(const struct tquic_peer_cids *pc,
				 const u8 *dgram, size_t len)
{
	bool hit = false;
	u32 i;

	/* compare with every token, so the time taken tells nothing */
	for (i = 0; i < TQUIC_CID_SLOTS; i++)
		if (pc->e[i].valid &&
		    tquic_reset_token_match(dgram, len, pc->e[i].reset_token))
			hit = true;
	return hit;
}
