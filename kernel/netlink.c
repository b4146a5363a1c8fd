// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink family "tquic" (uapi/tquic.h): commands from
 * tquic-gatewayd, events back to it. Attributes are checked by the policy
 * before a handler runs; handlers check what a policy cannot (address
 * lengths, which attributes a command needs) and say what was wrong
 * through extack.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/in.h>
#include <linux/in6.h>
#include <linux/netlink.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <net/sock.h>

#include "connection.h"
#include "core/varint.h"
#include "device.h"
#include "netlink.h"
#include "netns.h"
#include "socket.h"
#include "uapi/tquic.h"

#define TQUIC_DEFAULT_IDLE_MS	30000
#define TQUIC_MAX_IDLE_MS	600000

static const struct nla_policy tquic_nl_policy[TQUIC_A_MAX + 1] = {
	[TQUIC_A_CONN_ID] = { .type = NLA_U32 },
	[TQUIC_A_LISTENER_ID] = { .type = NLA_U32 },
	[TQUIC_A_LOCAL_ADDR] = { .type = NLA_BINARY, .len = sizeof(struct in6_addr) },
	[TQUIC_A_LOCAL_PORT] = { .type = NLA_U16 },
	[TQUIC_A_PEER_ADDR] = { .type = NLA_BINARY, .len = sizeof(struct in6_addr) },
	[TQUIC_A_PEER_PORT] = NLA_POLICY_MIN(NLA_U16, 1),
	[TQUIC_A_IFINDEX] = { .type = NLA_U32 },
	[TQUIC_A_VERSION] = { .type = NLA_U32 },
	[TQUIC_A_IDLE_TIMEOUT_MS] = { .type = NLA_U32 },
	[TQUIC_A_LEVEL] = NLA_POLICY_MAX(NLA_U8, TQUIC_LEVEL_APP),
	[TQUIC_A_DIRECTION] = NLA_POLICY_MAX(NLA_U8, TQUIC_DIR_TX),
	[TQUIC_A_CIPHER] = NLA_POLICY_RANGE(NLA_U16, 0x1301, 0x1303),
	[TQUIC_A_SECRET] = { .type = NLA_BINARY, .len = TQUIC_MAX_HASH_LEN },
	[TQUIC_A_DATA] = { .type = NLA_BINARY, .len = TQUIC_DATA_MAX },
	[TQUIC_A_ERROR_CODE] = { .type = NLA_U64 },
	[TQUIC_A_ERROR_APP] = { .type = NLA_FLAG },
	[TQUIC_A_RETRY] = NLA_POLICY_MAX(NLA_U8, TQUIC_RETRY_ALWAYS),
	[TQUIC_A_RESET_KEY] = NLA_POLICY_EXACT_LEN(TQUIC_RESET_KEY_LEN),
	[TQUIC_A_KEEPALIVE_MS] = { .type = NLA_U32 },
	[TQUIC_A_BOND] = { .type = NLA_FLAG },
};

static struct genl_family tquic_nl_family;

enum { TQUIC_NL_GRP_EVENTS };

static const struct genl_multicast_group tquic_nl_mcgrps[] = {
	[TQUIC_NL_GRP_EVENTS] = { .name = TQUIC_GENL_MCGRP_EVENTS,
				  .flags = GENL_MCAST_CAP_NET_ADMIN },
};

static struct tquic_net *tquic_nl_net(struct genl_info *info)
{
	return tquic_net(genl_info_net(info));
}

/* An address attribute and a port into a sockaddr; false if malformed. */
static bool tquic_nl_addr(const struct nlattr *a, u16 port,
			  struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (nla_len(a) == sizeof(struct in_addr)) {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;

		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		memcpy(&sin->sin_addr, nla_data(a), sizeof(sin->sin_addr));
		return true;
	}
	if (nla_len(a) == sizeof(struct in6_addr)) {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		memcpy(&sin6->sin6_addr, nla_data(a), sizeof(sin6->sin6_addr));
		return true;
	}
	return false;
}

