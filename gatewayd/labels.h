/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The conntrack label names a flow is bonded by (nft/connlabel.conf).
 */
#pragma once

/* where nft 1.0.6 reads label names from */
#define TQ_CONNLABEL_FILE "/etc/connlabel.conf"

int tq_labels_check(const char *path, const char *sysfs_root);
