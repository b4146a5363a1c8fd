// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Variable-length integers: RFC 9000 Appendix A.1 vectors, limits, bounds. */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "varint.h"

struct vec {
	const u8 *enc;
	size_t len;
	u64 val;
};

/* RFC 9000 Appendix A.1 (sample variable-length integer decodings) */
static const u8 v8[] = { 0xc2, 0x19, 0x7c, 0x5e, 0xff, 0x14, 0xe8, 0x8c };
static const u8 v4[] = { 0x9d, 0x7f, 0x3e, 0x7d };
static const u8 v2[] = { 0x7b, 0xbd };
static const u8 v1[] = { 0x25 };
static const u8 v2long[] = { 0x40, 0x25 };

static void test_rfc9000_a1_decode(void **state)
{
	static const struct vec vecs[] = {
		{ v8, sizeof(v8), 151288809941952652ULL },
		{ v4, sizeof(v4), 494878333 },
		{ v2, sizeof(v2), 15293 },
		{ v1, sizeof(v1), 37 },
		{ v2long, sizeof(v2long), 37 },	/* not shortest: still valid */
	};
	size_t i, n;
	u64 v;

	(void)state;
	for (i = 0; i < sizeof(vecs) / sizeof(vecs[0]); i++) {
		struct tquic_cur c;

		tquic_cur_init(&c, vecs[i].enc, vecs[i].len);
		assert_int_equal(tquic_varint_read(&c, &v, &n), 0);
		assert_true(v == vecs[i].val);
		assert_int_equal(n, vecs[i].len);
		assert_int_equal(tquic_cur_left(&c), 0);
	}
}

static void test_rfc9000_a1_encode(void **state)
{
	u8 buf[8];

	(void)state;
	assert_int_equal(tquic_varint_write(buf, sizeof(buf), 151288809941952652ULL), 8);
	assert_memory_equal(buf, v8, 8);
	assert_int_equal(tquic_varint_write(buf, sizeof(buf), 494878333), 4);
	assert_memory_equal(buf, v4, 4);
	assert_int_equal(tquic_varint_write(buf, sizeof(buf), 15293), 2);
	assert_memory_equal(buf, v2, 2);
	assert_int_equal(tquic_varint_write(buf, sizeof(buf), 37), 1);
	assert_memory_equal(buf, v1, 1);
}

static void test_roundtrip_boundaries(void **state)
{
	static const u64 vals[] = {
		0, 1, 63, 64, 16383, 16384, (1ULL << 30) - 1, 1ULL << 30,
		TQUIC_VARINT_MAX - 1, TQUIC_VARINT_MAX,
	};
	static const size_t lens[] = { 1, 1, 1, 2, 2, 4, 4, 8, 8, 8 };
	size_t i, n;
	u8 buf[8];
	u64 v;

	(void)state;
	for (i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
		struct tquic_cur c;
		int w = tquic_varint_write(buf, sizeof(buf), vals[i]);

		assert_int_equal(w, lens[i]);
		assert_int_equal(tquic_varint_len(vals[i]), lens[i]);
		tquic_cur_init(&c, buf, (size_t)w);
		assert_int_equal(tquic_varint_read(&c, &v, &n), 0);
		assert_true(v == vals[i]);
		assert_int_equal(n, lens[i]);
	}
}

static void test_out_of_range(void **state)
{
	u8 buf[8];

	(void)state;
	assert_int_equal(tquic_varint_len(TQUIC_VARINT_MAX + 1), 0);
	assert_int_equal(tquic_varint_write(buf, sizeof(buf), TQUIC_VARINT_MAX + 1), -ERANGE);
	assert_int_equal(tquic_varint_write(buf, sizeof(buf), UINT64_MAX), -ERANGE);
	assert_int_equal(tquic_varint_write(buf, 3, 1ULL << 20), -ENOSPC);
	assert_int_equal(tquic_varint_write(buf, 0, 0), -ENOSPC);
}

/* Truncated input: every prefix shorter than the encoding is refused, and
 * the cursor does not move. The buffers are malloc()ed to their exact size,
 * so ASan reports any read past them. */
static void test_truncated(void **state)
{
	const struct vec vecs[] = {
		{ v8, sizeof(v8), 0 }, { v4, sizeof(v4), 0 }, { v2, sizeof(v2), 0 },
	};
	size_t i, cut;
	u64 v;

	(void)state;
	for (i = 0; i < sizeof(vecs) / sizeof(vecs[0]); i++) {
		for (cut = 0; cut < vecs[i].len; cut++) {
			u8 *b = malloc(cut ? cut : 1);
			struct tquic_cur c;

			memcpy(b, vecs[i].enc, cut);
			tquic_cur_init(&c, b, cut);
			assert_int_equal(tquic_varint_read(&c, &v, NULL), -EBADMSG);
			assert_ptr_equal(c.p, b);
			free(b);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc9000_a1_decode),
		cmocka_unit_test(test_rfc9000_a1_encode),
		cmocka_unit_test(test_roundtrip_boundaries),
		cmocka_unit_test(test_out_of_range),
		cmocka_unit_test(test_truncated),
	};

	return cmocka_run_group_tests_name("varint", tests, NULL, NULL);
}
