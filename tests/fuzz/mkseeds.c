// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * mkseeds DIR: write the fuzzers' seed corpora, made with kernel/core's
 * own writers: DIR/frame (one seed per frame type), DIR/tparams (client
 * and server parameters), DIR/packet (protected v1 and v2 Initials that
 * decrypt, a coalesced datagram, Retry, Version Negotiation, short),
 * DIR/conn (fuzz_conn scripts that complete a handshake, then do more).
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz_conn.h"
#include "header.h"
#include "keys.h"
#include "protect.h"
#include "retry.h"
#include "sample_frames.h"
#include "tparams.h"

static const char *dir;

static void put(const char *sub, int i, const u8 *b, size_t n)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, sub);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/%s/seed-%03d", dir, sub, i);
	f = fopen(path, "wb");
	if (!f || fwrite(b, 1, n, f) != n) {
		perror(path);
		exit(1);
	}
	fclose(f);
}

static void seeds_frame(void)
{
	struct tquic_frame fs[TQUIC_SAMPLE_NFRAMES];
	size_t n = tquic_sample_frames(fs), i;
	u8 b[512];

	for (i = 0; i < n; i++) {
		int len;

		b[0] = 0x0f;	/* 1-RTT, DATAGRAM and multipath negotiated */
		len = tquic_frame_write(b + 1, sizeof(b) - 1, &fs[i]);
		if (len < 0)
			exit(1);
		put("frame", (int)i, b, (size_t)len + 1);
	}
}

static void seeds_tparams(void)
{
	struct tquic_tparams tp;
	u8 b[512];
	int len;

	tquic_tparams_init(&tp);
	tp.present = TQUIC_TPB(TQUIC_TP_MAX_IDLE_TIMEOUT) |
		     TQUIC_TPB(TQUIC_TP_INITIAL_MAX_DATA) |
		     TQUIC_TPB(TQUIC_TP_INITIAL_SCID) |
		     TQUIC_TPB(TQUIC_TP_MAX_DATAGRAM_FRAME_SIZE) |
		     TQUIC_TPB(TQUIC_TP_INITIAL_MAX_PATH_ID) |
		     TQUIC_TPB(TQUIC_TP_VERSION_INFORMATION);
	tp.max_idle_timeout = 30000;
	tp.initial_max_data = 1 << 20;
	tp.initial_scid_len = 8;
	tp.max_datagram_frame_size = 1400;
	tp.initial_max_path_id = 7;
	tp.chosen_version = TQUIC_VERSION_1;
	tp.nversions = 2;
	tp.available_versions[0] = TQUIC_VERSION_1;
	tp.available_versions[1] = TQUIC_VERSION_2;
	b[0] = 0;
	len = tquic_tparams_write(b + 1, sizeof(b) - 1, false, &tp);
	put("tparams", 0, b, (size_t)len + 1);

	tp.present |= TQUIC_TPB(TQUIC_TP_ORIGINAL_DCID) |
		      TQUIC_TPB(TQUIC_TP_STATELESS_RESET_TOKEN) |
		      TQUIC_TPB(TQUIC_TP_DISABLE_ACTIVE_MIGRATION);
	tp.original_dcid_len = 8;
	b[0] = 1;
	len = tquic_tparams_write(b + 1, sizeof(b) - 1, true, &tp);
	put("tparams", 1, b, (size_t)len + 1);
}

