# SPDX-License-Identifier: GPL-2.0
#
# The VM bench's lab: network namespaces joined by veth.
#
#   lan host ──lan0── client gateway ══wan0..wanN-1══ aggregation server ──inet0── internet host
#   (tq-lan)          (tq-gw)                         (tq-srv)                     (tq-inet)
#
# Each WAN link has its own netem, the same in both directions (rate, one-way
# delay, jitter, loss, queue limit). The client gateway has one default route
# per WAN (metric 100+i in the main table) and per-source policy routing
# (table 100+i for traffic from wan i's address), as a multi-WAN router does.
# The server has no route to the LAN prefix. Addresses come from the
# documentation ranges (RFC 5737, RFC 3849):
#
#   LAN            192.0.2.0/25      2001:db8:1::/64     gw .1 / ::1, host .10 / ::10
#   WAN i          198.51.100.8i/29  2001:db8:100:i::/64 server side .8i+1 / ::1,
#                                                        gateway side .8i+2 / ::2
#   server public  203.0.113.1       2001:db8:ffff::1    (on the server's lo)
#   internet link  203.0.113.128/25  2001:db8:2::/64     server .129 / ::1, host .130 / ::130
#
# Usage, in a bats file:
#   setup_file()    { topo_create "rate=20mbit delay=5ms" "rate=8mbit delay=15ms loss=1%"; }
#   teardown_file() { topo_destroy; }
# A link spec holds key=value words: rate (netem rate, e.g. 20mbit; none by
# default), delay (one way, default 0ms), jitter (normal distribution, default
# none), loss (percent, default 0), limit (packets, default 100).

TOPO_NS_LAN=tq-lan
TOPO_NS_GW=tq-gw
TOPO_NS_SRV=tq-srv
TOPO_NS_INET=tq-inet

LAN_HOST=192.0.2.10
LAN_HOST6=2001:db8:1::10
GW_LAN=192.0.2.1
GW_LAN6=2001:db8:1::1
SRV_ADDR=203.0.113.1
SRV_ADDR6=2001:db8:ffff::1
SRV_INET=203.0.113.129
INET_HOST=203.0.113.130
INET_HOST6=2001:db8:2::130

in_lan()  { ip netns exec "$TOPO_NS_LAN" "$@"; }
in_gw()   { ip netns exec "$TOPO_NS_GW" "$@"; }
in_srv()  { ip netns exec "$TOPO_NS_SRV" "$@"; }
in_inet() { ip netns exec "$TOPO_NS_INET" "$@"; }

# wan_gw_addr I / wan_srv_addr I: the gateway's and the server's address on
# WAN link I; wan_gw_addr6 / wan_srv_addr6 the same in IPv6.
wan_gw_addr()   { echo "198.51.100.$(($1 * 8 + 2))"; }
wan_srv_addr()  { echo "198.51.100.$(($1 * 8 + 1))"; }
wan_gw_addr6()  { printf '2001:db8:100:%x::2\n' "$1"; }
wan_srv_addr6() { printf '2001:db8:100:%x::1\n' "$1"; }

# topo_spec_get SPEC KEY DEFAULT: one value of a link spec.
topo_spec_get() {
	local w
	for w in $1; do
		case $w in
		"$2"=*) echo "${w#*=}"; return 0 ;;
		esac
	done
	echo "$3"
}

# topo_netem_args SPEC: the netem arguments a link spec stands for.
topo_netem_args() {
	local spec=$1 rate delay jitter loss limit w args
	for w in $spec; do
		case ${w%%=*} in
		rate|delay|jitter|loss|limit) ;;
		*) echo "topology: unknown link key '${w%%=*}' in '$spec'" >&2; return 1 ;;
		esac
	done
	rate=$(topo_spec_get "$spec" rate "")
	delay=$(topo_spec_get "$spec" delay 0ms)
	jitter=$(topo_spec_get "$spec" jitter "")
	loss=$(topo_spec_get "$spec" loss "")
	limit=$(topo_spec_get "$spec" limit 100)
	args="limit $limit delay $delay"
	[ -n "$jitter" ] && args="$args $jitter distribution normal"
	[ -n "$loss" ] && args="$args loss ${loss%\%}%"
	[ -n "$rate" ] && args="$args rate $rate"
	echo "$args"
}

# topo_set_link I SPEC: (re)configure WAN link I, both directions.
topo_set_link() {
	local i=$1 args
	args=$(topo_netem_args "$2") || return 1
	in_gw tc qdisc replace dev "wan$i" root netem $args || return 1
	in_srv tc qdisc replace dev "wan$i" root netem $args || return 1
}

topo_ns_new() {
	ip netns add "$1" || return 1
	ip -n "$1" link set lo up
	ip netns exec "$1" sysctl -q -w net.ipv4.ip_forward=1 \
		net.ipv6.conf.all.forwarding=1 net.ipv6.conf.default.accept_dad=0 \
		net.ipv6.conf.all.accept_dad=0
}

# topo_rps NS DEV: DEV receives each flow on one CPU, chosen by the flow's
# hash, as a NIC's RSS does. Without it veth hands every packet to the
# backlog of the CPU that sent it, and two CPUs draining their backlogs
# at once reorder one flow by up to a batch: no real link does that to
# every packet.
topo_rps() {
	local mask
	mask=$(printf '%x' $(((1 << $(nproc)) - 1)))
	ip netns exec "$1" sh -c "for q in /sys/class/net/$2/queues/rx-*/rps_cpus; do echo $mask > \$q; done"
}

