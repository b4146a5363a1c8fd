// SPDX-License-Identifier: GPL-2.0
/*
 * Receiving. Every datagram to a tquic socket arrives here, in the UDP
 * socket's encapsulation callback (softirq), with its UDP checksum checked:
 *
 *  - a short-header packet whose Destination CID names a connection past
 *    its handshake is the 1-RTT data path: no namespace lock, no work-queue
 *    hop, nothing allocated beyond the skb itself. Once the connection
 *    carries tquic0's flows, the packet waits on the connection's queue
 *    for its NAPI poll, which processes a batch under the connection's
 *    lock, turns the connection once for all of them (one ACK, one timer,
 *    one look at what to send) and hands the inner packets to GRO; before,
 *    it is processed at once under the lock;
 *  - everything else (long headers, unknown CIDs, connections still in
 *    their handshake, stateless resets) goes to the socket's control queue
 *    for the namespace's work, which may sleep and talks to userspace.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/in.h>
#include <linux/in6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/skbuff.h>
#include <linux/udp.h>
#include <net/sock.h>
#include <net/udp_tunnel.h>

#include "cids.h"
#include "connection.h"
#include "core/conn.h"
#include "netns.h"
#include "receive.h"
#include "socket.h"

/* packets queued on a connection its owner holds, at most */
#define TQUIC_BACKLOG_MAX	256
/* packets waiting for a connection's NAPI poll, at most */
#define TQUIC_RXQ_MAX		1024

/**
 * tquic_recv_addrs() - the addresses of a received datagram
 * @skb: the datagram, as the encapsulation callback got it
 * @from: its source address and port
 * @to: its destination address and port
 */
void tquic_recv_addrs(const struct sk_buff *skb, struct sockaddr_storage *from,
		      struct sockaddr_storage *to)
{
	const struct udphdr *uh = udp_hdr(skb);

	memset(from, 0, sizeof(*from));
	memset(to, 0, sizeof(*to));
	if (ip_hdr(skb)->version == 6) {
		struct sockaddr_in6 *f = (struct sockaddr_in6 *)from;
		struct sockaddr_in6 *t = (struct sockaddr_in6 *)to;

		f->sin6_family = AF_INET6;
		f->sin6_addr = ipv6_hdr(skb)->saddr;
		f->sin6_port = uh->source;
		t->sin6_family = AF_INET6;
		t->sin6_addr = ipv6_hdr(skb)->daddr;
		t->sin6_port = uh->dest;
	} else {
		struct sockaddr_in *f = (struct sockaddr_in *)from;
		struct sockaddr_in *t = (struct sockaddr_in *)to;

		f->sin_family = AF_INET;
		f->sin_addr.s_addr = ip_hdr(skb)->saddr;
		f->sin_port = uh->source;
		t->sin_family = AF_INET;
		t->sin_addr.s_addr = ip_hdr(skb)->daddr;
		t->sin_port = uh->dest;
	}
}

/* the datagram's source is the connection's peer (no migration yet) */
static bool tquic_recv_from_peer(const struct sk_buff *skb,
				 const struct sockaddr_storage *peer)
{
	const struct udphdr *uh = udp_hdr(skb);

	if (ip_hdr(skb)->version == 6) {
		const struct sockaddr_in6 *p = (const void *)peer;

		return peer->ss_family == AF_INET6 &&
		       p->sin6_port == uh->source &&
		       ipv6_addr_equal(&p->sin6_addr, &ipv6_hdr(skb)->saddr);
	}
	return peer->ss_family == AF_INET &&
	       ((const struct sockaddr_in *)peer)->sin_port == uh->source &&
	       ((const struct sockaddr_in *)peer)->sin_addr.s_addr ==
	       ip_hdr(skb)->saddr;
}

/**
 * tquic_recv_skb() - hand one datagram to its connection
 * @conn: the connection, locked and not owned (or being released)
 * @skb: the datagram, data at its UDP header; consumed
 *
 * The payload is decrypted in place: the skb is made linear and
 * writable first (it may be a clone, e.g. while tcpdump looks).
 */
void tquic_recv_skb(struct tquic_connection *conn, struct sk_buff *skb)
{
	if (!tquic_recv_from_peer(skb, &conn->peer) ||
	    skb_ensure_writable(skb, skb->len)) {
		conn->c.stats.pkts_dropped++;
		goto out;
	}
	tquic_conn_recv(&conn->c, tquic_now(), skb->data + sizeof(struct udphdr),
			skb->len - sizeof(struct udphdr));
out:
	consume_skb(skb);
}

/* @conn is owned: @skb waits for tquic_connection_release() */
static void tquic_recv_backlog(struct tquic_connection *conn,
			       struct sk_buff *skb)
{
	if (skb_queue_len(&conn->backlog) < TQUIC_BACKLOG_MAX) {
		__skb_queue_tail(&conn->backlog, skb);
	} else {
		conn->c.stats.pkts_dropped++;
		kfree_skb(skb);
	}
}

/*
 * NAPI poll: up to @budget datagrams of the connection, processed under
 * its lock, then one turn for all of them; the inner packets they carried
 * go to GRO after the lock is let go, for what they meet on the way up may
 * come back to tquic0's transmit and this connection.
 */
