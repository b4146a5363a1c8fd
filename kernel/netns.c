// SPDX-License-Identifier: GPL-2.0
/*
 * Per-network-namespace state: registered with register_pernet_subsys() so
 * that every namespace, present or future, gets its own struct tquic_net.
 * Its work item is where datagrams are read, timers run and the ports of
 * closed netlink sockets are cleaned up after; /proc/net/tquic shows the
 * namespace's listeners and connections.
 */

#include <linux/netdevice.h>
#include <linux/proc_fs.h>
#include <linux/random.h>
#include <linux/seq_file.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "cids.h"
#include "connection.h"
#include "core/crypto.h"
#include "device.h"
#include "mem.h"
#include "netns.h"
#include "socket.h"
#include "version.h"

/* datagrams read from one socket per run of the work */
#define TQUIC_RX_BUDGET		64

/**
 * struct tquic_owner - a netlink port that owns listeners or connections
 * @node: on tquic_net.owners
 * @portid: the port
 * @released: its socket closed; what it owned is cleaned up by the work
 *
 * Made when the port first listens or connects, so the notifier only
 * marks it: no release is ever lost for want of memory or room.
 */
struct tquic_owner {
	struct list_head node;
	u32 portid;
	bool released;
};

static unsigned int tquic_net_id __read_mostly;
/* namespaces whose state is set up: each holds one object, its token key */
static atomic_long_t tquic_nets = ATOMIC_LONG_INIT(0);

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

/* The first owner whose port closed, taken off the list; NULL: none. */
static struct tquic_owner *tquic_net_next_released(struct tquic_net *tn)
{
	struct tquic_owner *o, *found = NULL;
	unsigned long flags;

	spin_lock_irqsave(&tn->rel_lock, flags);
	list_for_each_entry(o, &tn->owners, node) {
		if (o->released) {
			list_del(&o->node);
			found = o;
			break;
		}
	}
	spin_unlock_irqrestore(&tn->rel_lock, flags);
	return found;
}

/*
 * What ports that closed owned: listeners stop, handshakes end. Called
 * with the namespace locked.
 */
static void tquic_net_released_run(struct tquic_net *tn)
{
	struct tquic_sock *ts, *tmp;
	struct tquic_owner *o;

	while ((o = tquic_net_next_released(tn))) {
		list_for_each_entry_safe(ts, tmp, &tn->socks, node)
			if (ts->listener_id && ts->owner_portid == o->portid)
				tquic_sock_unlisten(ts);
		tquic_connection_owner_gone(tn, o->portid);
		tquic_mem_kfree(o);
	}
}

/**
 * tquic_net_owner_add() - a netlink port is about to own something
 * @tn: namespace, locked
 * @portid: the port
 *
 * Ports whose release was already notified are cleaned up after first, so
 * that a new socket given a closed one's port id is not taken for it. (A
 * new socket can bind the id between the old one's unhashing and its
 * release notification; that window is not closed here.)
 *
 * Return: 0 or -ENOMEM.
 */
int tquic_net_owner_add(struct tquic_net *tn, u32 portid)
{
	struct tquic_owner *o, *new;
	unsigned long flags;

	tquic_net_released_run(tn);
	spin_lock_irqsave(&tn->rel_lock, flags);
	list_for_each_entry(o, &tn->owners, node) {
		if (o->portid == portid) {
			spin_unlock_irqrestore(&tn->rel_lock, flags);
			return 0;
		}
	}
	spin_unlock_irqrestore(&tn->rel_lock, flags);
	new = tquic_mem_kzalloc(sizeof(*new), GFP_KERNEL);
	if (!new)
		return -ENOMEM;
	new->portid = portid;
	spin_lock_irqsave(&tn->rel_lock, flags);
	list_add_tail(&new->node, &tn->owners);
	spin_unlock_irqrestore(&tn->rel_lock, flags);
	return 0;
}

