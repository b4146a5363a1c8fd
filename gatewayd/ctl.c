// SPDX-License-Identifier: GPL-2.0
/*
 * tquicctl: look at the kernel's QUIC connections.
 *
 *   tquicctl connections         one line per connection of this namespace
 *   tquicctl close ID [CODE]     close connection ID with application
 *                                error CODE (default 0)
 *
 * Exit status: 0, 1 on a usage error, 2 when the kernel cannot be asked.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <linux/genetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "genl.h"
#include "version.h"

static const char *const state_names[] = {
	[TQUIC_STATE_HANDSHAKE] = "handshake",
	[TQUIC_STATE_ESTABLISHED] = "established",
	[TQUIC_STATE_CLOSING] = "closing",
	[TQUIC_STATE_DRAINING] = "draining",
	[TQUIC_STATE_CLOSED] = "closed",
};

static void put_hex(const char *name, const struct nlattr *a)
{
	const uint8_t *p;
	uint16_t i, n;

	if (!a)
		return;
	p = mnl_attr_get_payload(a);
	n = mnl_attr_get_payload_len(a);
	printf(" %s ", name);
	for (i = 0; i < n; i++)
		printf("%02x", p[i]);
}

static void put_u64(const char *name, const struct nlattr *a)
{
	if (a)
		printf(" %s %" PRIu64, name, mnl_attr_get_u64(a));
}

static void put_u32(const char *name, const struct nlattr *a)
{
	if (a)
		printf(" %s %u", name, mnl_attr_get_u32(a));
}

static int show_conn(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[TQUIC_A_MAX + 1];
	char host[INET6_ADDRSTRLEN] = "?";
	uint8_t state;

	(void)data;
	if (tq_genl_parse(nlh, tb) || !tb[TQUIC_A_CONN_ID] || !tb[TQUIC_A_STATE])
		return MNL_CB_OK;
	state = mnl_attr_get_u8(tb[TQUIC_A_STATE]);
	printf("id %u role %s state %s", mnl_attr_get_u32(tb[TQUIC_A_CONN_ID]),
	       tb[TQUIC_A_ROLE] && mnl_attr_get_u8(tb[TQUIC_A_ROLE]) ==
	       TQUIC_ROLE_SERVER ? "server" : "client",
	       state <= TQUIC_STATE_CLOSED ? state_names[state] : "?");
	if (tb[TQUIC_A_VERSION])
		printf(" version 0x%x", mnl_attr_get_u32(tb[TQUIC_A_VERSION]));
	if (tb[TQUIC_A_PEER_ADDR]) {
		const struct nlattr *a = tb[TQUIC_A_PEER_ADDR];

		inet_ntop(mnl_attr_get_payload_len(a) == 4 ? AF_INET : AF_INET6,
			  mnl_attr_get_payload(a), host, sizeof(host));
		printf(" peer %s port %u", host, tb[TQUIC_A_PEER_PORT] ?
		       mnl_attr_get_u16(tb[TQUIC_A_PEER_PORT]) : 0);
	}
	put_hex("local_cid", tb[TQUIC_A_LOCAL_CID]);
	put_hex("peer_cid", tb[TQUIC_A_PEER_CID]);
	put_u64("pkts_tx", tb[TQUIC_A_PKTS_TX]);
	put_u64("pkts_rx", tb[TQUIC_A_PKTS_RX]);
	put_u64("bytes_tx", tb[TQUIC_A_BYTES_TX]);
	put_u64("bytes_rx", tb[TQUIC_A_BYTES_RX]);
	put_u64("lost", tb[TQUIC_A_PKTS_LOST]);
	put_u64("dropped", tb[TQUIC_A_PKTS_DROPPED]);
	put_u64("ptos", tb[TQUIC_A_PTOS]);
	put_u64("srtt_us", tb[TQUIC_A_SRTT_US]);
	put_u64("cwnd", tb[TQUIC_A_CWND]);
	put_u32("key_updates", tb[TQUIC_A_KEY_UPDATES]);
	put_u64("cids_issued", tb[TQUIC_A_CIDS_ISSUED]);
	put_u64("cids_retired", tb[TQUIC_A_CIDS_RETIRED]);
	put_u64("dgrams_tx", tb[TQUIC_A_DGRAMS_TX]);
	put_u64("dgrams_rx", tb[TQUIC_A_DGRAMS_RX]);
	put_u64("streams_tx", tb[TQUIC_A_STREAMS_TX]);
	put_u64("streams_rx", tb[TQUIC_A_STREAMS_RX]);
	put_u32("streams_open", tb[TQUIC_A_STREAMS_OPEN]);
	put_u64("stream_retx_bytes", tb[TQUIC_A_STREAM_RETX]);
	if (tb[TQUIC_A_ZONE])
		printf(" zone %u", mnl_attr_get_u16(tb[TQUIC_A_ZONE]));
	if (tb[TQUIC_A_ERROR_CODE])
		printf(" error 0x%" PRIx64 "%s%s",
		       mnl_attr_get_u64(tb[TQUIC_A_ERROR_CODE]),
		       tb[TQUIC_A_ERROR_APP] ? " app" : "",
		       tb[TQUIC_A_ERROR_REMOTE] ? " remote" : "");
	if (tb[TQUIC_A_STATELESS_RESET])
		printf(" stateless_reset");
	putchar('\n');
	return MNL_CB_OK;
}

static void ignore_event(void *ctx, uint8_t cmd, const struct nlattr **tb)
{
	(void)ctx;
	(void)cmd;
	(void)tb;
}

/* a generic netlink handle on the family, or a message saying why not */
static int ctl_genl_open(struct tq_genl **g)
{
	int r = tq_genl_open(g, ignore_event, NULL);

	if (r < 0)
		fprintf(stderr, "tquicctl: generic netlink family '%s': %s\n",
			TQUIC_GENL_NAME, strerror(-r));
	return r;
}

