#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench, inside the VM (tests/vm/run.sh -j tests/bench/vm-bench.sh):
# one TCP flow from the LAN host to the internet host, through the bond
# (tquic.ko, lib/dataplane.bash) and through WireGuard between the same two
# namespaces over the same WAN link, in two labs:
#
#   single20  one WAN link, 20 Mbit/s, 10 ms one way: goodput, and
#             efficiency = goodput / 20 Mbit/s
#   unshaped  one WAN link without a rate: the emulated CPU is the limit, so
#             throughput, and the CPU time per gigabyte carried (busy
#             jiffies of /proc/stat, all CPUs, over the iperf3 run, divided
#             by the bytes the receiver got; GB = 10^9 bytes)
#
# Each figure is the median of RUNS runs (tquic and WireGuard alternate,
# each tquic run on a fresh module and connection). The rows (scenario,
# system, metric, value, unit) go to $TQUIC_VM_RESULTS/bench.tsv, which is
# tests/vm/results/bench.tsv on the host (make bench merges it into
# build/bench/results.tsv); each run's iperf3 JSON and, when the bond did
# not come up, the daemons' logs go to tests/vm/results/bench/.
#
# Parameters, from the environment or else from the kernel command line
# (VM_APPEND="tqbench.runs=1 tqbench.secs=10" tests/vm/run.sh -j ...):
# RUNS (tqbench.runs, default 3) and BENCH_SECS (tqbench.secs, the
# seconds each iperf3 flow is measured, default 20).
#
# Nothing here asserts a timing: the status is 1 only when a measurement
# could not be made (a run that failed; its figures are "nan").

HERE=$TQUIC_TOP/tests/vm
. "$HERE/lib/topology.bash"
. "$HERE/lib/tquic.bash"
. "$HERE/lib/gatewayd.bash"
. "$HERE/lib/dataplane.bash"

# bench_param NAME DEFAULT: tqbench.NAME=VALUE of the kernel command line
bench_param() {
	local v
	v=$(tr ' ' '\n' < /proc/cmdline | sed -n "s/^tqbench\.$1=//p" | tail -n 1)
	echo "${v:-$2}"
}

RUNS=${RUNS:-$(bench_param runs 3)}
SECS=${BENCH_SECS:-$(bench_param secs 20)}
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || RUNS=3
[[ $SECS =~ ^[1-9][0-9]*$ ]] || SECS=20

R=${TQUIC_VM_RESULTS:-/tmp/tquic-vm}
OUT=$R/bench.tsv
LOGS=$R/bench
ROWS=$(mktemp -p /tmp bench-rows.XXXXXX)
mkdir -p "$LOGS"

RATE_MBIT=20
SINGLE20="rate=${RATE_MBIT}mbit delay=10ms"
UNSHAPED="delay=0ms"
# The shaped flow leaves out its first seconds (slow start); the unshaped
# one counts all of it, so that its bytes and the CPU time cover one span.
OMIT_SHAPED=2
OMIT_UNSHAPED=0
BENCH_PORT=5201
HZ=$(getconf CLK_TCK)

# The lab's prefixes (lib/topology.bash) and the WireGuard tunnel's own
# addresses (a /30 no other part of the lab uses)
LAN_NET=192.0.2.0/25
INET_NET=203.0.113.128/25
WG_PORT=51820
WG_GW_TUN=198.51.100.250
WG_SRV_TUN=198.51.100.249
WG_MTU=1420	# wg0's default

sysctl -q -w kernel.printk="4 4 1 7"
ulimit -c 0

FAILED=0
declare -A MBPS CPUGB

progress() {
	echo "bench: $*, $SECONDS s elapsed"
}

note() {
	echo "bench: $*"
}

# cpu_busy_s: busy CPU seconds since boot, all CPUs (user, nice, system,
# irq, softirq)
cpu_busy_s() {
	awk -v hz="$HZ" '$1 == "cpu" { printf "%.2f\n", ($2 + $3 + $4 + $7 + $8) / hz; exit }' /proc/stat
}

