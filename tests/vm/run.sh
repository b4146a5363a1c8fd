#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run.sh [-p | -j JOB | BATS_FILE...]: run tests inside the VM bench.
#
# Boots the distribution kernel the module was built against in QEMU, with
# the host's root filesystem read-only over virtio 9p, and runs a job inside:
# by default the bats suite (tests/vm/*.bats, or the files given), with -j a
# shell script (make demo). The job's output streams to this terminal; its
# exit status is this script's exit status. -p only decides, once per
# machine, between KVM and TCG (make check does it before the suite).
#
# Everything the run leaves is in tests/vm/results/: console.log (the serial
# console), dmesg.txt, tap.txt (bats TAP), counts ("PASSED FAILED").
# Any BUG, WARNING, Oops, general protection fault, kmemleak, UBSAN or KASAN
# report in dmesg fails the run even when every test passed. A guest that
# does not power off within VM_TIMEOUT seconds is killed.
#
# Environment: KDIR (kernel headers the module was built with), VM_ACCEL
# (kvm, tcg or auto: try KVM once, remember the outcome), VM_MEM, VM_SMP,
# VM_TIMEOUT (seconds, default 1800), VM_APPEND (extra kernel arguments),
# VM_CPU (TCG CPU model; Westmere by default: it has AES-NI and PCLMUL for
# the kernel's gcm(aes), and no AVX, whose emulation made the guest's
# programs about a quarter slower to start than with -cpu max).
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
BUILD=$HERE/build
RES=$HERE/results
T0=$(date +%s.%N)

JOB=
PROBE_ONLY=
while getopts "j:p" opt; do
	case $opt in
	j) JOB=$(realpath "$OPTARG") ;;
	p) PROBE_ONLY=1 ;;
	*) echo "usage: $0 [-p | -j JOB | BATS_FILE...]" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
FILES=()
for f in "$@"; do
	FILES+=("$(realpath "$f")") || exit 2
done

die() { echo "vm: $*" >&2; exit 1; }

KDIR=${KDIR:-$(make -s -C "$TOP/kernel" kdir)}
KVER=$(sed -n 's/^#define UTS_RELEASE "\(.*\)"/\1/p' "$KDIR/include/generated/utsrelease.h" 2>/dev/null)
[ -n "$KVER" ] || die "no kernel release in $KDIR (make deps installs linux-headers-amd64)"
KERNEL=/boot/vmlinuz-$KVER
[ -r "$KERNEL" ] || die "$KERNEL missing: the VM boots the kernel the module was built for (package linux-image-$KVER)"
MOD=$TOP/kernel/tquic.ko
[ -r "$MOD" ] || die "$MOD missing: run make first"
modinfo -F vermagic "$MOD" | grep -q "^$KVER " ||
	die "$MOD was built for $(modinfo -F vermagic "$MOD" | cut -d' ' -f1), not $KVER"
command -v qemu-system-x86_64 >/dev/null || die "qemu-system-x86_64 missing (make deps)"

mkdir -p "$BUILD"
INITRD=$BUILD/initramfs-$KVER.gz
if [ ! -s "$INITRD" ] || [ "$HERE/init.sh" -nt "$INITRD" ] ||
   [ "$HERE/mkinitramfs.sh" -nt "$INITRD" ]; then
	"$HERE/mkinitramfs.sh" "$KVER" "$INITRD" || die "cannot build the initramfs"
fi

rm -rf "$RES"
mkdir -p "$RES"

# The job the guest's init runs in the host's root.
{
	echo "#!/bin/sh"
	echo "export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
	echo "export HOME=/tmp TMPDIR=/tmp LANG=C.UTF-8 TQUIC_TOP='$TOP'"
	echo "export TQUIC_VM_RESULTS=/tmp/tquic-vm TQUIC_MODULE='$MOD'"
	echo "exec > /dev/console 2>&1"
	echo "cd '$TOP'"
	if [ -n "$JOB" ]; then
		echo "/bin/bash /tmp/tquic-vm/user-job.sh"
		echo "echo \$? > /tmp/tquic-vm/status"
	else
		echo "/bin/bash '$HERE/guest-suite.sh' ${FILES[*]}"
	fi
	echo "dmesg > /tmp/tquic-vm/dmesg.txt"
} > "$RES/job.sh"
# The job file may live where the guest has its own tmpfs (/tmp): copy it.
[ -n "$JOB" ] && cp "$JOB" "$RES/user-job.sh"

MEM=${VM_MEM:-2G}
SMP=${VM_SMP:-2}
TIMEOUT=${VM_TIMEOUT:-1800}

qemu_run() { # ACCEL TIMEOUT CONSOLE
	local cpu=${VM_CPU:-Westmere}
	[ "$1" = kvm ] && cpu=host
	timeout -s KILL "$2" qemu-system-x86_64 -accel "$1" -cpu "$cpu" \
		-smp "$SMP" -m "$MEM" -no-user-config -nodefaults \
		-display none -no-reboot -serial "file:$3" \
		-kernel "$KERNEL" -initrd "$INITRD" \
		-append "console=ttyS0 quiet panic=-1 tqvm_top=$TOP ${VM_APPEND:-}" \
		-virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
		-virtfs "local,path=$TOP,mount_tag=top,security_model=none,readonly=on,multidevs=remap" \
		-virtfs "local,path=$RES,mount_tag=results,security_model=none"
}

