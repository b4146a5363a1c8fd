// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Known-answer tests: RFC 9001 Appendix A, RFC 9369 Appendix A, the
 * multipath nonce vector (draft-ietf-quic-multipath-21), and an
 * AES-256-GCM packet on path 3 computed by OpenSSL.
 */

#include <linux/errno.h>
#include <linux/string.h>
#include <linux/types.h>

#include "crypto.h"
#include "header.h"
#include "keys.h"
#include "protect.h"
#include "quic.h"
#include "retry.h"
#include "selftest.h"

/* RFC 9001 A.1/A.2: the client's first Destination Connection ID */
static const char st_dcid[] = "8394c8f03e515708";

/* RFC 9001 A.2: the client Initial's CRYPTO frame (then 917 bytes of
 * PADDING make the payload 1162 bytes) */
static const char st_client_crypto[] =
	"060040f1010000ed0303ebf8fa56f12939b9584a3896472ec40bb863cfd3e868"
	"04fe3a47f06a2b69484c00000413011302010000c000000010000e00000b6578"
	"616d706c652e636f6dff01000100000a00080006001d00170018001000070005"
	"04616c706e000500050100000000003300260024001d00209370b2c9caa47fba"
	"baf4559fedba753de171fa71f50f1ce15d43e994ec74d748002b000302030400"
	"0d0010000e0403050306030203080408050806002d00020101001c0002400100"
	"3900320408ffffffffffffffff05048000ffff07048000ffff08011001048000"
	"75300901100f088394c8f03e51570806048000ffff";

/* RFC 9001 A.2: the protected client Initial, all 1200 bytes */
static const char st_v1_client_packet[] =
	"c000000001088394c8f03e5157080000449e7b9aec34d1b1c98dd7689fb8ec11"
	"d242b123dc9bd8bab936b47d92ec356c0bab7df5976d27cd449f63300099f399"
	"1c260ec4c60d17b31f8429157bb35a1282a643a8d2262cad67500cadb8e7378c"
	"8eb7539ec4d4905fed1bee1fc8aafba17c750e2c7ace01e6005f80fcb7df6212"
	"30c83711b39343fa028cea7f7fb5ff89eac2308249a02252155e2347b63d58c5"
	"457afd84d05dfffdb20392844ae812154682e9cf012f9021a6f0be17ddd0c208"
	"4dce25ff9b06cde535d0f920a2db1bf362c23e596d11a4f5a6cf3948838a3aec"
	"4e15daf8500a6ef69ec4e3feb6b1d98e610ac8b7ec3faf6ad760b7bad1db4ba3"
	"485e8a94dc250ae3fdb41ed15fb6a8e5eba0fc3dd60bc8e30c5c4287e53805db"
	"059ae0648db2f64264ed5e39be2e20d82df566da8dd5998ccabdae053060ae6c"
	"7b4378e846d29f37ed7b4ea9ec5d82e7961b7f25a9323851f681d582363aa5f8"
	"9937f5a67258bf63ad6f1a0b1d96dbd4faddfcefc5266ba6611722395c906556"
	"be52afe3f565636ad1b17d508b73d8743eeb524be22b3dcbc2c7468d54119c74"
	"68449a13d8e3b95811a198f3491de3e7fe942b330407abf82a4ed7c1b311663a"
	"c69890f4157015853d91e923037c227a33cdd5ec281ca3f79c44546b9d90ca00"
	"f064c99e3dd97911d39fe9c5d0b23a229a234cb36186c4819e8b9c5927726632"
	"291d6a418211cc2962e20fe47feb3edf330f2c603a9d48c0fcb5699dbfe58964"
	"25c5bac4aee82e57a85aaf4e2513e4f05796b07ba2ee47d80506f8d2c25e50fd"
	"14de71e6c418559302f939b0e1abd576f279c4b2e0feb85c1f28ff18f58891ff"
	"ef132eef2fa09346aee33c28eb130ff28f5b766953334113211996d20011a198"
	"e3fc433f9f2541010ae17c1bf202580f6047472fb36857fe843b19f5984009dd"
	"c324044e847a4f4a0ab34f719595de37252d6235365e9b84392b061085349d73"
	"203a4a13e96f5432ec0fd4a1ee65accdd5e3904df54c1da510b0ff20dcc0c77f"
	"cb2c0e0eb605cb0504db87632cf3d8b4dae6e705769d1de354270123cb11450e"
	"fc60ac47683d7b8d0f811365565fd98c4c8eb936bcab8d069fc33bd801b03ade"
	"a2e1fbc5aa463d08ca19896d2bf59a071b851e6c239052172f296bfb5e724047"
	"90a2181014f3b94a4e97d117b438130368cc39dbb2d198065ae3986547926cd2"
	"162f40a29f0c3c8745c0f50fba3852e566d44575c29d39a03f0cda721984b6f4"
	"40591f355e12d439ff150aab7613499dbd49adabc8676eef023b15b65bfc5ca0"
	"6948109f23f350db82123535eb8a7433bdabcb909271a6ecbcb58b936a88cd4e"
	"8f2e6ff5800175f113253d8fa9ca8885c2f552e657dc603f252e1a8e308f76f0"
	"be79e2fb8f5d5fbbe2e30ecadd220723c8c0aea8078cdfcb3868263ff8f09400"
	"54da48781893a7e49ad5aff4af300cd804a6b6279ab3ff3afb64491c85194aab"
	"760d58a606654f9f4400e8b38591356fbf6425aca26dc85244259ff2b19c41b9"
	"f96f3ca9ec1dde434da7d2d392b905ddf3d1f9af93d1af5950bd493f5aa731b4"
	"056df31bd267b6b90a079831aaf579be0a39013137aac6d404f518cfd4684064"
	"7e78bfe706ca4cf5e9c5453e9f7cfd2b8b4c8d169a44e55c88d4a9a7f9474241"
	"e221af44860018ab0856972e194cd934";

