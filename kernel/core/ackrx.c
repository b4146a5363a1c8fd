// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Received packet numbers and acknowledgements (RFC 9000 §13.2).
 */

#include <linux/errno.h>
#include <linux/string.h>
#include <linux/types.h>

#include "ackrx.h"

/**
 * tquic_ackrx_init() - nothing received
 * @a: tracker
 */
void tquic_ackrx_init(struct tquic_ackrx *a)
{
	memset(a, 0, sizeof(*a));
}

/**
 * tquic_ackrx_is_duplicate() - was @pn received already?
 * @a: tracker
 * @pn: packet number of a packet that decrypted
 *
 * RFC 9000 §12.3: a duplicate must be discarded. Numbers below the oldest
 * range still kept count as received (RFC 9000 §13.2.3 lets a receiver
 * forget old ranges; the sender retransmits whatever such a packet held).
 */
bool tquic_ackrx_is_duplicate(const struct tquic_ackrx *a, u64 pn)
{
	u32 i;

	if (pn < a->floor)
		return true;
	for (i = 0; i < a->n; i++) {
		if (pn > a->r[i].largest)
			return false;
		if (pn >= a->r[i].smallest)
			return true;
	}
	return false;
}

/* Insert @pn (not a duplicate) into the ranges, merging neighbours. */
static void tquic_ackrx_insert(struct tquic_ackrx *a, u64 pn)
{
	u32 i;

	for (i = 0; i < a->n && pn < a->r[i].smallest; i++)
		;
	/* here r[i] (if any) lies below pn; r[i - 1] (if any) above */
	if (i > 0 && a->r[i - 1].smallest == pn + 1) {
		a->r[i - 1].smallest = pn;
		if (i < a->n && a->r[i].largest + 1 == pn) {
			/* pn joined two ranges */
			a->r[i - 1].smallest = a->r[i].smallest;
			memmove(&a->r[i], &a->r[i + 1],
				(a->n - i - 1) * sizeof(a->r[0]));
			a->n--;
		}
		return;
	}
	if (i < a->n && a->r[i].largest + 1 == pn) {
		a->r[i].largest = pn;
		return;
	}
	/* a range of its own; the oldest is forgotten when full */
	if (a->n == TQUIC_ACKRX_RANGES) {
		if (i == a->n) {
			/* older than everything kept: remember it by raising
			 * the floor, so that a replay of it is still refused */
			a->floor = pn + 1;
			return;
		}
		a->floor = a->r[a->n - 1].largest + 1;
		a->n--;
	}
	memmove(&a->r[i + 1], &a->r[i], (a->n - i) * sizeof(a->r[0]));
	a->r[i].smallest = pn;
	a->r[i].largest = pn;
	a->n++;
}

/**
 * tquic_ackrx_on_received() - a packet decrypted and was processed
 * @a: tracker
 * @pn: its packet number
 * @now: current time
 * @ack_eliciting: it held an ack-eliciting frame
 * @ecn: the ECN codepoint it arrived with
 * @max_ack_delay: our max_ack_delay in microseconds
 * @immediate_space: Initial or Handshake (RFC 9000 §13.2.1: acknowledge
 *	at once)
 *
 * Return: 0, or -EALREADY for a duplicate, which must be dropped before
 * its frames are processed (call tquic_ackrx_is_duplicate() first).
 */
int tquic_ackrx_on_received(struct tquic_ackrx *a, u64 pn, u64 now,
			    bool ack_eliciting, enum tquic_ecn ecn,
			    u64 max_ack_delay, bool immediate_space)
{
	bool out_of_order;

	if (tquic_ackrx_is_duplicate(a, pn))
		return -EALREADY;
	/* RFC 9000 §13.2.1: acknowledge at once when packets were missed */
	out_of_order = a->n && (pn < a->r[0].largest || pn > a->r[0].largest + 1);
	if (!a->n || pn > a->r[0].largest)
		a->largest_time = now;
	tquic_ackrx_insert(a, pn);

	/* RFC 9000 §13.4.1: count ECN codepoints of every packet */
	if (ecn == TQUIC_ECN_ECT0)
		a->ect0++;
	else if (ecn == TQUIC_ECN_ECT1)
		a->ect1++;
	else if (ecn == TQUIC_ECN_CE)
		a->ce++;

	if (!ack_eliciting)
		return 0;
	if (!a->pending)
		a->deadline = now + max_ack_delay;
	a->pending++;
	/* RFC 9000 §13.2.1, §13.2.2; a CE mark is reported at once too */
	if (immediate_space || out_of_order || ecn == TQUIC_ECN_CE ||
	    a->pending >= TQUIC_ACK_ELICITING_THRESHOLD)
		a->immediate = true;
	return 0;
}

/**
 * tquic_ackrx_due() - should an ACK be sent now?
 * @a: tracker
 * @now: current time
 */
bool tquic_ackrx_due(const struct tquic_ackrx *a, u64 now)
{
	return a->pending && (a->immediate || now >= a->deadline);
}

/**
 * tquic_ackrx_frame() - the ACK (or PATH_ACK) frame for what was received
 * @a: tracker, with at least one packet received
 * @now: current time, for the ACK Delay field
 * @ack_delay_exponent: our ack_delay_exponent
 * @path_ack: write PATH_ACK(_ECN) for @path_id (multipath, 1-RTT)
 * @path_id: Path ID for PATH_ACK
 * @ranges: storage for the encoded ranges; the frame points into it
 * @ranges_len: its size; the oldest ranges that do not fit are left out
 * @f: the frame out
 *
 * Return: 0, or -ENODATA with nothing to acknowledge.
 */
int tquic_ackrx_frame(struct tquic_ackrx *a, u64 now, u64 ack_delay_exponent,
		      bool path_ack, u64 path_id, u8 *ranges, size_t ranges_len,
		      struct tquic_frame *f)
{
	bool ecn = a->ect0 || a->ect1 || a->ce;
	int err;

	if (!a->n)
		return -ENODATA;
	memset(f, 0, sizeof(*f));
	err = tquic_ack_ranges_write(ranges, ranges_len, a->r, a->n, &f->ack);
	if (err < 0)
		return err;
	if (path_ack)
		f->type = ecn ? TQUIC_FT_PATH_ACK_ECN : TQUIC_FT_PATH_ACK;
	else
		f->type = ecn ? TQUIC_FT_ACK_ECN : TQUIC_FT_ACK;
	f->ack.path_id = path_id;
	/* RFC 9000 §19.3: microseconds since the largest arrived, scaled */
	f->ack.delay = (now > a->largest_time ? now - a->largest_time : 0) >>
		       ack_delay_exponent;
	f->ack.ecn = ecn;
	f->ack.ect0 = a->ect0;
	f->ack.ect1 = a->ect1;
	f->ack.ce = a->ce;
	return 0;
}

/**
 * tquic_ackrx_on_ack_sent() - an ACK reporting everything was sent
 * @a: tracker
 */
void tquic_ackrx_on_ack_sent(struct tquic_ackrx *a)
{
	a->pending = 0;
	a->immediate = false;
	a->deadline = 0;
}
