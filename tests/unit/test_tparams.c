// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Transport parameters: round trip of every parameter; duplicates, bad
 * lengths, out-of-range values, server-only parameters from a client and
 * truncation are all TRANSPORT_PARAMETER_ERROR (-EBADMSG).
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tparams.h"

static void fill_server(struct tquic_tparams *tp)
{
	tquic_tparams_init(tp);
	tp->present = TQUIC_TPB(TQUIC_TP_ORIGINAL_DCID) |
		      TQUIC_TPB(TQUIC_TP_MAX_IDLE_TIMEOUT) |
		      TQUIC_TPB(TQUIC_TP_STATELESS_RESET_TOKEN) |
		      TQUIC_TPB(TQUIC_TP_MAX_UDP_PAYLOAD_SIZE) |
		      TQUIC_TPB(TQUIC_TP_INITIAL_MAX_DATA) |
		      TQUIC_TPB(TQUIC_TP_INITIAL_MAX_STREAM_DATA_BIDI_LOCAL) |
		      TQUIC_TPB(TQUIC_TP_INITIAL_MAX_STREAM_DATA_BIDI_REMOTE) |
		      TQUIC_TPB(TQUIC_TP_INITIAL_MAX_STREAM_DATA_UNI) |
		      TQUIC_TPB(TQUIC_TP_INITIAL_MAX_STREAMS_BIDI) |
		      TQUIC_TPB(TQUIC_TP_INITIAL_MAX_STREAMS_UNI) |
		      TQUIC_TPB(TQUIC_TP_ACK_DELAY_EXPONENT) |
		      TQUIC_TPB(TQUIC_TP_MAX_ACK_DELAY) |
		      TQUIC_TPB(TQUIC_TP_DISABLE_ACTIVE_MIGRATION) |
		      TQUIC_TPB(TQUIC_TP_PREFERRED_ADDRESS) |
		      TQUIC_TPB(TQUIC_TP_ACTIVE_CONNECTION_ID_LIMIT) |
		      TQUIC_TPB(TQUIC_TP_INITIAL_SCID) |
		      TQUIC_TPB(TQUIC_TP_RETRY_SCID) |
		      TQUIC_TPB(TQUIC_TP_VERSION_INFORMATION) |
		      TQUIC_TPB(TQUIC_TP_MAX_DATAGRAM_FRAME_SIZE) |
		      TQUIC_TPB(TQUIC_TP_INITIAL_MAX_PATH_ID);
	tp->original_dcid_len = 8;
	memset(tp->original_dcid, 0x83, 8);
	tp->max_idle_timeout = 30000;
	memset(tp->stateless_reset_token, 0x5a, 16);
	tp->max_udp_payload_size = 1472;
	tp->initial_max_data = 1ULL << 24;
	tp->initial_max_stream_data_bidi_local = 1 << 20;
	tp->initial_max_stream_data_bidi_remote = 1 << 21;
	tp->initial_max_stream_data_uni = 1 << 19;
	tp->initial_max_streams_bidi = 1ULL << 60;
	tp->initial_max_streams_uni = 100;
	tp->ack_delay_exponent = 20;
	tp->max_ack_delay = (1 << 14) - 1;
	tp->disable_active_migration = true;
	memcpy(tp->preferred_address.ipv4, "\xc0\x00\x02\x01", 4);
	tp->preferred_address.ipv4_port = 4433;
	tp->preferred_address.ipv6[0] = 0x20;
	tp->preferred_address.ipv6_port = 4434;
	tp->preferred_address.cid_len = 4;
	memset(tp->preferred_address.cid, 0x77, 4);
	memset(tp->preferred_address.reset_token, 0x66, 16);
	tp->active_connection_id_limit = 8;
	tp->initial_scid_len = 20;
	memset(tp->initial_scid, 0x11, 20);
	tp->retry_scid_len = 0;
	tp->chosen_version = TQUIC_VERSION_2;
	tp->nversions = 2;
	tp->available_versions[0] = TQUIC_VERSION_2;
	tp->available_versions[1] = TQUIC_VERSION_1;
	tp->max_datagram_frame_size = 65535;
	tp->initial_max_path_id = TQUIC_MAX_PATH_ID;
}

static void test_roundtrip_all(void **state)
{
	struct tquic_tparams tp, got;
	u8 buf[512];
	int len;

	(void)state;
	fill_server(&tp);
	len = tquic_tparams_write(buf, sizeof(buf), true, &tp);
	assert_true(len > 0);
	assert_int_equal(tquic_tparams_read(buf, (size_t)len, true, &got), 0);
	assert_memory_equal(&tp, &got, sizeof(tp));
	/* a client must not send them: the writer refuses */
	assert_int_equal(tquic_tparams_write(buf, sizeof(buf), false, &tp), -EINVAL);
	/* and no smaller buffer holds them */
	assert_int_equal(tquic_tparams_write(buf, (size_t)len - 1, true, &tp), -ENOSPC);
}

