// SPDX-License-Identifier: GPL-2.0
/*
 * tqnl: raw tquic generic netlink commands for the VM tests, for what
 * gatewayd never does on purpose.
 *
 *   tqnl listen ADDR PORT            LISTEN once; exit 0, or 1 naming the
 *                                    error (EPERM for the unprivileged)
 *   tqnl connect ADDR PORT IDLE_MS HOLD_S
 *                                    CONNECT with that idle timeout and send
 *                                    no ClientHello; keep the socket (the
 *                                    owner) open HOLD_S seconds
 *   tqnl listen-many N ADDR PORT     N netlink sockets, each LISTENs on
 *                                    PORT+i; all closed at once at exit
 *   tqnl dump                        the connection dump on a socket that
 *                                    joins no group; prints the number of
 *                                    connections, or fails naming the error
 */

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/genetlink.h>

#include "genl.h"

static void ignore_event(void *ctx, uint8_t cmd, const struct nlattr **tb)
{
	(void)ctx;
	(void)cmd;
	(void)tb;
}

static int put_addr(struct nlmsghdr *nlh, int attr, const char *s)
{
	struct in6_addr a6;
	struct in_addr a4;

	if (inet_pton(AF_INET, s, &a4) == 1) {
		mnl_attr_put(nlh, attr, sizeof(a4), &a4);
		return 0;
	}
	if (inet_pton(AF_INET6, s, &a6) == 1) {
		mnl_attr_put(nlh, attr, sizeof(a6), &a6);
		return 0;
	}
	fprintf(stderr, "tqnl: bad address '%s'\n", s);
	return -1;
}

static int fail(struct tq_genl *g, const char *what, int r)
{
	fprintf(stderr, "tqnl: %s: %s%s%s\n", what, strerror(-r),
		g && tq_genl_last_error(g) ? ": " : "",
		g && tq_genl_last_error(g) ? tq_genl_last_error(g) : "");
	return 1;
}

static int listen_on(struct tq_genl *g, const char *addr, unsigned int port,
		     uint32_t *id)
{
	const struct nlattr *tb[TQUIC_A_MAX + 1] = { 0 };
	struct nlmsghdr *nlh = tq_genl_msg(g, TQUIC_CMD_LISTEN);
	int r;

	if (put_addr(nlh, TQUIC_A_LOCAL_ADDR, addr))
		return -EINVAL;
	mnl_attr_put_u16(nlh, TQUIC_A_LOCAL_PORT, (uint16_t)port);
	r = tq_genl_call(g, nlh, tb);
	if (r < 0)
		return r;
	*id = tb[TQUIC_A_LISTENER_ID] ?
	      mnl_attr_get_u32(tb[TQUIC_A_LISTENER_ID]) : 0;
	return 0;
}

static int cmd_listen(const char *addr, const char *port)
{
	struct tq_genl *g;
	uint32_t id;
	int r;

	r = tq_genl_open(&g, ignore_event, NULL);
	if (r < 0)
		return fail(NULL, "generic netlink", r);
	r = listen_on(g, addr, (unsigned int)atoi(port), &id);
	if (r < 0) {
		fail(g, "listen", r);
		tq_genl_close(g);
		return 1;
	}
	printf("listener %u\n", id);
	tq_genl_close(g);
	return 0;
}

static int cmd_connect(const char *addr, const char *port, const char *idle,
		       const char *hold)
{
	const struct nlattr *tb[TQUIC_A_MAX + 1] = { 0 };
	struct nlmsghdr *nlh;
	struct tq_genl *g;
	int r;

	r = tq_genl_open(&g, ignore_event, NULL);
	if (r < 0)
		return fail(NULL, "generic netlink", r);
	nlh = tq_genl_msg(g, TQUIC_CMD_CONNECT);
	if (put_addr(nlh, TQUIC_A_PEER_ADDR, addr))
		return 1;
	mnl_attr_put_u16(nlh, TQUIC_A_PEER_PORT, (uint16_t)atoi(port));
	mnl_attr_put_u32(nlh, TQUIC_A_IDLE_TIMEOUT_MS, (uint32_t)atoi(idle));
	r = tq_genl_call(g, nlh, tb);
	if (r < 0) {
		fail(g, "connect", r);
		tq_genl_close(g);
		return 1;
	}
	printf("conn %u\n", tb[TQUIC_A_CONN_ID] ?
	       mnl_attr_get_u32(tb[TQUIC_A_CONN_ID]) : 0);
	fflush(stdout);
	sleep((unsigned int)atoi(hold));
	tq_genl_close(g);
	return 0;
}

