// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The sending side of a CRYPTO stream: see cstream.h.
 */

#include <linux/errno.h>
#include <linux/string.h>
#include <linux/types.h>

#include "cstream.h"

static bool tquic_bit(const u8 *map, u32 i)
{
	return map[i >> 3] & (1u << (i & 7));
}

static void tquic_bits_set(u8 *map, u32 from, u32 to, bool v)
{
	u32 i;

	for (i = from; i < to; i++) {
		if (v)
			map[i >> 3] |= 1u << (i & 7);
		else
			map[i >> 3] &= ~(1u << (i & 7));
	}
}

/**
 * tquic_cstream_init() - an empty stream over caller-owned storage
 * @s: stream
 * @buf: @cap bytes
 * @need: @cap / 8 bytes
 * @acked: @cap / 8 bytes
 * @cap: a multiple of 8
 *
 * Return: 0 or -EINVAL.
 */
int tquic_cstream_init(struct tquic_cstream *s, u8 *buf, u8 *need, u8 *acked,
		       u32 cap)
{
	if (!cap || cap & 7)
		return -EINVAL;
	s->buf = buf;
	s->need = need;
	s->acked = acked;
	s->cap = cap;
	s->len = 0;
	s->scan = 0;
	memset(need, 0, cap / 8);
	memset(acked, 0, cap / 8);
	return 0;
}

/**
 * tquic_cstream_write() - append bytes from the TLS stack
 * @s: stream
 * @data: bytes
 * @len: their number
 *
 * Return: 0, or -ENOSPC when the stream would exceed its capacity.
 */
int tquic_cstream_write(struct tquic_cstream *s, const u8 *data, size_t len)
{
	if (len > s->cap - s->len)
		return -ENOSPC;
	memcpy(s->buf + s->len, data, len);
	tquic_bits_set(s->need, s->len, s->len + (u32)len, true);
	if (s->scan > s->len)
		s->scan = s->len;
	s->len += (u32)len;
	return 0;
}

/**
 * tquic_cstream_pending() - is any byte waiting to be sent?
 * @s: stream
 *
 * Return: true when tquic_cstream_next() would return bytes.
 */
bool tquic_cstream_pending(const struct tquic_cstream *s)
{
	u32 i;

	for (i = s->scan; i < s->len; i++)
		if (tquic_bit(s->need, i))
			return true;
	return false;
}

/**
 * tquic_cstream_next() - take the next run of bytes to send
 * @s: stream
 * @max: at most this many
 * @off: the run's stream offset out
 *
 * The run leaves the "need" set; tquic_cstream_on_lost() puts it back.
 *
 * Return: the run's length, 0 when nothing needs sending.
 */
u32 tquic_cstream_next(struct tquic_cstream *s, u32 max, u32 *off)
{
	u32 i = s->scan, end;

	while (i < s->len && !tquic_bit(s->need, i))
		i++;
	s->scan = i;
	if (i == s->len || !max)
		return 0;
	end = i;
	while (end < s->len && end - i < max && tquic_bit(s->need, end))
		end++;
	tquic_bits_set(s->need, i, end, false);
	*off = i;
	return end - i;
}

static bool tquic_cstream_range_ok(const struct tquic_cstream *s, u32 off,
				   u32 len)
{
	return off <= s->len && len <= s->len - off;
}

/**
 * tquic_cstream_on_acked() - a packet carrying [@off, @off + @len) arrived
 * @s: stream
 * @off: offset
 * @len: length
 */
void tquic_cstream_on_acked(struct tquic_cstream *s, u32 off, u32 len)
{
	if (!tquic_cstream_range_ok(s, off, len))
		return;
	tquic_bits_set(s->acked, off, off + len, true);
	tquic_bits_set(s->need, off, off + len, false);
}

/**
 * tquic_cstream_on_lost() - a packet carrying [@off, @off + @len) was lost
 * @s: stream
 * @off: offset
 * @len: length
 *
 * The bytes not acknowledged by another packet since are sent again.
 */
void tquic_cstream_on_lost(struct tquic_cstream *s, u32 off, u32 len)
{
	u32 i;

	if (!tquic_cstream_range_ok(s, off, len))
		return;
	for (i = off; i < off + len; i++)
		if (!tquic_bit(s->acked, i))
			tquic_bits_set(s->need, i, i + 1, true);
	if (s->scan > off)
		s->scan = off;
}

/**
 * tquic_cstream_resend_unacked() - send again every unacknowledged byte
 * @s: stream
 *
 * For probes (RFC 9002 §6.2.4: a PTO probe may carry data in flight) and
 * for a Retry, after which everything sent is sent again.
 */
void tquic_cstream_resend_unacked(struct tquic_cstream *s)
{
	tquic_cstream_on_lost(s, 0, s->len);
}
