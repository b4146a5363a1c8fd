// SPDX-License-Identifier: GPL-2.0
/*
 * TLS 1.3 for the kernel's QUIC connections, with GnuTLS's QUIC interface
 * (gnutls_handshake_write(), the secret, read and alert hooks). See tls.h.
 */

#include <errno.h>
#include <gnutls/abstract.h>
#include <gnutls/crypto.h>
#include <gnutls/x509.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "tls.h"
#include "uapi/tquic.h"

/*
 * TLS 1.3 only; PSK only with (EC)DHE (psk_dhe_ke), never psk_ke; only the
 * cipher suites the kernel has packet protection for (RFC 9001 §5.3)
 */
#define TQ_PRIORITY "NORMAL:-VERS-ALL:+VERS-TLS1.3:+ECDHE-PSK:+DHE-PSK:" \
		    "-AES-128-CCM:%DISABLE_TLS13_COMPAT_MODE"

#define TQ_EXT_QUIC_TP	0x39	/* RFC 9001 §8.2 */

struct tq_tls {
	gnutls_session_t s;
	const struct tq_auth *auth;
	const struct tq_tls_ops *ops;
	void *ctx;
	const void *tparams;
	size_t tparams_len;
	bool done;
	uint8_t alert;
	int err;
	char peer[128];
	char errbuf[160];
};

static int tq_level_from_gnutls(gnutls_record_encryption_level_t l)
{
	switch (l) {
	case GNUTLS_ENCRYPTION_LEVEL_INITIAL:
		return TQUIC_LEVEL_INITIAL;
	case GNUTLS_ENCRYPTION_LEVEL_HANDSHAKE:
		return TQUIC_LEVEL_HANDSHAKE;
	case GNUTLS_ENCRYPTION_LEVEL_APPLICATION:
		return TQUIC_LEVEL_APP;
	default:
		return -1;	/* 0-RTT: not offered */
	}
}

static gnutls_record_encryption_level_t tq_level_to_gnutls(uint8_t l)
{
	return l == TQUIC_LEVEL_INITIAL ? GNUTLS_ENCRYPTION_LEVEL_INITIAL :
	       l == TQUIC_LEVEL_HANDSHAKE ? GNUTLS_ENCRYPTION_LEVEL_HANDSHAKE :
	       GNUTLS_ENCRYPTION_LEVEL_APPLICATION;
}

static int tq_tls_secret(gnutls_session_t s,
			 gnutls_record_encryption_level_t glevel,
			 const void *rx, const void *tx, size_t len)
{
	struct tq_tls *t = gnutls_session_get_ptr(s);
	int level = tq_level_from_gnutls(glevel);
	uint16_t cipher;

	if (level < 0)
		return 0;
	switch (gnutls_cipher_get(s)) {
	case GNUTLS_CIPHER_AES_128_GCM:
		cipher = 0x1301;
		break;
	case GNUTLS_CIPHER_AES_256_GCM:
		cipher = 0x1302;
		break;
	case GNUTLS_CIPHER_CHACHA20_POLY1305:
		cipher = 0x1303;
		break;
	default:
		return -1;	/* RFC 9001 §5.3: no other suite for QUIC */
	}
	if (rx && t->ops->secret(t->ctx, level, false, cipher, rx, len))
		return -1;
	if (tx && t->ops->secret(t->ctx, level, true, cipher, tx, len))
		return -1;
	return 0;
}

static int tq_tls_read(gnutls_session_t s,
		       gnutls_record_encryption_level_t glevel,
		       gnutls_handshake_description_t htype,
		       const void *data, size_t len)
{
	struct tq_tls *t = gnutls_session_get_ptr(s);
	int level = tq_level_from_gnutls(glevel);

	/* RFC 9001 §8.4: no ChangeCipherSpec in QUIC */
	if (htype == GNUTLS_HANDSHAKE_CHANGE_CIPHER_SPEC || level < 0)
		return 0;
	return t->ops->send(t->ctx, level, data, len) ? -1 : 0;
}

