/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-network-namespace state of tquic.
 */
#ifndef _TQUIC_NETNS_H
#define _TQUIC_NETNS_H

#include <linux/list.h>
#include <linux/mutex.h>

struct net;
struct proc_dir_entry;

/**
 * struct tquic_net - what tquic keeps in each network namespace
 * @lock: serialises changes to @conns
 * @conns: connections owned by this namespace
 * @nconns: number of entries on @conns
 * @proc: the namespace's /proc/net/tquic entry
 *
 * Created by the pernet init hook for every namespace (those existing when
 * the module loads and those created later) and freed by the pernet exit
 * hook, so nothing outlives the namespace or the module.
 */
struct tquic_net {
	struct mutex lock;
	struct list_head conns;
	unsigned int nconns;
	struct proc_dir_entry *proc;
};

struct tquic_net *tquic_net(const struct net *net);
int tquic_netns_init(void);
void tquic_netns_exit(void);

#endif /* _TQUIC_NETNS_H */
