// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Frames: every type round-trips; truncated input, out-of-range fields,
 * frames in the wrong packet type and unnegotiated extensions are refused
 * with the error RFC 9000 §12.4/§19, RFC 9221 and multipath name.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "frame.h"

#define ALL_EXT (TQUIC_FRAME_F_DATAGRAM | TQUIC_FRAME_F_MULTIPATH)

#include "sample_frames.h"

/* A frame whose body runs to the end of the packet: a shorter packet is
 * still a valid (shorter) frame. */
static bool to_the_end(u64 type)
{
	return type == TQUIC_FT_PADDING || type == TQUIC_FT_DATAGRAM ||
	       ((type & ~7ULL) == TQUIC_FT_STREAM && !(type & TQUIC_STREAM_LEN));
}

static void test_roundtrip_every_frame(void **state)
{
	struct tquic_frame fs[TQUIC_SAMPLE_NFRAMES], g;
	size_t n = tquic_sample_frames(fs), i;
	u8 buf[256], buf2[256];

	(void)state;
	assert_true(n >= 40);
	for (i = 0; i < n; i++) {
		struct tquic_cur c;
		int len, len2;

		len = tquic_frame_write(buf, sizeof(buf), &fs[i]);
		if (len <= 0)
			fail_msg("frame type 0x%llx: write %d", (unsigned long long)fs[i].type, len);
		tquic_cur_init(&c, buf, (size_t)len);
		assert_int_equal(tquic_frame_read(&c, TQUIC_PKT_1RTT, ALL_EXT, &g), 0);
		assert_int_equal(tquic_cur_left(&c), 0);
		assert_true(g.type == fs[i].type);
		/* re-encoding what was read gives the same bytes */
		len2 = tquic_frame_write(buf2, sizeof(buf2), &g);
		assert_int_equal(len2, len);
		assert_memory_equal(buf, buf2, (size_t)len);
		/* and no shorter buffer is enough to write it */
		assert_int_equal(tquic_frame_write(buf2, (size_t)len - 1, &fs[i]), -ENOSPC);
	}
}

static void test_fields_survive(void **state)
{
	struct tquic_frame fs[TQUIC_SAMPLE_NFRAMES], g;
	size_t n = tquic_sample_frames(fs), i;
	u8 buf[256];

	(void)state;
	for (i = 0; i < n; i++) {
		struct tquic_cur c;
		int len = tquic_frame_write(buf, sizeof(buf), &fs[i]);

		tquic_cur_init(&c, buf, (size_t)len);
		assert_int_equal(tquic_frame_read(&c, TQUIC_PKT_1RTT, ALL_EXT, &g), 0);
		switch (g.type) {
		case TQUIC_FT_STREAM ... TQUIC_FT_STREAM + 7:
			assert_true(g.stream.stream_id == fs[i].stream.stream_id);
			assert_true(g.stream.offset == fs[i].stream.offset);
			assert_int_equal(g.stream.fin, fs[i].stream.fin);
			assert_int_equal(g.stream.len, fs[i].stream.len);
			assert_memory_equal(g.stream.data, tquic_sample_data, g.stream.len);
			break;
		case TQUIC_FT_NEW_CONNECTION_ID:
		case TQUIC_FT_PATH_NEW_CONNECTION_ID:
			assert_true(g.new_cid.path_id == fs[i].new_cid.path_id);
			assert_int_equal(g.new_cid.cid_len, fs[i].new_cid.cid_len);
			assert_memory_equal(g.new_cid.cid, fs[i].new_cid.cid, g.new_cid.cid_len);
			assert_memory_equal(g.new_cid.reset_token, fs[i].new_cid.reset_token, 16);
			break;
		case TQUIC_FT_ACK_ECN:
			assert_true(g.ack.ce == 1ULL << 40 && g.ack.ect1 == 70000);
			break;
		case TQUIC_FT_PADDING:
			assert_int_equal(g.padding.len, 5);
			break;
		case TQUIC_FT_CONNECTION_CLOSE:
			assert_true(g.close.frame_type == 0x3e75);
			assert_memory_equal(g.close.reason, "bye", 3);
			break;
		}
	}
}

