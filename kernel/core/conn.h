/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * A QUIC connection's transport state machine (RFC 9000, RFC 9001 §4,
 * RFC 9002): packet-number spaces, CRYPTO streams, ACKs, loss detection,
 * probe timeouts, congestion control, anti-amplification, Retry (client
 * side), idle timeout, closing and draining. TLS lives elsewhere: the owner
 * is handed CRYPTO bytes per level and hands back TLS bytes and secrets.
 *
 * The state machine works on byte buffers and a clock in microseconds that
 * the caller passes in; it never sleeps on its own but installing keys may
 * allocate (tquic_aead_alloc() may sleep), so the kernel calls it in process
 * context with the connection's lock held.
 */
#ifndef _TQUIC_CORE_CONN_H
#define _TQUIC_CORE_CONN_H

#include <linux/types.h>

#include "ackrx.h"
#include "cid.h"
#include "cstream.h"
#include "datagram.h"
#include "keyphase.h"
#include "keys.h"
#include "pacer.h"
#include "reasm.h"
#include "recovery.h"
#include "stream.h"
#include "tparams.h"
#include "../uapi/tquic.h"

/*
 * Levels and states are the uapi's (enum tquic_level, enum tquic_state):
 * HANDSHAKE while keys are agreed, ESTABLISHED once TLS is done, CLOSING
 * after we closed (RFC 9000 §10.2.1), DRAINING after the peer did
 * (§10.2.2), CLOSED when nothing more is sent or received.
 */
#define TQUIC_NR_LEVELS		3

#define TQUIC_MIN_INITIAL_DGRAM	1200	/* RFC 9000 §14.1 */
/*
 * The most we send: 1500 - IPv4 - UDP. The route caps it (send.c): 20
 * bytes less over IPv6, less again on a smaller link or learnt path MTU.
 */
#define TQUIC_MAX_DGRAM		1472
#define TQUIC_CID_LEN		8	/* the length of the CIDs we issue */
#define TQUIC_CRYPTO_TX_CAP	8192	/* per level, TLS bytes we send */
#define TQUIC_CRYPTO_RX_CAP	8192	/* per level, TLS bytes we buffer */
#define TQUIC_SENT_RING		256	/* sent packets tracked per space */
/*
 * 1-RTT packets tracked at most: the ring grows (tquic_conn_prepare())
 * towards this as the congestion window needs, 1 Gbit/s x 200 ms being
 * about 17,000 full packets
 */
#define TQUIC_SENT_RING_MAX	32768
#define TQUIC_PENDING_PKTS	4	/* packets kept until their keys come */
#define TQUIC_MAX_TOKEN_LEN	256	/* a Retry token we keep */
#define TQUIC_TP_BUF		256	/* our encoded transport parameters */
#define TQUIC_CLOSE_REPEAT	16	/* CONNECTION_CLOSEs sent while closing */
/* a peer's max_idle_timeout above this (about 49 days) counts as this */
#define TQUIC_MAX_IDLE_TIMEOUT_MS	(1ULL << 32)
/* RFC 9001 §6.6: AES-GCM may protect 2^23 packets per key; update at half */
#define TQUIC_KU_AFTER_PKTS	(1ULL << 22)
/* RFC 9001 §6.6: forged packets tolerated over a connection's life */
#define TQUIC_INTEGRITY_LIMIT_GCM	(1ULL << 52)
#define TQUIC_INTEGRITY_LIMIT_CHACHA	(1ULL << 36)

/**
 * struct tquic_conn_ops - how the connection tells its owner
 * @crypto_data: in-order CRYPTO bytes arrived at @level, for TLS
 * @state_changed: the connection entered @state
 * @new_cid: draw a fresh random CID of @len bytes and compute its
 *	stateless reset token; 0 or a negative errno. Without it the
 *	connection issues no CIDs beyond the handshake's.
 * @ctx: passed to each
 */
struct tquic_conn_ops {
	void (*crypto_data)(void *ctx, enum tquic_level level, const u8 *data,
			    size_t len);
	void (*state_changed)(void *ctx, enum tquic_state state);
	int (*new_cid)(void *ctx, u8 *cid, u8 len, u8 *reset_token);
	void *ctx;
};

