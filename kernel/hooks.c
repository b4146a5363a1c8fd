// SPDX-License-Identifier: GPL-2.0
/*
 * The netfilter hooks that take bonded flows into tquic0.
 *
 * Out (forward and local-out, after the filter chains): a packet in the
 * original direction of a flow whose conntrack entry carries the label
 * tquic-bond or tquic-realtime (set by a stock nft rule, `ct label set
 * tquic-bond`, names from /etc/connlabel.conf) is taken: its entry is
 * confirmed (it will never reach postrouting, where conntrack would do
 * so), a TCP SYN's MSS is lowered to fit tquic0, a packet too big for its
 * carrier is refused with ICMP, and it is queued on tquic0. A packet the
 * filter chains dropped never gets here.
 *
 * Pre (prerouting, after conntrack undid the server's NAT): a packet in
 * the reply direction of a flow in one of our server connections' zones
 * goes back to that client over tquic0: the server has no route to the
 * client's LAN, and several clients may use the same prefix. A packet in
 * the original direction of a bonded TCP flow is marked so that
 * forwarding does not refuse it for the WAN route's MTU (its stream
 * carries it whole).
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/module.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/icmp.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_conntrack_core.h>
#include <net/netfilter/nf_conntrack_labels.h>
#include <net/netfilter/nf_conntrack_zones.h>
#include <net/udp.h>

#include "connection.h"
#include "device.h"
#include "hooks.h"
#include "netns.h"
#include "receive.h"
#include "send.h"

/* after the filter chains (0) and security (50), before SNAT (100) */
#define TQUIC_NF_PRI_OUT	(NF_IP_PRI_SECURITY + 1)
/* after conntrack undid the NAT of a reply (-100), before routing */
#define TQUIC_NF_PRI_PRE	(NF_IP_PRI_NAT_DST + 1)

static unsigned int label_bond = 120;
module_param(label_bond, uint, 0444);
MODULE_PARM_DESC(label_bond,
		 "conntrack label bit of tquic-bond, as in /etc/connlabel.conf (120)");
static unsigned int label_realtime = 121;
module_param(label_realtime, uint, 0444);
MODULE_PARM_DESC(label_realtime,
		 "conntrack label bit of tquic-realtime, as in /etc/connlabel.conf (121)");

/**
 * tquic_hooks_check_params() - the label bits exist
 *
 * Return: 0, or -EINVAL (the module refuses to load).
 */
int tquic_hooks_check_params(void)
{
	if (label_bond >= NF_CT_LABELS_MAX_SIZE * 8 ||
	    label_realtime >= NF_CT_LABELS_MAX_SIZE * 8) {
		pr_err("label_bond and label_realtime must be below %u\n",
		       NF_CT_LABELS_MAX_SIZE * 8);
		return -EINVAL;
	}
	return 0;
}

static bool tquic_hooks_labelled(const struct nf_conn *ct)
{
	const struct nf_conn_labels *labels = nf_ct_labels_find(ct);

	return labels && (test_bit(label_bond, labels->bits) ||
			  test_bit(label_realtime, labels->bits));
}

/* our own tunnel's packets are never bonded, whatever the rules say */
static bool tquic_hooks_own_socket(const struct sk_buff *skb)
{
	const struct sock *sk = skb->sk;

	return sk && sk_fullsock(sk) && sk->sk_protocol == IPPROTO_UDP &&
	       READ_ONCE(udp_sk(sk)->encap_rcv) == tquic_recv_encap;
}

/*
 * RFC 879, RFC 8200 §5: a TCP SYN's MSS option no larger than what fits
 * in @mtu, so that the peers' segments need no fragmentation in the
 * tunnel; the checksum is updated in place.
 */
static void tquic_hooks_clamp_mss(struct tquic_net *tn, struct sk_buff *skb,
				  unsigned int thoff, unsigned int iph_len,
				  unsigned int mtu)
{
	unsigned int optlen, i, mss = mtu - iph_len - sizeof(struct tcphdr);
	struct tcphdr *th;
	u8 *opt;

	if (!pskb_may_pull(skb, thoff + sizeof(struct tcphdr)))
		return;
	th = (struct tcphdr *)(skb->data + thoff);
	if (!th->syn || th->doff * 4 < sizeof(struct tcphdr))
		return;
	optlen = th->doff * 4 - sizeof(struct tcphdr);
	if (!optlen || skb_ensure_writable(skb, thoff + th->doff * 4))
		return;
	th = (struct tcphdr *)(skb->data + thoff);
	opt = (u8 *)(th + 1);
	for (i = 0; i < optlen; ) {
		if (opt[i] == TCPOPT_EOL)
			return;
		if (opt[i] == TCPOPT_NOP) {
			i++;
			continue;
		}
		if (i + 1 >= optlen || opt[i + 1] < 2 || i + opt[i + 1] > optlen)
			return;
		if (opt[i] == TCPOPT_MSS && opt[i + 1] == TCPOLEN_MSS) {
			__be16 old = get_unaligned((__be16 *)(opt + i + 2));

			if (ntohs(old) <= mss)
				return;
			put_unaligned(htons(mss), (__be16 *)(opt + i + 2));
			inet_proto_csum_replace2(&th->check, skb, old,
						 htons(mss), false);
			atomic64_inc(&tn->dp.mss_clamped);
			return;
		}
		i += opt[i + 1];
	}
}

