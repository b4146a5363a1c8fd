/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * QUIC transport parameters (RFC 9000 §18), version_information
 * (RFC 9368 §3), max_datagram_frame_size (RFC 9221 §3) and
 * initial_max_path_id (multipath §2.1).
 */
#ifndef _TQUIC_CORE_TPARAMS_H
#define _TQUIC_CORE_TPARAMS_H

#include <linux/types.h>

#include "quic.h"

enum tquic_tp_id {
	TQUIC_TP_ORIGINAL_DCID			= 0x00,
	TQUIC_TP_MAX_IDLE_TIMEOUT		= 0x01,
	TQUIC_TP_STATELESS_RESET_TOKEN		= 0x02,
	TQUIC_TP_MAX_UDP_PAYLOAD_SIZE		= 0x03,
	TQUIC_TP_INITIAL_MAX_DATA		= 0x04,
	TQUIC_TP_INITIAL_MAX_STREAM_DATA_BIDI_LOCAL = 0x05,
	TQUIC_TP_INITIAL_MAX_STREAM_DATA_BIDI_REMOTE = 0x06,
	TQUIC_TP_INITIAL_MAX_STREAM_DATA_UNI	= 0x07,
	TQUIC_TP_INITIAL_MAX_STREAMS_BIDI	= 0x08,
	TQUIC_TP_INITIAL_MAX_STREAMS_UNI	= 0x09,
	TQUIC_TP_ACK_DELAY_EXPONENT		= 0x0a,
	TQUIC_TP_MAX_ACK_DELAY			= 0x0b,
	TQUIC_TP_DISABLE_ACTIVE_MIGRATION	= 0x0c,
	TQUIC_TP_PREFERRED_ADDRESS		= 0x0d,
	TQUIC_TP_ACTIVE_CONNECTION_ID_LIMIT	= 0x0e,
	TQUIC_TP_INITIAL_SCID			= 0x0f,
	TQUIC_TP_RETRY_SCID			= 0x10,
	TQUIC_TP_VERSION_INFORMATION		= 0x11,
	TQUIC_TP_MAX_DATAGRAM_FRAME_SIZE	= 0x20,
	TQUIC_TP_INITIAL_MAX_PATH_ID		= 0x3e,
};

/* Bits of struct tquic_tparams.present: one per known parameter. */
#define TQUIC_TPB(id)	(1ULL << ((id) == TQUIC_TP_MAX_DATAGRAM_FRAME_SIZE ? 20 : \
				  (id) == TQUIC_TP_INITIAL_MAX_PATH_ID ? 21 : (id)))

#define TQUIC_TP_MAX_VERSIONS	8

struct tquic_preferred_address {
	u8 ipv4[4];
	u16 ipv4_port;
	u8 ipv6[16];
	u16 ipv6_port;
	u8 cid_len;
	u8 cid[TQUIC_MAX_CID_LEN];
	u8 reset_token[TQUIC_RESET_TOKEN_LEN];
};

/**
 * struct tquic_tparams - one endpoint's transport parameters
 * @present: TQUIC_TPB() bits of the parameters that were sent; the others
 *	hold their RFC defaults after tquic_tparams_init()
 * @nversions: entries used in @available_versions; a longer list than
 *	TQUIC_TP_MAX_VERSIONS is checked in full but only this many are kept
 *
 * The remaining fields are named as the parameters they hold.
 */
struct tquic_tparams {
	u64 present;
	u8 original_dcid_len;
	u8 original_dcid[TQUIC_MAX_CID_LEN];
	u64 max_idle_timeout;
	u8 stateless_reset_token[TQUIC_RESET_TOKEN_LEN];
	u64 max_udp_payload_size;
	u64 initial_max_data;
	u64 initial_max_stream_data_bidi_local;
	u64 initial_max_stream_data_bidi_remote;
	u64 initial_max_stream_data_uni;
	u64 initial_max_streams_bidi;
	u64 initial_max_streams_uni;
	u64 ack_delay_exponent;
	u64 max_ack_delay;
	bool disable_active_migration;
	struct tquic_preferred_address preferred_address;
	u64 active_connection_id_limit;
	u8 initial_scid_len;
	u8 initial_scid[TQUIC_MAX_CID_LEN];
	u8 retry_scid_len;
	u8 retry_scid[TQUIC_MAX_CID_LEN];
	u32 chosen_version;
	u8 nversions;
	u32 available_versions[TQUIC_TP_MAX_VERSIONS];
	u64 max_datagram_frame_size;
	u64 initial_max_path_id;
};

void tquic_tparams_init(struct tquic_tparams *tp);
int tquic_tparams_read(const u8 *buf, size_t len, bool from_server,
		       struct tquic_tparams *tp);
int tquic_tparams_write(u8 *buf, size_t len, bool as_server,
			const struct tquic_tparams *tp);

#endif /* _TQUIC_CORE_TPARAMS_H */