/* RFC 9369 A.2: the same Initial in version 2 */
static const char st_v2_client_packet[] =
	"d76b3343cf088394c8f03e5157080000449ea0c95e82ffe67b6abcdb4298b485"
	"dd04de806071bf03dceebfa162e75d6c96058bdbfb127cdfcbf903388e99ad04"
	"9f9a3dd4425ae4d0992cfff18ecf0fdb5a842d09747052f17ac2053d21f57c5d"
	"250f2c4f0e0202b70785b7946e992e58a59ac52dea6774d4f03b55545243cf1a"
	"12834e3f249a78d395e0d18f4d766004f1a2674802a747eaa901c3f10cda5500"
	"cb9122faa9f1df66c392079a1b40f0de1c6054196a11cbea40afb6ef5253cd68"
	"18f6625efce3b6def6ba7e4b37a40f7732e093daa7d52190935b8da58976ff33"
	"12ae50b187c1433c0f028edcc4c2838b6a9bfc226ca4b4530e7a4ccee1bfa2a3"
	"d396ae5a3fb512384b2fdd851f784a65e03f2c4fbe11a53c7777c023462239dd"
	"6f7521a3f6c7d5dd3ec9b3f233773d4b46d23cc375eb198c63301c21801f6520"
	"bcfb7966fc49b393f0061d974a2706df8c4a9449f11d7f3d2dcbb90c6b877045"
	"636e7c0c0fe4eb0f697545460c806910d2c355f1d253bc9d2452aaa549e27a1f"
	"ac7cf4ed77f322e8fa894b6a83810a34b361901751a6f5eb65a0326e07de7c12"
	"16ccce2d0193f958bb3850a833f7ae432b65bc5a53975c155aa4bcb4f7b2c4e5"
	"4df16efaf6ddea94e2c50b4cd1dfe06017e0e9d02900cffe1935e0491d77ffb4"
	"fdf85290fdd893d577b1131a610ef6a5c32b2ee0293617a37cbb08b847741c3b"
	"8017c25ca9052ca1079d8b78aebd47876d330a30f6a8c6d61dd1ab5589329de7"
	"14d19d61370f8149748c72f132f0fc99f34d766c6938597040d8f9e2bb522ff9"
	"9c63a344d6a2ae8aa8e51b7b90a4a806105fcbca31506c446151adfeceb51b91"
	"abfe43960977c87471cf9ad4074d30e10d6a7f03c63bd5d4317f68ff325ba3bd"
	"80bf4dc8b52a0ba031758022eb025cdd770b44d6d6cf0670f4e990b22347a7db"
	"848265e3e5eb72dfe8299ad7481a408322cac55786e52f633b2fb6b614eaed18"
	"d703dd84045a274ae8bfa73379661388d6991fe39b0d93debb41700b41f90a15"
	"c4d526250235ddcd6776fc77bc97e7a417ebcb31600d01e57f32162a8560cacc"
	"7e27a096d37a1a86952ec71bd89a3e9a30a2a26162984d7740f81193e8238e61"
	"f6b5b984d4d3dfa033c1bb7e4f0037febf406d91c0dccf32acf423cfa1e70710"
	"10d3f270121b493ce85054ef58bada42310138fe081adb04e2bd901f2f13458b"
	"3d6758158197107c14ebb193230cd1157380aa79cae1374a7c1e5bbcb80ee23e"
	"06ebfde206bfb0fcbc0edc4ebec309661bdd908d532eb0c6adc38b7ca7331dce"
	"8dfce39ab71e7c32d318d136b6100671a1ae6a6600e3899f31f0eed19e3417d1"
	"34b90c9058f8632c798d4490da4987307cba922d61c39805d072b589bd52fdf1"
	"e86215c2d54e6670e07383a27bbffb5addf47d66aa85a0c6f9f32e59d85a44dd"
	"5d3b22dc2be80919b490437ae4f36a0ae55edf1d0b5cb4e9a3ecabee93dfc6e3"
	"8d209d0fa6536d27a5d6fbb17641cde27525d61093f1b28072d111b2b4ae5f89"
	"d5974ee12e5cf7d5da4d6a31123041f33e61407e76cffcdcfd7e19ba58cf4b53"
	"6f4c4938ae79324dc402894b44faf8afbab35282ab659d13c93f70412e85cb19"
	"9a37ddec600545473cfb5a05e08d0b209973b2172b4d21fb69745a262ccde96b"
	"a18b2faa745b6fe189cf772a9f84cbfc";

