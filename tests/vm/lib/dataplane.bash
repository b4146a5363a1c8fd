# SPDX-License-Identifier: GPL-2.0
#
# The bonding data plane over the lab (lib/topology.bash): a server and a
# client gatewayd with Bond=yes, the server masquerading what leaves its
# internet link, the client gateway masquerading what leaves a WAN directly
# (as any router does), and the stock nft rule that bonds the LAN's flows.

DP_RULES_CLIENT='
table inet tquic_test {
	chain forward {
		type filter hook forward priority filter; policy accept;
		iifname "lan0" ct label set tquic-bond
	}
	chain postrouting {
		type nat hook postrouting priority srcnat; policy accept;
		oifname "wan*" masquerade
	}
}'

DP_RULES_SERVER='
table inet tquic_test {
	chain postrouting {
		type nat hook postrouting priority srcnat; policy accept;
		iifname "tquic0" oifname "inet0" masquerade
	}
}'

# dp_start [SERVER_LINE [CLIENT_LINE]]: module loaded, both daemons up and
# connected, the rules in place.
dp_start() {
	tquic_load || return 1
	in_srv nft -f - <<<"$DP_RULES_SERVER" || return 1
	in_gw nft -f - <<<"$DP_RULES_CLIENT" || return 1
	gw_start server "$TOPO_NS_SRV" "$(gw_psk_server_conf 30 "Bond=yes
${1:-}")
${DP_SERVER_CLIENTS:-}" || return 1
	gw_wait_log server "listening" || return 1
	gw_start client "$TOPO_NS_GW" "$(gw_psk_client_conf gw1 "$PSK" 30 \
		"Bond=yes
KeepAliveSec=5
${2:-}")" || return 1
	gw_wait "$TOPO_NS_GW" "state established" 30 || return 1
	# the server's connection has its zone once it carries flows
	gw_wait "$TOPO_NS_SRV" " zone [0-9]" 30
}

dp_stop() {
	gw_stop client
	gw_stop server
	in_gw nft delete table inet tquic_test 2>/dev/null
	in_srv nft delete table inet tquic_test 2>/dev/null
	tquic_unload_if_loaded
}

# dp_counter NS NAME: a data-plane counter of /proc/net/tquic in NS
dp_counter() {
	gw_proc "$1" | awk -v k="$2" '$1 == "dataplane" { for (i = 3; i < NF; i += 2) if ($i == k) print $(i + 1) }'
}

TCPFILE="$TQUIC_TOP/tests/tools/tcpfile.pl"

