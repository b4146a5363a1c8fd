// SPDX-License-Identifier: GPL-2.0
/*
 * How a TCP flow becomes a stream, and back.
 *
 * tquic0's transmit queues inner packets on their connection; when the
 * connection next runs (tquic_connection_turn()), tquic_flow_sort() hands
 * each to its carrier. A TCP packet goes to its flow, found by its
 * conntrack entry: the first packet of a flow opens one of our
 * unidirectional streams (core/stream.c), and every packet is appended to
 * the flow's queue behind a two-byte length. Core reads the bytes back
 * when a QUIC packet has room, as often as they are lost, and the packets
 * are freed once the peer acknowledged them. Everything else (and TCP
 * when no stream can be opened) goes in DATAGRAM frames (device.c),
 * tagged with its flow's ID and a sequence number; a receiver drops a
 * second copy of a packet, and one that comes more than a window late.
 *
 * The flow holds a reference on its conntrack entry. Once a second
 * passes with the entry gone (timed out, deleted, flushed), the stream
 * is finished: the peer gets the rest and the FIN, and the flow is freed
 * when that is acknowledged. A packet of the same connection after a
 * flush has a new entry, and so a new stream.
 *
 * On the receiving side every stream the peer opens gets a flow that
 * puts its inner packets back together and injects them on tquic0.
 *
 * All of it runs where core runs: softirq under the connection's lock, or
 * process context owning the connection (connection.h).
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/hash.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <linux/timer.h>
#include <net/netfilter/nf_conntrack.h>

#include "compat.h"
#include "connection.h"
#include "device.h"
#include "flow.h"
#include "mem.h"
#include "netns.h"

/* TCP flows of one connection on streams at once; more go as datagrams */
#define TQUIC_FLOWS_MAX		4096
/* how often ended conntrack entries are looked for */
#define TQUIC_FLOW_GC_INTERVAL	HZ
/* a peer's datagram flow is forgotten after this long without a packet */
#define TQUIC_DFLOW_IDLE	(30 * HZ)
/* peer datagram flows remembered at once; beyond, no duplicate is caught */
#define TQUIC_DFLOWS_MAX	4096

static struct tquic_flow *tquic_flow_alloc(struct tquic_connection *conn)
{
	struct tquic_flow *f = tquic_mem_kzalloc(sizeof(*f), GFP_ATOMIC);

	if (!f)
		return NULL;
	f->conn = conn;
	skb_queue_head_init(&f->q);
	INIT_HLIST_NODE(&f->node);
	list_add_tail(&f->all, &conn->flow_list);
	conn->nflows++;
	return f;
}

/* the flow's conntrack entry ended, or the flow is going: let it go */
static void tquic_flow_drop_ct(struct tquic_flow *f)
{
	if (!f->ct)
		return;
	hash_del(&f->node);
	nf_ct_put(f->ct);
	f->ct = NULL;
}

static void tquic_flow_free(struct tquic_flow *f)
{
	tquic_flow_drop_ct(f);
	__skb_queue_purge(&f->q);
	kfree_skb(f->rx_skb);
	list_del(&f->all);
	f->conn->nflows--;
	tquic_mem_kfree(f);
}

/* core: the stream is done; nothing of @priv is used again */
static void tquic_flow_closed(void *priv)
{
	tquic_flow_free(priv);
}

/* core: copy stream bytes [@off, @off + @len) */
static int tquic_flow_read(void *priv, u64 off, u8 *buf, size_t len)
{
	struct tquic_flow *f = priv;
	struct sk_buff *skb;
	u64 at;
	u32 in, n;

	if (f->cur && off >= f->cur_off) {
		skb = f->cur;
		at = f->cur_off;
	} else {
		skb = skb_peek(&f->q);
		at = f->q_base;
	}
	if (off < at)
		return -EINVAL;
	while (skb && at + skb->len <= off) {
		at += skb->len;
		skb = skb_peek_next(skb, &f->q);
	}
	while (len) {
		if (!skb)
			return -EINVAL;
		in = (u32)(off - at);
		n = min_t(u32, len, skb->len - in);
		if (skb_copy_bits(skb, in, buf, n))
			return -EFAULT;
		f->cur = skb;
		f->cur_off = at;
		buf += n;
		off += n;
		len -= n;
		if (in + n == skb->len) {
			at += skb->len;
			skb = skb_peek_next(skb, &f->q);
		}
	}
	return 0;
}

