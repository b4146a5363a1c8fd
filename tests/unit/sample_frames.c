// SPDX-License-Identifier: GPL-2.0 OR MIT
/* One frame of every type: for the frame unit test and the fuzz seeds. */

#include <stdlib.h>
#include <string.h>

#include "sample_frames.h"

const u8 tquic_sample_data[] = "tquic stream bytes";
static const u8 reason[] = "bye";

static u8 ack_ranges_buf[64];


/* One frame of every type, with fields that use several varint sizes. */
size_t tquic_sample_frames(struct tquic_frame *fs)
{
	static const struct tquic_ack_range r[] = {
		{ 1000, 1005 }, { 900, 990 }, { 10, 20 }, { 0, 0 },
	};
	struct tquic_frame_ack ack = { 0 };
	size_t n = 0;
	u64 t;

	memset(fs, 0, TQUIC_SAMPLE_NFRAMES * sizeof(*fs));
	if (tquic_ack_ranges_write(ack_ranges_buf, sizeof(ack_ranges_buf), r, 4,
				   &ack) <= 0)
		abort();
	ack.delay = 1234;

	fs[n].type = TQUIC_FT_PADDING; fs[n++].padding.len = 5;
	fs[n++].type = TQUIC_FT_PING;
	fs[n].type = TQUIC_FT_ACK; fs[n++].ack = ack;
	fs[n].type = TQUIC_FT_ACK_ECN; fs[n].ack = ack;
	fs[n].ack.ecn = true; fs[n].ack.ect0 = 7; fs[n].ack.ect1 = 70000;
	fs[n++].ack.ce = 1ULL << 40;
	fs[n].type = TQUIC_FT_RESET_STREAM;
	fs[n].reset_stream.stream_id = 4; fs[n].reset_stream.error_code = 0x101;
	fs[n++].reset_stream.final_size = 1ULL << 33;
	fs[n].type = TQUIC_FT_STOP_SENDING;
	fs[n].stop_sending.stream_id = 8; fs[n++].stop_sending.error_code = 77;
	fs[n].type = TQUIC_FT_CRYPTO; fs[n].crypto.offset = 1 << 20;
	fs[n].crypto.data = tquic_sample_data; fs[n++].crypto.len = sizeof(tquic_sample_data);
	fs[n].type = TQUIC_FT_NEW_TOKEN; fs[n].new_token.token = tquic_sample_data;
	fs[n++].new_token.len = 5;
	for (t = 0; t < 8; t++) {
		fs[n].type = TQUIC_FT_STREAM | t;
		fs[n].stream.stream_id = 1ULL << 50 | t;
		fs[n].stream.offset = (t & TQUIC_STREAM_OFF) ? 99999 : 0;
		fs[n].stream.data = tquic_sample_data;
		fs[n].stream.len = sizeof(tquic_sample_data);
		fs[n++].stream.fin = t & TQUIC_STREAM_FIN;
	}
	fs[n].type = TQUIC_FT_MAX_DATA; fs[n++].max.max = 1ULL << 61;
	fs[n].type = TQUIC_FT_MAX_STREAM_DATA; fs[n].max_stream_data.stream_id = 3;
	fs[n++].max_stream_data.max = 65536;
	fs[n].type = TQUIC_FT_MAX_STREAMS_BIDI; fs[n++].max.max = 1ULL << 60;
	fs[n].type = TQUIC_FT_MAX_STREAMS_UNI; fs[n++].max.max = 3;
	fs[n].type = TQUIC_FT_DATA_BLOCKED; fs[n++].blocked.limit = 12345678;
	fs[n].type = TQUIC_FT_STREAM_DATA_BLOCKED;
	fs[n].stream_data_blocked.stream_id = 0; fs[n++].stream_data_blocked.limit = 1;
	fs[n].type = TQUIC_FT_STREAMS_BLOCKED_BIDI; fs[n++].blocked.limit = 100;
	fs[n].type = TQUIC_FT_STREAMS_BLOCKED_UNI; fs[n++].blocked.limit = 1ULL << 60;
	fs[n].type = TQUIC_FT_NEW_CONNECTION_ID; fs[n].new_cid.seq = 5;
	fs[n].new_cid.retire_prior_to = 2; fs[n].new_cid.cid_len = 20;
	memset(fs[n].new_cid.cid, 0xab, 20);
	memset(fs[n++].new_cid.reset_token, 0xcd, 16);
	fs[n].type = TQUIC_FT_RETIRE_CONNECTION_ID; fs[n++].retire_cid.seq = 9;
	fs[n].type = TQUIC_FT_PATH_CHALLENGE;
	memcpy(fs[n++].path_data.data, "12345678", 8);
	fs[n].type = TQUIC_FT_PATH_RESPONSE;
	memcpy(fs[n++].path_data.data, "abcdefgh", 8);
	fs[n].type = TQUIC_FT_CONNECTION_CLOSE; fs[n].close.error_code = 0x0a;
	fs[n].close.frame_type = 0x3e75; fs[n].close.reason = reason;
	fs[n++].close.reason_len = 3;
	fs[n].type = TQUIC_FT_CONNECTION_CLOSE_APP; fs[n].close.error_code = 42;
	fs[n].close.reason = reason; fs[n++].close.reason_len = 0;
	fs[n++].type = TQUIC_FT_HANDSHAKE_DONE;
	fs[n].type = TQUIC_FT_DATAGRAM; fs[n].datagram.data = tquic_sample_data;
	fs[n++].datagram.len = sizeof(tquic_sample_data);
	fs[n].type = TQUIC_FT_DATAGRAM_LEN; fs[n].datagram.data = tquic_sample_data;
	fs[n++].datagram.len = 0;
	fs[n].type = TQUIC_FT_PATH_ACK; fs[n].ack = ack; fs[n++].ack.path_id = 3;
	fs[n].type = TQUIC_FT_PATH_ACK_ECN; fs[n].ack = ack;
	fs[n].ack.path_id = TQUIC_MAX_PATH_ID; fs[n].ack.ecn = true;
	fs[n++].ack.ce = 2;
	fs[n].type = TQUIC_FT_PATH_ABANDON; fs[n].path_abandon.path_id = 1;
	fs[n++].path_abandon.error_code = 0x3e76;
	fs[n].type = TQUIC_FT_PATH_STATUS_BACKUP; fs[n].path_status.path_id = 2;
	fs[n++].path_status.seq = 7;
	fs[n].type = TQUIC_FT_PATH_STATUS_AVAILABLE; fs[n].path_status.path_id = 2;
	fs[n++].path_status.seq = 8;
	fs[n].type = TQUIC_FT_PATH_NEW_CONNECTION_ID; fs[n].new_cid.path_id = 4;
	fs[n].new_cid.seq = 0; fs[n].new_cid.cid_len = 8;
	memset(fs[n].new_cid.cid, 0x11, 8);
	memset(fs[n++].new_cid.reset_token, 0x22, 16);
	fs[n].type = TQUIC_FT_PATH_RETIRE_CONNECTION_ID;
	fs[n].retire_cid.path_id = 4; fs[n++].retire_cid.seq = 1;
	fs[n].type = TQUIC_FT_MAX_PATH_ID; fs[n++].max_path_id.max_path_id = 16;
	fs[n].type = TQUIC_FT_PATHS_BLOCKED; fs[n++].max_path_id.max_path_id = 16;
	fs[n].type = TQUIC_FT_PATH_CIDS_BLOCKED; fs[n].path_cids_blocked.path_id = 5;
	fs[n++].path_cids_blocked.next_seq = 3;
	if (n > TQUIC_SAMPLE_NFRAMES)
		abort();
	return n;
}