static int tquic_nl_put_addr(struct sk_buff *skb, int addr_attr, int port_attr,
			     const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *sin = (const void *)ss;

		return nla_put_in_addr(skb, addr_attr, sin->sin_addr.s_addr) ?:
		       nla_put_u16(skb, port_attr, ntohs(sin->sin_port));
	}
	if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *sin6 = (const void *)ss;

		return nla_put_in6_addr(skb, addr_attr, &sin6->sin6_addr) ?:
		       nla_put_u16(skb, port_attr, ntohs(sin6->sin6_port));
	}
	return -EAFNOSUPPORT;
}

/* Our max_idle_timeout; -ERANGE past TQUIC_MAX_IDLE_MS. */
static s64 tquic_nl_idle(struct genl_info *info)
{
	struct nlattr *a = info->attrs[TQUIC_A_IDLE_TIMEOUT_MS];

	if (!a)
		return TQUIC_DEFAULT_IDLE_MS;
	if (nla_get_u32(a) > TQUIC_MAX_IDLE_MS) {
		NL_SET_ERR_MSG_ATTR(info->extack, a,
				    "idle timeout above 600000 ms");
		return -ERANGE;
	}
	return nla_get_u32(a);
}

/* The keepalive interval, 0 (none) by default; -ERANGE past the idle bound */
static s64 tquic_nl_keepalive(struct genl_info *info)
{
	struct nlattr *a = info->attrs[TQUIC_A_KEEPALIVE_MS];

	if (!a)
		return 0;
	if (nla_get_u32(a) > TQUIC_MAX_IDLE_MS) {
		NL_SET_ERR_MSG_ATTR(info->extack, a,
				    "keepalive above 600000 ms");
		return -ERANGE;
	}
	return nla_get_u32(a);
}

/* With BOND, the namespace's tquic0 and hooks; the namespace is locked. */
static int tquic_nl_bond(struct tquic_net *tn, struct genl_info *info)
{
	int err;

	if (!nla_get_flag(info->attrs[TQUIC_A_BOND]))
		return 0;
	err = tquic_dev_ensure(tn);
	if (err)
		NL_SET_ERR_MSG(info->extack,
			       "cannot create tquic0 and its netfilter hooks");
	return err;
}

/* A UDP socket bound as the command says; the namespace is locked. */
static int tquic_nl_sock_open(struct tquic_net *tn, struct genl_info *info,
			      const struct sockaddr_storage *local,
			      struct tquic_sock **ts)
{
	struct nlattr *ifindex = info->attrs[TQUIC_A_IFINDEX];
	struct nlattr *key = info->attrs[TQUIC_A_RESET_KEY];
	int err;

	err = tquic_sock_open(tn, local, ifindex ? nla_get_u32(ifindex) : 0,
			      key ? nla_data(key) : NULL, ts);
	if (err)
		NL_SET_ERR_MSG(info->extack, "cannot bind the UDP socket");
	return err;
}

static int tquic_nl_listen(struct sk_buff *skb, struct genl_info *info)
{
	struct tquic_net *tn = tquic_nl_net(info);
	struct sockaddr_storage local;
	struct tquic_sock *ts;
	struct sk_buff *msg;
	s64 idle = tquic_nl_idle(info), keepalive = tquic_nl_keepalive(info);
	void *hdr;
	int err, id;

	if (idle < 0)
		return idle;
	if (keepalive < 0)
		return keepalive;
	if (GENL_REQ_ATTR_CHECK(info, TQUIC_A_LOCAL_ADDR) ||
	    GENL_REQ_ATTR_CHECK(info, TQUIC_A_LOCAL_PORT))
		return -EINVAL;
	if (!tquic_nl_addr(info->attrs[TQUIC_A_LOCAL_ADDR],
			   nla_get_u16(info->attrs[TQUIC_A_LOCAL_PORT]),
			   &local)) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[TQUIC_A_LOCAL_ADDR],
				    "address must have 4 or 16 bytes");
		return -EINVAL;
	}
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	mutex_lock(&tn->lock);
	err = tquic_net_owner_add(tn, info->snd_portid);
	if (err)
		goto unlock;
	err = tquic_nl_bond(tn, info);
	if (err)
		goto unlock;
	err = tquic_nl_sock_open(tn, info, &local, &ts);
	if (err)
		goto unlock;
	id = idr_alloc(&tn->listener_ids, ts, 1, INT_MAX, GFP_KERNEL);
	if (id < 0) {
		err = id;
		tquic_sock_put(ts);
		goto unlock;
	}
	ts->listener_id = id;
	ts->owner_portid = info->snd_portid;
	ts->idle_timeout_ms = idle;
	if (info->attrs[TQUIC_A_RETRY])
		ts->retry = nla_get_u8(info->attrs[TQUIC_A_RETRY]);
	ts->keepalive_ms = keepalive;
	ts->bond = nla_get_flag(info->attrs[TQUIC_A_BOND]);
	tn->nlisteners++;
	mutex_unlock(&tn->lock);

	hdr = genlmsg_put_reply(msg, info, &tquic_nl_family, 0,
				TQUIC_CMD_LISTEN);
	if (!hdr || nla_put_u32(msg, TQUIC_A_LISTENER_ID, id)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
unlock:
	mutex_unlock(&tn->lock);
	nlmsg_free(msg);
	return err;
}

