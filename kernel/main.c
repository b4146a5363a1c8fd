// SPDX-License-Identifier: GPL-2.0
/*
 * tquic: bonds WAN links into one multipath QUIC connection.
 *
 * Module entry and exit. Each concern lives in its own file; this one only
 * brings them up in order and tears them down in reverse.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>

#include "core/selftest.h"
#include "hooks.h"
#include "mem.h"
#include "netlink.h"
#include "netns.h"
#include "version.h"

atomic_long_t tquic_mem_objects = ATOMIC_LONG_INIT(0);

static bool selftest;
module_param(selftest, bool, 0444);
MODULE_PARM_DESC(selftest,
		 "Run the RFC 9001/9369 known-answer tests over the kernel crypto API at load; refuse to load if one fails");

static void tquic_selftest_report(const char *name, bool ok, void *ctx)
{
	unsigned int *n = ctx;

	(*n)++;
	if (ok)
		pr_debug("selftest: pass: %s\n", name);
	else
		pr_err("selftest: FAIL: %s\n", name);
}

static int __init tquic_mod_init(void)
{
	unsigned int n = 0;
	int err;

	if (selftest) {
		err = tquic_selftest_run(tquic_selftest_report, &n);
		if (err) {
			pr_err("selftest: %d of %u checks failed\n", err, n);
			return -ENOTRECOVERABLE;
		}
		pr_info("selftest: %u of %u checks passed\n", n, n);
	}

	err = tquic_hooks_check_params();
	if (err)
		return err;
	err = tquic_netns_init();
	if (err) {
		pr_err("per-namespace state: error %d\n", err);
		return err;
	}
	err = tquic_nl_init();
	if (err) {
		pr_err("generic netlink family: error %d\n", err);
		tquic_netns_exit();
		return err;
	}

	pr_info("version %s loaded\n", TQUIC_VERSION);
	return 0;
}

static void __exit tquic_mod_exit(void)
{
	/* connections still close (and tell the "events" group) on the way */
	tquic_nl_stop();
	tquic_netns_exit();
	tquic_nl_exit();
	/* every namespace's state is gone: so must be everything it held */
	WARN(tquic_mem_live(), "tquic: %ld objects leaked\n", tquic_mem_live());
	pr_info("unloaded\n");
}

module_init(tquic_mod_init);
module_exit(tquic_mod_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Multipath QUIC WAN bonding");
MODULE_AUTHOR("The TQUIC gateway developers");
MODULE_VERSION(TQUIC_VERSION);
