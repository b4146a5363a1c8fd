// SPDX-License-Identifier: GPL-2.0
/*
 * The tunnel: a listener (server) or a connection (client) in the kernel,
 * and a TLS session for each connection while its handshake runs. Kernel
 * events drive the sessions; their output goes back as commands. A failed
 * handshake is closed with its TLS alert (CONNECTION_CLOSE 0x100 + alert)
 * and a log line saying why; nothing else is disturbed. A client whose
 * connection closes connects again after a pause.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>

#include "log.h"
#include "resetkey.h"
#include "tunnel.h"

#define TQ_RECONNECT_USEC	(2 * 1000000ULL)

struct tq_conn {
	struct tq_conn *next;
	struct tq_tunnel *tun;
	uint32_t id;
	struct tq_tls *tls;
	uint8_t tparams[512];
	size_t tparams_len;
	char peer[INET6_ADDRSTRLEN + 8];
};

struct tq_tunnel {
	const struct tq_config *cfg;
	sd_event *event;
	sd_event_source *io;
	sd_event_source *retry;
	struct tq_genl *g;
	struct tq_conn *conns;
	uint32_t listener_id;
	uint8_t reset_key[TQUIC_RESET_KEY_LEN];
	bool has_reset_key;
};

/* "host:port" or "[host6]:port" */
static void tq_fmt_addr(int af, const void *addr, uint16_t port, char *buf,
			size_t len)
{
	char host[INET6_ADDRSTRLEN] = "?";

	inet_ntop(af, addr, host, sizeof(host));
	snprintf(buf, len, af == AF_INET ? "%s:%u" : "[%s]:%u", host, port);
}

static void tq_addr_str(const struct nlattr *addr, const struct nlattr *port,
			char *buf, size_t len)
{
	tq_fmt_addr(mnl_attr_get_payload_len(addr) == 4 ? AF_INET : AF_INET6,
		    mnl_attr_get_payload(addr),
		    port ? mnl_attr_get_u16(port) : 0, buf, len);
}

static void tq_sockaddr_str(const struct sockaddr_storage *ss, char *buf,
			    size_t len)
{
	const struct sockaddr_in *sin = (const void *)ss;
	const struct sockaddr_in6 *sin6 = (const void *)ss;

	if (ss->ss_family == AF_INET)
		tq_fmt_addr(AF_INET, &sin->sin_addr, ntohs(sin->sin_port), buf,
			    len);
	else
		tq_fmt_addr(AF_INET6, &sin6->sin6_addr, ntohs(sin6->sin6_port),
			    buf, len);
}

static void tq_sockaddr_put(struct nlmsghdr *nlh, int addr_attr,
			    int port_attr, const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *sin = (const void *)ss;

		mnl_attr_put(nlh, addr_attr, 4, &sin->sin_addr);
		if (sin->sin_port)
			mnl_attr_put_u16(nlh, port_attr, ntohs(sin->sin_port));
	} else if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *sin6 = (const void *)ss;

		mnl_attr_put(nlh, addr_attr, 16, &sin6->sin6_addr);
		if (sin6->sin6_port)
			mnl_attr_put_u16(nlh, port_attr, ntohs(sin6->sin6_port));
	}
}

static struct tq_conn *tq_conn_find(struct tq_tunnel *tun, uint32_t id)
{
	struct tq_conn *c;

	for (c = tun->conns; c; c = c->next)
		if (c->id == id)
			return c;
	return NULL;
}

static void tq_conn_free(struct tq_conn *c)
{
	struct tq_conn **pp;

	for (pp = &c->tun->conns; *pp; pp = &(*pp)->next)
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	tq_tls_free(c->tls);
	free(c);
}

static int tq_cmd(struct tq_conn *c, struct nlmsghdr *nlh, const char *what)
{
	int r = tq_genl_call(c->tun->g, nlh, NULL);

	if (r < 0 && r != -ENOENT)
		log_warn("connection %u (%s): %s: %s%s%s", c->id, c->peer, what,
			 strerror(-r), tq_genl_last_error(c->tun->g) ? ": " : "",
			 tq_genl_last_error(c->tun->g) ?: "");
	return r;
}

