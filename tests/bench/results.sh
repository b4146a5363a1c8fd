#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The bench's results as TSV: header "scenario system metric value unit",
# then one row per figure.
#
# results.sh merge OUT FILE... [-- OPTIONAL...]: OUT made afresh from the
# header and the rows of each FILE, then of each OPTIONAL that exists, in
# that order, and shown as show does. A FILE that is missing or holds no
# row is named on stderr and makes the status 1 (OUT is written all the
# same, with what there is).
# results.sh show FILE: FILE as an aligned table, values right-aligned.

set -u

HEADER=$(printf 'scenario\tsystem\tmetric\tvalue\tunit')

usage() {
	echo "usage: $0 merge OUT FILE... [-- OPTIONAL...] | show FILE" >&2
	exit 2
}

# rows FILE: its rows without the header, comments and blank lines; a
# row without five fields is named on stderr and left out
rows() {
	awk -F'\t' -v f="$1" '
		NR == 1 && $1 == "scenario" { next }
		/^#/ || /^[ \t]*$/ { next }
		NF != 5 { printf "results: %s:%d: not 5 tab-separated fields, left out\n", f, NR > "/dev/stderr"; next }
		{ print }' "$1"
}

show() {
	awk -F'\t' '
		{ line[NR] = $0; for (i = 1; i <= NF; i++) if (length($i) > w[i]) w[i] = length($i); if (NF > nf) nf = NF }
		END {
			for (n = 1; n <= NR; n++) {
				k = split(line[n], f, "\t")
				s = ""
				for (i = 1; i <= k; i++) {
					if (i == 4)
						s = s sprintf("%*s", w[i], f[i])
					else if (i == k)
						s = s f[i]
					else
						s = s sprintf("%-*s", w[i], f[i])
					if (i < k)
						s = s "  "
				}
				print s
			}
		}' "$1"
}

[ $# -ge 1 ] || usage
case $1 in
show)
	[ $# -eq 2 ] || usage
	[ -r "$2" ] || { echo "results: $2: missing" >&2; exit 1; }
	show "$2"
	;;
merge)
	[ $# -ge 3 ] || usage
	out=$2
	shift 2
	rc=0
	optional=
	tmp=$(mktemp "$out.XXXXXX") || exit 1
	echo "$HEADER" > "$tmp"
	for f in "$@"; do
		if [ "$f" = -- ]; then
			optional=1
			continue
		fi
		if [ ! -r "$f" ]; then
			if [ -z "$optional" ]; then
				echo "results: $f: missing" >&2
				rc=1
			fi
			continue
		fi
		n=$(wc -l < "$tmp")
		rows "$f" >> "$tmp"
		if [ "$(wc -l < "$tmp")" -eq "$n" ] && [ -z "$optional" ]; then
			echo "results: $f: no rows" >&2
			rc=1
		fi
	done
	mv "$tmp" "$out" || exit 1
	echo "== $out"
	show "$out"
	exit "$rc"
	;;
*)
	usage
	;;
esac
