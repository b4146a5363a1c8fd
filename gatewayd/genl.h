/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The tquic generic netlink family from userspace (libmnl): one socket that
 * sends commands, owns the listeners and connections it creates (so it
 * receives their handshake events) and is in the "events" group.
 */
#pragma once

#include <libmnl/libmnl.h>
#include <stdbool.h>
#include <stdint.h>

#include "uapi/tquic.h"

struct tq_genl;

/* An event from the kernel: its attributes, indexed by TQUIC_A_*. */
typedef void (*tq_genl_event_fn)(void *ctx, uint8_t cmd,
				 const struct nlattr **tb);

int tq_genl_open(struct tq_genl **out, tq_genl_event_fn fn, void *ctx);
void tq_genl_close(struct tq_genl *g);
int tq_genl_fd(const struct tq_genl *g);

struct nlmsghdr *tq_genl_msg(struct tq_genl *g, uint8_t cmd);
int tq_genl_call(struct tq_genl *g, struct nlmsghdr *nlh,
		 const struct nlattr **reply_tb);
int tq_genl_dispatch(struct tq_genl *g);
const char *tq_genl_last_error(const struct tq_genl *g);
int tq_genl_parse(const struct nlmsghdr *nlh, const struct nlattr **tb);