static int tquic_nl_unlisten(struct sk_buff *skb, struct genl_info *info)
{
	struct tquic_net *tn = tquic_nl_net(info);
	struct tquic_sock *ts;
	int err = 0;

	if (GENL_REQ_ATTR_CHECK(info, TQUIC_A_LISTENER_ID))
		return -EINVAL;
	mutex_lock(&tn->lock);
	ts = idr_find(&tn->listener_ids,
		      nla_get_u32(info->attrs[TQUIC_A_LISTENER_ID]));
	if (ts) {
		tquic_sock_unlisten(ts);
	} else {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[TQUIC_A_LISTENER_ID],
				    "no such listener");
		err = -ENOENT;
	}
	mutex_unlock(&tn->lock);
	return err;
}

static int tquic_nl_connect(struct sk_buff *skb, struct genl_info *info)
{
	struct tquic_net *tn = tquic_nl_net(info);
	struct sockaddr_storage peer, local;
	struct tquic_connection *conn;
	struct tquic_sock *ts;
	struct sk_buff *msg;
	u32 version = TQUIC_VERSION_1;
	s64 idle = tquic_nl_idle(info), keepalive = tquic_nl_keepalive(info);
	void *hdr;
	int err;

	if (idle < 0)
		return idle;
	if (keepalive < 0)
		return keepalive;
	if (GENL_REQ_ATTR_CHECK(info, TQUIC_A_PEER_ADDR) ||
	    GENL_REQ_ATTR_CHECK(info, TQUIC_A_PEER_PORT))
		return -EINVAL;
	if (!tquic_nl_addr(info->attrs[TQUIC_A_PEER_ADDR],
			   nla_get_u16(info->attrs[TQUIC_A_PEER_PORT]), &peer)) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[TQUIC_A_PEER_ADDR],
				    "address must have 4 or 16 bytes");
		return -EINVAL;
	}
	memset(&local, 0, sizeof(local));
	local.ss_family = peer.ss_family;
	if (info->attrs[TQUIC_A_LOCAL_ADDR] &&
	    (!tquic_nl_addr(info->attrs[TQUIC_A_LOCAL_ADDR],
			    info->attrs[TQUIC_A_LOCAL_PORT] ?
			    nla_get_u16(info->attrs[TQUIC_A_LOCAL_PORT]) : 0,
			    &local) || local.ss_family != peer.ss_family)) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[TQUIC_A_LOCAL_ADDR],
				    "local address must be of the peer's family");
		return -EINVAL;
	}
	if (info->attrs[TQUIC_A_VERSION]) {
		version = nla_get_u32(info->attrs[TQUIC_A_VERSION]);
		if (version != TQUIC_VERSION_1 && version != TQUIC_VERSION_2) {
			NL_SET_ERR_MSG_ATTR(info->extack,
					    info->attrs[TQUIC_A_VERSION],
					    "QUIC version not supported");
			return -EPROTONOSUPPORT;
		}
	}
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	mutex_lock(&tn->lock);
	err = tquic_net_owner_add(tn, info->snd_portid);
	if (err)
		goto unlock;
	err = tquic_nl_bond(tn, info);
	if (err)
		goto unlock;
	err = tquic_nl_sock_open(tn, info, &local, &ts);
	if (err)
		goto unlock;
	err = tquic_connection_connect(tn, ts, &peer, version, idle,
				       keepalive, info->snd_portid, &conn);
	tquic_sock_put(ts);	/* the connection holds it now */
	if (err)
		goto unlock;
	conn->bond = nla_get_flag(info->attrs[TQUIC_A_BOND]);
	hdr = genlmsg_put_reply(msg, info, &tquic_nl_family, 0,
				TQUIC_CMD_CONNECT);
	if (!hdr || nla_put_u32(msg, TQUIC_A_CONN_ID, conn->id) ||
	    nla_put_u32(msg, TQUIC_A_VERSION, version) ||
	    nla_put(msg, TQUIC_A_LOCAL_TPARAMS, conn->c.local_tp_len,
		    conn->c.local_tp_buf)) {
		tquic_connection_destroy(conn);
		err = -EMSGSIZE;
		goto unlock;
	}
	mutex_unlock(&tn->lock);
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
unlock:
	mutex_unlock(&tn->lock);
	nlmsg_free(msg);
	return err;
}

