# SPDX-License-Identifier: GPL-2.0
#
# TQUIC gateway.
#
#   make            build kernel/tquic.ko and the programs under gatewayd/
#   make deps       install the Debian packages everything here needs
#   make check      deps, tests/deps-check.sh, build, unit tests, kernel lint,
#                   VM suite; ends with one line "N passed, N failed"
#   make demo       deps, build, boot the VM lab and show it
#   make fuzz       the libFuzzer targets, FUZZ_TIME seconds each (600)
#   make bench      measurements (userspace and VM) into build/bench/results.tsv
#   make install    DESTDIR= and PREFIX= as packagers expect
#
# KDIR= selects the kernel headers (default: newest /lib/modules/*/build).
# W=1 and C=1/C=2 are handed to Kbuild (command-line variables reach sub-makes).

PREFIX ?= /usr/local
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
# systemd reads units and modules-load.d from /usr/local/lib as well as /usr/lib
UNITDIR ?= $(PREFIX)/lib/systemd/system
MODLOADDIR ?= $(PREFIX)/lib/modules-load.d
DESTDIR ?=


# Debian 12 packages, by what needs them. Every program the build, the tests
# and the VM image run must come from one of these or from a package every
# Debian system has (Essential, or Priority: required): tests/deps-check.sh,
# make check's first step, names any that does not. Kbuild runs gcc-12 (the
# compiler of Debian 12's kernel) and binutils' ld and nm; pkgconf ships
# pkg-config; nftables (nft), wireshark-common (dumpcap) and file are for the
# VM tests and image.
DEPS_BUILD := make gcc gcc-12 binutils libc6-dev pkgconf linux-headers-amd64 \
	      libsystemd-dev libmnl-dev libgnutls28-dev libinih-dev
DEPS_CHECK := sparse libcmocka-dev nettle-dev clang libclang-rt-14-dev \
	      linux-image-amd64 qemu-system-x86 \
	      busybox-static cpio file kmod bats bats-assert bats-support \
	      iproute2 nftables iperf3 iputils-ping procps bc systemd \
	      groff-base gnutls-bin libngtcp2-dev libngtcp2-crypto-gnutls-dev \
	      tshark wireshark-common wireguard-tools conntrack
DEPS := $(DEPS_BUILD) $(DEPS_CHECK)

all: kernel gatewayd systemd/tquic-gateway.service

kernel:
	$(MAKE) -C kernel

gatewayd:
	$(MAKE) -C gatewayd

# Installs only what is missing, so it is a no-op on a ready machine.
systemd/tquic-gateway.service: systemd/tquic-gateway.service.in
	sed 's|@SBINDIR@|$(SBINDIR)|g' $< > $@

deps:
	@missing=$$(for p in $(DEPS); do \
		dpkg-query -W -f='$${Status}\n' "$$p" 2>/dev/null | \
			grep -q 'install ok installed' || echo "$$p"; done); \
	if [ -z "$$missing" ]; then echo "deps: all installed"; exit 0; fi; \
	echo "deps: installing" $$missing; \
	sudo=; [ "$$(id -u)" = 0 ] || sudo=sudo; \
	$$sudo apt-get update -qq && \
	DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq \
		--no-install-recommends $$missing

# deps-check first: a missing package stops make check here, named.
check: deps
	tests/deps-check.sh
	$(MAKE) all
	$(MAKE) -C tests/tools
	tests/check.sh

# Unit tests only: no VM, no root.
check-unit: gatewayd
	$(MAKE) -C tests/unit run

demo: deps
	$(MAKE) all
	tests/vm/run.sh -j tests/vm/demo.sh

FUZZ_TIME ?= 600
fuzz: deps
	$(MAKE) -C tests/fuzz run FUZZ_TIME=$(FUZZ_TIME)