/* core: every byte below @upto arrived: its packets go */
static void tquic_flow_acked(void *priv, u64 upto)
{
	struct tquic_flow *f = priv;
	struct sk_buff *skb;

	while ((skb = skb_peek(&f->q)) && f->q_base + skb->len <= upto) {
		__skb_unlink(skb, &f->q);
		f->q_base += skb->len;
		if (f->cur == skb)
			f->cur = NULL;
		consume_skb(skb);
	}
}

/* core: the peer opened a stream; NULL priv (memory short) drops it */
static void tquic_flow_opened(void *ctx, struct tquic_stream *s)
{
	struct tquic_connection *conn = ctx;
	struct tquic_flow *f = tquic_flow_alloc(conn);

	if (!f) {
		atomic64_inc(&conn->tn->dp.stream_dropped);
		return;
	}
	f->st = s;
	s->priv = f;
}

/* the next bytes of a packet's two-byte length; false while incomplete */
static bool tquic_flow_rx_hdr(struct tquic_flow *f, const u8 **data,
			      size_t *len)
{
	while (f->rx_hdr_have < 2 && *len) {
		f->rx_hdr[f->rx_hdr_have++] = **data;
		(*data)++;
		(*len)--;
	}
	return f->rx_hdr_have == 2;
}

/* core: the next in-order bytes of the peer's stream */
static void tquic_flow_recv(void *priv, const u8 *data, size_t len)
{
	struct tquic_flow *f = priv;
	struct tquic_connection *conn = f->conn;
	struct tquic_net *tn = conn->tn;
	size_t n;

	while (len && !f->rx_broken) {
		if (f->rx_skip) {
			n = min_t(size_t, len, f->rx_skip);
			f->rx_skip -= n;
			data += n;
			len -= n;
			continue;
		}
		if (!f->rx_skb) {
			if (!tquic_flow_rx_hdr(f, &data, &len))
				return;
			f->rx_hdr_have = 0;
			f->rx_len = (u16)(f->rx_hdr[0] << 8 | f->rx_hdr[1]);
			if (f->rx_len < sizeof(struct iphdr) ||
			    f->rx_len > TQUIC_FLOW_PKT_MAX) {
				/* the stream cannot be followed any more */
				f->rx_broken = true;
				atomic64_inc(&tn->dp.bad_inner);
				return;
			}
			f->rx_skb = netdev_alloc_skb_ip_align(tn->dev, f->rx_len);
			if (!f->rx_skb) {
				DEV_STATS_INC(tn->dev, rx_dropped);
				f->rx_skip = f->rx_len;
				continue;
			}
		}
		n = min_t(size_t, len, f->rx_len - f->rx_skb->len);
		skb_put_data(f->rx_skb, data, n);
		data += n;
		len -= n;
		if (f->rx_skb->len == f->rx_len) {
			tquic_dev_inject(conn, f->rx_skb);
			f->rx_skb = NULL;
		}
	}
}

/**
 * tquic_flow_init() - a connection with no flows yet
 * @conn: the connection, being set up
 */
void tquic_flow_init(struct tquic_connection *conn)
{
	hash_init(conn->flows);
	hash_init(conn->dflows);
	INIT_LIST_HEAD(&conn->flow_list);
	skb_queue_head_init(&conn->dgq);
	conn->sops.read = tquic_flow_read;
	conn->sops.acked = tquic_flow_acked;
	conn->sops.opened = tquic_flow_opened;
	conn->sops.recv = tquic_flow_recv;
	conn->sops.closed = tquic_flow_closed;
	conn->sops.ctx = conn;
}

static struct tquic_flow *tquic_flow_find(struct tquic_connection *conn,
					  const struct nf_conn *ct)
{
	struct tquic_flow *f;

	hash_for_each_possible(conn->flows, f, node, hash_ptr(ct, 32))
		if (f->ct == ct)
			return f;
	return NULL;
}

/* a flow of ours for @ct, found by it; NULL at the limit or memory short */
static struct tquic_flow *tquic_flow_new(struct tquic_connection *conn,
					 struct nf_conn *ct)
{
	struct tquic_flow *f;

	if (conn->nflows >= TQUIC_FLOWS_MAX)
		return NULL;
	f = tquic_flow_alloc(conn);
	if (!f)
		return NULL;
	nf_conntrack_get(&ct->ct_general);
	f->ct = ct;
	hash_add(conn->flows, &f->node, hash_ptr(ct, 32));
	return f;
}

