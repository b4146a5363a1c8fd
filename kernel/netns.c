// SPDX-License-Identifier: GPL-2.0
/*
 * Per-network-namespace state: registered with register_pernet_subsys() so
 * that every namespace, present or future, gets its own struct tquic_net,
 * and /proc/net/tquic shows that namespace's connections.
 */

#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "netns.h"
#include "version.h"

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

static int tquic_netns_proc_show(struct seq_file *seq, void *v)
{
	struct tquic_net *tn = tquic_net(seq_file_single_net(seq));

	mutex_lock(&tn->lock);
	seq_printf(seq, "tquic %s\nconnections %u\n", TQUIC_VERSION,
		   tn->nconns);
	mutex_unlock(&tn->lock);
	return 0;
}

static int __net_init tquic_netns_init_net(struct net *net)
{
	struct tquic_net *tn = tquic_net(net);

	mutex_init(&tn->lock);
	INIT_LIST_HEAD(&tn->conns);
	tn->nconns = 0;
	tn->proc = proc_create_net_single("tquic", 0444, net->proc_net,
					  tquic_netns_proc_show, NULL);
	if (!tn->proc)
		return -ENOMEM;
	return 0;
}

static void __net_exit tquic_netns_exit_net(struct net *net)
{
	struct tquic_net *tn = tquic_net(net);

	WARN_ON_ONCE(!list_empty(&tn->conns));
	proc_remove(tn->proc);
	mutex_destroy(&tn->lock);
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
