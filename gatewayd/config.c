// SPDX-License-Identifier: GPL-2.0
/*
 * The configuration file, systemd style: [Tunnel] and [Auth] sections and
 * one [Client:NAME] section per client a server knows by PSK. Unknown keys
 * and malformed values are errors that name the section and key.
 */

#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <ini.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config.h"
#include "labels.h"
#include "log.h"

/* a client's KeepAliveSec= unless it says otherwise */
#define TQ_DEFAULT_KEEPALIVE_MS	15000

struct tq_parse {
	struct tq_config *cfg;
	const char *path;
	int err;
	bool have_role;
	bool have_keepalive;
	char *cert_file, *key_file, *ca_file;
};

/**
 * tq_parse_addr() - "ADDR", "ADDR:PORT" or "[ADDR6]:PORT"
 * @s: text
 * @need_port: a port must be given
 * @ss: the address out
 *
 * Return: 0 or -EINVAL.
 */
int tq_parse_addr(const char *s, bool need_port, struct sockaddr_storage *ss)
{
	char host[INET6_ADDRSTRLEN + 2];
	const char *port = NULL;
	unsigned long p = 0;
	char *end;
	size_t n;

	memset(ss, 0, sizeof(*ss));
	if (s[0] == '[') {
		const char *close = strchr(s, ']');

		if (!close || (close[1] && close[1] != ':'))
			return -EINVAL;
		n = (size_t)(close - s - 1);
		if (close[1] == ':')
			port = close + 2;
		s++;
	} else {
		const char *colon = strchr(s, ':');

		if (colon && strchr(colon + 1, ':'))
			colon = NULL;	/* a bare IPv6 address */
		n = colon ? (size_t)(colon - s) : strlen(s);
		if (colon)
			port = colon + 1;
	}
	if (n >= sizeof(host))
		return -EINVAL;
	memcpy(host, s, n);
	host[n] = 0;
	if (port) {
		errno = 0;
		p = strtoul(port, &end, 10);
		if (errno || *end || !*port || p == 0 || p > 65535)
			return -EINVAL;
	} else if (need_port) {
		return -EINVAL;
	}
	if (inet_pton(AF_INET, host, &((struct sockaddr_in *)ss)->sin_addr) == 1) {
		ss->ss_family = AF_INET;
		((struct sockaddr_in *)ss)->sin_port = htons((uint16_t)p);
		return 0;
	}
	if (inet_pton(AF_INET6, host, &((struct sockaddr_in6 *)ss)->sin6_addr) == 1) {
		ss->ss_family = AF_INET6;
		((struct sockaddr_in6 *)ss)->sin6_port = htons((uint16_t)p);
		return 0;
	}
	return -EINVAL;
}

static int tq_parse_hex(const char *s, uint8_t *out, size_t max, size_t *len)
{
	size_t n = strlen(s), i;

	if (!n || n % 2 || n / 2 > max)
		return -EINVAL;
	for (i = 0; i < n / 2; i++) {
		unsigned int v;

		if (sscanf(s + 2 * i, "%2x", &v) != 1 ||
		    !strchr("0123456789abcdefABCDEF", s[2 * i]) ||
		    !strchr("0123456789abcdefABCDEF", s[2 * i + 1]))
			return -EINVAL;
		out[i] = (uint8_t)v;
	}
	*len = n / 2;
	return 0;
}

/* A PSK of 16 to 64 bytes, in hex, from the value or from a file. */
static int tq_parse_psk(const char *v, bool from_file, gnutls_datum_t *key)
{
	char line[160];
	uint8_t buf[64];
	size_t len;
	FILE *f;

	if (from_file) {
		f = fopen(v, "re");
		if (!f)
			return -errno;
		if (!fgets(line, sizeof(line), f)) {
			fclose(f);
			return -EINVAL;
		}
		fclose(f);
		line[strcspn(line, " \t\r\n")] = 0;
		v = line;
	}
	if (tq_parse_hex(v, buf, sizeof(buf), &len) || len < 16)
		return -EINVAL;
	key->data = malloc(len);
	if (!key->data)
		return -ENOMEM;
	memcpy(key->data, buf, len);
	key->size = (unsigned int)len;
	return 0;
}

