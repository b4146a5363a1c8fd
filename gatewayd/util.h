/* SPDX-License-Identifier: GPL-2.0 */
#pragma once

/* systemd style: release a resource when its variable goes out of scope */
#define _cleanup_(f) __attribute__((cleanup(f)))