static int tq_tls_alert_hook(gnutls_session_t s,
			     gnutls_record_encryption_level_t level,
			     gnutls_alert_level_t alert_level,
			     gnutls_alert_description_t desc)
{
	struct tq_tls *t = gnutls_session_get_ptr(s);

	(void)level;
	(void)alert_level;
	/* RFC 9001 §4.8: the alert becomes CONNECTION_CLOSE 0x100 + alert */
	if (!t->alert)
		t->alert = (uint8_t)desc;
	return 0;
}

static int tq_tp_recv(gnutls_session_t s, const unsigned char *data,
		      size_t len)
{
	struct tq_tls *t = gnutls_session_get_ptr(s);

	if (t->ops->peer_tparams(t->ctx, data, len))
		return GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER;
	return 0;
}

static int tq_tp_send(gnutls_session_t s, gnutls_buffer_t ext)
{
	struct tq_tls *t = gnutls_session_get_ptr(s);

	return gnutls_buffer_append_data(ext, t->tparams, t->tparams_len);
}

static int tq_keylog(gnutls_session_t s, const char *label,
		     const gnutls_datum_t *secret)
{
	struct tq_tls *t = gnutls_session_get_ptr(s);
	gnutls_datum_t client, server;
	FILE *f = t->auth->keylog;
	unsigned int i;

	if (!f)
		return 0;
	gnutls_session_get_random(s, &client, &server);
	fprintf(f, "%s ", label);
	for (i = 0; i < client.size; i++)
		fprintf(f, "%02x", client.data[i]);
	fputc(' ', f);
	for (i = 0; i < secret->size; i++)
		fprintf(f, "%02x", secret->data[i]);
	fputc('\n', f);
	fflush(f);
	return 0;
}

static int tq_psk_lookup(gnutls_session_t s, const char *name,
			 gnutls_datum_t *key)
{
	struct tq_tls *t = gnutls_session_get_ptr(s);
	const struct tq_auth *a = t->auth;
	size_t i;

	/* the identity offered, for log lines, known or not */
	snprintf(t->peer, sizeof(t->peer), "%.64s", name);
	for (i = 0; i < a->npsks; i++) {
		if (strcmp(a->psks[i].name, name))
			continue;
		key->data = gnutls_malloc(a->psks[i].key.size);
		if (!key->data)
			return -1;
		memcpy(key->data, a->psks[i].key.data, a->psks[i].key.size);
		key->size = a->psks[i].key.size;
		return 0;
	}
	snprintf(t->errbuf, sizeof(t->errbuf), "unknown PSK identity '%.64s'",
		 name);
	return -1;
}

/* Pinned server key: SHA-256 of the certificate's SubjectPublicKeyInfo. */
static int tq_verify_pin(gnutls_session_t s)
{
	struct tq_tls *t = gnutls_session_get_ptr(s);
	const gnutls_datum_t *certs;
	gnutls_pubkey_t pub = NULL;
	gnutls_datum_t spki = { NULL, 0 };
	uint8_t digest[32];
	unsigned int n = 0;
	int ok = -1;

	if (!t->auth->has_pin)
		return 0;
	certs = gnutls_certificate_get_peers(s, &n);
	if (!certs || !n)
		goto out;
	if (gnutls_pubkey_init(&pub) < 0 ||
	    gnutls_pubkey_import_x509_raw(pub, &certs[0], GNUTLS_X509_FMT_DER,
					  0) < 0 ||
	    gnutls_pubkey_export2(pub, GNUTLS_X509_FMT_DER, &spki) < 0 ||
	    gnutls_hash_fast(GNUTLS_DIG_SHA256, spki.data, spki.size,
			     digest) < 0)
		goto out;
	if (!memcmp(digest, t->auth->pin, sizeof(digest)))
		ok = 0;
	else
		snprintf(t->errbuf, sizeof(t->errbuf),
			 "server key does not match the pinned SHA-256");
out:
	gnutls_free(spki.data);
	if (pub)
		gnutls_pubkey_deinit(pub);
	return ok;
}

