// SPDX-License-Identifier: GPL-2.0
/*
 * Generic netlink with libmnl. Commands are synchronous: tq_genl_call()
 * waits for the kernel's answer. Events that arrive meanwhile are queued
 * and handed out by tq_genl_dispatch(), which the event loop also calls
 * when the socket is readable, so handlers never run inside a call.
 */

#include <errno.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "genl.h"
#include "log.h"
#include "util.h"

#define TQ_GENL_BUF	16384	/* a CRYPTO_DATA event fits with room */
#define TQ_GENL_RCVBUF	(4 * 1024 * 1024)

struct tq_event {
	struct tq_event *next;
	char data[];
};

struct tq_genl {
	struct mnl_socket *nl;
	uint16_t family;
	uint32_t mcgrp;
	uint32_t portid;
	uint32_t seq;
	tq_genl_event_fn fn;
	void *ctx;
	struct tq_event *head, **tail;
	char err[256];
	char tx[TQ_GENL_BUF];
	char rx[TQ_GENL_BUF];
	char reply[TQ_GENL_BUF];
	size_t reply_len;
};

/* The fixed-size attributes' types: readers may take their values as is. */
static const enum mnl_attr_data_type tq_attr_types[TQUIC_A_MAX + 1] = {
	[TQUIC_A_CONN_ID] = MNL_TYPE_U32,
	[TQUIC_A_LISTENER_ID] = MNL_TYPE_U32,
	[TQUIC_A_LOCAL_PORT] = MNL_TYPE_U16,
	[TQUIC_A_PEER_PORT] = MNL_TYPE_U16,
	[TQUIC_A_IFINDEX] = MNL_TYPE_U32,
	[TQUIC_A_VERSION] = MNL_TYPE_U32,
	[TQUIC_A_IDLE_TIMEOUT_MS] = MNL_TYPE_U32,
	[TQUIC_A_LEVEL] = MNL_TYPE_U8,
	[TQUIC_A_DIRECTION] = MNL_TYPE_U8,
	[TQUIC_A_CIPHER] = MNL_TYPE_U16,
	[TQUIC_A_ERROR_CODE] = MNL_TYPE_U64,
	[TQUIC_A_ERROR_APP] = MNL_TYPE_FLAG,
	[TQUIC_A_ERROR_REMOTE] = MNL_TYPE_FLAG,
	[TQUIC_A_STATE] = MNL_TYPE_U8,
	[TQUIC_A_ROLE] = MNL_TYPE_U8,
	[TQUIC_A_PKTS_TX] = MNL_TYPE_U64,
	[TQUIC_A_PKTS_RX] = MNL_TYPE_U64,
	[TQUIC_A_BYTES_TX] = MNL_TYPE_U64,
	[TQUIC_A_BYTES_RX] = MNL_TYPE_U64,
	[TQUIC_A_PKTS_LOST] = MNL_TYPE_U64,
	[TQUIC_A_PKTS_DROPPED] = MNL_TYPE_U64,
	[TQUIC_A_PTOS] = MNL_TYPE_U64,
	[TQUIC_A_SRTT_US] = MNL_TYPE_U64,
	[TQUIC_A_CWND] = MNL_TYPE_U64,
	[TQUIC_A_KEY_UPDATES] = MNL_TYPE_U32,
	[TQUIC_A_RETRY] = MNL_TYPE_U8,
	[TQUIC_A_KEEPALIVE_MS] = MNL_TYPE_U32,
	[TQUIC_A_STATELESS_RESET] = MNL_TYPE_FLAG,
	[TQUIC_A_CIDS_ISSUED] = MNL_TYPE_U64,
	[TQUIC_A_CIDS_RETIRED] = MNL_TYPE_U64,
	[TQUIC_A_BOND] = MNL_TYPE_FLAG,
	[TQUIC_A_DGRAMS_TX] = MNL_TYPE_U64,
	[TQUIC_A_DGRAMS_RX] = MNL_TYPE_U64,
	[TQUIC_A_ZONE] = MNL_TYPE_U16,
	[TQUIC_A_STREAMS_TX] = MNL_TYPE_U64,
	[TQUIC_A_STREAMS_RX] = MNL_TYPE_U64,
	[TQUIC_A_STREAMS_OPEN] = MNL_TYPE_U32,
	[TQUIC_A_STREAM_RETX] = MNL_TYPE_U64,
};

static int tq_attr_cb(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(a);

	if (mnl_attr_type_valid(a, TQUIC_A_MAX) <= 0)
		return MNL_CB_OK;	/* newer than us: skipped */
	if (tq_attr_types[type] != MNL_TYPE_UNSPEC &&
	    mnl_attr_validate(a, tq_attr_types[type]) < 0)
		return MNL_CB_ERROR;
	tb[type] = a;
	return MNL_CB_OK;
}

/**
 * tq_genl_parse() - index a tquic message's attributes
 * @nlh: the message
 * @tb: TQUIC_A_MAX + 1 slots, cleared here
 *
 * Return: 0 or -EBADMSG.
 */