# bench_iperf TAG OMIT: one iperf3 TCP flow from the LAN host to the
# internet host, measured for SECS s after OMIT s left out; its JSON in
# $LOGS/TAG.json. Prints "MBPS BYTES RETRANSMITS CPU_S": the receiver's
# goodput and bytes, the sender's retransmits, the VM's busy CPU seconds
# from the client's start to its end; "nan" where there is no figure.
bench_iperf() {
	local tag=$1 omit=$2 json=$LOGS/$1.json spid c0 c1 res
	ip netns exec "$TOPO_NS_INET" iperf3 -s -1 -B "$INET_HOST" -p "$BENCH_PORT" \
		> "$LOGS/$tag.server.txt" 2>&1 &
	spid=$!
	if ! dp_iperf_wait "$TOPO_NS_INET" "$BENCH_PORT"; then
		kill "$spid" 2>/dev/null
		wait "$spid" 2>/dev/null
		note "$tag: the iperf3 server did not start (tests/vm/results/bench/$tag.server.txt)" >&2
		echo "nan nan nan nan"
		return 1
	fi
	c0=$(cpu_busy_s)
	timeout -s KILL $((SECS + omit + 30)) ip netns exec "$TOPO_NS_LAN" \
		iperf3 -c "$INET_HOST" -p "$BENCH_PORT" -t "$SECS" -O "$omit" -J \
		> "$json" 2>&1
	c1=$(cpu_busy_s)
	kill "$spid" 2>/dev/null
	wait "$spid" 2>/dev/null
	# iperf3 -J: one key a line; end.sum_sent and end.sum_received are
	# flat objects
	res=$(awk -F: '
		/"sum_sent"[ \t]*:/ { blk = "s"; next }
		/"sum_received"[ \t]*:/ { blk = "r"; next }
		blk != "" && /}/ { blk = ""; next }
		blk == "s" && /"retransmits"/ { v = $2; gsub(/[^0-9]/, "", v); retr = v }
		blk == "r" && /"bytes"/ { v = $2; gsub(/[^0-9]/, "", v); bytes = v }
		blk == "r" && /"bits_per_second"/ { v = $2; gsub(/[^0-9.eE+-]/, "", v); bps = v }
		END {
			if (bytes + 0 > 0 && bps + 0 > 0)
				printf "%.3f %s %s\n", bps / 1e6, bytes, (retr == "" ? "nan" : retr)
			else
				print "nan nan nan"
		}' "$json")
	if [ "${res%% *}" = nan ]; then
		note "$tag: iperf3 made no measurement (tests/vm/results/bench/$tag.json)" >&2
		echo "nan nan nan nan"
		return 1
	fi
	echo "$res $(awk -v a="$c0" -v b="$c1" 'BEGIN { printf "%.2f", b - a }')"
}

# record SCENARIO SYSTEM MBPS BYTES CPU_S RETRANSMITS: one run's figures
record() {
	local cpugb
	cpugb=$(awk -v m="$3" -v c="$5" -v b="$4" 'BEGIN {
		if (m == "nan" || c == "nan" || b == "nan" || b + 0 <= 0) print "nan"
		else printf "%.2f", c / (b / 1e9) }')
	MBPS[$1 $2]+=" $3"
	CPUGB[$1 $2]+=" $cpugb"
	if [ "$3" = nan ]; then
		FAILED=$((FAILED + 1))
		note "   no figure"
	else
		note "   $3 Mbit/s, $6 retransmits, $5 CPU s ($cpugb CPU s/GB)"
	fi
}

# keep_logs TAG: the daemons' logs, for a bond that did not come up
keep_logs() {
	local n
	for n in server client; do
		[ -f "$(gw_dir)/$n.log" ] && cp "$(gw_dir)/$n.log" "$LOGS/$1.$n.log"
	done
	in_gw "$TQUICCTL" connections > "$LOGS/$1.gw-connections.txt" 2>&1
	in_srv "$TQUICCTL" connections > "$LOGS/$1.srv-connections.txt" 2>&1
	return 0
}

# is_count VALUE...: all non-negative integers
is_count() {
	local v
	for v in "$@"; do
		[[ $v =~ ^[0-9]+$ ]] || return 1
	done
}

# lan_fresh_pmtu: the LAN host's default route made anew, so that no path
# MTU it learnt in an earlier run (kept with the route's next hop, which
# "ip route flush cache" leaves alone) carries over to the next
lan_fresh_pmtu() {
	in_lan ip route del default 2>/dev/null
	in_lan ip route add default via "$GW_LAN"
}