# dp_listening LOG: tcpfile.pl said it listens (polled, 10 s at most)
dp_listening() {
	local try
	for try in $(seq 1 100); do
		grep -q listening "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

# dp_iperf_wait NS PORT: an iperf3 server listens in NS
dp_iperf_wait() {
	local try
	for try in $(seq 1 100); do
		ip netns exec "$1" ss -ltn "sport = :$2" | grep -q LISTEN && return 0
		sleep 0.1
	done
	return 1
}

# dp_ping_avg N: the LAN host's average ping to the internet host over N
# pings 0.2 s apart, in ms; nan when none came back
dp_ping_avg() {
	in_lan ping -n -q -c "$1" -i 0.2 -W 2 "$INET_HOST" 2>/dev/null |
		awk -F' = ' '/^rtt / { split($2, v, "/"); r = v[2] } END { print (r == "" ? "nan" : r) }'
}

# dp_loaded_ping: dp_ping_avg 40 during a bulk download (iperf3 -R, the
# internet host sending to the LAN host) that saturates the bond
dp_loaded_ping() {
	local spid cpid avg
	in_inet iperf3 -s -1 -p 5401 > /dev/null 2>&1 &
	spid=$!
	dp_iperf_wait "$TOPO_NS_INET" 5401 || { kill "$spid" 2>/dev/null; echo nan; return; }
	in_lan iperf3 -c "$INET_HOST" -p 5401 -R -t 14 > /dev/null 2>&1 &
	cpid=$!
	sleep 4
	avg=$(dp_ping_avg 40)
	wait "$cpid" "$spid"
	echo "$avg"
}

# dp_seen_from PORT: the address the internet host sees a TCP connection
# from the LAN host to its PORT come from
dp_seen_from() {
	local spid log
	log=$(mktemp -p /tmp dp-seen.XXXXXX)
	in_inet iperf3 -s -1 -p "$1" > "$log" 2>&1 &
	spid=$!
	dp_iperf_wait "$TOPO_NS_INET" "$1" || return 1
	in_lan iperf3 -c "$INET_HOST" -p "$1" -n 100K >/dev/null
	wait "$spid"
	sed -n 's/.*Accepted connection from \([^,]*\),.*/\1/p' "$log"
	rm -f "$log"
}

# dp_xfer DIR NS_LAN PORT MIB [-6]: a file of MIB MiB of random bytes from
# NS_LAN's host to the internet host (DIR=up) or back (DIR=down), over one
# TCP connection the LAN host opens; prints "SENT_SHA RECEIVED_SHA MBPS"
# (MBPS: file bits over the wall-clock time of the transfer)
dp_xfer() {
	local dir=$1 ns=$2 port=$3 mib=$4 dst=$INET_HOST src out log t0 t1 spid
	[ "${5:-}" = -6 ] && dst=$INET_HOST6
	src=$(mktemp -p /tmp dp-src.XXXXXX)
	out=$(mktemp -p /tmp dp-out.XXXXXX)
	log=$(mktemp -p /tmp dp-log.XXXXXX)
	head -c "$((mib * 1048576))" /dev/urandom > "$src"
	t0=$(date +%s.%N)
	if [ "$dir" = up ]; then
		in_inet timeout 300 perl "$TCPFILE" recv "$port" "$out" > "$log" 2>&1 &
		spid=$!
		dp_listening "$log" || return 1
		t0=$(date +%s.%N)
		ip netns exec "$ns" timeout 300 perl "$TCPFILE" send "$dst" "$port" "$src" >&2
	else
		in_inet timeout 300 perl "$TCPFILE" serve "$port" "$src" > "$log" 2>&1 &
		spid=$!
		dp_listening "$log" || return 1
		t0=$(date +%s.%N)
		ip netns exec "$ns" timeout 300 perl "$TCPFILE" fetch "$dst" "$port" "$out" >&2
	fi
	wait "$spid"
	t1=$(date +%s.%N)
	echo "$(sha256sum < "$src" | cut -d' ' -f1) $(sha256sum < "$out" 2>/dev/null | cut -d' ' -f1) $(awk -v b=$((mib * 8388608)) -v t0="$t0" -v t1="$t1" 'BEGIN { printf "%.2f", b / (t1 - t0) / 1e6 }')"
	rm -f "$src" "$out" "$log"
}

# dp_transfer_file DIR MIB [-6]: dp_xfer from the lab's LAN host
dp_transfer_file() {
	dp_xfer "$1" "$TOPO_NS_LAN" 5301 "$2" "${3:-}"
}

# A second site: its own client gateway (tq-gw2) with its own WAN link to
# the server, and a LAN with the same prefix and the same host address as
# the first (tq-lan2: 192.0.2.10 behind 192.0.2.1).
DP_NS_GW2=tq-gw2
DP_NS_LAN2=tq-lan2
DP_GW2_WAN=198.51.100.130
DP_SRV_WAN2=198.51.100.129

dp_site2_create() {
	topo_ns_new "$DP_NS_GW2" || return 1
	topo_ns_new "$DP_NS_LAN2" || return 1
	ip -n "$DP_NS_GW2" link add lan0 type veth peer name eth0 netns "$DP_NS_LAN2"
	ip -n "$DP_NS_GW2" addr add "$GW_LAN/25" dev lan0
	ip -n "$DP_NS_LAN2" addr add "$LAN_HOST/25" dev eth0
	ip -n "$DP_NS_GW2" link set lan0 up
	ip -n "$DP_NS_LAN2" link set eth0 up
	ip -n "$DP_NS_LAN2" route add default via "$GW_LAN"
	ip -n "$DP_NS_GW2" link add wan0 type veth peer name site2 netns "$TOPO_NS_SRV"
	ip -n "$DP_NS_GW2" addr add "$DP_GW2_WAN/29" dev wan0
	ip -n "$TOPO_NS_SRV" addr add "$DP_SRV_WAN2/29" dev site2
	ip -n "$DP_NS_GW2" link set wan0 up
	ip -n "$TOPO_NS_SRV" link set site2 up
	ip -n "$DP_NS_GW2" route add default via "$DP_SRV_WAN2"
	ip netns exec "$DP_NS_GW2" tc qdisc replace dev wan0 root netem limit 200 delay 10ms rate 20mbit
	ip netns exec "$TOPO_NS_SRV" tc qdisc replace dev site2 root netem limit 200 delay 10ms rate 20mbit
	ip netns exec "$DP_NS_GW2" nft -f - <<<"$DP_RULES_CLIENT"
}

dp_site2_destroy() {
	ip netns del "$DP_NS_LAN2" 2>/dev/null
	ip netns del "$DP_NS_GW2" 2>/dev/null
	return 0
}

# dp_upload NS_LAN PORT MIB: dp_xfer up from NS_LAN's host
dp_upload() {
	dp_xfer up "$1" "$2" "$3"
}
