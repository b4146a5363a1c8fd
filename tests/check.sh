#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check, after deps and the build: unit tests (userspace, sanitizers),
# the fuzz targets (CHECK_FUZZ_TIME seconds each, 60 by default), host
# checks (install, unit file, man page), the kernel lint (W=1 + sparse),
# the VM suite. Prints every result and ends with one line:
# "N passed, N failed". Exits non-zero when anything failed.

TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP" || exit 1
passed=0
failed=0

# tap_section TITLE CMD...: run CMD, show its TAP, count its ok/not ok
# lines. A CMD that fails without reporting a failure of its own (it did
# not build, say) counts as one failure.
tap_section() {
	local title=$1 log p f rc
	shift
	echo "== $title"
	log=$(mktemp)
	"$@" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	p=$(grep -c '^ok ' "$log")
	f=$(grep -c '^not ok ' "$log")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "not ok - $title: exited with status $rc"
		f=1
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	rm -f "$log"
}

# Decide KVM or TCG for this machine (a probe boot of a few seconds, once
# per machine) while the unit tests run.
tests/vm/run.sh -p > tests/vm/probe.log 2>&1 &
probe=$!

tap_section "unit tests" make -s -C tests/unit run
tap_section "fuzzing: ${CHECK_FUZZ_TIME:-60} s per target" \
	make -s -C tests/fuzz run FUZZ_TIME="${CHECK_FUZZ_TIME:-60}"
tap_section "host: install, unit file, man page, build errors" \
	bats --tap tests/host

echo "== kernel: W=1 and sparse"
if make -s -C kernel lint; then
	passed=$((passed + 1))
else
	failed=$((failed + 1))
fi

wait "$probe"
cat tests/vm/probe.log

echo "== VM suite"
tests/vm/run.sh
if [ -r tests/vm/results/counts ]; then
	read -r p f < tests/vm/results/counts
	passed=$((passed + p))
	failed=$((failed + f))
else
	failed=$((failed + 1))
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
