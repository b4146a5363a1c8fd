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
	tquic_unload_if_loaded
	topo_set_link 0 "delay=5ms"
}

server_psk_conf() {
	cat <<-CONF
	[Tunnel]
	Role=server
	Listen=$SRV_ADDR:$GW_PORT
	IdleTimeoutSec=${1:-30}
	[Client:gw1]
	PSK=$PSK
	CONF
}

client_psk_conf() {
	cat <<-CONF
	[Tunnel]
	Role=client
	Server=$SRV_ADDR:$GW_PORT
	IdleTimeoutSec=${3:-30}
	[Auth]
	Name=${1:-gw1}
	PSK=${2:-$PSK}
	CONF
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
	gw_start server "$TOPO_NS_SRV" "$(server_psk_conf)"
	gw_wait_log server "listening"
	gw_start client "$TOPO_NS_GW" "$(client_psk_conf)"
	assert_established_pair
	gw_wait_log server "handshake with .*(gw1) complete"
	gw_wait_log client "handshake with .* complete"
}
