// SPDX-License-Identifier: GPL-2.0
/*
 * UDP sockets owned by the module. Each is a kernel socket in the
 * namespace it serves, bound to the address (and optionally the interface)
 * userspace named. Every datagram goes to tquic_recv_encap() (receive.c):
 * the 1-RTT ones of established connections are processed there, in
 * softirq; the rest wait on the socket's control queue for the namespace's
 * work, which hands them to their connection or, on a listener, to the
 * accept path.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/in.h>
#include <linux/in6.h>
#include <linux/net.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/uio.h>
#include <net/ipv6.h>
#include <net/sock.h>
#include <net/udp_tunnel.h>

#include "connection.h"
#include "core/header.h"
#include "core/retry.h"
#include "mem.h"
#include "netns.h"
#include "receive.h"
#include "socket.h"

/*
 * Datagrams wait in the socket while the namespace's work handles those
 * before them; a burst of client Initials (1200 bytes or more each) must
 * fit: about 900 of them in twice this (sock_set_rcvbuf() doubles it).
 */
#define TQUIC_SOCK_RCVBUF	(1 << 20)

/* stateless resets and closes a socket sends per second, at most */
#define TQUIC_STATELESS_PER_SEC	100

/* datagrams waiting for the control path, per socket, at most */
#define TQUIC_CTLQ_MAX		1024

/**
 * tquic_sock_queue() - leave a datagram to the namespace's work
 * @ts: the socket it came to
 * @skb: the datagram, data at its UDP header
 *
 * Return: 0 when queued (the skb is the queue's), -ENOBUFS when the queue
 * is full (the caller frees it; counted).
 */
int tquic_sock_queue(struct tquic_sock *ts, struct sk_buff *skb)
{
	if (skb_queue_len(&ts->ctlq) >= TQUIC_CTLQ_MAX) {
		atomic64_inc(&ts->ctlq_full);
		return -ENOBUFS;
	}
	skb_queue_tail(&ts->ctlq, skb);
	tquic_net_kick(ts->tn);
	return 0;
}

static int tquic_sockaddr_len(const struct sockaddr_storage *ss)
{
	return ss->ss_family == AF_INET6 ? sizeof(struct sockaddr_in6) :
					   sizeof(struct sockaddr_in);
}

/**
 * tquic_sock_open() - a bound UDP socket in @tn's namespace
 * @tn: namespace, locked
 * @local: address and port to bind (port 0: any)
 * @ifindex: interface to bind to, or 0
 * @reset_key: TQUIC_RESET_KEY_LEN bytes for its stateless reset tokens, or
 *	NULL for a random key
 * @out: the socket, with one reference
 *
 * Return: 0 or a negative errno (-EADDRINUSE, -EADDRNOTAVAIL, -ENODEV...).
 */
int tquic_sock_open(struct tquic_net *tn, const struct sockaddr_storage *local,
		    int ifindex, const u8 *reset_key, struct tquic_sock **out)
{
	struct udp_tunnel_sock_cfg cfg = {
		.encap_type = 1,
		.encap_rcv = tquic_recv_encap,
	};
	struct tquic_sock *ts;
	struct socket *sock;
	int err;

	if (local->ss_family != AF_INET && local->ss_family != AF_INET6)
		return -EAFNOSUPPORT;
	ts = tquic_mem_kzalloc(sizeof(*ts), GFP_KERNEL);
	if (!ts)
		return -ENOMEM;
	err = sock_create_kern(tn->net, local->ss_family, SOCK_DGRAM,
			       IPPROTO_UDP, &sock);
	if (err)
		goto free;
	if (local->ss_family == AF_INET6)
		ip6_sock_set_v6only(sock->sk);
	sock_set_rcvbuf(sock->sk, TQUIC_SOCK_RCVBUF);
	if (ifindex) {
		err = sock_bindtoindex(sock->sk, ifindex, true);
		if (err)
			goto release;
	}
	err = kernel_bind(sock, (struct sockaddr *)local,
			  tquic_sockaddr_len(local));
	if (err)
		goto release;
	ts->tn = tn;
	ts->sock = sock;
	ts->refs = 1;
	if (reset_key)
		memcpy(ts->reset_key, reset_key, sizeof(ts->reset_key));
	else
		get_random_bytes(ts->reset_key, sizeof(ts->reset_key));
	/* RFC 9000 §10.3: a bound on what garbage can make us send */
	ratelimit_state_init(&ts->stateless_rl, HZ, TQUIC_STATELESS_PER_SEC);
	ratelimit_set_flags(&ts->stateless_rl, RATELIMIT_MSG_ON_RELEASE);
	skb_queue_head_init(&ts->ctlq);
	/* from now on every datagram goes to tquic_recv_encap() */
	cfg.sk_user_data = ts;
	setup_udp_tunnel_sock(tn->net, sock, &cfg);
	list_add_tail(&ts->node, &tn->socks);
	*out = ts;
	return 0;
release:
	sock_release(sock);
free:
	tquic_mem_kfree(ts);
	return err;
}

static void tquic_sock_free_rcu(struct rcu_head *head)
{
	struct tquic_sock *ts = container_of(head, struct tquic_sock, rcu);

	/* a callback that found it before the release may have queued */
	skb_queue_purge(&ts->ctlq);
	tquic_mem_kfree(ts);
}

/**
 * tquic_sock_put() - drop a reference; the last one closes the socket
 * @ts: socket; its namespace is locked
 */