static int cmd_listen_many(const char *n_s, const char *addr,
			   const char *port)
{
	int n = atoi(n_s), i, r;
	struct tq_genl **g;
	uint32_t id;

	g = calloc((size_t)n, sizeof(*g));
	if (!g)
		return 1;
	for (i = 0; i < n; i++) {
		r = tq_genl_open(&g[i], ignore_event, NULL);
		if (r < 0)
			return fail(NULL, "generic netlink", r);
		r = listen_on(g[i], addr, (unsigned int)atoi(port) + i, &id);
		if (r < 0)
			return fail(g[i], "listen", r);
	}
	printf("%d listeners\n", n);
	/* every socket closes at once as the process exits */
	return 0;
}

/* the family's id, asked of the controller on @nl; 0 on failure */
static uint16_t family_id(struct mnl_socket *nl, char *buf, size_t len)
{
	const struct nlattr *a;
	struct genlmsghdr *gh;
	struct nlmsghdr *nlh;
	int n;

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	nlh->nlmsg_seq = 1;
	gh = mnl_nlmsg_put_extra_header(nlh, sizeof(*gh));
	gh->cmd = CTRL_CMD_GETFAMILY;
	gh->version = 1;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, TQUIC_GENL_NAME);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return 0;
	n = (int)mnl_socket_recvfrom(nl, buf, len);
	if (n <= 0)
		return 0;
	nlh = (struct nlmsghdr *)buf;
	if (nlh->nlmsg_type != GENL_ID_CTRL)
		return 0;
	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr))
		if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_ID)
			return mnl_attr_get_u16(a);
	return 0;
}

static int count_conn(const struct nlmsghdr *nlh, void *data)
{
	(void)nlh;
	(*(int *)data)++;
	return MNL_CB_OK;
}

static int cmd_dump(void)
{
	struct mnl_socket *nl = mnl_socket_open(NETLINK_GENERIC);
	static char buf[65536];
	struct genlmsghdr *gh;
	struct nlmsghdr *nlh;
	int n, r, count = 0;
	uint16_t family;

	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0)
		return fail(NULL, "netlink", -errno);
	family = family_id(nl, buf, sizeof(buf));
	if (!family)
		return fail(NULL, "family", -ENOENT);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = family;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = 2;
	gh = mnl_nlmsg_put_extra_header(nlh, sizeof(*gh));
	gh->cmd = TQUIC_CMD_GET_CONN;
	gh->version = TQUIC_GENL_VERSION;
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return fail(NULL, "dump", -errno);
	for (;;) {
		n = (int)mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (n < 0)
			return fail(NULL, "dump", -errno);
		r = mnl_cb_run(buf, (size_t)n, 2, mnl_socket_get_portid(nl),
			       count_conn, &count);
		if (r < 0)
			return fail(NULL, "dump", -errno);
		if (r == MNL_CB_STOP)
			break;
	}
	mnl_socket_close(nl);
	printf("%d connections\n", count);
	return 0;
}

int main(int argc, char *argv[])
{
	if (argc == 2 && !strcmp(argv[1], "dump"))
		return cmd_dump();
	if (argc == 4 && !strcmp(argv[1], "listen"))
		return cmd_listen(argv[2], argv[3]);
	if (argc == 6 && !strcmp(argv[1], "connect"))
		return cmd_connect(argv[2], argv[3], argv[4], argv[5]);
	if (argc == 5 && !strcmp(argv[1], "listen-many"))
		return cmd_listen_many(argv[2], argv[3], argv[4]);
	fprintf(stderr, "usage: tqnl listen ADDR PORT | "
		"connect ADDR PORT IDLE_MS HOLD_S | listen-many N ADDR PORT | dump\n");
	return 2;
}
