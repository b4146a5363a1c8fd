/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * A listener's answer to a datagram that names none of its connections:
 * drop it, negotiate the version, send a Retry, refuse a bad token, or
 * start a connection. What needs no key is checked first, the client's
 * Initial keys are derived last, and a connection is the caller's to
 * allocate only once the client's Initial has decrypted.
 *
 * Everything random, the clock, the client's address and the keys come
 * from the caller, so the kernel (kernel/connection.c) and the unit tests'
 * simulator run the same code with different environments.
 */
#ifndef _TQUIC_CORE_ACCEPT_H
#define _TQUIC_CORE_ACCEPT_H

#include <linux/types.h>

#include "conn.h"
#include "header.h"

/* how long a Retry token is good for: one round trip, generously */
#define TQUIC_RETRY_TOKEN_LIFETIME_MS	10000

/**
 * enum tquic_accept_verdict - what to do with a datagram on a listener
 * @TQUIC_ACCEPT_DROP: nothing is sent, nothing is kept
 * @TQUIC_ACCEPT_VN: answer with tquic_accept_vn()
 * @TQUIC_ACCEPT_RETRY: answer with tquic_accept_retry()
 * @TQUIC_ACCEPT_REFUSE: the client's Retry token is not good: answer with
 *	tquic_accept_refuse()
 * @TQUIC_ACCEPT_NEW: the Initial decrypted: start a connection from the
 *	configuration tquic_accept_initial() filled
 * @TQUIC_ACCEPT_NR_VERDICTS: how many there are (for counters)
 */
enum tquic_accept_verdict {
	TQUIC_ACCEPT_DROP,
	TQUIC_ACCEPT_VN,
	TQUIC_ACCEPT_RETRY,
	TQUIC_ACCEPT_REFUSE,
	TQUIC_ACCEPT_NEW,
	TQUIC_ACCEPT_NR_VERDICTS,
};

/**
 * struct tquic_accept_env - what the listener's caller supplies
 * @now: current time, microseconds
 * @addr: the client's IP address (4 or 16 bytes), which a Retry token
 *	binds (RFC 9000 §8.1.4)
 * @addr_len: its length
 * @retry: a client without a token of ours gets a Retry (the listener's
 *	configuration, or load)
 * @token_key: AES-128-GCM key of the Retry tokens
 * @reset_key: the key stateless reset tokens derive from
 * @reset_key_len: its length
 * @cid: TQUIC_CID_LEN random bytes: the first CID of a connection started
 *	without a token, or the Source CID of a Retry
 * @scratch: @scratch_len bytes of linear memory (see crypto.h) the trial
 *	decryption works in; never the stack
 * @scratch_len: at least the datagram's length
 */
struct tquic_accept_env {
	u64 now;
	const u8 *addr;
	size_t addr_len;
	bool retry;
	struct tquic_aead *token_key;
	const u8 *reset_key;
	size_t reset_key_len;
	const u8 *cid;
	u8 *scratch;
	size_t scratch_len;
};

enum tquic_accept_verdict
tquic_accept_initial(const struct tquic_accept_env *env, const u8 *dgram,
		     size_t len, struct tquic_hdr *h,
		     struct tquic_conn_cfg *cfg);
int tquic_accept_vn(const struct tquic_hdr *h, u8 unused, u8 *buf,
		    size_t cap);
int tquic_accept_retry(const struct tquic_accept_env *env,
		       const struct tquic_hdr *h, const u8 *nonce, u8 *buf,
		       size_t cap);
int tquic_accept_refuse(const struct tquic_hdr *h, u8 *buf, size_t cap);

#endif /* _TQUIC_CORE_ACCEPT_H */
