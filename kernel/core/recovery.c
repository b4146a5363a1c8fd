// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Loss detection for one packet-number space (RFC 9002 §6, Appendix A).
 */

#include <linux/errno.h>
#include <linux/string.h>
#include <linux/types.h>

#include "pktnum.h"
#include "recovery.h"

/* newly acknowledged by the ACK being processed (transient) */
#define TQUIC_SENT_ACKED_NOW	0x8
/* declared lost; the record stays (not PRESENT) to spot a late ACK */
#define TQUIC_SENT_LOST		0x10

static struct tquic_sent *tquic_slot(struct tquic_space *s, u64 pn)
{
	return &s->ring[pn & (s->cap - 1)];
}

static bool tquic_sent_is(struct tquic_space *s, u64 pn, u32 flag)
{
	struct tquic_sent *p = tquic_slot(s, pn);

	return (p->flags & TQUIC_SENT_PRESENT) && p->pn == pn && (p->flags & flag);
}

/**
 * tquic_space_init() - an empty space
 * @s: space
 * @ring: storage for @cap sent packets
 * @cap: a power of two, at least 2
 *
 * Return: 0 or -EINVAL.
 */
int tquic_space_init(struct tquic_space *s, struct tquic_sent *ring, u32 cap)
{
	if (cap < 2 || (cap & (cap - 1)))
		return -EINVAL;
	memset(s, 0, sizeof(*s));
	memset(ring, 0, cap * sizeof(*ring));
	s->ring = ring;
	s->cap = cap;
	s->pkt_thresh = TQUIC_PACKET_THRESHOLD;
	return 0;
}

/**
 * tquic_space_grow() - move the records to a larger ring
 * @s: space
 * @ring: storage for @cap records
 * @cap: a power of two larger than the ring's
 *
 * Every record keeps its packet number, so slot pn & (@cap - 1).
 *
 * Return: the old ring, now the caller's to free.
 */
struct tquic_sent *tquic_space_grow(struct tquic_space *s,
				    struct tquic_sent *ring, u32 cap)
{
	struct tquic_sent *old = s->ring;
	u64 pn;

	memset(ring, 0, cap * sizeof(*ring));
	for (pn = s->base; pn < s->next; pn++)
		ring[pn & (cap - 1)] = old[pn & (s->cap - 1)];
	s->ring = ring;
	s->cap = cap;
	return old;
}

/**
 * tquic_space_on_sent() - record a packet about to be sent
 * @s: space
 * @pr: the path it is sent on
 * @now: current time
 * @size: bytes on the wire
 * @ack_eliciting: it holds a frame other than ACK, PADDING, CONNECTION_CLOSE
 * @in_flight: it counts against the congestion window (RFC 9002 §2)
 * @token: handed back when the packet is acknowledged or lost
 * @st: the stream frames it carries, or NULL for none
 *
 * Return: the packet number to send it with; -ENOBUFS when the ring is
 * full (the sender must wait for acknowledgements); -ERANGE when the
 * packet numbers are used up (RFC 9000 §12.3: the connection must close).
 */
s64 tquic_space_on_sent(struct tquic_space *s, struct tquic_path_rec *pr,
			u64 now, u32 size, bool ack_eliciting, bool in_flight,
			u64 token, const struct tquic_sent_stream *st)
{
	struct tquic_sent *p;

	if (s->next > TQUIC_PN_MAX)
		return -ERANGE;
	if (s->next - s->base >= s->cap)
		return -ENOBUFS;
	p = tquic_slot(s, s->next);
	p->pn = s->next;
	p->time = now;
	p->size = size;
	p->token = token;
	if (st)
		p->st = *st;
	else
		memset(&p->st, 0, sizeof(p->st));
	p->flags = TQUIC_SENT_PRESENT |
		   (ack_eliciting ? TQUIC_SENT_ACK_ELICITING : 0) |
		   (in_flight ? TQUIC_SENT_IN_FLIGHT : 0);
	if (ack_eliciting) {
		s->last_ack_eliciting = now;
		s->ack_eliciting_in_flight++;
	}
	if (in_flight)
		tquic_cc_on_sent(&pr->cc, size);
	return (s64)s->next++;
}

static void tquic_space_advance(struct tquic_space *s);

/**
 * tquic_space_blocked() - is the ring full of packets that must be answered?
 * @s: space
 *
 * Full, and its oldest record is of a packet that was ack-eliciting or in
 * flight (anything but an ACK-only packet, which a peer never has to
 * acknowledge).
 *
 * Return: true when no packet can be sent in this space until the peer
 * acknowledges (or loss detection declares lost) some of ours.
 */
