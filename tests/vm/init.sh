#!/bin/busybox sh
# SPDX-License-Identifier: GPL-2.0
#
# /init of the VM bench's initramfs: mount the host's root read-only over
# virtio 9p, give it writable tmpfs where programs write, mount the results
# share, switch to that root, run the job the host left there, then power
# off.

/bin/busybox --install -s /bin
export PATH=/bin

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev

echo "tquic-vm: init started (uptime $(cut -d" " -f1 /proc/uptime) s)"

for m in $(cat /modules.order); do
	insmod "/lib/modules/$m" || echo "tquic-vm: insmod $m failed"
done

R=/newroot
mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=512000,cache=loose \
	hostroot "$R" || { echo "tquic-vm: cannot mount host root"; poweroff -f; }

mount -t tmpfs -o mode=1777 tmpfs "$R/tmp"
mount -t tmpfs -o mode=0755 tmpfs "$R/run"
mount -t proc proc "$R/proc"
mount -t sysfs sysfs "$R/sys"
mount -t devtmpfs devtmpfs "$R/dev"
mkdir -p "$R/dev/pts" "$R/dev/shm"
ln -sf /proc/self/fd "$R/dev/fd"
ln -sf /proc/self/fd/0 "$R/dev/stdin"
ln -sf /proc/self/fd/1 "$R/dev/stdout"
ln -sf /proc/self/fd/2 "$R/dev/stderr"
mount -t devpts devpts "$R/dev/pts"
mount -t tmpfs tmpfs "$R/dev/shm"
mount -t debugfs debugfs "$R/sys/kernel/debug" 2>/dev/null
mount -t tmpfs tmpfs "$R/var/tmp" 2>/dev/null
# The checkout under test, at the same path as on the host, even where the
# guest has its own tmpfs (a clone under /tmp).
TOP=$(sed -n 's/.*tqvm_top=\([^ ]*\).*/\1/p' /proc/cmdline)
if [ -n "$TOP" ]; then
	mkdir -p "$R$TOP" 2>/dev/null
	mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=512000,cache=loose \
		top "$R$TOP" || echo "tquic-vm: cannot mount $TOP"
fi
mkdir -p "$R/tmp/tquic-vm"
mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000 \
	results "$R/tmp/tquic-vm" || { echo "tquic-vm: cannot mount results"; poweroff -f; }

# The host's root becomes the root (switch_root moves it onto /, not a
# chroot: a chrooted process may not make a user namespace, and tests make
# them), and PID 1 goes on there: the kernel's own module requests
# (crypto_alloc_aead("gcm(aes)") loading gcm, say) then find the host's
# modprobe and modules. The host's static busybox powers off at the end.
#
# Stage 2 also gives the guest a writable /etc: an overlay of a tmpfs on the
# host's, so that nothing reaches the host. The checkout's conntrack label
# names are merged into its /etc/connlabel.conf, as make install does on a
# gateway: nft and gatewayd read them there, and a fresh machine has no
# such file. Its argument: the checkout ($TOP).
cat > "$R/tmp/tquic-vm-stage2" <<'EOS'
#!/bin/sh
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
echo /sbin/modprobe > /proc/sys/kernel/modprobe
/sbin/modprobe overlay
if mkdir -p /run/tquic-etc/upper /run/tquic-etc/work &&
   mount -t overlay -o lowerdir=/etc,upperdir=/run/tquic-etc/upper,workdir=/run/tquic-etc/work \
	tquic-etc /etc; then
	sh "$1/nft/merge-connlabel.sh" /etc/connlabel.conf ||
		echo "tquic-vm: cannot merge $1/nft/connlabel.conf into /etc/connlabel.conf"
else
	echo "tquic-vm: no writable /etc (overlay), so no /etc/connlabel.conf"
fi
echo "tquic-vm: running job (uptime $(cut -d" " -f1 /proc/uptime) s)"
/bin/sh /tmp/tquic-vm/job.sh
echo "tquic-vm: job exited $?"
sync
/bin/busybox poweroff -f
EOS
exec switch_root "$R" /bin/sh /tmp/tquic-vm-stage2 "$TOP"
