/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Userspace stand-in for <linux/errno.h>. The C library's <errno.h> itself
 * includes <linux/errno.h>, so this must hand on to the real uapi header.
 */
#ifndef _TQUIC_SHIM_LINUX_ERRNO_H
#define _TQUIC_SHIM_LINUX_ERRNO_H

#include_next <linux/errno.h>
#include <errno.h>

#endif
