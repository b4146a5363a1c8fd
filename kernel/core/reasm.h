/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Reassembly of a byte stream received out of order: CRYPTO data per
 * encryption level (RFC 9000 §19.6) and STREAM data (§2.2). A window of
 * @cap bytes from the next offset to deliver; a bitmap says which of them
 * arrived, so any fragmentation a peer chooses costs no extra memory.
 */
#ifndef _TQUIC_CORE_REASM_H
#define _TQUIC_CORE_REASM_H

#include <linux/types.h>

/**
 * struct tquic_reasm - one stream's receive side
 * @buf: @cap bytes; offset o is kept at @buf[o % @cap]
 * @have: @cap bits; bit (o % @cap) is set when offset o arrived
 * @cap: window size in bytes, a multiple of 8
 * @base: next offset to deliver; everything below it was delivered
 * @highest: one past the largest offset received
 * @final_size: the stream's final size, if @has_final
 * @has_final: a FIN was received
 */
struct tquic_reasm {
	u8 *buf;
	u8 *have;
	size_t cap;
	u64 base;
	u64 highest;
	u64 final_size;
	bool has_final;
};

int tquic_reasm_init(struct tquic_reasm *r, u8 *buf, u8 *have, size_t cap);
int tquic_reasm_insert(struct tquic_reasm *r, u64 off, const u8 *data,
		       size_t len, bool fin);
size_t tquic_reasm_read(struct tquic_reasm *r, u8 *out, size_t max);
bool tquic_reasm_finished(const struct tquic_reasm *r);

#endif /* _TQUIC_CORE_REASM_H */
