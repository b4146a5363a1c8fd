// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Packet protection: AEAD over the payload, header protection over the
 * first byte and the packet number (RFC 9001 §5).
 */

#include <linux/errno.h>
#include <linux/string.h>
#include <linux/types.h>

#include "pktnum.h"
#include "protect.h"

/**
 * tquic_nonce() - the AEAD nonce of a packet
 * @iv: the keys' IV, TQUIC_AEAD_NONCE_LEN bytes
 * @path_id: multipath Path ID; 0 without multipath
 * @pn: full packet number
 * @nonce: TQUIC_AEAD_NONCE_LEN bytes out
 *
 * RFC 9001 §5.3: the IV XORed with the packet number, left-padded.
 * Multipath §2.4: the 96-bit value Path ID (32 bits) || two zero bits ||
 * packet number (62 bits), XORed with the IV; Path ID 0 gives RFC 9001's.
 */
void tquic_nonce(const u8 *iv, u32 path_id, u64 pn, u8 *nonce)
{
	int i;

	memcpy(nonce, iv, TQUIC_AEAD_NONCE_LEN);
	for (i = 0; i < 4; i++)
		nonce[i] ^= (u8)(path_id >> (24 - 8 * i));
	pn &= (1ULL << 62) - 1;
	for (i = 0; i < 8; i++)
		nonce[4 + i] ^= (u8)(pn >> (56 - 8 * i));
}

static u8 tquic_hp_first_mask(u8 first)
{
	/* RFC 9001 §5.4.1: 4 bits of a long header, 5 of a short one */
	return (first & 0x80) ? 0x0f : 0x1f;
}

/**
 * tquic_packet_protect() - protect one packet in place
 * @k: keys of the packet's level and direction
 * @path_id: Path ID (0 without multipath)
 * @pkt: the unprotected header (ending with the packet number) followed by
 *	@payload_len bytes of plaintext and room for the 16-byte tag
 * @hdr_len: header length, packet number included
 * @pn_len: packet number length, 1 to 4
 * @payload_len: plaintext length
 * @pn: full packet number
 *
 * RFC 9001 §5.4.2: the payload must give a 16-byte sample 4 bytes after
 * the start of the packet number, so @pn_len + @payload_len must be at
 * least 4 (the tag makes up the rest); the caller pads.
 *
 * Return: total packet length, or a negative errno.
 */
int tquic_packet_protect(struct tquic_keys *k, u32 path_id, u8 *pkt,
			 size_t hdr_len, size_t pn_len, size_t payload_len,
			 u64 pn)
{
	u8 nonce[TQUIC_AEAD_NONCE_LEN], mask[TQUIC_HP_MASK_LEN];
	size_t pn_offset, i;
	int err;

	if (pn_len < 1 || pn_len > 4 || hdr_len < 1 + pn_len ||
	    pn_len + payload_len < 4)
		return -EINVAL;
	pn_offset = hdr_len - pn_len;

	tquic_nonce(k->iv, path_id, pn, nonce);
	err = tquic_aead_seal(k->aead, nonce, pkt, hdr_len, pkt + hdr_len,
			      payload_len);
	if (err)
		return err;

	/* RFC 9001 §5.4.2: the sample starts 4 bytes after the PN start */
	err = tquic_hp_mask(k->hp, pkt + pn_offset + 4, mask);
	if (err)
		return err;
	pkt[0] ^= mask[0] & tquic_hp_first_mask(pkt[0]);
	for (i = 0; i < pn_len; i++)
		pkt[pn_offset + i] ^= mask[1 + i];
	return (int)(hdr_len + payload_len + TQUIC_AEAD_TAG_LEN);
}

/**
 * tquic_packet_hp_remove() - remove header protection in place
 * @k: keys of the packet's level (every key phase shares their header
 *	protection key, RFC 9001 §6)
 * @pkt: the packet
 * @pkt_len: its length (tquic_hdr.len)
 * @pn_offset: where its packet number starts (tquic_hdr.pn_offset)
 * @largest_pn: largest packet number received in this number space
 * @none_received: no packet was received in this space yet
 * @pn: the full packet number out
 * @hdr_len: header length (packet number included) out
 *
 * Afterwards the first byte shows the packet number length, the reserved
 * bits and (short header) the key phase, which selects the keys for
 * tquic_packet_open(). On failure @pkt is as it arrived.
 *
 * Return: 0, or -EBADMSG when the packet is too short to sample (RFC 9001
 * §5.4.2) or to hold a tag; another negative errno.
 */
