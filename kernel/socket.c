// SPDX-License-Identifier: GPL-2.0
/*
 * UDP sockets owned by the module. Each is a kernel socket in the
 * namespace it serves, bound to the address (and optionally the interface)
 * userspace named. Arrivals only kick the namespace's work; datagrams are
 * read there, in process context, and handed to their connection or, on a
 * listener, to the accept path.
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

#include "connection.h"
#include "core/header.h"
#include "core/retry.h"
#include "mem.h"
#include "netns.h"
#include "socket.h"

/*
 * Datagrams wait in the socket while the namespace's work handles those
 * before them; a burst of client Initials (1200 bytes or more each) must
 * fit: about 900 of them in twice this (sock_set_rcvbuf() doubles it).
 */
#define TQUIC_SOCK_RCVBUF	(1 << 20)

/* stateless resets and closes a socket sends per second, at most */
#define TQUIC_STATELESS_PER_SEC	100

static void tquic_sock_data_ready(struct sock *sk)
{
	struct tquic_sock *ts;

	read_lock_bh(&sk->sk_callback_lock);
	ts = sk->sk_user_data;
	if (ts)
		tquic_net_kick(ts->tn);
	read_unlock_bh(&sk->sk_callback_lock);
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
	write_lock_bh(&sock->sk->sk_callback_lock);
	sock->sk->sk_user_data = ts;
	ts->saved_data_ready = sock->sk->sk_data_ready;
	sock->sk->sk_data_ready = tquic_sock_data_ready;
	write_unlock_bh(&sock->sk->sk_callback_lock);
	list_add_tail(&ts->node, &tn->socks);
	*out = ts;
	/* anything that arrived before the callback was set */
	tquic_net_kick(tn);
	return 0;
release:
	sock_release(sock);
free:
	tquic_mem_kfree(ts);
	return err;
}

/**
 * tquic_sock_put() - drop a reference; the last one closes the socket
 * @ts: socket; its namespace is locked
 */
void tquic_sock_put(struct tquic_sock *ts)
{
	struct sock *sk = ts->sock->sk;

	if (--ts->refs)
		return;
	write_lock_bh(&sk->sk_callback_lock);
	sk->sk_user_data = NULL;
	sk->sk_data_ready = ts->saved_data_ready;
	write_unlock_bh(&sk->sk_callback_lock);
	list_del(&ts->node);
	sock_release(ts->sock);
	tquic_mem_kfree(ts);
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
		tquic_connection_accept(ts, from, dgram, len);
		return;
	}
drop:
	ts->dropped++;
}

/**
 * tquic_sock_rx() - read and dispatch what arrived
 * @ts: socket; its namespace is locked
 * @budget: at most this many datagrams
 *
 * Return: true when the budget ran out before the queue did.
 */
bool tquic_sock_rx(struct tquic_sock *ts, unsigned int budget)
{
	struct tquic_net *tn = ts->tn;
	struct sockaddr_storage from;

	while (budget--) {
		struct kvec iov = { .iov_base = tn->rxbuf,
				    .iov_len = sizeof(tn->rxbuf) };
		struct msghdr msg = {
			.msg_name = &from,
			.msg_namelen = sizeof(from),
		};
		int n;

		memset(&from, 0, sizeof(from));
		n = kernel_recvmsg(ts->sock, &msg, &iov, 1, sizeof(tn->rxbuf),
				   MSG_DONTWAIT);
		if (n == -EAGAIN)
			return false;
		if (n < 0)
			continue;	/* e.g. an ICMP error: the next one */
		/* nothing we send or accept is larger than the buffer */
		if (msg.msg_flags & MSG_TRUNC) {
			ts->dropped++;
			continue;
		}
		tquic_sock_dispatch(ts, &from, tn->rxbuf, n);
		if (tn->dying)
			return false;
	}
	return true;
}
