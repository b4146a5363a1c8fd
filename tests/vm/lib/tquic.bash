# SPDX-License-Identifier: GPL-2.0
#
# Helpers for tests that load tquic.ko: the module under test is the one the
# host just built ($TQUIC_MODULE).

# tquic_load [PARAM=VALUE...]: the modules tquic.ko depends on (as
# modprobe would load them), then tquic.ko itself
tquic_load() {
	local deps
	deps=$(modinfo -F depends "$TQUIC_MODULE") || return 1
	if [ -n "$deps" ]; then
		modprobe -a ${deps//,/ } || return 1
	fi
	insmod "$TQUIC_MODULE" "$@"
}

# tquic_unload: rmmod, and fail if the module said at its exit that
# objects it allocated were never freed (a leak the slab figures could
# miss: vmalloc'd connections are counted too)
tquic_unload() {
	local n
	n=$(dmesg | wc -l)
	rmmod tquic || return 1
	! dmesg | tail -n +$((n + 1)) | grep 'objects leaked'
}

tquic_loaded() {
	[ -e /sys/module/tquic ]
}

# tquic_unload_if_loaded: for teardown: leave no module behind whatever the
# test did.
tquic_unload_if_loaded() {
	if tquic_loaded; then
		tquic_unload
	fi
}

# kmem_kib: unreclaimable slab + vmalloc + percpu memory in KiB: the kinds
# of memory a module's load, init and exit allocate and free.
kmem_kib() {
	awk '/^(SUnreclaim|VmallocUsed|Percpu):/ { s += $2 } END { print s }' /proc/meminfo
}

# slab_kib: memory in the active objects of every slab cache, in KiB
slab_kib() {
	awk 'NR > 2 { s += $2 * $4 } END { print int(s / 1024) }' /proc/slabinfo
}

# dmesg_mark / dmesg_since_mark: the kernel log written after the mark. The
# log is never cleared: the run's final check reads all of it.
dmesg_mark() {
	TQUIC_DMESG_MARK=$(dmesg | wc -l)
}

dmesg_since_mark() {
	dmesg | tail -n +$((${TQUIC_DMESG_MARK:-0} + 1))
}
