/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The generic netlink family "tquic": see uapi/tquic.h.
 */
#ifndef _TQUIC_NETLINK_H
#define _TQUIC_NETLINK_H

#include <linux/types.h>

struct tquic_connection;

int tquic_nl_init(void);
void tquic_nl_stop(void);
void tquic_nl_exit(void);
int tquic_nl_new_conn(struct tquic_connection *conn);
int tquic_nl_crypto_data(struct tquic_connection *conn, u8 level,
			 const u8 *data, size_t len);
void tquic_nl_state(struct tquic_connection *conn, u8 state);

#endif /* _TQUIC_NETLINK_H */