static bool tq_yes(const char *v, bool *out)
{
	if (!strcasecmp(v, "yes") || !strcasecmp(v, "true") || !strcmp(v, "1")) {
		*out = true;
		return true;
	}
	if (!strcasecmp(v, "no") || !strcasecmp(v, "false") || !strcmp(v, "0")) {
		*out = false;
		return true;
	}
	return false;
}

static int tq_set_str(char **dst, const char *v)
{
	free(*dst);
	*dst = strdup(v);
	return *dst ? 0 : -ENOMEM;
}

/* "N" seconds, 0 to 600, as milliseconds */
static int tq_parse_sec(const char *v, uint32_t *ms)
{
	unsigned long n;
	char *end;

	errno = 0;
	n = strtoul(v, &end, 10);
	if (errno || *end || !*v || n > 600)
		return -EINVAL;
	*ms = (uint32_t)n * 1000;
	return 0;
}

static int tq_tunnel_key(struct tq_parse *p, const char *k, const char *v)
{
	struct tq_config *cfg = p->cfg;

	if (!strcmp(k, "Role")) {
		if (!strcmp(v, "server"))
			cfg->auth.server = true;
		else if (!strcmp(v, "client"))
			cfg->auth.server = false;
		else
			return -EINVAL;
		p->have_role = true;
		return 0;
	}
	if (!strcmp(k, "Listen"))
		return tq_parse_addr(v, true, &cfg->listen);
	if (!strcmp(k, "Server"))
		return tq_parse_addr(v, true, &cfg->server);
	if (!strcmp(k, "Local"))
		return tq_parse_addr(v, false, &cfg->local);
	if (!strcmp(k, "Version")) {
		if (!strcmp(v, "1"))
			cfg->version = 1;
		else if (!strcmp(v, "2"))
			cfg->version = 0x6b3343cf;
		else
			return -EINVAL;
		return 0;
	}
	if (!strcmp(k, "Retry")) {
		if (!strcmp(v, "always"))
			cfg->retry_always = true;
		else if (!strcmp(v, "auto"))
			cfg->retry_always = false;
		else
			return -EINVAL;
		return 0;
	}
	if (!strcmp(k, "IdleTimeoutSec"))
		return tq_parse_sec(v, &cfg->idle_timeout_ms);
	if (!strcmp(k, "KeepAliveSec")) {
		p->have_keepalive = true;
		return tq_parse_sec(v, &cfg->keepalive_ms);
	}
	if (!strcmp(k, "ResetKeyFile"))
		return tq_set_str(&cfg->reset_key_file, v);
	if (!strcmp(k, "ConnlabelFile"))
		return tq_set_str(&cfg->connlabel_file, v);
	if (!strcmp(k, "Bond")) {
		if (!strcmp(v, "yes"))
			cfg->bond = true;
		else if (!strcmp(v, "no"))
			cfg->bond = false;
		else
			return -EINVAL;
		return 0;
	}
	return -ENOKEY;
}