/*
 * The connection a command names, with the namespace locked; on NULL the
 * lock is not held and extack says why.
 */
static struct tquic_connection *tquic_nl_conn(struct genl_info *info)
{
	struct tquic_net *tn = tquic_nl_net(info);
	struct tquic_connection *conn;

	if (GENL_REQ_ATTR_CHECK(info, TQUIC_A_CONN_ID))
		return NULL;
	mutex_lock(&tn->lock);
	conn = tquic_connection_get(tn,
				    nla_get_u32(info->attrs[TQUIC_A_CONN_ID]));
	if (!conn) {
		mutex_unlock(&tn->lock);
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[TQUIC_A_CONN_ID],
				    "no such connection");
		return NULL;
	}
	tquic_connection_own(conn);
	return conn;
}

static int tquic_nl_conn_done(struct tquic_connection *conn, int err)
{
	struct tquic_net *tn = conn->tn;

	tquic_connection_release(conn);
	tquic_connection_reap(tn);
	mutex_unlock(&tn->lock);
	return err;
}

static int tquic_nl_crypto_send(struct sk_buff *skb, struct genl_info *info)
{
	struct tquic_connection *conn;
	struct nlattr *data;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, TQUIC_A_LEVEL) ||
	    GENL_REQ_ATTR_CHECK(info, TQUIC_A_DATA))
		return -EINVAL;
	conn = tquic_nl_conn(info);
	if (!conn)
		return -ENOENT;
	data = info->attrs[TQUIC_A_DATA];
	err = tquic_conn_crypto_send(&conn->c,
				     nla_get_u8(info->attrs[TQUIC_A_LEVEL]),
				     nla_data(data), nla_len(data));
	if (err == -ENOSPC)
		NL_SET_ERR_MSG(info->extack, "CRYPTO stream full at this level");
	else if (err)
		NL_SET_ERR_MSG(info->extack, "keys of this level are gone");
	return tquic_nl_conn_done(conn, err);
}