/**
 * struct tquic_conn_cfg - what a new connection starts from
 * @is_server: server side
 * @version: QUIC version
 * @scid: the CID we issue first (sequence number 0)
 * @scid_len: its length, TQUIC_CID_LEN
 * @dcid: client: the random Destination CID of the first Initial; server:
 *	the client's Source CID
 * @dcid_len: its length
 * @odcid: server: the Destination CID of the client's first Initial
 * @odcid_len: its length
 * @reset_token: server: the stateless reset token for @scid
 * @retry_scid: server: the Source CID of the Retry it sent, if any
 * @retry_scid_len: its length (0: no Retry)
 * @idle_timeout_ms: our max_idle_timeout (0: none)
 * @keepalive_ms: once established, send a PING after this long without
 *	sending anything ack-eliciting (0: never; RFC 9000 §10.1.2)
 * @now: current time, microseconds
 */
struct tquic_conn_cfg {
	bool is_server;
	u32 version;
	u8 scid[TQUIC_MAX_CID_LEN];
	u8 scid_len;
	u8 dcid[TQUIC_MAX_CID_LEN];
	u8 dcid_len;
	u8 odcid[TQUIC_MAX_CID_LEN];
	u8 odcid_len;
	u8 reset_token[TQUIC_RESET_TOKEN_LEN];
	u8 retry_scid[TQUIC_MAX_CID_LEN];
	u8 retry_scid_len;
	u64 idle_timeout_ms;
	u64 keepalive_ms;
	u64 now;
};

/**
 * struct tquic_conn_stats - counters for the connection dump
 */
struct tquic_conn_stats {
	u64 pkts_tx, pkts_rx, bytes_tx, bytes_rx;
	u64 pkts_lost, pkts_dropped, pkts_undecryptable;
	u64 ptos;
	u64 cids_retired;	/* of ours, by the peer */
	u64 paced;		/* sends the pacer held back */
	u64 dgrams_tx, dgrams_rx;	/* DATAGRAM frames (RFC 9221) */
	u64 dgrams_dropped;	/* received with nowhere to go */
};

struct tquic_pending_pkt {
	u16 len;
	u8 data[TQUIC_MAX_DGRAM];
};

/**
 * struct tquic_conn_level - one encryption level's state
 * @rx: keys to open the peer's packets
 * @tx: keys to protect ours
 * @has_rx: @rx installed
 * @has_tx: @tx installed
 * @discarded: keys dropped for good (RFC 9001 §4.9)
 * @space: our sent packets (loss detection)
 * @ring: storage for @space
 * @ackrx: the peer's packets we received (ACK generation)
 * @largest_rx: largest packet number received
 * @any_rx: a packet was received at this level
 * @probes: PTO probes still to send
 * @cout: our CRYPTO stream
 * @cin: the peer's CRYPTO stream, reassembled
 * @cout_buf: storage for @cout
 * @cin_buf: storage for @cin
 */
struct tquic_conn_level {
	struct tquic_keys rx, tx;
	bool has_rx, has_tx, discarded;
	struct tquic_space space;
	struct tquic_sent ring[TQUIC_SENT_RING];
	struct tquic_ackrx ackrx;
	u64 largest_rx;
	bool any_rx;
	u8 probes;
	struct tquic_cstream cout;
	struct tquic_reasm cin;
	u8 cout_buf[TQUIC_CRYPTO_TX_CAP];
	u8 cout_need[TQUIC_CRYPTO_TX_CAP / 8];
	u8 cout_acked[TQUIC_CRYPTO_TX_CAP / 8];
	u8 cin_buf[TQUIC_CRYPTO_RX_CAP];
	u8 cin_have[TQUIC_CRYPTO_RX_CAP / 8];
};

/**
 * struct tquic_conn - one connection
 *
 * Fields are private to conn.c except where a comment says otherwise; the
 * owner reads @state, @stats, the CIDs and @close_* for dumps.
 */
struct tquic_conn {
	const struct tquic_conn_ops *ops;
	const struct tquic_dgram_ops *dops;	/* datagram.c */
	bool is_server;
	u32 version;
	enum tquic_state state;

	u8 scid[TQUIC_MAX_CID_LEN], scid_len;
	u8 dcid[TQUIC_MAX_CID_LEN], dcid_len;
	u8 odcid[TQUIC_MAX_CID_LEN], odcid_len;
	u8 retry_scid[TQUIC_MAX_CID_LEN], retry_scid_len;
	u8 peer_scid[TQUIC_MAX_CID_LEN], peer_scid_len;
	bool got_peer_scid;
	bool retried;
	u8 token[TQUIC_MAX_TOKEN_LEN];
	u16 token_len;

	struct tquic_conn_level lvl[TQUIC_NR_LEVELS];
	struct tquic_path_rec pr;
	struct tquic_pacer pacer;	/* RFC 9002 §7.7 */
	u64 pacer_wake;		/* a send waits for the pacer until then */
	struct tquic_peer_cids pcids;
	struct tquic_local_cids lcids;

