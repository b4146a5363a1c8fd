// SPDX-License-Identifier: GPL-2.0
/*
 * Per-network-namespace state: registered with register_pernet_subsys() so
 * that every namespace, present or future, gets its own struct tquic_net.
 * Its work item is where datagrams are read, timers run and the ports of
 * closed netlink sockets are cleaned up after; /proc/net/tquic shows the
 * namespace's listeners and connections.
 */

#include <linux/proc_fs.h>
#include <linux/random.h>
#include <linux/seq_file.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "connection.h"
#include "core/crypto.h"
#include "netns.h"
#include "socket.h"
#include "version.h"

/* datagrams read from one socket per run of the work */
#define TQUIC_RX_BUDGET		64

static unsigned int tquic_net_id __read_mostly;

/**
 * tquic_net() - the tquic state of a network namespace
 * @net: a namespace that is alive (pernet init has run and exit has not)
 *
 * Return: the namespace's state, never NULL while the module is loaded.
 */
struct tquic_net *tquic_net(const struct net *net)
{
	return net_generic(net, tquic_net_id);
}

/**
 * tquic_net_kick() - have the namespace's work run soon
 * @tn: namespace
 *
 * Callable from any context.
 */
void tquic_net_kick(struct tquic_net *tn)
{
	if (!READ_ONCE(tn->dying))
		queue_work(system_wq, &tn->work);
}

/**
 * tquic_net_port_released() - a generic netlink socket closed
 * @tn: its namespace
 * @portid: its port
 *
 * Called from the netlink notifier (atomic context): the work cleans up.
 */
void tquic_net_port_released(struct tquic_net *tn, u32 portid)
{
	unsigned long flags;

	spin_lock_irqsave(&tn->rel_lock, flags);
	if (tn->nreleased < TQUIC_RELEASED_MAX)
		tn->released[tn->nreleased++] = portid;
	spin_unlock_irqrestore(&tn->rel_lock, flags);
	tquic_net_kick(tn);
}

static void tquic_net_owner_gone(struct tquic_net *tn, u32 portid)
{
	struct tquic_sock *ts, *tmp;

	list_for_each_entry_safe(ts, tmp, &tn->socks, node)
		if (ts->listener_id && ts->owner_portid == portid)
			tquic_sock_unlisten(ts);
	tquic_connection_owner_gone(tn, portid);
}

static void tquic_net_work(struct work_struct *work)
{
	struct tquic_net *tn = container_of(work, struct tquic_net, work);
	u32 released[TQUIC_RELEASED_MAX];
	unsigned int i, n;
	struct tquic_sock *ts;
	unsigned long flags;
	bool more = false;

	spin_lock_irqsave(&tn->rel_lock, flags);
	n = tn->nreleased;
	memcpy(released, tn->released, n * sizeof(released[0]));
	tn->nreleased = 0;
	spin_unlock_irqrestore(&tn->rel_lock, flags);

	mutex_lock(&tn->lock);
	if (tn->dying)
		goto out;
	for (i = 0; i < n; i++)
		tquic_net_owner_gone(tn, released[i]);
	list_for_each_entry(ts, &tn->socks, node)
		more |= tquic_sock_rx(ts, TQUIC_RX_BUDGET);
	tquic_connection_run_timers(tn);
	tquic_connection_reap(tn);
	if (more)
		tquic_net_kick(tn);
out:
	mutex_unlock(&tn->lock);
}

static int tquic_netns_proc_show(struct seq_file *seq, void *v)
{
	struct tquic_net *tn = tquic_net(seq_file_single_net(seq));
	struct tquic_sock *ts;

	mutex_lock(&tn->lock);
	seq_printf(seq, "tquic %s\nconnections %u\nlisteners %u\n",
		   TQUIC_VERSION, tn->nconns, tn->nlisteners);
	seq_printf(seq, "stateless_resets sent %llu received %llu\n",
		   tn->resets_sent, tn->resets_rx);
	list_for_each_entry(ts, &tn->socks, node)
		if (ts->listener_id)
			seq_printf(seq,
				   "listener %u accepted %llu vn_sent %llu dropped %llu retry %s retry_sent %llu bad_token %llu token_closes %llu\n",
				   ts->listener_id, ts->accepted, ts->vn_sent,
				   ts->dropped, ts->retry == TQUIC_RETRY_ALWAYS ?
				   "always" : "auto", ts->retry_sent,
				   ts->bad_token, ts->token_closes);
	mutex_unlock(&tn->lock);
	return 0;
}

static int __net_init tquic_netns_init_net(struct net *net)
{
	struct tquic_net *tn = tquic_net(net);
	u8 key[16];

	tn->net = net;
	mutex_init(&tn->lock);
	INIT_LIST_HEAD(&tn->conns);
	INIT_LIST_HEAD(&tn->socks);
	idr_init(&tn->conn_ids);
	idr_init(&tn->listener_ids);
	spin_lock_init(&tn->rel_lock);
	INIT_WORK(&tn->work, tquic_net_work);
	get_random_bytes(key, sizeof(key));
	tn->token_key = tquic_aead_alloc(TQUIC_AES_128_GCM, key);
	memzero_explicit(key, sizeof(key));
	if (!tn->token_key)
		return -ENOMEM;
	tn->proc = proc_create_net_single("tquic", 0444, net->proc_net,
					  tquic_netns_proc_show, NULL);
	if (!tn->proc) {
		tquic_aead_free(tn->token_key);
		return -ENOMEM;
	}
	return 0;
}

/*
 * Connections are closed with NO_ERROR on the way out (one
 * CONNECTION_CLOSE each, RFC 9000 §10.2), then everything is freed; the
 * work cannot run again once the sockets are released and the timers gone.
 */
static void __net_exit tquic_netns_exit_net(struct net *net)
{
	struct tquic_net *tn = tquic_net(net);
	struct tquic_connection *conn, *ctmp;
	struct tquic_sock *ts, *stmp;

	mutex_lock(&tn->lock);
	WRITE_ONCE(tn->dying, true);
	list_for_each_entry_safe(conn, ctmp, &tn->conns, node) {
		if (!conn->dead) {
			tquic_conn_close(&conn->c, tquic_now(), false, 0, 0);
			tquic_connection_kick(conn);
		}
		tquic_connection_destroy(conn);
	}
	list_for_each_entry_safe(ts, stmp, &tn->socks, node)
		if (ts->listener_id)
			tquic_sock_unlisten(ts);
	WARN_ON_ONCE(!list_empty(&tn->socks));
	mutex_unlock(&tn->lock);
	cancel_work_sync(&tn->work);
	idr_destroy(&tn->conn_ids);
	idr_destroy(&tn->listener_ids);
	proc_remove(tn->proc);
	mutex_destroy(&tn->lock);
	tquic_aead_free(tn->token_key);
}

static struct pernet_operations tquic_net_ops = {
	.init = tquic_netns_init_net,
	.exit = tquic_netns_exit_net,
	.id   = &tquic_net_id,
	.size = sizeof(struct tquic_net),
};

int tquic_netns_init(void)
{
	return register_pernet_subsys(&tquic_net_ops);
}

void tquic_netns_exit(void)
{
	unregister_pernet_subsys(&tquic_net_ops);
}
