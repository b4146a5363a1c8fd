#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# Host-side checks of what a packager and an administrator get: make
# install/uninstall, the systemd unit, the man page, the build's errors.

bats_load_library bats-support
bats_load_library bats-assert

TOP=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)

setup() {
	DEST=$(mktemp -d)
}

teardown() {
	rm -rf "$DEST"
}

@test "make install puts every file where a packager expects it; uninstall removes them" {
	local kver
	kver=$(make -s -C "$TOP/kernel" kver)
	run make -s -C "$TOP" install DESTDIR="$DEST" PREFIX=/usr
	assert_success
	for f in "lib/modules/$kver/updates/tquic.ko" usr/sbin/tquic-gatewayd \
		 usr/lib/systemd/system/tquic-gateway.service \
		 usr/lib/modules-load.d/tquic.conf \
		 usr/share/man/man8/tquic-gateway.8 usr/share/man/man8/tquic-gatewayd.8; do
		test -e "$DEST/$f" || fail "missing $f"
	done
	run modinfo -F vermagic "$DEST/lib/modules/$kver/updates/tquic.ko"
	assert_output --regexp "^$kver "
	run grep '^ExecStart=' "$DEST/usr/lib/systemd/system/tquic-gateway.service"
	assert_output "ExecStart=/usr/sbin/tquic-gatewayd"

	run make -s -C "$TOP" uninstall DESTDIR="$DEST" PREFIX=/usr
	assert_success
	# /etc/connlabel.conf is the administrator's: the labels stay in it
	run find "$DEST" -type f -o -type l
	assert_output "$DEST/etc/connlabel.conf"
}

@test "the systemd unit passes systemd-analyze verify" {
	sed "s|@SBINDIR@|$TOP/gatewayd|" "$TOP/systemd/tquic-gateway.service.in" \
		> "$DEST/tquic-gateway.service"
	run systemd-analyze verify --man=no "$DEST/tquic-gateway.service"
	assert_success
	assert_output ""
}

@test "the man page formats without a warning" {
	run groff -man -ww -z -t "$TOP/man/tquic-gateway.8"
	assert_success
	assert_output ""
}

@test "the module build names the problem when no kernel headers are found" {
	run make -s -C "$TOP/kernel" KDIR=/nonexistent
	assert_failure
	assert_output --partial "no kernel headers found"
}

@test "tquic-gatewayd --version prints the project version" {
	local v
	v=$(sed -n 's/^#define TQUIC_VERSION "\(.*\)"/\1/p' "$TOP/kernel/version.h")
	run "$TOP/gatewayd/tquic-gatewayd" --version
	assert_success
	assert_output "tquic-gatewayd $v"
}