int tquic_packet_hp_remove(struct tquic_keys *k, u8 *pkt, size_t pkt_len,
			   size_t pn_offset, u64 largest_pn, bool none_received,
			   u64 *pn, size_t *hdr_len)
{
	u8 mask[TQUIC_HP_MASK_LEN], first;
	size_t pn_len, i;
	u64 trunc = 0;
	int err;

	/* RFC 9001 §5.4.2: room for a sample, assuming a 4-byte PN */
	if (pn_offset < 1 || pkt_len < pn_offset + 4 + TQUIC_HP_SAMPLE_LEN)
		return -EBADMSG;
	err = tquic_hp_mask(k->hp, pkt + pn_offset + 4, mask);
	if (err)
		return err;
	first = pkt[0] ^ (mask[0] & tquic_hp_first_mask(pkt[0]));
	pn_len = (first & 0x03) + 1;
	if (pkt_len < pn_offset + pn_len + TQUIC_AEAD_TAG_LEN)
		return -EBADMSG;
	pkt[0] = first;
	for (i = 0; i < pn_len; i++) {
		pkt[pn_offset + i] ^= mask[1 + i];
		trunc = (trunc << 8) | pkt[pn_offset + i];
	}
	*hdr_len = pn_offset + pn_len;
	*pn = tquic_pn_decode(largest_pn, none_received, trunc,
			      8 * (unsigned int)pn_len);
	return 0;
}

/**
 * tquic_packet_open() - decrypt a packet's payload in place
 * @k: keys to try
 * @path_id: Path ID the packet arrived for (0 without multipath)
 * @pkt: the packet, header protection removed
 * @pkt_len: its length
 * @hdr_len: header length from tquic_packet_hp_remove()
 * @pn: packet number from tquic_packet_hp_remove()
 *
 * The plaintext payload is at @pkt + @hdr_len and ends 16 bytes before
 * @pkt_len. On failure the payload (but not the tag, so a stateless reset
 * can still be recognised, RFC 9000 §10.3.1) may have been overwritten: a
 * packet gets one try, with the keys its header selects.
 *
 * Return: 0, -EBADMSG when the tag does not match, another negative errno.
 */
int tquic_packet_open(struct tquic_keys *k, u32 path_id, u8 *pkt,
		      size_t pkt_len, size_t hdr_len, u64 pn)
{
	u8 nonce[TQUIC_AEAD_NONCE_LEN];

	tquic_nonce(k->iv, path_id, pn, nonce);
	return tquic_aead_open(k->aead, nonce, pkt, hdr_len, pkt + hdr_len,
			       pkt_len - hdr_len);
}

/**
 * tquic_packet_unprotect() - remove protection from one packet in place
 * @k: keys to try
 * @path_id: Path ID the packet arrived for (0 without multipath)
 * @pkt: the packet
 * @pkt_len: its length (tquic_hdr.len)
 * @pn_offset: where its packet number starts (tquic_hdr.pn_offset)
 * @largest_pn: largest packet number received in this number space
 * @none_received: no packet was received in this space yet
 * @pn: the full packet number out
 * @hdr_len: header length (packet number included) out
 *
 * tquic_packet_hp_remove() then tquic_packet_open(). On failure the header
 * is restored as it arrived; the payload may have been overwritten (see
 * tquic_packet_open()). The reserved bits of the first byte are not judged
 * here: RFC 9000 §17.2, §17.3.1 want them checked only after a successful
 * decryption, by the caller.
 *
 * Return: 0; -EBADMSG when the packet is too short to sample or the AEAD
 * tag does not match; another negative errno.
 */
int tquic_packet_unprotect(struct tquic_keys *k, u32 path_id, u8 *pkt,
			   size_t pkt_len, size_t pn_offset, u64 largest_pn,
			   bool none_received, u64 *pn, size_t *hdr_len)
{
	u8 saved[1 + 4];
	int err;

	if (pkt_len < pn_offset + 4)
		return -EBADMSG;
	saved[0] = pkt[0];
	memcpy(saved + 1, pkt + pn_offset, 4);
	err = tquic_packet_hp_remove(k, pkt, pkt_len, pn_offset, largest_pn,
				     none_received, pn, hdr_len);
	if (err)
		return err;
	err = tquic_packet_open(k, path_id, pkt, pkt_len, *hdr_len, *pn);
	if (err) {
		pkt[0] = saved[0];
		memcpy(pkt + pn_offset, saved + 1, 4);
	}
	return err;
}
