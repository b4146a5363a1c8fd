/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What differs between the kernel series the module builds for: Debian
 * 12's 6.1 and the 6.12 series (Debian 13's, also shipped for Debian 12).
 * Each difference is one helper here, chosen by LINUX_VERSION_CODE.
 */
#ifndef _TQUIC_COMPAT_H
#define _TQUIC_COMPAT_H

#include <linux/netdevice.h>
#include <linux/version.h>

/* the device never changes namespace (a feature bit in 6.1) */
static inline void tquic_compat_netns_local(struct net_device *dev)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
	dev->netns_immutable = true;
#else
	dev->features |= NETIF_F_NETNS_LOCAL;
#endif
}

#endif /* _TQUIC_COMPAT_H */