int tq_genl_parse(const struct nlmsghdr *nlh, const struct nlattr **tb)
{
	memset(tb, 0, sizeof(*tb) * (TQUIC_A_MAX + 1));
	if (mnl_attr_parse(nlh, sizeof(struct genlmsghdr), tq_attr_cb,
			   tb) < 0)
		return -EBADMSG;
	return 0;
}

/* Keep a copy of an event for tq_genl_dispatch(). */
static int tq_genl_queue(struct tq_genl *g, const struct nlmsghdr *nlh)
{
	struct tq_event *e = malloc(sizeof(*e) + nlh->nlmsg_len);

	if (!e)
		return -ENOMEM;
	e->next = NULL;
	memcpy(e->data, nlh, nlh->nlmsg_len);
	*g->tail = e;
	g->tail = &e->next;
	return 0;
}

static struct nlmsghdr *tq_msg_start(char *buf, uint16_t type, uint8_t cmd,
				     uint8_t version, uint32_t seq)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *gh;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = seq;
	gh = mnl_nlmsg_put_extra_header(nlh, sizeof(*gh));
	gh->cmd = cmd;
	gh->version = version;
	return nlh;
}

/*
 * One netlink reply stream for @seq: queue events, keep the reply, return
 * the error the kernel acknowledged with (0 for success).
 */
static int tq_genl_wait(struct tq_genl *g, uint32_t seq)
{
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(g->nl, g->rx, sizeof(g->rx));
		struct nlmsghdr *nlh;
		int len;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		len = (int)n;
		for (nlh = (struct nlmsghdr *)g->rx; mnl_nlmsg_ok(nlh, len);
		     nlh = mnl_nlmsg_next(nlh, &len)) {
			if (nlh->nlmsg_seq == 0 || nlh->nlmsg_seq != seq) {
				if (nlh->nlmsg_type == g->family &&
				    tq_genl_queue(g, nlh))
					return -ENOMEM;
				continue;
			}
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);
				const struct nlattr *a;

				g->err[0] = 0;
				if (err->error && (nlh->nlmsg_flags & NLM_F_ACK_TLVS)) {
					size_t off = sizeof(*err);

					if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
						off += err->msg.nlmsg_len - sizeof(err->msg);
					mnl_attr_for_each(a, nlh, off)
						if (mnl_attr_get_type(a) == NLMSGERR_ATTR_MSG)
							snprintf(g->err, sizeof(g->err), "%s",
								 mnl_attr_get_str(a));
				}
				return err->error;
			}
			if (nlh->nlmsg_len <= sizeof(g->reply)) {
				memcpy(g->reply, nlh, nlh->nlmsg_len);
				g->reply_len = nlh->nlmsg_len;
			}
		}
	}
}

/**
 * tq_genl_call() - send a command and wait for its answer
 * @g: socket
 * @nlh: the message from tq_genl_msg(), attributes added
 * @reply_tb: TQUIC_A_MAX + 1 slots for the reply's attributes, or NULL;
 *	valid until the next call
 *
 * Return: 0 or the negative errno the kernel answered with;
 * tq_genl_last_error() has its extack message.
 */
