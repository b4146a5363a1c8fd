#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# merge-connlabel.sh [TARGET [SOURCE]]: add the TQUIC gateway's conntrack
# label names (SOURCE, default connlabel.conf beside this script) to
# TARGET (default /etc/connlabel.conf, the file nft reads them from).
#
# Every other line of TARGET stays as it is; entries TARGET already has
# are not added again, so a second run changes nothing. TARGET (and its
# directory) is made when it is missing. TARGET is left unchanged, and the
# script exits 1 naming the line, when a line of TARGET gives one of our
# bits another name, gives one of our names another bit, or is one nft
# cannot read (nft stops reading the file at such a line, so entries after
# it would be lost). Exit status 2: a file cannot be read or written.
#
# An entry is "BIT NAME" as nft reads it: BIT in decimal or 0x hex, any
# text after NAME ignored; lines starting with # are comments.

set -u

me=${0##*/}
here=$(cd "$(dirname "$0")" && pwd)
target=${1:-/etc/connlabel.conf}
src=${2:-$here/connlabel.conf}

err() {
	printf '%s: %s\n' "$me" "$*" >&2
}

# bit_of TEXT: the bit number TEXT gives, in decimal; fails for anything
# that is not a decimal or 0x hexadecimal number
bit_of() {
	case $1 in
	0x*)
		case ${1#0x} in
		'' | *[!0-9a-fA-F]*) return 1 ;;
		esac
		echo $(($1))
		;;
	'' | *[!0-9]*)
		return 1
		;;
	*)
		v=$1
		while :; do
			case $v in
			0?*) v=${v#0} ;;
			*) break ;;
			esac
		done
		echo "$v"
		;;
	esac
}

# entries FILE: one line per entry of FILE, "LINENO BIT NAME TEXT" (TEXT:
# the line as written), and "LINENO - - TEXT" for a line nft cannot read
entries() {
	n=0
	while IFS= read -r line || [ -n "$line" ]; do
		n=$((n + 1))
		set -f
		# shellcheck disable=SC2086 # split into fields, as nft does
		set -- $line
		set +f
		case ${1:-#} in
		'#'*) continue ;;
		esac
		if [ $# -ge 2 ] && bit=$(bit_of "$1"); then
			printf '%s %s %s %s\n' "$n" "$bit" "$2" "$line"
		else
			printf '%s - - %s\n' "$n" "$line"
		fi
	done < "$file"
}

if [ ! -f "$src" ] || [ ! -r "$src" ]; then
	err "cannot read $src"
	exit 2
fi
file=$src
ours=$(entries) || { err "cannot read $src"; exit 2; }

have=
if [ -e "$target" ]; then
	if [ ! -f "$target" ] || [ ! -r "$target" ]; then
		err "cannot read $target"
		exit 2
	fi
	file=$target
	have=$(entries) || { err "cannot read $target"; exit 2; }
fi

fail=0
while read -r n bit name text; do
	if [ "$bit" = - ]; then
		err "$target:$n: '$text' is not a \"BIT NAME\" line: nft stops reading the file there"
		fail=1
	fi
done <<EOF
$have
EOF

missing=
added=
while read -r sn sbit sname stext; do
	[ -n "$sn" ] || continue
	if [ "$sbit" = - ]; then
		err "$src:$sn: '$stext' is not a \"BIT NAME\" line"
		exit 2
	fi
	found=
	while read -r n bit name text; do
		if [ -z "$n" ] || [ "$bit" = - ]; then
			continue
		fi
		if [ "$name" = "$sname" ] && [ "$bit" = "$sbit" ]; then
			found=1
		elif [ "$name" = "$sname" ]; then
			err "$target:$n: '$text' makes $sname bit $bit, but the TQUIC gateway needs it to be bit $sbit"
			fail=1
		elif [ "$bit" = "$sbit" ]; then
			err "$target:$n: '$text' gives bit $bit to $name, but the TQUIC gateway needs it for $sname"
			fail=1
		fi
	done <<EOF
$have
EOF
	if [ -z "$found" ]; then
		missing="$missing$stext
"
		added="$added $sname"
	fi
done <<EOF
$ours
EOF

if [ "$fail" = 1 ]; then
	err "$target left unchanged"
	exit 1
fi
if [ -z "$missing" ]; then
	printf '%s: %s has the TQUIC gateway'"'"'s labels already\n' "$me" "$target"
	exit 0
fi

if [ ! -e "$target" ]; then
	# a new file: ours as it is, comments included
	if ! mkdir -p "$(dirname "$target")" || ! cat "$src" > "$target"; then
		err "cannot write $target"
		exit 2
	fi
else
	# appended, so that the file keeps its owner, mode and links; a last
	# line without its newline gets one first
	nl=
	[ -z "$(tail -c 1 "$target")" ] || nl='\n'
	if ! printf "$nl"'# TQUIC gateway: conntrack labels (tquic-gateway(8))\n%s' \
		"$missing" >> "$target"; then
		err "cannot write $target"
		exit 2
	fi
fi
printf '%s: added%s to %s\n' "$me" "$added" "$target"
