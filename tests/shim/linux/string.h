/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Userspace stand-in for <linux/string.h>. */
#ifndef _TQUIC_SHIM_LINUX_STRING_H
#define _TQUIC_SHIM_LINUX_STRING_H

#include <string.h>

#endif
