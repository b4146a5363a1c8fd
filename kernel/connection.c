// SPDX-License-Identifier: GPL-2.0
/*
 * Connections: core/conn.c's state machine bound to a UDP socket, a peer
 * address, a timer and the netlink port that runs its TLS. The handshake,
 * netlink commands and the control path run in process context with the
 * namespace's lock held and the connection owned; the 1-RTT path, the
 * timer and tquic0's transmit in softirq under the connection's lock (see
 * struct tquic_connection).
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/in.h>
#include <linux/in6.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <net/ipv6.h>

#include "connection.h"
#include "core/accept.h"
#include "core/error.h"
#include "core/crypto.h"
#include "core/header.h"
#include "core/retry.h"
#include "mem.h"
#include "device.h"
#include "flow.h"
#include "netlink.h"
#include "netns.h"
#include "receive.h"
#include "send.h"
#include "socket.h"

/* the soonest the timer fires after a turn, microseconds */
#define TQUIC_TIMER_MIN_US	20
/* connections per namespace, handshakes included */
#define TQUIC_MAX_CONNS		1024
/* handshakes under way from which every new client gets a Retry */
#define TQUIC_RETRY_LOAD	64

/**
 * tquic_now() - the clock core/ runs on
 *
 * Return: monotonic time in microseconds.
 */
u64 tquic_now(void)
{
	return ktime_to_us(ktime_get());
}

/*
 * core's deadline passed: handled here, in softirq, unless owned. A high
 * resolution timer: the pacer's gaps are well below a jiffy.
 */
static enum hrtimer_restart tquic_connection_timer(struct hrtimer *t)
{
	struct tquic_connection *conn = container_of(t, struct tquic_connection,
						     timer);

	spin_lock(&conn->lock);
	if (conn->dead)
		goto out;
	if (conn->owned) {
		conn->timer_due = true;
		goto out;
	}
	tquic_conn_on_timeout(&conn->c, tquic_now());
	tquic_connection_turn(conn);
out:
	spin_unlock(&conn->lock);
	return HRTIMER_NORESTART;
}

static bool tquic_connection_announce(struct tquic_connection *conn)
{
	if (conn->announced)
		return true;
	if (tquic_nl_new_conn(conn))
		return false;
	conn->announced = true;
	return true;
}

static void tquic_connection_crypto_data(void *ctx, enum tquic_level level,
					 const u8 *data, size_t len)
{
	struct tquic_connection *conn = ctx;

	/* nobody runs TLS for it any more: give up the handshake */
	if (!tquic_connection_announce(conn) ||
	    tquic_nl_crypto_data(conn, level, data, len))
		tquic_conn_close(&conn->c, tquic_now(), false,
				 TQUIC_INTERNAL_ERROR, 0);
}

static void tquic_connection_state_changed(void *ctx, enum tquic_state state)
{
	struct tquic_connection *conn = ctx;

	if (state == TQUIC_STATE_DRAINING && conn->c.close_reset)
		conn->tn->resets_rx++;
	if (conn->announced)
		tquic_nl_state(conn, state);
}

/*
 * A random CID no connection of the namespace holds, and its token. Only
 * from tquic_conn_prepare(), in process context: the HMAC may allocate.
 */
static int tquic_connection_new_cid(void *ctx, u8 *cid, u8 len, u8 *token)
{
	struct tquic_connection *conn = ctx;

	might_sleep();
	get_random_bytes(cid, len);
	if (tquic_connection_find(conn->tn, cid, len))
		return -EEXIST;
	return tquic_reset_token(conn->ts->reset_key,
				 sizeof(conn->ts->reset_key), cid, len, token);
}

static struct tquic_connection *tquic_connection_alloc(struct tquic_net *tn,
						       struct tquic_sock *ts)
{
	struct tquic_connection *conn;
	int id;