# run_tquic SCENARIO RUN OMIT: module, both daemons and the nft rules up
# (dp_start), one flow, all down again (dp_stop)
run_tquic() {
	local scen=$1 tag=$1-tquic-$2 omit=$3 b0 b1 mbps=nan bytes=nan retr=nan cpu=nan
	tquic_unload_if_loaded > /dev/null 2>&1
	lan_fresh_pmtu
	# shellcheck disable=SC2034 # read by dp_start (lib/gatewayd.bash)
	PSK=$(gw_psk)
	if dp_start > "$LOGS/$tag.dp_start.txt" 2>&1; then
		b0=$(dp_counter "$TOPO_NS_GW" bonded)
		read -r mbps bytes retr cpu < <(bench_iperf "$tag" "$omit")
		b1=$(dp_counter "$TOPO_NS_GW" bonded)
		[ -n "$mbps" ] || mbps=nan
		# a flow that went around tquic0 is no measurement of it
		if [ "$mbps" != nan ] && ! { is_count "$b0" "$b1" && [ $((b1 - b0)) -ge 100 ]; }; then
			note "$tag: the flow did not go through tquic0 (bonded packets: '$b0' before, '$b1' after): not counted"
			mbps=nan
		fi
		[ "$mbps" = nan ] && keep_logs "$tag"
	else
		note "$tag: the bond did not come up (dp_start failed; logs in tests/vm/results/bench/$tag.*)"
		keep_logs "$tag"
	fi
	dp_stop > "$LOGS/$tag.dp_stop.txt" 2>&1 ||
		note "$tag: dp_stop failed (tests/vm/results/bench/$tag.dp_stop.txt)"
	record "$scen" tquic "$mbps" "$bytes" "$cpu" "$retr"
}

# wg_up: a WireGuard tunnel wg0 between the client gateway and the server
# over WAN link 0; the gateway routes the internet prefix into it and
# clamps the MSS of the TCP flows through it to its MTU, as a WireGuard
# router does (so no path MTU is learnt by ICMP); the server routes the LAN
# prefix back and masquerades what leaves inet0
wg_up() {
	local d rc=0
	modprobe wireguard || return 1
	d=$(mktemp -d -p /tmp bench-wg.XXXXXX) || return 1
	{ wg genkey > "$d/gw.key" && wg pubkey < "$d/gw.key" > "$d/gw.pub" &&
	  wg genkey > "$d/srv.key" && wg pubkey < "$d/srv.key" > "$d/srv.pub" &&
	  in_gw ip link add wg0 type wireguard &&
	  in_srv ip link add wg0 type wireguard &&
	  in_gw wg set wg0 listen-port "$WG_PORT" private-key "$d/gw.key" \
		peer "$(cat "$d/srv.pub")" endpoint "$(wan_srv_addr 0):$WG_PORT" \
		allowed-ips 0.0.0.0/0 &&
	  in_srv wg set wg0 listen-port "$WG_PORT" private-key "$d/srv.key" \
		peer "$(cat "$d/gw.pub")" endpoint "$(wan_gw_addr 0):$WG_PORT" \
		allowed-ips "$WG_GW_TUN/32,$LAN_NET" &&
	  in_gw ip addr add "$WG_GW_TUN/30" dev wg0 &&
	  in_srv ip addr add "$WG_SRV_TUN/30" dev wg0 &&
	  in_gw ip link set wg0 mtu "$WG_MTU" up &&
	  in_srv ip link set wg0 mtu "$WG_MTU" up &&
	  in_gw ip route add "$INET_NET" dev wg0 &&
	  in_srv ip route add "$LAN_NET" dev wg0 &&
	  in_srv nft -f - <<-NFT &&
	table inet tquic_bench_wg {
		chain postrouting {
			type nat hook postrouting priority srcnat; policy accept;
			iifname "wg0" oifname "inet0" masquerade
		}
	}
	NFT
	  in_gw nft -f - <<-NFT
	table inet tquic_bench_wg {
		chain forward {
			type filter hook forward priority mangle; policy accept;
			oifname "wg0" tcp flags syn tcp option maxseg size set rt mtu
			iifname "wg0" tcp flags syn tcp option maxseg size set $((WG_MTU - 40))
		}
	}
	NFT
	} || rc=1
	rm -rf "$d"
	[ "$rc" = 0 ] || return 1
	# the handshake, and a path end to end
	in_lan ping -n -q -c 1 -W 5 "$INET_HOST" > /dev/null ||
		in_lan ping -n -q -c 2 -W 5 "$INET_HOST" > /dev/null
}

