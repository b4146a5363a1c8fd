/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A QUIC connection in the kernel: core/conn.c's state machine with a UDP
 * socket, a peer address, a timer and an owner in userspace.
 */
#ifndef _TQUIC_CONNECTION_H
#define _TQUIC_CONNECTION_H

#include <linux/list.h>
#include <linux/socket.h>
#include <linux/timer.h>
#include <linux/types.h>

#include "cids.h"
#include "core/conn.h"

struct tquic_net;
struct tquic_sock;

/**
 * struct tquic_connection - one connection
 * @node: on tquic_net.conns
 * @tn: its namespace
 * @ts: its UDP socket (a reference)
 * @peer: the peer's address
 * @id: its ID for userspace
 * @listener_id: the listener that accepted it (0 for a client)
 * @owner_portid: netlink port handling its TLS; 0 once established
 * @timer: fires at core's next deadline and kicks the namespace's work
 * @deadline: that deadline, microseconds (0: none)
 * @dead: closed; freed by tquic_connection_reap()
 * @announced: its owner knows it (CONNECT reply or NEW_CONN event)
 * @ops: core's callbacks
 * @cids: its entries in the namespace's CID table (see cids.c)
 * @c: the protocol state
 */
struct tquic_connection {
	struct list_head node;
	struct tquic_net *tn;
	struct tquic_sock *ts;
	struct sockaddr_storage peer;
	u32 id;
	u32 listener_id;
	u32 owner_portid;
	struct timer_list timer;
	u64 deadline;
	bool dead;
	bool announced;
	struct tquic_conn_ops ops;
	struct tquic_cid_node cids[TQUIC_CONN_CID_NODES];
	struct tquic_conn c;
};

u64 tquic_now(void);
struct tquic_connection *tquic_connection_find(struct tquic_net *tn,
					       const u8 *dcid, u8 dcid_len);
struct tquic_connection *tquic_connection_get(struct tquic_net *tn, u32 id);
int tquic_connection_connect(struct tquic_net *tn, struct tquic_sock *ts,
			     const struct sockaddr_storage *peer, u32 version,
			     u32 idle_timeout_ms, u32 keepalive_ms, u32 owner,
			     struct tquic_connection **out);
void tquic_connection_accept(struct tquic_sock *ts,
			     const struct sockaddr_storage *from,
			     u8 *dgram, size_t len);
void tquic_connection_input(struct tquic_connection *conn,
			    const struct sockaddr_storage *from,
			    u8 *dgram, size_t len);
bool tquic_connection_reset_rx(struct tquic_sock *ts,
			       const struct sockaddr_storage *from,
			       const u8 *dgram, size_t len);
void tquic_connection_kick(struct tquic_connection *conn);
void tquic_connection_run_timers(struct tquic_net *tn);
void tquic_connection_destroy(struct tquic_connection *conn);
void tquic_connection_reap(struct tquic_net *tn);
void tquic_connection_owner_gone(struct tquic_net *tn, u32 portid);

#endif /* _TQUIC_CONNECTION_H */