static int tq_tls_send(void *ctx, uint8_t level, const void *data, size_t len)
{
	struct tq_conn *c = ctx;
	struct nlmsghdr *nlh;
	size_t off;
	int r = 0;

	for (off = 0; off < len && !r; off += TQUIC_DATA_MAX) {
		size_t n = len - off < TQUIC_DATA_MAX ? len - off : TQUIC_DATA_MAX;

		nlh = tq_genl_msg(c->tun->g, TQUIC_CMD_CRYPTO_SEND);
		mnl_attr_put_u32(nlh, TQUIC_A_CONN_ID, c->id);
		mnl_attr_put_u8(nlh, TQUIC_A_LEVEL, level);
		mnl_attr_put(nlh, TQUIC_A_DATA, n, (const char *)data + off);
		r = tq_cmd(c, nlh, "sending handshake data");
	}
	return r;
}

static int tq_tls_secret(void *ctx, uint8_t level, bool tx, uint16_t cipher,
			 const void *secret, size_t len)
{
	struct tq_conn *c = ctx;
	struct nlmsghdr *nlh = tq_genl_msg(c->tun->g, TQUIC_CMD_SET_SECRET);
	int r;

	mnl_attr_put_u32(nlh, TQUIC_A_CONN_ID, c->id);
	mnl_attr_put_u8(nlh, TQUIC_A_LEVEL, level);
	mnl_attr_put_u8(nlh, TQUIC_A_DIRECTION, tx ? TQUIC_DIR_TX : TQUIC_DIR_RX);
	mnl_attr_put_u16(nlh, TQUIC_A_CIPHER, cipher);
	mnl_attr_put(nlh, TQUIC_A_SECRET, len, secret);
	r = tq_cmd(c, nlh, "installing keys");
	/* the secret is in the netlink buffer: wipe it */
	memset(nlh, 0, nlh->nlmsg_len);
	return r;
}

static int tq_tls_peer_tparams(void *ctx, const void *data, size_t len)
{
	struct tq_conn *c = ctx;
	struct nlmsghdr *nlh = tq_genl_msg(c->tun->g, TQUIC_CMD_PEER_TPARAMS);

	mnl_attr_put_u32(nlh, TQUIC_A_CONN_ID, c->id);
	mnl_attr_put(nlh, TQUIC_A_DATA, len, data);
	return tq_cmd(c, nlh, "peer's transport parameters");
}

static const struct tq_tls_ops tq_tls_ops = {
	.send = tq_tls_send,
	.secret = tq_tls_secret,
	.peer_tparams = tq_tls_peer_tparams,
};

static struct tq_conn *tq_conn_new(struct tq_tunnel *tun, uint32_t id,
				   const struct nlattr *tparams,
				   const char *peer)
{
	struct tq_conn *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->tun = tun;
	c->id = id;
	snprintf(c->peer, sizeof(c->peer), "%s", peer);
	c->tparams_len = mnl_attr_get_payload_len(tparams);
	if (c->tparams_len > sizeof(c->tparams) ||
	    tq_tls_new(&c->tls, &tun->cfg->auth, c->tparams, c->tparams_len,
		       &tq_tls_ops, c)) {
		free(c);
		return NULL;
	}
	memcpy(c->tparams, mnl_attr_get_payload(tparams), c->tparams_len);
	c->next = tun->conns;
	tun->conns = c;
	return c;
}

static void tq_conn_close(struct tq_conn *c, uint64_t code)
{
	struct nlmsghdr *nlh = tq_genl_msg(c->tun->g, TQUIC_CMD_CLOSE);

	mnl_attr_put_u32(nlh, TQUIC_A_CONN_ID, c->id);
	mnl_attr_put_u64(nlh, TQUIC_A_ERROR_CODE, code);
	tq_cmd(c, nlh, "closing");
}