static int list_connections(void)
{
	struct mnl_socket *nl = mnl_socket_open(NETLINK_GENERIC);
	static char buf[65536];
	struct tq_genl *g;
	struct nlmsghdr *nlh;
	uint16_t family;
	int n, r;

	/* resolve the family; the dump runs on a plain socket */
	if (ctl_genl_open(&g) < 0)
		return 2;
	nlh = tq_genl_msg(g, TQUIC_CMD_GET_CONN);
	family = nlh->nlmsg_type;
	tq_genl_close(g);
	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		fprintf(stderr, "tquicctl: netlink: %s\n", strerror(errno));
		return 2;
	}
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = family;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = 1;
	struct genlmsghdr *gh = mnl_nlmsg_put_extra_header(nlh, sizeof(*gh));

	gh->cmd = TQUIC_CMD_GET_CONN;
	gh->version = TQUIC_GENL_VERSION;
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		goto fail;
	for (;;) {
		n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (n < 0)
			goto fail;
		r = mnl_cb_run(buf, n, 1, mnl_socket_get_portid(nl), show_conn,
			       NULL);
		if (r < 0)
			goto fail;
		if (r == MNL_CB_STOP)
			break;
	}
	mnl_socket_close(nl);
	return 0;
fail:
	fprintf(stderr, "tquicctl: listing connections: %s\n", strerror(errno));
	mnl_socket_close(nl);
	return 2;
}

static int close_connection(const char *id_s, const char *code_s)
{
	unsigned long long id, code = 0;
	struct nlmsghdr *nlh;
	struct tq_genl *g;
	char *end;
	int r;

	errno = 0;
	id = strtoull(id_s, &end, 10);
	if (errno || *end || !*id_s || id == 0 || id > UINT32_MAX) {
		fprintf(stderr, "tquicctl: bad connection ID '%s'\n", id_s);
		return 1;
	}
	if (code_s) {
		code = strtoull(code_s, &end, 0);
		if (errno || *end || !*code_s) {
			fprintf(stderr, "tquicctl: bad error code '%s'\n",
				code_s);
			return 1;
		}
	}
	if (ctl_genl_open(&g) < 0)
		return 2;
	nlh = tq_genl_msg(g, TQUIC_CMD_CLOSE);
	mnl_attr_put_u32(nlh, TQUIC_A_CONN_ID, (uint32_t)id);
	mnl_attr_put_u64(nlh, TQUIC_A_ERROR_CODE, code);
	mnl_attr_put(nlh, TQUIC_A_ERROR_APP, 0, NULL);
	r = tq_genl_call(g, nlh, NULL);
	if (r < 0)
		fprintf(stderr, "tquicctl: closing connection %llu: %s%s%s\n",
			id, strerror(-r), tq_genl_last_error(g) ? ": " : "",
			tq_genl_last_error(g) ?: "");
	tq_genl_close(g);
	return r < 0 ? 2 : 0;
}

int main(int argc, char *argv[])
{
	if (argc == 2 && (!strcmp(argv[1], "connections") ||
			  !strcmp(argv[1], "conns")))
		return list_connections();
	if ((argc == 3 || argc == 4) && !strcmp(argv[1], "close"))
		return close_connection(argv[2], argc == 4 ? argv[3] : NULL);
	if (argc == 2 && !strcmp(argv[1], "--version")) {
		printf("tquicctl %s\n", TQUIC_VERSION);
		return 0;
	}
	fprintf(argc == 2 && !strcmp(argv[1], "--help") ? stdout : stderr,
		"Usage: tquicctl connections\n"
		"       tquicctl close ID [CODE]\n");
	return argc == 2 && !strcmp(argv[1], "--help") ? 0 : 1;
}
