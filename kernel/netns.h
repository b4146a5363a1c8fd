/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-network-namespace state of tquic.
 */
#ifndef _TQUIC_NETNS_H
#define _TQUIC_NETNS_H

#include <linux/atomic.h>
#include <linux/idr.h>
#include <linux/xarray.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/netfilter.h>
#include <linux/rhashtable-types.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>

struct net;
struct proc_dir_entry;

#define TQUIC_RX_BUF		2048
/* out and reply, IPv4 and IPv6 (hooks.c) */
#define TQUIC_NR_HOOKS		6

struct tquic_aead;
struct tquic_connection;

/**
 * struct tquic_dp_stats - what the data plane counted, for /proc/net/tquic
 * @bonded: packets the hooks took for tquic0
 * @no_conn: bonded packets dropped for want of an established connection
 * @too_big: bonded packets larger than tquic0's MTU (ICMP sent if it could)
 * @mss_clamped: TCP SYNs whose MSS was lowered to fit tquic0
 * @bad_inner: received inner packets that were not IPv4 or IPv6 as sent
 * @txq_full: packets dropped with the connection's queue full
 * @streams: TCP flows given a stream of their own (flow.c)
 * @streams_ended: of those, flows whose conntrack entry ended
 * @stream_fallback: TCP packets sent in DATAGRAM frames for want of a
 *	stream (the peer's stream limit, or too many flows)
 * @stream_dropped: streams the peer opened that memory could not follow
 * @dgram_dup: tagged datagrams dropped as a second copy or too late
 */
struct tquic_dp_stats {
	atomic64_t bonded, no_conn, too_big, mss_clamped, bad_inner, txq_full;
	atomic64_t streams, streams_ended, stream_fallback, stream_dropped;
	atomic64_t dgram_dup;
};

/**
 * struct tquic_net - what tquic keeps in each network namespace
 * @net: the namespace
 * @lock: serialises the control path (sockets, the connection list and
 *	IDs, netlink commands; a connection's protocol state is its own
 *	lock's, see struct tquic_connection) and everything below but @rel_*
 * @conns: connections (struct tquic_connection)
 * @cids: their connection IDs, by hash (cids.c)
 * @tokens: their peers' stateless reset tokens, by hash (cids.c)
 * @socks: UDP sockets (struct tquic_sock)
 * @conn_ids: connection IDs given to userspace
 * @listener_ids: listener IDs given to userspace
 * @nconns: number of entries on @conns
 * @nlisteners: listening sockets
 * @work: the control path: datagrams the fast path left on the sockets'
 *	queues, tquic_conn_prepare() where due, reaping dead connections
 * @dying: the namespace is going: nothing new starts
 * @resets_sent: stateless resets sent by its sockets
 * @resets_rx: connections ended by the peer's stateless reset
 * @token_key: AEAD for Retry tokens (RFC 9000 §8.1.4), random per namespace
 * @rxbuf: where datagrams are read to
 * @txbuf: where datagrams are built
 * @rel_lock: protects @owners
 * @owners: the netlink ports that own a listener or a connection (struct
 *	tquic_owner), each marked by the netlink notifier when it closes,
 *	for @work to clean up after
 * @proc: the namespace's /proc/net/tquic entry
 * @dev: tquic0, made with the first bonded listener or connection
 * @dp_client: the client connection bonded flows leave through
 * @dp_zones: server connections by the conntrack zone of their flows
 * @zone_ids: allocates those zones
 * @dp: data-plane counters (device.c, hooks.c)
 * @hook_ops: the netfilter hooks registered for @dev (hooks.c)
 *
 * Created by the pernet init hook for every namespace (those existing when
 * the module loads and those created later) and freed by the pernet exit
 * hook, so nothing outlives the namespace or the module.
 */
struct tquic_net {
	struct net *net;
	struct mutex lock;
	struct list_head conns;
	struct rhashtable cids;
	struct rhashtable tokens;
	struct list_head socks;
	struct idr conn_ids;
	struct idr listener_ids;
	unsigned int nconns;
	unsigned int nlisteners;
	struct work_struct work;
	bool dying;
	u64 resets_sent, resets_rx;
	struct tquic_aead *token_key;
	u8 rxbuf[TQUIC_RX_BUF];
	u8 txbuf[TQUIC_RX_BUF];
	spinlock_t rel_lock;
	struct list_head owners;
	struct proc_dir_entry *proc;
	struct net_device *dev;
	struct tquic_connection __rcu *dp_client;
	struct xarray dp_zones;
	struct ida zone_ids;
	struct tquic_dp_stats dp;
	struct nf_hook_ops hook_ops[TQUIC_NR_HOOKS];
};

struct tquic_net *tquic_net(const struct net *net);
void tquic_net_kick(struct tquic_net *tn);
int tquic_net_owner_add(struct tquic_net *tn, u32 portid);
void tquic_net_port_released(struct tquic_net *tn, u32 portid);
int tquic_netns_init(void);
void tquic_netns_exit(void);

#endif /* _TQUIC_NETNS_H */
