// SPDX-License-Identifier: GPL-2.0
/*
 * tq-ngclient: a QUIC client on Debian's libngtcp2 and its GnuTLS helper,
 * an implementation independent of ours, for the interop tests.
 *
 * tq-ngclient [-a ALPN] [-c CAFILE] [-n NAME] [-k COUNT] [-p PINGS] [-u]
 *             [-w SECONDS] [-t SECONDS] [-s] ADDRESS PORT
 *
 * QUIC v1 only: Debian's ngtcp2 0.12 knows QUIC v2 only as a draft.
 *
 * Each of COUNT connections in a row: the handshake, then PINGS 1-RTT PINGs
 * that the server acknowledges, with -u a key update (ngtcp2's) and PINGS
 * more under the new keys, -w SECONDS more of PINGs (so that a test can look
 * at the server meanwhile), then CONNECTION_CLOSE(NO_ERROR). The line
 * counts the NEW_CONNECTION_ID frames the server sent; a stateless reset
 * from the server (ngtcp2 checked its token) fails the connection and
 * says so. -t bounds all
 * but the -w time. With -s, only the first Initial of COUNT connections is
 * sent, all at once, and nothing more: handshakes left half-open. What was sent
 * and acknowledged is read from ngtcp2's own log, not from our module.
 * One line per connection. Exit status: 0 all succeeded, 1 one failed
 * (its line says how: the peer's error code, the TLS alert, a timeout),
 * 2 bad usage or setup.
 */

#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <ngtcp2/ngtcp2.h>
#include <ngtcp2/ngtcp2_crypto.h>
#include <ngtcp2/ngtcp2_crypto_gnutls.h>

#define MAX_PINGS	4096

struct opts {
	const char *alpn, *ca, *name, *addr;
	int port, count, pings, timeout, linger;
	bool key_update, spray;
};

struct client {
	ngtcp2_conn *conn;
	ngtcp2_crypto_conn_ref ref;
	gnutls_session_t tls;
	int fd;
	ngtcp2_path_storage ps;
	bool completed, confirmed, ku_started, ku_confirmed, retried, reset;
	int new_cids;
	/* 1-RTT packet numbers that carried a PING, and whether acked */
	int64_t ping_pn[MAX_PINGS];
	bool ping_acked[MAX_PINGS];
	bool ping_after_ku[MAX_PINGS];
	int nping;
};

static ngtcp2_tstamp now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (ngtcp2_tstamp)ts.tv_sec * NGTCP2_SECONDS + ts.tv_nsec;
}

static void fill_random(uint8_t *p, size_t n)
{
	if (getrandom(p, n, 0) != (ssize_t)n) {
		perror("getrandom");
		exit(2);
	}
}

static void rand_cb(uint8_t *dest, size_t len, const ngtcp2_rand_ctx *ctx)
{
	(void)ctx;
	fill_random(dest, len);
}

static int new_cid_cb(ngtcp2_conn *conn, ngtcp2_cid *cid, uint8_t *token,
		      size_t cidlen, void *user_data)
{
	(void)conn;
	(void)user_data;
	fill_random(cid->data, cidlen);
	cid->datalen = cidlen;
	fill_random(token, NGTCP2_STATELESS_RESET_TOKENLEN);
	return 0;
}

static int completed_cb(ngtcp2_conn *conn, void *user_data)
{
	(void)conn;
	((struct client *)user_data)->completed = true;
	return 0;
}

static int confirmed_cb(ngtcp2_conn *conn, void *user_data)
{
	(void)conn;
	((struct client *)user_data)->confirmed = true;
	return 0;
}

static int retry_cb(ngtcp2_conn *conn, const ngtcp2_pkt_hd *hd,
		    void *user_data)
{
	((struct client *)user_data)->retried = true;
	return ngtcp2_crypto_recv_retry_cb(conn, hd, user_data);
}

static int reset_cb(ngtcp2_conn *conn, const ngtcp2_pkt_stateless_reset *sr,
		    void *user_data)
{
	(void)conn;
	(void)sr;
	((struct client *)user_data)->reset = true;
	return 0;
}

