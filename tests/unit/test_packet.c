// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Headers and packet protection together: packets written, protected,
 * parsed and unprotected come back whole, in v1 and v2 and on several
 * paths; malformed headers are dropped; a wrong key, the wrong path or one
 * flipped bit fails authentication and leaves the header as it arrived.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "header.h"
#include "crypto.h"
#include "keys.h"
#include "protect.h"
#include "retry.h"

static const u8 dcid[8] = { 0x83, 0x94, 0xc8, 0xf0, 0x3e, 0x51, 0x57, 0x08 };
static const u8 scid[5] = { 9, 8, 7, 6, 5 };

static void keys_for(struct tquic_keys *k, u32 version, bool server)
{
	u8 s[2][32];

	assert_int_equal(tquic_initial_secrets(version, dcid, 8, s[0], s[1]), 0);
	assert_int_equal(tquic_keys_install(k, version, TQUIC_AES_128_GCM,
					    s[server], 32), 0);
}

static void test_long_roundtrip(void **state)
{
	static const u32 versions[] = { TQUIC_VERSION_1, TQUIC_VERSION_2 };
	static const enum tquic_hdr_kind kinds[] = {
		TQUIC_HDR_INITIAL, TQUIC_HDR_0RTT, TQUIC_HDR_HANDSHAKE,
	};
	size_t v, i, pn_len;

	(void)state;
	for (v = 0; v < 2; v++)
		for (i = 0; i < 3; i++)
			for (pn_len = 1; pn_len <= 4; pn_len++) {
				u8 *b = calloc(1, 1500), payload[100];
				struct tquic_keys k;
				struct tquic_hdr h;
				u64 pn = 0x1234567 & ((1ULL << (8 * pn_len)) - 1);
				size_t hl;
				u64 got;
				int n, len;

				memset(payload, 0xa5, sizeof(payload));
				keys_for(&k, versions[v], false);
				n = tquic_long_hdr_write(b, 1500, versions[v], kinds[i],
							 dcid, 8, scid, 5,
							 kinds[i] == TQUIC_HDR_INITIAL ?
							 (const u8 *)"tok" : NULL,
							 kinds[i] == TQUIC_HDR_INITIAL ? 3 : 0,
							 pn, pn_len, sizeof(payload));
				assert_true(n > 0);
				memcpy(b + n, payload, sizeof(payload));
				len = tquic_packet_protect(&k, 0, b, (size_t)n, pn_len,
							   sizeof(payload), pn);
				assert_int_equal(len, n + 100 + 16);

				assert_int_equal(tquic_hdr_parse(b, (size_t)len, 0, &h), 0);
				assert_int_equal(h.kind, kinds[i]);
				assert_true(h.version == versions[v]);
				assert_int_equal(h.len, (size_t)len);
				assert_int_equal(h.dcid_len, 8);
				assert_memory_equal(h.scid, scid, 5);
				assert_int_equal(h.token_len,
						 kinds[i] == TQUIC_HDR_INITIAL ? 3 : 0);
				assert_int_equal(tquic_packet_unprotect(&k, 0, b, h.len,
							h.pn_offset, pn - 1, pn == 0,
							&got, &hl), 0);
				assert_true(got == pn);
				assert_int_equal(hl, (size_t)n);
				assert_memory_equal(b + hl, payload, sizeof(payload));
				tquic_keys_destroy(&k);
				free(b);
			}
}

/* Multipath: the same packet number on another path is another nonce. */
static void test_paths_and_tamper(void **state)
{
	u8 *b = calloc(1, 256), *copy = calloc(1, 256);
	struct tquic_keys k, other;
	size_t hl, i;
	u64 got;
	int n, len;

	(void)state;
	keys_for(&k, TQUIC_VERSION_1, false);
	keys_for(&other, TQUIC_VERSION_1, true);
	n = tquic_short_hdr_write(b, 256, dcid, 8, true, false, 1000, 2);
	memset(b + n, 0x11, 40);
	len = tquic_packet_protect(&k, 7, b, (size_t)n, 2, 40, 1000);
	assert_true(len > 0);
	memcpy(copy, b, (size_t)len);

	/* wrong path, wrong keys: refused, header untouched */
	assert_int_equal(tquic_packet_unprotect(&k, 6, b, (size_t)len, 9, 999,
						false, &got, &hl), -EBADMSG);
	assert_memory_equal(b, copy, (size_t)n);
	assert_int_equal(tquic_packet_unprotect(&other, 7, b, (size_t)len, 9,
						999, false, &got, &hl), -EBADMSG);
	assert_memory_equal(b, copy, (size_t)n);

	/* any flipped bit is caught */
	for (i = 0; i < (size_t)len; i += 7) {
		memcpy(b, copy, (size_t)len);
		b[i] ^= 0x08;
		assert_int_not_equal(tquic_packet_unprotect(&k, 7, b, (size_t)len, 9,
							    999, false, &got, &hl), 0);
	}
	/* and the right path opens it: key phase bit visible afterwards */
	memcpy(b, copy, (size_t)len);
	assert_int_equal(tquic_packet_unprotect(&k, 7, b, (size_t)len, 9, 999,
						false, &got, &hl), 0);
	assert_true(got == 1000);
	assert_true(b[0] & 0x04);

	/* too short to take a header protection sample */
	assert_int_equal(tquic_packet_unprotect(&k, 7, b, 9 + 4 + 15, 9, 0, true,
						&got, &hl), -EBADMSG);
	tquic_keys_destroy(&k);
	tquic_keys_destroy(&other);
	free(b);
	free(copy);
}

