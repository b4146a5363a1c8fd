// SPDX-License-Identifier: GPL-2.0
/*
 * Is the tquic kernel module there? gatewayd drives connections the module
 * owns, so it refuses to start without it and says so.
 */

#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>

#include "module.h"

/**
 * tquic_module_check() - tell whether tquic.ko is loaded
 * @sysfs_root: where sysfs is mounted ("/sys"); tests point it elsewhere
 *
 * Return: 0 when /sys/module/tquic exists, -ENOENT when it does not, or
 * another negative errno when it cannot be looked at.
 */
int tquic_module_check(const char *sysfs_root)
{
	char path[256];
	struct stat st;
	int n;

	n = snprintf(path, sizeof(path), "%s/module/tquic", sysfs_root);
	if (n < 0 || (size_t)n >= sizeof(path))
		return -ENAMETOOLONG;
	if (stat(path, &st) < 0)
		return -errno;
	if (!S_ISDIR(st.st_mode))
		return -ENOTDIR;
	return 0;
}