static int tquic_nl_set_secret(struct sk_buff *skb, struct genl_info *info)
{
	static const enum tquic_aead_alg algs[] = {
		TQUIC_AES_128_GCM, TQUIC_AES_256_GCM, TQUIC_CHACHA20_POLY1305,
	};
	struct tquic_connection *conn;
	struct nlattr *secret;
	u8 level;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, TQUIC_A_LEVEL) ||
	    GENL_REQ_ATTR_CHECK(info, TQUIC_A_DIRECTION) ||
	    GENL_REQ_ATTR_CHECK(info, TQUIC_A_CIPHER) ||
	    GENL_REQ_ATTR_CHECK(info, TQUIC_A_SECRET))
		return -EINVAL;
	level = nla_get_u8(info->attrs[TQUIC_A_LEVEL]);
	if (level == TQUIC_LEVEL_INITIAL) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[TQUIC_A_LEVEL],
				    "Initial keys are derived, not set");
		return -EINVAL;
	}
	conn = tquic_nl_conn(info);
	if (!conn)
		return -ENOENT;
	secret = info->attrs[TQUIC_A_SECRET];
	err = tquic_conn_set_secret(&conn->c, tquic_now(), level,
				    nla_get_u8(info->attrs[TQUIC_A_DIRECTION]) ==
				    TQUIC_DIR_TX,
				    algs[nla_get_u16(info->attrs[TQUIC_A_CIPHER]) -
					 0x1301],
				    nla_data(secret), nla_len(secret));
	if (err == -EINVAL)
		NL_SET_ERR_MSG_ATTR(info->extack, secret,
				    "secret length does not match the cipher");
	else if (err == -EEXIST)
		NL_SET_ERR_MSG(info->extack, "secret already set");
	else if (err)
		NL_SET_ERR_MSG(info->extack, "cannot install the keys");
	return tquic_nl_conn_done(conn, err);
}

static int tquic_nl_peer_tparams(struct sk_buff *skb, struct genl_info *info)
{
	struct tquic_connection *conn;
	struct nlattr *data;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, TQUIC_A_DATA))
		return -EINVAL;
	conn = tquic_nl_conn(info);
	if (!conn)
		return -ENOENT;
	data = info->attrs[TQUIC_A_DATA];
	err = tquic_conn_set_peer_tparams(&conn->c, nla_data(data),
					  nla_len(data));
	if (err) {
		NL_SET_ERR_MSG_ATTR(info->extack, data,
				    "transport parameters refused");
		err = -EINVAL;
	}
	return tquic_nl_conn_done(conn, err);
}

static int tquic_nl_handshake_done(struct sk_buff *skb, struct genl_info *info)
{
	struct tquic_connection *conn = tquic_nl_conn(info);
	int err;

	if (!conn)
		return -ENOENT;
	err = tquic_conn_tls_done(&conn->c, tquic_now());
	if (err) {
		NL_SET_ERR_MSG(info->extack,
			       "handshake incomplete: keys or transport parameters missing");
	} else if (conn->bond) {
		err = tquic_dev_attach(conn);
		if (err == -EBUSY)
			NL_SET_ERR_MSG(info->extack,
				       "another client connection carries the bonded flows");
		else if (err)
			NL_SET_ERR_MSG(info->extack,
				       "cannot attach the connection to tquic0");
	}
	return tquic_nl_conn_done(conn, err);
}

static int tquic_nl_close(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *code = info->attrs[TQUIC_A_ERROR_CODE];
	struct tquic_connection *conn;
	u64 error = code ? nla_get_u64(code) : 0;

	if (error > TQUIC_VARINT_MAX) {
		NL_SET_ERR_MSG_ATTR(info->extack, code,
				    "error code above 2^62 - 1");
		return -ERANGE;
	}
	conn = tquic_nl_conn(info);
	if (!conn)
		return -ENOENT;
	tquic_conn_close(&conn->c, tquic_now(),
			 nla_get_flag(info->attrs[TQUIC_A_ERROR_APP]), error, 0);
	return tquic_nl_conn_done(conn, 0);
}

/* ERROR_CODE and its flags, once the connection is closing */
static int tquic_nl_put_close(struct sk_buff *skb, const struct tquic_conn *c,
			      u8 state)
{
	if (state < TQUIC_STATE_CLOSING)
		return 0;
	return nla_put_u64_64bit(skb, TQUIC_A_ERROR_CODE, c->close_error,
				 TQUIC_A_PAD) ||
	       (c->close_app && nla_put_flag(skb, TQUIC_A_ERROR_APP)) ||
	       (c->close_remote && nla_put_flag(skb, TQUIC_A_ERROR_REMOTE)) ||
	       (c->close_reset && nla_put_flag(skb, TQUIC_A_STATELESS_RESET)) ?
	       -EMSGSIZE : 0;
}

