#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# QUIC handshakes between two tquic-gatewayd over the lab's WAN: the kernel
# owns the packets, gatewayd's GnuTLS the TLS 1.3 handshake.

bats_load_library bats-support
bats_load_library bats-assert
load lib/tquic
load lib/topology
load lib/gatewayd

setup_file() {
	topo_create "delay=5ms"
}

teardown_file() {
	topo_destroy
}

setup() {
	tquic_load
	dmesg_mark
	PSK=$(gw_psk)
}

teardown() {
	gw_stop client || true
	gw_stop server || true
	gw_unblock "$TOPO_NS_SRV" 2>/dev/null || true
	tquic_unload_if_loaded
	topo_set_link 0 "delay=5ms"
}

# both dumps show one established connection with each side's CIDs crossed
assert_established_pair() {
	local c s
	gw_wait "$TOPO_NS_GW" "state established" 30
	gw_wait "$TOPO_NS_SRV" "state established" 30
	c=$(gw_conns "$TOPO_NS_GW")
	s=$(gw_conns "$TOPO_NS_SRV")
	echo "client: $c"
	echo "server: $s"
	[ "$(echo "$c" | grep -c 'state established')" = 1 ]
	[ "$(echo "$s" | grep -c 'state established')" = 1 ]
	[ -n "$(gw_field "$c" local_cid)" ]
	[ "$(gw_field "$c" local_cid)" = "$(gw_field "$s" peer_cid)" ]
	[ "$(gw_field "$c" peer_cid)" = "$(gw_field "$s" local_cid)" ]
	[ "$(gw_field "$c" role)" = client ]
	[ "$(gw_field "$s" role)" = server ]
}

@test "PSK: client and server establish one connection with matching CIDs" {
	gw_start server "$TOPO_NS_SRV" "$(gw_psk_server_conf)"
	gw_wait_log server "listening"
	gw_start client "$TOPO_NS_GW" "$(gw_psk_client_conf gw1 "$PSK" 30 \
		"Local=$(wan_gw_addr 0)" "KeyLogFile=$BATS_TEST_TMPDIR/keylog")"
	assert_established_pair
	gw_conns "$TOPO_NS_SRV" | grep "peer $(wan_gw_addr 0) port"
	gw_wait_log server "handshake with .*(gw1) complete"
	gw_wait_log client "handshake with .* complete"
	# the key log has the four QUIC secrets of the connection
	for l in CLIENT_HANDSHAKE_TRAFFIC_SECRET SERVER_HANDSHAKE_TRAFFIC_SECRET \
		 CLIENT_TRAFFIC_SECRET_0 SERVER_TRAFFIC_SECRET_0; do
		grep -E "^$l [0-9a-f]{64} [0-9a-f]{64}\$" "$BATS_TEST_TMPDIR/keylog"
	done
}

srv_sent_resets() {
	gw_proc "$TOPO_NS_SRV" | grep -qE '^stateless_resets sent [1-9]'
}

# pair_with_key KEYFILE CLIENT_IDLE: a server keeping its reset key in
# KEYFILE, a client with keepalive PINGs every second, established
pair_with_key() {
	gw_start server "$TOPO_NS_SRV" "$(gw_psk_server_conf 30 "ResetKeyFile=$1")"
	gw_wait_log server "listening"
	gw_start client "$TOPO_NS_GW" "$(gw_psk_client_conf gw1 "$PSK" "$2" KeepAliveSec=1)"
	assert_established_pair
}

# the server forgets its connection, restarts with the key in $1, and the
# path reopens; T0 is when (ns)
restart_server_forgetting() {
	gw_forget "$TOPO_NS_SRV"
	gw_stop server
	gw_start server "$TOPO_NS_SRV" "$(gw_psk_server_conf 30 "ResetKeyFile=$1")"
	gw_wait_log server "listening"
	T0=$(date +%s%N)
	gw_unblock "$TOPO_NS_SRV"
}

