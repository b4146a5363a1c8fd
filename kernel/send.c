// SPDX-License-Identifier: GPL-2.0
/*
 * Sending. core/conn.c builds each datagram straight into an skb's data;
 * the skb leaves through the UDP tunnel helpers (udp_tunnel_xmit_skb(),
 * udp_tunnel6_xmit_skb()) on the route kept in the connection's dst_cache,
 * as vxlan and geneve send. Usable from process context and softirq alike,
 * with the connection owned or locked: nothing here sleeps.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/in.h>
#include <linux/in6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/percpu.h>
#include <linux/skbuff.h>
#include <linux/udp.h>
#include <net/dst_cache.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/ipv6_stubs.h>
#include <net/route.h>
#include <net/sock.h>
#include <net/udp_tunnel.h>

#include "connection.h"
#include "core/conn.h"
#include "netns.h"
#include "send.h"
#include "socket.h"

/*
 * Set while this CPU hands a datagram to IP: the netfilter hooks never
 * take the tunnel's own packets into the tunnel, whatever rule labels
 * them (hooks.c).
 */
static DEFINE_PER_CPU(bool, tquic_sending);

/**
 * tquic_send_in_progress() - this CPU is sending one of our datagrams
 */
bool tquic_send_in_progress(void)
{
	return this_cpu_read(tquic_sending);
}

/* datagrams sent per turn before the timer takes over */
#define TQUIC_TX_BURST		64
/* room in front of a datagram for the UDP, IP and link headers */
#define TQUIC_TX_HEADROOM	(LL_MAX_HEADER + sizeof(struct ipv6hdr) + \
				 sizeof(struct udphdr))

/*
 * The largest datagram a route takes: its MTU less the IP and UDP headers;
 * core keeps it within what QUIC allows.
 */
static void tquic_send_route_mtu(struct tquic_connection *conn,
				 struct dst_entry *dst, size_t iph)
{
	u32 mtu = dst_mtu(dst);

	if (mtu > iph + sizeof(struct udphdr))
		tquic_conn_set_max_dgram(&conn->c,
					 mtu - iph - sizeof(struct udphdr));
}

static struct rtable *tquic_send_route4(struct tquic_connection *conn,
					struct flowi4 *fl4)
{
	const struct sockaddr_in *peer = (const void *)&conn->peer;
	const struct sockaddr_in *local = (const void *)&conn->local;
	struct sock *sk = conn->ts->sock->sk;
	struct rtable *rt;

	memset(fl4, 0, sizeof(*fl4));
	fl4->daddr = peer->sin_addr.s_addr;
	rt = dst_cache_get_ip4(&conn->dst_cache, &fl4->saddr);
	if (rt)
		return rt;
	fl4->saddr = local->sin_family == AF_INET ? local->sin_addr.s_addr :
		     inet_sk(sk)->inet_saddr;
	fl4->flowi4_oif = sk->sk_bound_dev_if;
	fl4->flowi4_mark = sk->sk_mark;
	fl4->flowi4_proto = IPPROTO_UDP;
	fl4->fl4_sport = inet_sk(sk)->inet_sport;
	fl4->fl4_dport = peer->sin_port;
	rt = ip_route_output_key(sock_net(sk), fl4);
	if (IS_ERR(rt))
		return rt;
	dst_cache_set_ip4(&conn->dst_cache, &rt->dst, fl4->saddr);
	tquic_send_route_mtu(conn, &rt->dst, sizeof(struct iphdr));
	return rt;
}

static struct dst_entry *tquic_send_route6(struct tquic_connection *conn,
					   struct flowi6 *fl6)
{
	const struct sockaddr_in6 *peer = (const void *)&conn->peer;
	const struct sockaddr_in6 *local = (const void *)&conn->local;
	struct sock *sk = conn->ts->sock->sk;
	struct dst_entry *dst;