bool tquic_space_blocked(const struct tquic_space *s)
{
	const struct tquic_sent *p = &s->ring[s->base & (s->cap - 1)];

	return s->next - s->base >= s->cap && p->pn == s->base &&
	       (p->flags & TQUIC_SENT_PRESENT) &&
	       (p->flags & (TQUIC_SENT_ACK_ELICITING | TQUIC_SENT_IN_FLIGHT));
}

/**
 * tquic_space_make_room() - room for one more packet record?
 * @s: space
 *
 * When the ring is full but not blocked, the oldest records (those of
 * ACK-only packets) are forgotten to make room: a peer that acknowledges
 * nothing cannot stop us from acknowledging it.
 *
 * Return: true when tquic_space_on_sent() will find room.
 */
bool tquic_space_make_room(struct tquic_space *s)
{
	while (s->next - s->base >= s->cap) {
		if (tquic_space_blocked(s))
			return false;
		tquic_slot(s, s->base)->flags = 0;
		s->base++;
		tquic_space_advance(s);
	}
	return true;
}

static void tquic_space_forget(struct tquic_space *s, struct tquic_sent *p)
{
	if ((p->flags & TQUIC_SENT_ACK_ELICITING) && s->ack_eliciting_in_flight)
		s->ack_eliciting_in_flight--;
	p->flags = 0;
}

static void tquic_space_advance(struct tquic_space *s)
{
	while (s->base < s->next &&
	       !tquic_sent_is(s, s->base, TQUIC_SENT_PRESENT))
		s->base++;
}

/**
 * tquic_space_detect_lost() - declare lost what the thresholds say is
 * @s: space
 * @pr: its path
 * @now: current time
 * @ops: told of each lost packet
 *
 * RFC 9002 §6.1 and A.10: a packet sent before the largest acknowledged
 * one is lost when kPacketThreshold later packets were acknowledged, or
 * when it was sent more than the loss delay ago; otherwise @s->loss_time
 * says when it will be. Lost in-flight packets are one congestion event
 * (RFC 9002 B.8), and persistent congestion (§7.6) collapses the window.
 */
void tquic_space_detect_lost(struct tquic_space *s, struct tquic_path_rec *pr,
			     u64 now, const struct tquic_rec_ops *ops)
{
	u64 delay, pn, end, last_lost_time = 0;
	u64 run_first = 0, run_last = 0, pc_duration;
	bool run = false, persistent = false;
	u32 nlost = 0;

	s->loss_time = 0;
	if (!s->has_acked)
		return;
	delay = tquic_rtt_loss_delay(&pr->rtt) + s->reo_extra;
	/* RFC 9002 §7.6.1: (PTO without backoff, with max_ack_delay) * 3 */
	pc_duration = tquic_rtt_pto(&pr->rtt, pr->max_ack_delay, true) *
		      TQUIC_PERSISTENT_CONGESTION_THRESHOLD;
	end = s->largest_acked < s->next ? s->largest_acked : s->next - 1;

	for (pn = s->base; pn < end; pn++) {
		struct tquic_sent *p = tquic_slot(s, pn);

		if (!(p->flags & TQUIC_SENT_PRESENT) || p->pn != pn ||
		    (p->flags & TQUIC_SENT_ACKED_NOW)) {
			run = false;	/* a hole: the run of losses ends */
			continue;
		}
		if (p->time + delay > now &&
		    s->largest_acked < pn + s->pkt_thresh) {
			if (!s->loss_time || p->time + delay < s->loss_time)
				s->loss_time = p->time + delay;
			run = false;
			continue;
		}
		/* lost */
		if (p->flags & TQUIC_SENT_IN_FLIGHT) {
			tquic_cc_on_removed(&pr->cc, p->size);
			nlost++;
			if (p->time > last_lost_time)
				last_lost_time = p->time;
		}
		/* RFC 9002 §7.6.2: ack-eliciting losses after the first RTT
		 * sample, with nothing acknowledged between them */
		if ((p->flags & TQUIC_SENT_ACK_ELICITING) && s->first_rtt_sample &&
		    p->time > s->first_rtt_sample) {
			if (!run) {
				run = true;
				run_first = p->time;
			}
			run_last = p->time;
			if (run_last - run_first > pc_duration)
				persistent = true;
		}
		ops->lost(ops->ctx, p);
		tquic_space_forget(s, p);
		p->flags = TQUIC_SENT_LOST;
		if (!s->has_lost || pn < s->lost_lo)
			s->lost_lo = pn;
		if (!s->has_lost || pn > s->lost_hi)
			s->lost_hi = pn;
		s->has_lost = true;
	}
	if (nlost) {
		tquic_cc_on_congestion(&pr->cc, last_lost_time, now);
		tquic_cc_on_lost(&pr->cc, nlost);
	}
	if (persistent)
		tquic_cc_on_persistent_congestion(&pr->cc);
	tquic_space_advance(s);
}

