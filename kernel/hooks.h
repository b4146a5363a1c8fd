/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The netfilter hooks that take bonded flows.
 */
#ifndef _TQUIC_HOOKS_H
#define _TQUIC_HOOKS_H

struct tquic_net;

int tquic_hooks_register(struct tquic_net *tn);
void tquic_hooks_unregister(struct tquic_net *tn);
int tquic_hooks_check_params(void);

#endif /* _TQUIC_HOOKS_H */