/* the flow of @ct, opened now if need be; NULL: it goes as datagrams */
static struct tquic_flow *tquic_flow_get(struct tquic_connection *conn,
					 struct nf_conn *ct)
{
	struct tquic_flow *f = tquic_flow_find(conn, ct);

	/* a flow that began on datagrams stays there */
	if (f)
		return f->st ? f : NULL;
	if (!tquic_streams_can_open(&conn->c))
		return NULL;
	f = tquic_flow_new(conn, ct);
	if (!f)
		return NULL;
	f->st = tquic_stream_open(&conn->c, f);
	if (!f->st) {
		tquic_flow_free(f);
		return NULL;
	}
	atomic64_inc(&conn->tn->dp.streams);
	return f;
}

/* an inner TCP packet onto its flow's stream; false: send it otherwise */
static bool tquic_flow_queue(struct tquic_connection *conn,
			     struct sk_buff *skb, struct nf_conn *ct)
{
	struct tquic_flow *f = tquic_flow_get(conn, ct);
	u16 len = (u16)skb->len;

	if (!f) {
		atomic64_inc(&conn->tn->dp.stream_fallback);
		return false;
	}
	if (skb_cow_head(skb, 2))
		return false;
	__skb_push(skb, 2);
	skb->data[0] = len >> 8;
	skb->data[1] = len & 0xff;
	/* kept until acknowledged: not charged to a local socket meanwhile */
	skb_orphan(skb);
	nf_reset_ct(skb);
	__skb_queue_tail(&f->q, skb);
	dev_sw_netstats_tx_add(conn->tn->dev, 1, len);
	tquic_stream_write(&conn->c, f->st, skb->len);
	return true;
}

/* @skb's tag: its flow's ID and next sequence number (0, 0: no flow) */
static void tquic_flow_tag(struct tquic_connection *conn, struct sk_buff *skb,
			   struct nf_conn *ct)
{
	struct tquic_dgram_cb *cb = TQUIC_DGRAM_CB(skb);
	struct tquic_flow *f = NULL;

	cb->flow = 0;
	cb->seq = 0;
	if (ct)
		f = tquic_flow_find(conn, ct) ?: tquic_flow_new(conn, ct);
	if (!f)
		return;
	/* numbers used up: the flow goes on under a new ID */
	if (!f->dg_id || f->dg_seq >= TQUIC_DGRAM_ID_LIMIT) {
		if (++conn->dg_next_id >= TQUIC_DGRAM_ID_LIMIT)
			conn->dg_next_id = 1;
		f->dg_id = conn->dg_next_id;
		f->dg_seq = 0;
	}
	cb->flow = f->dg_id;
	cb->seq = f->dg_seq++;
}

/**
 * tquic_flow_dgram_accept() - whether a peer's tagged datagram is delivered
 * @conn: the connection it came on, locked or owned
 * @flow: its flow's ID (not 0)
 * @seq: its sequence number
 *
 * Return: false for a second copy, or one too late (core/datagram.c).
 */
bool tquic_flow_dgram_accept(struct tquic_connection *conn, u32 flow, u32 seq)
{
	struct tquic_dflow *d;

	hash_for_each_possible(conn->dflows, d, node, flow)
		if (d->id == flow)
			goto found;
	if (conn->ndflows >= TQUIC_DFLOWS_MAX)
		return true;
	d = tquic_mem_kzalloc(sizeof(*d), GFP_ATOMIC);
	if (!d)
		return true;
	d->id = flow;
	hash_add(conn->dflows, &d->node, flow);
	conn->ndflows++;
found:
	d->last = jiffies;
	return tquic_seqwin_accept(&d->win, seq);
}

/* the peer's datagram flows idle for long (@all: every one) are forgotten */
static void tquic_flow_dflows_expire(struct tquic_connection *conn, bool all)
{
	struct hlist_node *tmp;
	struct tquic_dflow *d;
	int b;

	hash_for_each_safe(conn->dflows, b, tmp, d, node) {
		if (!all && time_before(jiffies, d->last + TQUIC_DFLOW_IDLE))
			continue;
		hash_del(&d->node);
		conn->ndflows--;
		tquic_mem_kfree(d);
	}
}

/**
 * tquic_flow_sort() - hand each inner packet waiting on @conn its carrier
 * @conn: the connection, locked and not owned
 *
 * TCP packets join their flow's stream; the rest wait on @conn->dgq for
 * DATAGRAM frames.
 */