	if (tn->nconns >= TQUIC_MAX_CONNS || tn->dying)
		return ERR_PTR(-EMFILE);
	conn = tquic_mem_vzalloc(sizeof(*conn));
	if (!conn)
		return ERR_PTR(-ENOMEM);
	id = idr_alloc_cyclic(&tn->conn_ids, conn, 1, INT_MAX, GFP_KERNEL);
	if (id < 0) {
		tquic_mem_vfree(conn, sizeof(*conn));
		return ERR_PTR(id);
	}
	if (dst_cache_init(&conn->dst_cache, GFP_KERNEL)) {
		idr_remove(&tn->conn_ids, id);
		tquic_mem_vfree(conn, sizeof(*conn));
		return ERR_PTR(-ENOMEM);
	}
	conn->id = id;
	conn->tn = tn;
	conn->ts = ts;
	ts->refs++;
	spin_lock_init(&conn->lock);
	skb_queue_head_init(&conn->backlog);
	skb_queue_head_init(&conn->txq);
	skb_queue_head_init(&conn->rxq);
	tquic_flow_init(conn);
	/* nobody else sees it yet; tquic_connection_release() lets go */
	conn->owned = true;
	hrtimer_init(&conn->timer, CLOCK_MONOTONIC, HRTIMER_MODE_ABS_SOFT);
	conn->timer.function = tquic_connection_timer;
	conn->ops.crypto_data = tquic_connection_crypto_data;
	conn->ops.state_changed = tquic_connection_state_changed;
	conn->ops.new_cid = tquic_connection_new_cid;
	conn->ops.ctx = conn;
	list_add_tail(&conn->node, &tn->conns);
	tn->nconns++;
	return conn;
}

static void tquic_connection_free_rcu(struct rcu_head *head)
{
	struct tquic_connection *conn =
		container_of(head, struct tquic_connection, rcu);

	tquic_mem_vfree(conn, sizeof(*conn));
}

/**
 * tquic_connection_destroy() - free a connection
 * @conn: the connection; the namespace is locked, @conn not owned
 *
 * Softirq may still hold a pointer found by CID: it sees @dead under the
 * lock and lets go, and the memory stays until an RCU grace period ends.
 */
void tquic_connection_destroy(struct tquic_connection *conn)
{
	struct tquic_net *tn = conn->tn;

	spin_lock_bh(&conn->lock);
	conn->dead = true;
	spin_unlock_bh(&conn->lock);
	hrtimer_cancel(&conn->timer);
	tquic_cids_remove_all(conn);
	tquic_dev_detach(conn);
	tquic_dev_forget(conn);
	tquic_dev_free_tmpl(conn);
	list_del(&conn->node);
	idr_remove(&tn->conn_ids, conn->id);
	tn->nconns--;
	skb_queue_purge(&conn->backlog);
	kfree_skb(conn->spare);
	dst_cache_destroy(&conn->dst_cache);
	tquic_conn_destroy(&conn->c);
	tquic_sock_put(conn->ts);
	call_rcu(&conn->rcu, tquic_connection_free_rcu);
}

/**
 * tquic_connection_reap() - free the connections that closed
 * @tn: namespace, locked; nobody may be walking its sockets
 */
void tquic_connection_reap(struct tquic_net *tn)
{
	struct tquic_connection *conn, *tmp;

	list_for_each_entry_safe(conn, tmp, &tn->conns, node)
		if (READ_ONCE(conn->dead))
			tquic_connection_destroy(conn);
}

/**
 * tquic_connection_find() - the connection a Destination CID names
 * @tn: namespace, locked
 * @dcid: the CID
 * @dcid_len: its length
 *
 * Any CID a connection issued and the peer did not retire names it; a
 * client's Initials carry the CID it chose until the server answers, so
 * a server connection also answers to that one (RFC 9000 §7.2).
 *
 * Return: the connection or NULL.
 */
struct tquic_connection *tquic_connection_find(struct tquic_net *tn,
					       const u8 *dcid, u8 dcid_len)
{
	/* a connection leaves the table as it dies */
	return tquic_cids_lookup(&tn->cids, dcid, dcid_len);
}

/**
 * tquic_connection_get() - the connection with a userspace ID
 * @tn: namespace, locked
 * @id: the ID
 *
 * Return: the connection, or NULL (also for one that closed).
 */
struct tquic_connection *tquic_connection_get(struct tquic_net *tn, u32 id)
{
	struct tquic_connection *conn = idr_find(&tn->conn_ids, id);

