#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# The bonding data plane, single path: a LAN host's flows, selected by the
# stock nft rule `ct label set tquic-bond` on the client gateway, cross the
# QUIC connection, leave the server masqueraded, and their replies come
# back. Every transfer is checked end to end by SHA-256.

bats_load_library bats-support
bats_load_library bats-assert
load lib/tquic
load lib/topology
load lib/gatewayd
load lib/dataplane

setup_file() {
	topo_create "rate=20mbit delay=10ms limit=200"
}

teardown_file() {
	topo_destroy
}

setup() {
	dmesg_mark
	PSK=$(gw_psk)
	dp_start
}

teardown() {
	dp_stop
	gw_stop client2
	dp_site2_destroy
	in_gw ip link set wan0 mtu 1500
	in_srv ip link set wan0 mtu 1500
	dmesg_since_mark | grep -E 'BUG|WARNING|Oops' && return 1
	return 0
}

# "SENT RECEIVED MBPS": both hashes equal, some goodput
assert_transfer() {
	local sent got mbps
	read -r sent got mbps <<<"$1"
	echo "sent $sent received $got at $mbps Mbit/s"
	[ -n "$sent" ] && [ "$sent" = "$got" ]
}

@test "a LAN host's TCP upload and download cross the bond intact, on streams, masqueraded at the server" {
	local r before gs ss
	before=$(dp_counter "$TOPO_NS_GW" bonded)
	gs=$(dp_counter "$TOPO_NS_GW" streams)
	ss=$(dp_counter "$TOPO_NS_SRV" streams)
	r=$(dp_transfer_file up 8)
	assert_transfer "$r"
	r=$(dp_transfer_file down 8)
	assert_transfer "$r"
	# the packets went through tquic0, not around it (the hook counts
	# what the stack hands it, segmentation offloads not yet split)
	[ "$(dp_counter "$TOPO_NS_GW" bonded)" -gt $((before + 1000)) ]
	gw_conns "$TOPO_NS_GW"
	gw_proc "$TOPO_NS_GW"
	gw_proc "$TOPO_NS_SRV"
	# each direction of each TCP flow got a stream of its own on the side
	# that sends it (the control connection and the data connection)
	[ "$(dp_counter "$TOPO_NS_GW" streams)" -ge $((gs + 2)) ]
	[ "$(dp_counter "$TOPO_NS_SRV" streams)" -ge $((ss + 2)) ]
	[ "$(dp_counter "$TOPO_NS_GW" stream_fallback)" -eq 0 ]
	# and the connections say so: the client opened them, the server too
	[ "$(gw_field "$(gw_conns "$TOPO_NS_GW")" streams_tx)" -ge 2 ]
	[ "$(gw_field "$(gw_conns "$TOPO_NS_GW")" streams_rx)" -ge 2 ]
	[ "$(gw_field "$(gw_conns "$TOPO_NS_SRV")" streams_tx)" -ge 2 ]
	# and no TCP packet needed a DATAGRAM frame
	[ "$(gw_field "$(gw_conns "$TOPO_NS_GW")" dgrams_tx)" -lt 100 ]
	# the internet host saw the server's address, not the LAN host's
	[ "$(dp_seen_from 5302)" = "$SRV_INET" ]
}

@test "ping and UDP cross the bond" {
	run in_lan ping -n -c 5 -i 0.2 -W 2 "$INET_HOST"
	echo "$output"
	assert_success
	in_inet iperf3 -s -1 -p 5303 >/dev/null 2>&1 &
	spid=$!
	dp_iperf_wait "$TOPO_NS_INET" 5303
	# 1200-byte datagrams: iperf3 would size them by the TCP MSS, and
	# what does not fit one DATAGRAM frame is refused (the MTU test)
	run in_lan iperf3 -u -c "$INET_HOST" -p 5303 -b 5M -t 3 -f m -l 1200
	wait "$spid"
	echo "$output"
	assert_success
	# what the receiver got: lost/total in the last report line
	echo "$output" | awk '/receiver$/ { split($(NF - 2), a, "/"); exit !(a[2] > 0 && a[1] / a[2] < 0.1) }'
	# UDP rides DATAGRAM frames, none of them taken for a second copy
	[ "$(gw_field "$(gw_conns "$TOPO_NS_GW")" dgrams_tx)" -gt 1000 ]
	[ "$(dp_counter "$TOPO_NS_SRV" dgram_dup)" -eq 0 ]
}

