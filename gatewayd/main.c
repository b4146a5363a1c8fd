// SPDX-License-Identifier: GPL-2.0
/*
 * tquic-gatewayd: the userspace half of the TQUIC gateway.
 *
 * An sd-event loop that tells systemd when it is ready (Type=notify),
 * keeps the watchdog fed when WatchdogSec= is set, and stops cleanly on
 * SIGTERM or SIGINT.
 */

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-daemon.h>
#include <systemd/sd-event.h>

#include "config.h"
#include "labels.h"
#include "module.h"
#include "tunnel.h"
#include "util.h"
#include "version.h"

#define TQ_DEFAULT_CONFIG "/etc/tquic/gateway.conf"

static const char *arg_config = TQ_DEFAULT_CONFIG;
static bool arg_check;

static void help(void)
{
	printf("Usage: tquic-gatewayd [OPTIONS]\n\n"
	       "Userspace half of the TQUIC gateway.\n\n"
	       "  -h --help          Show this help\n"
	       "     --version       Show the version\n"
	       "  -c --config=FILE   Configuration file (default %s)\n"
	       "     --check-config  Check the configuration and exit\n",
	       TQ_DEFAULT_CONFIG);
}

static int parse_argv(int argc, char *argv[])
{
	enum { ARG_VERSION = 0x100, ARG_CHECK };
	static const struct option options[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, ARG_VERSION },
		{ "config", required_argument, NULL, 'c' },
		{ "check-config", no_argument, NULL, ARG_CHECK },
		{}
	};
	int c;

	while ((c = getopt_long(argc, argv, "hc:", options, NULL)) >= 0) {
		switch (c) {
		case 'c':
			arg_config = optarg;
			break;
		case ARG_CHECK:
			arg_check = true;
			break;
		case 'h':
			help();
			return 0;
		case ARG_VERSION:
			printf("tquic-gatewayd %s\n", TQUIC_VERSION);
			return 0;
		default:
			return -EINVAL;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "tquic-gatewayd: unexpected argument '%s'\n",
			argv[optind]);
		return -EINVAL;
	}
	return 1;
}

int main(int argc, char *argv[])
{
	_cleanup_(sd_event_unrefp) sd_event *event = NULL;
	struct tq_tunnel *tun = NULL;
	struct tq_config cfg;
	sigset_t mask;
	int r;

	r = parse_argv(argc, argv);
	if (r <= 0)
		return r < 0 ? EXIT_FAILURE : EXIT_SUCCESS;

	if (arg_check) {
		r = tq_config_load(&cfg, arg_config);
		if (r >= 0)
			r = tq_labels_check(cfg.connlabel_file, "/sys");
		tq_config_free(&cfg);
		return r < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
	}

	r = tquic_module_check("/sys");
	if (r == -ENOENT) {
		fprintf(stderr, "tquic-gatewayd: the tquic kernel module is not loaded (modprobe tquic)\n");
		return EXIT_FAILURE;
	}
	if (r < 0) {
		fprintf(stderr, "tquic-gatewayd: cannot check for the tquic kernel module: %s\n",
			strerror(-r));
		return EXIT_FAILURE;
	}

	/*
	 * The conntrack label names next, with the configuration that may
	 * say where they are, before anything else: a rule naming a label
	 * nft cannot find, or a bit the module does not take, bonds nothing.
	 */
	r = tq_config_load(&cfg, arg_config);
	if (r >= 0)
		r = tq_labels_check(cfg.connlabel_file, "/sys");
	if (r < 0) {
		tq_config_free(&cfg);
		return EXIT_FAILURE;
	}

	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	if (sigprocmask(SIG_BLOCK, &mask, NULL) < 0) {
		r = -errno;
		goto out;
	}

	r = sd_event_default(&event);
	if (r < 0)
		goto out;
	/* NULL handler: the signal exits the loop */
	r = sd_event_add_signal(event, NULL, SIGTERM, NULL, NULL);
	if (r < 0)
		goto out;
	r = sd_event_add_signal(event, NULL, SIGINT, NULL, NULL);
	if (r < 0)
		goto out;
	r = sd_event_set_watchdog(event, true);
	if (r < 0)
		goto out;
	r = tq_tunnel_start(&tun, event, &cfg);
	if (r < 0)
		goto out;

	(void)sd_notify(0, "READY=1\nSTATUS=Running");
	fprintf(stderr, "tquic-gatewayd %s: running\n", TQUIC_VERSION);

	r = sd_event_loop(event);
	(void)sd_notify(0, "STOPPING=1");
	if (r >= 0)
		fprintf(stderr, "tquic-gatewayd: stopped\n");
out:
	tq_tunnel_free(tun);
	tq_config_free(&cfg);
	if (r < 0)
		fprintf(stderr, "tquic-gatewayd: %s\n", strerror(-r));
	return r < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
