#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# Interop: an independent QUIC implementation (Debian's libngtcp2 with its
# GnuTLS helper, tests/tools/ngclient.c) against tquic-gatewayd's server,
# and tshark reading what our two ends say to each other.

bats_require_minimum_version 1.5.0
bats_load_library bats-support
bats_load_library bats-assert
load lib/tquic
load lib/topology
load lib/gatewayd

NGCLIENT="$TQUIC_TOP/tests/tools/tq-ngclient"

setup_file() {
	topo_create "delay=5ms"
	export CERTS="$BATS_FILE_TMPDIR/certs"
	gw_make_certs "$CERTS"
}

teardown_file() {
	topo_destroy
}

setup() {
	tquic_load
	dmesg_mark
}

teardown() {
	gw_stop client || true
	gw_stop server || true
	gw_unblock "$TOPO_NS_SRV" 2>/dev/null || true
	tquic_unload_if_loaded
}

# server_conf [TUNNEL_LINES [MORE_SECTIONS]]
server_conf() {
	cat <<-CONF
	[Tunnel]
	Role=server
	Listen=$SRV_ADDR:$GW_PORT
	$1
	[Auth]
	CertificateFile=$CERTS/srv.pem
	KeyFile=$CERTS/srv.key
	$2
	CONF
}

start_server() {
	gw_start server "$TOPO_NS_SRV" "$(server_conf "${1:-}" "${2:-}")"
	gw_wait_log server "listening"
}

ngclient() {
	in_gw "$NGCLIENT" -c "$CERTS/ca.pem" -n tquic.test "$@" "$SRV_ADDR" "$GW_PORT"
}

@test "ngtcp2 client: handshake, 1-RTT PINGs acknowledged, key update, clean close" {
	local out="$BATS_TEST_TMPDIR/ngclient.out" pid
	start_server
	# -w 3: three more seconds of PINGs while we look at the server
	ngclient -p 5 -u -w 3 -t 30 > "$out" &
	pid=$!
	# the server followed the client's key update
	gw_wait "$TOPO_NS_SRV" "state established .* key_updates 1 cids_issued 4" 30
	gw_conns "$TOPO_NS_SRV"
	wait "$pid"
	cat "$out"
	[[ "$(cat "$out")" =~ ^"conn 1: established, version 0x00000001, "([0-9]+)" 1-RTT PINGs acknowledged, key update confirmed, "([0-9]+)" PINGs acknowledged under the new keys, "([0-9]+)" new CIDs from the server, closed"$ ]]
	[ "${BASH_REMATCH[1]}" -ge 5 ]
	[ "${BASH_REMATCH[2]}" -ge 5 ]
	# our four CIDs (RFC 9000 §5.1.1): the handshake's and three more
	[ "${BASH_REMATCH[3]}" -eq 3 ]
	gw_wait_log server "handshake with $(wan_gw_addr 0):[0-9]* complete"
	gw_log server
	# the client's CONNECTION_CLOSE: the server drains and lets go
	gw_until 15 gw_no_conns "$TOPO_NS_SRV"
	run dmesg_since_mark
	refute_output --regexp 'BUG|WARNING|Oops'
}

@test "ngtcp2 client: a server that forgot the connection ends it with a stateless reset ngtcp2 believes" {
	local out="$BATS_TEST_TMPDIR/ngclient.out" pid
	start_server
	# PINGs every 20 ms for up to 30 s
	ngclient -p 3 -w 30 -t 40 > "$out" &
	pid=$!
	gw_wait "$TOPO_NS_SRV" "state established" 30
	gw_forget "$TOPO_NS_SRV"
	gw_unblock "$TOPO_NS_SRV"
	status=0
	wait "$pid" || status=$?
	[ "$status" = 1 ]
	cat "$out"
	run cat "$out"
	assert_output --partial "conn 1: failed (stateless reset from the server): handshake completed"
	gw_proc "$TOPO_NS_SRV" | grep -E '^stateless_resets sent [1-9]'
	run dmesg_since_mark
	refute_output --regexp 'BUG|WARNING|Oops'
}