static void tq_conn_progress(struct tq_conn *c, uint8_t level,
			     const void *data, size_t len)
{
	struct nlmsghdr *nlh;
	const char *name;
	int r;

	if (!c->tls)
		return;
	r = tq_tls_input(c->tls, level, data, len);
	if (r == 0)
		return;
	name = tq_tls_peer_name(c->tls);
	if (r < 0) {
		log_warn("connection %u: handshake with %s%s%s%s failed: %s (TLS alert %u)",
			 c->id, c->peer, name ? " (" : "", name ?: "",
			 name ? ")" : "", tq_tls_error(c->tls),
			 tq_tls_alert(c->tls));
		/* RFC 9001 §4.8 */
		tq_conn_close(c, 0x100 + tq_tls_alert(c->tls));
		tq_tls_free(c->tls);
		c->tls = NULL;
		return;
	}
	nlh = tq_genl_msg(c->tun->g, TQUIC_CMD_HANDSHAKE_DONE);
	mnl_attr_put_u32(nlh, TQUIC_A_CONN_ID, c->id);
	if (tq_cmd(c, nlh, "completing the handshake"))
		return;
	log_info("connection %u: TLS 1.3 handshake with %s%s%s%s complete",
		 c->id, c->peer, name ? " (" : "", name ?: "", name ? ")" : "");
	/* no post-handshake messages in this protocol: TLS is done */
	tq_tls_free(c->tls);
	c->tls = NULL;
}

static int tq_tunnel_connect(struct tq_tunnel *tun);

static int tq_retry_fire(sd_event_source *s, uint64_t usec, void *ud)
{
	struct tq_tunnel *tun = ud;

	(void)s;
	(void)usec;
	tun->retry = sd_event_source_unref(tun->retry);
	if (tq_tunnel_connect(tun) < 0)
		sd_event_add_time_relative(tun->event, &tun->retry,
					   CLOCK_MONOTONIC, TQ_RECONNECT_USEC,
					   0, tq_retry_fire, tun);
	return 0;
}

static void tq_on_state(struct tq_tunnel *tun, const struct nlattr **tb)
{
	struct tq_conn *c;
	uint64_t code;
	uint8_t state;

	if (!tb[TQUIC_A_CONN_ID] || !tb[TQUIC_A_STATE])
		return;
	c = tq_conn_find(tun, mnl_attr_get_u32(tb[TQUIC_A_CONN_ID]));
	if (!c)
		return;
	state = mnl_attr_get_u8(tb[TQUIC_A_STATE]);
	if (state == TQUIC_STATE_ESTABLISHED) {
		log_info("connection %u with %s established", c->id, c->peer);
		return;
	}
	if (state != TQUIC_STATE_CLOSED)
		return;
	code = tb[TQUIC_A_ERROR_CODE] ? mnl_attr_get_u64(tb[TQUIC_A_ERROR_CODE]) : 0;
	if (tb[TQUIC_A_STATELESS_RESET])
		log_info("connection %u with %s closed: stateless reset (the peer lost its state)",
			 c->id, c->peer);
	else
		log_info("connection %u with %s closed: %s %s error 0x%llx",
			 c->id, c->peer,
			 tb[TQUIC_A_ERROR_REMOTE] ? "peer's" : "our",
			 tb[TQUIC_A_ERROR_APP] ? "application" : "transport",
			 (unsigned long long)code);
	tq_conn_free(c);
	if (!tun->cfg->auth.server && !tun->retry)
		sd_event_add_time_relative(tun->event, &tun->retry,
					   CLOCK_MONOTONIC, TQ_RECONNECT_USEC,
					   0, tq_retry_fire, tun);
}

