#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# guest-suite.sh [BATS_FILE...]: runs inside the VM guest. Runs the bats
# suite (every tests/vm/*.bats by default), writes its TAP to the results
# share, checks that tquic is unloaded at the end, and leaves the exit
# status in $TQUIC_VM_RESULTS/status.

HERE=$(cd "$(dirname "$0")" && pwd)
R=$TQUIC_VM_RESULTS

sysctl -q -w kernel.printk="4 4 1 7"
ulimit -c 0

if [ $# -eq 0 ]; then
	set -- "$HERE"/*.bats
fi

echo "guest: bats starting (uptime $(cut -d' ' -f1 /proc/uptime) s)"
bats --tap --timing "$@" | tee "$R/tap.txt"
rc=${PIPESTATUS[0]}

# Every test file unloads what it loaded; the module must be gone now and
# nothing of it left behind.
if [ -e /sys/module/tquic ]; then
	echo "guest: tquic still loaded after the suite"
	rmmod tquic || echo "guest: rmmod tquic failed"
	rc=1
fi

echo "$rc" > "$R/status"
