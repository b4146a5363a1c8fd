#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# The lab's links carry the rate, delay and loss they were configured with.
# Tolerances: TCP over a link carries about 0.955 of its rate (headers with
# timestamps); the emulated CPU adds some delay of its own.

bats_load_library bats-support
bats_load_library bats-assert
load lib/topology
load lib/measure

# The hetero3 links of the bench, one entry per WAN.
WAN_SPECS=("rate=20mbit delay=5ms" "rate=8mbit delay=15ms" "rate=4mbit delay=30ms")

setup_file() {
	topo_create "${WAN_SPECS[@]}"
}

teardown_file() {
	topo_destroy
}

@test "lab: every host reaches its neighbours, the server has no route to the LAN" {
	in_lan ping -n -q -c 1 -W 2 "$GW_LAN"
	in_lan ping -6 -n -q -c 1 -W 2 "$GW_LAN6"
	in_inet ping -n -q -c 1 -W 2 "$SRV_ADDR"
	in_inet ping -6 -n -q -c 1 -W 2 "$SRV_ADDR6"
	# The gateway reaches the server's public address over its default route.
	in_gw ping -n -q -c 1 -W 2 "$SRV_ADDR"
	run in_srv ip route get 192.0.2.10
	assert_failure
}

@test "lab: traffic from a WAN address leaves by that WAN" {
	local i
	for i in 0 1 2; do
		run in_gw ip route get "$SRV_ADDR" from "$(wan_gw_addr "$i")"
		assert_success
		assert_output --partial "dev wan$i"
	done
}

@test "lab: each link's round-trip time is twice its one-way delay" {
	local i d rtt ok=0
	for i in 0 1 2; do
		d=$(topo_spec_get "${WAN_SPECS[$i]}" delay 0ms)
		d=${d%ms}
		read -r rtt _ _ < <(link_ping "$i" 10 0.1)
		echo "# wan$i: configured rtt $((2 * d)) ms, measured $rtt ms" >&3
		# netem never delivers early; the emulated CPU adds about 1 ms.
		within "$rtt" "$((2 * d))" "$(echo "2 * $d * 1.05 + 3" | bc -l)" || ok=1
	done
	return $ok
}

@test "lab: each link carries its configured rate, both directions" {
	local i rate mbps dir
	for i in 0 1 2; do
		rate=$(topo_spec_get "${WAN_SPECS[$i]}" rate 0mbit)
		rate=${rate%mbit}
		for dir in "" -R; do
			mbps=$(link_tcp_mbps "$i" 3 $dir)
			echo "# wan$i ${dir:-up}: configured $rate Mbit/s, TCP carried $mbps Mbit/s" >&3
			within "$mbps" "$(echo "$rate * 0.85" | bc -l)" "$rate"
		done
	done
}

@test "lab: loss and jitter apply as configured" {
	topo_set_link 2 "rate=4mbit delay=10ms jitter=3ms loss=20%"
	local rtt mdev loss
	read -r rtt mdev loss < <(link_ping 2 300 0.01)
	echo "# wan2 loss 20% each way: ping lost $loss% (expected 36%), mdev $mdev ms" >&3
	topo_set_link 2 "${WAN_SPECS[2]}"
	# 1 - 0.8^2 = 36% of echo round trips lost; 300 samples: sd 2.8 points.
	within "$loss" 24 48
	# jitter 3 ms each way: round trips vary by several ms.
	within "$mdev" 1.5 20
}
