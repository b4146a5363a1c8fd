/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A QUIC connection in the kernel: core/conn.c's state machine with a UDP
 * socket, a peer address, a timer and an owner in userspace.
 */
#ifndef _TQUIC_CONNECTION_H
#define _TQUIC_CONNECTION_H

#include <linux/hashtable.h>
#include <linux/list.h>
#include <linux/rcupdate.h>
#include <linux/skbuff.h>
#include <linux/socket.h>
#include <linux/spinlock.h>
#include <linux/hrtimer.h>
#include <linux/timer.h>
#include <linux/types.h>
#include <net/dst_cache.h>

#include "cids.h"
#include "core/conn.h"

struct nf_conn;
struct tquic_net;
struct tquic_sock;

/**
 * struct tquic_connection - one connection
 * @node: on tquic_net.conns
 * @tn: its namespace
 * @ts: its UDP socket (a reference)
 * @peer: the peer's address
 * @local: the address we send from (zero: the route's choice); a server
 *	answers from the address the client's first Initial went to
 * @id: its ID for userspace
 * @listener_id: the listener that accepted it (0 for a client)
 * @owner_portid: netlink port handling its TLS; 0 once established
 * @timer: fires at core's next deadline, in softirq (high resolution)
 * @deadline: that deadline, microseconds (0: none)
 * @lock: guards @c and everything below it against softirq; see
 *	tquic_connection_own()
 * @owned: process context holds @c and may sleep: softirq leaves its
 *	packets on @backlog and its timer to tquic_connection_release()
 * @timer_due: the timer fired while @owned
 * @prep_due: the namespace's work runs tquic_conn_prepare() for it
 * @prep_failed: that failed; not asked again
 * @dead: closed; freed by tquic_connection_reap()
 * @announced: its owner knows it (CONNECT reply or NEW_CONN event)
 * @backlog: packets that arrived while @owned
 * @spare: a datagram buffer the last send did not use
 * @dst_cache: the route to @peer
 * @rcu: frees it once softirq lookups cannot see it
 * @bond: carries the data plane (tquic0) once established
 * @attached: it does (device.c)
 * @napi: once attached, processes @rxq a batch at a time (receive.c)
 * @rxq: 1-RTT datagrams waiting for @napi
 * @gro: while @napi processes, the inner packets to hand to GRO once
 *	@lock is let go
 * @napi_on: @napi is enabled and takes the 1-RTT datagrams
 * @zone: server: the conntrack zone of its clients' flows (0: none)
 * @zone_tmpl: server: the conntrack template that puts them there
 * @inner_mtu: the largest inner packet one of its packets carries, for
 *	the hooks (read without the lock)
 * @txq: inner packets from tquic0 not yet given a carrier (flow.c)
 * @dgq: inner packets waiting for DATAGRAM frames
 * @dops: how core pulls @dgq and delivers DATAGRAM frames (device.c)
 * @flows: TCP flows on our streams, by conntrack entry (flow.c)
 * @flow_list: every flow, ours and the peer's
 * @nflows: how many
 * @sops: how core reads and delivers stream bytes (flow.c)
 * @flow_gc: finishes the streams of flows whose conntrack entry ended
 * @dflows: the peer's flows seen in DATAGRAM frames, by ID (flow.c)
 * @ndflows: how many
 * @dg_next_id: the last ID given to one of our flows' datagrams
 * @ops: core's callbacks
 * @cids: its entries in the namespace's CID table (see cids.c)
 * @tokens: its peer's reset tokens in the namespace's token table
 * @c: the protocol state
 *
 * Who may touch @c: process context between tquic_connection_own() and
 * tquic_connection_release(), with the namespace locked (handshake,
 * netlink, the control path); softirq (1-RTT receive, the timer, the
 * device's transmit) with @lock held and @owned false. Neither sleeps
 * where the other could wait on it.
 */
struct tquic_connection {
	struct list_head node;
	struct tquic_net *tn;
	struct tquic_sock *ts;
	struct sockaddr_storage peer;
	struct sockaddr_storage local;
	u32 id;
	u32 listener_id;
	u32 owner_portid;
	struct hrtimer timer;
	u64 deadline;
	spinlock_t lock;
	bool owned;
	bool timer_due;
	bool prep_due;
	bool prep_failed;
	bool dead;
	bool announced;
	struct sk_buff_head backlog;
	struct sk_buff *spare;
	struct dst_cache dst_cache;
	struct rcu_head rcu;
	bool bond;
	bool attached;
	struct napi_struct napi;
	struct sk_buff_head rxq;
	struct sk_buff_head *gro;
	bool napi_on;
	u16 zone;
	struct nf_conn *zone_tmpl;
	u16 inner_mtu;
	struct sk_buff_head txq;
	struct sk_buff_head dgq;
	struct tquic_dgram_ops dops;
	DECLARE_HASHTABLE(flows, 8);
	struct list_head flow_list;
	u32 nflows;
	struct tquic_stream_ops sops;
	struct timer_list flow_gc;
	DECLARE_HASHTABLE(dflows, 6);
	u32 ndflows;
	u32 dg_next_id;
	struct tquic_conn_ops ops;
	struct tquic_cid_node cids[TQUIC_CONN_CID_NODES];
	struct tquic_cid_node tokens[TQUIC_CONN_TOKEN_NODES];
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
			     const struct sockaddr_storage *to,
			     u8 *dgram, size_t len);
void tquic_connection_input(struct tquic_connection *conn,
			    const struct sockaddr_storage *from,
			    u8 *dgram, size_t len);
bool tquic_connection_reset_rx(struct tquic_sock *ts,
			       const struct sockaddr_storage *from,
			       const u8 *dgram, size_t len);
void tquic_connection_own(struct tquic_connection *conn);
void tquic_connection_release(struct tquic_connection *conn);
void tquic_connection_turn(struct tquic_connection *conn);
void tquic_connection_run_prepare(struct tquic_net *tn);
void tquic_connection_destroy(struct tquic_connection *conn);
void tquic_connection_reap(struct tquic_net *tn);
void tquic_connection_owner_gone(struct tquic_net *tn, u32 portid);

#endif /* _TQUIC_CONNECTION_H */