# KVM when it works, TCG otherwise, decided by trying: a guest under working
# KVM reaches init in about a second; one that has printed nothing after
# VM_KVM_PROBE seconds is killed. The outcome is remembered per host kernel
# and QEMU version, so only the first run pays for the probe.
pick_accel() {
	local want=${VM_ACCEL:-auto} key cache probe
	if [ "$want" != auto ]; then
		echo "$want"
		return
	fi
	if [ ! -w /dev/kvm ]; then
		echo tcg
		return
	fi
	key="$(uname -r) $(qemu-system-x86_64 --version | head -n1)"
	cache=$BUILD/accel
	if [ -f "$cache" ] && [ "$(head -n1 "$cache")" = "$key" ]; then
		tail -n1 "$cache"
		return
	fi
	probe=$(mktemp)
	( qemu_run kvm "${VM_KVM_PROBE:-3}" "$probe" ) >/dev/null 2>&1 &
	local pid=$! ok=tcg i
	for i in $(seq 1 $((${VM_KVM_PROBE:-3} * 10))); do
		if grep -q "tquic-vm: init started" "$probe" 2>/dev/null; then
			ok=kvm
			break
		fi
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	pkill -KILL -f "file:$probe" 2>/dev/null
	wait "$pid" 2>/dev/null
	rm -f "$probe"
	printf '%s\n%s\n' "$key" "$ok" > "$cache"
	echo "$ok"
}

ACCEL=$(pick_accel)
if [ -n "$PROBE_ONLY" ]; then
	echo "vm: accelerator for this machine: $ACCEL (kept in $BUILD/accel)"
	exit 0
fi
echo "vm: kernel $KVER, accel $ACCEL, ${SMP} cpus, $MEM (QEMU starts $(echo "$(date +%s.%N) - $T0" | bc | xargs printf '%.1f') s after the suite)"

: > "$RES/console.log"
qemu_run "$ACCEL" "$TIMEOUT" "$RES/console.log" > "$RES/qemu.log" 2>&1 &
QPID=$!
echo "$T0" > "$RES/t0"
tail -n +1 -f --pid="$QPID" "$RES/console.log" 2>/dev/null |
	grep --line-buffered -v -E '^\[ *[0-9]+\.[0-9]+\] reboot: Power down' &
TPID=$!

# A guest whose kernel oopsed usually hangs the test that hit it: give it
# VM_OOPS_GRACE seconds to finish on its own, then kill it.
BAD='(BUG[: ]|WARNING:|Oops|general protection|kmemleak|UBSAN:|KASAN:|Kernel panic|Call Trace:|refcount_t:|list_(add|del) corruption)'
(
	while kill -0 "$QPID" 2>/dev/null; do
		if grep -E -q "$BAD" "$RES/console.log"; then
			sleep "${VM_OOPS_GRACE:-30}"
			kill -KILL "$QPID" 2>/dev/null
			pkill -KILL -f "file:$RES/console.log" 2>/dev/null
			exit
		fi
		sleep 1
	done
) &
WPID=$!
wait "$QPID"
QRC=$?
kill "$WPID" 2>/dev/null
wait "$WPID" 2>/dev/null
wait "$TPID" 2>/dev/null

if [ -e "$RES/first-test" ]; then
	echo "vm: first test started $(echo "$(stat -c %.3Y "$RES/first-test") - $T0" | bc | xargs printf '%.1f') s after the suite started"
fi

fail=0
if [ "$QRC" -eq 137 ]; then
	echo "vm: guest killed (hung, or oopsed and did not finish)"
	fail=1
elif [ "$QRC" -ne 0 ]; then
	echo "vm: qemu exited $QRC: $(tail -n3 "$RES/qemu.log")"
	fail=1
fi

status=$(cat "$RES/status" 2>/dev/null)
if [ -z "$status" ]; then
	echo "vm: the job did not finish"
	fail=1
elif [ "$status" != 0 ]; then
	fail=1
fi

# The kernel must never oops, leak or warn. dmesg.txt is written by the job;
# the console log also holds what a crashed guest printed before dying.
dmesg_ok=1
if grep -E -q "$BAD" "$RES/dmesg.txt" "$RES/console.log" 2>/dev/null; then
	echo "vm: kernel reported a problem:"
	grep -h -E -B2 -A20 "$BAD" "$RES/dmesg.txt" "$RES/console.log" 2>/dev/null | head -n 60
	dmesg_ok=0
	fail=1
fi
if [ ! -s "$RES/dmesg.txt" ]; then
	dmesg_ok=0
fi

if [ -z "$JOB" ] && [ -f "$RES/tap.txt" ]; then
	passed=$(grep -c '^ok ' "$RES/tap.txt")
	failed=$(grep -c '^not ok ' "$RES/tap.txt")
	# dmesg clean after the suite counts as one test of its own.
	if [ "$dmesg_ok" = 1 ]; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
	fi
	[ "$fail" = 1 ] && [ "$failed" = 0 ] && failed=1
	echo "$passed $failed" > "$RES/counts"
	echo "vm: $passed passed, $failed failed (dmesg check included)"
elif [ -z "$JOB" ]; then
	echo "0 1" > "$RES/counts"
fi

if [ "$fail" = 1 ]; then
	echo "vm: FAILED; serial console, dmesg and TAP kept in $RES/"
	exit 1
fi
exit 0
