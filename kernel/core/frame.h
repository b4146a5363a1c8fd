/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * QUIC frames: RFC 9000 §19, DATAGRAM (RFC 9221 §4) and the multipath
 * frames (draft-ietf-quic-multipath-21 §4, final codepoints).
 *
 * tquic_frame_read() decodes one frame from a packet's payload without
 * copying: data, tokens and reasons point into the packet. It checks every
 * length against the bytes left, every field against its range, and the
 * frame type against the packet type it came in.
 */
#ifndef _TQUIC_CORE_FRAME_H
#define _TQUIC_CORE_FRAME_H

#include <linux/types.h>

#include "quic.h"
#include "varint.h"

enum tquic_frame_type {
	TQUIC_FT_PADDING		= 0x00,
	TQUIC_FT_PING			= 0x01,
	TQUIC_FT_ACK			= 0x02,
	TQUIC_FT_ACK_ECN		= 0x03,
	TQUIC_FT_RESET_STREAM		= 0x04,
	TQUIC_FT_STOP_SENDING		= 0x05,
	TQUIC_FT_CRYPTO			= 0x06,
	TQUIC_FT_NEW_TOKEN		= 0x07,
	TQUIC_FT_STREAM			= 0x08,	/* 0x08..0x0f */
	TQUIC_FT_MAX_DATA		= 0x10,
	TQUIC_FT_MAX_STREAM_DATA	= 0x11,
	TQUIC_FT_MAX_STREAMS_BIDI	= 0x12,
	TQUIC_FT_MAX_STREAMS_UNI	= 0x13,
	TQUIC_FT_DATA_BLOCKED		= 0x14,
	TQUIC_FT_STREAM_DATA_BLOCKED	= 0x15,
	TQUIC_FT_STREAMS_BLOCKED_BIDI	= 0x16,
	TQUIC_FT_STREAMS_BLOCKED_UNI	= 0x17,
	TQUIC_FT_NEW_CONNECTION_ID	= 0x18,
	TQUIC_FT_RETIRE_CONNECTION_ID	= 0x19,
	TQUIC_FT_PATH_CHALLENGE		= 0x1a,
	TQUIC_FT_PATH_RESPONSE		= 0x1b,
	TQUIC_FT_CONNECTION_CLOSE	= 0x1c,
	TQUIC_FT_CONNECTION_CLOSE_APP	= 0x1d,
	TQUIC_FT_HANDSHAKE_DONE		= 0x1e,
	TQUIC_FT_DATAGRAM		= 0x30,	/* RFC 9221: to the end */
	TQUIC_FT_DATAGRAM_LEN		= 0x31,	/* RFC 9221: with length */
	/* multipath, final codepoints */
	TQUIC_FT_PATH_ACK		= 0x3e,
	TQUIC_FT_PATH_ACK_ECN		= 0x3f,
	TQUIC_FT_PATH_ABANDON		= 0x3e75,
	TQUIC_FT_PATH_STATUS_BACKUP	= 0x3e76,
	TQUIC_FT_PATH_STATUS_AVAILABLE	= 0x3e77,
	TQUIC_FT_PATH_NEW_CONNECTION_ID	= 0x3e78,
	TQUIC_FT_PATH_RETIRE_CONNECTION_ID = 0x3e79,
	TQUIC_FT_MAX_PATH_ID		= 0x3e7a,
	TQUIC_FT_PATHS_BLOCKED		= 0x3e7b,
	TQUIC_FT_PATH_CIDS_BLOCKED	= 0x3e7c,
};

/* STREAM frame type bits (RFC 9000 §19.8) */
#define TQUIC_STREAM_FIN	0x01
#define TQUIC_STREAM_LEN	0x02
#define TQUIC_STREAM_OFF	0x04

/* What the connection negotiated; frames of an extension not negotiated
 * are refused. */
#define TQUIC_FRAME_F_DATAGRAM	0x1	/* max_datagram_frame_size > 0 */
#define TQUIC_FRAME_F_MULTIPATH	0x2	/* initial_max_path_id both ways */

/**
 * struct tquic_frame_ack - ACK, ACK_ECN, PATH_ACK, PATH_ACK_ECN
 * @path_id: PATH_ACK(_ECN) only
 * @largest: Largest Acknowledged
 * @delay: ACK Delay as sent (not yet scaled by ack_delay_exponent)
 * @first_range: First ACK Range
 * @range_count: ACK Range Count
 * @ranges: the @range_count Gap/ACK Range Length pairs as on the wire;
 *	tquic_frame_read() has checked that none goes below packet 0. Walk
 *	them with tquic_ack_iter_*().
 * @ranges_len: bytes at @ranges
 * @ecn: ECN counts present (the _ECN types)
 * @ect0: ECT(0) count
 * @ect1: ECT(1) count
 * @ce: ECN-CE count
 */