wg_down() {
	in_gw ip link del wg0 2>/dev/null
	in_srv ip link del wg0 2>/dev/null
	in_srv nft delete table inet tquic_bench_wg 2>/dev/null
	in_gw nft delete table inet tquic_bench_wg 2>/dev/null
	return 0
}

wg_tx_bytes() {
	in_gw cat /sys/class/net/wg0/statistics/tx_bytes 2>/dev/null
}

# run_wg SCENARIO RUN OMIT
run_wg() {
	local scen=$1 tag=$1-wireguard-$2 omit=$3 t0 t1 mbps=nan bytes=nan retr=nan cpu=nan
	lan_fresh_pmtu
	if wg_up > "$LOGS/$tag.wg_up.txt" 2>&1; then
		t0=$(wg_tx_bytes)
		read -r mbps bytes retr cpu < <(bench_iperf "$tag" "$omit")
		t1=$(wg_tx_bytes)
		[ -n "$mbps" ] || mbps=nan
		# the flow's bytes went out through wg0, not around it
		if [ "$mbps" != nan ] && ! { is_count "$t0" "$t1" "$bytes" &&
		     [ $((t1 - t0)) -ge $((bytes / 2)) ]; }; then
			note "$tag: the flow did not go through wg0 (tx bytes: '$t0' before, '$t1' after): not counted"
			mbps=nan
		fi
	else
		note "$tag: WireGuard did not come up (tests/vm/results/bench/$tag.wg_up.txt)"
	fi
	in_gw wg show wg0 > "$LOGS/$tag.wg-show.txt" 2>&1
	wg_down
	record "$scen" wireguard "$mbps" "$bytes" "$cpu" "$retr"
}

# scenario NAME SPEC OMIT: the lab with one WAN link SPEC, RUNS runs of each
scenario() {
	local name=$1 spec=$2 omit=$3 r
	progress "$name: lab with one WAN link ($spec)"
	if ! topo_create "$spec" > "$LOGS/$name.topo.txt" 2>&1; then
		note "$name: cannot build the lab (tests/vm/results/bench/$name.topo.txt)"
		for r in $(seq 1 "$RUNS"); do
			record "$name" tquic nan nan nan nan
			record "$name" wireguard nan nan nan nan
		done
		return
	fi
	for r in $(seq 1 "$RUNS"); do
		progress "$name tquic run $r/$RUNS"
		run_tquic "$name" "$r" "$omit"
		progress "$name wireguard run $r/$RUNS"
		run_wg "$name" "$r" "$omit"
	done
	topo_destroy
}

# run_latency: latency under load through the bond on the single20 link:
# idle, then loaded with tquic0's default qdisc (fq_codel) and with pfifo
run_latency() {
	local idle fq fifo q
	progress "latency: single20, ping idle and under a bulk download"
	if ! topo_create "$SINGLE20" > "$LOGS/latency.topo.txt" 2>&1; then
		note "latency: cannot build the lab"
		idle=nan fq=nan fifo=nan
	else
		tquic_unload_if_loaded > /dev/null 2>&1
		PSK=$(gw_psk)
		if dp_start > "$LOGS/latency.dp_start.txt" 2>&1; then
			idle=$(dp_ping_avg 20)
			q=$(in_gw tc qdisc show dev tquic0 | awk '{ print $2; exit }')
			fq=$(dp_loaded_ping)
			in_gw tc qdisc replace dev tquic0 root pfifo limit 1000
			in_srv tc qdisc replace dev tquic0 root pfifo limit 1000
			fifo=$(dp_loaded_ping)
			note "latency: idle $idle ms, loaded $fq ms ($q), loaded $fifo ms (pfifo)"
		else
			note "latency: the bond did not come up"
			keep_logs latency
			idle=nan fq=nan fifo=nan
		fi
		dp_stop > /dev/null 2>&1
		topo_destroy
	fi
	row latency tquic ping_idle_ms "$idle" ms
	row latency tquic ping_loaded_fq_codel_ms "$fq" ms
	row latency tquic ping_loaded_pfifo_ms "$fifo" ms
}

cleanup() {
	wg_down
	dp_stop > /dev/null 2>&1
	topo_destroy
	rm -f "$ROWS"
}
trap cleanup EXIT