# topo_create SPEC...: build the lab with one WAN link per SPEC.
topo_create() {
	local i gw srv specs=("$@")
	[ $# -ge 1 ] || { echo "topology: at least one WAN link" >&2; return 1; }
	[ $# -le 16 ] || { echo "topology: at most 16 WAN links" >&2; return 1; }
	modprobe -a veth sch_netem || return 1
	topo_destroy
	for ns in "$TOPO_NS_LAN" "$TOPO_NS_GW" "$TOPO_NS_SRV" "$TOPO_NS_INET"; do
		topo_ns_new "$ns" || return 1
	done

	# LAN
	ip -n "$TOPO_NS_GW" link add lan0 type veth peer name eth0 netns "$TOPO_NS_LAN"
	in_gw ip addr add "$GW_LAN/25" dev lan0
	in_gw ip addr add "$GW_LAN6/64" dev lan0 nodad
	in_lan ip addr add "$LAN_HOST/25" dev eth0
	in_lan ip addr add "$LAN_HOST6/64" dev eth0 nodad
	in_gw ip link set lan0 up
	in_lan ip link set eth0 up
	in_lan ip route add default via "$GW_LAN"
	in_lan ip -6 route add default via "$GW_LAN6"
	topo_rps "$TOPO_NS_GW" lan0
	topo_rps "$TOPO_NS_LAN" eth0

	# Server's public address and the internet behind it
	in_srv ip addr add "$SRV_ADDR/32" dev lo
	in_srv ip addr add "$SRV_ADDR6/128" dev lo
	ip -n "$TOPO_NS_SRV" link add inet0 type veth peer name eth0 netns "$TOPO_NS_INET"
	in_srv ip addr add "$SRV_INET/25" dev inet0
	in_srv ip addr add 2001:db8:2::1/64 dev inet0 nodad
	in_inet ip addr add "$INET_HOST/25" dev eth0
	in_inet ip addr add "$INET_HOST6/64" dev eth0 nodad
	in_srv ip link set inet0 up
	in_inet ip link set eth0 up
	in_inet ip route add default via "$SRV_INET"
	in_inet ip -6 route add default via 2001:db8:2::1
	topo_rps "$TOPO_NS_SRV" inet0
	topo_rps "$TOPO_NS_INET" eth0

	# WAN links
	for i in $(seq 0 $(($# - 1))); do
		gw=$(wan_gw_addr "$i")
		srv=$(wan_srv_addr "$i")
		ip -n "$TOPO_NS_GW" link add "wan$i" type veth peer name "wan$i" netns "$TOPO_NS_SRV" || return 1
		in_gw ip addr add "$gw/29" dev "wan$i"
		in_gw ip addr add "$(wan_gw_addr6 "$i")/64" dev "wan$i" nodad
		in_srv ip addr add "$srv/29" dev "wan$i"
		in_srv ip addr add "$(wan_srv_addr6 "$i")/64" dev "wan$i" nodad
		in_gw ip link set "wan$i" up
		in_srv ip link set "wan$i" up
		topo_rps "$TOPO_NS_GW" "wan$i"
		topo_rps "$TOPO_NS_SRV" "wan$i"
		in_gw ip route add default via "$srv" dev "wan$i" metric $((100 + i))
		in_gw ip -6 route add default via "$(wan_srv_addr6 "$i")" dev "wan$i" metric $((100 + i))
		in_gw ip route add default via "$srv" dev "wan$i" table $((100 + i))
		in_gw ip -6 route add default via "$(wan_srv_addr6 "$i")" dev "wan$i" table $((100 + i))
		in_gw ip rule add from "$gw" table $((100 + i)) pref $((100 + i))
		in_gw ip -6 rule add from "$(wan_gw_addr6 "$i")" table $((100 + i)) pref $((100 + i))
		topo_set_link "$i" "${specs[$i]}" || return 1
	done
}

# topo_destroy: remove every namespace of the lab (veth pairs go with them).
topo_destroy() {
	local ns
	for ns in "$TOPO_NS_LAN" "$TOPO_NS_GW" "$TOPO_NS_SRV" "$TOPO_NS_INET"; do
		ip netns del "$ns" 2>/dev/null || true
	done
	return 0
}

# topo_show: print the lab: namespaces, addresses, routes and link shaping.
topo_show() {
	local ns
	for ns in "$TOPO_NS_LAN" "$TOPO_NS_GW" "$TOPO_NS_SRV" "$TOPO_NS_INET"; do
		echo "== $ns"
		ip -n "$ns" -br addr show | grep -v '^lo .*UNKNOWN *127' | sed -e 's/ fe80::[^ ]*//' -e 's/^/   /'
		ip -n "$ns" route show | sed 's/^/   route /'
		ip -n "$ns" -6 route show | grep -v -e '^fe80' -e '^multicast' -e 'dev lo' | sed 's/^/   route6 /'
		ip netns exec "$ns" tc qdisc show | grep netem | sed 's/^/   /'
	done
}
