#!/usr/bin/perl
# SPDX-License-Identifier: GPL-2.0
#
# udpjunk.pl HOST PORT COUNT: COUNT datagrams of random bytes (1 to 1400
# bytes each) to HOST:PORT, as fast as the socket takes them; prints how
# many were sent. Only perl-base modules (Essential in Debian).
use strict;
use warnings;
use IO::Socket::IP;

my ($host, $port, $count) = @ARGV;
die "usage: udpjunk.pl HOST PORT COUNT\n" unless defined $count;
my $s = IO::Socket::IP->new(PeerHost => $host, PeerPort => $port,
			    Proto => 'udp');
die "socket to $host port $port: $@\n" unless $s;
open(my $rnd, '<:raw', '/dev/urandom') or die "/dev/urandom: $!\n";
my $pool;
read($rnd, $pool, 1 << 20) == 1 << 20 or die "/dev/urandom: short read\n";
my $sent = 0;
for my $i (1 .. $count) {
	my $len = 1 + int(rand(1400));
	my $off = int(rand((1 << 20) - $len));
	# a full send buffer is not an error here: the next one goes
	$sent++ if defined send($s, substr($pool, $off, $len), 0);
}
print "$sent sent\n";
