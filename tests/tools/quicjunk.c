// SPDX-License-Identifier: GPL-2.0
/*
 * quicjunk: send datagrams a QUIC listener must survive.
 *
 *   quicjunk ADDR PORT random N     N datagrams of random bytes, 1..1500 long
 *   quicjunk ADDR PORT initial N    N v1 client Initial headers (1200 bytes,
 *                                   random CIDs) with a random payload that
 *                                   cannot decrypt
 *   quicjunk ADDR PORT truncated N  N Initials cut short at a random length
 *   quicjunk ADDR PORT version N    N long headers of an unknown version
 *   quicjunk ADDR PORT token N      N Initials with a forged Retry token:
 *                                   tquic's marker byte and a plausible
 *                                   length, random contents
 *
 * Exit status: 0 when every datagram was sent, 1 on a usage error, 2 on a
 * socket error.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static unsigned int seed = 12345;

static unsigned int rnd(void)
{
	seed = seed * 1103515245u + 12345u;
	return seed >> 8;
}

static size_t initial(unsigned char *b, unsigned int version, size_t tok)
{
	size_t i, o;

	b[0] = 0xc0 | (rnd() & 3);		/* long header, Initial */
	b[1] = version >> 24;
	b[2] = version >> 16;
	b[3] = version >> 8;
	b[4] = version;
	b[5] = 8;				/* DCID */
	for (i = 6; i < 14; i++)
		b[i] = rnd();
	b[14] = 8;				/* SCID */
	for (i = 15; i < 23; i++)
		b[i] = rnd();
	b[23] = tok;				/* token length, < 64 */
	for (i = 24; i < 24 + tok; i++)
		b[i] = rnd();
	if (tok)
		b[24] = 0x52;			/* tquic's Retry token marker */
	o = 24 + tok;
	b[o] = 0x40 | (1200 - o - 2) >> 8;	/* Length, 2-byte varint */
	b[o + 1] = (1200 - o - 2) & 0xff;
	for (i = o + 2; i < 1200; i++)
		b[i] = rnd();
	return 1200;
}

int main(int argc, char *argv[])
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	unsigned char buf[1500];
	long n, i;
	int fd;

	if (argc != 5 || inet_pton(AF_INET, argv[1], &sin.sin_addr) != 1 ||
	    (n = strtol(argv[4], NULL, 10)) <= 0) {
		fprintf(stderr, "usage: quicjunk ADDR PORT random|initial|truncated|version|token N\n");
		return 1;
	}
	sin.sin_port = htons((unsigned short)atoi(argv[2]));
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0) {
		perror("quicjunk: socket");
		return 2;
	}
	for (i = 0; i < n; i++) {
		size_t len;

		if (!strcmp(argv[3], "random")) {
			size_t j;

			len = 1 + rnd() % sizeof(buf);
			for (j = 0; j < len; j++)
				buf[j] = rnd();
		} else if (!strcmp(argv[3], "initial")) {
			len = initial(buf, 1, 0);
		} else if (!strcmp(argv[3], "truncated")) {
			initial(buf, 1, 0);
			len = 1 + rnd() % 1199;
		} else if (!strcmp(argv[3], "token")) {
			len = initial(buf, 1, 38 + rnd() % 20);
		} else if (!strcmp(argv[3], "version")) {
			len = initial(buf, 0x1a2a3a4a, 0);
		} else {
			fprintf(stderr, "quicjunk: unknown kind '%s'\n", argv[3]);
			return 1;
		}
		if (sendto(fd, buf, len, 0, (struct sockaddr *)&sin,
			   sizeof(sin)) < 0) {
			perror("quicjunk: sendto");
			return 2;
		}
		if (i % 64 == 63)
			usleep(1000);	/* let the listener's queue drain */
	}
	close(fd);
	return 0;
}
