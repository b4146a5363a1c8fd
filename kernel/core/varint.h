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

/**
 * struct tquic_wr - a write cursor whose first error sticks
 * @p: next byte to write
 * @end: one past the last byte that may be written
 * @err: 0, or the first error (-ENOSPC, -ERANGE); later writes do nothing
 *
 * A sequence of writes needs one check, of @err, at the end.
 */
struct tquic_wr {
	u8 *p;
	u8 *end;
	int err;
};

static inline void tquic_wr_init(struct tquic_wr *w, u8 *buf, size_t len)
{
	w->p = buf;
	w->end = buf + len;
	w->err = 0;
}

/* Network byte order, for the fixed-size fields of headers and parameters */
static inline u16 tquic_get_be16(const u8 *p)
{
	return (u16)(p[0] << 8 | p[1]);
}

static inline u32 tquic_get_be32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

static inline void tquic_put_be16(u8 *p, u16 v)
{
	p[0] = (u8)(v >> 8);
	p[1] = (u8)v;
}

static inline void tquic_put_be32(u8 *p, u32 v)
{
	p[0] = (u8)(v >> 24);
	p[1] = (u8)(v >> 16);
	p[2] = (u8)(v >> 8);
	p[3] = (u8)v;
}

size_t tquic_varint_len(u64 v);
int tquic_varint_read(struct tquic_cur *c, u64 *v, size_t *enc_len);
int tquic_varint_write(u8 *buf, size_t len, u64 v);
void tquic_wr_varint(struct tquic_wr *w, u64 v);
void tquic_wr_bytes(struct tquic_wr *w, const void *b, size_t n);

#endif /* _TQUIC_CORE_VARINT_H */