static void test_ack_ranges_iterate(void **state)
{
	static const struct tquic_ack_range r[] = {
		{ 1000, 1005 }, { 900, 990 }, { 10, 20 }, { 0, 0 },
	};
	struct tquic_frame_ack ack = { 0 };
	struct tquic_ack_iter it;
	struct tquic_ack_range got;
	u8 buf[64];
	size_t i = 0;

	(void)state;
	assert_true(tquic_ack_ranges_write(buf, sizeof(buf), r, 4, &ack) > 0);
	assert_true(ack.range_count == 3);
	tquic_ack_iter_init(&it, &ack);
	while (tquic_ack_iter_next(&it, &got)) {
		assert_true(i < 4);
		assert_true(got.smallest == r[i].smallest);
		assert_true(got.largest == r[i].largest);
		i++;
	}
	assert_int_equal(i, 4);

	/* overlapping or adjacent ranges cannot be encoded */
	{
		static const struct tquic_ack_range bad[] = { { 10, 20 }, { 5, 9 } };
		assert_int_equal(tquic_ack_ranges_write(buf, sizeof(buf), bad, 2, &ack),
				 -EINVAL);
	}
}

/* RFC 9000 §19.3.1: ranges that would reach below packet 0 */
static void test_ack_below_zero(void **state)
{
	/* ACK largest 5, delay 0, 0 ranges, first range 6 */
	static const u8 a1[] = { 0x02, 5, 0, 0, 6 };
	/* ACK largest 5, delay 0, 1 range, first 0, gap 4 (largest would be -1) */
	static const u8 a2[] = { 0x02, 5, 0, 1, 0, 4, 0 };
	/* ... gap 3 gives largest 0, length 1 would reach -1 */
	static const u8 a3[] = { 0x02, 5, 0, 1, 0, 3, 1 };
	/* ... gap 3, length 0: packet 0 alone, fine */
	static const u8 ok[] = { 0x02, 5, 0, 1, 0, 3, 0 };
	struct tquic_frame f;
	struct tquic_cur c;

	(void)state;
	tquic_cur_init(&c, a1, sizeof(a1));
	assert_int_equal(tquic_frame_read(&c, TQUIC_PKT_1RTT, 0, &f), -EBADMSG);
	tquic_cur_init(&c, a2, sizeof(a2));
	assert_int_equal(tquic_frame_read(&c, TQUIC_PKT_1RTT, 0, &f), -EBADMSG);
	tquic_cur_init(&c, a3, sizeof(a3));
	assert_int_equal(tquic_frame_read(&c, TQUIC_PKT_1RTT, 0, &f), -EBADMSG);
	tquic_cur_init(&c, ok, sizeof(ok));
	assert_int_equal(tquic_frame_read(&c, TQUIC_PKT_1RTT, 0, &f), 0);
}

/* Every proper prefix of a frame is refused (except frames that run to the
 * end of the packet), with the cursor left in place. Buffers are malloc()ed
 * to the prefix's exact size so that ASan sees any read past them. */
static void test_truncated(void **state)
{
	struct tquic_frame fs[TQUIC_SAMPLE_NFRAMES], g;
	size_t n = tquic_sample_frames(fs), i, cut;
	u8 buf[256];

	(void)state;
	for (i = 0; i < n; i++) {
		int len = tquic_frame_write(buf, sizeof(buf), &fs[i]);

		assert_true(len > 0);
		if (to_the_end(fs[i].type))
			continue;
		for (cut = 0; cut < (size_t)len; cut++) {
			u8 *b = malloc(cut ? cut : 1);
			struct tquic_cur c;

			memcpy(b, buf, cut);
			tquic_cur_init(&c, b, cut);
			assert_int_equal(tquic_frame_read(&c, TQUIC_PKT_1RTT, ALL_EXT, &g),
					 -EBADMSG);
			assert_ptr_equal(c.p, b);
			free(b);
		}
	}
}