static void tq_on_event(void *ctx, uint8_t cmd, const struct nlattr **tb)
{
	struct tq_tunnel *tun = ctx;
	char peer[INET6_ADDRSTRLEN + 8];
	struct tq_conn *c;

	switch (cmd) {
	case TQUIC_EVENT_NEW_CONN:
		if (!tb[TQUIC_A_CONN_ID] || !tb[TQUIC_A_LOCAL_TPARAMS] ||
		    !tb[TQUIC_A_PEER_ADDR])
			return;
		tq_addr_str(tb[TQUIC_A_PEER_ADDR], tb[TQUIC_A_PEER_PORT], peer,
			    sizeof(peer));
		if (!tq_conn_new(tun, mnl_attr_get_u32(tb[TQUIC_A_CONN_ID]),
				 tb[TQUIC_A_LOCAL_TPARAMS], peer))
			log_err("connection from %s: out of memory", peer);
		return;
	case TQUIC_EVENT_CRYPTO_DATA:
		if (!tb[TQUIC_A_CONN_ID] || !tb[TQUIC_A_LEVEL] ||
		    !tb[TQUIC_A_DATA])
			return;
		c = tq_conn_find(tun, mnl_attr_get_u32(tb[TQUIC_A_CONN_ID]));
		if (c)
			tq_conn_progress(c, mnl_attr_get_u8(tb[TQUIC_A_LEVEL]),
					 mnl_attr_get_payload(tb[TQUIC_A_DATA]),
					 mnl_attr_get_payload_len(tb[TQUIC_A_DATA]));
		return;
	case TQUIC_EVENT_STATE:
		tq_on_state(tun, tb);
		return;
	default:
		return;
	}
}

static int tq_on_readable(sd_event_source *s, int fd, uint32_t revents,
			  void *ud)
{
	struct tq_tunnel *tun = ud;
	int r;

	(void)fd;
	(void)revents;
	r = tq_genl_dispatch(tun->g);
	if (r < 0) {
		log_err("generic netlink socket: %s", strerror(-r));
		return sd_event_exit(sd_event_source_get_event(s), r);
	}
	return 0;
}

static void tq_log_call(struct tq_tunnel *tun, const char *what, int r)
{
	log_err("%s: %s%s%s", what, strerror(-r),
		tq_genl_last_error(tun->g) ? ": " : "",
		tq_genl_last_error(tun->g) ?: "");
}

/* what LISTEN and CONNECT both carry */
static void tq_tunnel_put_common(struct tq_tunnel *tun, struct nlmsghdr *nlh)
{
	mnl_attr_put_u32(nlh, TQUIC_A_IDLE_TIMEOUT_MS,
			 tun->cfg->idle_timeout_ms);
	mnl_attr_put_u32(nlh, TQUIC_A_KEEPALIVE_MS, tun->cfg->keepalive_ms);
	/* the connection carries tquic0's flows once established */
	if (tun->cfg->bond)
		mnl_attr_put(nlh, TQUIC_A_BOND, 0, NULL);
	if (tun->has_reset_key)
		mnl_attr_put(nlh, TQUIC_A_RESET_KEY, sizeof(tun->reset_key),
			     tun->reset_key);
}

static int tq_tunnel_connect(struct tq_tunnel *tun)
{
	const struct tq_config *cfg = tun->cfg;
	const struct nlattr *tb[TQUIC_A_MAX + 1];
	struct nlmsghdr *nlh = tq_genl_msg(tun->g, TQUIC_CMD_CONNECT);
	char peer[INET6_ADDRSTRLEN + 8];
	struct tq_conn *c;
	int r;

	tq_sockaddr_put(nlh, TQUIC_A_PEER_ADDR, TQUIC_A_PEER_PORT, &cfg->server);
	if (cfg->local.ss_family)
		tq_sockaddr_put(nlh, TQUIC_A_LOCAL_ADDR, TQUIC_A_LOCAL_PORT,
				&cfg->local);
	mnl_attr_put_u32(nlh, TQUIC_A_VERSION, cfg->version);
	tq_tunnel_put_common(tun, nlh);
	r = tq_genl_call(tun->g, nlh, tb);
	if (r < 0) {
		tq_log_call(tun, "connect", r);
		return r;
	}
	if (!tb[TQUIC_A_CONN_ID] || !tb[TQUIC_A_LOCAL_TPARAMS])
		return -EBADMSG;
	tq_sockaddr_str(&cfg->server, peer, sizeof(peer));
	c = tq_conn_new(tun, mnl_attr_get_u32(tb[TQUIC_A_CONN_ID]),
			tb[TQUIC_A_LOCAL_TPARAMS], peer);
	if (!c)
		return -ENOMEM;
	log_info("connection %u: connecting to %s", c->id, c->peer);
	tq_conn_progress(c, TQUIC_LEVEL_INITIAL, NULL, 0);	/* ClientHello */
	return 0;
}

