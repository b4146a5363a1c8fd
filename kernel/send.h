/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sending a connection's datagrams through its UDP tunnel socket.
 */
#ifndef _TQUIC_SEND_H
#define _TQUIC_SEND_H

#include <linux/types.h>

struct tquic_connection;

bool tquic_send_flush(struct tquic_connection *conn, u64 now);
bool tquic_send_in_progress(void);

#endif /* _TQUIC_SEND_H */