	return conn && !READ_ONCE(conn->dead) ? conn : NULL;
}

/* the timer at @deadline (tquic_now()'s microseconds; 0: stopped) */
static void tquic_connection_arm_at(struct tquic_connection *conn,
				    u64 deadline)
{
	if (deadline == conn->deadline && (!deadline ||
					   hrtimer_is_queued(&conn->timer)))
		return;
	conn->deadline = deadline;
	if (!deadline)
		hrtimer_try_to_cancel(&conn->timer);
	else
		hrtimer_start(&conn->timer, ns_to_ktime(deadline * NSEC_PER_USEC),
			      HRTIMER_MODE_ABS_SOFT);
}

/*
 * The timer, at the connection's next deadline (none: stopped). Core
 * handles whatever is due when it runs, so a deadline already past would
 * be a bug of ours: it fires TQUIC_TIMER_MIN_US later rather than at once,
 * so that such a bug costs a slow connection, not a CPU.
 */
static void tquic_connection_arm(struct tquic_connection *conn, u64 now)
{
	u64 deadline = tquic_conn_timeout(&conn->c);

	if (deadline && deadline < now + TQUIC_TIMER_MIN_US)
		deadline = now + TQUIC_TIMER_MIN_US;
	tquic_connection_arm_at(conn, deadline);
}

/**
 * tquic_connection_turn() - act on what core decided
 * @conn: the connection, owned or locked (see struct tquic_connection)
 *
 * Sends what core has to send, follows its CIDs in the namespace's table,
 * sets the timer to its next deadline, and leaves to process context what
 * may sleep (tquic_conn_prepare()) and what frees it.
 */
void tquic_connection_turn(struct tquic_connection *conn)
{
	struct tquic_net *tn = conn->tn;
	u64 now = tquic_now();

	if (conn->dead)
		return;
	if (conn->attached)
		tquic_flow_sort(conn);
	if (!tquic_send_flush(conn, now)) {
		/* more than a burst waits: the timer comes back at once */
		tquic_connection_arm_at(conn, now);
	} else {
		tquic_connection_arm(conn, now);
	}
	if (conn->c.state == TQUIC_STATE_CLOSED) {
		conn->dead = true;
		hrtimer_try_to_cancel(&conn->timer);
		tquic_cids_remove_all(conn);
		tquic_net_kick(tn);	/* to be reaped */
		return;
	}
	/* the CIDs it issued or saw retired on the way */
	tquic_cids_sync(conn);
	if (conn->attached) {
		WRITE_ONCE(conn->inner_mtu, tquic_dev_dgram_mtu(conn));
		tquic_dev_wake(conn);
	}
	if (!conn->prep_due && !conn->prep_failed &&
	    tquic_conn_prepare_due(&conn->c)) {
		conn->prep_due = true;
		tquic_net_kick(tn);
	}
}

/**
 * tquic_connection_own() - take @conn's state for process context
 * @conn: the connection; the namespace is locked
 *
 * Until tquic_connection_release(), core may be called and may sleep;
 * softirq queues what arrives instead of processing it.
 */
void tquic_connection_own(struct tquic_connection *conn)
{
	spin_lock_bh(&conn->lock);
	conn->owned = true;
	spin_unlock_bh(&conn->lock);
}

/**
 * tquic_connection_release() - give @conn back to softirq
 * @conn: an owned connection
 *
 * Does what may sleep first (tquic_conn_prepare()), then processes what
 * softirq left while it was owned, and turns the connection.
 */
void tquic_connection_release(struct tquic_connection *conn)
{
	struct sk_buff *skb;

	if (!conn->dead && !conn->prep_failed &&
	    tquic_conn_prepare_due(&conn->c) && tquic_conn_prepare(&conn->c))
		conn->prep_failed = true;
	spin_lock_bh(&conn->lock);
	conn->prep_due = false;
	while ((skb = __skb_dequeue(&conn->backlog)))
		tquic_recv_skb(conn, skb);
	if (conn->timer_due) {
		conn->timer_due = false;
		tquic_conn_on_timeout(&conn->c, tquic_now());
	}
	tquic_connection_turn(conn);
	conn->owned = false;
	spin_unlock_bh(&conn->lock);
}

