// SPDX-License-Identifier: GPL-2.0
/*
 * The tquic0 netdev: where bonded flows enter and leave the tunnel.
 *
 * The netfilter hooks (hooks.c) hand it the inner packets of bonded flows;
 * its qdisc sees them as any device's would (tcpdump, fq_codel, cake), and
 * ndo_start_xmit queues each on its connection, whose 1-RTT packets carry
 * TCP flows on streams (flow.c) and the rest in DATAGRAM frames
 * (core/datagram.c). The connection holds a few packets' worth only: when
 * the congestion controller has no room, the device's queue is stopped and
 * the qdisc keeps the rest, so the AQM decides what waits. Packets the
 * peer sends are injected on it with netif_rx().
 *
 * A client gateway has one connection for every bonded flow; a server has
 * one per client, and the flows of each client live in a conntrack zone of
 * their own (original direction only), so that clients with the same LAN
 * prefix do not collide and replies find their way back.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/skbuff.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_conntrack_zones.h>

#include "compat.h"
#include "connection.h"
#include "device.h"
#include "flow.h"
#include "hooks.h"
#include "netns.h"
#include "receive.h"

#define TQUIC_DEV_NAME		"tquic0"
/*
 * Bytes waiting in a connection before the device's queue stops: one
 * congestion window, so that the connection always has a window's worth
 * to send while the qdisc holds the rest; at least this many packets,
 * and at most TQUIC_TXQ_BYTES_MAX
 */
#define TQUIC_TXQ_STOP		16
#define TQUIC_TXQ_BYTES_MAX	(2U << 20)
/* and dropped beyond this (other connections may have woken the queue) */
#define TQUIC_TXQ_MAX		64
/*
 * A LAN's MTU: TCP flows ride streams, which split their packets across
 * QUIC packets, so the WAN's MTU does not bound them; other packets are
 * held to what one DATAGRAM frame of their connection carries (hooks.c).
 */
#define TQUIC_DEV_MTU_DEFAULT	1500

struct tquic_dev {
	struct tquic_net *tn;
};

static struct tquic_net *tquic_dev_tn(const struct net_device *dev)
{
	return ((struct tquic_dev *)netdev_priv(dev))->tn;
}

/**
 * tquic_dev_zone_conn() - the server connection whose zone a flow is in
 * @tn: the namespace
 * @ct: the flow's conntrack entry (not a template)
 *
 * Return: the connection, or NULL. Called under RCU.
 */
struct tquic_connection *tquic_dev_zone_conn(struct tquic_net *tn,
					     const struct nf_conn *ct)
{
	u16 zone = nf_ct_zone_id(nf_ct_zone(ct), IP_CT_DIR_ORIGINAL);

	return zone ? xa_load(&tn->dp_zones, zone) : NULL;
}

/**
 * tquic_dev_conn_for() - the connection a bonded packet leaves through
 * @tn: the namespace
 * @skb: the packet; its conntrack entry, if any, is looked at
 *
 * A server's reply goes to the client whose zone its flow is in; anything
 * else to the client connection, if there is one. Called under RCU (BH).
 */
struct tquic_connection *tquic_dev_conn_for(struct tquic_net *tn,
					    const struct sk_buff *skb)
{
	enum ip_conntrack_info ctinfo;
	struct nf_conn *ct = nf_ct_get(skb, &ctinfo);
	struct tquic_connection *conn = NULL;

	if (ct && !nf_ct_is_template(ct))
		conn = tquic_dev_zone_conn(tn, ct);
	return conn ?: rcu_dereference_bh(tn->dp_client);
}

/* what @conn may hold before tquic0's queue stops (TQUIC_TXQ_STOP) */
static u64 tquic_dev_budget(const struct tquic_connection *conn)
{
	u64 cwnd = READ_ONCE(conn->c.pr.cc.cwnd);

	return clamp_t(u64, cwnd, TQUIC_TXQ_STOP * TQUIC_MAX_DGRAM,
		       TQUIC_TXQ_BYTES_MAX);
}

/*
 * The stack hands tquic0 batches (a GSO packet's segments) with
 * netdev_xmit_more() set on all but the last. The connection turns once
 * per batch, when its last packet is queued: its inner packets then fill
 * QUIC packets back to back instead of each leaving a short one behind.
 * Per CPU, the connection whose turn waits for the rest of its batch.
 * Should a batch end early (tquic0 stopped from elsewhere), the pointer
 * stays behind: tquic_dev_forget() clears it before the connection is
 * freed, and its timer or its next packet turns it meanwhile.
 */
static DEFINE_PER_CPU(struct tquic_connection *, tquic_dev_deferred);