static int tq_tunnel_listen(struct tq_tunnel *tun)
{
	const struct nlattr *tb[TQUIC_A_MAX + 1];
	struct nlmsghdr *nlh = tq_genl_msg(tun->g, TQUIC_CMD_LISTEN);
	int r;

	tq_sockaddr_put(nlh, TQUIC_A_LOCAL_ADDR, TQUIC_A_LOCAL_PORT,
			&tun->cfg->listen);
	tq_tunnel_put_common(tun, nlh);
	mnl_attr_put_u8(nlh, TQUIC_A_RETRY, tun->cfg->retry_always ?
			TQUIC_RETRY_ALWAYS : TQUIC_RETRY_AUTO);
	r = tq_genl_call(tun->g, nlh, tb);
	if (r < 0) {
		tq_log_call(tun, "listen", r);
		return r;
	}
	if (!tb[TQUIC_A_LISTENER_ID])
		return -EBADMSG;
	tun->listener_id = mnl_attr_get_u32(tb[TQUIC_A_LISTENER_ID]);
	log_info("listening (listener %u)", tun->listener_id);
	return 0;
}

/**
 * tq_tunnel_start() - listen or connect as @cfg says
 * @out: the tunnel
 * @event: the loop
 * @cfg: configuration, outliving the tunnel
 *
 * Return: 0 or a negative errno (logged).
 */
int tq_tunnel_start(struct tq_tunnel **out, sd_event *event,
		    const struct tq_config *cfg)
{
	struct tq_tunnel *tun = calloc(1, sizeof(*tun));
	int r;

	if (!tun)
		return -ENOMEM;
	tun->cfg = cfg;
	tun->event = sd_event_ref(event);
	if (cfg->reset_key_file) {
		r = tq_reset_key_load(cfg->reset_key_file, tun->reset_key);
		if (r < 0)
			goto fail;
		tun->has_reset_key = true;
	}
	r = tq_genl_open(&tun->g, tq_on_event, tun);
	if (r < 0) {
		log_err("generic netlink family '%s': %s", TQUIC_GENL_NAME,
			strerror(-r));
		goto fail;
	}
	r = sd_event_add_io(event, &tun->io, tq_genl_fd(tun->g), EPOLLIN,
			    tq_on_readable, tun);
	if (r < 0)
		goto fail;
	r = cfg->auth.server ? tq_tunnel_listen(tun) : tq_tunnel_connect(tun);
	if (r < 0)
		goto fail;
	/* events that came with the replies */
	r = tq_genl_dispatch(tun->g);
	if (r < 0)
		goto fail;
	*out = tun;
	return 0;
fail:
	tq_tunnel_free(tun);
	return r;
}

void tq_tunnel_free(struct tq_tunnel *tun)
{
	if (!tun)
		return;
	while (tun->conns)
		tq_conn_free(tun->conns);
	sd_event_source_unref(tun->io);
	sd_event_source_unref(tun->retry);
	tq_genl_close(tun->g);
	sd_event_unref(tun->event);
	explicit_bzero(tun->reset_key, sizeof(tun->reset_key));
	free(tun);
}
