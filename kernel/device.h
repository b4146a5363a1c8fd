/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The tquic0 netdev.
 */
#ifndef _TQUIC_DEVICE_H
#define _TQUIC_DEVICE_H

struct nf_conn;
struct sk_buff;
struct tquic_connection;
struct tquic_net;

int tquic_dev_ensure(struct tquic_net *tn);
void tquic_dev_destroy(struct tquic_net *tn);
int tquic_dev_attach(struct tquic_connection *conn);
void tquic_dev_forget(struct tquic_connection *conn);
void tquic_dev_detach(struct tquic_connection *conn);
void tquic_dev_free_tmpl(struct tquic_connection *conn);
void tquic_dev_inject(struct tquic_connection *conn, struct sk_buff *skb);
void tquic_dev_wake(struct tquic_connection *conn);
u16 tquic_dev_dgram_mtu(const struct tquic_connection *conn);
struct tquic_connection *tquic_dev_zone_conn(struct tquic_net *tn,
					     const struct nf_conn *ct);
struct tquic_connection *tquic_dev_conn_for(struct tquic_net *tn,
					    const struct sk_buff *skb);

#endif /* _TQUIC_DEVICE_H */