@test "an IPv6 flow crosses the bond" {
	run in_lan ping -6 -n -c 3 -i 0.2 -W 2 "$INET_HOST6"
	echo "$output"
	assert_success
	assert_transfer "$(dp_transfer_file up 2 -6)"
}

@test "unlabelled traffic leaves the WAN directly; without the rule new flows are not bonded" {
	local before
	# mark only TCP to port 5302: everything else goes around
	in_gw nft flush chain inet tquic_test forward
	in_gw nft add rule inet tquic_test forward iifname lan0 tcp dport 5302 ct label set tquic-bond
	before=$(dp_counter "$TOPO_NS_GW" bonded)
	# the gateway's own WAN address, masqueraded by the gateway
	[ "$(dp_seen_from 5304)" = "$(wan_gw_addr 0)" ]
	[ "$(dp_counter "$TOPO_NS_GW" bonded)" -eq "$before" ]
	in_gw nft flush chain inet tquic_test forward
	[ "$(dp_seen_from 5302)" = "$(wan_gw_addr 0)" ]
	[ "$(dp_counter "$TOPO_NS_GW" bonded)" -eq "$before" ]
}

@test "a flow the filter chain drops is never bonded" {
	local before
	in_gw nft add chain inet tquic_test early '{ type filter hook forward priority -10; }'
	in_gw nft add rule inet tquic_test early tcp dport 5305 drop
	in_gw nft insert rule inet tquic_test forward iifname lan0 tcp dport 5305 ct label set tquic-bond
	before=$(dp_counter "$TOPO_NS_GW" bonded)
	run in_lan timeout 5 iperf3 -c "$INET_HOST" -p 5305 -n 10K --connect-timeout 2000
	assert_failure
	[ "$(dp_counter "$TOPO_NS_GW" bonded)" -eq "$before" ]
}

@test "rmmod after traffic: clean unload, slab back where it was" {
	local before after
	dp_stop
	before=$(slab_kib)
	dp_start
	assert_transfer "$(dp_transfer_file up 4)"
	assert_transfer "$(dp_transfer_file down 4)"
	dp_stop
	after=$(slab_kib)
	echo "slab before $before KiB, after $after KiB"
	# within 2 MiB: the kernel's own caches move too
	[ "$after" -le $((before + 2048)) ]
	dp_start
}

@test "two clients with the same LAN prefix transfer at once, each getting its own replies" {
	local psk2 p1 p2 s1 g1 m1 s2 g2 m2
	dp_stop
	psk2=$(gw_psk)
	DP_SERVER_CLIENTS="[Client:gw2]
PSK=$psk2"
	dp_start
	dp_site2_create
	gw_start client2 "$DP_NS_GW2" "$(gw_psk_client_conf gw2 "$psk2" 30 "Bond=yes")"
	gw_wait "$DP_NS_GW2" "state established" 30
	gw_until 30 eval '[ "$(gw_conns "$TOPO_NS_SRV" | grep -c " zone [0-9]")" = 2 ]'
	gw_conns "$TOPO_NS_SRV"
	dp_upload "$TOPO_NS_LAN" 5310 6 > /tmp/dp-r1 &
	p1=$!
	dp_upload "$DP_NS_LAN2" 5311 6 > /tmp/dp-r2 &
	p2=$!
	wait $p1 $p2
	read -r s1 g1 m1 < /tmp/dp-r1
	read -r s2 g2 m2 < /tmp/dp-r2
	echo "site 1: $s1 $g1 $m1 Mbit/s"
	echo "site 2: $s2 $g2 $m2 Mbit/s"
	gw_stop client2
	dp_site2_destroy
	DP_SERVER_CLIENTS=
	[ -n "$s1" ] && [ "$s1" = "$g1" ]
	[ -n "$s2" ] && [ "$s2" = "$g2" ]
	[ "$s1" != "$s2" ]
}