static ngtcp2_conn *get_conn(ngtcp2_crypto_conn_ref *ref)
{
	return ((struct client *)ref->user_data)->conn;
}

static void mark_acked(struct client *cl, int64_t lo, int64_t hi)
{
	int i;

	for (i = 0; i < cl->nping; i++)
		if (cl->ping_pn[i] >= lo && cl->ping_pn[i] <= hi)
			cl->ping_acked[i] = true;
}

/*
 * ngtcp2's log, one line per call: "I<time> 0x<scid> frm tx|rx <pn> 1RTT
 * PING(0x01)", "... ACK(0x02) range=[a..b] ...". PINGs we sent and the
 * 1-RTT ACK ranges we received are what counts.
 */
static void log_cb(void *user_data, const char *fmt, ...)
{
	struct client *cl = user_data;
	char line[1024], dir[8], type[16];
	int64_t pn, a, b;
	const char *f;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (getenv("TQ_NGCLIENT_LOG"))
		fprintf(stderr, "%s\n", line);
	if (strstr(line, "key update confirmed"))
		cl->ku_confirmed = true;
	f = strstr(line, " frm ");
	if (!f || sscanf(f, " frm %7s %" SCNd64 " %15s", dir, &pn, type) != 3 ||
	    strcmp(type, "1RTT"))
		return;
	if (!strcmp(dir, "tx") && strstr(f, " PING(") && cl->nping < MAX_PINGS) {
		cl->ping_pn[cl->nping] = pn;
		cl->ping_after_ku[cl->nping] = cl->ku_started;
		cl->ping_acked[cl->nping++] = false;
		return;
	}
	if (!strcmp(dir, "rx") && strstr(f, " NEW_CONNECTION_ID(")) {
		cl->new_cids++;
		return;
	}
	if (strcmp(dir, "rx") || !(f = strstr(f, " ACK(")))
		return;
	if ((f = strstr(line, "range=[")) &&
	    sscanf(f, "range=[%" SCNd64 "..%" SCNd64 "]", &a, &b) == 2)
		mark_acked(cl, a < b ? a : b, a < b ? b : a);
}

static int acked_pings(const struct client *cl, bool after_ku)
{
	int i, n = 0;

	for (i = 0; i < cl->nping; i++)
		n += cl->ping_acked[i] && cl->ping_after_ku[i] == after_ku;
	return n;
}

static int tls_setup(struct client *cl, const struct opts *o,
		     gnutls_certificate_credentials_t cred)
{
	gnutls_datum_t alpn = {
		.data = (unsigned char *)o->alpn,
		.size = (unsigned int)strlen(o->alpn),
	};

	if (gnutls_init(&cl->tls, GNUTLS_CLIENT | GNUTLS_NO_END_OF_EARLY_DATA) ||
	    gnutls_priority_set_direct(cl->tls,
				       "NORMAL:-VERS-ALL:+VERS-TLS1.3:"
				       "%DISABLE_TLS13_COMPAT_MODE", NULL) ||
	    ngtcp2_crypto_gnutls_configure_client_session(cl->tls) ||
	    gnutls_credentials_set(cl->tls, GNUTLS_CRD_CERTIFICATE, cred) ||
	    gnutls_alpn_set_protocols(cl->tls, &alpn, 1, 0) ||
	    gnutls_server_name_set(cl->tls, GNUTLS_NAME_DNS, o->name,
				   strlen(o->name)))
		return -1;
	gnutls_session_set_verify_cert(cl->tls, o->name, 0);
	cl->ref.get_conn = get_conn;
	cl->ref.user_data = cl;
	gnutls_session_set_ptr(cl->tls, &cl->ref);
	return 0;
}