static int tquic_recv_poll(struct napi_struct *napi, int budget)
{
	struct tquic_connection *conn =
		container_of(napi, struct tquic_connection, napi);
	struct sk_buff_head inner;
	struct sk_buff *skb;
	int done = 0;
	bool more;

	__skb_queue_head_init(&inner);
	spin_lock(&conn->lock);
	if (conn->owned && !conn->dead) {
		while ((skb = __skb_dequeue(&conn->rxq)))
			tquic_recv_backlog(conn, skb);
	} else {
		conn->gro = &inner;
		while (done < budget && !conn->dead &&
		       (skb = __skb_dequeue(&conn->rxq))) {
			tquic_recv_skb(conn, skb);
			done++;
		}
		if (done)
			tquic_connection_turn(conn);
		conn->gro = NULL;
		/* closed, before or on the way: the rest is for nobody */
		if (conn->dead)
			__skb_queue_purge(&conn->rxq);
	}
	more = !skb_queue_empty(&conn->rxq);
	spin_unlock(&conn->lock);
	while ((skb = __skb_dequeue(&inner)))
		napi_gro_receive(napi, skb);
	if (more || done == budget)
		return budget;
	napi_complete_done(napi, done);
	return done;
}

/**
 * tquic_recv_napi_start() - batch @conn's 1-RTT datagrams from now on
 * @conn: the connection, attached to tquic0 (whose NAPI context it gets)
 *
 * Process context.
 */
void tquic_recv_napi_start(struct tquic_connection *conn)
{
	/* the device's NAPI list is rtnl's (threaded NAPI walks it) */
	rtnl_lock();
	netif_napi_add(conn->tn->dev, &conn->napi, tquic_recv_poll);
	napi_enable(&conn->napi);
	rtnl_unlock();
	spin_lock_bh(&conn->lock);
	conn->napi_on = true;
	spin_unlock_bh(&conn->lock);
}

/**
 * tquic_recv_napi_stop() - back to processing each datagram as it comes
 * @conn: the connection, before it leaves tquic0
 *
 * Process context, rtnl not held; waits for a poll under way. What is
 * queued is dropped: the connection is going. Its memory must outlive an
 * RCU grace period from here (call_rcu in tquic_connection_destroy()).
 */
void tquic_recv_napi_stop(struct tquic_connection *conn)
{
	if (!conn->napi.poll)
		return;
	spin_lock_bh(&conn->lock);
	conn->napi_on = false;
	spin_unlock_bh(&conn->lock);
	rtnl_lock();
	napi_disable(&conn->napi);
	/*
	 * No grace period here, with the namespace locked: the connection
	 * is freed after one anyway (tquic_connection_destroy())
	 */
	__netif_napi_del(&conn->napi);
	rtnl_unlock();
	conn->napi.poll = NULL;
	spin_lock_bh(&conn->lock);
	__skb_queue_purge(&conn->rxq);
	spin_unlock_bh(&conn->lock);
}

/* The 1-RTT fast path; false leaves @skb to the control path. */
static bool tquic_recv_fast(struct tquic_connection *conn, struct sk_buff *skb)
{
	spin_lock(&conn->lock);
	if (conn->dead || conn->c.state == TQUIC_STATE_HANDSHAKE) {
		spin_unlock(&conn->lock);
		return false;
	}
	if (conn->napi_on) {
		if (skb_queue_len(&conn->rxq) < TQUIC_RXQ_MAX) {
			__skb_queue_tail(&conn->rxq, skb);
			napi_schedule(&conn->napi);
		} else {
			conn->c.stats.pkts_dropped++;
			kfree_skb(skb);
		}
	} else if (conn->owned) {
		tquic_recv_backlog(conn, skb);
	} else {
		tquic_recv_skb(conn, skb);
		tquic_connection_turn(conn);
	}
	spin_unlock(&conn->lock);
	return true;
}

/**
 * tquic_recv_encap() - a datagram for a tquic socket
 * @sk: the UDP socket
 * @skb: the datagram, data at its UDP header, checksum checked
 *
 * Return: 0, the skb is consumed.
 */
int tquic_recv_encap(struct sock *sk, struct sk_buff *skb)
{
	struct tquic_connection *conn;
	struct tquic_sock *ts;
	const u8 *p;

	rcu_read_lock();
	ts = rcu_dereference_sk_user_data(sk);
	if (!ts)
		goto drop;
	/* RFC 9000 §17.3.1: a short header names our 8-byte CID */
	if (pskb_may_pull(skb, sizeof(struct udphdr) + 1 + TQUIC_CID_LEN)) {
		p = skb->data + sizeof(struct udphdr);
		if (!(p[0] & 0x80)) {
			conn = tquic_cids_lookup(&ts->tn->cids, p + 1,
						 TQUIC_CID_LEN);
			if (conn && tquic_recv_fast(conn, skb))
				goto out;
		}
	}
	if (!tquic_sock_queue(ts, skb))
		goto out;
drop:
	kfree_skb(skb);
out:
	rcu_read_unlock();
	return 0;
}
