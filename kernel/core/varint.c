// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * QUIC variable-length integers (RFC 9000 §16).
 */

#include <linux/errno.h>
#include <linux/string.h>
#include <linux/types.h>

#include "varint.h"

/**
 * tquic_varint_len() - bytes needed to encode @v in its shortest form
 * @v: the value
 *
 * Return: 1, 2, 4 or 8; 0 when @v exceeds TQUIC_VARINT_MAX.
 */
size_t tquic_varint_len(u64 v)
{
	if (v < (1ULL << 6))
		return 1;
	if (v < (1ULL << 14))
		return 2;
	if (v < (1ULL << 30))
		return 4;
	if (v <= TQUIC_VARINT_MAX)
		return 8;
	return 0;
}

/**
 * tquic_varint_read() - read one variable-length integer
 * @c: cursor; advanced past the integer on success only
 * @v: the value read
 * @enc_len: if not NULL, the number of bytes the encoding used, so that a
 *	caller for which the shortest form is mandatory (frame types,
 *	RFC 9000 §12.4) can compare it with tquic_varint_len()
 *
 * Encodings longer than needed are valid (RFC 9000 §16).
 *
 * Return: 0, or -EBADMSG when the buffer ends inside the integer.
 */
int tquic_varint_read(struct tquic_cur *c, u64 *v, size_t *enc_len)
{
	size_t n, i;
	u64 x;

	if (tquic_cur_left(c) < 1)
		return -EBADMSG;
	/* RFC 9000 §16: the two high bits of the first byte give the length */
	n = (size_t)1 << (c->p[0] >> 6);
	if (tquic_cur_left(c) < n)
		return -EBADMSG;
	x = c->p[0] & 0x3f;
	for (i = 1; i < n; i++)
		x = (x << 8) | c->p[i];
	c->p += n;
	*v = x;
	if (enc_len)
		*enc_len = n;
	return 0;
}

/**
 * tquic_varint_write() - write @v in its shortest form
 * @buf: destination
 * @len: room at @buf
 * @v: value, at most TQUIC_VARINT_MAX
 *
 * Return: bytes written, -ERANGE when @v is too large for a varint,
 * -ENOSPC when @len is too small.
 */
int tquic_varint_write(u8 *buf, size_t len, u64 v)
{
	size_t n = tquic_varint_len(v), i;
	static const u8 prefix[9] = { [1] = 0x00, [2] = 0x40, [4] = 0x80,
				      [8] = 0xc0 };

	if (!n)
		return -ERANGE;
	if (len < n)
		return -ENOSPC;
	for (i = n; i > 0; i--) {
		buf[i - 1] = (u8)v;
		v >>= 8;
	}
	buf[0] |= prefix[n];
	return (int)n;
}

/**
 * tquic_wr_varint() - append a varint in its shortest form
 * @w: cursor
 * @v: value
 */
void tquic_wr_varint(struct tquic_wr *w, u64 v)
{
	int n;

	if (w->err)
		return;
	n = tquic_varint_write(w->p, (size_t)(w->end - w->p), v);
	if (n < 0)
		w->err = n;
	else
		w->p += n;
}

/**
 * tquic_wr_bytes() - append @n bytes
 * @w: cursor
 * @b: bytes (may be NULL when @n is 0)
 * @n: count
 */
void tquic_wr_bytes(struct tquic_wr *w, const void *b, size_t n)
{
	if (w->err)
		return;
	if ((size_t)(w->end - w->p) < n) {
		w->err = -ENOSPC;
		return;
	}
	if (n)
		memcpy(w->p, b, n);
	w->p += n;
}