/*
 * Whether @skb fits its carrier; if not, the sender hears so (ICMP
 * Fragmentation Needed, ICMPv6 Packet Too Big) where the packet was
 * routed, and it is counted. A TCP packet rides its flow's stream, which
 * splits it across QUIC packets as needed, so only tquic0's MTU bounds it
 * (and a SYN's MSS is clamped to that); anything else must fit one
 * DATAGRAM frame of its connection, @dgram_mtu, which follows the path.
 */
static bool tquic_hooks_fits(struct tquic_net *tn, struct sk_buff *skb,
			     u8 pf, unsigned int dgram_mtu)
{
	unsigned int thoff, mtu = READ_ONCE(tn->dev->mtu);
	u8 proto;

	if (pf == NFPROTO_IPV4) {
		proto = ip_hdr(skb)->protocol;
		thoff = ip_hdrlen(skb);
		if (proto == IPPROTO_TCP && !ip_is_fragment(ip_hdr(skb)))
			tquic_hooks_clamp_mss(tn, skb, thoff,
					      sizeof(struct iphdr), mtu);
	} else {
		__be16 frag_off;

		proto = ipv6_hdr(skb)->nexthdr;
		thoff = ipv6_skip_exthdr(skb, sizeof(struct ipv6hdr), &proto,
					 &frag_off);
		if (proto == IPPROTO_TCP && !frag_off && (int)thoff > 0)
			tquic_hooks_clamp_mss(tn, skb, thoff,
					      sizeof(struct ipv6hdr), mtu);
	}
	if (proto != IPPROTO_TCP && dgram_mtu < mtu) {
		mtu = dgram_mtu;
		/* RFC 8200 §5, RFC 791: no MTU below these can be asked for */
		if (mtu < (pf == NFPROTO_IPV4 ? 68 : IPV6_MIN_MTU) &&
		    skb->len > mtu) {
			atomic64_inc(&tn->dp.too_big);
			return false;
		}
	}
	if (skb->len <= mtu ||
	    (skb_is_gso(skb) && skb_gso_validate_network_len(skb, mtu)))
		return true;
	atomic64_inc(&tn->dp.too_big);
	if (!skb_dst(skb))
		return false;	/* prerouting: no route to answer along */
	if (pf == NFPROTO_IPV4) {
		if (ip_hdr(skb)->frag_off & htons(IP_DF))
			icmp_send(skb, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED,
				  htonl(mtu));
	} else {
		icmpv6_send(skb, ICMPV6_PKT_TOOBIG, 0, mtu);
	}
	return false;
}

/* @skb leaves through tquic0 and @conn; the hook's verdict */
static unsigned int tquic_hooks_steal(struct tquic_net *tn, struct sk_buff *skb,
				      u8 pf, struct tquic_connection *conn)
{
	struct net_device *dev = tn->dev;
	unsigned int mtu = READ_ONCE(conn->inner_mtu);
	int ret;

	if (!tquic_hooks_fits(tn, skb, pf, mtu))
		return NF_DROP;
	/* it never reaches postrouting, where conntrack would confirm it */
	ret = nf_conntrack_confirm(skb);
	if (ret != NF_ACCEPT)
		return ret;
	atomic64_inc(&tn->dp.bonded);
	skb->dev = dev;
	skb_dst_drop(skb);
	dev_queue_xmit(skb);
	return NF_STOLEN;
}

static unsigned int tquic_hooks_out(void *priv, struct sk_buff *skb,
				    const struct nf_hook_state *state)
{
	struct tquic_net *tn = priv;
	struct tquic_connection *conn;
	enum ip_conntrack_info ctinfo;
	struct nf_conn *ct = nf_ct_get(skb, &ctinfo);

	if (!ct || nf_ct_is_template(ct) ||
	    CTINFO2DIR(ctinfo) != IP_CT_DIR_ORIGINAL ||
	    !tquic_hooks_labelled(ct))
		return NF_ACCEPT;
	/* what came out of the tunnel, and the tunnel itself */
	if (state->in == tn->dev || tquic_hooks_own_socket(skb) ||
	    tquic_send_in_progress())
		return NF_ACCEPT;
	conn = rcu_dereference(tn->dp_client);
	if (!conn) {
		atomic64_inc(&tn->dp.no_conn);
		return NF_DROP;
	}
	return tquic_hooks_steal(tn, skb, state->pf, conn);
}