# The userspace micro-benchmarks (tests/bench), then the VM's scenarios
# (tests/bench/vm-bench.sh: RUNS runs of each, 3 by default, medians kept;
# BENCH_SECS seconds a flow), all merged into build/bench/results.tsv and
# shown. Nothing asserts a timing: it fails when a measurement could not
# be made, after writing what was measured.
bench: deps
	$(MAKE) all
	$(MAKE) -C tests/bench run
	@mkdir -p build/bench
	@rc=0; \
	VM_APPEND="$${VM_APPEND:-} tqbench.runs=$(or $(RUNS),3) $(if $(BENCH_SECS),tqbench.secs=$(BENCH_SECS))" \
		tests/vm/run.sh -j tests/bench/vm-bench.sh || rc=1; \
	tests/bench/results.sh merge build/bench/results.tsv tests/vm/results/bench.tsv \
		tests/bench/results/pktpath.tsv -- tests/bench/results/crypto.tsv || rc=1; \
	exit $$rc

# The unit names SBINDIR, so it is made afresh for each install. The
# conntrack label names nft and gatewayd read are merged into
# /etc/connlabel.conf (the staged one under DESTDIR), beside its other lines.
install: kernel gatewayd
	sed 's|@SBINDIR@|$(SBINDIR)|g' systemd/tquic-gateway.service.in > systemd/tquic-gateway.service
	$(MAKE) -C kernel install
	install -D -m 0755 gatewayd/tquic-gatewayd $(DESTDIR)$(SBINDIR)/tquic-gatewayd
	install -D -m 0755 gatewayd/tquicctl $(DESTDIR)$(SBINDIR)/tquicctl
	install -D -m 0644 systemd/tquic-gateway.service $(DESTDIR)$(UNITDIR)/tquic-gateway.service
	install -D -m 0644 systemd/modules-load.conf $(DESTDIR)$(MODLOADDIR)/tquic.conf
	install -D -m 0644 man/tquic-gateway.8 $(DESTDIR)$(MANDIR)/man8/tquic-gateway.8
	ln -sf tquic-gateway.8 $(DESTDIR)$(MANDIR)/man8/tquic-gatewayd.8
	install -D -m 0644 -t $(DESTDIR)$(PREFIX)/share/tquic/nft nft/connlabel.conf \
		nft/client-example.nft nft/server-example.nft
	install -D -m 0755 nft/merge-connlabel.sh $(DESTDIR)$(PREFIX)/share/tquic/nft/merge-connlabel.sh
	sh nft/merge-connlabel.sh $(DESTDIR)/etc/connlabel.conf
	@if [ -z "$(DESTDIR)" ]; then depmod -a "$$($(MAKE) -s -C kernel kver)"; fi

# /etc/connlabel.conf keeps the lines install merged into it: rules and
# other software may use those names, and the file is the administrator's.
uninstall:
	$(MAKE) -C kernel uninstall
	rm -f $(DESTDIR)$(SBINDIR)/tquic-gatewayd $(DESTDIR)$(SBINDIR)/tquicctl \
	      $(DESTDIR)$(UNITDIR)/tquic-gateway.service \
	      $(DESTDIR)$(MODLOADDIR)/tquic.conf \
	      $(DESTDIR)$(MANDIR)/man8/tquic-gateway.8 \
	      $(DESTDIR)$(MANDIR)/man8/tquic-gatewayd.8
	rm -f $(DESTDIR)$(PREFIX)/share/tquic/nft/connlabel.conf \
	      $(DESTDIR)$(PREFIX)/share/tquic/nft/client-example.nft \
	      $(DESTDIR)$(PREFIX)/share/tquic/nft/server-example.nft \
	      $(DESTDIR)$(PREFIX)/share/tquic/nft/merge-connlabel.sh
	rmdir $(DESTDIR)$(PREFIX)/share/tquic/nft $(DESTDIR)$(PREFIX)/share/tquic 2>/dev/null || true
	@if [ -z "$(DESTDIR)" ]; then depmod -a "$$($(MAKE) -s -C kernel kver)"; fi

# DEPS, one line: tests/deps-check.sh reads it.
print-deps:
	@echo $(DEPS)

clean:
	$(MAKE) -C kernel clean
	$(MAKE) -C gatewayd clean
	$(MAKE) -C tests/tools clean
	$(MAKE) -C tests/unit clean
	$(MAKE) -C tests/fuzz clean
	$(MAKE) -C tests/bench clean
	rm -rf tests/vm/build tests/vm/results build
	rm -f systemd/tquic-gateway.service

.PHONY: all kernel gatewayd deps check check-unit demo fuzz bench install uninstall \
	print-deps clean