void tquic_sock_put(struct tquic_sock *ts)
{
	if (--ts->refs)
		return;
	list_del(&ts->node);
	/* no callback runs once this returns; one running holds RCU */
	udp_tunnel_sock_release(ts->sock);
	call_rcu(&ts->rcu, tquic_sock_free_rcu);
}

/**
 * tquic_sock_unlisten() - a listener stops accepting
 * @ts: its socket; its namespace is locked
 *
 * The socket stays while connections use it.
 */
void tquic_sock_unlisten(struct tquic_sock *ts)
{
	struct tquic_net *tn = ts->tn;

	idr_remove(&tn->listener_ids, ts->listener_id);
	ts->listener_id = 0;
	ts->owner_portid = 0;
	tn->nlisteners--;
	tquic_sock_put(ts);
}

/**
 * tquic_sock_send() - send one datagram
 * @ts: socket
 * @to: destination
 * @buf: payload
 * @len: its length
 *
 * Return: 0 or a negative errno (the datagram is lost, as on a wire).
 */
int tquic_sock_send(struct tquic_sock *ts, const struct sockaddr_storage *to,
		    const void *buf, size_t len)
{
	struct kvec iov = { .iov_base = (void *)buf, .iov_len = len };
	struct msghdr msg = {
		.msg_name = (void *)to,
		.msg_namelen = tquic_sockaddr_len(to),
		.msg_flags = MSG_DONTWAIT,
	};
	int n;

	n = kernel_sendmsg(ts->sock, &msg, &iov, 1, len);
	return n < 0 ? n : 0;
}

/*
 * RFC 9000 §10.3: a short-header datagram for a CID we do not know gets a
 * stateless reset with the token that CID would have, smaller than the
 * datagram (§10.3.3), within a rate.
 */
static void tquic_sock_send_reset(struct tquic_sock *ts,
				  const struct sockaddr_storage *to,
				  const u8 *dcid, size_t trigger_len)
{
	u8 token[TQUIC_RESET_TOKEN_LEN];
	struct tquic_net *tn = ts->tn;
	size_t n;

	if (trigger_len <= TQUIC_RESET_MIN_LEN || !__ratelimit(&ts->stateless_rl))
		return;
	if (tquic_reset_token(ts->reset_key, sizeof(ts->reset_key), dcid,
			      TQUIC_CID_LEN, token))
		return;
	get_random_bytes(tn->txbuf, TQUIC_RESET_MAX_LEN);
	n = tquic_reset_build(tn->txbuf, TQUIC_RESET_MAX_LEN, trigger_len,
			      token);
	if (n && !tquic_sock_send(ts, to, tn->txbuf, n))
		tn->resets_sent++;
}

static void tquic_sock_dispatch(struct tquic_sock *ts,
				const struct sockaddr_storage *from,
				const struct sockaddr_storage *to,
				u8 *dgram, size_t len)
{
	struct tquic_connection *conn;
	u8 dcid_len;
	const u8 *dcid;

	/* RFC 8999 §5: the invariant header names the Destination CID */
	if (len < 1 + TQUIC_CID_LEN)
		goto drop;
	if (dgram[0] & 0x80) {
		/*
		 * RFC 8999 §5.1: up to 255 bytes in another version's long
		 * header. Longer than ours (RFC 9000 §17.2) it names no
		 * connection, but a listener still answers it with Version
		 * Negotiation (§6.1).
		 */
		if (len < 6 || len < 6 + (size_t)dgram[5])
			goto drop;
		dcid_len = dgram[5];
		dcid = dgram + 6;
	} else {
		dcid_len = TQUIC_CID_LEN;
		dcid = dgram + 1;
	}
	conn = tquic_connection_find(ts->tn, dcid, dcid_len);
	if (conn) {
		tquic_connection_input(conn, from, dgram, len);
		return;
	}
	/* RFC 9000 §10.3.1: a peer's reset names no CID of ours */
	if (!(dgram[0] & 0x80)) {
		if (!tquic_connection_reset_rx(ts, from, dgram, len))
			tquic_sock_send_reset(ts, from, dcid, len);
		goto drop;
	}
	if (ts->listener_id) {
		tquic_connection_accept(ts, from, to, dgram, len);
		return;
	}
drop:
	ts->dropped++;
}

/**
 * tquic_sock_rx() - dispatch what the fast path left on the control queue
 * @ts: socket; its namespace is locked
 * @budget: at most this many datagrams
 *
 * Return: true when the budget ran out before the queue did.
 */
bool tquic_sock_rx(struct tquic_sock *ts, unsigned int budget)
{
	struct tquic_net *tn = ts->tn;
	struct sockaddr_storage from, to;
	struct sk_buff *skb;
	size_t n;

	while (budget--) {
		skb = skb_dequeue(&ts->ctlq);
		if (!skb)
			return false;
		n = skb->len - sizeof(struct udphdr);
		/* nothing we send or accept is larger than the buffer */
		if (n > sizeof(tn->rxbuf) ||
		    skb_copy_bits(skb, sizeof(struct udphdr), tn->rxbuf, n)) {
			ts->dropped++;
			kfree_skb(skb);
			continue;
		}
		tquic_recv_addrs(skb, &from, &to);
		consume_skb(skb);
		tquic_sock_dispatch(ts, &from, &to, tn->rxbuf, n);
		if (tn->dying)
			return false;
	}
	return true;
}
