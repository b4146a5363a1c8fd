#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# Defects a review found in what had landed, each shown fixed: privilege
# (who may make the module allocate, who may see its connections), a
# CONNECT that never sent a ClientHello, netlink owners closing in bulk,
# CONNECTION_CLOSE when a namespace is deleted, allocations that must all
# come back.

bats_load_library bats-support
bats_load_library bats-assert
load lib/tquic
load lib/topology
load lib/gatewayd

TQNL="$TQUIC_TOP/tests/tools/tqnl"
# as_nobody CMD...: CMD as user nobody, without capabilities
as_nobody() {
	setpriv --reuid=65534 --regid=65534 --clear-groups "$@"
}

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
	ip netns del tq-hold 2>/dev/null || true
	tquic_unload_if_loaded
}

# objects: the module's live allocations, which /proc/net/tquic shows in
# the initial namespace only
objects() {
	awk '$1 == "objects" { print $2 }' /proc/net/tquic
}

objects_zero() { [ "$(objects)" = 0 ]; }

proc_field() {
	gw_proc "$1" | awk -v k="$2" '$1 == k { print $2 }'
}

# proc_is NS KEY VALUE: /proc/net/tquic of NS says KEY VALUE (read afresh
# at each call, for gw_until)
proc_is() { [ "$(proc_field "$1" "$2")" = "$3" ]; }

@test "unprivileged user namespace: LISTEN and CONNECT are refused with EPERM" {
	# a user with a user and network namespace of their own has
	# CAP_NET_ADMIN there, but not in the initial user namespace
	if [ -e /proc/sys/kernel/unprivileged_userns_clone ]; then
		sysctl -q -w kernel.unprivileged_userns_clone=1
	fi
	run as_nobody unshare -Urn sh -c "ip link set lo up; $TQNL listen 127.0.0.1 4500"
	echo "$output"
	assert_failure
	assert_output --partial "listen: Operation not permitted"
	run as_nobody unshare -Urn "$TQNL" connect 127.0.0.1 4500 1000 0
	echo "$output"
	assert_failure
	assert_output --partial "connect: Operation not permitted"
	# nothing was allocated on their behalf
	run objects
	assert_output 0
	# the administrator can
	run "$TQNL" listen 127.0.0.1 4500
	assert_success
	assert_output --regexp "^listener [0-9]+$"
}

@test "connection dump and /proc/net/tquic: only for CAP_NET_ADMIN" {
	run "$TQNL" dump
	assert_success
	assert_output "0 connections"
	run as_nobody "$TQNL" dump
	echo "$output"
	assert_failure
	assert_output --partial "dump: Operation not permitted"
	run as_nobody cat /proc/net/tquic
	assert_failure
	assert_output --partial "Permission denied"
	run cat /proc/net/tquic
	assert_success
	assert_output --partial "objects 0"
	# module-wide, so not shown inside another namespace
	ip netns add tq-hold
	run ip netns exec tq-hold cat /proc/net/tquic
	assert_success
	refute_output --partial "objects"
}

@test "a CONNECT without a ClientHello still ends at its idle timeout" {
	ip netns add tq-hold
	ip -n tq-hold link set lo up
	# the owner stays (it would close the handshake) and says nothing more
	ip netns exec tq-hold "$TQNL" connect 127.0.0.1 9 1000 20 3>&- &
	gw_until 5 proc_is tq-hold connections 1
	# 1 s idle timeout, at least 3 PTOs (RFC 9000 §10.1): about 4 s, well
	# before the owner lets go at 20 s
	gw_until 12 proc_is tq-hold connections 0
	run proc_field tq-hold connections
	assert_output 0
	kill %1
	wait
	run objects_zero
	assert_success
}

@test "200 netlink owners closing at once: none of their listeners is left" {
	ip netns add tq-hold
	ip -n tq-hold link set lo up
	run ip netns exec tq-hold "$TQNL" listen-many 200 127.0.0.1 5000
	assert_success
	assert_output "200 listeners"
	gw_until 10 proc_is tq-hold listeners 0
	run proc_field tq-hold listeners
	assert_output 0
	gw_until 10 objects_zero
	run objects
	assert_output 0
}

# Last in this file: it deletes the server's namespace.
@test "namespace deleted: its connections send CONNECTION_CLOSE before the devices go" {
	local pid
	gw_start server "$TOPO_NS_SRV" "$(gw_psk_server_conf)"
	gw_start client "$TOPO_NS_GW" "$(gw_psk_client_conf)"
	gw_wait "$TOPO_NS_GW" "state established" 30
	gw_wait "$TOPO_NS_SRV" "state established" 30
	# the server's daemon dies without a word; its connection stays in
	# the kernel until the namespace goes
	pid=$(cat "$(gw_dir)/server.pid")
	kill -KILL "$pid"
	wait "$pid" || true
	rm -f "$(gw_dir)/server.pid"
	ip netns del "$TOPO_NS_SRV"
	# the client hears NO_ERROR from the server at once (and drains),
	# rather than waiting out its idle timeout 30 s later
	gw_wait "$TOPO_NS_GW" "state draining .* error 0x0 remote" 10 ||
		{ gw_log client; gw_conns "$TOPO_NS_GW"; false; }
	# and its daemon is told when the draining ends (RFC 9000 §10.2.2)
	gw_wait_log client "closed: peer's transport error 0x0" 30
	gw_stop client
	gw_until 10 objects_zero
}