/* RFC 9001 A.3 / RFC 9369 A.3: the server Initial's payload (ACK, CRYPTO) */
static const char st_server_payload[] =
	"02000000000600405a020000560303eefce7f7b37ba1d1632e96677825ddf739"
	"88cfc79825df566dc5430b9a045a1200130100002e00330024001d00209d3c94"
	"0d89690b84d08a60993c144eca684d1081287c834d5311bcf32bb9da1a002b00"
	"020304";

static const char st_v1_server_packet[] =
	"cf000000010008f067a5502a4262b5004075c0d95a482cd0991cd25b0aac406a"
	"5816b6394100f37a1c69797554780bb38cc5a99f5ede4cf73c3ec2493a1839b3"
	"dbcba3f6ea46c5b7684df3548e7ddeb9c3bf9c73cc3f3bded74b562bfb19fb84"
	"022f8ef4cdd93795d77d06edbb7aaf2f58891850abbdca3d20398c276456cbc4"
	"2158407dd074ee";

static const char st_v2_server_packet[] =
	"dc6b3343cf0008f067a5502a4262b5004075d92faaf16f05d8a4398c47089698"
	"baeea26b91eb761d9b89237bbf87263017915358230035f7fd3945d88965cf17"
	"f9af6e16886c61bfc703106fbaf3cb4cfa52382dd16a393e42757507698075b2"
	"c984c707f0a0812d8cd5a6881eaf21ceda98f4bd23f6fe1a3e2c43edd9ce7ca8"
	"4bed8521e2e140";

/* RFC 9001 A.4 / RFC 9369 A.4: Retry, tag included */
static const char st_v1_retry[] =
	"ff000000010008f067a5502a4262b5746f6b656e04a265ba2eff4d829058fb3f0f2496ba";
static const char st_v2_retry[] =
	"cf6b3343cf0008f067a5502a4262b5746f6b656ec8646ce8bfe33952d955543665dcc7b6";

/* RFC 9001 A.5 / RFC 9369 A.5: ChaCha20-Poly1305 short header packet */
static const char st_chacha_secret[] =
	"9ac312a7f877468ebe69422748ad00a15443f18203a07d6060f688f30f21632b";
static const char st_chacha_ku[] =
	"1223504755036d556342ee9361d253421a826c9ecdf3c7148684b36b714881f9";
