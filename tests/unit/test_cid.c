// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Connection IDs (RFC 9000 §5.1, §19.15, §19.16). The peer's: limits,
 * Retire Prior To, repeats, conflicts, picking, stateless reset tokens,
 * the RETIRE_CONNECTION_ID frames owed. Ours: issuing, finding, retiring,
 * the NEW_CONNECTION_ID frames owed.
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
	assert_true(pc.retire[0].seq + pc.retire[1].seq == 1);
	assert_true(tquic_peer_cids_owed(&pc));
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
	/* RFC 9000 §10.3.1: not compared while the CID is not used */
	assert_false(tquic_peer_cids_reset_match(&pc, dgram, sizeof(dgram)));
	assert_non_null(tquic_peer_cids_pick(&pc));
	assert_true(tquic_peer_cids_reset_match(&pc, dgram, sizeof(dgram)));
	/* nor once retired */
	assert_int_equal(tquic_peer_cids_retire(&pc, 0), 0);
	assert_false(tquic_peer_cids_reset_match(&pc, dgram, sizeof(dgram)));
}

/* a client's handshake CID comes without a token: nothing matches it */
static void test_no_token(void **state)
{
	struct tquic_peer_cids pc;
	u8 cid[8] = { 1 }, dgram[40] = { 0 };

	(void)state;
	tquic_peer_cids_init(&pc, 2);
	assert_int_equal(tquic_peer_cids_add(&pc, 0, 0, cid, 8, NULL), 0);
	assert_non_null(tquic_peer_cids_pick(&pc));
	assert_false(tquic_peer_cids_reset_match(&pc, dgram, sizeof(dgram)));
	/* a repeat must agree on having no token */
	assert_int_equal(tquic_peer_cids_add(&pc, 0, 0, cid, 8, tok), -EPROTO);
}

/* RETIRE_CONNECTION_ID frames are owed until a packet with them is acked */
static void test_retire_owed(void **state)
{
	struct tquic_peer_cids pc;

	(void)state;
	tquic_peer_cids_init(&pc, 2);
	add(&pc, 0, 0, 0x10);
	assert_int_equal(add(&pc, 1, 1, 0x11), 0);
	assert_int_equal(pc.nretire, 1);
	pc.retire[0].state = TQUIC_OWED_SENT;
	pc.retire[0].sent_pn = 7;
	assert_false(tquic_peer_cids_owed(&pc));
	/* another packet's fate changes nothing */
	tquic_peer_cids_on_outcome(&pc, 8, true);
	assert_int_equal(pc.nretire, 1);
	/* lost: owed again (RFC 9000 §13.3) */
	tquic_peer_cids_on_outcome(&pc, 7, false);
	assert_true(tquic_peer_cids_owed(&pc));
	pc.retire[0].state = TQUIC_OWED_SENT;
	pc.retire[0].sent_pn = 9;
	tquic_peer_cids_on_outcome(&pc, 9, true);
	assert_int_equal(pc.nretire, 0);
	assert_false(tquic_peer_cids_owed(&pc));
}

static void test_local_cids(void **state)
{
	struct tquic_local_cids lc;
	u8 cid0[8], cid[8], token[16];
	const struct tquic_local_cid *e;
	int i;

	(void)state;
	memset(cid0, 0xc0, 8);
	memset(token, 0x7e, 16);
	tquic_local_cids_init(&lc, cid0, 8);
	assert_int_equal(tquic_local_cids_count(&lc), 1);
	/* the handshake CID owes no frame */
	assert_false(tquic_local_cids_owed(&lc));
	assert_non_null(tquic_local_cids_find(&lc, cid0, 8));
	assert_null(tquic_local_cids_find(&lc, cid0, 7));
	for (i = 1; i < TQUIC_LCID_SLOTS; i++) {
		memset(cid, i, 8);
		assert_int_equal(tquic_local_cids_add(&lc, cid, 8, token), 0);
	}
	assert_true(tquic_local_cids_owed(&lc));
	memset(cid, 0x55, 8);
	assert_int_equal(tquic_local_cids_add(&lc, cid, 8, token), -ENOSPC);
	memset(cid, 1, 8);
	e = tquic_local_cids_find(&lc, cid, 8);
	assert_true(e && e->seq == 1);
	/* a draw that came back is refused */
	assert_int_equal(tquic_local_cids_retire(&lc, 2, cid0, 8), 1);
	assert_int_equal(tquic_local_cids_add(&lc, cid, 8, token), -EEXIST);
	/* RFC 9000 §19.16: never issued, or the packet's own DCID */
	assert_int_equal(tquic_local_cids_retire(&lc, 4, cid0, 8), -EPROTO);
	assert_int_equal(tquic_local_cids_retire(&lc, 0, cid0, 8), -EPROTO);
	/* a repeat of a retirement is fine, and the CID is no longer ours */
	assert_int_equal(tquic_local_cids_retire(&lc, 2, cid0, 8), 0);
	memset(cid, 2, 8);
	assert_null(tquic_local_cids_find(&lc, cid, 8));
	/* the freed slot takes the next sequence number */
	memset(cid, 0x44, 8);
	assert_int_equal(tquic_local_cids_add(&lc, cid, 8, token), 0);
	e = tquic_local_cids_find(&lc, cid, 8);
	assert_true(e && e->seq == 4);
	/* the handshake CID can be retired through another one */
	memset(cid, 1, 8);
	assert_int_equal(tquic_local_cids_retire(&lc, 0, cid, 8), 1);
	assert_null(tquic_local_cids_find(&lc, cid0, 8));
	assert_int_equal(tquic_local_cids_count(&lc), TQUIC_LCID_SLOTS - 1);
}

/* NEW_CONNECTION_ID: owed, in flight, acked; lost means owed again */
static void test_local_owed(void **state)
{
	struct tquic_local_cids lc;
	u8 cid[8] = { 9 }, token[16] = { 0 };

	(void)state;
	tquic_local_cids_init(&lc, token, 8);
	assert_int_equal(tquic_local_cids_add(&lc, cid, 8, token), 0);
	lc.e[1].state = TQUIC_OWED_SENT;
	lc.e[1].sent_pn = 3;
	assert_false(tquic_local_cids_owed(&lc));
	tquic_local_cids_on_outcome(&lc, 3, false);
	assert_true(tquic_local_cids_owed(&lc));
	lc.e[1].state = TQUIC_OWED_SENT;
	lc.e[1].sent_pn = 5;
	tquic_local_cids_on_outcome(&lc, 5, true);
	assert_int_equal(lc.e[1].state, TQUIC_OWED_ACKED);
	/* a late loss report of the earlier packet changes nothing */
	tquic_local_cids_on_outcome(&lc, 3, false);
	assert_false(tquic_local_cids_owed(&lc));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_limit_and_repeats),
		cmocka_unit_test(test_retire_prior_to),
		cmocka_unit_test(test_too_many_retirements),
		cmocka_unit_test(test_frame_and_reset_token),
		cmocka_unit_test(test_no_token),
		cmocka_unit_test(test_retire_owed),
		cmocka_unit_test(test_local_cids),
		cmocka_unit_test(test_local_owed),
	};

	return cmocka_run_group_tests_name("cid", tests, NULL, NULL);
}