/**
 * tquic_connection_run_prepare() - prepare every connection that asked
 * @tn: the namespace, locked
 */
void tquic_connection_run_prepare(struct tquic_net *tn)
{
	struct tquic_connection *conn;

	list_for_each_entry(conn, &tn->conns, node) {
		if (READ_ONCE(conn->dead) || !READ_ONCE(conn->prep_due))
			continue;
		tquic_connection_own(conn);
		tquic_connection_release(conn);
	}
}

/**
 * tquic_connection_connect() - a client connection on @ts
 * @tn: namespace, locked
 * @ts: its socket; the connection takes a reference
 * @peer: the server's address
 * @version: QUIC version
 * @idle_timeout_ms: our max_idle_timeout
 * @keepalive_ms: PING after this long without sending (0: never)
 * @owner: netlink port that runs its TLS
 * @out: the connection
 *
 * Return: 0 or a negative errno.
 */
int tquic_connection_connect(struct tquic_net *tn, struct tquic_sock *ts,
			     const struct sockaddr_storage *peer, u32 version,
			     u32 idle_timeout_ms, u32 keepalive_ms, u32 owner,
			     struct tquic_connection **out)
{
	struct tquic_conn_cfg cfg = {
		.version = version,
		.scid_len = TQUIC_CID_LEN,
		.dcid_len = TQUIC_CID_LEN,
		.idle_timeout_ms = idle_timeout_ms,
		.keepalive_ms = keepalive_ms,
		.now = tquic_now(),
	};
	struct tquic_connection *conn;
	int err;

	conn = tquic_connection_alloc(tn, ts);
	if (IS_ERR(conn))
		return PTR_ERR(conn);
	get_random_bytes(cfg.scid, cfg.scid_len);
	get_random_bytes(cfg.dcid, cfg.dcid_len);
	err = tquic_conn_init(&conn->c, &cfg, &conn->ops);
	if (err) {
		tquic_connection_destroy(conn);
		return err;
	}
	conn->peer = *peer;
	conn->owner_portid = owner;
	conn->announced = true;	/* the CONNECT reply announced it */
	/*
	 * Its idle timeout runs from now: a client whose owner never sends
	 * a ClientHello, or whose server never answers, still ends.
	 */
	tquic_connection_release(conn);
	*out = conn;
	return 0;
}

/* RFC 9000 §6.1: the versions we speak, to a client that spoke another */
static void tquic_connection_send_vn(struct tquic_sock *ts,
				     const struct sockaddr_storage *from,
				     const struct tquic_hdr *h)
{
	struct tquic_net *tn = ts->tn;
	int n;

	n = tquic_accept_vn(h, get_random_u8(), tn->txbuf, sizeof(tn->txbuf));
	if (n > 0 && !tquic_sock_send(ts, from, tn->txbuf, n))
		ts->vn_sent++;
}

/*
 * Are TQUIC_RETRY_LOAD handshakes under way in the namespace? The load
 * that turns Retry on; the walk stops at that many.
 */
static bool tquic_connection_loaded(struct tquic_net *tn)
{
	struct tquic_connection *conn;
	unsigned int n = 0;

	list_for_each_entry(conn, &tn->conns, node) {
		n += !conn->dead && conn->c.state == TQUIC_STATE_HANDSHAKE;
		if (n >= TQUIC_RETRY_LOAD)
			return true;
	}
	return false;
}

/* The bytes a Retry token binds: the client's IP address (RFC 9000 §8.1.4) */
static size_t tquic_token_addr(const struct sockaddr_storage *ss,
			       const u8 **addr)
{
	if (ss->ss_family == AF_INET6) {
		*addr = ((const struct sockaddr_in6 *)ss)->sin6_addr.s6_addr;
		return sizeof(struct in6_addr);
	}
	*addr = (const u8 *)&((const struct sockaddr_in *)ss)->sin_addr;
	return sizeof(struct in_addr);
}

/*
 * RFC 9000 §8.1.2, §17.2.5: a Retry naming @env's CID, with a token that
 * proves the address when it comes back. Nothing is kept.
 */
