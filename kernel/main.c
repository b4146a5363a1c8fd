// SPDX-License-Identifier: GPL-2.0
/*
 * tquic: bonds WAN links into one multipath QUIC connection.
 *
 * Module entry and exit. Each concern lives in its own file; this one only
 * brings them up in order and tears them down in reverse.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>

#include "netns.h"
#include "version.h"

static int __init tquic_mod_init(void)
{
	int err;

	err = tquic_netns_init();
	if (err) {
		pr_err("per-namespace state: error %d\n", err);
		return err;
	}

	pr_info("version %s loaded\n", TQUIC_VERSION);
	return 0;
}

static void __exit tquic_mod_exit(void)
{
	tquic_netns_exit();
	pr_info("unloaded\n");
}

module_init(tquic_mod_init);
module_exit(tquic_mod_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Multipath QUIC WAN bonding");
MODULE_AUTHOR("The TQUIC gateway developers");
MODULE_VERSION(TQUIC_VERSION);
