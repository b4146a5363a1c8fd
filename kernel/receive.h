/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Receiving: the UDP socket's encapsulation callback, in softirq.
 */
#ifndef _TQUIC_RECEIVE_H
#define _TQUIC_RECEIVE_H

#include <linux/socket.h>

struct sk_buff;
struct sock;
struct tquic_connection;

int tquic_recv_encap(struct sock *sk, struct sk_buff *skb);
void tquic_recv_skb(struct tquic_connection *conn, struct sk_buff *skb);
void tquic_recv_napi_start(struct tquic_connection *conn);
void tquic_recv_napi_stop(struct tquic_connection *conn);
void tquic_recv_addrs(const struct sk_buff *skb, struct sockaddr_storage *from,
		      struct sockaddr_storage *to);

#endif /* _TQUIC_RECEIVE_H */
