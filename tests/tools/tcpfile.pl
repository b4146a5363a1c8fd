#!/usr/bin/perl
# SPDX-License-Identifier: GPL-2.0
#
# tcpfile.pl: move one file over one TCP connection, to the last byte, so
# that a test can compare checksums (iperf3 -F stops at its test's end and
# loses what is still in flight).
#
#   tcpfile.pl recv PORT FILE        listen; write what the peer sends to FILE
#   tcpfile.pl send HOST PORT FILE   connect; send FILE, then half-close
#   tcpfile.pl serve PORT FILE       listen; send FILE to the peer that connects
#   tcpfile.pl fetch HOST PORT FILE  connect; write what the peer sends to FILE
#
# Listeners take IPv4 and IPv6 and print "listening" once they do. The side
# that received prints "BYTES bytes". Exit status non-zero on any error.
# Only perl-base modules (Essential in Debian).
use strict;
use warnings;
use IO::Socket::IP;
use Socket qw(SOMAXCONN);

sub copy_all {
	my ($from, $to) = @_;
	my ($buf, $total) = ('', 0);
	while (1) {
		my $n = sysread($from, $buf, 65536);
		die "read: $!\n" unless defined $n;
		last if $n == 0;
		my $off = 0;
		while ($off < $n) {
			my $w = syswrite($to, $buf, $n - $off, $off);
			die "write: $!\n" unless defined $w;
			$off += $w;
		}
		$total += $n;
	}
	return $total;
}

sub listener {
	my ($port) = @_;
	my $l = IO::Socket::IP->new(LocalHost => '::', LocalPort => $port,
				    Listen => SOMAXCONN, ReuseAddr => 1,
				    V6Only => 0)
		or die "listen on $port: $@\n";
	$| = 1;
	print "listening\n";
	my $c = $l->accept or die "accept: $!\n";
	close $l;
	return $c;
}

sub connector {
	my ($host, $port) = @_;
	my $s = IO::Socket::IP->new(PeerHost => $host, PeerPort => $port);

	die "connect to $host port $port: $@\n" unless $s;
	return $s;
}

my $mode = shift // '';
if ($mode eq 'recv' || $mode eq 'fetch') {
	my $file = pop @ARGV;
	my $s = $mode eq 'recv' ? listener(@ARGV) : connector(@ARGV);
	open(my $fh, '>:raw', $file) or die "$file: $!\n";
	my $n = copy_all($s, $fh);
	close $fh or die "$file: $!\n";
	print "$n bytes\n";
} elsif ($mode eq 'send' || $mode eq 'serve') {
	my $file = pop @ARGV;
	open(my $fh, '<:raw', $file) or die "$file: $!\n";
	my $s = $mode eq 'serve' ? listener(@ARGV) : connector(@ARGV);
	copy_all($fh, $s);
	shutdown($s, 1) or die "shutdown: $!\n";
	# the peer closes once it has read everything
	my $buf;
	1 while sysread($s, $buf, 65536);
} else {
	die "usage: tcpfile.pl recv PORT FILE | send HOST PORT FILE | " .
	    "serve PORT FILE | fetch HOST PORT FILE\n";
}