static int tq_auth_key(struct tq_parse *p, const char *k, const char *v)
{
	struct tq_auth *a = &p->cfg->auth;
	size_t len;

	if (!strcmp(k, "Name"))
		return tq_set_str(&a->psk_identity, v);
	if (!strcmp(k, "PSK") || !strcmp(k, "PSKFile")) {
		if (a->psk_key.data)
			return -EEXIST;
		return tq_parse_psk(v, !strcmp(k, "PSKFile"), &a->psk_key);
	}
	if (!strcmp(k, "CertificateFile"))
		return tq_set_str(&p->cert_file, v);
	if (!strcmp(k, "KeyFile"))
		return tq_set_str(&p->key_file, v);
	if (!strcmp(k, "CAFile"))
		return tq_set_str(&p->ca_file, v);
	if (!strcmp(k, "ServerName"))
		return tq_set_str(&a->server_name, v);
	if (!strcmp(k, "PinSHA256")) {
		if (tq_parse_hex(v, a->pin, sizeof(a->pin), &len) ||
		    len != sizeof(a->pin))
			return -EINVAL;
		a->has_pin = true;
		return 0;
	}
	if (!strcmp(k, "RequireClientCertificate"))
		return tq_yes(v, &a->require_client_cert) ? 0 : -EINVAL;
	if (!strcmp(k, "KeyLogFile")) {
		if (a->keylog)
			fclose(a->keylog);
		a->keylog = fopen(v, "ae");
		return a->keylog ? 0 : -errno;
	}
	return -ENOKEY;
}

static int tq_client_key(struct tq_parse *p, const char *name, const char *k,
			 const char *v)
{
	struct tq_auth *a = &p->cfg->auth;
	struct tq_psk *psks;
	size_t i;

	if (strcmp(k, "PSK") && strcmp(k, "PSKFile"))
		return -ENOKEY;
	if (!*name || strlen(name) > 64)
		return -EINVAL;
	for (i = 0; i < a->npsks; i++)
		if (!strcmp(a->psks[i].name, name))
			return -EEXIST;
	psks = realloc(a->psks, (a->npsks + 1) * sizeof(*psks));
	if (!psks)
		return -ENOMEM;
	a->psks = psks;
	memset(&psks[a->npsks], 0, sizeof(psks[0]));
	psks[a->npsks].name = strdup(name);
	if (!psks[a->npsks].name)
		return -ENOMEM;
	if (tq_parse_psk(v, !strcmp(k, "PSKFile"), &psks[a->npsks].key)) {
		free(psks[a->npsks].name);
		return -EINVAL;
	}
	a->npsks++;
	return 0;
}

static int tq_ini_line(void *user, const char *section, const char *k,
		       const char *v)
{
	struct tq_parse *p = user;
	int err;

	if (!strcmp(section, "Tunnel"))
		err = tq_tunnel_key(p, k, v);
	else if (!strcmp(section, "Auth"))
		err = tq_auth_key(p, k, v);
	else if (!strncmp(section, "Client:", 7))
		err = tq_client_key(p, section + 7, k, v);
	else
		err = -ENOKEY;
	if (err == -ENOKEY)
		log_err("%s: unknown setting '%s' in [%s]", p->path, k,
			section);
	else if (err == -EEXIST)
		log_err("%s: [%s] %s given twice", p->path, section, k);
	else if (err)
		log_err("%s: [%s] %s: bad value: %s", p->path, section, k,
			err == -EINVAL ? "malformed" : strerror(-err));
	if (err && !p->err)
		p->err = err == -ENOKEY || err == -EEXIST ? -EINVAL : err;
	return !err;
}

static int tq_config_certs(struct tq_parse *p)
{
	struct tq_auth *a = &p->cfg->auth;
	int r;

	if (!p->cert_file && !p->key_file && !p->ca_file && !a->has_pin)
		return 0;
	if (gnutls_certificate_allocate_credentials(&a->cert) < 0)
		return -ENOMEM;
	if (!!p->cert_file != !!p->key_file) {
		log_err("%s: CertificateFile and KeyFile go together", p->path);
		return -EINVAL;
	}
	if (p->cert_file) {
		r = gnutls_certificate_set_x509_key_file(a->cert, p->cert_file,
							 p->key_file,
							 GNUTLS_X509_FMT_PEM);
		if (r < 0) {
			log_err("%s: cannot load %s / %s: %s", p->path,
				p->cert_file, p->key_file, gnutls_strerror(r));
			return -EINVAL;
		}
	}
	if (p->ca_file) {
		r = gnutls_certificate_set_x509_trust_file(a->cert, p->ca_file,
							   GNUTLS_X509_FMT_PEM);
		if (r <= 0) {
			log_err("%s: no CA certificate in %s%s%s", p->path,
				p->ca_file, r < 0 ? ": " : "",
				r < 0 ? gnutls_strerror(r) : "");
			return -EINVAL;
		}
	}
	if (a->server && !p->cert_file) {
		log_err("%s: a server with certificates needs CertificateFile",
			p->path);
		return -EINVAL;
	}
	if (!a->server && !p->ca_file && !a->has_pin) {
		log_err("%s: a client verifies the server by CAFile or PinSHA256",
			p->path);
		return -EINVAL;
	}
	if (a->require_client_cert && !p->ca_file) {
		log_err("%s: RequireClientCertificate needs CAFile", p->path);
		return -EINVAL;
	}
	return 0;
}