	memset(fl6, 0, sizeof(*fl6));
	fl6->daddr = peer->sin6_addr;
	dst = dst_cache_get_ip6(&conn->dst_cache, &fl6->saddr);
	if (dst)
		return dst;
	fl6->saddr = local->sin6_family == AF_INET6 ? local->sin6_addr :
		     sk->sk_v6_rcv_saddr;
	fl6->flowi6_oif = sk->sk_bound_dev_if;
	fl6->flowi6_mark = sk->sk_mark;
	fl6->flowi6_proto = IPPROTO_UDP;
	fl6->fl6_sport = inet_sk(sk)->inet_sport;
	fl6->fl6_dport = peer->sin6_port;
	dst = ipv6_stub->ipv6_dst_lookup_flow(sock_net(sk), sk, fl6, NULL);
	if (IS_ERR(dst))
		return dst;
	dst_cache_set_ip6(&conn->dst_cache, dst, &fl6->saddr);
	tquic_send_route_mtu(conn, dst, sizeof(struct ipv6hdr));
	return dst;
}

/* One datagram from core; false when it had nothing (or no route). */
static bool tquic_send_one(struct tquic_connection *conn, u64 now)
{
	struct sock *sk = conn->ts->sock->sk;
	__be16 sport = inet_sk(sk)->inet_sport;
	struct dst_entry *dst;
	struct rtable *rt = NULL;
	struct sk_buff *skb;
	struct flowi4 fl4;
	struct flowi6 fl6;
	size_t n;

	/* the route first: its MTU bounds the datagram */
	if (conn->peer.ss_family == AF_INET6) {
		dst = tquic_send_route6(conn, &fl6);
	} else {
		rt = tquic_send_route4(conn, &fl4);
		dst = IS_ERR(rt) ? ERR_CAST(rt) : &rt->dst;
	}
	if (IS_ERR(dst)) {
		conn->c.stats.pkts_dropped++;	/* no route: like a loss */
		return false;
	}
	skb = conn->spare;
	conn->spare = NULL;
	if (!skb) {
		skb = alloc_skb(TQUIC_TX_HEADROOM + TQUIC_MAX_DGRAM, GFP_ATOMIC);
		if (!skb) {
			dst_release(dst);
			return false;
		}
		skb_reserve(skb, TQUIC_TX_HEADROOM);
	}
	n = tquic_conn_send(&conn->c, now, skb->data, TQUIC_MAX_DGRAM);
	if (!n) {
		conn->spare = skb;
		dst_release(dst);
		return false;
	}
	skb_put(skb, n);
	skb->ignore_df = 0;
	this_cpu_write(tquic_sending, true);
	if (conn->peer.ss_family == AF_INET6) {
		const struct sockaddr_in6 *peer = (const void *)&conn->peer;

		udp_tunnel6_xmit_skb(dst, sk, skb, dst->dev, &fl6.saddr,
				     &fl6.daddr, 0, ip6_dst_hoplimit(dst), 0,
				     sport, peer->sin6_port, false);
	} else {
		const struct sockaddr_in *peer = (const void *)&conn->peer;

		/* DF: the datagram was sized to the route (RFC 9000 §14) */
		udp_tunnel_xmit_skb(rt, sk, skb, fl4.saddr, fl4.daddr, 0,
				    ip4_dst_hoplimit(dst), htons(IP_DF), sport,
				    peer->sin_port, false, false);
	}
	this_cpu_write(tquic_sending, false);
	return true;
}

/**
 * tquic_send_flush() - send what core has to send now
 * @conn: the connection, owned or locked
 * @now: current time
 *
 * Return: true when core had no more, false when a burst went and more may
 * wait (the caller comes back soon, without holding the CPU meanwhile).
 */
bool tquic_send_flush(struct tquic_connection *conn, u64 now)
{
	int i;

	for (i = 0; i < TQUIC_TX_BURST; i++)
		if (!tquic_send_one(conn, now))
			return true;
	return false;
}