struct tquic_frame_ack {
	u64 path_id;
	u64 largest;
	u64 delay;
	u64 first_range;
	u64 range_count;
	const u8 *ranges;
	size_t ranges_len;
	bool ecn;
	u64 ect0, ect1, ce;
};

/**
 * struct tquic_frame - one decoded frame, or one to encode
 * @type: the frame type (for STREAM, 0x08 | the OFF/LEN/FIN bits)
 *
 * The member of the union that @type selects is valid. Pointers point into
 * the packet the frame was read from (or the caller's data when writing).
 */
struct tquic_frame {
	u64 type;
	union {
		struct {
			size_t len;	/* PADDING bytes, coalesced */
		} padding;
		struct tquic_frame_ack ack;
		struct {
			u64 stream_id, error_code, final_size;
		} reset_stream;
		struct {
			u64 stream_id, error_code;
		} stop_sending;
		struct {
			u64 offset;
			const u8 *data;
			size_t len;
		} crypto;
		struct {
			const u8 *token;
			size_t len;
		} new_token;
		struct {
			u64 stream_id, offset;
			const u8 *data;
			size_t len;
			bool fin;
		} stream;
		struct {
			u64 max;	/* MAX_DATA, MAX_STREAMS_* */
		} max;
		struct {
			u64 stream_id, max;
		} max_stream_data;
		struct {
			u64 limit;	/* DATA_BLOCKED, STREAMS_BLOCKED_* */
		} blocked;
		struct {
			u64 stream_id, limit;
		} stream_data_blocked;
		struct {
			u64 path_id;	/* PATH_NEW_CONNECTION_ID only */
			u64 seq, retire_prior_to;
			u8 cid_len;
			u8 cid[TQUIC_MAX_CID_LEN];
			u8 reset_token[TQUIC_RESET_TOKEN_LEN];
		} new_cid;
		struct {
			u64 path_id;	/* PATH_RETIRE_CONNECTION_ID only */
			u64 seq;
		} retire_cid;
		struct {
			u8 data[TQUIC_PATH_DATA_LEN];
		} path_data;	/* PATH_CHALLENGE, PATH_RESPONSE */
		struct {
			u64 error_code;
			u64 frame_type;	/* CONNECTION_CLOSE (0x1c) only */
			const u8 *reason;
			size_t reason_len;
		} close;
		struct {
			const u8 *data;
			size_t len;
		} datagram;
		struct {
			u64 path_id, error_code;
		} path_abandon;
		struct {
			u64 path_id, seq;
		} path_status;	/* PATH_STATUS_BACKUP, PATH_STATUS_AVAILABLE */
		struct {
			u64 max_path_id;
		} max_path_id;	/* MAX_PATH_ID, PATHS_BLOCKED */
		struct {
			u64 path_id, next_seq;
		} path_cids_blocked;
	};
};

/**
 * struct tquic_ack_range - packets @smallest..@largest, both included
 */
struct tquic_ack_range {
	u64 smallest;
	u64 largest;
};

/**
 * struct tquic_ack_iter - walks the ranges of a decoded ACK, largest first
 */
struct tquic_ack_iter {
	struct tquic_cur c;
	u64 left;
	u64 prev_smallest;
	bool first;
	const struct tquic_frame_ack *ack;
};

bool tquic_frame_allowed(u64 type, enum tquic_pkt_type pt);
int tquic_frame_read(struct tquic_cur *c, enum tquic_pkt_type pt,
		     unsigned int flags, struct tquic_frame *f);
int tquic_frame_write(u8 *buf, size_t len, const struct tquic_frame *f);
int tquic_frame_put(u8 *buf, size_t room, size_t *used,
		    const struct tquic_frame *f);

void tquic_ack_iter_init(struct tquic_ack_iter *it,
			 const struct tquic_frame_ack *ack);
bool tquic_ack_iter_next(struct tquic_ack_iter *it, struct tquic_ack_range *r);
int tquic_ack_ranges_write(u8 *buf, size_t len,
			   const struct tquic_ack_range *r, size_t n,
			   struct tquic_frame_ack *ack);

#endif /* _TQUIC_CORE_FRAME_H */
