/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Userspace stand-in for <linux/types.h>, so that kernel/core/ builds
 * unchanged in tests, fuzzers and the simulator (as the kernel's own
 * tools/testing/radix-tree does). Only what kernel/core/ uses is here; the
 * uapi header it stands in front of still comes first for the C library.
 */
#ifndef _TQUIC_SHIM_LINUX_TYPES_H
#define _TQUIC_SHIM_LINUX_TYPES_H

#include_next <linux/types.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;

#endif