/* RFC 9000 §12.4 Table 3 and the extensions: where each frame may go. */
static void test_packet_type_rules(void **state)
{
	static const struct { u64 type; const char *allowed; } rules[] = {
		/* I 0 H 1 */
		{ TQUIC_FT_PADDING, "I0H1" }, { TQUIC_FT_PING, "I0H1" },
		{ TQUIC_FT_ACK, "I_H1" }, { TQUIC_FT_ACK_ECN, "I_H1" },
		{ TQUIC_FT_RESET_STREAM, "_0_1" }, { TQUIC_FT_STOP_SENDING, "_0_1" },
		{ TQUIC_FT_CRYPTO, "I_H1" }, { TQUIC_FT_NEW_TOKEN, "___1" },
		{ TQUIC_FT_STREAM, "_0_1" }, { TQUIC_FT_STREAM + 7, "_0_1" },
		{ TQUIC_FT_MAX_DATA, "_0_1" }, { TQUIC_FT_MAX_STREAM_DATA, "_0_1" },
		{ TQUIC_FT_MAX_STREAMS_BIDI, "_0_1" }, { TQUIC_FT_MAX_STREAMS_UNI, "_0_1" },
		{ TQUIC_FT_DATA_BLOCKED, "_0_1" }, { TQUIC_FT_STREAM_DATA_BLOCKED, "_0_1" },
		{ TQUIC_FT_STREAMS_BLOCKED_BIDI, "_0_1" },
		{ TQUIC_FT_STREAMS_BLOCKED_UNI, "_0_1" },
		{ TQUIC_FT_NEW_CONNECTION_ID, "_0_1" },
		{ TQUIC_FT_RETIRE_CONNECTION_ID, "___1" },
		{ TQUIC_FT_PATH_CHALLENGE, "_0_1" }, { TQUIC_FT_PATH_RESPONSE, "___1" },
		{ TQUIC_FT_CONNECTION_CLOSE, "I0H1" },
		{ TQUIC_FT_CONNECTION_CLOSE_APP, "_0_1" },
		{ TQUIC_FT_HANDSHAKE_DONE, "___1" },
		{ TQUIC_FT_DATAGRAM, "_0_1" }, { TQUIC_FT_DATAGRAM_LEN, "_0_1" },
		{ TQUIC_FT_PATH_ACK, "___1" }, { TQUIC_FT_PATH_ACK_ECN, "___1" },
		{ TQUIC_FT_PATH_ABANDON, "___1" }, { TQUIC_FT_PATH_STATUS_BACKUP, "___1" },
		{ TQUIC_FT_PATH_STATUS_AVAILABLE, "___1" },
		{ TQUIC_FT_PATH_NEW_CONNECTION_ID, "___1" },
		{ TQUIC_FT_PATH_RETIRE_CONNECTION_ID, "___1" },
		{ TQUIC_FT_MAX_PATH_ID, "___1" }, { TQUIC_FT_PATHS_BLOCKED, "___1" },
		{ TQUIC_FT_PATH_CIDS_BLOCKED, "___1" },
	};
	static const enum tquic_pkt_type pts[] = {
		TQUIC_PKT_INITIAL, TQUIC_PKT_0RTT, TQUIC_PKT_HANDSHAKE, TQUIC_PKT_1RTT,
	};
	struct tquic_frame fs[TQUIC_SAMPLE_NFRAMES], g;
	size_t n = tquic_sample_frames(fs), i, j, k;
	u8 buf[256];

	(void)state;
	for (i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
		for (k = 0; k < 4; k++)
			assert_int_equal(tquic_frame_allowed(rules[i].type, pts[k]),
					 rules[i].allowed[k] != '_');

	/* and the decoder enforces it with PROTOCOL_VIOLATION */
	for (i = 0; i < n; i++) {
		int len = tquic_frame_write(buf, sizeof(buf), &fs[i]);

		for (k = 0; k < 4; k++) {
			struct tquic_cur c;
			int err;

			tquic_cur_init(&c, buf, (size_t)len);
			err = tquic_frame_read(&c, pts[k], ALL_EXT, &g);
			for (j = 0; j < sizeof(rules) / sizeof(rules[0]); j++)
				if (rules[j].type == fs[i].type)
					break;
			if (j == sizeof(rules) / sizeof(rules[0]))
				assert_true((fs[i].type & ~7ULL) == TQUIC_FT_STREAM);
			if (tquic_frame_allowed(fs[i].type, pts[k])) {
				assert_int_equal(err, 0);
			} else {
				assert_int_equal(err, -EPROTO);
				assert_true(tquic_frame_err_to_quic(err) ==
					    TQUIC_PROTOCOL_VIOLATION);
			}
		}
	}
}

static int read1(const u8 *b, size_t n, unsigned int flags)
{
	struct tquic_frame f;
	struct tquic_cur c;

	tquic_cur_init(&c, b, n);
	return tquic_frame_read(&c, TQUIC_PKT_1RTT, flags, &f);
}

static void test_unnegotiated_extensions(void **state)
{
	static const u8 dg[] = { 0x30, 'x' };
	static const u8 mp[] = { 0x7e, 0x7a, 0x05 }; /* MAX_PATH_ID 5 */
	static const u8 pack[] = { 0x3e, 0x01, 0x00, 0x00, 0x00, 0x00 };

	(void)state;
	/* RFC 9221 §4 */
	assert_int_equal(read1(dg, sizeof(dg), 0), -EPROTO);
	assert_int_equal(read1(dg, sizeof(dg), TQUIC_FRAME_F_DATAGRAM), 0);
	/* multipath frames need multipath */
	assert_int_equal(read1(mp, sizeof(mp), TQUIC_FRAME_F_DATAGRAM), -EPROTO);
	assert_int_equal(read1(mp, sizeof(mp), TQUIC_FRAME_F_MULTIPATH), 0);
	assert_int_equal(read1(pack, sizeof(pack), 0), -EPROTO);
	assert_int_equal(read1(pack, sizeof(pack), TQUIC_FRAME_F_MULTIPATH), 0);
}

static void test_field_ranges(void **state)
{
	/* unknown frame type: FRAME_ENCODING_ERROR (RFC 9000 §12.4) */
	static const u8 unknown[] = { 0x1f };
	static const u8 unknown2[] = { 0x40, 0x40 };	/* 0x40 */
	/* frame type not in shortest form: PING as 2 bytes */
	static const u8 long_ping[] = { 0x40, 0x01 };
	/* MAX_STREAMS 2^60 + 1 */
	static const u8 ms[] = { 0x12, 0xd0, 0, 0, 0, 0, 0, 0, 0x01 };
	/* STREAMS_BLOCKED 2^60 + 1 */
	static const u8 sb[] = { 0x17, 0xd0, 0, 0, 0, 0, 0, 0, 0x01 };
	/* NEW_CONNECTION_ID with length 0, then 21 */
	static const u8 ncid0[] = { 0x18, 1, 0, 0 };
	static const u8 ncid21[] = { 0x18, 1, 0, 21 };
	/* NEW_CONNECTION_ID retire_prior_to 2 > seq 1 */
	static const u8 ncidrpt[] = { 0x18, 1, 2, 1, 0xaa,
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
	/* NEW_TOKEN empty */
	static const u8 nt[] = { 0x07, 0 };
	/* STREAM offset 2^62-1 with 1 byte of data: beyond the final offset */
	static const u8 so[] = { 0x0c, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 'x' };
	/* CRYPTO the same */
	static const u8 co[] = { 0x06, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1, 'x' };
	/* MAX_PATH_ID 2^32 */
	static const u8 mpid[] = { 0x7e, 0x7a, 0xc0, 0, 0, 1, 0, 0, 0, 0 };
	/* PATH_ABANDON path 2^32 */
	static const u8 pab[] = { 0x7e, 0x75, 0xc0, 0, 0, 1, 0, 0, 0, 0, 0 };
	/* CRYPTO with a length longer than the packet */
	static const u8 clen[] = { 0x06, 0, 0x10, 'a', 'b' };

	(void)state;
	assert_int_equal(read1(unknown, sizeof(unknown), ALL_EXT), -EBADMSG);
	assert_int_equal(read1(unknown2, sizeof(unknown2), ALL_EXT), -EBADMSG);
	assert_int_equal(read1(long_ping, sizeof(long_ping), ALL_EXT), -EPROTO);
	assert_int_equal(read1(ms, sizeof(ms), ALL_EXT), -EBADMSG);
	assert_int_equal(read1(sb, sizeof(sb), ALL_EXT), -EBADMSG);
	assert_int_equal(read1(ncid0, sizeof(ncid0), ALL_EXT), -EBADMSG);
	assert_int_equal(read1(ncid21, sizeof(ncid21), ALL_EXT), -EBADMSG);
	assert_int_equal(read1(ncidrpt, sizeof(ncidrpt), ALL_EXT), -EBADMSG);
	assert_int_equal(read1(nt, sizeof(nt), ALL_EXT), -EBADMSG);
	assert_int_equal(read1(so, sizeof(so), ALL_EXT), -EBADMSG);
	assert_int_equal(read1(co, sizeof(co), ALL_EXT), -EBADMSG);
	assert_int_equal(read1(mpid, sizeof(mpid), ALL_EXT), -EPROTO);
	assert_int_equal(read1(pab, sizeof(pab), ALL_EXT), -EPROTO);
	assert_int_equal(read1(clen, sizeof(clen), ALL_EXT), -EBADMSG);
	assert_true(tquic_frame_err_to_quic(-EBADMSG) == TQUIC_FRAME_ENCODING_ERROR);
}

static void test_write_refuses_invalid(void **state)
{
	struct tquic_frame f = { 0 };
	u8 buf[64];

	(void)state;
	f.type = TQUIC_FT_NEW_TOKEN;	/* empty token */
	assert_int_equal(tquic_frame_write(buf, sizeof(buf), &f), -EINVAL);
	f.type = TQUIC_FT_NEW_CONNECTION_ID;
	f.new_cid.cid_len = 21;
	assert_int_equal(tquic_frame_write(buf, sizeof(buf), &f), -EINVAL);
	f.type = TQUIC_FT_MAX_PATH_ID;
	f.max_path_id.max_path_id = TQUIC_MAX_PATH_ID + 1;
	assert_int_equal(tquic_frame_write(buf, sizeof(buf), &f), -ERANGE);
	f.type = 0x1f;
	assert_int_equal(tquic_frame_write(buf, sizeof(buf), &f), -EINVAL);
	f.type = TQUIC_FT_MAX_DATA;
	f.max.max = TQUIC_VARINT_MAX + 1;
	assert_int_equal(tquic_frame_write(buf, sizeof(buf), &f), -ERANGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip_every_frame),
		cmocka_unit_test(test_fields_survive),
		cmocka_unit_test(test_ack_ranges_iterate),
		cmocka_unit_test(test_ack_below_zero),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_packet_type_rules),
		cmocka_unit_test(test_unnegotiated_extensions),
		cmocka_unit_test(test_field_ranges),
		cmocka_unit_test(test_write_refuses_invalid),
	};

	return cmocka_run_group_tests_name("frame", tests, NULL, NULL);
}