/*
 * Packets @ack acknowledges that were declared lost: they were reordered.
 * The packet threshold grows past the distance seen, and the time
 * threshold by how late the packet came (RFC 9002 §6.1.1, §6.1.2:
 * "implementations MAY use adaptive thresholds"; at most one smoothed RTT
 * more, as Linux's RACK bounds its reordering window), and a window
 * reduction they alone caused is undone.
 */
static void tquic_space_spurious(struct tquic_space *s,
				 struct tquic_path_rec *pr,
				 const struct tquic_frame_ack *ack, u64 now)
{
	u64 pn, lo, hi, dist, late, delay = tquic_rtt_loss_delay(&pr->rtt);
	struct tquic_ack_iter it;
	struct tquic_ack_range r;

	if (!s->has_lost)
		return;
	/* records older than the ring are gone */
	if (s->next > s->cap && s->lost_lo < s->next - s->cap)
		s->lost_lo = s->next - s->cap;
	if (s->lost_lo > s->lost_hi) {
		s->has_lost = false;
		return;
	}
	tquic_ack_iter_init(&it, ack);
	while (tquic_ack_iter_next(&it, &r) && r.largest >= s->lost_lo) {
		lo = r.smallest > s->lost_lo ? r.smallest : s->lost_lo;
		hi = r.largest < s->lost_hi ? r.largest : s->lost_hi;
		for (pn = lo; pn <= hi; pn++) {
			struct tquic_sent *p = tquic_slot(s, pn);

			if (p->pn != pn || p->flags != TQUIC_SENT_LOST)
				continue;
			p->flags = 0;
			s->spurious++;
			dist = s->largest_acked - pn + 1;
			if (dist > TQUIC_PACKET_THRESHOLD_MAX)
				dist = TQUIC_PACKET_THRESHOLD_MAX;
			if (dist > s->pkt_thresh)
				s->pkt_thresh = (u32)dist;
			late = now > p->time + delay ? now - p->time - delay : 0;
			if (late > pr->rtt.smoothed)
				late = pr->rtt.smoothed;
			if (late > s->reo_extra)
				s->reo_extra = late;
			tquic_cc_on_spurious(&pr->cc, p->time);
		}
	}
}

/**
 * tquic_space_on_ack() - process an ACK (or PATH_ACK) for this space
 * @s: space
 * @pr: its path
 * @ack: the frame, as tquic_frame_read() decoded it
 * @now: current time
 * @ops: told of each newly acknowledged and each lost packet
 *
 * RFC 9002 A.7: RTT sample, ECN, loss detection, then congestion window
 * growth for what was acknowledged.
 *
 * Return: 0, or -EPROTO when it acknowledges a packet never sent (RFC 9000
 * §13.1: PROTOCOL_VIOLATION).
 */
