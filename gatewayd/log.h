/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Log lines on stderr with the syslog priority prefix journald reads.
 */
#pragma once

#include <stdio.h>
#include <systemd/sd-daemon.h>

#define log_err(fmt, ...)  fprintf(stderr, SD_ERR "tquic-gatewayd: " fmt "\n", ##__VA_ARGS__)
#define log_warn(fmt, ...) fprintf(stderr, SD_WARNING "tquic-gatewayd: " fmt "\n", ##__VA_ARGS__)
#define log_info(fmt, ...) fprintf(stderr, SD_INFO "tquic-gatewayd: " fmt "\n", ##__VA_ARGS__)