static int conn_setup(struct client *cl, const struct opts *o)
{
	ngtcp2_callbacks cb = {
		.client_initial = ngtcp2_crypto_client_initial_cb,
		.recv_crypto_data = ngtcp2_crypto_recv_crypto_data_cb,
		.encrypt = ngtcp2_crypto_encrypt_cb,
		.decrypt = ngtcp2_crypto_decrypt_cb,
		.hp_mask = ngtcp2_crypto_hp_mask_cb,
		.recv_retry = retry_cb,
		.rand = rand_cb,
		.get_new_connection_id = new_cid_cb,
		.update_key = ngtcp2_crypto_update_key_cb,
		.delete_crypto_aead_ctx = ngtcp2_crypto_delete_crypto_aead_ctx_cb,
		.delete_crypto_cipher_ctx =
			ngtcp2_crypto_delete_crypto_cipher_ctx_cb,
		.get_path_challenge_data =
			ngtcp2_crypto_get_path_challenge_data_cb,
		.version_negotiation = ngtcp2_crypto_version_negotiation_cb,
		.handshake_completed = completed_cb,
		.handshake_confirmed = confirmed_cb,
		.recv_stateless_reset = reset_cb,
	};
	struct sockaddr_storage local, remote;
	socklen_t llen = sizeof(local), rlen;
	struct sockaddr_in *sin = (struct sockaddr_in *)&remote;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&remote;
	ngtcp2_transport_params params;
	ngtcp2_settings settings;
	ngtcp2_cid dcid, scid;

	memset(&remote, 0, sizeof(remote));
	if (inet_pton(AF_INET, o->addr, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(o->port);
		rlen = sizeof(*sin);
	} else if (inet_pton(AF_INET6, o->addr, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(o->port);
		rlen = sizeof(*sin6);
	} else {
		fprintf(stderr, "tq-ngclient: bad address %s\n", o->addr);
		return -1;
	}
	cl->fd = socket(remote.ss_family, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	if (cl->fd < 0 || connect(cl->fd, (struct sockaddr *)&remote, rlen) ||
	    getsockname(cl->fd, (struct sockaddr *)&local, &llen)) {
		perror("tq-ngclient: socket");
		return -1;
	}
	ngtcp2_path_storage_init(&cl->ps, (struct sockaddr *)&local, llen,
				 (struct sockaddr *)&remote, rlen, NULL);
	dcid.datalen = 16;
	fill_random(dcid.data, dcid.datalen);
	scid.datalen = 8;
	fill_random(scid.data, scid.datalen);

	ngtcp2_settings_default(&settings);
	settings.initial_ts = now_ns();
	settings.log_printf = log_cb;
	ngtcp2_transport_params_default(&params);
	params.max_idle_timeout = 30 * NGTCP2_SECONDS;
	/* room for more than the default two of the server's CIDs */
	params.active_connection_id_limit = 8;
	return ngtcp2_conn_client_new(&cl->conn, &dcid, &scid, &cl->ps.path,
				      NGTCP2_PROTO_VER_V1,
				      &cb, &settings, &params, NULL, cl);
}

static int flush(struct client *cl)
{
	uint8_t buf[1500];
	ngtcp2_pkt_info pi;
	ngtcp2_ssize n;

	for (;;) {
		n = ngtcp2_conn_write_pkt(cl->conn, &cl->ps.path, &pi, buf,
					  sizeof(buf), now_ns());
		if (n < 0)
			return (int)n;
		if (!n)
			return 0;
		if (send(cl->fd, buf, (size_t)n, 0) < 0 && errno != EAGAIN)
			return NGTCP2_ERR_CALLBACK_FAILURE;
	}
}

static void describe_close(struct client *cl, int rv, char *out, size_t len)
{
	ngtcp2_connection_close_error ccerr;
	uint8_t alert = ngtcp2_conn_get_tls_alert(cl->conn);

	ngtcp2_conn_get_connection_close_error(cl->conn, &ccerr);
	if (rv == NGTCP2_ERR_DRAINING && cl->reset)
		snprintf(out, len, "stateless reset from the server");
	else if (rv == NGTCP2_ERR_DRAINING)
		snprintf(out, len, "closed by the server: %s error 0x%" PRIx64
			 "%s%.*s",
			 ccerr.type == NGTCP2_CONNECTION_CLOSE_ERROR_CODE_TYPE_APPLICATION ?
			 "application" : "transport", ccerr.error_code,
			 ccerr.reasonlen ? ", reason: " : "",
			 (int)ccerr.reasonlen, (const char *)ccerr.reason);
	else if (alert)
		snprintf(out, len, "TLS alert %u (%s)", alert,
			 gnutls_alert_get_strname(alert));
	else
		snprintf(out, len, "ngtcp2 error %s", ngtcp2_strerror(rv));
}

/* Everything the connection was asked to do is done */
static bool goal_met(const struct client *cl, const struct opts *o)
{
	if (!cl->confirmed || acked_pings(cl, false) < o->pings)
		return false;
	return !o->key_update ||
	       (cl->ku_confirmed && acked_pings(cl, true) >= o->pings);
}

/* One connection; 0 when everything it was asked to do was done. */
static int run_one(int idx, const struct opts *o,
		   gnutls_certificate_credentials_t cred)
{
	struct client *cl = calloc(1, sizeof(*cl));
	ngtcp2_tstamp deadline, expiry, t;
	bool lingering = false;
	char why[256] = "timed out";
	int rv = -1, done = 0;

	if (!cl || conn_setup(cl, o) || tls_setup(cl, o, cred)) {
		fprintf(stderr, "tq-ngclient: setup failed\n");
		exit(2);
	}
	ngtcp2_conn_set_tls_native_handle(cl->conn, cl->tls);
	deadline = now_ns() + (ngtcp2_tstamp)o->timeout * NGTCP2_SECONDS;

	for (;;) {
		uint8_t buf[65536];
		struct pollfd pfd = { .fd = cl->fd, .events = POLLIN };
		ngtcp2_pkt_info pi = { 0 };
		ssize_t n;
		int ms;

		rv = flush(cl);
		if (rv) {
			describe_close(cl, rv, why, sizeof(why));
			break;
		}
		/* ngtcp2 refuses a key update until its own rules allow it */
		if (o->key_update && !cl->ku_started && cl->confirmed &&
		    acked_pings(cl, false) >= o->pings &&
		    !ngtcp2_conn_initiate_key_update(cl->conn, now_ns())) {
			cl->ku_started = true;
			continue;
		}
		/* done: -w more seconds of PINGs, then the close */
		if (!lingering && goal_met(cl, o)) {
			lingering = true;
			deadline = now_ns() + (ngtcp2_tstamp)o->linger *
					      NGTCP2_SECONDS;
		}
		/* PINGs one after another once the handshake is confirmed */
		ngtcp2_conn_set_keep_alive_timeout(cl->conn, cl->confirmed ?
						   20 * NGTCP2_MILLISECONDS :
						   0);
		t = now_ns();
		if (t >= deadline) {
			done = lingering;
			break;
		}
		expiry = ngtcp2_conn_get_expiry(cl->conn);
		if (expiry > deadline)
			expiry = deadline;
		ms = expiry > t ? (int)((expiry - t) / NGTCP2_MILLISECONDS) + 1 : 0;
		if (poll(&pfd, 1, ms) < 0 && errno != EINTR) {
			perror("poll");
			exit(2);
		}
		while ((n = recv(cl->fd, buf, sizeof(buf), 0)) > 0) {
			rv = ngtcp2_conn_read_pkt(cl->conn, &cl->ps.path, &pi,
						  buf, (size_t)n, now_ns());
			if (rv)
				break;
		}
		if (rv) {
			describe_close(cl, rv, why, sizeof(why));
			break;
		}
		if (now_ns() >= ngtcp2_conn_get_expiry(cl->conn)) {
			rv = ngtcp2_conn_handle_expiry(cl->conn, now_ns());
			if (rv) {
				snprintf(why, sizeof(why), "%s",
					 rv == NGTCP2_ERR_IDLE_CLOSE ?
					 "idle timeout" : ngtcp2_strerror(rv));
				break;
			}
		}
	}

	if (done) {
		ngtcp2_connection_close_error ccerr;
		uint8_t buf[1500];
		ngtcp2_pkt_info pi;
		ngtcp2_ssize n;

		ngtcp2_connection_close_error_default(&ccerr);
		n = ngtcp2_conn_write_connection_close(cl->conn, &cl->ps.path,
						       &pi, buf, sizeof(buf),
						       &ccerr, now_ns());
		if (n > 0)
			send(cl->fd, buf, (size_t)n, 0);
		printf("conn %d: established%s, version 0x%08x, %d 1-RTT PINGs "
		       "acknowledged", idx, cl->retried ? " after a Retry" : "",
		       ngtcp2_conn_get_negotiated_version(cl->conn),
		       acked_pings(cl, false));
		if (o->key_update)
			printf(", key update confirmed, %d PINGs acknowledged "
			       "under the new keys", acked_pings(cl, true));
		printf(", %d new CIDs from the server, closed\n", cl->new_cids);
	} else {
		printf("conn %d: failed (%s): handshake %s, %d 1-RTT PINGs "
		       "acknowledged\n", idx, why,
		       cl->completed ? "completed" : "not completed",
		       acked_pings(cl, false) + acked_pings(cl, true));
	}
	fflush(stdout);
	ngtcp2_conn_del(cl->conn);
	gnutls_deinit(cl->tls);
	close(cl->fd);
	free(cl);
	return done ? 0 : -1;
}

/* -s: the first Initial of @count connections, nothing more */
static int spray(const struct opts *o, gnutls_certificate_credentials_t cred)
{
	struct client **cl = calloc((size_t)o->count, sizeof(*cl));
	int i, sent = 0;

	if (!cl)
		exit(2);
	for (i = 0; i < o->count; i++) {
		cl[i] = calloc(1, sizeof(**cl));
		if (!cl[i] || conn_setup(cl[i], o) || tls_setup(cl[i], o, cred))
			exit(2);
		ngtcp2_conn_set_tls_native_handle(cl[i]->conn, cl[i]->tls);
		if (!flush(cl[i]))
			sent++;
	}
	for (i = 0; i < o->count; i++) {
		ngtcp2_conn_del(cl[i]->conn);
		gnutls_deinit(cl[i]->tls);
		close(cl[i]->fd);
		free(cl[i]);
	}
	free(cl);
	printf("%d Initials sent\n", sent);
	return sent == o->count ? 0 : 1;
}

static void usage(void)
{
	fprintf(stderr, "usage: tq-ngclient [-a ALPN] [-c CAFILE] [-n NAME] "
		"[-k COUNT] [-p PINGS] [-u] [-w SECONDS] [-t SECONDS] [-s] ADDRESS PORT\n");
	exit(2);
}

int main(int argc, char **argv)
{
	struct opts o = {
		.alpn = "tquic/1", .name = "tquic.test", .count = 1,
		.pings = 3, .timeout = 10,
	};
	gnutls_certificate_credentials_t cred;
	int c, i, failed = 0;

	while ((c = getopt(argc, argv, "a:c:n:k:p:uw:t:s")) != -1) {
		switch (c) {
		case 'a': o.alpn = optarg; break;
		case 'c': o.ca = optarg; break;
		case 'n': o.name = optarg; break;
		case 'k': o.count = atoi(optarg); break;
		case 'p': o.pings = atoi(optarg); break;
		case 'u': o.key_update = true; break;
		case 't': o.timeout = atoi(optarg); break;
		case 'w': o.linger = atoi(optarg); break;
		case 's': o.spray = true; break;
		default: usage();
		}
	}
	if (argc - optind != 2 || !o.ca || o.count < 1 || o.pings < 0 ||
	    o.pings > MAX_PINGS / 4 || o.timeout < 1 || o.linger < 0 ||
	    o.linger > 60)
		usage();
	o.addr = argv[optind];
	o.port = atoi(argv[optind + 1]);
	if (gnutls_certificate_allocate_credentials(&cred) ||
	    gnutls_certificate_set_x509_trust_file(cred, o.ca,
						   GNUTLS_X509_FMT_PEM) < 1) {
		fprintf(stderr, "tq-ngclient: cannot load CA file %s\n", o.ca);
		return 2;
	}
	if (o.spray) {
		failed = spray(&o, cred);
		gnutls_certificate_free_credentials(cred);
		return failed;
	}
	for (i = 1; i <= o.count; i++)
		if (run_one(i, &o, cred))
			failed++;
	if (o.count > 1)
		printf("%d of %d connections succeeded\n", o.count - failed,
		       o.count);
	gnutls_certificate_free_credentials(cred);
	return failed ? 1 : 0;
}
