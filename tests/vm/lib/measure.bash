# SPDX-License-Identifier: GPL-2.0
#
# Measurements over the lab (lib/topology.bash): ping round-trip time and
# loss, iperf3 throughput. Each helper prints one number.

# link_ping I COUNT INTERVAL: "AVG_RTT_MS MDEV_MS LOSS_PERCENT" of COUNT
# pings from the gateway's side of WAN link I to the server's side, after one
# warm-up ping.
link_ping() {
	local out
	# The first packet waits for neighbour resolution, itself delayed by
	# netem both ways: one ping first so that it does not skew the figures.
	in_gw ping -n -q -c 1 -W 2 -I "$(wan_gw_addr "$1")" "$(wan_srv_addr "$1")" >/dev/null 2>&1 || true
	out=$(in_gw ping -n -q -c "$2" -i "$3" -W 2 -I "$(wan_gw_addr "$1")" \
		"$(wan_srv_addr "$1")" 2>&1)
	local loss avg mdev
	loss=$(echo "$out" | grep -o '[0-9.]*% packet loss' | cut -d% -f1)
	avg=$(echo "$out" | awk -F' = ' '/^rtt / { split($2, v, "/"); print v[2] }')
	mdev=$(echo "$out" | awk -F' = ' '/^rtt / { split($2, v, "/"); print v[4] + 0 }')
	echo "${avg:-nan} ${mdev:-nan} ${loss:-nan}"
}

# link_tcp_mbps I SECONDS [-R]: TCP goodput in Mbit/s over WAN link I, gateway
# to server (with -R server to gateway), one iperf3 flow, as the receiver saw it.
link_tcp_mbps() {
	local i=$1 secs=$2 rev=${3:-} port=$((5201 + $1)) out
	in_srv iperf3 -s -1 -B "$(wan_srv_addr "$i")" -p "$port" >/dev/null 2>&1 &
	local spid=$!
	local try
	for try in $(seq 1 50); do
		in_srv ss -ltn "sport = :$port" | grep -q LISTEN && break
		sleep 0.1
	done
	out=$(in_gw iperf3 -c "$(wan_srv_addr "$i")" -B "$(wan_gw_addr "$i")" \
		-p "$port" -t "$secs" -f m $rev 2>&1)
	wait "$spid" 2>/dev/null
	echo "$out" | awk '/receiver$/ { for (f = 1; f < NF; f++) if ($(f + 1) == "Mbits/sec") v = $f } END { print (v == "" ? "nan" : v) }'
}

# within VALUE LOW HIGH: true when LOW <= VALUE <= HIGH (decimals allowed).
within() {
	awk -v v="$1" -v lo="$2" -v hi="$3" 'BEGIN { exit !(v != "nan" && v + 0 >= lo + 0 && v + 0 <= hi + 0) }'
}
