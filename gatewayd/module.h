/* SPDX-License-Identifier: GPL-2.0 */
#pragma once

int tquic_module_check(const char *sysfs_root);