/* A protected Initial carrying a CRYPTO frame, padded to 1200 bytes. */
static int initial(u8 *b, u32 version, bool server, u64 pn)
{
	static const u8 dcid[8] = { 0x83, 0x94, 0xc8, 0xf0, 0x3e, 0x51, 0x57, 0x08 };
	static const u8 hello[] = "not really a ClientHello";
	u8 secrets[2][32];
	struct tquic_keys k;
	struct tquic_frame f = { .type = TQUIC_FT_CRYPTO };
	size_t payload = 1200 - 16 - 1 - 4 - 1 - 8 - 1 - 8 - 1 - 2 - 2;
	int hl, fl, len;

	tquic_initial_secrets(version, dcid, 8, secrets[0], secrets[1]);
	if (tquic_keys_install(&k, version, TQUIC_AES_128_GCM,
			       secrets[server ? 1 : 0], 32))
		exit(1);
	hl = tquic_long_hdr_write(b, 1500, version, TQUIC_HDR_INITIAL, dcid, 8,
				  dcid, 8, NULL, 0, pn, 2, payload);
	f.crypto.data = hello;
	f.crypto.len = sizeof(hello);
	memset(b + hl, 0, payload);
	fl = tquic_frame_write(b + hl, payload, &f);
	if (hl < 0 || fl < 0)
		exit(1);
	len = tquic_packet_protect(&k, 0, b, (size_t)hl, 2, payload, pn);
	tquic_keys_destroy(&k);
	return len;
}

