# SPDX-License-Identifier: GPL-2.0
#
# Helpers for tests that run tquic-gatewayd in the lab's namespaces. Files
# go under $GW_DIR (the test file's temporary directory).

GATEWAYD="$TQUIC_TOP/gatewayd/tquic-gatewayd"
TQUICCTL="$TQUIC_TOP/gatewayd/tquicctl"
GW_PORT=4433

gw_dir() {
	echo "${BATS_FILE_TMPDIR:-/tmp}"
}

# gw_psk: a random 32-byte PSK in hex
gw_psk() {
	od -An -tx1 -N32 /dev/urandom | tr -d ' \n'
}

# gw_start NAME NS CONF_TEXT: write NAME.conf, start the daemon in NS,
# its stderr in NAME.log
gw_start() {
	local name=$1 ns=$2 d
	d=$(gw_dir)
	printf '%s\n' "$3" > "$d/$name.conf"
	ip netns exec "$ns" "$GATEWAYD" -c "$d/$name.conf" 2> "$d/$name.log" &
	echo $! > "$d/$name.pid"
}

# gw_stop NAME: SIGTERM and wait; fails if it did not exit cleanly
gw_stop() {
	local pid f
	f="$(gw_dir)/$1.pid"
	[ -f "$f" ] || return 0
	pid=$(cat "$f")
	rm -f "$f"
	kill "$pid" 2>/dev/null || return 0
	wait "$pid"
}

gw_log() {
	cat "$(gw_dir)/$1.log"
}

# gw_conns NS: the kernel's connection dump in NS
gw_conns() {
	ip netns exec "$1" "$TQUICCTL" connections
}

# gw_until SECONDS CMD...: until CMD succeeds, polling every 0.1 s; the
# bound is wall-clock time, however long each CMD takes
gw_until() {
	local end=$((SECONDS + $1))
	shift
	while :; do
		"$@" && return 0
		[ "$SECONDS" -lt "$end" ] || return 1
		sleep 0.1
	done
}

# gw_no_conns NS: the kernel has no connection in NS
gw_no_conns() { [ -z "$(gw_conns "$1")" ]; }

gw_conns_match() { gw_conns "$1" | grep -q -- "$2"; }
gw_log_match()   { gw_log "$1" | grep -q -- "$2"; }

# gw_wait NS PATTERN [SECONDS]: until a connection line of NS matches
gw_wait() { gw_until "${3:-20}" gw_conns_match "$1" "$2"; }

# gw_wait_log NAME PATTERN [SECONDS]: until NAME's log matches
gw_wait_log() { gw_until "${3:-20}" gw_log_match "$1" "$2"; }

# gw_field LINE NAME: the value after NAME in a tquicctl line
gw_field() {
	echo "$1" | tr ' ' '\n' | grep -A1 -x -- "$2" | tail -1
}

# gw_make_certs DIR: a CA, a server certificate for tquic.test (srv.pem,
# srv.key), an expired one (old.pem), a client certificate for gw1 (cli.pem)
gw_make_certs() {
	local d=$1
	mkdir -p "$d"
	printf 'cn = tquic test CA\nca\ncert_signing_key\nexpiration_days = 2\n' > "$d/ca.tmpl"
	printf 'cn = tquic.test\ndns_name = tquic.test\ntls_www_server\nsigning_key\nexpiration_days = 2\n' > "$d/srv.tmpl"
	printf 'cn = tquic.test\ndns_name = tquic.test\ntls_www_server\nsigning_key\nactivation_date = "2019-01-01 00:00:00"\nexpiration_date = "2020-01-01 00:00:00"\n' > "$d/old.tmpl"
	certtool --generate-privkey --key-type ecdsa --outfile "$d/ca.key" 2>/dev/null
	certtool --generate-self-signed --load-privkey "$d/ca.key" \
		--template "$d/ca.tmpl" --outfile "$d/ca.pem" 2>/dev/null
	certtool --generate-privkey --key-type ecdsa --outfile "$d/srv.key" 2>/dev/null
	for c in srv old; do
		certtool --generate-certificate --load-privkey "$d/srv.key" \
			--load-ca-certificate "$d/ca.pem" --load-ca-privkey "$d/ca.key" \
			--template "$d/$c.tmpl" --outfile "$d/$c.pem" 2>/dev/null
	done
	printf 'cn = gw1\ntls_www_client\nsigning_key\nexpiration_days = 2\n' > "$d/cli.tmpl"
	certtool --generate-privkey --key-type ecdsa --outfile "$d/cli.key" 2>/dev/null
	certtool --generate-certificate --load-privkey "$d/cli.key" \
		--load-ca-certificate "$d/ca.pem" --load-ca-privkey "$d/ca.key" \
		--template "$d/cli.tmpl" --outfile "$d/cli.pem" 2>/dev/null
}

# gw_forget NS: NS's tquic connections end without a word reaching their
# peers (their CONNECTION_CLOSEs are dropped on the way out), as if the
# machine had restarted; the UDP port stays blocked until gw_unblock NS
gw_forget() {
	local ns=$1 id
	ip netns exec "$ns" nft -f - <<-NFT
	table inet tqforget {
		chain out { type filter hook output priority 0; udp sport $GW_PORT drop; }
	}
	NFT
	for id in $(gw_conns "$ns" | awk '{ print $2 }'); do
		ip netns exec "$ns" "$TQUICCTL" close "$id"
	done
	gw_until 15 gw_no_conns "$ns"
}

gw_unblock() {
	ip netns exec "$1" nft delete table inet tqforget
}

# gw_proc NS: /proc/net/tquic of NS
gw_proc() {
	ip netns exec "$1" cat /proc/net/tquic
}

# gw_psk_server_conf [IDLE_S [LINE]]: a server on $SRV_ADDR:$GW_PORT that
# knows client gw1 by $PSK
# gw_psk_client_conf [NAME [PSK [IDLE_S [LINE [AUTH_LINE]]]]]: a client of it
gw_psk_server_conf() {
	cat <<-CONF
	[Tunnel]
	Role=server
	Listen=$SRV_ADDR:$GW_PORT
	IdleTimeoutSec=${1:-30}
	${2:-}
	[Client:gw1]
	PSK=$PSK
	CONF
}

gw_psk_client_conf() {
	cat <<-CONF
	[Tunnel]
	Role=client
	Server=$SRV_ADDR:$GW_PORT
	IdleTimeoutSec=${3:-30}
	${4:-}
	[Auth]
	Name=${1:-gw1}
	PSK=${2:-$PSK}
	${5:-}
	CONF
}
