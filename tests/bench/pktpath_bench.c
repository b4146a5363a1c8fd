// SPDX-License-Identifier: GPL-2.0
/*
 * Cost of the 1-RTT packet path in userspace, beside crypto_bench's AEAD
 * figures: what tquic_conn_send() takes to build and protect a full data
 * packet (one DATAGRAM frame of the largest size), and what
 * tquic_conn_recv() takes to unprotect and parse it and hand the datagram
 * to its owner, next to the AEAD alone on the same packet, so that the
 * cost outside crypto shows.
 *
 * Two connections (client sends, server receives) are set up in one
 * process the way tests/unit/test_conn.c's simulator does it: a stand-in
 * for TLS hands over fixed messages and secrets (AES-128-GCM, QUIC v1),
 * and the server is started by the listener's path (tquic_accept_initial()).
 * Then, in rounds of BATCH packets over a simulated link with no delay:
 *
 *   build:   the client's tquic_conn_send() BATCH times        (timed, tx)
 *   receive: the server's tquic_conn_recv() of each packet     (timed, rx)
 *   ACK:     the server's ACKs go back to the client           (timed apart)
 *   check:   every datagram arrived once, in order, intact     (untimed)
 *   AEAD:    seal, then open, of BATCH packets of the same size (timed)
 *
 * The simulated clock advances one microsecond per packet built. The ACKs
 * open the window again each round, so after a warm-up neither the
 * congestion controller nor the pacer holds a send back (the output says
 * how many rounds they cut short); both still run on every packet, as in
 * the kernel. Sections are timed in thread CPU time until each has taken
 * the seconds asked for.
 *
 * A measurement, not a test: it prints figures and asserts nothing about
 * them. It fails (exit status 1) only when the path does not work: the
 * handshake does not complete, a datagram is missing or corrupt, a packet
 * is not a full one.
 *
 * Usage: pktpath_bench [-s SECONDS] [TSV]
 *   -s: seconds of measurement for each figure (default 1)
 *   TSV: rows "scenario system metric value unit" are appended to it
 */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "accept.h"
#include "conn.h"
#include "crypto.h"
#include "keys.h"
#include "protect.h"
#include "quic.h"
#include "retry.h"

#define BATCH		64	/* packets per round, well inside the sent ring */
#define PKT_CAP		1500	/* room for one datagram */
#define WARMUP_ROUNDS	1000	/* slow start opens the window meanwhile */
#define HS_STEP_US	500	/* handshake: clock between the two sides' turns */

/* The TLS stand-in's messages and secrets (as in tests/unit/test_conn.c) */
#define CLIENT_HELLO	300
#define SERVER_HELLO	90
#define SERVER_FLIGHT	3000
#define CLIENT_FIN	36

static const u8 hs_secret_c[32] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };
static const u8 hs_secret_s[32] = { 9, 8, 7, 6, 5, 4, 3, 2, 1 };
static const u8 app_secret_c[32] = { 0xa1, 0xa2 };
static const u8 app_secret_s[32] = { 0xb1, 0xb2 };
static const u8 reset_key[32] = { 0x5e, 0x70 };
static const u8 client_addr[4] = { 192, 0, 2, 1 };

struct bench;

/*
 * The owner's datagram queue. The sender's always holds one more datagram
 * of @len bytes: the template with a sequence number in its first eight
 * bytes, copied once, as the kernel copies an inner packet. The receiver
 * copies each datagram out once (as into an sk_buff) into @rx, checked
 * after the timed section.
 */
struct dq {
	size_t len;		/* the datagrams' size */
	u8 *tmpl;		/* their contents, but for the sequence */
	u64 tx_seq;		/* next to send */
	u8 *rx;			/* BATCH slots of @len bytes */
	size_t rx_len[BATCH];
	unsigned int nrx;	/* received this round */
	unsigned int bad;	/* received where none was expected */
};

struct side {
	struct tquic_conn *c;
	struct tquic_conn_ops ops;
	struct tquic_dgram_ops dops;
	struct dq q;
	struct bench *b;
	int idx;		/* 0: client, 1: server */
	bool up;		/* the connection exists */
	size_t got[TQUIC_NR_LEVELS];
	unsigned int ncids;
};

