// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Cost of packet protection in userspace: protect + unprotect of one
 * 1200-byte 1-RTT packet (short header, 8-byte CID, 2-byte PN), for each
 * AEAD, over kernel/core and the nettle backend. A measurement, not a test:
 * it prints figures and asserts nothing about them.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "header.h"
#include "keys.h"
#include "protect.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	static const struct {
		enum tquic_aead_alg alg;
		const char *name;
	} algs[] = {
		{ TQUIC_AES_128_GCM, "AES-128-GCM" },
		{ TQUIC_AES_256_GCM, "AES-256-GCM" },
		{ TQUIC_CHACHA20_POLY1305, "ChaCha20-Poly1305" },
	};
	static const u8 cid[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	double secs = argc > 1 ? atof(argv[1]) : 1.0;
	u8 secret[48], *pkt = malloc(1500);
	size_t a;

	memset(secret, 0x42, sizeof(secret));
	printf("# protect+unprotect of one 1200-byte packet, userspace (nettle)\n");
	printf("# %-18s %12s %12s %10s\n", "aead", "ns/packet", "packets/s", "MB/s");
	for (a = 0; a < sizeof(algs) / sizeof(algs[0]); a++) {
		struct tquic_keys k;
		size_t sl = tquic_hash_len(tquic_aead_hash(algs[a].alg)), hl;
		double t0, t;
		u64 pn = 0, got, n = 0;

		if (tquic_keys_install(&k, 1, algs[a].alg, secret, sl))
			return 1;
		t0 = now();
		do {
			int i;

			for (i = 0; i < 256; i++, n++, pn++) {
				int h = tquic_short_hdr_write(pkt, 1500, cid, 8, false,
							      false, pn, 2);
				size_t payload = 1200 - (size_t)h - 16;

				memset(pkt + h, 0x5a, payload);
				if (tquic_packet_protect(&k, 0, pkt, (size_t)h, 2,
							 payload, pn) != 1200 ||
				    tquic_packet_unprotect(&k, 0, pkt, 1200, 9,
							   pn ? pn - 1 : 0, pn == 0,
							   &got, &hl) || got != pn)
					return 1;
			}
			t = now() - t0;
		} while (t < secs);
		printf("  %-18s %12.0f %12.0f %10.1f\n", algs[a].name, t / (double)n * 1e9,
		       (double)n / t, (double)n * 1200 / t / 1e6);
		tquic_keys_destroy(&k);
	}
	free(pkt);
	return 0;
}
