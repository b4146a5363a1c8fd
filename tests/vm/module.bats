#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# tquic.ko loads, keeps state per network namespace, and unloads cleanly.

bats_load_library bats-support
bats_load_library bats-assert
load lib/tquic

teardown() {
	ip netns del tq-ns2 2>/dev/null || true
	tquic_unload_if_loaded
}

@test "module loads, shows its version, and unloads" {
	run tquic_load
	assert_success
	run cat /proc/net/tquic
	assert_success
	assert_line --index 0 --regexp '^tquic [0-9]+\.[0-9]+\.[0-9]+$'
	assert_line --index 1 'connections 0'
	run tquic_unload
	assert_success
	run test -e /proc/net/tquic
	assert_failure
	run test -e /sys/module/tquic
	assert_failure
}

@test "module loads and unloads 20 times without leaking kernel memory" {
	# One cycle first so that everything loading a module allocates once
	# (module loader caches, sysfs) is in the baseline.
	tquic_load
	tquic_unload
	sync
	local before after i
	before=$(kmem_kib)
	for i in $(seq 1 20); do
		tquic_load
		test -r /proc/net/tquic
		tquic_unload
		! test -e /sys/module/tquic
	done
	sync
	after=$(kmem_kib)
	echo "# unreclaimable slab+vmalloc+percpu: before ${before} KiB, after ${after} KiB" >&3
	# A leak of the module image or its per-namespace state would grow this
	# by at least 20 times that size (tens of KiB a load); kernel noise over
	# the same time is a few KiB.
	[ $((after - before)) -lt 128 ]
}

@test "module keeps state in namespaces created before and after it loads" {
	ip netns add tq-ns2
	tquic_load
	run ip netns exec tq-ns2 cat /proc/net/tquic
	assert_success
	assert_line --index 1 'connections 0'

	ip netns add tq-ns3
	run ip netns exec tq-ns3 cat /proc/net/tquic
	ip netns del tq-ns3
	assert_success
	assert_line --index 1 'connections 0'

	# A namespace removed while the module is loaded runs its exit hook.
	ip netns del tq-ns2
	run tquic_unload
	assert_success
}

@test "module unloads while a second namespace still exists" {
	ip netns add tq-ns2
	tquic_load
	ip netns exec tq-ns2 test -r /proc/net/tquic
	run tquic_unload
	assert_success
	run ip netns exec tq-ns2 test -e /proc/net/tquic
	assert_failure
}
