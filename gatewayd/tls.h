/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TLS 1.3 for QUIC with GnuTLS (RFC 9001 §4): handshake messages in and
 * out per encryption level, traffic secrets out, transport parameters in
 * extension 0x39, ALPN. No record layer, no TLS KeyUpdate, no tickets.
 */
#pragma once

#include <gnutls/gnutls.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define TQ_ALPN "tquic/1"

struct tq_psk {
	char *name;
	gnutls_datum_t key;
};

/**
 * struct tq_auth - how this side authenticates and verifies
 * @server: server role
 * @psk_identity: client: identity sent with the PSK
 * @psk_key: client: the PSK
 * @psks: server: known clients and their keys
 * @npsks: their number
 * @cert: X.509 credentials (own certificate and/or trust anchors), or NULL
 * @server_name: client: the name the server certificate must carry
 * @pin: client: SHA-256 of the server's SubjectPublicKeyInfo
 * @has_pin: @pin is set
 * @require_client_cert: server: clients must present a certificate
 * @keylog: NSS key log output (debugging), or NULL
 */
struct tq_auth {
	bool server;
	char *psk_identity;
	gnutls_datum_t psk_key;
	struct tq_psk *psks;
	size_t npsks;
	gnutls_certificate_credentials_t cert;
	char *server_name;
	uint8_t pin[32];
	bool has_pin;
	bool require_client_cert;
	FILE *keylog;
	gnutls_psk_client_credentials_t psk_client;
	gnutls_psk_server_credentials_t psk_server;
};

/**
 * struct tq_tls_ops - where a session's output goes
 * @send: TLS bytes to send at @level (uapi enum tquic_level)
 * @secret: a traffic secret for @level, @tx or receive
 * @peer_tparams: the peer's transport parameters
 */
struct tq_tls_ops {
	int (*send)(void *ctx, uint8_t level, const void *data, size_t len);
	int (*secret)(void *ctx, uint8_t level, bool tx, uint16_t cipher,
		      const void *secret, size_t len);
	int (*peer_tparams)(void *ctx, const void *data, size_t len);
};

struct tq_tls;

int tq_auth_setup(struct tq_auth *auth);
void tq_auth_free(struct tq_auth *auth);

int tq_tls_new(struct tq_tls **out, const struct tq_auth *auth,
	       const void *tparams, size_t tparams_len,
	       const struct tq_tls_ops *ops, void *ctx);
void tq_tls_free(struct tq_tls *t);
int tq_tls_input(struct tq_tls *t, uint8_t level, const void *data,
		 size_t len);
uint8_t tq_tls_alert(const struct tq_tls *t);
const char *tq_tls_peer_name(const struct tq_tls *t);
const char *tq_tls_error(const struct tq_tls *t);