/**
 * tquic_net_port_released() - a generic netlink socket closed
 * @tn: its namespace
 * @portid: its port
 *
 * Called from the netlink notifier, which may not take the namespace's
 * lock: if the port owns anything, it is marked and the work cleans up.
 */
void tquic_net_port_released(struct tquic_net *tn, u32 portid)
{
	struct tquic_owner *o;
	unsigned long flags;
	bool found = false;

	spin_lock_irqsave(&tn->rel_lock, flags);
	list_for_each_entry(o, &tn->owners, node) {
		if (o->portid == portid && !o->released) {
			o->released = true;
			found = true;
		}
	}
	spin_unlock_irqrestore(&tn->rel_lock, flags);
	if (found)
		tquic_net_kick(tn);
}

static void tquic_net_work(struct work_struct *work)
{
	struct tquic_net *tn = container_of(work, struct tquic_net, work);
	struct tquic_sock *ts;
	bool more = false;

	mutex_lock(&tn->lock);
	if (tn->dying)
		goto out;
	tquic_net_released_run(tn);
	list_for_each_entry(ts, &tn->socks, node)
		more |= tquic_sock_rx(ts, TQUIC_RX_BUDGET);
	tquic_connection_run_prepare(tn);
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
	/*
	 * What the whole module holds, in every namespace, beyond each
	 * namespace's token key: 0 when no socket, connection or netlink
	 * owner is left. Module-wide, so shown in the initial namespace
	 * only: a container's root learns nothing of the others.
	 */
	if (net_eq(seq_file_single_net(seq), &init_net))
		seq_printf(seq, "objects %ld\n",
			   tquic_mem_live() - atomic_long_read(&tquic_nets));
	seq_printf(seq, "stateless_resets sent %llu received %llu\n",
		   tn->resets_sent, tn->resets_rx);
	if (tn->dev)
		seq_printf(seq,
			   "dataplane %s bonded %lld no_conn %lld too_big %lld mss_clamped %lld bad_inner %lld txq_full %lld streams %lld streams_ended %lld stream_fallback %lld stream_dropped %lld dgram_dup %lld\n",
			   netdev_name(tn->dev),
			   (s64)atomic64_read(&tn->dp.bonded),
			   (s64)atomic64_read(&tn->dp.no_conn),
			   (s64)atomic64_read(&tn->dp.too_big),
			   (s64)atomic64_read(&tn->dp.mss_clamped),
			   (s64)atomic64_read(&tn->dp.bad_inner),
			   (s64)atomic64_read(&tn->dp.txq_full),
			   (s64)atomic64_read(&tn->dp.streams),
			   (s64)atomic64_read(&tn->dp.streams_ended),
			   (s64)atomic64_read(&tn->dp.stream_fallback),
			   (s64)atomic64_read(&tn->dp.stream_dropped),
			   (s64)atomic64_read(&tn->dp.dgram_dup));
	list_for_each_entry(ts, &tn->socks, node)
		if (atomic64_read(&ts->ctlq_full))
			seq_printf(seq, "socket_queue_full %lld\n",
				   (s64)atomic64_read(&ts->ctlq_full));
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
	kuid_t root_uid;
	kgid_t root_gid;
	u8 key[16];
	int err;

	tn->net = net;
	mutex_init(&tn->lock);
	INIT_LIST_HEAD(&tn->conns);
	INIT_LIST_HEAD(&tn->socks);
	idr_init(&tn->conn_ids);
	idr_init(&tn->listener_ids);
	xa_init(&tn->dp_zones);
	ida_init(&tn->zone_ids);
	spin_lock_init(&tn->rel_lock);
	INIT_LIST_HEAD(&tn->owners);
	INIT_WORK(&tn->work, tquic_net_work);
	err = tquic_cids_init(&tn->cids);
	if (err)
		return err;
	err = tquic_cids_init(&tn->tokens);
	if (err)
		goto cids;
	err = -ENOMEM;
	get_random_bytes(key, sizeof(key));
	tn->token_key = tquic_aead_alloc(TQUIC_AES_128_GCM, key);
	memzero_explicit(key, sizeof(key));
	if (!tn->token_key)
		goto tokens;
	/*
	 * Listeners and counters are the namespace administrator's, as
	 * /proc/net/nf_conntrack is: readable by the namespace's root only.
	 */
	tn->proc = proc_create_net_single("tquic", 0440, net->proc_net,
					  tquic_netns_proc_show, NULL);
	if (!tn->proc)
		goto token_key;
	root_uid = make_kuid(net->user_ns, 0);
	root_gid = make_kgid(net->user_ns, 0);
	if (uid_valid(root_uid) && gid_valid(root_gid))
		proc_set_user(tn->proc, root_uid, root_gid);
	atomic_long_inc(&tquic_nets);
	return 0;
token_key:
	tquic_aead_free(tn->token_key);
tokens:
	tquic_cids_destroy(&tn->tokens);
cids:
	tquic_cids_destroy(&tn->cids);
	return err;
}