void tquic_flow_sort(struct tquic_connection *conn)
{
	enum ip_conntrack_info ctinfo;
	struct sk_buff *skb;
	struct nf_conn *ct;

	while ((skb = __skb_dequeue(&conn->txq))) {
		ct = nf_ct_get(skb, &ctinfo);
		if (ct && nf_ct_is_template(ct))
			ct = NULL;
		if (ct && nf_ct_protonum(ct) == IPPROTO_TCP &&
		    (skb->protocol == htons(ETH_P_IP) ||
		     skb->protocol == htons(ETH_P_IPV6)) &&
		    skb->len <= TQUIC_FLOW_PKT_MAX &&
		    tquic_flow_queue(conn, skb, ct))
			continue;
		/* a TCP packet without a stream may not fit a datagram */
		if (skb->len > READ_ONCE(conn->inner_mtu)) {
			atomic64_inc(&conn->tn->dp.too_big);
			kfree_skb(skb);
			continue;
		}
		tquic_flow_tag(conn, skb, ct);
		nf_reset_ct(skb);
		__skb_queue_tail(&conn->dgq, skb);
	}
}

/**
 * tquic_flow_backlog() - bytes waiting to be sent, roughly
 * @conn: the connection, locked
 *
 * Return: what waits for a carrier or for DATAGRAM frames, counted as
 * full-sized packets, and the streams' bytes never sent.
 */
u64 tquic_flow_backlog(const struct tquic_connection *conn)
{
	return (u64)(skb_queue_len(&conn->txq) + skb_queue_len(&conn->dgq)) *
	       TQUIC_MAX_DGRAM + READ_ONCE(conn->c.streams.unsent);
}

/* every flow whose conntrack entry is gone is finished */
static void tquic_flow_expire(struct tquic_connection *conn)
{
	struct tquic_flow *f, *tmp;

	list_for_each_entry_safe(f, tmp, &conn->flow_list, all) {
		if (!f->ct || (!nf_ct_is_dying(f->ct) &&
			       !nf_ct_is_expired(f->ct)))
			continue;
		if (!f->st) {
			tquic_flow_free(f);	/* datagrams only */
			continue;
		}
		tquic_flow_drop_ct(f);
		atomic64_inc(&conn->tn->dp.streams_ended);
		/* freed once the peer acknowledged the rest and the FIN */
		tquic_stream_finish(&conn->c, f->st);
	}
	tquic_flow_dflows_expire(conn, false);
}

static void tquic_flow_gc(struct timer_list *t)
{
	struct tquic_connection *conn = from_timer(conn, t, flow_gc);

	spin_lock(&conn->lock);
	if (conn->dead || !conn->attached)
		goto out;
	if (!conn->owned) {
		tquic_flow_expire(conn);
		tquic_connection_turn(conn);
	}
	mod_timer(&conn->flow_gc, jiffies + TQUIC_FLOW_GC_INTERVAL);
out:
	spin_unlock(&conn->lock);
}

/**
 * tquic_flow_start() - @conn carries flows from now on
 * @conn: the connection, locked, being attached
 */
void tquic_flow_start(struct tquic_connection *conn)
{
	tquic_conn_set_stream_ops(&conn->c, &conn->sops);
	timer_setup(&conn->flow_gc, tquic_flow_gc, 0);
	mod_timer(&conn->flow_gc, jiffies + TQUIC_FLOW_GC_INTERVAL);
}

/**
 * tquic_flow_stop() - @conn carries no flow any more
 * @conn: the connection, being detached: no longer attached, not locked
 *
 * Every flow goes with its stream; what waits to be sent is dropped.
 */
void tquic_flow_stop(struct tquic_connection *conn)
{
	struct tquic_flow *f, *tmp;

	timer_shutdown_sync(&conn->flow_gc);
	spin_lock_bh(&conn->lock);
	tquic_conn_set_stream_ops(&conn->c, NULL);
	list_for_each_entry_safe(f, tmp, &conn->flow_list, all)
		tquic_flow_free(f);	/* those that sent datagrams only */
	tquic_flow_dflows_expire(conn, true);
	__skb_queue_purge(&conn->txq);
	__skb_queue_purge(&conn->dgq);
	spin_unlock_bh(&conn->lock);
	WARN_ON_ONCE(conn->nflows || conn->ndflows);
}