static void test_key_update_roundtrip(void **state)
{
	u8 *b = calloc(1, 256), *copy = calloc(1, 256);
	struct tquic_keys k, next;
	size_t hl;
	u64 got;
	int n, len;

	(void)state;
	keys_for(&k, TQUIC_VERSION_2, true);
	assert_int_equal(tquic_keys_next(&next, &k), 0);
	assert_memory_not_equal(next.secret, k.secret, 32);
	n = tquic_short_hdr_write(b, 256, dcid, 8, true, false, 5, 1);
	memset(b + n, 0x22, 30);
	len = tquic_packet_protect(&next, 0, b, (size_t)n, 1, 30, 5);
	memcpy(copy, b, (size_t)len);
	assert_int_equal(tquic_packet_unprotect(&k, 0, b, (size_t)len, 9, 4, false,
						&got, &hl), -EBADMSG);
	/* a failed open may have overwritten the ciphertext: trial
	 * decryption works on a copy (crypto.h) */
	memcpy(b, copy, (size_t)len);
	assert_int_equal(tquic_packet_unprotect(&next, 0, b, (size_t)len, 9, 4,
						false, &got, &hl), 0);
	tquic_keys_destroy(&next);	/* leaves k's header protection */
	tquic_keys_destroy(&k);
	free(b);
	free(copy);
}

static void test_bad_headers(void **state)
{
	u8 b[64];
	struct tquic_hdr h;
	int n;

	(void)state;
	n = tquic_long_hdr_write(b, sizeof(b), TQUIC_VERSION_1, TQUIC_HDR_HANDSHAKE,
				 dcid, 8, scid, 5, NULL, 0, 1, 1, 20);
	assert_true(n > 0);
	/* Length says 37 bytes follow; the datagram is shorter */
	assert_int_equal(tquic_hdr_parse(b, (size_t)n + 10, 0, &h), -EBADMSG);
	/* fixed bit clear */
	b[0] &= (u8)~0x40;
	assert_int_equal(tquic_hdr_parse(b, sizeof(b), 0, &h), -EBADMSG);
	b[0] |= 0x40;
	/* a DCID of 21 bytes in v1 */
	b[5] = 21;
	assert_int_equal(tquic_hdr_parse(b, sizeof(b), 0, &h), -EBADMSG);
	/* every truncation of the header is refused */
	b[5] = 8;
	for (n = 0; n < 1 + 4 + 1 + 8 + 1 + 5 + 1; n++)
		assert_int_equal(tquic_hdr_parse(b, (size_t)n, 0, &h), -EBADMSG);
	/* short header shorter than our CID length; fixed bit clear */
	b[0] = 0x40;
	assert_int_equal(tquic_hdr_parse(b, 5, 8, &h), -EBADMSG);
	b[0] = 0x00;
	assert_int_equal(tquic_hdr_parse(b, sizeof(b), 8, &h), -EBADMSG);
	/* writers refuse what must not be sent */
	assert_int_equal(tquic_long_hdr_write(b, sizeof(b), 7, TQUIC_HDR_INITIAL,
					      dcid, 8, scid, 5, NULL, 0, 0, 1, 1),
			 -EINVAL);
	assert_int_equal(tquic_short_hdr_write(b, sizeof(b), dcid, 21, false,
					       false, 0, 1), -EINVAL);
}