@test "CIDs and stateless reset: a restarted server with its key ends the client's stale connection at its next packet" {
	local key="$BATS_TEST_TMPDIR/reset-key" t1
	pair_with_key "$key" 60
	# made on first use, for the owner only
	[ "$(stat -c %s:%a "$key")" = "32:600" ]
	# RFC 9000 §5.1.1: each side issued four CIDs (ours are capped at four)
	gw_wait "$TOPO_NS_GW" "cids_issued 4 cids_retired 0" 10
	gw_wait "$TOPO_NS_SRV" "cids_issued 4 cids_retired 0" 10
	restart_server_forgetting "$key"
	# the client's next keepalive PING draws a reset it believes
	gw_wait_log client "closed: stateless reset (the peer lost its state)" 10
	t1=$(date +%s%N)
	echo "# reset taken $(( (t1 - T0) / 1000000 )) ms after the path reopened (keepalive 1 s)" >&3
	gw_proc "$TOPO_NS_SRV"
	gw_proc "$TOPO_NS_GW"
	gw_proc "$TOPO_NS_SRV" | grep -E '^stateless_resets sent [1-9][0-9]* received 0$'
	gw_proc "$TOPO_NS_GW" | grep -E '^stateless_resets sent [0-9]+ received 1$'
	# and it connects again
	gw_wait "$TOPO_NS_SRV" "state established" 20
	gw_wait_log client "connection 2 with .* established" 20
	run dmesg_since_mark
	refute_output --regexp 'BUG|WARNING|Oops'
}

@test "stateless reset: with another key the reset is not believed; the client waits out its idle timeout" {
	local t1
	head -c 32 /dev/urandom > "$BATS_TEST_TMPDIR/key-b"
	chmod 600 "$BATS_TEST_TMPDIR/key-b"
	pair_with_key "$BATS_TEST_TMPDIR/key-a" 15
	restart_server_forgetting "$BATS_TEST_TMPDIR/key-b"
	# the client's next PING draws a reset (while the port was blocked,
	# none left the server), which it does not believe
	gw_until 20 srv_sent_resets
	gw_wait_log client "closed: our transport error 0x0" 30
	t1=$(date +%s%N)
	echo "# idle timeout after $(( (t1 - T0) / 1000000 )) ms" >&3
	gw_proc "$TOPO_NS_SRV" | grep -E '^stateless_resets sent [1-9][0-9]* received 0$'
	# (its socket may answer the resets it does not believe with smaller
	# ones of its own: RFC 9000 §10.3.3 keeps that from looping)
	gw_proc "$TOPO_NS_GW" | grep -E '^stateless_resets sent [0-9]+ received 0$'
	run gw_log client
	refute_output --partial "stateless reset"
}

@test "a reset key file of the wrong size or open to others is refused, naming the problem" {
	local key="$BATS_TEST_TMPDIR/bad-key"
	head -c 31 /dev/urandom > "$key"
	chmod 600 "$key"
	run timeout 10 ip netns exec "$TOPO_NS_SRV" "$GATEWAYD" -c <(gw_psk_server_conf 30 "ResetKeyFile=$key")
	assert_failure
	assert_output --partial "a stateless reset key file holds 32 bytes"
	head -c 32 /dev/urandom > "$key"
	chmod 644 "$key"
	run timeout 10 ip netns exec "$TOPO_NS_SRV" "$GATEWAYD" -c <(gw_psk_server_conf 30 "ResetKeyFile=$key")
	assert_failure
	assert_output --partial "must be readable by its owner only"
}

server_cert_conf() {
	cat <<-CONF
	[Tunnel]
	Role=server
	Listen=$SRV_ADDR:$GW_PORT
	[Auth]
	CertificateFile=$CERTS/${1:-srv}.pem
	KeyFile=$CERTS/srv.key
	${2:-}
	CONF
}