@test "through a 1400-byte WAN MTU: 1500-byte inner TCP packets cross whole on their stream; a UDP packet too big for a datagram gets ICMP" {
	local r r2 tb out
	dp_stop
	in_gw ip link set wan0 mtu 1400
	in_srv ip link set wan0 mtu 1400
	dp_start
	in_lan ip link show eth0 | grep 'mtu 1500'
	# the WAN's MTU does not bound TCP: no MSS clamping, no ICMP
	in_gw ip link show tquic0 | grep 'mtu 1500'
	r=$(dp_transfer_file up 4)
	r2=$(dp_transfer_file down 4)
	gw_proc "$TOPO_NS_GW"
	[ "$(dp_counter "$TOPO_NS_GW" mss_clamped)" -eq 0 ]
	# one DATAGRAM frame carries 1400 - 20 - 8 - 32 = 1340 bytes, 1332
	# of them the inner packet behind its flow tag: a 1378-byte ping with
	# DF set (which the WAN link would take) is refused with that size,
	# a 1228-byte one crosses
	tb=$(dp_counter "$TOPO_NS_GW" too_big)
	out=$(in_lan ping -n -c 1 -W 2 -M do -s 1350 "$INET_HOST" 2>&1) && return 1
	echo "$out"
	in_lan ping -n -c 1 -W 2 -M do -s 1200 "$INET_HOST"
	# the LAN host forgets the path MTU it learnt (kept with its route)
	in_lan ip route del default
	in_lan ip route add default via "$GW_LAN"
	in_gw ip link set wan0 mtu 1500
	in_srv ip link set wan0 mtu 1500
	assert_transfer "$r"
	assert_transfer "$r2"
	[[ $out == *"mtu = 1332"* ]]
	[ "$(dp_counter "$TOPO_NS_GW" too_big)" -gt "$tb" ]
}

@test "latency under load: with fq_codel on tquic0, ping through a saturated bond stays within 30 ms of idle" {
	local idle fq fifo
	idle=$(dp_ping_avg 20)
	in_gw tc qdisc replace dev tquic0 root fq_codel
	in_srv tc qdisc replace dev tquic0 root fq_codel
	fq=$(dp_loaded_ping)
	in_gw tc qdisc replace dev tquic0 root pfifo limit 1000
	in_srv tc qdisc replace dev tquic0 root pfifo limit 1000
	fifo=$(dp_loaded_ping)
	echo "# ping through the bond: idle $idle ms, under load $fq ms with fq_codel, $fifo ms with pfifo" >&3
	awk -v i="$idle" -v l="$fq" 'BEGIN { exit !(i != "nan" && l != "nan" && l - i <= 30) }'
}

@test "bad input: 100k random datagrams at the server's port and conntrack flushes mid-transfer lose nothing else" {
	local r junk flush ended
	UDPJUNK="$TQUIC_TOP/tests/tools/udpjunk.pl"
	# junk from the internet at the server's QUIC port, during a transfer
	in_inet perl "$UDPJUNK" "$SRV_ADDR" "$GW_PORT" 100000 > /tmp/dp-junk.log 2>&1 &
	junk=$!
	r=$(dp_transfer_file up 8)
	wait "$junk"
	cat /tmp/dp-junk.log
	assert_transfer "$r"
	gw_proc "$TOPO_NS_SRV"
	# the connection survived it
	gw_conns "$TOPO_NS_SRV" | grep -q "state established"
	# the client gateway's conntrack flushed mid-transfer: the rule labels
	# the flow's new entry and it stays bonded
	ended=$(dp_counter "$TOPO_NS_GW" streams_ended)
	( sleep 2; in_gw conntrack -F ) &
	flush=$!
	r=$(dp_transfer_file up 8)
	wait "$flush"
	assert_transfer "$r"
	# the flushed flows' streams were finished (within the 1 s sweep)
	gw_until 5 eval '[ "$(dp_counter "$TOPO_NS_GW" streams_ended)" -gt "$ended" ]'
	# the server's flushed: its NAT of that flow is gone, but new flows
	# and the connection are fine
	in_srv conntrack -F
	assert_transfer "$(dp_transfer_file down 2)"
	gw_conns "$TOPO_NS_GW" | grep -q "state established"
}