# median V...: of the numbers among V ("nan" left out); nan when none
median() {
	printf '%s\n' "$@" | grep -E '^[0-9.]+$' | sort -g |
		awk '{ v[NR] = $1 }
		     END { if (NR == 0) print "nan"
			   else if (NR % 2) print v[(NR + 1) / 2]
			   else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# vstat MIN|MAX|COUNT V...: of the numbers among V
vstat() {
	local what=$1
	shift
	printf '%s\n' "$@" | grep -E '^[0-9.]+$' | sort -g |
		awk -v w="$what" '{ v[NR] = $1 }
		     END { if (w == "COUNT") print NR + 0
			   else if (NR == 0) print "nan"
			   else print (w == "MIN" ? v[1] : v[NR]) }'
}

# fmt FORMAT V: V printed with FORMAT, nan as nan
fmt() {
	awk -v f="$1" -v v="$2" 'BEGIN { if (v == "nan" || v == "") print "nan"; else printf f "\n", v }'
}

# ratio A B: A / B, nan when either is nan or B is 0
ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN {
		if (a == "nan" || b == "nan" || a == "" || b == "" || b + 0 == 0) print "nan"
		else printf "%.3f\n", a / b }'
}

row() {
	printf '%s\t%s\t%s\t%s\t%s\n' "$@" >> "$ROWS"
}

note "$RUNS runs of each, iperf3 flows of $SECS s; module $TQUIC_MODULE"

scenario single20 "$SINGLE20" "$OMIT_SHAPED"
scenario unshaped "$UNSHAPED" "$OMIT_UNSHAPED"
run_latency

declare -A G C
# shellcheck disable=SC2086
for s in single20 unshaped; do
	for sys in tquic wireguard; do
		G[$s $sys]=$(median ${MBPS[$s $sys]})
		C[$s $sys]=$(median ${CPUGB[$s $sys]})
	done
done

# shellcheck disable=SC2086
for sys in tquic wireguard; do
	row single20 "$sys" goodput_mbps "$(fmt %.2f "${G[single20 $sys]}")" Mbit/s
	row single20 "$sys" efficiency "$(ratio "${G[single20 $sys]}" "$RATE_MBIT")" ratio
	row single20 "$sys" goodput_mbps_min "$(fmt %.2f "$(vstat MIN ${MBPS[single20 $sys]})")" Mbit/s
	row single20 "$sys" goodput_mbps_max "$(fmt %.2f "$(vstat MAX ${MBPS[single20 $sys]})")" Mbit/s
	row single20 "$sys" runs "$(vstat COUNT ${MBPS[single20 $sys]})" count
done
row single20 tquic vs_wireguard "$(ratio "${G[single20 tquic]}" "${G[single20 wireguard]}")" ratio
row single20 limit goodput_mbps "$RATE_MBIT" Mbit/s
# shellcheck disable=SC2086
for sys in tquic wireguard; do
	row unshaped "$sys" goodput_mbps "$(fmt %.2f "${G[unshaped $sys]}")" Mbit/s
	row unshaped "$sys" cpu_s_per_gb "$(fmt %.2f "${C[unshaped $sys]}")" s/GB
	row unshaped "$sys" goodput_mbps_min "$(fmt %.2f "$(vstat MIN ${MBPS[unshaped $sys]})")" Mbit/s
	row unshaped "$sys" goodput_mbps_max "$(fmt %.2f "$(vstat MAX ${MBPS[unshaped $sys]})")" Mbit/s
	row unshaped "$sys" runs "$(vstat COUNT ${MBPS[unshaped $sys]})" count
done
row unshaped tquic vs_wireguard "$(ratio "${G[unshaped tquic]}" "${G[unshaped wireguard]}")" ratio
row unshaped tquic cpu_vs_wireguard "$(ratio "${C[unshaped tquic]}" "${C[unshaped wireguard]}")" ratio

{
	printf 'scenario\tsystem\tmetric\tvalue\tunit\n'
	cat "$ROWS"
} > "$OUT"

echo
progress "done, $RUNS runs each"
bash "$TQUIC_TOP/tests/bench/results.sh" show "$OUT"

if [ "$FAILED" -gt 0 ]; then
	note "$FAILED runs made no measurement (their figures are nan; logs in tests/vm/results/bench/)"
	exit 1
fi
exit 0
