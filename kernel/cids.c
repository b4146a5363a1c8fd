// SPDX-License-Identifier: GPL-2.0
/*
 * Connection IDs by hash. core/cid.c decides which CIDs a connection
 * holds; after each turn of the connection (tquic_connection_turn()) the
 * table is brought in line with that, so the table never names a CID the
 * connection no longer answers to, nor misses one the peer may use. The
 * nodes live in the connection: nothing is allocated per CID.
 *
 * The same is done for the stateless reset tokens of the CIDs the peer
 * gave. Changes happen under the connection's lock (a turn runs owned or
 * locked); rhashtable serialises them per bucket, and lookups need only
 * RCU.
 */

#include <linux/rhashtable.h>
#include <linux/string.h>

#include "cids.h"
#include "connection.h"
#include "netns.h"

static const struct rhashtable_params tquic_cids_params = {
	.key_len = sizeof(struct tquic_cid_key),
	.key_offset = offsetof(struct tquic_cid_node, key),
	.head_offset = offsetof(struct tquic_cid_node, node),
	.automatic_shrinking = true,
};

int tquic_cids_init(struct rhashtable *t)
{
	return rhashtable_init(t, &tquic_cids_params);
}

/* every connection has removed its nodes by now */
void tquic_cids_destroy(struct rhashtable *t)
{
	rhashtable_destroy(t);
}

static void tquic_cids_key(struct tquic_cid_key *k, const u8 *cid, u8 len)
{
	memset(k, 0, sizeof(*k));
	k->len = len;
	memcpy(k->cid, cid, len);
}

/**
 * tquic_cids_lookup() - the connection a Destination CID names
 * @t: the namespace's table
 * @cid: the CID
 * @len: its length, at most TQUIC_MAX_CID_LEN
 *
 * Return: the connection, or NULL; it stays valid while the namespace is
 * locked.
 */
struct tquic_connection *tquic_cids_lookup(struct rhashtable *t,
					   const u8 *cid, u8 len)
{
	struct tquic_cid_node *n;
	struct tquic_cid_key k;

	if (len > TQUIC_MAX_CID_LEN)
		return NULL;
	tquic_cids_key(&k, cid, len);
	n = rhashtable_lookup_fast(t, &k, tquic_cids_params);
	return n ? n->conn : NULL;
}

static void tquic_cids_unhash(struct rhashtable *t, struct tquic_cid_node *n)
{
	if (!n->hashed)
		return;
	rhashtable_remove_fast(t, &n->node, tquic_cids_params);
	n->hashed = false;
}

/* @n names @cid (or nothing, for a NULL @cid) from now on */
static void tquic_cids_set(struct tquic_connection *conn, struct rhashtable *t,
			   struct tquic_cid_node *n, const u8 *cid, u8 len)
{
	struct tquic_cid_key k;

	if (cid) {
		tquic_cids_key(&k, cid, len);
		if (n->hashed && !memcmp(&k, &n->key, sizeof(k)))
			return;
	}
	tquic_cids_unhash(t, n);
	if (!cid)
		return;
	n->key = k;
	n->conn = conn;
	/*
	 * A CID another connection holds stays that one's: ours are drawn
	 * unique (tquic_connection_new_cid()); a client's original one may
	 * collide, and then only its Initials go astray.
	 */
	n->hashed = !rhashtable_lookup_insert_fast(t, &n->node,
						    tquic_cids_params);
}

/**
 * tquic_cids_token_lookup() - the connection whose peer gave @token
 * @t: the namespace's token table
 * @token: the last TQUIC_RESET_TOKEN_LEN bytes of a datagram that named
 *	no CID of ours (RFC 9000 §10.3.1)
 *
 * Return: a candidate, which still checks the token itself, or NULL.
 */
struct tquic_connection *tquic_cids_token_lookup(struct rhashtable *t,
						 const u8 *token)
{
	struct tquic_cid_node *n;
	struct tquic_cid_key k;

	tquic_cids_key(&k, token, TQUIC_RESET_TOKEN_LEN);
	n = rhashtable_lookup_fast(t, &k, tquic_cids_params);
	return n ? n->conn : NULL;
}

/**
 * tquic_cids_sync() - make the table name exactly the CIDs @conn answers to
 * @conn: a live connection, owned or locked. One that dies leaves
 *	the table at once (tquic_cids_remove_all()).
 */
void tquic_cids_sync(struct tquic_connection *conn)
{
	const struct tquic_conn *c = &conn->c;
	const struct tquic_local_cid *e;
	int i;

	const struct tquic_cid_entry *p;
	struct rhashtable *t = &conn->tn->cids;

	for (i = 0; i < TQUIC_LCID_SLOTS; i++) {
		e = &c->lcids.e[i];
		if (e->state == TQUIC_OWED_NONE)
			tquic_cids_set(conn, t, &conn->cids[i], NULL, 0);
		else
			tquic_cids_set(conn, t, &conn->cids[i], e->cid, e->len);
	}
	/* RFC 9000 §7.2: a client's Initials use its own choice until ours */
	if (c->is_server && c->odcid_len)
		tquic_cids_set(conn, t, &conn->cids[TQUIC_LCID_SLOTS], c->odcid,
			       c->odcid_len);
	/* RFC 9000 §10.3.1: the tokens that may end it, by hash too */
	t = &conn->tn->tokens;
	for (i = 0; i < TQUIC_CONN_TOKEN_NODES; i++) {
		p = &c->pcids.e[i];
		tquic_cids_set(conn, t, &conn->tokens[i],
			       p->valid && p->has_token ? p->reset_token : NULL,
			       TQUIC_RESET_TOKEN_LEN);
	}
}

/**
 * tquic_cids_remove_all() - @conn can no longer be found by CID
 * @conn: the connection, locked as it dies, or being destroyed
 */
void tquic_cids_remove_all(struct tquic_connection *conn)
{
	int i;

	for (i = 0; i < TQUIC_CONN_CID_NODES; i++)
		tquic_cids_unhash(&conn->tn->cids, &conn->cids[i]);
	for (i = 0; i < TQUIC_CONN_TOKEN_NODES; i++)
		tquic_cids_unhash(&conn->tn->tokens, &conn->tokens[i]);
}
