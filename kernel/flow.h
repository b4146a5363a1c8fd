/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The flow map: which bonded TCP flow rides which QUIC stream (flow.c).
 */
#ifndef _TQUIC_FLOW_H
#define _TQUIC_FLOW_H

#include <linux/list.h>
#include <linux/skbuff.h>
#include <linux/types.h>

#include "core/datagram.h"

/* the longest inner packet a stream may carry */
#define TQUIC_FLOW_PKT_MAX	16384

struct nf_conn;
struct tquic_connection;
struct tquic_stream;

/**
 * struct tquic_flow - one direction of a TCP flow on its stream
 * @node: in the connection's flow hash, by @ct, while the flow lives
 * @all: on the connection's list of flows
 * @conn: the connection
 * @st: core's stream (ours when sending, the peer's when receiving)
 * @ct: sending: the flow's conntrack entry, referenced while it lives;
 *	NULL once it ended (the stream is finishing)
 * @q: sending: the inner packets, each behind its two-byte length, from
 *	the first byte not yet acknowledged to the last queued
 * @q_base: the stream offset of @q's first byte
 * @cur: a packet on @q where the last read ended, or NULL
 * @cur_off: the stream offset of @cur's first byte
 * @rx_skb: receiving: the inner packet being put together
 * @rx_len: its length
 * @rx_hdr: the bytes of its length field seen so far
 * @rx_hdr_have: how many
 * @rx_skip: bytes of a packet that is being dropped
 * @rx_broken: a length made no sense: the rest is dropped
 * @dg_id: sending: the flow's ID in the tags of its DATAGRAM frames
 *	(core/datagram.h), 0 until it sends one
 * @dg_seq: the sequence number of its next one
 */
struct tquic_flow {
	struct hlist_node node;
	struct list_head all;
	struct tquic_connection *conn;
	struct tquic_stream *st;
	struct nf_conn *ct;
	struct sk_buff_head q;
	u64 q_base;
	struct sk_buff *cur;
	u64 cur_off;
	struct sk_buff *rx_skb;
	u16 rx_len;
	u8 rx_hdr[2];
	u8 rx_hdr_have;
	u16 rx_skip;
	bool rx_broken;
	u32 dg_id, dg_seq;
};

/**
 * struct tquic_dflow - a peer's flow seen in DATAGRAM frames
 * @node: in the connection's table, by @id
 * @id: its ID in the peer's tags
 * @last: jiffies when a packet of it last arrived
 * @win: the sequence numbers seen
 */
struct tquic_dflow {
	struct hlist_node node;
	u32 id;
	unsigned long last;
	struct tquic_seqwin win;
};

/* an inner packet's tag on its way to a DATAGRAM frame, in skb->cb */
struct tquic_dgram_cb {
	u32 flow, seq;
};

#define TQUIC_DGRAM_CB(skb) ((struct tquic_dgram_cb *)(skb)->cb)

void tquic_flow_init(struct tquic_connection *conn);
void tquic_flow_start(struct tquic_connection *conn);
void tquic_flow_stop(struct tquic_connection *conn);
void tquic_flow_sort(struct tquic_connection *conn);
u64 tquic_flow_backlog(const struct tquic_connection *conn);
bool tquic_flow_dgram_accept(struct tquic_connection *conn, u32 flow, u32 seq);

#endif /* _TQUIC_FLOW_H */