@test "ngtcp2 client: a wrong ALPN is refused with no_application_protocol, logged; the next client gets in" {
	start_server
	run ngclient -a h3 -p 1
	echo "$output"
	assert_failure 1
	# CRYPTO_ERROR 0x100 + alert 120 (RFC 9001 §4.8, §8.1)
	assert_output --partial "closed by the server: transport error 0x178"
	gw_wait_log server "handshake with .* failed: .*(TLS alert 120)"
	gw_log server | grep failed
	run gw_conns "$TOPO_NS_SRV"
	refute_output --partial "state established"
	run ngclient -p 1
	assert_success
	assert_output --partial "conn 1: established"
}

# psk_client_conf PSK [AUTH_LINE]: a gatewayd client named gw1
psk_client_conf() {
	cat <<-CONF
	[Tunnel]
	Role=client
	Server=$SRV_ADDR:$GW_PORT
	[Auth]
	Name=gw1
	PSK=$1
	${2:-}
	CONF
}

listener_field() {
	gw_field "$(in_srv grep '^listener' /proc/net/tquic)" "$1"
}

# listener_dropped_at_least N: read afresh at each call, for gw_until
listener_dropped_at_least() { [ "$(listener_field dropped)" -ge "$1" ]; }

srv_conns_at_least() {
	[ "$(in_srv sed -n 's/^connections //p' /proc/net/tquic)" -ge "$1" ]
}

@test "Retry=always: ngtcp2 and our own client complete the handshake after a Retry; junk with forged tokens is dropped unanswered" {
	local psk dropped
	psk=$(gw_psk)
	start_server "Retry=always" "[Client:gw1]
PSK=$psk"
	in_srv cat /proc/net/tquic
	[ "$(listener_field retry)" = always ]
	run ngclient -p 2
	echo "$output"
	assert_success
	assert_output --partial "conn 1: established after a Retry, version 0x00000001, "
	[ "$(listener_field retry_sent)" = 1 ]
	# our client: the server's transport parameters name the Retry's CID
	gw_start client "$TOPO_NS_GW" "$(psk_client_conf "$psk")"
	gw_wait "$TOPO_NS_GW" "state established" 30
	gw_wait "$TOPO_NS_SRV" "state established" 30
	[ "$(listener_field retry_sent)" = 2 ]
	# junk Initials with forged tokens: they do not decrypt, so they are
	# dropped unanswered (RFC 9000 §8.1.2: INVALID_TOKEN answers an
	# Initial that is otherwise valid; the unit tests show that close)
	dropped=$(listener_field dropped)
	in_gw "$TQUIC_TOP/tests/tools/quicjunk" "$SRV_ADDR" "$GW_PORT" token 500
	gw_until 30 listener_dropped_at_least $((dropped + 500)) || true
	in_srv cat /proc/net/tquic
	[ "$(listener_field dropped)" -ge $((dropped + 500)) ]
	[ "$(listener_field bad_token)" = 0 ]
	[ "$(listener_field token_closes)" = 0 ]
	[ "$(listener_field accepted)" = 2 ]
	run gw_conns "$TOPO_NS_SRV"
	[ "$(echo "$output" | grep -c 'state established')" = 1 ]
}

@test "Retry=auto: with 64 handshakes half-open, the next client gets a Retry and gets in" {
	start_server
	run ngclient -k 64 -s
	assert_success
	gw_until 20 srv_conns_at_least 64
	[ "$(listener_field retry_sent)" = 0 ]
	run ngclient -p 1
	echo "$output"
	assert_success
	assert_output --partial "conn 1: established after a Retry, "
	[ "$(listener_field retry_sent)" -ge 1 ]
}

