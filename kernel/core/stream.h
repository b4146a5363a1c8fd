/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Streams (RFC 9000 §2-4): how a TCP flow crosses the connection. Each
 * direction of a bonded TCP flow is one unidirectional stream opened by
 * the side that sends it, carrying the flow's inner packets back to back,
 * each behind a two-byte length. The bond retransmits what a path loses,
 * so the inner TCP sees delay, not loss, and packets reordered across
 * paths come out in order.
 *
 * Core keeps each stream's offsets, what was acknowledged and what must be
 * sent again, flow control and the stream limits; the owner keeps the
 * bytes. It queues bytes with tquic_stream_write() and core reads them back
 * (struct tquic_stream_ops.read) whenever a packet has room, as often as
 * they are lost, and tells the owner when a prefix is acknowledged. Bytes
 * received in order go straight from the decrypted packet to the owner;
 * bytes received ahead of a gap wait in core until the gap is filled.
 */
#ifndef _TQUIC_CORE_STREAM_H
#define _TQUIC_CORE_STREAM_H

#include <linux/types.h>

#include "frame.h"
#include "recovery.h"

/* disjoint byte ranges kept per stream and kind before they are merged */
#define TQUIC_STREAM_RANGES	8
/* buckets of the stream-ID hash */
#define TQUIC_STREAM_BUCKETS	256
/*
 * The flow-control windows we give the peer (RFC 9000 §4.1), per stream
 * and for the connection: room for 1 Gbit/s x 100 ms in one flow and
 * twice that over all. Bytes are only held while a gap waits to be filled.
 */
#define TQUIC_STREAM_RX_WINDOW	(16ULL << 20)
#define TQUIC_CONN_RX_WINDOW	(32ULL << 20)
/* peer streams that may be open at once (RFC 9000 §4.6) */
#define TQUIC_STREAMS_RX_WIN	1024
/* out-of-order pieces held per connection (RFC 9000 §21.10) */
#define TQUIC_OFO_CHUNKS_MAX	65536
/* the longest inner packet a stream carries: its length is two bytes */
#define TQUIC_STREAM_PKT_HDR	2

/* [@start, @end) */
struct tquic_range {
	u64 start, end;
};

/* sorted, disjoint, not adjacent */
struct tquic_ranges {
	u32 n;
	struct tquic_range r[TQUIC_STREAM_RANGES];
};

/* bytes received beyond a gap */
struct tquic_ofo {
	struct tquic_ofo *next;
	u64 off;
	u32 len;
	u8 data[];
};

/**
 * struct tquic_stream - one stream, ours (sending) or the peer's
 *	(receiving); allocated and freed by core
 * @id: the stream ID
 * @priv: the owner's, handed to its callbacks (NULL: none)
 * @hnext: hash chain
 * @prev: send list
 * @next: send list
 * @listed: on the send list
 * @tx_end: bytes the owner queued
 * @tx_next: no byte at or above it was sent yet
 * @tx_acked: every byte below it is acknowledged
 * @tx_max: the peer's limit (MAX_STREAM_DATA)
 * @tx_lost: sent, declared lost, to be sent again
 * @tx_ack: acknowledged, above @tx_acked
 * @tx_fin: the owner has no more (final size @tx_end)
 * @tx_fin_sent: a FIN is in flight or acknowledged
 * @tx_fin_acked: the FIN is acknowledged
 * @rx_next: bytes delivered in order
 * @rx_max: our limit for the peer
 * @rx_high: one past the largest offset received
 * @rx_final: the final size, if @rx_fin
 * @rx_fin: the final size is known
 * @rx_max_owed: a MAX_STREAM_DATA frame is owed
 * @ofo: bytes above @rx_next, sorted, disjoint
 * @ofo_tail: the last of them
 */
struct tquic_stream {
	u64 id;
	void *priv;
	struct tquic_stream *hnext;
	struct tquic_stream *prev, *next;
	bool listed;
	u64 tx_end, tx_next, tx_acked, tx_max;
	struct tquic_ranges tx_lost, tx_ack;
	bool tx_fin, tx_fin_sent, tx_fin_acked;
	u64 rx_next, rx_max, rx_high, rx_final;
	bool rx_fin, rx_max_owed;
	struct tquic_ofo *ofo, *ofo_tail;
};