int tq_genl_call(struct tq_genl *g, struct nlmsghdr *nlh,
		 const struct nlattr **reply_tb)
{
	int err;

	g->err[0] = 0;
	g->reply_len = 0;
	if (mnl_socket_sendto(g->nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	err = tq_genl_wait(g, nlh->nlmsg_seq);
	if (err)
		return err;
	if (reply_tb) {
		if (!g->reply_len)
			return -ENODATA;
		return tq_genl_parse((struct nlmsghdr *)g->reply, reply_tb);
	}
	return 0;
}

/**
 * tq_genl_msg() - start a command
 * @g: socket
 * @cmd: TQUIC_CMD_*
 *
 * Return: the message, in @g's buffer (one command at a time).
 */
struct nlmsghdr *tq_genl_msg(struct tq_genl *g, uint8_t cmd)
{
	return tq_msg_start(g->tx, g->family, cmd, TQUIC_GENL_VERSION, ++g->seq);
}

const char *tq_genl_last_error(const struct tq_genl *g)
{
	return g->err[0] ? g->err : NULL;
}

int tq_genl_fd(const struct tq_genl *g)
{
	return mnl_socket_get_fd(g->nl);
}

static void tq_genl_deliver(struct tq_genl *g, const struct nlmsghdr *nlh)
{
	const struct nlattr *tb[TQUIC_A_MAX + 1];
	const struct genlmsghdr *gh = mnl_nlmsg_get_payload(nlh);

	if (nlh->nlmsg_type != g->family ||
	    nlh->nlmsg_len < NLMSG_HDRLEN + sizeof(*gh) ||
	    tq_genl_parse(nlh, tb))
		return;
	g->fn(g->ctx, gh->cmd, tb);
}

/**
 * tq_genl_dispatch() - hand queued and newly arrived events to the handler
 * @g: socket
 *
 * Return: 0 or a negative errno (the socket failed).
 */
int tq_genl_dispatch(struct tq_genl *g)
{
	for (;;) {
		struct tq_event *e = g->head;

		if (e) {
			g->head = e->next;
			if (!g->head)
				g->tail = &g->head;
			tq_genl_deliver(g, (struct nlmsghdr *)e->data);
			free(e);
			continue;
		}
		ssize_t n = recv(tq_genl_fd(g), g->rx, sizeof(g->rx),
				 MSG_DONTWAIT);
		if (n < 0 && errno == ENOBUFS) {
			/* events were lost: their handshakes will time out */
			log_warn("netlink receive buffer overrun: events lost");
			continue;
		}
		if (n < 0)
			return errno == EAGAIN || errno == EINTR ? 0 : -errno;
		int len = (int)n;
		for (struct nlmsghdr *nlh = (struct nlmsghdr *)g->rx;
		     mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len)) {
			/* copied: a handler's command reuses g->rx */
			if (nlh->nlmsg_type == g->family && tq_genl_queue(g, nlh))
				return -ENOMEM;
		}
	}
}

static int tq_family_cb(const struct nlmsghdr *nlh, void *data)
{
	struct tq_genl *g = data;
	const struct nlattr *a, *grp, *ga;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_ID)
			g->family = mnl_attr_get_u16(a);
		if (mnl_attr_get_type(a) != CTRL_ATTR_MCAST_GROUPS)
			continue;
		mnl_attr_for_each_nested(grp, a) {
			uint32_t id = 0;
			const char *name = NULL;

			mnl_attr_for_each_nested(ga, grp) {
				if (mnl_attr_get_type(ga) == CTRL_ATTR_MCAST_GRP_ID)
					id = mnl_attr_get_u32(ga);
				else if (mnl_attr_get_type(ga) == CTRL_ATTR_MCAST_GRP_NAME)
					name = mnl_attr_get_str(ga);
			}
			if (name && !strcmp(name, TQUIC_GENL_MCGRP_EVENTS))
				g->mcgrp = id;
		}
	}
	return MNL_CB_OK;
}

static int tq_genl_resolve(struct tq_genl *g)
{
	struct nlmsghdr *nlh;
	int n;

	nlh = tq_msg_start(g->tx, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1, ++g->seq);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, TQUIC_GENL_NAME);
	if (mnl_socket_sendto(g->nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	for (;;) {
		n = mnl_socket_recvfrom(g->nl, g->rx, sizeof(g->rx));
		if (n < 0)
			return -errno;
		n = mnl_cb_run(g->rx, n, g->seq, g->portid, tq_family_cb, g);
		if (n <= MNL_CB_STOP)
			break;
	}
	if (n < 0)
		return -errno;
	return g->family && g->mcgrp ? 0 : -ENOENT;
}

/**
 * tq_genl_open() - connect to the tquic family and join its events
 * @out: the socket
 * @fn: event handler
 * @ctx: passed to it
 *
 * Return: 0; -ENOENT when the family is not there (module not loaded);
 * another negative errno.
 */
int tq_genl_open(struct tq_genl **out, tq_genl_event_fn fn, void *ctx)
{
	struct tq_genl *g = calloc(1, sizeof(*g));
	int one = 1, rcvbuf = TQ_GENL_RCVBUF, err;

	if (!g)
		return -ENOMEM;
	g->tail = &g->head;
	g->fn = fn;
	g->ctx = ctx;
	g->seq = (uint32_t)time(NULL);
	g->nl = mnl_socket_open(NETLINK_GENERIC);
	if (!g->nl) {
		err = -errno;
		goto fail;
	}
	if (mnl_socket_bind(g->nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		err = -errno;
		goto fail;
	}
	g->portid = mnl_socket_get_portid(g->nl);
	(void)mnl_socket_setsockopt(g->nl, NETLINK_EXT_ACK, &one, sizeof(one));
	(void)mnl_socket_setsockopt(g->nl, NETLINK_CAP_ACK, &one, sizeof(one));
	/* handshakes are abandoned when their events do not fit */
	if (setsockopt(tq_genl_fd(g), SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf,
		       sizeof(rcvbuf)) < 0)
		(void)setsockopt(tq_genl_fd(g), SOL_SOCKET, SO_RCVBUF, &rcvbuf,
				 sizeof(rcvbuf));
	err = tq_genl_resolve(g);
	if (err)
		goto fail;
	if (mnl_socket_setsockopt(g->nl, NETLINK_ADD_MEMBERSHIP, &g->mcgrp,
				  sizeof(g->mcgrp)) < 0) {
		err = -errno;
		goto fail;
	}
	*out = g;
	return 0;
fail:
	tq_genl_close(g);
	return err;
}

void tq_genl_close(struct tq_genl *g)
{
	if (!g)
		return;
	while (g->head) {
		struct tq_event *e = g->head;

		g->head = e->next;
		free(e);
	}
	if (g->nl)
		mnl_socket_close(g->nl);
	free(g);
}
