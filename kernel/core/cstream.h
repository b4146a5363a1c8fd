/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The sending side of a CRYPTO stream (RFC 9000 §19.6): bytes the TLS stack
 * handed over, which of them still need (re)sending, which the peer has
 * acknowledged. Retransmission is by range, never by packet (RFC 9000
 * §13.3): a lost packet's range is sent again unless acknowledged since.
 */
#ifndef _TQUIC_CORE_CSTREAM_H
#define _TQUIC_CORE_CSTREAM_H

#include <linux/types.h>

/**
 * struct tquic_cstream - one level's outgoing CRYPTO stream
 * @buf: the bytes, from stream offset 0
 * @need: bitmap, one bit per byte: to be sent
 * @acked: bitmap, one bit per byte: acknowledged
 * @cap: size of @buf (the bitmaps have @cap / 8 bytes)
 * @len: bytes written so far
 * @scan: no byte below it needs sending (a hint)
 */
struct tquic_cstream {
	u8 *buf;
	u8 *need;
	u8 *acked;
	u32 cap;
	u32 len;
	u32 scan;
};

int tquic_cstream_init(struct tquic_cstream *s, u8 *buf, u8 *need, u8 *acked,
		       u32 cap);
int tquic_cstream_write(struct tquic_cstream *s, const u8 *data, size_t len);
bool tquic_cstream_pending(const struct tquic_cstream *s);
u32 tquic_cstream_next(struct tquic_cstream *s, u32 max, u32 *off);
void tquic_cstream_on_acked(struct tquic_cstream *s, u32 off, u32 len);
void tquic_cstream_on_lost(struct tquic_cstream *s, u32 off, u32 len);
void tquic_cstream_resend_unacked(struct tquic_cstream *s);

#endif /* _TQUIC_CORE_CSTREAM_H */