static void test_unknown_version_and_vn(void **state)
{
	static const u32 ours[] = { TQUIC_VERSION_1, TQUIC_VERSION_2 };
	u8 b[300], vn[300];
	struct tquic_hdr h;
	int n;

	(void)state;
	/* an unknown version: CIDs up to 255 bytes are still read (RFC 8999) */
	memset(b, 0, sizeof(b));
	b[0] = 0xc0;
	b[1] = 0x1a; b[2] = 0x2a; b[3] = 0x3a; b[4] = 0x4a;
	b[5] = 30;
	b[36] = 4;
	assert_int_equal(tquic_hdr_parse(b, 100, 0, &h), -EPROTONOSUPPORT);
	assert_true(h.version == 0x1a2a3a4a);
	assert_int_equal(h.dcid_len, 30);
	assert_int_equal(h.scid_len, 4);

	n = tquic_vn_write(vn, sizeof(vn), h.scid, h.scid_len, h.dcid, h.dcid_len,
			   ours, 2, 0x55);
	assert_true(n > 0);
	memcpy(b, vn, (size_t)n);
	assert_int_equal(tquic_hdr_parse(b, (size_t)n, 0, &h), 0);
	assert_int_equal(h.kind, TQUIC_HDR_VN);
	assert_int_equal(h.nversions, 2);
	assert_int_equal(h.dcid_len, 4);
	/* a version list that is not a multiple of 4 */
	assert_int_equal(tquic_hdr_parse(b, (size_t)n - 1, 0, &h), -EBADMSG);
}

static void test_retry_and_reset(void **state)
{
	u8 b[64], token[16], key[32] = { 1 };
	struct tquic_hdr h;
	size_t len = 1 + 4 + 1 + 0 + 1 + 8;

	(void)state;
	b[0] = 0xf0;
	b[1] = 0; b[2] = 0; b[3] = 0; b[4] = 1;
	b[5] = 0;
	b[6] = 8;
	memcpy(b + 7, dcid, 8);
	memcpy(b + len, "tok", 3);
	len += 3;
	assert_int_equal(tquic_retry_tag(TQUIC_VERSION_1, scid, 5, b, len, b + len), 0);
	assert_int_equal(tquic_hdr_parse(b, len + 16, 0, &h), 0);
	assert_int_equal(h.kind, TQUIC_HDR_RETRY);
	assert_int_equal(h.token_len, 3);
	assert_int_equal(tquic_retry_verify(TQUIC_VERSION_1, scid, 5, b, len + 16), 0);
	/* another original DCID: the tag does not match */
	assert_int_equal(tquic_retry_verify(TQUIC_VERSION_1, dcid, 8, b, len + 16),
			 -EBADMSG);

	assert_int_equal(tquic_reset_token(key, sizeof(key), dcid, 8, token), 0);
	memset(b, 0x41, sizeof(b));
	memcpy(b + 40, token, 16);
	assert_true(tquic_reset_token_match(b, 56, token));
	assert_false(tquic_reset_token_match(b, 55, token));
	assert_false(tquic_reset_token_match(b + 36, 20, token));	/* < 21 bytes */
}

/* RFC 9000 §10.3, §10.3.3: a reset is a short header, smaller than its
 * trigger, at least 21 bytes, and ends with the token */
static void test_reset_build(void **state)
{
	u8 b[TQUIC_RESET_MAX_LEN], token[16];
	size_t trig, n, seen_min = 100, seen_max = 0;
	unsigned int r;

	(void)state;
	memset(token, 0xe7, sizeof(token));
	assert_int_equal(tquic_reset_build(b, sizeof(b), 21, token), 0);
	assert_int_equal(tquic_reset_build(b, sizeof(b) - 1, 1200, token), 0);
	for (trig = 22; trig <= 1500; trig++) {
		for (r = 0; r < 256; r += 17) {
			memset(b, (int)r, sizeof(b));
			n = tquic_reset_build(b, sizeof(b), trig, token);
			assert_true(n >= TQUIC_RESET_MIN_LEN && n < trig);
			assert_true(n <= TQUIC_RESET_MAX_LEN);
			if (trig <= 44)
				assert_int_equal(n, trig - 1);
			assert_int_equal(b[0] & 0xc0, 0x40);
			assert_true(tquic_reset_token_match(b, n, token));
			if (trig > 100) {
				seen_min = n < seen_min ? n : seen_min;
				seen_max = n > seen_max ? n : seen_max;
			}
		}
	}
	/* past 43 bytes the length varies with the random bytes */
	assert_int_equal(seen_min, 43);
	assert_int_equal(seen_max, 58);
}