/*
 * Connections are closed with NO_ERROR on the way out (one
 * CONNECTION_CLOSE each, RFC 9000 §10.2) while the namespace's devices
 * and routes still exist: .pre_exit runs before the devices go, .exit
 * after.
 */
static void __net_exit tquic_netns_pre_exit_net(struct net *net)
{
	struct tquic_net *tn = tquic_net(net);
	struct tquic_connection *conn;

	mutex_lock(&tn->lock);
	list_for_each_entry(conn, &tn->conns, node) {
		if (READ_ONCE(conn->dead)) {
			/* closed, not reaped yet: off tquic0 before it goes */
			tquic_dev_detach(conn);
			continue;
		}
		tquic_connection_own(conn);
		tquic_conn_close(&conn->c, tquic_now(), false, 0, 0);
		tquic_connection_release(conn);
		tquic_dev_detach(conn);
	}
	tquic_dev_destroy(tn);
	WRITE_ONCE(tn->dying, true);
	mutex_unlock(&tn->lock);
}

/*
 * Then everything is freed; the work cannot run again once the sockets
 * are released and the timers gone.
 */
static void __net_exit tquic_netns_exit_net(struct net *net)
{
	struct tquic_net *tn = tquic_net(net);
	struct tquic_connection *conn, *ctmp;
	struct tquic_sock *ts, *stmp;
	struct tquic_owner *o, *otmp;

	/* .pre_exit made it dying */
	mutex_lock(&tn->lock);
	list_for_each_entry_safe(conn, ctmp, &tn->conns, node)
		tquic_connection_destroy(conn);
	list_for_each_entry_safe(ts, stmp, &tn->socks, node)
		if (ts->listener_id)
			tquic_sock_unlisten(ts);
	WARN_ON_ONCE(!list_empty(&tn->socks));
	mutex_unlock(&tn->lock);
	cancel_work_sync(&tn->work);
	spin_lock_irq(&tn->rel_lock);
	list_for_each_entry_safe(o, otmp, &tn->owners, node) {
		list_del(&o->node);
		tquic_mem_kfree(o);
	}
	spin_unlock_irq(&tn->rel_lock);
	idr_destroy(&tn->conn_ids);
	idr_destroy(&tn->listener_ids);
	WARN_ON_ONCE(!xa_empty(&tn->dp_zones));
	xa_destroy(&tn->dp_zones);
	ida_destroy(&tn->zone_ids);
	proc_remove(tn->proc);
	mutex_destroy(&tn->lock);
	tquic_aead_free(tn->token_key);
	tquic_cids_destroy(&tn->tokens);
	tquic_cids_destroy(&tn->cids);
	atomic_long_dec(&tquic_nets);
}

static struct pernet_operations tquic_net_ops = {
	.init = tquic_netns_init_net,
	.pre_exit = tquic_netns_pre_exit_net,
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
	/* connections and sockets are freed after a grace period */
	rcu_barrier();
}
