/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Connection IDs (RFC 9000 §5.1, §19.15, §19.16).
 *
 * struct tquic_peer_cids: the CIDs a peer issued to us for one path
 * (multipath: each Path ID has its own sequence space, fed by
 * PATH_NEW_CONNECTION_ID). Handles duplicates, Retire Prior To and the
 * active_connection_id_limit we advertised, and queues the
 * RETIRE_CONNECTION_ID frames we owe.
 *
 * struct tquic_local_cids: the CIDs we issued, each with its stateless
 * reset token, and which NEW_CONNECTION_ID frames are still owed.
 */
#ifndef _TQUIC_CORE_CID_H
#define _TQUIC_CORE_CID_H

#include <linux/types.h>

#include "frame.h"

/* most CIDs we keep for one path: our active_connection_id_limit */
#define TQUIC_CID_SLOTS		8
/* retirements owed before we call the peer abusive (RFC 9000 §5.1.2) */
#define TQUIC_CID_RETIRE_MAX	(2 * TQUIC_CID_SLOTS)

/* CIDs of ours the peer may hold at once, the handshake's included */
#define TQUIC_LCID_SLOTS	4

struct tquic_cid_entry {
	u64 seq;
	u8 len;
	u8 cid[TQUIC_MAX_CID_LEN];
	u8 reset_token[TQUIC_RESET_TOKEN_LEN];
	bool has_token;
	bool valid;
	bool in_use;
};

/*
 * Where a frame we owe stands: to be sent, in flight in the 1-RTT packet
 * @sent_pn, or acknowledged.
 */
enum tquic_owed {
	TQUIC_OWED_NONE,
	TQUIC_OWED_SEND,
	TQUIC_OWED_SENT,
	TQUIC_OWED_ACKED,
};

/**
 * struct tquic_cid_retire - a RETIRE_CONNECTION_ID we owe
 * @seq: the sequence number it retires
 * @sent_pn: the packet that carried it last
 * @state: enum tquic_owed; NONE: the slot is free
 */
struct tquic_cid_retire {
	u64 seq;
	u64 sent_pn;
	u8 state;
};

/**
 * struct tquic_peer_cids - the peer's CIDs for one path
 * @e: the CIDs held
 * @limit: how many we accept at once (our active_connection_id_limit)
 * @retire_prior_to: largest Retire Prior To received
 * @retire: RETIRE_CONNECTION_ID frames owed, until acknowledged
 * @nretire: entries of @retire in use
 */
struct tquic_peer_cids {
	struct tquic_cid_entry e[TQUIC_CID_SLOTS];
	u32 limit;
	u64 retire_prior_to;
	struct tquic_cid_retire retire[TQUIC_CID_RETIRE_MAX];
	u32 nretire;
};

/**
 * struct tquic_local_cid - a CID we issued
 * @seq: its sequence number
 * @sent_pn: the 1-RTT packet that carried its NEW_CONNECTION_ID last
 * @state: enum tquic_owed of that frame; NONE: the slot is free
 * @len: its length
 * @cid: the CID
 * @reset_token: its stateless reset token
 */
struct tquic_local_cid {
	u64 seq;
	u64 sent_pn;
	u8 state;
	u8 len;
	u8 cid[TQUIC_MAX_CID_LEN];
	u8 reset_token[TQUIC_RESET_TOKEN_LEN];
};

/**
 * struct tquic_local_cids - the CIDs we issued and did not see retired
 * @e: the CIDs
 * @next_seq: the sequence number of the next one
 */
struct tquic_local_cids {
	struct tquic_local_cid e[TQUIC_LCID_SLOTS];
	u64 next_seq;
};

int tquic_peer_cids_init(struct tquic_peer_cids *pc, u32 limit);
int tquic_peer_cids_add(struct tquic_peer_cids *pc, u64 seq, u64 retire_prior_to,
			const u8 *cid, u8 len, const u8 *reset_token);
int tquic_peer_cids_on_frame(struct tquic_peer_cids *pc,
			     const struct tquic_frame *f);
struct tquic_cid_entry *tquic_peer_cids_pick(struct tquic_peer_cids *pc);
int tquic_peer_cids_retire(struct tquic_peer_cids *pc, u64 seq);
struct tquic_cid_entry *tquic_peer_cids_in_use(struct tquic_peer_cids *pc);
bool tquic_peer_cids_owed(const struct tquic_peer_cids *pc);
void tquic_peer_cids_on_outcome(struct tquic_peer_cids *pc, u64 pn, bool acked);
bool tquic_peer_cids_reset_match(const struct tquic_peer_cids *pc,
				 const u8 *dgram, size_t len);

void tquic_local_cids_init(struct tquic_local_cids *lc, const u8 *cid, u8 len);
int tquic_local_cids_add(struct tquic_local_cids *lc, const u8 *cid, u8 len,
			 const u8 *reset_token);
unsigned int tquic_local_cids_count(const struct tquic_local_cids *lc);
const struct tquic_local_cid *
tquic_local_cids_find(const struct tquic_local_cids *lc, const u8 *cid, u8 len);
int tquic_local_cids_retire(struct tquic_local_cids *lc, u64 seq,
			    const u8 *pkt_dcid, u8 pkt_dcid_len);
bool tquic_local_cids_owed(const struct tquic_local_cids *lc);
void tquic_local_cids_on_outcome(struct tquic_local_cids *lc, u64 pn,
				 bool acked);

#endif /* _TQUIC_CORE_CID_H */
