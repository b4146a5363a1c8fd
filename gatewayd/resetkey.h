/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The stateless reset key (RFC 9000 §10.3.2), kept in a file so that it
 * outlives restarts of the daemon and of the machine.
 */
#pragma once

#include <stdint.h>

#include "uapi/tquic.h"

int tq_reset_key_load(const char *path, uint8_t key[TQUIC_RESET_KEY_LEN]);
