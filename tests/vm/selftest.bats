#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# The RFC 9001 / RFC 9369 Appendix A and multipath nonce known-answer tests
# (kernel/core/selftest.c) through the kernel crypto API: the same checks
# the userspace unit test runs over nettle, so both produce the same bytes.

bats_load_library bats-support
bats_load_library bats-assert
load lib/tquic

teardown() {
	tquic_unload_if_loaded
}

@test "module self-test: every RFC 9001/9369 vector passes over the kernel crypto API" {
	dmesg_mark
	run tquic_load selftest=1
	assert_success
	run dmesg_since_mark
	assert_output --partial "selftest: 23 of 23 checks passed"
	refute_output --partial "selftest: FAIL"
	run cat /sys/module/tquic/parameters/selftest
	assert_output "Y"
	run tquic_unload
	assert_success
}

# The token's associated data was a stack array handed to a scatterlist;
# the AEAD glue now warns about and refuses anything outside linear memory,
# so this check fails if a caller still does that.
@test "retry token AEAD buffers in linear memory: seal and open pass in the kernel" {
	dmesg_mark
	run tquic_load selftest=1 dyndbg=+p
	assert_success
	run dmesg_since_mark
	assert_output --partial "selftest: pass: retry token seal and open"
	tquic_unload
}

@test "module loads without the self-test unless asked" {
	dmesg_mark
	tquic_load
	run dmesg_since_mark
	refute_output --partial "selftest"
	tquic_unload
}