static void tquic_connection_send_retry(struct tquic_sock *ts,
					const struct sockaddr_storage *from,
					const struct tquic_accept_env *env,
					const struct tquic_hdr *h)
{
	u8 nonce[TQUIC_AEAD_NONCE_LEN];
	struct tquic_net *tn = ts->tn;
	int n;

	get_random_bytes(nonce, sizeof(nonce));
	n = tquic_accept_retry(env, h, nonce, tn->txbuf, sizeof(tn->txbuf));
	if (n < 0 || tquic_sock_send(ts, from, tn->txbuf, n)) {
		ts->dropped++;
		return;
	}
	ts->retry_sent++;
}

/*
 * RFC 9000 §8.1.2: CONNECTION_CLOSE(INVALID_TOKEN) for a client whose
 * Retry token we refuse, within the socket's rate of stateless answers
 * (building it derives Initial keys).
 */
static void tquic_connection_refuse(struct tquic_sock *ts,
				    const struct sockaddr_storage *from,
				    const struct tquic_hdr *h)
{
	struct tquic_net *tn = ts->tn;
	int n;

	if (!__ratelimit(&ts->stateless_rl))
		return;
	n = tquic_accept_refuse(h, tn->txbuf, sizeof(tn->txbuf));
	if (n > 0 && !tquic_sock_send(ts, from, tn->txbuf, n))
		ts->token_closes++;
}

/**
 * tquic_connection_accept() - a datagram on a listener that matched nothing
 * @ts: the listener's socket; its namespace is locked
 * @from: where it came from
 * @to: the address it was sent to, which the server answers from
 * @dgram: the datagram
 * @len: its length
 *
 * core/accept.c judges it, cheapest checks first (see
 * tquic_accept_initial()): it is dropped, answered with Version
 * Negotiation, a Retry (when the listener asks for it or many handshakes
 * are under way) or CONNECTION_CLOSE(INVALID_TOKEN) for a bad Retry
 * token, or, only once the client's Initial has decrypted, starts a
 * server connection. Nothing is allocated for the others.
 */
void tquic_connection_accept(struct tquic_sock *ts,
			     const struct sockaddr_storage *from,
			     const struct sockaddr_storage *to,
			     u8 *dgram, size_t len)
{
	struct tquic_net *tn = ts->tn;
	u8 cid[TQUIC_CID_LEN];
	struct tquic_accept_env env = {
		.now = tquic_now(),
		.token_key = tn->token_key,
		.reset_key = ts->reset_key,
		.reset_key_len = sizeof(ts->reset_key),
		.cid = cid,
		/* linear memory for the trial decryption: nothing is in it */
		.scratch = tn->txbuf,
		.scratch_len = sizeof(tn->txbuf),
	};
	struct tquic_connection *conn;
	struct tquic_conn_cfg cfg;
	struct tquic_hdr h;

	env.addr_len = tquic_token_addr(from, &env.addr);
	env.retry = ts->retry == TQUIC_RETRY_ALWAYS ||
		    tquic_connection_loaded(tn);
	get_random_bytes(cid, sizeof(cid));
	switch (tquic_accept_initial(&env, dgram, len, &h, &cfg)) {
	case TQUIC_ACCEPT_VN:
		tquic_connection_send_vn(ts, from, &h);
		return;
	case TQUIC_ACCEPT_RETRY:
		tquic_connection_send_retry(ts, from, &env, &h);
		return;
	case TQUIC_ACCEPT_REFUSE:
		ts->bad_token++;
		tquic_connection_refuse(ts, from, &h);
		goto drop;
	case TQUIC_ACCEPT_NEW:
		break;
	default:
		goto drop;
	}
	cfg.idle_timeout_ms = ts->idle_timeout_ms;
	cfg.keepalive_ms = ts->keepalive_ms;
	conn = tquic_connection_alloc(tn, ts);
	if (IS_ERR(conn))
		goto drop;
	conn->peer = *from;
	conn->local = *to;
	conn->bond = ts->bond;
	conn->listener_id = ts->listener_id;
	conn->owner_portid = ts->owner_portid;
	if (tquic_conn_init(&conn->c, &cfg, &conn->ops))
		goto destroy;
	/* announced to the owner with its first CRYPTO bytes */
	tquic_conn_recv(&conn->c, cfg.now, dgram, len);
	if (!conn->announced)
		goto destroy;	/* an Initial without CRYPTO data */
	ts->accepted++;
	tquic_connection_release(conn);
	return;
destroy:
	tquic_connection_destroy(conn);
drop:
	ts->dropped++;
}

