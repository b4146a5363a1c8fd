/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The one place that names the project version; the module and
 * tquic-gatewayd both print it.
 */
#ifndef _TQUIC_VERSION_H
#define _TQUIC_VERSION_H

#define TQUIC_VERSION "0.1.0"

#endif /* _TQUIC_VERSION_H */
