/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The connection IDs of a namespace's connections, in a hash table: a
 * datagram finds its connection by its Destination CID without walking
 * the connections.
 */
#ifndef _TQUIC_CIDS_H
#define _TQUIC_CIDS_H

#include <linux/rhashtable-types.h>
#include <linux/types.h>

#include "core/cid.h"
#include "core/quic.h"

struct tquic_connection;

/* a CID as the table keys it: its length, then its bytes zero-padded */
struct tquic_cid_key {
	u8 len;
	u8 cid[TQUIC_MAX_CID_LEN];
};

/**
 * struct tquic_cid_node - one CID of a connection in the table
 * @node: in tquic_net.cids
 * @key: the CID
 * @conn: its connection
 * @hashed: in the table now
 */
struct tquic_cid_node {
	struct rhash_head node;
	struct tquic_cid_key key;
	struct tquic_connection *conn;
	bool hashed;
};

/* what a connection can be found by: the CIDs it issued and, on a server,
 * the client's original Destination CID (RFC 9000 §7.2) */
#define TQUIC_CONN_CID_NODES	(TQUIC_LCID_SLOTS + 1)
/* and the stateless reset tokens of the CIDs the peer gave it */
#define TQUIC_CONN_TOKEN_NODES	TQUIC_CID_SLOTS

int tquic_cids_init(struct rhashtable *t);
void tquic_cids_destroy(struct rhashtable *t);
struct tquic_connection *tquic_cids_lookup(struct rhashtable *t,
					   const u8 *cid, u8 len);
struct tquic_connection *tquic_cids_token_lookup(struct rhashtable *t,
						 const u8 *token);
void tquic_cids_sync(struct tquic_connection *conn);
void tquic_cids_remove_all(struct tquic_connection *conn);

#endif /* _TQUIC_CIDS_H */
