// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Packet-number truncation and recovery: RFC 9000 Appendix A.2/A.3. */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "pktnum.h"

/* RFC 9000 Appendix A.2 examples */
static void test_rfc9000_a2_encode_len(void **state)
{
	(void)state;
	assert_int_equal(tquic_pn_enc_len(0xac5c02, 0xabe8b3), 2);
	assert_int_equal(tquic_pn_enc_len(0xace8fe, 0xabe8b3), 3);
	/* nothing acknowledged yet: counts from -1 */
	assert_int_equal(tquic_pn_enc_len(0, -1), 1);
	assert_int_equal(tquic_pn_enc_len(127, -1), 1);
	assert_int_equal(tquic_pn_enc_len(128, -1), 2);
	/* more than 2^31 unacknowledged cannot be expressed */
	assert_int_equal(tquic_pn_enc_len(1ULL << 32, 0), 0);
}

/* RFC 9000 Appendix A.3 example */
static void test_rfc9000_a3_decode(void **state)
{
	(void)state;
	assert_true(tquic_pn_decode(0xa82f30ea, false, 0x9b32, 16) == 0xa82f9b32);
	assert_true(tquic_pn_decode(0, true, 0, 8) == 0);
	assert_true(tquic_pn_decode(0, true, 5, 8) == 5);
}

/* Windows at the edges of the number space: no wrap below 0 or above
 * 2^62 - 1. */
static void test_decode_edges(void **state)
{
	(void)state;
	/* just after 0: a large truncated value must not go negative */
	assert_true(tquic_pn_decode(1, false, 0xff, 8) == 0xff);
	/* near the top: must not step past 2^62 - 1 */
	assert_true(tquic_pn_decode(TQUIC_PN_MAX - 1, false,
				    TQUIC_PN_MAX & 0xff, 8) == TQUIC_PN_MAX);
	assert_true(tquic_pn_decode(TQUIC_PN_MAX - 200, false, 0x01, 8) <=
		    TQUIC_PN_MAX);
}

static u64 xorshift(u64 *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* Property: a number truncated to the length A.2 picks, with the receiver
 * anywhere between the sender's largest acknowledged and the number itself,
 * decodes back to the number. */
static void test_roundtrip_property(void **state)
{
	u64 seed = 0x9e3779b97f4a7c15ULL;
	int i;

	(void)state;
	for (i = 0; i < 200000; i++) {
		u64 largest_acked = xorshift(&seed) % (1ULL << 40);
		u64 gap = 1 + xorshift(&seed) % (1ULL << (xorshift(&seed) % 31));
		u64 pn = largest_acked + gap;
		u64 rx_largest = largest_acked + xorshift(&seed) % gap;
		size_t len = tquic_pn_enc_len(pn, (s64)largest_acked);
		unsigned int bits = 8 * (unsigned int)len;
		u64 trunc;

		assert_true(len >= 1 && len <= 4);
		trunc = pn & ((1ULL << bits) - 1);
		assert_true(tquic_pn_decode(rx_largest, false, trunc, bits) == pn);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc9000_a2_encode_len),
		cmocka_unit_test(test_rfc9000_a3_decode),
		cmocka_unit_test(test_decode_edges),
		cmocka_unit_test(test_roundtrip_property),
	};

	return cmocka_run_group_tests_name("pktnum", tests, NULL, NULL);
}
