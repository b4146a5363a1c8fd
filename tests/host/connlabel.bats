#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# The conntrack label names (nft/): nft/merge-connlabel.sh merges them into
# a connlabel.conf without clobbering it, make install stages them, stock
# nft reads the example rulesets with them, and tquic-gatewayd refuses to
# start without them (ConnlabelFile= points it at a file of the test's).

bats_load_library bats-support
bats_load_library bats-assert

TOP=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
MERGE=$TOP/nft/merge-connlabel.sh
GATEWAYD=$TOP/gatewayd/tquic-gatewayd

setup() {
	DIR=$(mktemp -d)
}

teardown() {
	rm -rf "$DIR"
}

# gw_conf LABELS: $DIR/gw.conf, a valid server configuration whose
# ConnlabelFile= is LABELS
gw_conf() {
	printf '[Tunnel]\nRole=server\nListen=127.0.0.1:4433\nConnlabelFile=%s\n[Client:test]\nPSK=000102030405060708090a0b0c0d0e0f\n' \
		"$1" > "$DIR/gw.conf"
}

# Tests that make a mount namespace of their own need root and unshare.
need_mount_ns() {
	[ "$(id -u)" = 0 ] || skip "needs root (a mount namespace)"
	unshare -m true 2>/dev/null || skip "unshare -m does not work here"
}

# with_sys_module DIR CMD...: CMD with DIR over /sys/module, in a mount
# namespace of its own
with_sys_module() {
	unshare -m sh -c 'mount --bind "$0" /sys/module && exec "$@"' "$@"
}

# nft_check LABELS FILE: nft -c -f FILE, in network and mount namespaces of
# its own whose /etc is the host's with LABELS as /etc/connlabel.conf (an
# overlay with a tmpfs upper: nft reads label names from /etc only).
# Status 99: no overlay here.
nft_check() {
	mkdir -p "$DIR/ovl"
	unshare -m -n sh -c '
		mount -t tmpfs tmpfs "$0" && mkdir "$0/u" "$0/w" &&
		mount -t overlay -o lowerdir=/etc,upperdir="$0/u",workdir="$0/w" overlay /etc &&
		cp "$1" /etc/connlabel.conf || exit 99
		exec nft -c -f "$2"' "$DIR/ovl" "$1" "$2"
}

@test "merge-connlabel.sh makes a missing file, and its directory, with the two labels" {
	run "$MERGE" "$DIR/etc/connlabel.conf"
	assert_success
	assert_output "merge-connlabel.sh: added tquic-bond tquic-realtime to $DIR/etc/connlabel.conf"
	run grep -v '^#' "$DIR/etc/connlabel.conf"
	assert_output "$(printf '120 tquic-bond\n121 tquic-realtime')"
}

@test "merge-connlabel.sh keeps every other line of the file as it was" {
	local f=$DIR/connlabel.conf
	# the last line without its newline
	printf '# the administrator'"'"'s labels\n0 guest\n\n  0x10 voip  # phones\n\t# indented comment\n127 last' > "$f"
	cp "$f" "$DIR/before"
	run "$MERGE" "$f"
	assert_success
	# the old text, a newline, our header and lines
	run cmp -n "$(stat -c %s "$DIR/before")" "$DIR/before" "$f"
	assert_success
	run tail -n +6 "$f"
	assert_output "$(printf '127 last\n# TQUIC gateway: conntrack labels (tquic-gateway(8))\n120 tquic-bond\n121 tquic-realtime')"
}

@test "merge-connlabel.sh twice changes nothing the second time, nor on entries written in hex" {
	local f=$DIR/connlabel.conf
	printf '3 other\n' > "$f"
	run "$MERGE" "$f"
	assert_success
	cp "$f" "$DIR/once"
	run "$MERGE" "$f"
	assert_success
	assert_output "merge-connlabel.sh: $f has the TQUIC gateway's labels already"
	run cmp "$DIR/once" "$f"
	assert_success
	printf '0x78 tquic-bond\n0121 tquic-realtime\n' > "$f"
	cp "$f" "$DIR/hex"
	run "$MERGE" "$f"
	assert_success
	run cmp "$DIR/hex" "$f"
	assert_success
}

@test "merge-connlabel.sh refuses a bit or a name taken otherwise, naming the line, and changes nothing" {
	local f=$DIR/connlabel.conf
	printf '# ours\n120 mybond\n' > "$f"
	cp "$f" "$DIR/before"
	run "$MERGE" "$f"
	assert_failure 1
	assert_line "merge-connlabel.sh: $f:2: '120 mybond' gives bit 120 to mybond, but the TQUIC gateway needs it for tquic-bond"
	assert_line "merge-connlabel.sh: $f left unchanged"
	run cmp "$DIR/before" "$f"
	assert_success

	printf '1 a\n7 tquic-realtime\n' > "$f"
	cp "$f" "$DIR/before"
	run "$MERGE" "$f"
	assert_failure 1
	assert_line "merge-connlabel.sh: $f:2: '7 tquic-realtime' makes tquic-realtime bit 7, but the TQUIC gateway needs it to be bit 121"
	run cmp "$DIR/before" "$f"
	assert_success

	# nft stops reading at a line it cannot read: nothing is added after it
	printf '1 a\nnot a label\n' > "$f"
	run "$MERGE" "$f"
	assert_failure 1
	assert_line "merge-connlabel.sh: $f:2: 'not a label' is not a \"BIT NAME\" line: nft stops reading the file there"
}