/* turn the connection a batch left waiting, if any */
static void tquic_dev_turn_deferred(void)
{
	struct tquic_connection **slot = this_cpu_ptr(&tquic_dev_deferred);
	struct tquic_connection *conn = *slot;

	if (!conn)
		return;
	*slot = NULL;
	spin_lock(&conn->lock);
	if (!conn->owned)
		tquic_connection_turn(conn);
	spin_unlock(&conn->lock);
}

/**
 * tquic_dev_forget() - no CPU may turn @conn for a batch any more
 * @conn: the connection, dead (so no transmit sets it again), about to
 *	be freed after an RCU grace period
 */
void tquic_dev_forget(struct tquic_connection *conn)
{
	int cpu;

	for_each_possible_cpu(cpu)
		cmpxchg(per_cpu_ptr(&tquic_dev_deferred, cpu), conn, NULL);
}

static netdev_tx_t tquic_dev_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct tquic_net *tn = tquic_dev_tn(dev);
	struct tquic_connection *conn = tquic_dev_conn_for(tn, skb);
	bool more;

	if (conn != *this_cpu_ptr(&tquic_dev_deferred))
		tquic_dev_turn_deferred();
	if (!conn) {
		atomic64_inc(&tn->dp.no_conn);
		goto drop;
	}
	/* the tunnel is the route now; the entry picks the flow's carrier */
	skb_dst_drop(skb);
	spin_lock(&conn->lock);
	/* not (or no longer) attached: nobody would take it off txq */
	if (conn->dead || !conn->attached) {
		spin_unlock(&conn->lock);
		atomic64_inc(&tn->dp.no_conn);
		goto drop;
	}
	if (skb_queue_len(&conn->txq) >= TQUIC_TXQ_MAX) {
		spin_unlock(&conn->lock);
		atomic64_inc(&tn->dp.txq_full);
		goto drop;
	}
	__skb_queue_tail(&conn->txq, skb);
	if (tquic_flow_backlog(conn) >= tquic_dev_budget(conn))
		netif_stop_queue(dev);
	/* a stopped queue ends the batch early: the stack keeps the rest */
	more = netdev_xmit_more() && !netif_queue_stopped(dev);
	*this_cpu_ptr(&tquic_dev_deferred) = more ? conn : NULL;
	if (!more && !conn->owned)
		tquic_connection_turn(conn);
	spin_unlock(&conn->lock);
	return NETDEV_TX_OK;
drop:
	tquic_dev_turn_deferred();
	DEV_STATS_INC(dev, tx_dropped);
	kfree_skb(skb);
	return NETDEV_TX_OK;
}

static bool tquic_dev_pending(void *ctx)
{
	struct tquic_connection *conn = ctx;

	return !skb_queue_empty(&conn->dgq);
}

/* the next inner packet into a DATAGRAM frame, if it fits @room */
static size_t tquic_dev_pull(void *ctx, u8 *buf, size_t room)
{
	struct tquic_connection *conn = ctx;
	struct sk_buff *skb = skb_peek(&conn->dgq);
	struct tquic_dgram_cb *cb;
	size_t len, tag;

	if (!skb)
		return 0;
	cb = TQUIC_DGRAM_CB(skb);
	tag = tquic_dgram_tag_write(buf, room, cb->flow, cb->seq);
	if (!tag || skb->len > room - tag)
		return 0;
	len = skb->len;
	if (skb_copy_bits(skb, 0, buf + tag, len))
		len = 0;
	__skb_unlink(skb, &conn->dgq);
	consume_skb(skb);
	if (!len)
		return 0;
	dev_sw_netstats_tx_add(conn->tn->dev, 1, len);
	return tag + len;
}

/**
 * tquic_dev_dgram_mtu() - the largest inner packet a DATAGRAM frame of
 *	@conn carries, behind its tag
 * @conn: the connection, locked
 */
u16 tquic_dev_dgram_mtu(const struct tquic_connection *conn)
{
	size_t max = tquic_dgram_max_payload(&conn->c);

	return max > TQUIC_DGRAM_TAG_MAX ? (u16)(max - TQUIC_DGRAM_TAG_MAX) : 0;
}

/**
 * tquic_dev_wake() - start tquic0's queue again once @conn has room
 * @conn: the connection, locked, after it sent
 */
void tquic_dev_wake(struct tquic_connection *conn)
{
	struct net_device *dev = conn->tn->dev;

	if (dev && netif_queue_stopped(dev) &&
	    tquic_flow_backlog(conn) < tquic_dev_budget(conn) / 2)
		netif_wake_queue(dev);
}

/* an IPv4 or IPv6 packet whose header says it is @len bytes long */
static __be16 tquic_dev_inner_proto(const u8 *data, size_t len)
{
	if (len >= sizeof(struct iphdr) && (data[0] >> 4) == 4) {
		const struct iphdr *iph = (const void *)data;

		if (iph->ihl >= 5 && ntohs(iph->tot_len) == len &&
		    iph->ihl * 4 <= len)
			return htons(ETH_P_IP);
	} else if (len >= sizeof(struct ipv6hdr) && (data[0] >> 4) == 6) {
		const struct ipv6hdr *ip6h = (const void *)data;

		if (sizeof(*ip6h) + ntohs(ip6h->payload_len) == len)
			return htons(ETH_P_IPV6);
	}
	return 0;
}

