/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Known-answer tests of the key schedule and packet protection: RFC 9001
 * Appendix A, RFC 9369 Appendix A and the multipath nonce vector. The same
 * code runs in userspace (tests/unit) over nettle and in tquic.ko (module
 * parameter selftest=1) over the kernel crypto API, so both are proven to
 * produce the same bytes.
 */
#ifndef _TQUIC_CORE_SELFTEST_H
#define _TQUIC_CORE_SELFTEST_H

#include <linux/types.h>

/**
 * typedef tquic_selftest_report_t - told the outcome of each check
 * @name: the check, e.g. "rfc9001 A.2 client Initial protect"
 * @ok: whether it passed
 * @ctx: the caller's context
 */
typedef void (*tquic_selftest_report_t)(const char *name, bool ok, void *ctx);

int tquic_selftest_run(tquic_selftest_report_t report, void *ctx);

#endif /* _TQUIC_CORE_SELFTEST_H */
