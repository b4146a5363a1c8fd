#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# tests/deps-check.sh, make check's first step: every program the build and
# the tests run comes from a package in the Makefile's DEPS (or one every
# Debian system has), and a package missing from DEPS is named with the
# program that needs it.

bats_load_library bats-support
bats_load_library bats-assert

TOP=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)

setup() {
	DIR=$(mktemp -d)
}

teardown() {
	rm -rf "$DIR"
}

# without PKG: $DIR/Makefile, the Makefile with PKG taken out of DEPS
without() {
	sed -E "/^DEPS_[A-Z]+ :=/,/^DEPS :=/ s/(^|[[:space:]])$1([[:space:]]|\$)/\\1\\2/" \
		"$TOP/Makefile" > "$DIR/Makefile"
	env -u MAKEFLAGS -u MAKELEVEL make -s --no-print-directory -f "$DIR/Makefile" print-deps \
		> "$DIR/deps"
	grep -q 'gnutls-bin' "$DIR/deps"
	! tr ' ' '\n' < "$DIR/deps" | grep -qx -- "$1"
}

@test "deps-check: every program the build and the tests run is from a package in DEPS or essential" {
	run "$TOP/tests/deps-check.sh"
	assert_success
	assert_output --regexp '^deps-check: [0-9]+ programs and [0-9]+ busybox applets, all from packages in DEPS or essential$'
}

@test "deps-check names nft and nftables when nftables is missing from DEPS" {
	without nftables
	run "$TOP/tests/deps-check.sh" -m "$DIR/Makefile"
	assert_failure
	assert_line --partial "deps-check: nft (package nftables) is not in the Makefile's DEPS"
	# nothing else is missing
	assert_equal "${#lines[@]}" 1
}

@test "deps-check finds a program dpkg knows under /bin and one behind ip netns exec" {
	without busybox-static
	run "$TOP/tests/deps-check.sh" -m "$DIR/Makefile"
	assert_failure
	assert_line --partial "deps-check: busybox (package busybox-static) is not in the Makefile's DEPS"
	without wireshark-common
	run "$TOP/tests/deps-check.sh" -m "$DIR/Makefile"
	assert_failure
	assert_line --partial "deps-check: dumpcap (package wireshark-common) is not in the Makefile's DEPS"
}
