/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * QUIC variable-length integers (RFC 9000 §16) over a bounded cursor.
 *
 * Part of kernel/core: plain C over byte buffers, built into tquic.ko and,
 * unchanged, into userspace tests.
 */
#ifndef _TQUIC_CORE_VARINT_H
#define _TQUIC_CORE_VARINT_H

#include <linux/types.h>

/* RFC 9000 §16: the largest value a variable-length integer can hold. */
#define TQUIC_VARINT_MAX ((1ULL << 62) - 1)

/**
 * struct tquic_cur - a read cursor over received bytes
 * @p: next byte to read
 * @end: one past the last byte that may be read
 *
 * Every read checks the bytes left against what it needs before touching
 * them; a failed read leaves the cursor where it was.
 */
struct tquic_cur {
	const u8 *p;
	const u8 *end;
};

static inline void tquic_cur_init(struct tquic_cur *c, const u8 *buf,
				  size_t len)
{
	c->p = buf;
	c->end = buf + len;
}

static inline size_t tquic_cur_left(const struct tquic_cur *c)
{
	return (size_t)(c->end - c->p);
}

size_t tquic_varint_len(u64 v);
int tquic_varint_read(struct tquic_cur *c, u64 *v, size_t *enc_len);
int tquic_varint_write(u8 *buf, size_t len, u64 v);

#endif /* _TQUIC_CORE_VARINT_H */
