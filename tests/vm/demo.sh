#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo, inside the VM: load tquic.ko, build the lab with three WAN
# links (20/8/4 Mbit/s, 5/15/30 ms one way), show it, and measure each link.

HERE=$TQUIC_TOP/tests/vm
. "$HERE/lib/topology.bash"
. "$HERE/lib/measure.bash"
. "$HERE/lib/tquic.bash"

set -e
tquic_load
trap 'topo_destroy; tquic_unload_if_loaded' EXIT

SPECS=("rate=20mbit delay=5ms" "rate=8mbit delay=15ms" "rate=4mbit delay=30ms")
topo_create "${SPECS[@]}"

echo
echo "TQUIC gateway lab: LAN host, client gateway with ${#SPECS[@]} WAN links, aggregation server, internet host"
echo
topo_show
echo
echo "== tquic.ko in the client gateway's namespace (/proc/net/tquic)"
in_gw cat /proc/net/tquic | sed 's/^/   /'
echo
echo "== each WAN link, measured (ping 10x, iperf3 TCP 3 s)"
for i in "${!SPECS[@]}"; do
	read -r rtt _ loss < <(link_ping "$i" 10 0.1)
	mbps=$(link_tcp_mbps "$i" 3)
	printf '   wan%d  %-28s rtt %6s ms  loss %s%%  tcp %s Mbit/s\n' \
		"$i" "${SPECS[$i]}" "$rtt" "$loss" "$mbps"
done
echo
echo "Bonding these links into one connection comes with the next issues."