static unsigned int tquic_hooks_pre(void *priv, struct sk_buff *skb,
				    const struct nf_hook_state *state)
{
	struct tquic_net *tn = priv;
	struct tquic_connection *conn;
	enum ip_conntrack_info ctinfo;
	struct nf_conn *ct = nf_ct_get(skb, &ctinfo);

	if (!ct || nf_ct_is_template(ct) || state->in == tn->dev)
		return NF_ACCEPT;
	if (CTINFO2DIR(ctinfo) == IP_CT_DIR_ORIGINAL) {
		/*
		 * A bonded TCP flow rides a stream, so the WAN route's MTU,
		 * which forwarding checks before the forward hook, does not
		 * bound its packets: they are not refused for it.
		 */
		if (nf_ct_protonum(ct) == IPPROTO_TCP &&
		    tquic_hooks_labelled(ct))
			skb->ignore_df = 1;
		return NF_ACCEPT;
	}
	conn = tquic_dev_zone_conn(tn, ct);
	if (!conn)
		return NF_ACCEPT;
	return tquic_hooks_steal(tn, skb, state->pf, conn);
}

#define TQUIC_HOOK(fn, family, num, prio) \
	{ .hook = (fn), .pf = (family), .hooknum = (num), .priority = (prio) }

static const struct nf_hook_ops tquic_hooks_ops[] = {
	TQUIC_HOOK(tquic_hooks_out, NFPROTO_IPV4, NF_INET_FORWARD,
		   TQUIC_NF_PRI_OUT),
	TQUIC_HOOK(tquic_hooks_out, NFPROTO_IPV4, NF_INET_LOCAL_OUT,
		   TQUIC_NF_PRI_OUT),
	TQUIC_HOOK(tquic_hooks_pre, NFPROTO_IPV4, NF_INET_PRE_ROUTING,
		   TQUIC_NF_PRI_PRE),
	TQUIC_HOOK(tquic_hooks_out, NFPROTO_IPV6, NF_INET_FORWARD,
		   TQUIC_NF_PRI_OUT),
	TQUIC_HOOK(tquic_hooks_out, NFPROTO_IPV6, NF_INET_LOCAL_OUT,
		   TQUIC_NF_PRI_OUT),
	TQUIC_HOOK(tquic_hooks_pre, NFPROTO_IPV6, NF_INET_PRE_ROUTING,
		   TQUIC_NF_PRI_PRE),
};

/**
 * tquic_hooks_register() - start taking bonded flows in @tn
 * @tn: the namespace, whose tquic0 exists
 *
 * Conntrack is turned on in the namespace, and the label extension with
 * it: nft adds the extension to new entries only while a rule that sets
 * labels is loaded, and an entry made without it can never carry one.
 *
 * Return: 0 or a negative errno.
 */
int tquic_hooks_register(struct tquic_net *tn)
{
	struct nf_hook_ops *ops = tn->hook_ops;
	int err, i;

	BUILD_BUG_ON(ARRAY_SIZE(tquic_hooks_ops) != TQUIC_NR_HOOKS);
	err = nf_ct_netns_get(tn->net, NFPROTO_INET);
	if (err)
		return err;
	err = nf_connlabels_get(tn->net, max(label_bond, label_realtime));
	if (err)
		goto ct;
	/* netfilter keeps these: they live as long as the namespace's state */
	memcpy(ops, tquic_hooks_ops, sizeof(tquic_hooks_ops));
	for (i = 0; i < TQUIC_NR_HOOKS; i++)
		ops[i].priv = tn;
	err = nf_register_net_hooks(tn->net, ops, TQUIC_NR_HOOKS);
	if (err)
		goto labels;
	return 0;
labels:
	nf_connlabels_put(tn->net);
ct:
	nf_ct_netns_put(tn->net, NFPROTO_INET);
	return err;
}

/**
 * tquic_hooks_unregister() - stop taking flows in @tn
 * @tn: the namespace
 */
void tquic_hooks_unregister(struct tquic_net *tn)
{
	nf_unregister_net_hooks(tn->net, tn->hook_ops, TQUIC_NR_HOOKS);
	nf_connlabels_put(tn->net);
	nf_ct_netns_put(tn->net, NFPROTO_INET);
}