static int tquic_nl_fill_conn(struct sk_buff *skb, struct tquic_connection *conn,
			      u32 portid, u32 seq, int flags)
{
	const struct tquic_conn *c = &conn->c;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &tquic_nl_family, flags,
			  TQUIC_CMD_GET_CONN);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, TQUIC_A_CONN_ID, conn->id) ||
	    (conn->listener_id &&
	     nla_put_u32(skb, TQUIC_A_LISTENER_ID, conn->listener_id)) ||
	    nla_put_u8(skb, TQUIC_A_ROLE, c->is_server ? TQUIC_ROLE_SERVER :
						     TQUIC_ROLE_CLIENT) ||
	    nla_put_u8(skb, TQUIC_A_STATE, c->state) ||
	    nla_put_u32(skb, TQUIC_A_VERSION, c->version) ||
	    tquic_nl_put_addr(skb, TQUIC_A_PEER_ADDR, TQUIC_A_PEER_PORT,
			      &conn->peer) ||
	    nla_put(skb, TQUIC_A_LOCAL_CID, c->scid_len, c->scid) ||
	    nla_put(skb, TQUIC_A_PEER_CID, c->dcid_len, c->dcid) ||
	    nla_put_u64_64bit(skb, TQUIC_A_PKTS_TX, c->stats.pkts_tx,
			      TQUIC_A_PAD) ||
	    nla_put_u64_64bit(skb, TQUIC_A_PKTS_RX, c->stats.pkts_rx,
			      TQUIC_A_PAD) ||
	    nla_put_u64_64bit(skb, TQUIC_A_BYTES_TX, c->stats.bytes_tx,
			      TQUIC_A_PAD) ||
	    nla_put_u64_64bit(skb, TQUIC_A_BYTES_RX, c->stats.bytes_rx,
			      TQUIC_A_PAD) ||
	    nla_put_u64_64bit(skb, TQUIC_A_PKTS_LOST, c->stats.pkts_lost,
			      TQUIC_A_PAD) ||
	    nla_put_u64_64bit(skb, TQUIC_A_PKTS_DROPPED,
			      c->stats.pkts_dropped +
			      c->stats.pkts_undecryptable, TQUIC_A_PAD) ||
	    nla_put_u64_64bit(skb, TQUIC_A_PTOS, c->stats.ptos, TQUIC_A_PAD) ||
	    nla_put_u64_64bit(skb, TQUIC_A_SRTT_US, c->pr.rtt.smoothed,
			      TQUIC_A_PAD) ||
	    nla_put_u64_64bit(skb, TQUIC_A_CWND, c->pr.cc.cwnd, TQUIC_A_PAD) ||
	    nla_put_u32(skb, TQUIC_A_KEY_UPDATES, c->kp.updates) ||
	    nla_put_u64_64bit(skb, TQUIC_A_CIDS_ISSUED, c->lcids.next_seq,
			      TQUIC_A_PAD) ||
	    nla_put_u64_64bit(skb, TQUIC_A_DGRAMS_TX, c->stats.dgrams_tx,
			      TQUIC_A_PAD) ||
	    nla_put_u64_64bit(skb, TQUIC_A_DGRAMS_RX, c->stats.dgrams_rx,
			      TQUIC_A_PAD) ||
	    (conn->zone && nla_put_u16(skb, TQUIC_A_ZONE, conn->zone)) ||
	    nla_put_u64_64bit(skb, TQUIC_A_STREAMS_TX, c->streams.stats_opened,
			      TQUIC_A_PAD) ||
	    nla_put_u64_64bit(skb, TQUIC_A_STREAMS_RX,
			      c->streams.stats_rx_opened, TQUIC_A_PAD) ||
	    nla_put_u32(skb, TQUIC_A_STREAMS_OPEN, c->streams.count) ||
	    nla_put_u64_64bit(skb, TQUIC_A_STREAM_RETX,
			      c->streams.stats_retx_bytes, TQUIC_A_PAD) ||
	    nla_put_u64_64bit(skb, TQUIC_A_CIDS_RETIRED, c->stats.cids_retired,
			      TQUIC_A_PAD) ||
	    tquic_nl_put_close(skb, c, c->state))
		goto cancel;
	genlmsg_end(skb, hdr);
	return 0;
cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