int tquic_space_on_ack(struct tquic_space *s, struct tquic_path_rec *pr,
		       const struct tquic_frame_ack *ack, u64 now,
		       const struct tquic_rec_ops *ops)
{
	struct tquic_ack_iter it;
	struct tquic_ack_range r;
	struct tquic_sent *largest = NULL;
	bool eliciting = false;
	u64 pn, lo, hi, lowest = 0;

	if (ack->largest >= s->next)
		return -EPROTO;
	if (!s->has_acked || ack->largest > s->largest_acked) {
		s->largest_acked = ack->largest;
		s->has_acked = true;
	}

	/* mark what is newly acknowledged; ranges come largest first and
	 * are clamped to the packets still tracked */
	tquic_ack_iter_init(&it, ack);
	while (tquic_ack_iter_next(&it, &r)) {
		if (r.largest < s->base)
			break;
		hi = r.largest;
		lo = r.smallest > s->base ? r.smallest : s->base;
		for (pn = hi + 1; pn-- > lo;) {
			struct tquic_sent *p = tquic_slot(s, pn);

			if (!tquic_sent_is(s, pn, TQUIC_SENT_PRESENT))
				continue;
			p->flags |= TQUIC_SENT_ACKED_NOW;
			lowest = pn;	/* packets are marked largest first */
			if (!largest)
				largest = p;
			if (p->flags & TQUIC_SENT_ACK_ELICITING)
				eliciting = true;
		}
	}
	tquic_space_spurious(s, pr, ack, now);
	if (!largest)
		return 0;

	/* RFC 9002 §5.1: a sample when the largest acknowledged is newly
	 * acknowledged and something ack-eliciting was */
	if (largest->pn == ack->largest && eliciting && now >= largest->time) {
		u64 delay = ack->delay;

		/* RFC 9000 §19.3: scaled by 2^ack_delay_exponent, saturating */
		if (delay > (~0ULL >> pr->ack_delay_exponent))
			delay = ~0ULL;
		else
			delay <<= pr->ack_delay_exponent;
		tquic_rtt_sample(&pr->rtt, now - largest->time, delay,
				 pr->max_ack_delay, pr->handshake_confirmed);
		tquic_cc_on_rtt(&pr->cc, now - largest->time, now);
		if (!s->first_rtt_sample)
			s->first_rtt_sample = now;
	}

	/* RFC 9002 B.7: a higher ECN-CE count is a congestion event */
	if (ack->ecn && ack->ce > s->ecn_ce) {
		s->ecn_ce = ack->ce;
		tquic_cc_on_ecn(&pr->cc, largest->time, now);
	}

	tquic_space_detect_lost(s, pr, now, ops);
	tquic_cc_on_ack_event(&pr->cc, largest->time, now);

	/* RFC 9002 B.5: window growth for each acknowledged in-flight packet;
	 * all of them lie between the smallest and largest newly acked */
	for (hi = largest->pn, pn = lowest; pn <= hi; pn++) {
		struct tquic_sent *p = tquic_slot(s, pn);

		if (!tquic_sent_is(s, pn, TQUIC_SENT_ACKED_NOW))
			continue;
		if (p->flags & TQUIC_SENT_IN_FLIGHT)
			tquic_cc_on_acked(&pr->cc, p->size, p->time, false);
		ops->acked(ops->ctx, p);
		tquic_space_forget(s, p);
	}
	tquic_space_advance(s);
	return 0;
}

/**
 * tquic_space_discard() - drop the space, its keys were discarded
 * @s: space
 * @pr: its path
 *
 * RFC 9002 §6.4: its packets leave bytes_in_flight without being lost.
 */
void tquic_space_discard(struct tquic_space *s, struct tquic_path_rec *pr)
{
	u64 pn;

	for (pn = s->base; pn < s->next; pn++) {
		struct tquic_sent *p = tquic_slot(s, pn);

		if (tquic_sent_is(s, pn, TQUIC_SENT_IN_FLIGHT))
			tquic_cc_on_removed(&pr->cc, p->size);
		p->flags = 0;
	}
	s->base = s->next;
	s->loss_time = 0;
	s->ack_eliciting_in_flight = 0;
}

/**
 * tquic_space_pto_time() - when this space's probe timeout fires
 * @s: space
 * @pr: its path
 * @with_ack_delay: add max_ack_delay (application data, once confirmed)
 * @pto_count: consecutive PTOs so far (RFC 9002 §6.2.1 backoff)
 * @fired: when the last PTO fired (0: none since the backoff was reset)
 *
 * The timer runs from the last ack-eliciting packet, or from the last PTO
 * if that is later: a PTO whose probe could not be sent (no room, no
 * budget) is re-armed one backed-off period on, never in the past.
 *
 * Return: the time, or 0 when nothing ack-eliciting is in flight.
 */
u64 tquic_space_pto_time(const struct tquic_space *s,
			 const struct tquic_path_rec *pr, bool with_ack_delay,
			 unsigned int pto_count, u64 fired)
{
	u64 pto, from;

	if (!s->ack_eliciting_in_flight)
		return 0;
	pto = tquic_rtt_pto(&pr->rtt, pr->max_ack_delay, with_ack_delay);
	if (pto_count > 16)
		pto_count = 16;	/* caps the backoff well past any idle timeout */
	from = fired > s->last_ack_eliciting ? fired : s->last_ack_eliciting;
	return from + (pto << pto_count);
}