static bool tquic_sockaddr_eq(const struct sockaddr_storage *a,
			      const struct sockaddr_storage *b)
{
	if (a->ss_family != b->ss_family)
		return false;
	if (a->ss_family == AF_INET) {
		const struct sockaddr_in *x = (const void *)a, *y = (const void *)b;

		return x->sin_port == y->sin_port &&
		       x->sin_addr.s_addr == y->sin_addr.s_addr;
	}
	if (a->ss_family == AF_INET6) {
		const struct sockaddr_in6 *x = (const void *)a, *y = (const void *)b;

		return x->sin6_port == y->sin6_port &&
		       ipv6_addr_equal(&x->sin6_addr, &y->sin6_addr);
	}
	return false;
}

/**
 * tquic_connection_input() - a datagram for @conn
 * @conn: connection; its namespace is locked
 * @from: where it came from
 * @dgram: the datagram, decrypted in place
 * @len: its length
 *
 * Connection migration is not supported yet: datagrams from another
 * address are dropped.
 */
void tquic_connection_input(struct tquic_connection *conn,
			    const struct sockaddr_storage *from,
			    u8 *dgram, size_t len)
{
	tquic_connection_own(conn);
	if (tquic_sockaddr_eq(from, &conn->peer))
		tquic_conn_recv(&conn->c, tquic_now(), dgram, len);
	else
		conn->c.stats.pkts_dropped++;
	tquic_connection_release(conn);
}

/**
 * tquic_connection_reset_rx() - is a datagram that names none of our CIDs
 *	a stateless reset for one of @ts's connections?
 * @ts: the socket it came to; its namespace is locked
 * @from: where it came from
 * @dgram: the datagram
 * @len: its length
 *
 * RFC 9000 §10.3.1: its last 16 bytes are looked up among the reset
 * tokens the peers gave (cids.c); the connection they name compares them
 * with the token of the CID it sends with and, if they match, drains.
 *
 * Return: whether one matched.
 */
bool tquic_connection_reset_rx(struct tquic_sock *ts,
			       const struct sockaddr_storage *from,
			       const u8 *dgram, size_t len)
{
	struct tquic_connection *conn;
	bool match;

	if (len < TQUIC_RESET_MIN_LEN)
		return false;
	/* found by its last 16 bytes, not by walking the connections */
	conn = tquic_cids_token_lookup(&ts->tn->tokens,
				       dgram + len - TQUIC_RESET_TOKEN_LEN);
	if (!conn || READ_ONCE(conn->dead) || conn->ts != ts ||
	    !tquic_sockaddr_eq(from, &conn->peer))
		return false;
	tquic_connection_own(conn);
	match = tquic_conn_check_reset(&conn->c, tquic_now(), dgram, len);
	tquic_connection_release(conn);
	return match;
}

/**
 * tquic_connection_owner_gone() - a netlink port closed
 * @tn: namespace, locked
 * @portid: the port
 *
 * Its handshakes cannot finish: they close with INTERNAL_ERROR.
 * Established connections no longer need it and stay.
 */
void tquic_connection_owner_gone(struct tquic_net *tn, u32 portid)
{
	struct tquic_connection *conn;

	list_for_each_entry(conn, &tn->conns, node) {
		if (READ_ONCE(conn->dead) || conn->owner_portid != portid)
			continue;
		conn->owner_portid = 0;
		tquic_connection_own(conn);
		if (conn->c.state == TQUIC_STATE_HANDSHAKE)
			tquic_conn_close(&conn->c, tquic_now(), false,
					 TQUIC_INTERNAL_ERROR, 0);
		tquic_connection_release(conn);
	}
}