static void seeds_packet(void)
{
	static const u8 cid[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	static const u32 versions[] = { TQUIC_VERSION_1, TQUIC_VERSION_2 };
	u8 *b = calloc(1, 4096);
	int len, len2;

	len = initial(b, TQUIC_VERSION_1, false, 0);
	put("packet", 0, b, (size_t)len);
	len = initial(b, TQUIC_VERSION_2, false, 1);
	put("packet", 1, b, (size_t)len);
	/* two Initials coalesced in one datagram */
	len = initial(b, TQUIC_VERSION_1, true, 0);
	len2 = initial(b + len, TQUIC_VERSION_1, true, 1);
	put("packet", 2, b, (size_t)(len + len2));

	len = tquic_vn_write(b, 4096, cid, 8, cid, 4, versions, 2, 0x2a);
	put("packet", 3, b, (size_t)len);

	/* Retry: header, token, integrity tag */
	len = tquic_long_hdr_write(b, 4096, TQUIC_VERSION_1, TQUIC_HDR_INITIAL,
				   cid, 8, cid, 8, NULL, 0, 0, 1, 0);
	b[0] = 0xf0;	/* v1 Retry type bits */
	len = 1 + 4 + 1 + 8 + 1 + 8;
	memcpy(b + len, "token", 5);
	len += 5;
	if (tquic_retry_tag(TQUIC_VERSION_1, cid, 8, b, (size_t)len, b + len))
		exit(1);
	put("packet", 4, b, (size_t)len + 16);

	len = tquic_short_hdr_write(b, 4096, cid, 8, true, false, 77, 2);
	memset(b + len, 0xab, 40);
	put("packet", 5, b, (size_t)len + 40);
	free(b);
}

/* ---- fuzz_conn scripts (fuzz_conn.h) ---- */

struct script {
	u8 b[1024];
	size_t n;
};

static void emit(struct script *s, const int *v)
{
	for (; *v >= 0; v++) {
		if (s->n == sizeof(s->b))
			exit(1);
		s->b[s->n++] = (u8)*v;
	}
}

/* one operation and its argument bytes */
#define OP(s, ...)	emit((s), (const int[]){ __VA_ARGS__, -1 })

static void hdr(struct script *s, u32 seed, u8 cfg, u8 tp)
{
	s->n = 0;
	OP(s, seed & 0xff, (seed >> 8) & 0xff, (seed >> 16) & 0xff,
	   seed >> 24, cfg, tp);
}

/* STEPS events of the simulator within MS, LOSS %, JITTER ms, MANGLE % */
static void run_for(struct script *s, int steps, int ms, int loss, int jitter,
		    int mangle)
{
	OP(s, FC_RUN, steps - 1, loss, jitter, mangle, ms / 100 - 1);
}

/* ... within a second */
static void run(struct script *s, int steps, int loss, int jitter, int mangle)
{
	run_for(s, steps, 1000, loss, jitter, mangle);
}

/* a clean handshake and a little after it */
static void handshake(struct script *s)
{
	run(s, 256, 0, 0, 0);
	run(s, 64, 0, 0, 0);
}

/* both sides PING, the simulator carries it */
static void ping_both(struct script *s)
{
	OP(s, FC_PING, 0);
	OP(s, FC_PING, 1);
	run(s, 64, 0, 0, 0);
}

/* deliver every datagram queued toward SIDE, in order */
static void deliver_all(struct script *s, int side)
{
	OP(s, FC_DELIVER, side | 6 << 1, 0, 0);
}

static void put_script(int *i, const struct script *s)
{
	put("conn", (*i)++, s->b, s->n);
}

#define SEAL_APP	(2 << FC_SEAL_LEVEL_SHIFT)
#define SEAL_INITIAL	(0 << FC_SEAL_LEVEL_SHIFT)

static void seeds_conn(void)
{
	struct script s;
	int i = 0, k;

	/* v1, AES-128-GCM: handshake, PINGs */
	hdr(&s, 1, 0, 0);
	handshake(&s);
	ping_both(&s);
	put_script(&i, &s);

	/* v2, ChaCha20-Poly1305, keepalives for five seconds */
	hdr(&s, 2, FC_CFG_V2 | 2 << FC_CFG_ALG_SHIFT | FC_CFG_KEEPALIVE, 0);
	handshake(&s);
	run_for(&s, 256, 5000, 0, 0, 0);
	put_script(&i, &s);

	/* a Retry first */
	hdr(&s, 3, FC_CFG_RETRY, 0);
	handshake(&s);
	ping_both(&s);
	put_script(&i, &s);

	/* loss, reordering and mangling, then a clean stretch */
	hdr(&s, 4, 0, 0);
	run_for(&s, 256, 10000, 20, 5, 5);
	run(&s, 256, 0, 0, 0);
	put_script(&i, &s);

	/* AES-256-GCM, a Handshake flight past the amplification budget */
	hdr(&s, 5, FC_CFG_BIG_FLIGHT | 1 << FC_CFG_ALG_SHIFT, 0);
	handshake(&s);
	ping_both(&s);
	put_script(&i, &s);

	/* key updates from either side */
	hdr(&s, 6, 0, 0);
	handshake(&s);
	OP(&s, FC_KEY_UPDATE, 0);
	ping_both(&s);
	OP(&s, FC_ADVANCE, 2, 3);
	ping_both(&s);
	OP(&s, FC_KEY_UPDATE, 1);
	ping_both(&s);
	put_script(&i, &s);

	/* new CIDs, both sides move on */
	hdr(&s, 7, 0, 0);
	handshake(&s);
	OP(&s, FC_ROTATE_CID, 0);
	ping_both(&s);
	OP(&s, FC_ROTATE_CID, 1);
	ping_both(&s);
	OP(&s, FC_ROTATE_CID, 0);
	ping_both(&s);
	put_script(&i, &s);

	/* the client closes */
	hdr(&s, 8, 0, 0);
	handshake(&s);
	OP(&s, FC_CLOSE, 0 | 2, 0x42);
	run(&s, 256, 0, 0, 0);
	put_script(&i, &s);

	/*
	 * Sealed 1-RTT packets in the place of ones the harness dropped (so
	 * that their ACKs name packets that were sent): ACK, NEW_CONNECTION_ID
	 * and PATH_CHALLENGE to the server; a PING in the next key phase to
	 * the client, which starts a key update.
	 */
	hdr(&s, 9, 0, 0);
	handshake(&s);
	OP(&s, FC_PING, 0);
	OP(&s, FC_SEND, 0, 0);
	OP(&s, FC_DELIVER, 1 | 1 << 1, 0, 0);
	OP(&s, FC_SEAL, FC_SEAL_TO_SERVER | SEAL_APP, 0, 2,
	   FC_FT_ACK, 0, 2, FC_FT_NEW_CID, 5, 0, FC_FT_PATH_CHALLENGE, 0, 0);
	OP(&s, FC_SEND, 1, 0);
	run(&s, 64, 0, 0, 0);
	OP(&s, FC_PING, 1);
	OP(&s, FC_SEND, 1, 0);
	OP(&s, FC_DELIVER, 0 | 1 << 1, 0, 0);
	OP(&s, FC_SEAL, SEAL_APP | FC_SEAL_NEXT_PHASE, 0, 0, FC_FT_PING, 0, 0);
	OP(&s, FC_SEND, 0, 0);
	run(&s, 64, 0, 0, 0);
	ping_both(&s);
	put_script(&i, &s);

	/* the handshake step by step: send, deliver all, the other way */
	hdr(&s, 10, 0, 0);
	for (k = 0; k < 4; k++) {
		OP(&s, FC_SEND, 0, 0);
		deliver_all(&s, 1);
		OP(&s, FC_SEND, 1, 0);
		deliver_all(&s, 0);
	}
	OP(&s, FC_ADVANCE, 1, 5);
	OP(&s, FC_NEXT);
	OP(&s, FC_NEXT);
	put_script(&i, &s);

	/* the peer's transport parameters changed */
	hdr(&s, 11, 0, FC_TP_IDLE | FC_TP_UDP_PAYLOAD | FC_TP_ACK_DELAY_EXP |
	    FC_TP_MAX_ACK_DELAY | FC_TP_CID_LIMIT);
	handshake(&s);
	ping_both(&s);
	put_script(&i, &s);

	/* a 200 ms idle timeout runs out */
	hdr(&s, 12, 3 << FC_CFG_IDLE_SHIFT, 0);
	handshake(&s);
	OP(&s, FC_ADVANCE, 2, 1);
	OP(&s, FC_NEXT);
	OP(&s, FC_NEXT);
	put_script(&i, &s);

	/* a sealed Initial with 320 bytes of CRYPTO makes the server */
	hdr(&s, 13, 0, 0);
	OP(&s, FC_SEAL, FC_SEAL_TO_SERVER | SEAL_INITIAL | FC_SEAL_PAD, 0, 0,
	   FC_FT_CRYPTO_NEXT, 0, 40);
	OP(&s, FC_SEND, 1, 0);
	handshake(&s);
	put_script(&i, &s);

	/* PINGs with gaps in their packet numbers: many ACK ranges */
	hdr(&s, 14, 0, 0);
	handshake(&s);
	for (k = 0; k < 12; k++)
		OP(&s, FC_SEAL, SEAL_APP | FC_SEAL_ODD_PN, 4, 0,
		   FC_FT_PING, 0, 0);
	OP(&s, FC_SEND, 0, 0);
	run(&s, 64, 0, 0, 0);
	put_script(&i, &s);

	/* a Version Negotiation that lists our version, a forged Retry */
	hdr(&s, 15, 0, 0);
	OP(&s, FC_RETRY_VN, 3, 3);
	OP(&s, FC_RETRY_VN, 1, 5);
	handshake(&s);
	put_script(&i, &s);

	/* the server's stateless reset ends it for the client */
	hdr(&s, 16, 0, 0);
	handshake(&s);
	OP(&s, FC_RESET, 0, 10);
	run(&s, 64, 0, 0, 0);
	put_script(&i, &s);

	/* v2, Retry and 30% loss each way */
	hdr(&s, 17, FC_CFG_V2 | FC_CFG_RETRY, 0);
	run_for(&s, 256, 20000, 30, 10, 0);
	run(&s, 256, 0, 0, 0);
	put_script(&i, &s);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: mkseeds DIR\n");
		return 2;
	}
	dir = argv[1];
	mkdir(dir, 0755);
	seeds_frame();
	seeds_tparams();
	seeds_packet();
	seeds_conn();
	return 0;
}