/* Retry packets we write parse back; tokens bind address, CID and time */
static void test_retry_token(void **state)
{
	static const u8 key[16] = { 7, 7, 7 }, nonce[12] = { 1, 2, 3 };
	static const u8 addr[4] = { 198, 51, 100, 2 }, addr2[4] = { 198, 51, 100, 3 };
	static const u8 rscid[8] = { 0xaa, 0xbb, 0xcc, 0xdd, 1, 2, 3, 4 };
	struct tquic_aead *a = tquic_aead_alloc(TQUIC_AES_128_GCM, key);
	struct tquic_aead *other = tquic_aead_alloc(TQUIC_AES_128_GCM, nonce);
	u8 tok[TQUIC_RETRY_TOKEN_MAX], pkt[256], od[TQUIC_MAX_CID_LEN], odl = 0;
	const u64 t0 = 5000000, life = 10000;
	struct tquic_hdr h;
	int n, len;

	(void)state;
	assert_non_null(a);
	assert_non_null(other);
	n = tquic_retry_token_seal(a, nonce, t0, addr, 4, rscid, 8, dcid, 8, tok,
				   sizeof(tok));
	assert_true(n > 0 && n <= TQUIC_RETRY_TOKEN_MAX);
	assert_true(tquic_retry_token_is_ours(tok, (size_t)n));

	/* a Retry carrying it, for the client's SCID, parses with its tag */
	/* 1 + 4 + 1 + 5 + 1 + 8 header bytes, the token, the tag: one short */
	assert_int_equal(tquic_retry_build(pkt, 20 + (size_t)n + 15,
					   TQUIC_VERSION_2, scid, 5, rscid, 8,
					   tok, (size_t)n, dcid, 8), -ENOSPC);
	len = tquic_retry_build(pkt, sizeof(pkt), TQUIC_VERSION_2, scid, 5,
				rscid, 8, tok, (size_t)n, dcid, 8);
	assert_int_equal(len, 20 + n + 16);
	assert_int_equal(tquic_hdr_parse(pkt, (size_t)len, 0, &h), 0);
	assert_int_equal(h.kind, TQUIC_HDR_RETRY);
	assert_int_equal(h.version, TQUIC_VERSION_2);
	assert_int_equal(h.token_len, n);
	assert_memory_equal(h.token, tok, n);
	assert_memory_equal(h.scid, rscid, 8);
	assert_int_equal(tquic_retry_verify(TQUIC_VERSION_2, dcid, 8, pkt,
					    (size_t)len), 0);

	/* from the same address, with the CID the Retry gave: the ODCID */
	assert_int_equal(tquic_retry_token_open(a, t0 + life, life, addr, 4,
						rscid, 8, tok, (size_t)n, od,
						&odl), 0);
	assert_int_equal(odl, 8);
	assert_memory_equal(od, dcid, 8);
	/* too late, another address, another CID, another key */
	assert_int_equal(tquic_retry_token_open(a, t0 + life + 1, life, addr, 4,
						rscid, 8, tok, (size_t)n, od,
						&odl), -ETIMEDOUT);
	assert_int_equal(tquic_retry_token_open(a, t0, life, addr2, 4, rscid, 8,
						tok, (size_t)n, od, &odl),
			 -EBADMSG);
	assert_int_equal(tquic_retry_token_open(a, t0, life, addr, 4, rscid, 7,
						tok, (size_t)n, od, &odl),
			 -EBADMSG);
	assert_int_equal(tquic_retry_token_open(other, t0, life, addr, 4, rscid,
						8, tok, (size_t)n, od, &odl),
			 -EBADMSG);
	/* every flipped bit and every truncation is refused */
	for (len = 0; len < n * 8; len++) {
		tok[len / 8] ^= (u8)(1 << (len % 8));
		assert_int_not_equal(tquic_retry_token_open(a, t0, life, addr, 4,
							    rscid, 8, tok,
							    (size_t)n, od,
							    &odl), 0);
		tok[len / 8] ^= (u8)(1 << (len % 8));
	}
	for (len = 0; len < n; len++)
		assert_int_equal(tquic_retry_token_open(a, t0, life, addr, 4,
							rscid, 8, tok,
							(size_t)len, od, &odl),
				 -EBADMSG);
	tquic_aead_free(a);
	tquic_aead_free(other);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_long_roundtrip),
		cmocka_unit_test(test_paths_and_tamper),
		cmocka_unit_test(test_key_update_roundtrip),
		cmocka_unit_test(test_bad_headers),
		cmocka_unit_test(test_unknown_version_and_vn),
		cmocka_unit_test(test_retry_and_reset),
		cmocka_unit_test(test_reset_build),
		cmocka_unit_test(test_retry_token),
	};

	return cmocka_run_group_tests_name("packet", tests, NULL, NULL);
}
