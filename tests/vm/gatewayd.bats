#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# tquic-gatewayd starts only with the module there, and stops on a signal.

bats_load_library bats-support
bats_load_library bats-assert
load lib/tquic

GATEWAYD="$TQUIC_TOP/gatewayd/tquic-gatewayd"

setup() {
	CONF="$BATS_TEST_TMPDIR/gw.conf"
	cat > "$CONF" <<-CONF
	[Tunnel]
	Role=server
	Listen=127.0.0.1:4433
	[Client:test]
	PSK=000102030405060708090a0b0c0d0e0f
	CONF
}

teardown() {
	pkill -f "$GATEWAYD" 2>/dev/null || true
	tquic_unload_if_loaded
}

@test "gatewayd refuses to start without the module and says why" {
	run "$GATEWAYD" -c "$CONF"
	assert_failure 1
	assert_output --partial "tquic kernel module is not loaded"
}

@test "gatewayd runs with the module and stops cleanly on SIGTERM and SIGINT" {
	local sig log pid i rc
	tquic_load
	for sig in TERM INT; do
		log=$(mktemp)
		"$GATEWAYD" -c "$CONF" 2> "$log" &
		pid=$!
		for i in $(seq 1 50); do
			grep -q running "$log" && break
			sleep 0.1
		done
		run grep -q running "$log"
		assert_success
		kill -s "$sig" "$pid"
		# in this shell: a subshell (run) cannot wait for our child,
		# and only saw its status when it had been reaped already
		rc=0
		wait "$pid" || rc=$?
		[ "$rc" = 0 ]
		run cat "$log"
		assert_output --partial "stopped"
		rm -f "$log"
	done
}

@test "gatewayd rejects unknown arguments with a non-zero status" {
	run "$GATEWAYD" --no-such-option
	assert_failure
	run "$GATEWAYD" extra
	assert_failure
	assert_output --partial "unexpected argument"
}

@test "gatewayd refuses a configuration without authentication, naming the problem" {
	printf '[Tunnel]\nRole=server\nListen=127.0.0.1:4433\n' > "$CONF"
	run "$GATEWAYD" -c "$CONF" --check-config
	assert_failure
	assert_output --partial "no authentication configured"
	printf '[Tunnel]\nRole=server\nListen=127.0.0.1:4433\nBogus=1\n' > "$CONF"
	run "$GATEWAYD" -c "$CONF" --check-config
	assert_failure
	assert_output --partial "unknown setting 'Bogus' in [Tunnel]"
	printf '[Tunnel]\nRole=client\nServer=127.0.0.1:4433\n[Auth]\nName=a\nPSK=0011\n' > "$CONF"
	run "$GATEWAYD" -c "$CONF" --check-config
	assert_failure
	assert_output --partial "[Auth] PSK: bad value"
}
