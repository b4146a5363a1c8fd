// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * mkseeds DIR: write the fuzzers' seed corpora, made with kernel/core's
 * own writers: DIR/frame (one seed per frame type), DIR/tparams (client
 * and server parameters), DIR/packet (protected v1 and v2 Initials that
 * decrypt, a coalesced datagram, Retry, Version Negotiation, short).
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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
	return 0;
}