@test "make install stages the nft files and merges the labels into the staged /etc/connlabel.conf; uninstall leaves that file" {
	local n
	mkdir -p "$DIR/etc"
	printf '# the administrator'"'"'s\n1 other\n' > "$DIR/etc/connlabel.conf"
	run make -s -C "$TOP" install DESTDIR="$DIR" PREFIX=/usr
	assert_success
	for n in connlabel.conf client-example.nft server-example.nft merge-connlabel.sh; do
		run cmp "$TOP/nft/$n" "$DIR/usr/share/tquic/nft/$n"
		assert_success
	done
	test -x "$DIR/usr/share/tquic/nft/merge-connlabel.sh"
	run cat "$DIR/etc/connlabel.conf"
	assert_output "$(printf '# the administrator'"'"'s\n1 other\n# TQUIC gateway: conntrack labels (tquic-gateway(8))\n120 tquic-bond\n121 tquic-realtime')"

	run make -s -C "$TOP" uninstall DESTDIR="$DIR" PREFIX=/usr
	assert_success
	test ! -e "$DIR/usr/share/tquic"
	run grep -c tquic "$DIR/etc/connlabel.conf"
	assert_output 3
}

@test "gatewayd --check-config refuses a connlabel file without the labels, naming the file and what is missing" {
	gw_conf "$DIR/connlabel.conf"
	run "$GATEWAYD" -c "$DIR/gw.conf" --check-config
	assert_failure 1
	assert_output --partial "cannot read $DIR/connlabel.conf: No such file or directory"

	printf '1 other\n121 tquic-realtime\n' > "$DIR/connlabel.conf"
	run "$GATEWAYD" -c "$DIR/gw.conf" --check-config
	assert_failure 1
	assert_output --partial "$DIR/connlabel.conf: no line names the conntrack label tquic-bond: add \"120 tquic-bond\""
	refute_output --partial tquic-realtime

	printf '120 tquic-bond\n120 tquic-realtime\n' > "$DIR/connlabel.conf"
	run "$GATEWAYD" -c "$DIR/gw.conf" --check-config
	assert_failure 1
	assert_output --partial "$DIR/connlabel.conf:2: tquic-bond and tquic-realtime are both bit 120"

	printf '121 tquic-realtime\n200 tquic-bond\n' > "$DIR/connlabel.conf"
	run "$GATEWAYD" -c "$DIR/gw.conf" --check-config
	assert_failure 1
	assert_output --partial "$DIR/connlabel.conf:2: tquic-bond is bit 200, but conntrack labels are bits 0 to 127"
}

@test "gatewayd --check-config passes with the labels of nft/connlabel.conf, merged or not" {
	gw_conf "$TOP/nft/connlabel.conf"
	run "$GATEWAYD" -c "$DIR/gw.conf" --check-config
	assert_success
	assert_output ""
	printf '1 other\n' > "$DIR/connlabel.conf"
	"$MERGE" "$DIR/connlabel.conf"
	gw_conf "$DIR/connlabel.conf"
	run "$GATEWAYD" -c "$DIR/gw.conf" --check-config
	assert_success
	assert_output ""
}

@test "gatewayd compares the bits with the module's label_bond and label_realtime, and will not start on a mismatch" {
	need_mount_ns
	mkdir -p "$DIR/sys/tquic/parameters"
	echo 120 > "$DIR/sys/tquic/parameters/label_bond"
	echo 121 > "$DIR/sys/tquic/parameters/label_realtime"
	gw_conf "$TOP/nft/connlabel.conf"
	run with_sys_module "$DIR/sys" "$GATEWAYD" -c "$DIR/gw.conf" --check-config
	assert_success
	assert_output ""

	echo 7 > "$DIR/sys/tquic/parameters/label_realtime"
	run with_sys_module "$DIR/sys" "$GATEWAYD" -c "$DIR/gw.conf" --check-config
	assert_failure 1
	assert_output --partial "$TOP/nft/connlabel.conf:"
	assert_output --partial "tquic-realtime is bit 121, but the tquic module bonds bit 7 (/sys/module/tquic/parameters/label_realtime)"
	# not only the check: a start stops there too, before anything else
	run with_sys_module "$DIR/sys" "$GATEWAYD" -c "$DIR/gw.conf"
	assert_failure 1
	assert_output --partial "tquic-realtime is bit 121, but the tquic module bonds bit 7"
	refute_output --partial running
}

@test "stock nft reads the example rulesets, commented rules included, with the labels merged into a connlabel.conf" {
	need_mount_ns
	command -v nft >/dev/null || skip "nft missing (make deps)"
	local f
	printf '# the administrator'"'"'s\n1 other\n' > "$DIR/connlabel.conf"
	"$MERGE" "$DIR/connlabel.conf"
	# the commented examples as a user would enable them
	sed -E 's/^(\s*)# ((ip6?|iifname) .*)/\1\2/' "$TOP/nft/client-example.nft" > "$DIR/client-all.nft"
	run grep -c -E '^\s*(ip |ip6 |iifname ).*' "$DIR/client-all.nft"
	assert_output 4
	for f in "$TOP/nft/client-example.nft" "$DIR/client-all.nft" "$TOP/nft/server-example.nft"; do
		run nft_check "$DIR/connlabel.conf" "$f"
		[ "$status" != 99 ] || skip "no overlayfs here"
		assert_success
	done
	# without the labels nft refuses the client's rules
	printf '1 other\n' > "$DIR/connlabel.conf"
	run nft_check "$DIR/connlabel.conf" "$TOP/nft/client-example.nft"
	assert_failure 1
	assert_output --partial 'could not parse conntrack label "tquic-bond"'
}