	struct tquic_tparams local_tp, peer_tp;
	bool has_peer_tp;
	u8 local_tp_buf[TQUIC_TP_BUF];
	size_t local_tp_len;

	bool tls_done;		/* TLS handshake complete */
	bool confirmed;		/* RFC 9001 §4.1.2 */
	bool handshake_done_pending;
	bool addr_validated;	/* server: the peer's address */
	bool peer_validated_us;	/* client: RFC 9002 §6.2.2.1 */
	bool sent_handshake;	/* client: a Handshake packet went out */
	u64 amp_rx, amp_tx;	/* RFC 9000 §8.1 */

	unsigned int pto_count;
	u64 pto_anchor;
	u64 pto_fired;		/* when a PTO last fired, 0 after a reset */
	u64 idle_timeout;	/* negotiated, microseconds; 0: none */
	u64 idle_deadline;
	u64 keepalive;		/* microseconds; 0: none */
	u64 last_eliciting_tx;
	u64 auth_failures;	/* packets that failed authentication */
	u64 integrity_limit;	/* RFC 9001 §6.6 */
	u64 close_deadline;
	bool ack_eliciting_since_rx;

	u64 close_error;
	u64 close_frame_type;
	bool close_app;
	bool close_remote;	/* the error code is the peer's */
	bool close_reset;	/* the peer's stateless reset ended it */
	bool close_send;	/* a CONNECTION_CLOSE is owed */
	u8 close_sent;

	u8 path_response[TQUIC_PATH_DATA_LEN];
	bool path_response_pending;
	bool ping_pending;

	struct tquic_keyphase kp;	/* RFC 9001 §6, with lvl[APP] keys */
	struct tquic_streams streams;	/* stream.c */

	struct tquic_pending_pkt *pending; /* TQUIC_PENDING_PKTS, on demand */
	struct tquic_sent *app_ring;	/* 1-RTT records once grown, or NULL */
	bool ring_grow_failed;
	u8 npending;
	u16 max_dgram;		/* the most we send: ours, or the peer's limit */
	u8 chunk[2048];		/* CRYPTO bytes on their way to the owner */

	struct tquic_conn_stats stats;
};

int tquic_conn_init(struct tquic_conn *c, const struct tquic_conn_cfg *cfg,
		    const struct tquic_conn_ops *ops);
void tquic_conn_destroy(struct tquic_conn *c);

void tquic_conn_recv(struct tquic_conn *c, u64 now, u8 *dgram, size_t len);
size_t tquic_conn_send(struct tquic_conn *c, u64 now, u8 *buf, size_t cap);
u64 tquic_conn_timeout(const struct tquic_conn *c);
void tquic_conn_on_timeout(struct tquic_conn *c, u64 now);

int tquic_conn_crypto_send(struct tquic_conn *c, enum tquic_level level,
			   const u8 *data, size_t len);
int tquic_conn_set_secret(struct tquic_conn *c, u64 now, enum tquic_level level,
			  bool tx, enum tquic_aead_alg alg, const u8 *secret,
			  size_t secret_len);
int tquic_conn_set_peer_tparams(struct tquic_conn *c, const u8 *buf,
				size_t len);
int tquic_conn_tls_done(struct tquic_conn *c, u64 now);
void tquic_conn_close(struct tquic_conn *c, u64 now, bool app, u64 error,
		      u64 frame_type);
void tquic_conn_ping(struct tquic_conn *c);
int tquic_conn_key_update(struct tquic_conn *c);
int tquic_conn_rotate_cid(struct tquic_conn *c);

void tquic_conn_set_dgram_ops(struct tquic_conn *c,
			       const struct tquic_dgram_ops *dops);
void tquic_conn_set_max_dgram(struct tquic_conn *c, size_t max);
bool tquic_conn_prepare_due(const struct tquic_conn *c);
int tquic_conn_prepare(struct tquic_conn *c);

bool tquic_conn_owns_cid(const struct tquic_conn *c, const u8 *cid, u8 len);
bool tquic_conn_check_reset(struct tquic_conn *c, u64 now, const u8 *dgram,
			    size_t len);

struct tquic_hdr;
int tquic_conn_first_initial(const u8 *dgram, size_t len, struct tquic_hdr *h);
int tquic_conn_refuse_initial(u8 *buf, size_t cap, const struct tquic_hdr *h,
			      u64 error);

#endif /* _TQUIC_CORE_CONN_H */
