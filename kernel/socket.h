/* SPDX-License-Identifier: GPL-2.0 */
/*
 * UDP sockets owned by the module: one per listener, one per client
 * connection (later: one per WAN path).
 */
#ifndef _TQUIC_SOCKET_H
#define _TQUIC_SOCKET_H

#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/rcupdate.h>
#include <linux/skbuff.h>
#include <linux/ratelimit.h>
#include <linux/socket.h>
#include <linux/types.h>

#include "uapi/tquic.h"

struct tquic_net;
struct sock;
struct socket;

/**
 * struct tquic_sock - a UDP socket carrying QUIC
 * @node: on tquic_net.socks
 * @tn: its namespace
 * @sock: the kernel socket
 * @refs: the listener and the connections using it (under tn->lock)
 * @listener_id: nonzero while it accepts connections
 * @owner_portid: netlink port of the listener's owner
 * @idle_timeout_ms: for connections it accepts
 * @keepalive_ms: for connections it accepts
 * @reset_key: what its CIDs' stateless reset tokens derive from
 * @stateless_rl: bounds what it sends without a connection: stateless
 *	resets and INVALID_TOKEN closes
 * @accepted: connections accepted
 * @vn_sent: Version Negotiation packets sent
 * @dropped: datagrams that matched no connection and started none
 * @ctlq_full: datagrams dropped because @ctlq was full
 * @ctlq: datagrams for the control path (receive.c), for the work
 * @rcu: frees it once the encapsulation callback cannot see it
 */
struct tquic_sock {
	struct list_head node;
	struct tquic_net *tn;
	struct socket *sock;
	unsigned int refs;
	u32 listener_id;
	u32 owner_portid;
	u32 idle_timeout_ms;
	u32 keepalive_ms;
	u8 reset_key[TQUIC_RESET_KEY_LEN];
	struct ratelimit_state stateless_rl;
	u8 retry;		/* enum tquic_retry */
	bool bond;		/* its connections carry tquic0's flows */
	u64 accepted, vn_sent, dropped, retry_sent, bad_token, token_closes;
	atomic64_t ctlq_full;
	struct sk_buff_head ctlq;
	struct rcu_head rcu;
};

int tquic_sock_open(struct tquic_net *tn, const struct sockaddr_storage *local,
		    int ifindex, const u8 *reset_key, struct tquic_sock **out);
void tquic_sock_put(struct tquic_sock *ts);
void tquic_sock_unlisten(struct tquic_sock *ts);
int tquic_sock_send(struct tquic_sock *ts, const struct sockaddr_storage *to,
		    const void *buf, size_t len);
bool tquic_sock_rx(struct tquic_sock *ts, unsigned int budget);
int tquic_sock_queue(struct tquic_sock *ts, struct sk_buff *skb);

#endif /* _TQUIC_SOCKET_H */