/**
 * tquic_dev_inject() - an inner packet from the peer enters tquic0
 * @conn: the connection it came on
 * @skb: the packet, linear; consumed
 *
 * Only what is an IPv4 or IPv6 packet of the length it says gets in.
 */
void tquic_dev_inject(struct tquic_connection *conn, struct sk_buff *skb)
{
	struct tquic_net *tn = conn->tn;
	struct net_device *dev = tn->dev;
	size_t len = skb->len;
	__be16 proto;

	proto = tquic_dev_inner_proto(skb->data, len);
	if (!proto) {
		atomic64_inc(&tn->dp.bad_inner);
		DEV_STATS_INC(dev, rx_errors);
		kfree_skb(skb);
		return;
	}
	skb->protocol = proto;
	skb_reset_mac_header(skb);
	skb_reset_network_header(skb);
	/* authenticated by the AEAD, as WireGuard treats its packets */
	skb->ip_summed = CHECKSUM_UNNECESSARY;
	if (conn->zone_tmpl) {
		nf_conntrack_get(&conn->zone_tmpl->ct_general);
		nf_ct_set(skb, conn->zone_tmpl, IP_CT_NEW);
	}
	dev_sw_netstats_rx_add(dev, len);
	if (conn->gro)
		__skb_queue_tail(conn->gro, skb);	/* receive.c's poll */
	else
		netif_rx(skb);
}

/* a DATAGRAM frame from the peer: a tagged inner packet for tquic0 */
static void tquic_dev_recv(void *ctx, const u8 *data, size_t len)
{
	struct tquic_connection *conn = ctx;
	struct tquic_net *tn = conn->tn;
	struct sk_buff *skb;
	u32 flow, seq;
	int tag;

	tag = tquic_dgram_tag_read(data, len, &flow, &seq);
	if (tag < 0) {
		atomic64_inc(&tn->dp.bad_inner);
		DEV_STATS_INC(tn->dev, rx_errors);
		return;
	}
	if (flow && !tquic_flow_dgram_accept(conn, flow, seq)) {
		atomic64_inc(&tn->dp.dgram_dup);
		return;
	}
	data += tag;
	len -= tag;
	skb = netdev_alloc_skb_ip_align(tn->dev, len);
	if (!skb) {
		DEV_STATS_INC(tn->dev, rx_dropped);
		return;
	}
	skb_put_data(skb, data, len);
	tquic_dev_inject(conn, skb);
}

static int tquic_dev_init(struct net_device *dev)
{
	dev->tstats = netdev_alloc_pcpu_stats(struct pcpu_sw_netstats);
	return dev->tstats ? 0 : -ENOMEM;
}

static void tquic_dev_uninit(struct net_device *dev)
{
	free_percpu(dev->tstats);
}

static const struct net_device_ops tquic_dev_ops = {
	.ndo_init = tquic_dev_init,
	.ndo_uninit = tquic_dev_uninit,
	.ndo_start_xmit = tquic_dev_xmit,
	.ndo_get_stats64 = dev_get_tstats64,
};

static void tquic_dev_setup(struct net_device *dev)
{
	dev->netdev_ops = &tquic_dev_ops;
	dev->type = ARPHRD_NONE;
	dev->flags = IFF_POINTOPOINT | IFF_NOARP;
	dev->hard_header_len = 0;
	dev->addr_len = 0;
	dev->mtu = TQUIC_DEV_MTU_DEFAULT;
	dev->min_mtu = IPV6_MIN_MTU;
	dev->max_mtu = TQUIC_FLOW_PKT_MAX;
	dev->tx_queue_len = 1000;
	/* it belongs to its namespace's connections */
	tquic_compat_netns_local(dev);
	dev->needs_free_netdev = true;
}

/**
 * tquic_dev_ensure() - make the namespace's tquic0 and its hooks
 * @tn: the namespace, locked
 *
 * Return: 0 or a negative errno.
 */
