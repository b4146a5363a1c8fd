#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# mkinitramfs.sh KVER OUT: build the VM bench's initramfs for kernel KVER.
#
# A static busybox, the modules needed to mount the host's root over virtio
# 9p (in dependency order, as modprobe --show-depends reports them) and
# init.sh as /init. Nothing else: the guest runs everything from the host's
# root filesystem.
set -eu

KVER=$1
OUT=$2
HERE=$(cd "$(dirname "$0")" && pwd)

BUSYBOX=$(command -v busybox || true)
[ -x /bin/busybox ] && BUSYBOX=/bin/busybox
if [ -z "$BUSYBOX" ] || ! file -L "$BUSYBOX" 2>/dev/null | grep -q 'statically linked'; then
	if ! ldd "$BUSYBOX" 2>&1 | grep -q 'not a dynamic executable'; then
		echo "mkinitramfs: need a static busybox (package busybox-static)" >&2
		exit 1
	fi
fi

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

mkdir -p "$WORK/bin" "$WORK/lib/modules" "$WORK/proc" "$WORK/sys" \
	 "$WORK/dev" "$WORK/newroot"
cp "$BUSYBOX" "$WORK/bin/busybox"
cp "$HERE/init.sh" "$WORK/init"
chmod 0755 "$WORK/init"

# One name per call: modprobe prints each dependency chain from its root.
: > "$WORK/modules.order"
for m in virtio_pci 9pnet_virtio 9p; do
	modprobe -S "$KVER" --show-depends "$m" | awk '$1 == "insmod" { print $2 }'
done | while read -r ko; do
	name=$(basename "$ko")
	if ! grep -qx "$name" "$WORK/modules.order"; then
		cp "$ko" "$WORK/lib/modules/$name"
		echo "$name" >> "$WORK/modules.order"
	fi
done

(cd "$WORK" && find . | cpio -o -H newc --quiet) | gzip -1 > "$OUT.tmp"
mv "$OUT.tmp" "$OUT"