struct bench {
	struct side s[2];
	u64 now;		/* simulated clock, microseconds */
	u8 *scratch;		/* the listener's trial decryption */
	u8 *pkts;		/* BATCH packets of PKT_CAP bytes */
	size_t len[BATCH];
	u8 *ack;		/* one datagram of the receiver's */
};

struct figures {
	double tx_s, rx_s, ack_s;	/* seconds, each section */
	u64 tx_pkts, rx_pkts;
	u64 rounds, refused;	/* rounds, and those cut short */
	size_t pkt_len, hdr_len;	/* of the packets measured */
};

/*
 * Sections are timed in thread CPU time, so that another process taking
 * the CPU does not count. Reading that clock is a system call (about a
 * microsecond in a VM); what one reading adds to an interval is measured
 * once and taken off each.
 */
static double clk_cost;

static double clk(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double wall(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* the mean interval between two readings with nothing between them */
static void clk_calibrate(void)
{
	double t0 = clk(), t = t0;
	int i;

	for (i = 0; i < 10000; i++)
		t = clk();
	clk_cost = (t - t0) / 10000;
}

/* seconds since @t0 (a clk() reading), and @t0 moved on to now */
static double lap(double *t0)
{
	double t = clk(), d = t - *t0 - clk_cost;

	*t0 = t;
	return d > 0 ? d : 0;
}

static void __attribute__((noreturn, format(printf, 1, 2)))
die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "pktpath_bench: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	exit(1);
}

/* ---- the handshake, trimmed from tests/unit/test_conn.c's simulator ---- */

static void install(struct side *sd, enum tquic_level lvl, const u8 *mine,
		    const u8 *theirs)
{
	if (tquic_conn_set_secret(sd->c, sd->b->now, lvl, true,
				  TQUIC_AES_128_GCM, mine, 32) ||
	    tquic_conn_set_secret(sd->c, sd->b->now, lvl, false,
				  TQUIC_AES_128_GCM, theirs, 32))
		die("installing keys failed");
}

static void peer_tparams(struct side *sd)
{
	const struct tquic_conn *peer = sd->b->s[!sd->idx].c;

	if (tquic_conn_set_peer_tparams(sd->c, peer->local_tp_buf,
					peer->local_tp_len))
		die("transport parameters refused");
}

static void crypto_send(struct side *sd, enum tquic_level lvl, u8 byte,
			size_t len)
{
	static u8 msg[SERVER_FLIGHT];

	memset(msg, byte, len);
	if (tquic_conn_crypto_send(sd->c, lvl, msg, len))
		die("CRYPTO send failed");
}

/* The TLS stand-in: each message is a run of one byte value. */
static void on_crypto(void *ctx, enum tquic_level lvl, const u8 *d, size_t n)
{
	struct side *sd = ctx;
	size_t before = sd->got[lvl];

	(void)d;
	sd->got[lvl] += n;
	if (sd->idx == 1 && lvl == TQUIC_LEVEL_INITIAL &&
	    before < CLIENT_HELLO && sd->got[lvl] >= CLIENT_HELLO) {
		crypto_send(sd, lvl, 0x02, SERVER_HELLO);
		install(sd, TQUIC_LEVEL_HANDSHAKE, hs_secret_s, hs_secret_c);
		crypto_send(sd, TQUIC_LEVEL_HANDSHAKE, 0x08, SERVER_FLIGHT);
		install(sd, TQUIC_LEVEL_APP, app_secret_s, app_secret_c);
		peer_tparams(sd);
	} else if (sd->idx == 0 && lvl == TQUIC_LEVEL_INITIAL &&
		   before < SERVER_HELLO && sd->got[lvl] >= SERVER_HELLO) {
		install(sd, TQUIC_LEVEL_HANDSHAKE, hs_secret_c, hs_secret_s);
	} else if (sd->idx == 0 && lvl == TQUIC_LEVEL_HANDSHAKE &&
		   before < SERVER_FLIGHT && sd->got[lvl] >= SERVER_FLIGHT) {
		install(sd, TQUIC_LEVEL_APP, app_secret_c, app_secret_s);
		peer_tparams(sd);
		crypto_send(sd, TQUIC_LEVEL_HANDSHAKE, 0x14, CLIENT_FIN);
		if (tquic_conn_tls_done(sd->c, sd->b->now))
			die("client: TLS done refused");
	} else if (sd->idx == 1 && lvl == TQUIC_LEVEL_HANDSHAKE &&
		   before < CLIENT_FIN && sd->got[lvl] >= CLIENT_FIN) {
		if (tquic_conn_tls_done(sd->c, sd->b->now))
			die("server: TLS done refused");
	}
}

/* fresh CIDs, numbered (the kernel draws random ones) */
static int on_new_cid(void *ctx, u8 *cid, u8 len, u8 *token)
{
	struct side *sd = ctx;

	sd->ncids++;
	memset(cid, 0, len);
	cid[0] = (u8)(0xa0 | sd->idx);
	cid[1] = (u8)sd->ncids;
	cid[2] = (u8)(sd->ncids >> 8);
	return tquic_reset_token(reset_key, sizeof(reset_key), cid, len, token);
}

/*
 * A datagram for the server before it has a connection: the listener's
 * steps (kernel/connection.c), without Retry.
 */
static void listen_initial(struct bench *b, u8 *d, size_t len)
{
	struct side *sd = &b->s[1];
	struct tquic_accept_env env = {
		.now = b->now,
		.addr = client_addr,
		.addr_len = sizeof(client_addr),
		.reset_key = reset_key,
		.reset_key_len = sizeof(reset_key),
		.scratch = b->scratch,
		.scratch_len = PKT_CAP,
	};
	u8 cid[TQUIC_CID_LEN] = { 0x5e, 0x5e, 1 };
	struct tquic_conn_cfg cfg;
	struct tquic_hdr h;

	env.cid = cid;
	if (tquic_accept_initial(&env, d, len, &h, &cfg) != TQUIC_ACCEPT_NEW)
		die("the listener did not accept the client's Initial");
	cfg.idle_timeout_ms = 30000;
	if (tquic_conn_init(sd->c, &cfg, &sd->ops))
		die("server: init failed");
	sd->up = true;
	tquic_conn_recv(sd->c, b->now, d, len);
}

/* everything @from has to send now reaches the other side at once */
static void hs_flush(struct bench *b, int from)
{
	struct side *to = &b->s[!from];
	size_t n;

	while ((n = tquic_conn_send(b->s[from].c, b->now, b->pkts,
				    PKT_CAP)) > 0) {
		if (!to->up)
			listen_initial(b, b->pkts, n);
		else
			tquic_conn_recv(to->c, b->now, b->pkts, n);
	}
}

static bool confirmed(const struct tquic_conn *c)
{
	return c->confirmed && c->state == TQUIC_STATE_ESTABLISHED;
}

static void fire_timers(struct bench *b)
{
	int i;

	for (i = 0; i < 2; i++) {
		u64 t = b->s[i].up ? tquic_conn_timeout(b->s[i].c) : 0;

		if (t && t <= b->now)
			tquic_conn_on_timeout(b->s[i].c, b->now);
	}
}

static void handshake(struct bench *b)
{
	int step;

	crypto_send(&b->s[0], TQUIC_LEVEL_INITIAL, 0x01, CLIENT_HELLO);
	for (step = 0; step < 1000; step++) {
		if (b->s[1].up && confirmed(b->s[0].c) && confirmed(b->s[1].c))
			return;
		hs_flush(b, step & 1);
		b->now += HS_STEP_US;
		fire_timers(b);
	}
	die("the handshake did not complete");
}

/* ---- the datagram queues ---- */

static bool dq_pending(void *ctx)
{
	struct dq *q = ctx;

	return q->tmpl != NULL;
}

static size_t dq_pull(void *ctx, u8 *buf, size_t room)
{
	struct dq *q = ctx;

	if (!q->tmpl || q->len > room)
		return 0;
	memcpy(buf, &q->tx_seq, sizeof(q->tx_seq));
	memcpy(buf + sizeof(q->tx_seq), q->tmpl + sizeof(q->tx_seq),
	       q->len - sizeof(q->tx_seq));
	q->tx_seq++;
	return q->len;
}

static void dq_recv(void *ctx, const u8 *data, size_t len)
{
	struct dq *q = ctx;

	if (!q->rx || q->nrx >= BATCH || len > q->len) {
		q->bad++;
		return;
	}
	memcpy(q->rx + (size_t)q->nrx * q->len, data, len);
	q->rx_len[q->nrx++] = len;
}

/* what the receiver got this round: @n datagrams, from sequence @seq on */
static void dq_check(struct dq *rq, const struct dq *tq, u64 seq, unsigned int n)
{
	unsigned int i;

	if (rq->bad || rq->nrx != n)
		die("%u datagrams of %u arrived (%u unexpected)", rq->nrx, n,
		    rq->bad);
	for (i = 0; i < n; i++, seq++) {
		const u8 *d = rq->rx + (size_t)i * rq->len;

		if (rq->rx_len[i] != tq->len || memcmp(d, &seq, sizeof(seq)) ||
		    memcmp(d + sizeof(seq), tq->tmpl + sizeof(seq),
			   tq->len - sizeof(seq)))
			die("datagram %llu arrived corrupted",
			    (unsigned long long)seq);
	}
	rq->nrx = 0;
}

/* ---- the measured rounds ---- */

/*
 * One round: BATCH packets from client to server, then the server's ACKs
 * back. @f NULL: warm-up, nothing counted.
 */
static void round_trip(struct bench *b, struct figures *f)
{
	struct tquic_conn *tx = b->s[0].c, *rx = b->s[1].c;
	u64 seq = b->s[0].q.tx_seq, dgrams = tx->stats.dgrams_tx;
	double t, tx_s, rx_s, ack_s;
	unsigned int i, n;
	size_t len;
	int k;

	/* as the kernel does from process context, off the packet path */
	for (k = 0; k < 2; k++)
		if (tquic_conn_prepare_due(b->s[k].c) &&
		    tquic_conn_prepare(b->s[k].c))
			die("preparing the next key phase failed");

	t = clk();
	for (n = 0; n < BATCH; n++) {
		b->now++;	/* the link: a packet a microsecond */
		b->len[n] = tquic_conn_send(tx, b->now, b->pkts + n * PKT_CAP,
					    PKT_CAP);
		if (!b->len[n])
			break;
	}
	tx_s = lap(&t);
	for (i = 0; i < n; i++)
		tquic_conn_recv(rx, b->now, b->pkts + i * PKT_CAP, b->len[i]);
	rx_s = lap(&t);
	while ((len = tquic_conn_send(rx, b->now, b->ack, PKT_CAP)) > 0)
		tquic_conn_recv(tx, b->now, b->ack, len);
	ack_s = lap(&t);
	/*
	 * Held back by the pacer (early in the warm-up): the link idles
	 * until the pacer's timer (conn.c's pacer_wake, read here only).
	 */
	if (n < BATCH && tx->pacer_wake > b->now)
		b->now = tx->pacer_wake;
	fire_timers(b);

	if (tx->state != TQUIC_STATE_ESTABLISHED ||
	    rx->state != TQUIC_STATE_ESTABLISHED)
		die("a connection closed (error 0x%llx)",
		    (unsigned long long)(tx->close_error | rx->close_error));
	/* every datagram sent arrived, once, in order and intact */
	dq_check(&b->s[1].q, &b->s[0].q, seq,
		 (unsigned int)(tx->stats.dgrams_tx - dgrams));
	if (!f)
		return;
	/*
	 * Measured rounds: every packet one full datagram (the warm-up's
	 * first packets also carry the frames the handshake left owed)
	 */
	if (tx->stats.dgrams_tx - dgrams != n)
		die("%llu datagrams in %u packets",
		    (unsigned long long)(tx->stats.dgrams_tx - dgrams), n);
	for (i = 0; i < n; i++)
		if (b->len[i] < b->s[0].q.len + TQUIC_DGRAM_FRAME_HDR +
				TQUIC_AEAD_TAG_LEN + 1 + tx->dcid_len + 1)
			die("a packet of %zu bytes", b->len[i]);
	if (n) {
		/* the receiver unprotected the header in place: its PN length */
		f->pkt_len = b->len[n - 1];
		f->hdr_len = 1 + tx->dcid_len + (b->pkts[(n - 1) * PKT_CAP] & 3) + 1;
	}
	f->tx_s += tx_s;
	f->rx_s += rx_s;
	f->ack_s += ack_s;
	f->tx_pkts += n;
	f->rx_pkts += n;
	f->rounds++;
	f->refused += n < BATCH;
}

/* ---- the AEAD alone, on the same packets ---- */

/*
 * Seal and open of the packets' payload with their header as associated
 * data, with the connection's AEAD and a nonce per packet number, in
 * batches interleaved with the rounds above, so that both see the same
 * machine; then the header protection mask (one AES block), which
 * protect and unprotect also pay.
 */
struct aead_bench {
	struct tquic_keys k;
	size_t ad_len, pt_len, sz;
	u8 *bufs;		/* BATCH packets of @sz bytes */
	u64 pn;
	double seal_s, open_s, hp_s;
	u64 seals, opens, masks;
};

static void aead_setup(struct aead_bench *a, size_t ad_len, size_t pt_len)
{
	size_t i;

	a->ad_len = ad_len;
	a->pt_len = pt_len;
	a->sz = ad_len + pt_len + TQUIC_AEAD_TAG_LEN;
	a->bufs = malloc(BATCH * a->sz);
	if (!a->bufs || tquic_keys_install(&a->k, TQUIC_VERSION_1,
					   TQUIC_AES_128_GCM, app_secret_c,
					   sizeof(app_secret_c)))
		die("AEAD setup failed");
	for (i = 0; i < BATCH * a->sz; i++)
		a->bufs[i] = (u8)(i * 31 + 7);
}

static void aead_round(struct aead_bench *a)
{
	u8 nonce[TQUIC_AEAD_NONCE_LEN];
	double t = clk();
	int i;

	for (i = 0; i < BATCH; i++) {
		u8 *p = a->bufs + i * a->sz;

		tquic_nonce(a->k.iv, 0, a->pn + i, nonce);
		if (tquic_aead_seal(a->k.aead, nonce, p, a->ad_len,
				    p + a->ad_len, a->pt_len))
			die("AEAD seal failed");
	}
	a->seal_s += lap(&t);
	for (i = 0; i < BATCH; i++) {
		u8 *p = a->bufs + i * a->sz;

		tquic_nonce(a->k.iv, 0, a->pn + i, nonce);
		if (tquic_aead_open(a->k.aead, nonce, p, a->ad_len,
				    p + a->ad_len,
				    a->pt_len + TQUIC_AEAD_TAG_LEN))
			die("AEAD open failed");
	}
	a->open_s += lap(&t);
	a->pn += BATCH;
	a->seals += BATCH;
	a->opens += BATCH;
}

static void aead_hp(struct aead_bench *a, double secs)
{
	u8 mask[TQUIC_HP_MASK_LEN];
	double t;
	int i;

	while (a->hp_s < secs) {
		t = clk();
		for (i = 0; i < BATCH * 16; i++)
			if (tquic_hp_mask(a->k.hp, a->bufs + (i % BATCH) * a->sz +
					  a->ad_len, mask))
				die("header protection failed");
		a->hp_s += lap(&t);
		a->masks += BATCH * 16;
	}
}

static void aead_teardown(struct aead_bench *a)
{
	tquic_keys_destroy(&a->k);
	free(a->bufs);
}

/* ---- output ---- */

static FILE *tsv;

/* one TSV row, with @prec decimals */
static void row(const char *metric, double value, int prec, const char *unit)
{
	if (tsv)
		fprintf(tsv, "pktpath\ttquic-core\t%s\t%.*f\t%s\n", metric,
			prec, value, unit);
}

static void usage(void)
{
	fprintf(stderr, "usage: pktpath_bench [-s SECONDS] [TSV]\n");
	exit(2);
}

/*
 * Two established connections, client to server, the client's queue
 * holding the largest datagram a packet takes, again and again.
 */
static struct bench *bench_new(void)
{
	struct bench *b = calloc(1, sizeof(*b));
	struct tquic_conn_cfg cfg = {
		.version = TQUIC_VERSION_1,
		.scid_len = TQUIC_CID_LEN,
		.dcid_len = TQUIC_CID_LEN,
		.idle_timeout_ms = 30000,
	};
	size_t i, max;
	int r;

	if (!b)
		die("out of memory");
	b->now = 1000000;
	b->scratch = malloc(PKT_CAP);
	b->pkts = malloc(BATCH * PKT_CAP);
	b->ack = malloc(PKT_CAP);
	if (!b->scratch || !b->pkts || !b->ack)
		die("out of memory");
	for (r = 0; r < 2; r++) {
		struct side *sd = &b->s[r];

		sd->c = calloc(1, sizeof(*sd->c));
		if (!sd->c)
			die("out of memory");
		sd->b = b;
		sd->idx = r;
		sd->ops.crypto_data = on_crypto;
		sd->ops.new_cid = on_new_cid;
		sd->ops.ctx = sd;
		sd->dops.pending = dq_pending;
		sd->dops.pull = dq_pull;
		sd->dops.recv = dq_recv;
		sd->dops.ctx = &sd->q;
	}
	cfg.now = b->now;
	memset(cfg.scid, 0xc1, TQUIC_CID_LEN);
	memset(cfg.dcid, 0xd0, TQUIC_CID_LEN);
	if (tquic_conn_init(b->s[0].c, &cfg, &b->s[0].ops))
		die("client: init failed");
	b->s[0].up = true;
	handshake(b);

	for (r = 0; r < 2; r++)
		tquic_conn_set_dgram_ops(b->s[r].c, &b->s[r].dops);
	max = tquic_dgram_max_payload(b->s[0].c);
	if (max < 64)
		die("no room for datagrams (%zu)", max);
	b->s[0].q.tmpl = malloc(max);
	b->s[1].q.rx = malloc(BATCH * max);
	if (!b->s[0].q.tmpl || !b->s[1].q.rx)
		die("out of memory");
	for (i = 0; i < max; i++)
		b->s[0].q.tmpl[i] = (u8)(i * 7 + 3);
	b->s[0].q.len = max;
	b->s[1].q.len = max;
	return b;
}

static void bench_free(struct bench *b)
{
	int r;

	for (r = 0; r < 2; r++) {
		tquic_conn_destroy(b->s[r].c);
		free(b->s[r].c);
	}
	free(b->s[0].q.tmpl);
	free(b->s[1].q.rx);
	free(b->scratch);
	free(b->pkts);
	free(b->ack);
	free(b);
}

/* the figures, as lines and as TSV rows */
static void report(const struct bench *b, const struct figures *f,
		   const struct aead_bench *a)
{
	size_t max = b->s[0].q.len;
	double tx_pps = (double)f->tx_pkts / f->tx_s;
	double rx_pps = (double)f->rx_pkts / f->rx_s;
	double seal_pps = (double)a->seals / a->seal_s;
	double open_pps = (double)a->opens / a->open_s;
	double ns_tx = 1e9 / tx_pps - 1e9 / seal_pps;
	double ns_rx = 1e9 / rx_pps - 1e9 / open_pps;
	double hp_ns = a->hp_s / (double)a->masks * 1e9;
	double ack_ns = f->ack_s / (double)f->rx_pkts * 1e9;
	double gbit = (double)max * 8 / 1e9;

	printf("# 1-RTT packet path, userspace (kernel/core over nettle), one thread\n");
	printf("# packet: %zu bytes = short header %zu (8-byte CID, %zu-byte PN)"
	       " + DATAGRAM frame %zu (%zu bytes of payload) + tag %d;"
	       " AES-128-GCM, QUIC v1\n", f->pkt_len, f->hdr_len,
	       f->hdr_len - 1 - TQUIC_CID_LEN, max + TQUIC_DGRAM_FRAME_HDR, max,
	       TQUIC_AEAD_TAG_LEN);
	printf("# window kept open honestly: after each round of %d packets the"
	       " receiver's ACKs go back to the sender (zero-delay simulated"
	       " link, clock +1 us per packet, %d warm-up rounds); CC or pacer"
	       " cut short %llu of %llu timed rounds\n", BATCH, WARMUP_ROUNDS,
	       (unsigned long long)f->refused, (unsigned long long)f->rounds);
	printf("pktpath build+protect:   %10.0f pkt/s (%6.0f ns/pkt, %5.2f Gbit/s"
	       " of payload), AEAD seal alone: %10.0f pkt/s (%4.0f ns),"
	       " path cost outside AEAD: %4.0f ns/pkt\n", tx_pps, 1e9 / tx_pps,
	       tx_pps * gbit, seal_pps, 1e9 / seal_pps, ns_tx);
	printf("pktpath unprotect+parse: %10.0f pkt/s (%6.0f ns/pkt, %5.2f Gbit/s"
	       " of payload), AEAD open alone: %10.0f pkt/s (%4.0f ns),"
	       " path cost outside AEAD: %4.0f ns/pkt\n", rx_pps, 1e9 / rx_pps,
	       rx_pps * gbit, open_pps, 1e9 / open_pps, ns_rx);
	printf("# outside AEAD: header protection (one AES block, %.0f ns each"
	       " way), one payload copy each way (the owner's queue), frames,"
	       " the sent-packet record, CC and pacer on send, the ACK"
	       " bookkeeping on receive\n", hp_ns);
	printf("# ACKs (one per round here, not timed above): %.0f ns per data"
	       " packet for the receiver to send and the sender to process them\n",
	       ack_ns);
	printf("# key updates (RFC 9001 §6, every %llu packets): %u, the next"
	       " phase's keys prepared between rounds\n",
	       (unsigned long long)TQUIC_KU_AFTER_PKTS,
	       (unsigned int)b->s[0].c->kp.updates);

	row("build_protect_pps", tx_pps, 0, "pkt/s");
	row("unprotect_parse_pps", rx_pps, 0, "pkt/s");
	row("build_protect_payload_gbps", tx_pps * gbit, 2, "Gbit/s");
	row("unprotect_parse_payload_gbps", rx_pps * gbit, 2, "Gbit/s");
	row("aead_seal_pps", seal_pps, 0, "pkt/s");
	row("aead_open_pps", open_pps, 0, "pkt/s");
	row("outside_aead_ns_tx", ns_tx, 1, "ns");
	row("outside_aead_ns_rx", ns_rx, 1, "ns");
	row("hp_mask_ns", hp_ns, 1, "ns");
	row("ack_ns_per_pkt", ack_ns, 1, "ns");
}

int main(int argc, char **argv)
{
	struct figures f = { 0 };
	struct aead_bench a = { 0 };
	double secs = 1.0, wall0, cpu0;
	struct bench *b;
	int opt, r;

	while ((opt = getopt(argc, argv, "s:")) != -1) {
		if (opt != 's' || (secs = atof(optarg)) <= 0)
			usage();
	}
	if (argc - optind > 1)
		usage();
	if (optind < argc) {
		tsv = fopen(argv[optind], "a");
		if (!tsv || fseek(tsv, 0, SEEK_END))
			die("cannot open %s", argv[optind]);
		/* a new file starts with the header */
		if (!ftell(tsv))
			fprintf(tsv, "scenario\tsystem\tmetric\tvalue\tunit\n");
	}
	clk_calibrate();
	wall0 = wall();
	cpu0 = clk();
	b = bench_new();

	/* the last warm-up round gives the packets' geometry */
	for (r = 0; r < WARMUP_ROUNDS; r++)
		round_trip(b, r == WARMUP_ROUNDS - 1 ? &f : NULL);
	aead_setup(&a, f.hdr_len, f.pkt_len - f.hdr_len - TQUIC_AEAD_TAG_LEN);
	memset(&f, 0, sizeof(f));
	while (f.tx_s < secs || f.rx_s < secs || a.seal_s < secs ||
	       a.open_s < secs) {
		round_trip(b, &f);
		aead_round(&a);
	}
	aead_hp(&a, secs / 4);
	if (b->s[0].q.bad)
		die("the sender received %u datagrams", b->s[0].q.bad);
	if (b->s[1].c->stats.pkts_undecryptable ||
	    b->s[1].c->stats.pkts_dropped || b->s[0].c->stats.pkts_lost)
		die("packets undecryptable %llu, dropped %llu, lost %llu",
		    (unsigned long long)b->s[1].c->stats.pkts_undecryptable,
		    (unsigned long long)b->s[1].c->stats.pkts_dropped,
		    (unsigned long long)b->s[0].c->stats.pkts_lost);

	report(b, &f, &a);
	printf("# timed in thread CPU time (%.0f ns a reading, taken off);"
	       " %.1f s of it in %.1f s\n", clk_cost * 1e9, clk() - cpu0,
	       wall() - wall0);
	if (tsv && fclose(tsv))
		die("writing the TSV failed");
	aead_teardown(&a);
	bench_free(b);
	return 0;
}
