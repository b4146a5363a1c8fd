/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The connection IDs a peer issued to us for one path (RFC 9000 §5.1,
 * §19.15, §19.16; multipath: each Path ID has its own sequence space, fed
 * by PATH_NEW_CONNECTION_ID). Handles duplicates, Retire Prior To and the
 * active_connection_id_limit we advertised, and queues the
 * RETIRE_CONNECTION_ID frames we owe.
 */
#ifndef _TQUIC_CORE_CID_H
#define _TQUIC_CORE_CID_H

#include <linux/types.h>

#include "frame.h"

/* most CIDs we keep for one path: our active_connection_id_limit */
#define TQUIC_CID_SLOTS		8
/* retirements owed before we call the peer abusive (RFC 9000 §5.1.2) */
#define TQUIC_CID_RETIRE_MAX	(2 * TQUIC_CID_SLOTS)

struct tquic_cid_entry {
	u64 seq;
	u8 len;
	u8 cid[TQUIC_MAX_CID_LEN];
	u8 reset_token[TQUIC_RESET_TOKEN_LEN];
	bool valid;
	bool in_use;
};

/**
 * struct tquic_peer_cids - the peer's CIDs for one path
 * @e: the CIDs held
 * @limit: how many we accept at once (our active_connection_id_limit)
 * @retire_prior_to: largest Retire Prior To received
 * @retire: sequence numbers we must send RETIRE_CONNECTION_ID for
 * @nretire: entries in @retire
 */
struct tquic_peer_cids {
	struct tquic_cid_entry e[TQUIC_CID_SLOTS];
	u32 limit;
	u64 retire_prior_to;
	u64 retire[TQUIC_CID_RETIRE_MAX];
	u32 nretire;
};

int tquic_peer_cids_init(struct tquic_peer_cids *pc, u32 limit);
int tquic_peer_cids_add(struct tquic_peer_cids *pc, u64 seq, u64 retire_prior_to,
			const u8 *cid, u8 len, const u8 *reset_token);
int tquic_peer_cids_on_frame(struct tquic_peer_cids *pc,
			     const struct tquic_frame *f);
struct tquic_cid_entry *tquic_peer_cids_pick(struct tquic_peer_cids *pc);
int tquic_peer_cids_retire(struct tquic_peer_cids *pc, u64 seq);
bool tquic_peer_cids_reset_match(const struct tquic_peer_cids *pc,
				 const u8 *dgram, size_t len);

#endif /* _TQUIC_CORE_CID_H */