@test "tshark decrypts a captured handshake between two gatewayds with the key log: no malformed packet" {
	local cap="$BATS_TEST_TMPDIR/wan0.pcapng" keys="$BATS_TEST_TMPDIR/keylog"
	local fields="$BATS_TEST_TMPDIR/fields" psk
	psk=$(gw_psk)
	ip netns exec "$TOPO_NS_SRV" dumpcap -i wan0 -f "udp port $GW_PORT" \
		-w "$cap" 2> "$BATS_TEST_TMPDIR/dumpcap.log" &
	gw_until 60 grep -q "Capturing on" "$BATS_TEST_TMPDIR/dumpcap.log"
	gw_start server "$TOPO_NS_SRV" "$(cat <<-CONF
	[Tunnel]
	Role=server
	Listen=$SRV_ADDR:$GW_PORT
	[Client:gw1]
	PSK=$psk
	CONF
	)"
	gw_wait_log server "listening"
	gw_start client "$TOPO_NS_GW" "$(psk_client_conf "$psk" "KeyLogFile=$keys")"
	gw_wait "$TOPO_NS_SRV" "state established" 30
	gw_wait "$TOPO_NS_GW" "state established" 30
	sleep 1
	# established connections outlive their daemons; the module's exit
	# closes them (CONNECTION_CLOSE, NO_ERROR)
	gw_stop client
	gw_stop server
	tquic_unload
	sleep 1
	pkill -TERM -x dumpcap
	wait
	cat "$BATS_TEST_TMPDIR/dumpcap.log"
	# per packet: number, long header type, frame types, ALPN, time, source
	tshark -n -r "$cap" -o "tls.keylog_file:$keys" -T fields \
		-e frame.number -e quic.long.packet_type -e quic.frame_type \
		-e tls.handshake.extensions_alpn_str -e frame.time_relative \
		-e ip.src > "$fields"
	cat "$fields"
	# every level decrypted: CRYPTO (6) in Initial (0) and Handshake (2)
	# packets, the ALPN in the ClientHello, HANDSHAKE_DONE (0x1e) in
	# 1-RTT, CONNECTION_CLOSE (0x1c) when the module went
	awk -F'\t' '$2 ~ /(^|,)0(,|$)/ && $3 ~ /(^|,)6(,|$)/' "$fields" | grep -q .
	awk -F'\t' '$2 ~ /(^|,)2(,|$)/ && $3 ~ /(^|,)6(,|$)/' "$fields" | grep -q .
	cut -f4 "$fields" | grep -qx "tquic/1"
	cut -f3 "$fields" | grep -Eq '(^|,)30(,|$)'
	cut -f3 "$fields" | grep -Eq '(^|,)28(,|$)'
	# nothing tshark could not decrypt or parse
	run --separate-stderr tshark -n -r "$cap" -o "tls.keylog_file:$keys" \
		-Y "_ws.malformed || _ws.expert.severity >= 0x00800000 || quic.decryption_failed"
	assert_success
	assert_output ""
}

@test "1000 ngtcp2 handshakes in a row: all succeed, slab memory does not grow" {
	local before after
	start_server
	# warm up the caches a handshake touches
	run ngclient -k 20 -p 0
	assert_success
	gw_until 15 gw_no_conns "$TOPO_NS_SRV"
	# conntrack (on in the server's namespace: gatewayd bonds by default)
	# keeps an entry per client port for minutes; those are netfilter's,
	# not the module's
	in_srv conntrack -F >/dev/null 2>&1 || true
	sleep 1
	before=$(slab_kib)
	run ngclient -k 1000 -p 0 -t 20
	echo "${lines[-1]}"
	assert_success
	assert_line "1000 of 1000 connections succeeded"
	gw_until 30 gw_no_conns "$TOPO_NS_SRV"
	run in_srv cat /proc/net/tquic
	assert_line --regexp '^connections 0$'
	line=$(in_srv grep '^listener' /proc/net/tquic)
	echo "$line"
	[ "$(gw_field "$line" accepted)" -ge 1020 ]
	in_srv conntrack -F >/dev/null 2>&1 || true
	sleep 1
	after=$(slab_kib)
	echo "# slab: $before KiB before, $after KiB after 1000 handshakes" >&3
	[ $((after - before)) -lt 256 ]
}
