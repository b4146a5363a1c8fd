/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The configuration file (tquic-gateway.conf(5)), read with libinih.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include "tls.h"

/**
 * struct tq_config - what the file says
 * @listen: server: address and port to accept on
 * @server: client: the server's address and port
 * @local: client: local address to bind (family AF_UNSPEC: any)
 * @version: QUIC version the client offers
 * @idle_timeout_ms: our max_idle_timeout
 * @keepalive_ms: PING after this long without sending (0: never)
 * @retry_always: server: every client proves its address with a Retry first
 * @reset_key_file: where the stateless reset key is kept (NULL: a new
 *	random key each start)
 * @connlabel_file: where nft reads the conntrack label names from
 * @bond: the connections carry the bonded flows through tquic0
 * @auth: authentication
 */
struct tq_config {
	struct sockaddr_storage listen;
	struct sockaddr_storage server;
	struct sockaddr_storage local;
	uint32_t version;
	uint32_t idle_timeout_ms;
	uint32_t keepalive_ms;
	bool retry_always;
	char *reset_key_file;
	char *connlabel_file;
	bool bond;
	struct tq_auth auth;
};

int tq_config_load(struct tq_config *cfg, const char *path);
void tq_config_free(struct tq_config *cfg);
int tq_parse_addr(const char *s, bool need_port, struct sockaddr_storage *ss);