static int tquic_nl_get_conn(struct sk_buff *skb, struct genl_info *info)
{
	struct tquic_connection *conn;
	struct sk_buff *msg;
	int err;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	conn = tquic_nl_conn(info);
	if (!conn) {
		nlmsg_free(msg);
		return -ENOENT;
	}
	err = tquic_nl_fill_conn(msg, conn, info->snd_portid, info->snd_seq, 0);
	tquic_connection_release(conn);
	mutex_unlock(&conn->tn->lock);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

static int tquic_nl_dump_conns(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct tquic_net *tn = tquic_net(sock_net(skb->sk));
	struct tquic_connection *conn;
	int next = cb->args[0];

	mutex_lock(&tn->lock);
	for (;;) {
		conn = idr_get_next(&tn->conn_ids, &next);
		if (!conn)
			break;
		if (!READ_ONCE(conn->dead)) {
			int err;

			tquic_connection_own(conn);
			err = tquic_nl_fill_conn(skb, conn,
						 NETLINK_CB(cb->skb).portid,
						 cb->nlh->nlmsg_seq,
						 NLM_F_MULTI);
			tquic_connection_release(conn);
			if (err)
				break;
		}
		next++;
	}
	mutex_unlock(&tn->lock);
	cb->args[0] = next;
	return skb->len;
}

static const struct genl_small_ops tquic_nl_ops[] = {
	{ .cmd = TQUIC_CMD_LISTEN, .doit = tquic_nl_listen,
	  .flags = GENL_ADMIN_PERM },
	{ .cmd = TQUIC_CMD_UNLISTEN, .doit = tquic_nl_unlisten,
	  .flags = GENL_ADMIN_PERM },
	{ .cmd = TQUIC_CMD_CONNECT, .doit = tquic_nl_connect,
	  .flags = GENL_ADMIN_PERM },
	{ .cmd = TQUIC_CMD_CRYPTO_SEND, .doit = tquic_nl_crypto_send,
	  .flags = GENL_ADMIN_PERM },
	{ .cmd = TQUIC_CMD_SET_SECRET, .doit = tquic_nl_set_secret,
	  .flags = GENL_ADMIN_PERM },
	{ .cmd = TQUIC_CMD_PEER_TPARAMS, .doit = tquic_nl_peer_tparams,
	  .flags = GENL_ADMIN_PERM },
	{ .cmd = TQUIC_CMD_HANDSHAKE_DONE, .doit = tquic_nl_handshake_done,
	  .flags = GENL_ADMIN_PERM },
	{ .cmd = TQUIC_CMD_CLOSE, .doit = tquic_nl_close,
	  .flags = GENL_ADMIN_PERM },
	{ .cmd = TQUIC_CMD_GET_CONN, .doit = tquic_nl_get_conn,
	  .dumpit = tquic_nl_dump_conns, .flags = GENL_UNS_ADMIN_PERM },
};

static struct genl_family tquic_nl_family __ro_after_init = {
	.name = TQUIC_GENL_NAME,
	.version = TQUIC_GENL_VERSION,
	.maxattr = TQUIC_A_MAX,
	.policy = tquic_nl_policy,
	.netnsok = true,
	.module = THIS_MODULE,
	.small_ops = tquic_nl_ops,
	.n_small_ops = ARRAY_SIZE(tquic_nl_ops),
	.mcgrps = tquic_nl_mcgrps,
	.n_mcgrps = ARRAY_SIZE(tquic_nl_mcgrps),
};

static struct sk_buff *tquic_nl_event(struct tquic_connection *conn, u8 cmd,
				      size_t extra, void **hdr)
{
	/* events may come from softirq (the connection's 1-RTT path) */
	struct sk_buff *msg = genlmsg_new(NLMSG_DEFAULT_SIZE + extra,
					  GFP_ATOMIC);

	if (!msg)
		return NULL;
	*hdr = genlmsg_put(msg, 0, 0, &tquic_nl_family, 0, cmd);
	if (!*hdr || nla_put_u32(msg, TQUIC_A_CONN_ID, conn->id)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

static int tquic_nl_to_owner(struct tquic_connection *conn,
			     struct sk_buff *msg, void *hdr)
{
	genlmsg_end(msg, hdr);
	if (!conn->owner_portid) {
		nlmsg_free(msg);
		return -ENOTCONN;
	}
	return genlmsg_unicast(conn->tn->net, msg, conn->owner_portid);
}

/**
 * tquic_nl_new_conn() - tell a listener's owner of a new connection
 * @conn: the connection
 *
 * Return: 0, or a negative errno when the owner could not be told (then
 * nobody will run its handshake).
 */
int tquic_nl_new_conn(struct tquic_connection *conn)
{
	struct sk_buff *msg;
	void *hdr;

	msg = tquic_nl_event(conn, TQUIC_EVENT_NEW_CONN, TQUIC_TP_BUF, &hdr);
	if (!msg)
		return -ENOMEM;
	if (nla_put_u32(msg, TQUIC_A_LISTENER_ID, conn->listener_id) ||
	    nla_put_u32(msg, TQUIC_A_VERSION, conn->c.version) ||
	    tquic_nl_put_addr(msg, TQUIC_A_PEER_ADDR, TQUIC_A_PEER_PORT,
			      &conn->peer) ||
	    nla_put(msg, TQUIC_A_LOCAL_TPARAMS, conn->c.local_tp_len,
		    conn->c.local_tp_buf)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return tquic_nl_to_owner(conn, msg, hdr);
}

/**
 * tquic_nl_crypto_data() - hand the peer's CRYPTO bytes to the owner
 * @conn: the connection
 * @level: encryption level
 * @data: bytes
 * @len: their number
 *
 * Return: 0 or a negative errno (the owner is gone or not reading).
 */
int tquic_nl_crypto_data(struct tquic_connection *conn, u8 level,
			 const u8 *data, size_t len)
{
	struct sk_buff *msg;
	void *hdr;

	msg = tquic_nl_event(conn, TQUIC_EVENT_CRYPTO_DATA, len, &hdr);
	if (!msg)
		return -ENOMEM;
	if (nla_put_u8(msg, TQUIC_A_LEVEL, level) ||
	    nla_put(msg, TQUIC_A_DATA, len, data)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return tquic_nl_to_owner(conn, msg, hdr);
}

/**
 * tquic_nl_state() - announce a state change to the "events" group
 * @conn: the connection
 * @state: its new state
 */
void tquic_nl_state(struct tquic_connection *conn, u8 state)
{
	const struct tquic_conn *c = &conn->c;
	struct sk_buff *msg;
	void *hdr;

	msg = tquic_nl_event(conn, TQUIC_EVENT_STATE, 0, &hdr);
	if (!msg)
		return;
	if (nla_put_u8(msg, TQUIC_A_STATE, state) ||
	    tquic_nl_put_close(msg, c, state)) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_end(msg, hdr);
	genlmsg_multicast_netns(&tquic_nl_family, conn->tn->net, msg, 0,
				TQUIC_NL_GRP_EVENTS, GFP_ATOMIC);
}

static int tquic_nl_notify(struct notifier_block *nb, unsigned long event,
			   void *ptr)
{
	struct netlink_notify *n = ptr;

	if (event != NETLINK_URELEASE || n->protocol != NETLINK_GENERIC ||
	    !n->portid)
		return NOTIFY_DONE;
	tquic_net_port_released(tquic_net(n->net), n->portid);
	return NOTIFY_DONE;
}

static struct notifier_block tquic_nl_notifier = {
	.notifier_call = tquic_nl_notify,
};

int __init tquic_nl_init(void)
{
	int err;

	err = genl_register_family(&tquic_nl_family);
	if (err)
		return err;
	err = netlink_register_notifier(&tquic_nl_notifier);
	if (err)
		genl_unregister_family(&tquic_nl_family);
	return err;
}

/**
 * tquic_nl_stop() - stop hearing of closed netlink sockets
 *
 * First at unload: the notifier looks into namespace state, which goes
 * next, while the family stays until the namespaces' last state events
 * are sent (tquic_nl_exit()).
 */
void tquic_nl_stop(void)
{
	netlink_unregister_notifier(&tquic_nl_notifier);
}

void tquic_nl_exit(void)
{
	genl_unregister_family(&tquic_nl_family);
}
