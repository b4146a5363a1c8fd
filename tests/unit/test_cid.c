// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The peer's connection IDs (RFC 9000 §5.1, §19.15, §19.16): limits,
 * Retire Prior To, repeats, conflicts, picking, stateless reset tokens.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <string.h>

#include "cid.h"

static u8 tok[16];

static int add(struct tquic_peer_cids *pc, u64 seq, u64 rpt, u8 fill)
{
	u8 cid[8];

	memset(cid, fill, sizeof(cid));
	memset(tok, fill ^ 0xff, sizeof(tok));
	return tquic_peer_cids_add(pc, seq, rpt, cid, 8, tok);
}

static void test_limit_and_repeats(void **state)
{
	struct tquic_peer_cids pc;

	(void)state;
	assert_int_equal(tquic_peer_cids_init(&pc, 1), -EINVAL);
	assert_int_equal(tquic_peer_cids_init(&pc, 4), 0);
	assert_int_equal(add(&pc, 0, 0, 0x10), 0);
	assert_int_equal(add(&pc, 1, 0, 0x11), 0);
	assert_int_equal(add(&pc, 2, 0, 0x12), 0);
	assert_int_equal(add(&pc, 3, 0, 0x13), 0);
	/* a fifth active CID is over our limit (RFC 9000 §5.1.1) */
	assert_int_equal(add(&pc, 4, 0, 0x14), -EDQUOT);
	/* the same frame again is fine */
	assert_int_equal(add(&pc, 2, 0, 0x12), 0);
	/* same sequence number, other CID: PROTOCOL_VIOLATION (§19.15) */
	assert_int_equal(add(&pc, 2, 0, 0x22), -EPROTO);
	/* same CID, other sequence number */
	assert_int_equal(add(&pc, 7, 0, 0x11), -EPROTO);
	/* Retire Prior To above the sequence number */
	assert_int_equal(add(&pc, 5, 6, 0x15), -EPROTO);
}

static void test_retire_prior_to(void **state)
{
	struct tquic_peer_cids pc;
	struct tquic_cid_entry *e;

	(void)state;
	tquic_peer_cids_init(&pc, 4);
	add(&pc, 0, 0, 0x10);
	add(&pc, 1, 0, 0x11);
	add(&pc, 2, 0, 0x12);
	/* seq 5 retiring everything below 2: 0 and 1 are owed back */
	assert_int_equal(add(&pc, 5, 2, 0x15), 0);
	assert_int_equal(pc.nretire, 2);
	assert_true(pc.retire[0] + pc.retire[1] == 1);
	/* a CID arriving already retired is retired straight back, once */
	assert_int_equal(add(&pc, 1, 0, 0x11), 0);
	assert_int_equal(pc.nretire, 2);
	/* picking: the lowest sequence number left, then the next */
	e = tquic_peer_cids_pick(&pc);
	assert_non_null(e);
	assert_true(e->seq == 2);
	e = tquic_peer_cids_pick(&pc);
	assert_true(e && e->seq == 5);
	assert_null(tquic_peer_cids_pick(&pc));
	/* retiring one we use */
	assert_int_equal(tquic_peer_cids_retire(&pc, 2), 0);
	assert_int_equal(tquic_peer_cids_retire(&pc, 2), -ENOENT);
	assert_int_equal(pc.nretire, 3);
}

static void test_too_many_retirements(void **state)
{
	struct tquic_peer_cids pc;
	u64 seq;
	int err = 0;

	(void)state;
	tquic_peer_cids_init(&pc, 2);
	/* each new CID retires the one before: the owed list grows until
	 * the peer is cut off (RFC 9000 §5.1.2) */
	for (seq = 0; seq < 2 * TQUIC_CID_RETIRE_MAX + 2 && !err; seq++)
		err = add(&pc, seq, seq, (u8)(seq + 1));
	assert_int_equal(err, -EDQUOT);
	assert_int_equal(pc.nretire, TQUIC_CID_RETIRE_MAX);
}

static void test_frame_and_reset_token(void **state)
{
	struct tquic_peer_cids pc;
	struct tquic_frame f = { .type = TQUIC_FT_PATH_NEW_CONNECTION_ID };
	u8 dgram[40];

	(void)state;
	tquic_peer_cids_init(&pc, 2);
	f.new_cid.path_id = 1;
	f.new_cid.seq = 0;
	f.new_cid.cid_len = 4;
	memset(f.new_cid.cid, 0xaa, 4);
	memset(f.new_cid.reset_token, 0x5c, 16);
	assert_int_equal(tquic_peer_cids_on_frame(&pc, &f), 0);
	memset(dgram, 0x40, sizeof(dgram));
	assert_false(tquic_peer_cids_reset_match(&pc, dgram, sizeof(dgram)));
	memset(dgram + 24, 0x5c, 16);
	assert_true(tquic_peer_cids_reset_match(&pc, dgram, sizeof(dgram)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_limit_and_repeats),
		cmocka_unit_test(test_retire_prior_to),
		cmocka_unit_test(test_too_many_retirements),
		cmocka_unit_test(test_frame_and_reset_token),
	};

	return cmocka_run_group_tests_name("cid", tests, NULL, NULL);
}