client_cert_conf() {
	cat <<-CONF
	[Tunnel]
	Role=client
	Server=$SRV_ADDR:$GW_PORT
	[Auth]
	$1
	CONF
}

@test "X.509: the client verifies the server certificate by CA and by pinned key" {
	CERTS=$BATS_TEST_TMPDIR/certs
	gw_make_certs "$CERTS"
	gw_start server "$TOPO_NS_SRV" "$(server_cert_conf)"
	gw_wait_log server "listening"
	gw_start client "$TOPO_NS_GW" "$(client_cert_conf "CAFile=$CERTS/ca.pem
ServerName=tquic.test")"
	assert_established_pair
	gw_stop client
	tquic_unload
	tquic_load
	gw_stop server
	pin=$(certtool --pubkey-info --load-privkey "$CERTS/srv.key" --outder 2>/dev/null | sha256sum | cut -c1-64)
	gw_start server "$TOPO_NS_SRV" "$(server_cert_conf)"
	gw_wait_log server "listening"
	gw_start client "$TOPO_NS_GW" "$(client_cert_conf "PinSHA256=$pin")"
	assert_established_pair
}

@test "X.509: a server that requires client certificates takes a verified one, refuses none" {
	CERTS=$BATS_TEST_TMPDIR/certs
	gw_make_certs "$CERTS"
	gw_start server "$TOPO_NS_SRV" "$(server_cert_conf srv "CAFile=$CERTS/ca.pem
RequireClientCertificate=yes")"
	gw_wait_log server "listening"
	gw_start client "$TOPO_NS_GW" "$(client_cert_conf "CAFile=$CERTS/ca.pem
ServerName=tquic.test")"
	assert_rejected server "handshake with .* failed"
	gw_stop client
	gw_start client "$TOPO_NS_GW" "$(client_cert_conf "CAFile=$CERTS/ca.pem
ServerName=tquic.test
CertificateFile=$CERTS/cli.pem
KeyFile=$CERTS/cli.key")"
	assert_established_pair
}

# REJECTED CLIENT_AUTH SERVER_PATTERN CLIENT_PATTERN: nothing established
assert_rejected() {
	gw_wait_log "$1" "$2" 30 || { gw_log server; gw_log client; return 1; }
	sleep 1
	run gw_conns "$TOPO_NS_SRV"
	refute_output --partial "state established"
	run gw_conns "$TOPO_NS_GW"
	refute_output --partial "state established"
}

@test "X.509: expired and mismatched server certificates are refused with an alert" {
	CERTS=$BATS_TEST_TMPDIR/certs
	gw_make_certs "$CERTS"
	gw_start server "$TOPO_NS_SRV" "$(server_cert_conf old)"
	gw_wait_log server "listening"
	gw_start client "$TOPO_NS_GW" "$(client_cert_conf "CAFile=$CERTS/ca.pem
ServerName=tquic.test")"
	assert_rejected client "handshake with .* failed: .*(TLS alert [0-9]*)"
	gw_log client | grep 'failed'
	gw_stop client
	gw_stop server
	gw_start server "$TOPO_NS_SRV" "$(server_cert_conf)"
	gw_wait_log server "listening"
	gw_start client "$TOPO_NS_GW" "$(client_cert_conf "CAFile=$CERTS/ca.pem
ServerName=other.test")"
	assert_rejected client "handshake with .* failed: .*(TLS alert [0-9]*)"
	gw_log client | grep 'failed'
}

@test "PSK: a wrong key and an unknown identity are refused, each logged with its reason" {
	gw_start server "$TOPO_NS_SRV" "$(gw_psk_server_conf)"
	gw_wait_log server "listening"
	gw_start client "$TOPO_NS_GW" "$(gw_psk_client_conf gw1 "$(gw_psk)")"
	assert_rejected server "handshake with .*(gw1) failed"
	gw_log server | grep failed
	gw_stop client
	gw_start client "$TOPO_NS_GW" "$(gw_psk_client_conf nobody)"
	assert_rejected server "unknown PSK identity 'nobody'"
	gw_log server | grep failed
	# the server still serves the right client
	gw_stop client
	gw_start client "$TOPO_NS_GW" "$(gw_psk_client_conf)"
	assert_established_pair
}

