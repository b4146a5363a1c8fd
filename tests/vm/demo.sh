#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo, inside the VM: build the lab with three WAN links (20/8/4
# Mbit/s, 5/15/30 ms one way), show it and measure each link; then start
# both gatewayds, bond the LAN with the stock nft rule, and download a file
# through the bond: its goodput beside the link's rate, checked by SHA-256,
# and what the kernel counted.

HERE=$TQUIC_TOP/tests/vm
. "$HERE/lib/topology.bash"
. "$HERE/lib/measure.bash"
. "$HERE/lib/tquic.bash"
. "$HERE/lib/gatewayd.bash"
. "$HERE/lib/dataplane.bash"

set -e
export BATS_FILE_TMPDIR=/tmp
trap 'dp_stop; topo_destroy' EXIT

SPECS=("rate=20mbit delay=5ms" "rate=8mbit delay=15ms" "rate=4mbit delay=30ms")
topo_create "${SPECS[@]}"

echo
echo "TQUIC gateway lab: LAN host, client gateway with ${#SPECS[@]} WAN links, aggregation server, internet host"
echo
topo_show
echo
echo "== each WAN link, measured (ping 10x, iperf3 TCP 3 s)"
for i in "${!SPECS[@]}"; do
	read -r rtt _ loss < <(link_ping "$i" 10 0.1)
	mbps=$(link_tcp_mbps "$i" 3)
	printf '   wan%d  %-28s rtt %6s ms  loss %s%%  tcp %s Mbit/s\n' \
		"$i" "${SPECS[$i]}" "$rtt" "$loss" "$mbps"
done
echo
echo "== the bond: both gatewayds (PSK), and on the client gateway only"
echo "   nft add rule inet filter forward iifname lan0 ct label set tquic-bond"
PSK=$(gw_psk)
dp_start
echo "   (one path for now: the connection takes the gateway's default route, wan0)"
echo
echo "== a LAN host downloads 16 MiB from the internet host through the bond"
read -r sent got mbps < <(dp_transfer_file down 16 2>/dev/null)
if [ -n "$sent" ] && [ "$sent" = "$got" ]; then ok="SHA-256 match"; else ok="SHA-256 MISMATCH"; fi
printf '   goodput %s Mbit/s over wan0 (%s): %s\n' "$mbps" "${SPECS[0]}" "$ok"
echo
echo "== tquicctl connections (client gateway)"
gw_conns "$TOPO_NS_GW" | tr ' ' '\n' | paste -d' ' - - | sed 's/^/   /' | paste - - - -
echo
echo "== /proc/net/tquic (client gateway)"
in_gw cat /proc/net/tquic | sed 's/^/   /'
echo
echo "Bonding all three links at once comes with the multipath issue."