/**
 * tq_auth_setup() - GnuTLS credentials for what @auth holds
 * @auth: filled from the configuration; PSK and/or certificates
 *
 * Return: 0, or -EINVAL when neither PSK nor certificates are configured
 * (there is no mode without authentication), another negative errno.
 */
int tq_auth_setup(struct tq_auth *auth)
{
	bool psk = auth->server ? auth->npsks > 0 : auth->psk_identity != NULL;

	if (!psk && !auth->cert)
		return -EINVAL;
	if (psk && auth->server) {
		if (gnutls_psk_allocate_server_credentials(&auth->psk_server) < 0)
			return -ENOMEM;
		gnutls_psk_set_server_credentials_function(auth->psk_server,
							   tq_psk_lookup);
	} else if (psk) {
		if (gnutls_psk_allocate_client_credentials(&auth->psk_client) < 0)
			return -ENOMEM;
		if (gnutls_psk_set_client_credentials(auth->psk_client,
						      auth->psk_identity,
						      &auth->psk_key,
						      GNUTLS_PSK_KEY_RAW) < 0)
			return -EINVAL;
	}
	if (auth->cert && auth->has_pin)
		gnutls_certificate_set_verify_function(auth->cert, tq_verify_pin);
	return 0;
}

void tq_auth_free(struct tq_auth *auth)
{
	size_t i;

	if (auth->psk_client)
		gnutls_psk_free_client_credentials(auth->psk_client);
	if (auth->psk_server)
		gnutls_psk_free_server_credentials(auth->psk_server);
	if (auth->cert)
		gnutls_certificate_free_credentials(auth->cert);
	for (i = 0; i < auth->npsks; i++) {
		free(auth->psks[i].name);
		gnutls_memset(auth->psks[i].key.data, 0, auth->psks[i].key.size);
		free(auth->psks[i].key.data);
	}
	free(auth->psks);
	if (auth->psk_key.data) {
		gnutls_memset(auth->psk_key.data, 0, auth->psk_key.size);
		free(auth->psk_key.data);
	}
	free(auth->psk_identity);
	free(auth->server_name);
	if (auth->keylog)
		fclose(auth->keylog);
	memset(auth, 0, sizeof(*auth));
}

/**
 * tq_tls_new() - a TLS session for one connection
 * @out: the session
 * @auth: credentials, outliving the session
 * @tparams: our transport parameters (the kernel's encoding)
 * @tparams_len: their length
 * @ops: output hooks
 * @ctx: passed to them
 *
 * A client session sends its ClientHello on the first tq_tls_input().
 *
 * Return: 0 or a negative errno.
 */