static void test_defaults(void **state)
{
	struct tquic_tparams tp;

	(void)state;
	assert_int_equal(tquic_tparams_read(NULL, 0, true, &tp), 0);
	assert_true(tp.present == 0);
	assert_true(tp.max_udp_payload_size == 65527);
	assert_true(tp.ack_delay_exponent == 3);
	assert_true(tp.max_ack_delay == 25);
	assert_true(tp.active_connection_id_limit == 2);
	assert_true(tp.max_datagram_frame_size == 0);
}

static int rd(const u8 *b, size_t n, bool from_server)
{
	struct tquic_tparams tp;
	u8 *copy = malloc(n ? n : 1);
	int err;

	memcpy(copy, b, n);	/* exact size: ASan catches over-reads */
	err = tquic_tparams_read(copy, n, from_server, &tp);
	free(copy);
	return err;
}

static void test_rejections(void **state)
{
	static const struct {
		const char *what;
		u8 b[24];
		size_t n;
		bool from_server;
	} bad[] = {
		{ "duplicate max_idle_timeout", { 0x01, 1, 5, 0x01, 1, 6 }, 6, true },
		{ "varint longer than its length", { 0x04, 1, 0x40, 0 }, 4, true },
		{ "varint shorter than its length", { 0x04, 2, 5, 0 }, 4, true },
		{ "value past the end", { 0x04, 4, 0x80, 0 }, 4, true },
		{ "length past the end", { 0x04 }, 1, true },
		{ "max_udp_payload_size 1199", { 0x03, 2, 0x44, 0xaf }, 4, true },
		{ "ack_delay_exponent 21", { 0x0a, 1, 21 }, 3, true },
		{ "max_ack_delay 2^14", { 0x0b, 4, 0x80, 0, 0x40, 0 }, 6, true },
		{ "active_connection_id_limit 1", { 0x0e, 1, 1 }, 3, true },
		{ "initial_max_streams_bidi 2^60+1",
		  { 0x08, 8, 0xd0, 0, 0, 0, 0, 0, 0, 1 }, 10, true },
		{ "initial_max_path_id 2^32",
		  { 0x3e, 8, 0xc0, 0, 0, 1, 0, 0, 0, 0 }, 10, true },
		{ "disable_active_migration with a value", { 0x0c, 1, 0 }, 3, true },
		{ "reset token of 15 bytes", { 0x02, 15 }, 17, true },
		{ "CID of 21 bytes", { 0x0f, 21 }, 23, true },
		{ "version_information of 6 bytes", { 0x11, 6, 0, 0, 0, 1, 0, 0 }, 8, true },
		{ "version_information chosen 0", { 0x11, 4, 0, 0, 0, 0 }, 6, true },
		{ "original_dcid from a client", { 0x00, 0 }, 2, false },
		{ "stateless_reset_token from a client", { 0x02, 16 }, 18, false },
		{ "retry_scid from a client", { 0x10, 0 }, 2, false },
		{ "preferred_address from a client", { 0x0d, 0 }, 2, false },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (rd(bad[i].b, bad[i].n, bad[i].from_server) != -EBADMSG)
			fail_msg("accepted: %s", bad[i].what);
	}
}

static void test_unknown_skipped(void **state)
{
	/* a reserved parameter (31 * 1 + 27 = 58 = 0x3a), grease_quic_bit
	 * (0x2ab2), then max_idle_timeout 5 */
	static const u8 b[] = { 0x3a, 3, 1, 2, 3, 0x6a, 0xb2, 0, 0x01, 1, 5 };
	struct tquic_tparams tp;

	(void)state;
	assert_int_equal(tquic_tparams_read(b, sizeof(b), false, &tp), 0);
	assert_true(tp.max_idle_timeout == 5);
	assert_true(tp.present == TQUIC_TPB(TQUIC_TP_MAX_IDLE_TIMEOUT));
}

static void test_truncated(void **state)
{
	struct tquic_tparams tp;
	u8 buf[512];
	int len, cut, err;

	(void)state;
	fill_server(&tp);
	len = tquic_tparams_write(buf, sizeof(buf), true, &tp);
	assert_true(len > 0);
	for (cut = 0; cut < len; cut++) {
		err = rd(buf, (size_t)cut, true);
		/* a cut that happens to fall between two parameters is a
		 * valid, shorter list; any other cut is an error */
		assert_true(err == 0 || err == -EBADMSG);
	}
	/* cutting the last byte always leaves a broken parameter */
	assert_int_equal(rd(buf, (size_t)len - 1, true), -EBADMSG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip_all),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_rejections),
		cmocka_unit_test(test_unknown_skipped),
		cmocka_unit_test(test_truncated),
	};

	return cmocka_run_group_tests_name("tparams", tests, NULL, NULL);
}