static const char st_v1_chacha_packet[] =
	"4cfe4189655e5cd55c41f69080575d7999c25a5bfb";
static const char st_v2_chacha_packet[] =
	"5558b1c60ae7b6b932bc27d786f4bc2bb20f2162ba";

/*
 * AES-256-GCM / SHA-384, QUIC v1, 1-RTT, DCID 0001020304050607, PN 0x2a0b1c
 * in 3 bytes on Path ID 3, PING + 36 PADDING, secret 00 01 .. 2f. RFC 9001
 * has no vector for this suite: this one was computed by OpenSSL (python3
 * cryptography), tests/vectors/aes256_path3.py.
 */
static const char st_aes256_packet[] =
	"4800010203040506072c529ce9dc610426c99a242a8c0580ef723949ae9f3a1f"
	"ba4f5850bb29377ae894137be1cfaddf58aabd156931ad0c5badae37e981a50d56";

/* Multipath: IV, path 3, PN 54321 (shared/reference/multipath.md) */
static const char st_mp_iv[] = "6b26114b9cba2b63a9e8dd4f";
static const char st_mp_nonce[] = "6b2611489cba2b63a9e8097e";

/* RFC 9001 A.1 and RFC 9369 A.1: Initial keys */
struct st_keys {
	const char *key, *iv, *hp;
};

static const struct st_keys st_v1_keys[2] = {
	{ "1f369613dd76d5467730efcbe3b1a22d", "fa044b2f42a3fd3b46fb255c",
	  "9f50449e04a0e810283a1e9933adedd2" },
	{ "cf3a5331653c364c88f0f379b6067e37", "0ac1493ca1905853b0bba03e",
	  "c206b8d9b9f0f37644430b490eeaa314" },
};

static const struct st_keys st_v2_keys[2] = {
	{ "8b1a0bc121284290a29e0971b5cd045d", "91f73e2351d8fa91660e909f",
	  "45b95e15235d6f45a6b19cbcb0294ba9" },
	{ "82db637861d55e1d011f19ea71d5d2a7", "dd13c276499c0249d3310652",
	  "edf6d05c83121201b436e16877593c3a" },
};

struct st {
	tquic_selftest_report_t report;
	void *ctx;
	int failed;
};

static void st_check(struct st *st, const char *name, bool ok)
{
	if (!ok)
		st->failed++;
	if (st->report)
		st->report(name, ok, st->ctx);
}

