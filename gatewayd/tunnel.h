/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The tunnel: the kernel's listener or connection and the TLS handshakes.
 */
#pragma once

#include <systemd/sd-event.h>

#include "config.h"
#include "genl.h"

struct tq_tunnel;

int tq_tunnel_start(struct tq_tunnel **out, sd_event *event,
		    const struct tq_config *cfg);
void tq_tunnel_free(struct tq_tunnel *tun);
