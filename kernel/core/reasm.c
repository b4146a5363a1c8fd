// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Out-of-order byte stream reassembly (RFC 9000 §2.2, §4.5, §19.6).
 */

#include <linux/errno.h>
#include <linux/string.h>
#include <linux/types.h>

#include "reasm.h"
#include "varint.h"

/**
 * tquic_reasm_init() - an empty stream
 * @r: stream
 * @buf: @cap bytes of storage
 * @have: @cap / 8 bytes of storage
 * @cap: window size, a non-zero multiple of 8
 *
 * Return: 0 or -EINVAL.
 */
int tquic_reasm_init(struct tquic_reasm *r, u8 *buf, u8 *have, size_t cap)
{
	if (!cap || cap % 8)
		return -EINVAL;
	memset(r, 0, sizeof(*r));
	r->buf = buf;
	r->have = have;
	r->cap = cap;
	memset(have, 0, cap / 8);
	return 0;
}

static bool tquic_reasm_bit(const struct tquic_reasm *r, u64 off)
{
	size_t i = (size_t)(off % r->cap);

	return r->have[i / 8] & (1U << (i % 8));
}

/**
 * tquic_reasm_insert() - take the bytes of one frame
 * @r: stream
 * @off: offset of the first byte
 * @data: the bytes
 * @len: how many
 * @fin: the frame carried FIN: @off + @len is the final size
 *
 * Bytes already delivered or already held are ignored; the first copy of
 * a byte is kept (RFC 9000 §2.2 lets a receiver assume they match).
 *
 * Return: 0; -EBADMSG when @off + @len passes 2^62 - 1; -EPIPE when the
 * final size changes or data lies past it (RFC 9000 §4.5:
 * FINAL_SIZE_ERROR); -ENOSPC when data lies beyond the window (the caller
 * closes with CRYPTO_BUFFER_EXCEEDED or FLOW_CONTROL_ERROR).
 */
int tquic_reasm_insert(struct tquic_reasm *r, u64 off, const u8 *data,
		       size_t len, bool fin)
{
	u64 end, o;

	if (off > TQUIC_VARINT_MAX || len > TQUIC_VARINT_MAX - off)
		return -EBADMSG;
	end = off + len;
	/* RFC 9000 §4.5: the final size never changes, nothing goes past it */
	if (r->has_final && (end > r->final_size ||
			     (fin && end != r->final_size)))
		return -EPIPE;
	if (fin && end < r->highest)
		return -EPIPE;
	if (end > r->base + r->cap)
		return -ENOSPC;
	if (fin) {
		r->has_final = true;
		r->final_size = end;
	}
	if (end > r->highest)
		r->highest = end;

	for (o = off > r->base ? off : r->base; o < end; o++) {
		size_t i = (size_t)(o % r->cap);

		if (r->have[i / 8] & (1U << (i % 8)))
			continue;
		r->buf[i] = data[o - off];
		r->have[i / 8] |= (u8)(1U << (i % 8));
	}
	return 0;
}

/**
 * tquic_reasm_read() - deliver the bytes that are now in order
 * @r: stream
 * @out: destination
 * @max: room at @out
 *
 * Return: bytes delivered (0 when the next byte has not arrived).
 */
size_t tquic_reasm_read(struct tquic_reasm *r, u8 *out, size_t max)
{
	size_t n = 0;

	while (n < max && r->base < r->highest && tquic_reasm_bit(r, r->base)) {
		size_t i = (size_t)(r->base % r->cap);

		out[n++] = r->buf[i];
		r->have[i / 8] &= (u8)~(1U << (i % 8));
		r->base++;
	}
	return n;
}

/**
 * tquic_reasm_finished() - everything up to the final size was delivered
 * @r: stream
 */
bool tquic_reasm_finished(const struct tquic_reasm *r)
{
	return r->has_final && r->base == r->final_size;
}