static int st_nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Decode hex into @out (at most @max bytes); the length, or -EINVAL. */
static int st_hex(const char *hex, u8 *out, size_t max)
{
	size_t n = strlen(hex), i;

	if (n % 2 || n / 2 > max)
		return -EINVAL;
	for (i = 0; i < n / 2; i++) {
		int hi = st_nibble(hex[2 * i]), lo = st_nibble(hex[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -EINVAL;
		out[i] = (u8)(hi << 4 | lo);
	}
	return (int)(n / 2);
}

static bool st_eq_hex(const u8 *b, size_t n, const char *hex)
{
	u8 want[64];
	int wn = st_hex(hex, want, sizeof(want));

	return wn == (int)n && !memcmp(b, want, n);
}

static void st_initial_keys(struct st *st, u32 version,
			    const struct st_keys *want, const char *name)
{
	u8 dcid[8], secrets[2][32], key[16], iv[12], hp[16];
	int i, err;

	st_hex(st_dcid, dcid, sizeof(dcid));
	err = tquic_initial_secrets(version, dcid, 8, secrets[0], secrets[1]);
	for (i = 0; i < 2; i++) {
		bool ok = !err && !tquic_keys_material(version, TQUIC_AES_128_GCM,
							secrets[i], key, iv, hp);

		ok = ok && st_eq_hex(key, 16, want[i].key) &&
		     st_eq_hex(iv, 12, want[i].iv) && st_eq_hex(hp, 16, want[i].hp);
		st_check(st, name, ok);
	}
}

/*
 * Protect @hdr + @payload with the Initial keys of @server's side and
 * compare with @packet; then unprotect @packet and compare back.
 */
static void st_initial_packet(struct st *st, u32 version, bool server,
			      const char *hdr_hex, const char *payload_hex,
			      size_t pad_to, const char *packet_hex, u64 pn,
			      const char *name_protect, const char *name_open)
{
	u8 dcid[8];
	struct tquic_keys k;
	struct tquic_hdr h;
	u8 *buf, *want, *plain;
	int hl, pl, wl, len;
	size_t hdr_len = 0;
	u64 got_pn = 0;
	bool ok = false;

	buf = tquic_crypto_buf_alloc(3 * 1500);
	if (!buf) {
		st_check(st, name_protect, false);
		return;
	}
	want = buf + 1500;
	plain = buf + 3000;
	memset(buf, 0, 3 * 1500);

	st_hex(st_dcid, dcid, sizeof(dcid));
	if (tquic_initial_keys_install(version, dcid, 8, server, NULL, &k)) {
		st_check(st, name_protect, false);
		goto out;
	}

	hl = st_hex(hdr_hex, plain, 1500);
	pl = st_hex(payload_hex, plain + hl, 1500 - (size_t)hl);
	wl = st_hex(packet_hex, want, 1500);
	if (hl > 0 && pl > 0 && wl > 0) {
		if ((size_t)pl < pad_to)
			pl = (int)pad_to;	/* PADDING frames are zero bytes */
		memcpy(buf, plain, (size_t)hl + (size_t)pl);
		len = tquic_packet_protect(&k, 0, buf, (size_t)hl,
					   (size_t)((plain[0] & 3) + 1),
					   (size_t)pl, pn);
		ok = len == wl && !memcmp(buf, want, (size_t)wl);
	}
	st_check(st, name_protect, ok);

	/* the receiving side: parse, unprotect, compare with the plaintext */
	ok = false;
	if (wl > 0 && !tquic_hdr_parse(want, (size_t)wl, 0, &h) &&
	    h.len == (size_t)wl &&
	    !tquic_packet_unprotect(&k, 0, want, h.len, h.pn_offset, 0, true,
				    &got_pn, &hdr_len))
		ok = got_pn == pn && hdr_len == (size_t)hl &&
		     !memcmp(want, plain, (size_t)wl - 16);
	st_check(st, name_open, ok);
	tquic_keys_destroy(&k);
out:
	tquic_crypto_buf_free(buf);
}

static void st_retry(struct st *st, u32 version, const char *retry_hex,
		     const char *name)
{
	u8 dcid[8], pkt[64];
	int n;
	bool ok;

	st_hex(st_dcid, dcid, sizeof(dcid));
	n = st_hex(retry_hex, pkt, sizeof(pkt));
	ok = n > 16 && !tquic_retry_verify(version, dcid, 8, pkt, (size_t)n);
	/* one flipped bit anywhere in the packet breaks the tag */
	if (ok) {
		pkt[n / 2] ^= 0x01;
		ok = tquic_retry_verify(version, dcid, 8, pkt, (size_t)n) == -EBADMSG;
	}
	st_check(st, name, ok);
}

static void st_chacha(struct st *st, u32 version, const char *packet_hex,
		      const char *name_protect, const char *name_open)
{
	const u64 pn = 654360564;
	u8 secret[32], *buf, *want;
	struct tquic_keys k;
	size_t hdr_len = 0;
	u64 got = 0;
	int len, wl;
	bool ok;

	/* packets go through scatterlists in the kernel: not on the stack */
	buf = tquic_crypto_buf_alloc(128);
	if (!buf) {
		st_check(st, name_protect, false);
		return;
	}
	want = buf + 64;
	st_hex(st_chacha_secret, secret, sizeof(secret));
	if (tquic_keys_install(&k, version, TQUIC_CHACHA20_POLY1305, secret, 32)) {
		st_check(st, name_protect, false);
		tquic_crypto_buf_free(buf);
		return;
	}
	/* RFC 9001 A.5: short header 4200bff4 (3-byte PN), payload PING */
	len = tquic_short_hdr_write(buf, 64, NULL, 0, false, false, pn, 3);
	buf[len] = 0x01;
	len = tquic_packet_protect(&k, 0, buf, (size_t)len, 3, 1, pn);
	wl = st_hex(packet_hex, want, 64);
	ok = len == wl && !memcmp(buf, want, (size_t)wl);
	st_check(st, name_protect, ok);

	ok = !tquic_packet_unprotect(&k, 0, want, (size_t)wl, 1, pn - 1, false,
				     &got, &hdr_len) &&
	     got == pn && hdr_len == 4 && want[0] == 0x42 && want[4] == 0x01;
	st_check(st, name_open, ok);
	tquic_keys_destroy(&k);
	tquic_crypto_buf_free(buf);
}

static void st_key_update(struct st *st)
{
	struct tquic_keys k, next;
	u8 secret[32];
	bool ok;

	st_hex(st_chacha_secret, secret, sizeof(secret));
	ok = !tquic_keys_install(&k, TQUIC_VERSION_1, TQUIC_CHACHA20_POLY1305,
				 secret, 32);
	if (ok) {
		ok = !tquic_keys_next(&next, &k) &&
		     st_eq_hex(next.secret, 32, st_chacha_ku) && next.hp == k.hp;
		tquic_keys_destroy(&next);
		tquic_keys_destroy(&k);
	}
	st_check(st, "rfc9001 A.5 key update secret (quic ku)", ok);
}

static void st_aes256_path(struct st *st)
{
	static const u8 dcid[8] = { 0, 1, 2, 3, 4, 5, 6, 7 };
	const u64 pn = 0x2a0b1c;
	u8 secret[48], *buf, *want;
	struct tquic_keys k;
	size_t i, hdr_len = 0;
	u64 got = 0;
	int len, wl;
	bool ok;

	buf = tquic_crypto_buf_alloc(256);
	if (!buf) {
		st_check(st, "aes-256-gcm path 3 protect", false);
		return;
	}
	want = buf + 128;
	for (i = 0; i < sizeof(secret); i++)
		secret[i] = (u8)i;
	if (tquic_keys_install(&k, TQUIC_VERSION_1, TQUIC_AES_256_GCM, secret, 48)) {
		st_check(st, "aes-256-gcm path 3 protect", false);
		tquic_crypto_buf_free(buf);
		return;
	}
	len = tquic_short_hdr_write(buf, 128, dcid, 8, false, false, pn, 3);
	memset(buf + len, 0, 37);
	buf[len] = 0x01;	/* PING, then PADDING */
	len = tquic_packet_protect(&k, 3, buf, (size_t)len, 3, 37, pn);
	wl = st_hex(st_aes256_packet, want, 128);
	ok = len == wl && !memcmp(buf, want, (size_t)wl);
	st_check(st, "aes-256-gcm path 3 protect", ok);

	/* path 0 must not open it: the Path ID is in the nonce. A failed
	 * open may overwrite the ciphertext, so the packet is decoded again
	 * before the right path opens it. */
	ok = tquic_packet_unprotect(&k, 0, want, (size_t)wl, 9, pn - 1, false,
				    &got, &hdr_len) == -EBADMSG;
	st_hex(st_aes256_packet, want, 128);
	ok = ok && !tquic_packet_unprotect(&k, 3, want, (size_t)wl, 9, pn - 1,
					   false, &got, &hdr_len) &&
	     got == pn && hdr_len == 12 && want[12] == 0x01;
	st_check(st, "aes-256-gcm path 3 unprotect", ok);
	tquic_keys_destroy(&k);
	tquic_crypto_buf_free(buf);
}

static void st_mp_nonce_check(struct st *st)
{
	u8 iv[12], nonce[12];
	bool ok;

	st_hex(st_mp_iv, iv, sizeof(iv));
	tquic_nonce(iv, 3, 54321, nonce);
	ok = st_eq_hex(nonce, 12, st_mp_nonce);
	/* path 0 is RFC 9001's nonce: the IV XOR the packet number */
	tquic_nonce(iv, 0, 54321, nonce);
	ok = ok && nonce[0] == iv[0] && nonce[3] == iv[3] &&
	     nonce[10] == (iv[10] ^ 0xd4) && nonce[11] == (iv[11] ^ 0x31);
	st_check(st, "multipath nonce (path 3, pn 54321)", ok);
}

/*
 * A Retry token made and opened with the AEAD the module uses for them
 * (RFC 9000 §8.1.4): over the kernel crypto API this also checks that
 * the token's associated data reaches the AEAD from linear memory, which
 * a buffer on the stack is not.
 */
static void st_retry_token(struct st *st)
{
	static const u8 key[16] = { 0x7e, 0x4b }, nonce[12] = { 9 };
	static const u8 addr[4] = { 192, 0, 2, 7 };
	static const u8 rscid[8] = { 1, 2, 3 }, odcid[8] = { 4, 5, 6 };
	u8 token[TQUIC_RETRY_TOKEN_MAX], got[TQUIC_MAX_CID_LEN], got_len = 0;
	struct tquic_aead *a;
	int len;
	bool ok;

	a = tquic_aead_alloc(TQUIC_AES_128_GCM, key);
	if (!a) {
		st_check(st, "retry token seal and open", false);
		return;
	}
	len = tquic_retry_token_seal(a, nonce, 5000, addr, sizeof(addr), rscid,
				     sizeof(rscid), odcid, sizeof(odcid), token,
				     sizeof(token));
	ok = len > 0 &&
	     !tquic_retry_token_open(a, 6000, 10000, addr, sizeof(addr), rscid,
				     sizeof(rscid), token, (size_t)len, got,
				     &got_len) &&
	     got_len == sizeof(odcid) && !memcmp(got, odcid, sizeof(odcid));
	/* and a token for another address is refused */
	ok = ok && len > 0 &&
	     tquic_retry_token_open(a, 6000, 10000, odcid, 4, rscid,
				    sizeof(rscid), token, (size_t)len, got,
				    &got_len) == -EBADMSG;
	tquic_aead_free(a);
	st_check(st, "retry token seal and open", ok);
}

/**
 * tquic_selftest_run() - run every known-answer test
 * @report: told each check's outcome; may be NULL
 * @ctx: passed to @report
 *
 * May sleep. Return: the number of checks that failed.
 */
int tquic_selftest_run(tquic_selftest_report_t report, void *ctx)
{
	struct st st = { report, ctx, 0 };

	st_mp_nonce_check(&st);
	st_aes256_path(&st);
	st_retry_token(&st);
	st_initial_keys(&st, TQUIC_VERSION_1, st_v1_keys, "rfc9001 A.1 Initial keys");
	st_initial_keys(&st, TQUIC_VERSION_2, st_v2_keys, "rfc9369 A.1 Initial keys");
	st_initial_packet(&st, TQUIC_VERSION_1, false,
			  "c300000001088394c8f03e5157080000449e00000002",
			  st_client_crypto, 1162, st_v1_client_packet, 2,
			  "rfc9001 A.2 client Initial protect",
			  "rfc9001 A.2 client Initial unprotect");
	st_initial_packet(&st, TQUIC_VERSION_1, true,
			  "c1000000010008f067a5502a4262b50040750001",
			  st_server_payload, 0, st_v1_server_packet, 1,
			  "rfc9001 A.3 server Initial protect",
			  "rfc9001 A.3 server Initial unprotect");
	st_retry(&st, TQUIC_VERSION_1, st_v1_retry, "rfc9001 A.4 Retry integrity tag");
	st_chacha(&st, TQUIC_VERSION_1, st_v1_chacha_packet,
		  "rfc9001 A.5 ChaCha20 short header protect",
		  "rfc9001 A.5 ChaCha20 short header unprotect");
	st_key_update(&st);
	st_initial_packet(&st, TQUIC_VERSION_2, false,
			  "d36b3343cf088394c8f03e5157080000449e00000002",
			  st_client_crypto, 1162, st_v2_client_packet, 2,
			  "rfc9369 A.2 client Initial protect",
			  "rfc9369 A.2 client Initial unprotect");
	st_initial_packet(&st, TQUIC_VERSION_2, true,
			  "d16b3343cf0008f067a5502a4262b50040750001",
			  st_server_payload, 0, st_v2_server_packet, 1,
			  "rfc9369 A.3 server Initial protect",
			  "rfc9369 A.3 server Initial unprotect");
	st_retry(&st, TQUIC_VERSION_2, st_v2_retry, "rfc9369 A.4 Retry integrity tag");
	st_chacha(&st, TQUIC_VERSION_2, st_v2_chacha_packet,
		  "rfc9369 A.5 ChaCha20 short header protect",
		  "rfc9369 A.5 ChaCha20 short header unprotect");
	return st.failed;
}