/**
 * struct tquic_stream_ops - the owner of the streams' bytes
 * @read: copy bytes [@off, @off + @len) of the stream @priv sends to @buf;
 *	every byte from the stream's @tx_acked up to its @tx_end is there
 * @acked: the stream's @tx_acked moved: bytes below it may go
 * @opened: the peer opened @s; set @s->priv to receive its bytes
 * @recv: the next @len in-order bytes of the stream @priv receives
 * @closed: the stream @priv is done (sent and acknowledged, or received
 *	to its end) or the connection stops streaming: @priv is not used
 *	again
 * @ctx: passed to @opened
 *
 * Called with the connection locked, in the context it runs in (softirq
 * in the kernel): none may sleep.
 */
struct tquic_stream_ops {
	int (*read)(void *priv, u64 off, u8 *buf, size_t len);
	void (*acked)(void *priv, u64 upto);
	void (*opened)(void *ctx, struct tquic_stream *s);
	void (*recv)(void *priv, const u8 *data, size_t len);
	void (*closed)(void *priv);
	void *ctx;
};

/**
 * struct tquic_streams - a connection's streams
 * @ops: the owner, NULL while none (received bytes are dropped)
 * @hash: every stream, by ID
 * @head: streams with something to send, served in turn
 * @tail: the last of them
 * @count: streams
 * @next_uni: the number of the next unidirectional stream we open
 * @peer_max_uni: how many the peer lets us open (RFC 9000 §4.6)
 * @tx_data: the largest offsets we sent, over every stream (§4.1)
 * @tx_max_data: the peer's MAX_DATA
 * @rx_data: the largest offsets received, over every stream
 * @rx_consumed: bytes delivered to the owner, over every stream
 * @rx_max_data: our MAX_DATA
 * @max_data_owed: a MAX_DATA frame is owed
 * @rx_base: every peer stream numbered below it has ended
 * @rx_done: peer streams from @rx_base on that ended, bit (n % WIN)
 * @rx_max_uni: the MAX_STREAMS limit we gave the peer
 * @max_streams_owed: a MAX_STREAMS frame is owed
 * @unsent: bytes queued and never sent, over every stream
 * @ofo_chunks: out-of-order pieces held
 * @stats_*: counters for the connection dump
 */
struct tquic_streams {
	const struct tquic_stream_ops *ops;
	struct tquic_stream *hash[TQUIC_STREAM_BUCKETS];
	struct tquic_stream *head, *tail;
	u32 count;
	u64 next_uni;
	u64 peer_max_uni;
	u64 tx_data, tx_max_data;
	u64 rx_data, rx_consumed, rx_max_data;
	bool max_data_owed;
	u64 rx_base;
	u64 rx_done[TQUIC_STREAMS_RX_WIN / 64];
	u64 rx_max_uni;
	bool max_streams_owed;
	u64 unsent;
	u32 ofo_chunks;
	u64 stats_opened, stats_rx_opened;
	u64 stats_retx_bytes;
};

struct tquic_conn;

void tquic_streams_init(struct tquic_conn *c);
void tquic_streams_peer_limits(struct tquic_conn *c);
void tquic_streams_destroy(struct tquic_conn *c);
void tquic_conn_set_stream_ops(struct tquic_conn *c,
				const struct tquic_stream_ops *ops);

struct tquic_stream *tquic_stream_open(struct tquic_conn *c, void *priv);
void tquic_stream_write(struct tquic_conn *c, struct tquic_stream *s,
			size_t len);
void tquic_stream_finish(struct tquic_conn *c, struct tquic_stream *s);
bool tquic_streams_can_open(const struct tquic_conn *c);

/* for conn.c */
bool tquic_streams_pending(const struct tquic_conn *c);
size_t tquic_streams_put(struct tquic_conn *c, u8 *p, size_t room,
			 struct tquic_sent_stream *rec);
void tquic_streams_outcome(struct tquic_conn *c,
			   const struct tquic_sent_stream *rec, bool acked);
u64 tquic_streams_on_frame(struct tquic_conn *c, const struct tquic_frame *f);

#endif /* _TQUIC_CORE_STREAM_H */