int tquic_dev_ensure(struct tquic_net *tn)
{
	struct net_device *dev;
	int err;

	if (tn->dev)
		return 0;
	dev = alloc_netdev(sizeof(struct tquic_dev), TQUIC_DEV_NAME,
			   NET_NAME_PREDICTABLE, tquic_dev_setup);
	if (!dev)
		return -ENOMEM;
	((struct tquic_dev *)netdev_priv(dev))->tn = tn;
	dev_net_set(dev, tn->net);
	rtnl_lock();
	err = register_netdevice(dev);
	if (!err)
		err = dev_change_flags(dev, dev->flags | IFF_UP, NULL);
	if (err) {
		if (dev->reg_state == NETREG_REGISTERED)
			unregister_netdevice(dev);
		else
			free_netdev(dev);
		rtnl_unlock();
		return err;
	}
	rtnl_unlock();
	tn->dev = dev;
	err = tquic_hooks_register(tn);
	if (err) {
		tquic_dev_destroy(tn);
		return err;
	}
	return 0;
}

/**
 * tquic_dev_destroy() - remove tquic0 and the hooks
 * @tn: the namespace, locked; no connection is attached any more
 */
void tquic_dev_destroy(struct tquic_net *tn)
{
	if (!tn->dev)
		return;
	tquic_hooks_unregister(tn);
	rtnl_lock();
	unregister_netdevice(tn->dev);
	rtnl_unlock();
	tn->dev = NULL;
}

/**
 * tquic_dev_attach() - an established bonded connection starts carrying
 * @conn: the connection, owned; its namespace is locked
 *
 * A client's becomes the namespace's way out (one at a time); a server's
 * gets a conntrack zone for its client's flows. tquic0's MTU becomes the
 * largest inner packet one of its packets carries.
 *
 * Return: 0, -EBUSY when another client connection carries the flows, or
 * a negative errno.
 */
int tquic_dev_attach(struct tquic_connection *conn)
{
	struct nf_conntrack_zone zone = {
		.flags = 0,
		.dir = NF_CT_ZONE_DIR_ORIG,
	};
	struct tquic_net *tn = conn->tn;
	int id, err;

	if (conn->attached || !tn->dev)
		return conn->attached ? 0 : -ENODEV;
	conn->dops.pending = tquic_dev_pending;
	conn->dops.pull = tquic_dev_pull;
	conn->dops.recv = tquic_dev_recv;
	conn->dops.ctx = conn;
	if (conn->c.is_server) {
		id = ida_alloc_range(&tn->zone_ids, 1, U16_MAX, GFP_KERNEL);
		if (id < 0)
			return id;
		zone.id = id;
		conn->zone_tmpl = nf_ct_tmpl_alloc(tn->net, &zone, GFP_KERNEL);
		if (!conn->zone_tmpl) {
			ida_free(&tn->zone_ids, id);
			return -ENOMEM;
		}
		__set_bit(IPS_CONFIRMED_BIT, &conn->zone_tmpl->status);
		conn->zone = id;
		err = xa_insert(&tn->dp_zones, id, conn, GFP_KERNEL);
		if (err) {
			nf_ct_tmpl_free(conn->zone_tmpl);
			conn->zone_tmpl = NULL;
			conn->zone = 0;
			ida_free(&tn->zone_ids, id);
			return err;
		}
	} else {
		if (rcu_access_pointer(tn->dp_client))
			return -EBUSY;
		rcu_assign_pointer(tn->dp_client, conn);
	}
	spin_lock_bh(&conn->lock);
	tquic_conn_set_dgram_ops(&conn->c, &conn->dops);
	tquic_flow_start(conn);
	WRITE_ONCE(conn->inner_mtu, tquic_dev_dgram_mtu(conn));
	conn->attached = true;
	spin_unlock_bh(&conn->lock);
	tquic_recv_napi_start(conn);
	return 0;
}

/**
 * tquic_dev_detach() - a connection stops carrying flows
 * @conn: the connection, dying; its namespace is locked
 *
 * Softirq may still see it until an RCU grace period ends; it is not freed
 * before (tquic_connection_destroy()).
 */
void tquic_dev_detach(struct tquic_connection *conn)
{
	struct tquic_net *tn = conn->tn;

	if (!conn->attached)
		return;
	tquic_recv_napi_stop(conn);
	conn->attached = false;
	if (conn->zone) {
		xa_erase(&tn->dp_zones, conn->zone);
		ida_free(&tn->zone_ids, conn->zone);
		conn->zone = 0;
	}
	if (rcu_access_pointer(tn->dp_client) == conn)
		RCU_INIT_POINTER(tn->dp_client, NULL);
	tquic_flow_stop(conn);
	spin_lock_bh(&conn->lock);
	tquic_conn_set_dgram_ops(&conn->c, NULL);
	spin_unlock_bh(&conn->lock);
	if (tn->dev && netif_queue_stopped(tn->dev))
		netif_wake_queue(tn->dev);
}

/**
 * tquic_dev_free_tmpl() - drop a dead connection's zone template
 * @conn: the connection, no longer reachable from softirq
 */
void tquic_dev_free_tmpl(struct tquic_connection *conn)
{
	if (conn->zone_tmpl)
		nf_ct_put(conn->zone_tmpl);
	conn->zone_tmpl = NULL;
}
