# SPDX-License-Identifier: GPL-2.0
# bats runs this once before the first test: it marks the moment the suite
# starts running inside the guest (the file's time is the host's clock).

setup_suite() {
	: > "$TQUIC_VM_RESULTS/first-test"
}