@test "garbage and truncated Initials at the listener: dropped, and a good client still gets in" {
	local junk="$TQUIC_TOP/tests/tools/quicjunk" before after
	gw_start server "$TOPO_NS_SRV" "$(gw_psk_server_conf)"
	gw_wait_log server "listening"
	before=$(kmem_kib)
	in_gw "$junk" "$SRV_ADDR" "$GW_PORT" random 2000
	in_gw "$junk" "$SRV_ADDR" "$GW_PORT" initial 1000
	in_gw "$junk" "$SRV_ADDR" "$GW_PORT" truncated 1000
	in_gw "$junk" "$SRV_ADDR" "$GW_PORT" version 200
	sleep 2
	in_srv cat /proc/net/tquic
	run in_srv cat /proc/net/tquic
	assert_line --regexp '^connections 0$'
	# every datagram was dropped or answered with Version Negotiation
	line=$(in_srv grep '^listener' /proc/net/tquic)
	[ "$(gw_field "$line" accepted)" = 0 ]
	[ "$(gw_field "$line" vn_sent)" -ge 150 ]
	[ "$(gw_field "$line" dropped)" -ge 3000 ]
	after=$(kmem_kib)
	echo "kernel memory: $before KiB before, $after KiB after"
	[ $((after - before)) -lt 2048 ]
	gw_start client "$TOPO_NS_GW" "$(gw_psk_client_conf)"
	assert_established_pair
	run dmesg_since_mark
	refute_output --regexp 'BUG|WARNING|Oops'
}

@test "the handshake completes with 30% loss each way (QUIC v2)" {
	topo_set_link 0 "delay=5ms loss=30%"
	gw_start server "$TOPO_NS_SRV" "$(gw_psk_server_conf)"
	gw_wait_log server "listening"
	gw_start client "$TOPO_NS_GW" "$(gw_psk_client_conf gw1 "$PSK" 30 Version=2)"
	gw_wait "$TOPO_NS_GW" "state established version 0x6b3343cf" 60
	gw_wait "$TOPO_NS_SRV" "state established version 0x6b3343cf" 60
	gw_conns "$TOPO_NS_GW"
	gw_conns "$TOPO_NS_SRV"
}

only_second_attempt() {
	local c
	c=$(gw_conns "$TOPO_NS_GW")
	[ "$(echo "$c" | grep -c .)" = 1 ] && echo "$c" | grep -q 'state handshake'
}

@test "an unreachable server: the client gives up at the idle timeout and leaks nothing" {
	local before after
	before=$(kmem_kib)
	gw_start client "$TOPO_NS_GW" "$(gw_psk_client_conf gw1 "$PSK" 3)"
	gw_wait "$TOPO_NS_GW" "state handshake" 10
	gw_wait_log client "closed: our transport error 0x0" 20
	# and tries again
	gw_wait_log client "connection 2: connecting" 10
	# the first attempt is gone; only the second is left, in its handshake
	gw_until 10 only_second_attempt
	run gw_conns "$TOPO_NS_GW"
	assert_line --index 0 --partial "state handshake"
	[ "${#lines[@]}" = 1 ]
	# and it closes with its owner
	gw_stop client
	gw_until 15 gw_no_conns "$TOPO_NS_GW"
	run gw_conns "$TOPO_NS_GW"
	assert_output ""
	tquic_unload
	after=$(kmem_kib)
	echo "kernel memory: $before KiB before, $after KiB after unload"
	[ $((after - before)) -lt 512 ]
}
