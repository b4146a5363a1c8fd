#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check, after deps and the build: unit tests (userspace, sanitizers),
# the fuzz targets (CHECK_FUZZ_TIME seconds each, 60 by default), host checks (install, unit file, man page), the kernel lint (W=1 +
# sparse), the VM suite. Prints every result and ends
# with one line: "N passed, N failed". Exits non-zero when anything failed.

TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP" || exit 1
passed=0
failed=0

count_tap() { # FILE
	local p f
	p=$(grep -c '^ok ' "$1")
	f=$(grep -c '^not ok ' "$1")
	passed=$((passed + p))
	failed=$((failed + f))
}

# Decide KVM or TCG for this machine (a probe boot of a few seconds, once
# per machine) while the unit tests run.
tests/vm/run.sh -p > tests/vm/probe.log 2>&1 &
probe=$!

echo "== unit tests"
log=$(mktemp)
make -s -C tests/unit run 2>&1 | tee "$log"
[ "${PIPESTATUS[0]}" -eq 0 ] || { echo "not ok - unit tests did not build"; echo "not ok - build" >> "$log"; }
count_tap "$log"
rm -f "$log"

echo "== fuzzing: ${CHECK_FUZZ_TIME:-60} s per target"
log=$(mktemp)
make -s -C tests/fuzz run FUZZ_TIME="${CHECK_FUZZ_TIME:-60}" 2>&1 | tee "$log"
[ "${PIPESTATUS[0]}" -eq 0 ] || echo "not ok - fuzz targets did not build" >> "$log"
count_tap "$log"
rm -f "$log"

echo "== host: install, unit file, man page, build errors"
log=$(mktemp)
bats --tap tests/host 2>&1 | tee "$log"
count_tap "$log"
rm -f "$log"

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
