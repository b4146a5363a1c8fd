/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * QUIC transport error codes (RFC 9000 §20.1) and how kernel/core's
 * negative errno returns map onto them.
 */
#ifndef _TQUIC_CORE_ERROR_H
#define _TQUIC_CORE_ERROR_H

#include <linux/errno.h>
#include <linux/types.h>

/* RFC 9000 §20.1 */
enum tquic_transport_error {
	TQUIC_NO_ERROR			= 0x00,
	TQUIC_INTERNAL_ERROR		= 0x01,
	TQUIC_CONNECTION_REFUSED	= 0x02,
	TQUIC_FLOW_CONTROL_ERROR	= 0x03,
	TQUIC_STREAM_LIMIT_ERROR	= 0x04,
	TQUIC_STREAM_STATE_ERROR	= 0x05,
	TQUIC_FINAL_SIZE_ERROR		= 0x06,
	TQUIC_FRAME_ENCODING_ERROR	= 0x07,
	TQUIC_TRANSPORT_PARAMETER_ERROR	= 0x08,
	TQUIC_CONNECTION_ID_LIMIT_ERROR	= 0x09,
	TQUIC_PROTOCOL_VIOLATION	= 0x0a,
	TQUIC_INVALID_TOKEN		= 0x0b,
	TQUIC_APPLICATION_ERROR		= 0x0c,
	TQUIC_CRYPTO_BUFFER_EXCEEDED	= 0x0d,
	TQUIC_KEY_UPDATE_ERROR		= 0x0e,
	TQUIC_AEAD_LIMIT_REACHED	= 0x0f,
	TQUIC_NO_VIABLE_PATH		= 0x10,
};

/*
 * Decoders in kernel/core return 0 or a negative errno; the errno names the
 * QUIC error the connection closes with:
 *   -EBADMSG  malformed: FRAME_ENCODING_ERROR (frames),
 *             TRANSPORT_PARAMETER_ERROR (transport parameters)
 *   -EPROTO   well-formed but not allowed here: PROTOCOL_VIOLATION
 *             (TRANSPORT_PARAMETER_ERROR for transport parameters)
 */
static inline u64 tquic_frame_err_to_quic(int err)
{
	switch (err) {
	case 0:
		return TQUIC_NO_ERROR;
	case -EBADMSG:
		return TQUIC_FRAME_ENCODING_ERROR;
	case -EPROTO:
		return TQUIC_PROTOCOL_VIOLATION;
	default:
		return TQUIC_INTERNAL_ERROR;
	}
}

#endif /* _TQUIC_CORE_ERROR_H */
