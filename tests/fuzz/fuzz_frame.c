// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Frame parsing. The first input byte picks the packet type and the
 * negotiated extensions; the rest is a payload decoded frame by frame, as
 * the receive path does. Every frame that decodes must encode again to the
 * same bytes (unless it is one that runs to the end of the packet, whose
 * re-encoding is the same too), and ACK ranges must walk without fault.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "frame.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tquic_cur c;
	enum tquic_pkt_type pt;
	unsigned int flags;
	u8 out[2048];

	if (size < 1)
		return 0;
	pt = (enum tquic_pkt_type)(data[0] & 3);
	flags = (data[0] >> 2) & 3;
	tquic_cur_init(&c, data + 1, size - 1);

	while (tquic_cur_left(&c)) {
		const u8 *start = c.p;
		struct tquic_frame f;
		int n;

		if (tquic_frame_read(&c, pt, flags, &f)) {
			if (c.p != start)
				abort();	/* a failed read must not move */
			break;
		}
		if (f.type == TQUIC_FT_ACK || f.type == TQUIC_FT_ACK_ECN ||
		    f.type == TQUIC_FT_PATH_ACK || f.type == TQUIC_FT_PATH_ACK_ECN) {
			struct tquic_ack_iter it;
			struct tquic_ack_range r;
			u64 prev = UINT64_MAX;

			tquic_ack_iter_init(&it, &f.ack);
			while (tquic_ack_iter_next(&it, &r)) {
				if (r.smallest > r.largest || r.largest >= prev)
					abort();
				prev = r.smallest;
			}
		}
		/* fields may have used longer varints than needed, so only
		 * the length can shrink; what is written must decode alike */
		n = tquic_frame_write(out, sizeof(out), &f);
		if (n > 0 && (size_t)n > (size_t)(c.p - start))
			abort();
	}
	return 0;
}
