// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Datagram parsing as a server receives it: split coalesced packets by
 * their headers; for an Initial, derive the Initial keys from its DCID
 * (anyone can) and remove the protection; if that succeeds, parse the
 * frames. Also tries a Retry's integrity tag and a stateless reset match.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "frame.h"
#include "header.h"
#include "keys.h"
#include "protect.h"
#include "retry.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void frames(const u8 *p, size_t n, enum tquic_pkt_type pt)
{
	struct tquic_cur c;
	struct tquic_frame f;

	tquic_cur_init(&c, p, n);
	while (tquic_cur_left(&c) && !tquic_frame_read(&c, pt, 0, &f))
		;
}

static void initial(const u8 *pkt, const struct tquic_hdr *h)
{
	u8 secrets[2][32], *trial;
	struct tquic_keys k;
	size_t hl;
	u64 pn;
	int side;

	if (tquic_initial_secrets(h->version, h->dcid, h->dcid_len, secrets[0],
				  secrets[1]))
		return;
	/* each side's keys on a fresh copy: a failed open may overwrite the
	 * ciphertext (crypto.h) */
	trial = malloc(h->len);
	for (side = 0; side < 2; side++) {
		if (tquic_keys_install(&k, h->version, TQUIC_AES_128_GCM,
				       secrets[side], 32))
			abort();
		memcpy(trial, pkt, h->len);
		if (!tquic_packet_unprotect(&k, 0, trial, h->len, h->pn_offset, 0,
					    true, &pn, &hl)) {
			if (hl > h->len - 16)
				abort();
			frames(trial + hl, h->len - hl - 16, TQUIC_PKT_INITIAL);
		}
		tquic_keys_destroy(&k);
	}
	free(trial);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const u8 token[16] = { 0x5a };
	size_t off = 0;
	u8 *buf;

	if (size > 65536)
		return 0;
	/* a copy of exactly @size bytes, writable, as the receive path has */
	buf = malloc(size ? size : 1);
	memcpy(buf, data, size);
	tquic_reset_token_match(buf, size, token);

	while (off < size) {
		struct tquic_hdr h;
		int err = tquic_hdr_parse(buf + off, size - off, 8, &h);

		if (err)
			break;
		if (h.len == 0 || h.len > size - off || h.pn_offset > h.len)
			abort();
		if (h.kind == TQUIC_HDR_INITIAL)
			initial(buf + off, &h);
		else if (h.kind == TQUIC_HDR_RETRY && h.dcid_len <= 20)
			tquic_retry_verify(h.version, h.dcid, h.dcid_len,
					   buf + off, h.len);
		if (h.kind == TQUIC_HDR_SHORT || h.kind == TQUIC_HDR_VN ||
		    h.kind == TQUIC_HDR_RETRY)
			break;		/* these fill the datagram */
		off += h.len;
	}
	free(buf);
	return 0;
}