int tq_tls_new(struct tq_tls **out, const struct tq_auth *auth,
	       const void *tparams, size_t tparams_len,
	       const struct tq_tls_ops *ops, void *ctx)
{
	const gnutls_datum_t alpn = { (unsigned char *)TQ_ALPN,
				      sizeof(TQ_ALPN) - 1 };
	struct tq_tls *t = calloc(1, sizeof(*t));
	unsigned int flags = (auth->server ? GNUTLS_SERVER : GNUTLS_CLIENT) |
			     GNUTLS_NO_TICKETS | GNUTLS_NO_END_OF_EARLY_DATA;
	int r;

	if (!t)
		return -ENOMEM;
	t->auth = auth;
	t->ops = ops;
	t->ctx = ctx;
	t->tparams = tparams;
	t->tparams_len = tparams_len;
	if (gnutls_init(&t->s, flags) < 0) {
		free(t);
		return -ENOMEM;
	}
	gnutls_session_set_ptr(t->s, t);
	r = gnutls_priority_set_direct(t->s, TQ_PRIORITY, NULL);
	if (r >= 0 && auth->psk_server)
		r = gnutls_credentials_set(t->s, GNUTLS_CRD_PSK, auth->psk_server);
	if (r >= 0 && auth->psk_client)
		r = gnutls_credentials_set(t->s, GNUTLS_CRD_PSK, auth->psk_client);
	if (r >= 0 && auth->cert)
		r = gnutls_credentials_set(t->s, GNUTLS_CRD_CERTIFICATE,
					   auth->cert);
	/* RFC 9001 §8.1: ALPN is mandatory; a mismatch is alert 120 */
	if (r >= 0)
		r = gnutls_alpn_set_protocols(t->s, &alpn, 1,
					      GNUTLS_ALPN_MANDATORY);
	if (r >= 0)
		r = gnutls_session_ext_register(t->s, "QUIC Transport Parameters",
						TQ_EXT_QUIC_TP, GNUTLS_EXT_TLS,
						tq_tp_recv, tq_tp_send,
						NULL, NULL, NULL,
						GNUTLS_EXT_FLAG_TLS |
						GNUTLS_EXT_FLAG_CLIENT_HELLO |
						GNUTLS_EXT_FLAG_EE);
	if (r < 0) {
		tq_tls_free(t);
		return -EINVAL;
	}
	if (auth->cert && !auth->server && !auth->has_pin)
		gnutls_session_set_verify_cert(t->s, auth->server_name, 0);
	if (auth->cert && !auth->server && auth->server_name)
		gnutls_server_name_set(t->s, GNUTLS_NAME_DNS, auth->server_name,
				       strlen(auth->server_name));
	if (auth->server && auth->require_client_cert) {
		gnutls_certificate_server_set_request(t->s, GNUTLS_CERT_REQUIRE);
		gnutls_session_set_verify_cert(t->s, NULL, 0);
	}
	gnutls_handshake_set_secret_function(t->s, tq_tls_secret);
	gnutls_handshake_set_read_function(t->s, tq_tls_read);
	gnutls_alert_set_read_function(t->s, tq_tls_alert_hook);
	if (auth->keylog)
		gnutls_session_set_keylog_function(t->s, tq_keylog);
	*out = t;
	return 0;
}

void tq_tls_free(struct tq_tls *t)
{
	if (!t)
		return;
	gnutls_deinit(t->s);
	free(t);
}

/**
 * tq_tls_input() - handshake bytes from the peer, and progress
 * @t: session
 * @level: the level they arrived at
 * @data: bytes (NULL to start a client's handshake)
 * @len: their number
 *
 * Return: 0 in progress, 1 when the handshake just completed, or a
 * negative GnuTLS error (tq_tls_alert() gives the alert to close with).
 */
int tq_tls_input(struct tq_tls *t, uint8_t level, const void *data,
		 size_t len)
{
	int r;

	if (t->err)
		return t->err;
	if (len) {
		r = gnutls_handshake_write(t->s, tq_level_to_gnutls(level),
					   data, len);
		if (r < 0)
			goto fail;
	}
	if (t->done)
		return 0;
	r = gnutls_handshake(t->s);
	if (r == 0) {
		t->done = true;
		return 1;
	}
	if (!gnutls_error_is_fatal(r))
		return 0;
fail:
	t->err = r;
	if (!t->alert) {
		int alert = gnutls_error_to_alert(r, NULL);

		t->alert = alert > 0 ? (uint8_t)alert : GNUTLS_A_INTERNAL_ERROR;
	}
	return r;
}

uint8_t tq_tls_alert(const struct tq_tls *t)
{
	return t->alert;
}

const char *tq_tls_peer_name(const struct tq_tls *t)
{
	return t->peer[0] ? t->peer : NULL;
}

/**
 * tq_tls_error() - why the handshake failed, in words
 * @t: session
 *
 * Return: our own reason (unknown identity, pin mismatch) or GnuTLS's.
 */
const char *tq_tls_error(const struct tq_tls *t)
{
	if (t->errbuf[0])
		return t->errbuf;
	return t->err ? gnutls_strerror(t->err) : "no error";
}