/**
 * tq_config_load() - read and check a configuration file
 * @cfg: filled in; tq_config_free() it even on failure
 * @path: the file
 *
 * Return: 0, or a negative errno after logging what is wrong.
 */
int tq_config_load(struct tq_config *cfg, const char *path)
{
	struct tq_parse p = { .cfg = cfg, .path = path };
	int r;

	memset(cfg, 0, sizeof(*cfg));
	cfg->version = 1;
	cfg->bond = true;
	cfg->idle_timeout_ms = 30000;
	r = ini_parse(path, tq_ini_line, &p);
	if (r < 0) {
		log_err("cannot read %s", path);
		r = -ENOENT;
		goto out;
	}
	if (p.err) {
		r = p.err;
		goto out;
	}
	if (r > 0) {
		log_err("%s:%d: syntax error", path, r);
		r = -EINVAL;
		goto out;
	}
	r = -EINVAL;
	if (!p.have_role) {
		log_err("%s: [Tunnel] Role= is server or client", path);
		goto out;
	}
	if (cfg->auth.server && !cfg->listen.ss_family) {
		log_err("%s: a server needs [Tunnel] Listen=", path);
		goto out;
	}
	if (!cfg->auth.server && !cfg->server.ss_family) {
		log_err("%s: a client needs [Tunnel] Server=", path);
		goto out;
	}
	if (!cfg->auth.server && !!cfg->auth.psk_identity != !!cfg->auth.psk_key.data) {
		log_err("%s: a client's PSK needs both Name= and PSK= (or PSKFile=)",
			path);
		goto out;
	}
	if (cfg->auth.server && (cfg->auth.psk_identity || cfg->auth.psk_key.data)) {
		log_err("%s: a server lists its clients' keys in [Client:NAME] sections",
			path);
		goto out;
	}
	/* a client keeps its NAT binding and its liveness known */
	if (!p.have_keepalive && !cfg->auth.server)
		cfg->keepalive_ms = TQ_DEFAULT_KEEPALIVE_MS;
	if (!cfg->reset_key_file && getenv("STATE_DIRECTORY")) {
		const char *dir = getenv("STATE_DIRECTORY");

		if (asprintf(&cfg->reset_key_file, "%.*s/reset-key",
			     (int)strcspn(dir, ":"), dir) < 0) {
			cfg->reset_key_file = NULL;
			r = -ENOMEM;
			goto out;
		}
	}
	if (!cfg->connlabel_file) {
		r = tq_set_str(&cfg->connlabel_file, TQ_CONNLABEL_FILE);
		if (r)
			goto out;
	}
	r = tq_config_certs(&p);
	if (r)
		goto out;
	r = tq_auth_setup(&cfg->auth);
	if (r == -EINVAL)
		log_err("%s: no authentication configured (PSK or certificates): TLS is never optional",
			path);
out:
	free(p.cert_file);
	free(p.key_file);
	free(p.ca_file);
	return r;
}

void tq_config_free(struct tq_config *cfg)
{
	free(cfg->reset_key_file);
	cfg->reset_key_file = NULL;
	free(cfg->connlabel_file);
	cfg->connlabel_file = NULL;
	tq_auth_free(&cfg->auth);
}
