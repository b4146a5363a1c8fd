#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# deps-check.sh [-m MAKEFILE] [-v]: make check runs this first, right after make
# deps. It finds every program the build, the tests and the VM image run,
# by a static scan of the Makefiles' recipes and $(shell)s and of the shell,
# bash and bats files under tests/ (command words, also those behind exec,
# command -v, run, timeout, ip netns exec, xargs, chroot and the tests' own
# wrappers such as in_gw and gw_until), resolves each to the Debian package
# that ships it (dpkg -S, through symlinks and /etc/alternatives, under
# /usr/bin and /bin alike), and fails, one line per problem, when a program
# is not installed or its package is neither in the Makefile's DEPS nor on
# every Debian 12 system (Essential: yes or Priority: required). The VM's
# /init runs busybox applets: those are checked against busybox --list.
#
# -m MAKEFILE: read DEPS from (and scan) MAKEFILE instead of the top-level
# Makefile; tests/host/deps.bats gives it a copy with a package taken out.
# -v: also list every program, its packages and where it was found first.

set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
MF=$TOP/Makefile
VERBOSE=
while getopts "m:v" opt; do
	case $opt in
	m) MF=$(realpath "$OPTARG") || exit 2 ;;
	v) VERBOSE=1 ;;
	*) echo "usage: $0 [-m MAKEFILE] [-v]" >&2; exit 2 ;;
	esac
done
# The tests run as root, sbin included (tests/vm/run.sh sets that PATH).
PATH=$PATH:/usr/local/sbin:/usr/sbin:/sbin

# make from inside make check: no inherited flags, no "Entering directory".
deps_make() {
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s --no-print-directory "$@"
}

deps=$(deps_make -C "$(dirname "$MF")" -f "$MF" print-deps) ||
	{ echo "deps-check: cannot read DEPS (make print-deps) from $MF"; exit 1; }
declare -A in_deps
for p in $deps; do
	in_deps[$p]=1
done

problems=()

# What to scan: the Makefiles, every shell, bash and bats file under tests/
# (build products and VM results aside), and the C test tools for exec().
# This script comes last, so that a program it shares with the tests is
# reported where the tests run it.
SELF=$TOP/tests/deps-check.sh
inputs=("make:$MF")
while IFS= read -r f; do
	inputs+=("make:$f")
done < <(find "$TOP" \( -name .git -o -name build -o -name results \) -prune -o \
	-type f -name Makefile ! -path "$TOP/Makefile" -print | sort)
while IFS= read -r f; do
	case $f in
	"$SELF") ;;
	*.sh|*.bash|*.bats) inputs+=("sh:$f") ;;
	*.c) inputs+=("c:$f") ;;
	*) head -n 1 "$f" 2>/dev/null | grep -qE '^#!.*[/ ](sh|bash|bats|busybox)( |$)' &&
		inputs+=("sh:$f") ;;
	esac
done < <(find "$TOP/tests" "$TOP/gatewayd" \( -name build -o -name results \) -prune -o \
	-type f -print | sort)
inputs+=("sh:$SELF")

# Kbuild compiles with the compiler the kernel was built with, not cc.
kdir=$(deps_make -C "$TOP/kernel" kdir 2>/dev/null)
kcc=$(sed -n 's/^CONFIG_CC_VERSION_TEXT="\([^ "]*\).*/\1/p' "$kdir/.config" 2>/dev/null)
[ -n "$kcc" ] ||
	problems+=("deps-check: no kernel headers with a .config at '$kdir', so the compiler Kbuild runs is unknown (package linux-headers-amd64)")

# Programs that run on our behalf, which no scan of our files can see, in
# the scanner's format (below): P, the program, why.
extras() {
	printf 'P\t%s\t%s\n' \
		/bin/sh "make runs every recipe with it" \
		ld "Kbuild links tquic.ko with it; cc and clang link with it" \
		nm "Kbuild runs it on every object of the module" \
		as "cc assembles with it" \
		sparse "make -C kernel lint (Kbuild's C=2)" \
		/bin/bash "the job tests/vm/run.sh writes for the guest" \
		dmesg "the job tests/vm/run.sh writes for the guest"
	[ -z "$kcc" ] || printf 'P\t%s\t%s\n' "$kcc" "Kbuild: the compiler of $kdir/.config"
}

# The scanner prints one line per command word found: KIND (P: a program
# on the host, X: one that an exec-style wrapper such as xargs or timeout
# runs, so a file even where the shell has a builtin of that name, A: a
# busybox applet in the VM's initramfs), the word, and where it was found.
scan() {
	perl - "$TOP" "${inputs[@]}" <<'PERL'
use strict;
use warnings;

my ($top, @inputs) = @ARGV;
our ($S, $P, $L, $MODE) = ('', 0, 1, 'sh');	# lexer: text, position, line
our $FILE = '';
my @cmds;	# simple commands: {w => [words], file, line, mode, fn}
my %funcs;	# shell functions defined anywhere in the scanned files
my %assign;	# file => variable => [values assigned to it]
my %fwrap;	# function => arguments before the command it runs ("$@")

sub rel { my $f = shift; $f =~ s{^\Q$top\E/}{}; $f }
sub emit { my ($k, $w, $line) = @_; print "$k\t$w\t$FILE:$line\n"; }

# --- shell lexer: words (quotes removed, expansions kept as $...) and
# operators; command substitutions, process substitutions, backquotes and
# here-documents that are scripts become nested token lists ("subs").

sub lex_string {
	my ($text, $line) = @_;
	local ($S, $P, $L) = ($text, 0, $line);
	return lex_code(0);
}

sub skip_arith {	# at "((" or "$((": to the matching "))"
	my $depth = 0;
	$P++ if substr($S, $P, 1) eq '$';
	while ($P < length $S) {
		my $c = substr($S, $P++, 1);
		if ($c eq '(') { $depth++ }
		elsif ($c eq ')') { return if --$depth == 0 }
		elsif ($c eq "\n") { $L++ }
	}
}

sub lex_dollar {	# at "$" or "`", inside a word or double quotes
	my ($w) = @_;
	$w->{dyn} = 1;
	if (substr($S, $P, 1) eq '`') {
		my ($i, $in, $line) = ($P + 1, '', $L);
		while ($i < length $S) {
			my $d = substr($S, $i, 1);
			if ($d eq '\\') { $in .= substr($S, $i + 1, 1); $i += 2; next; }
			last if $d eq '`';
			$in .= $d;
			$i++;
		}
		$L += ($in =~ tr/\n//);
		$P = $i + 1;
		push @{$w->{subs}}, [lex_string($in, $line), $MODE];
		$w->{v} .= '`';
		return;
	}
	if (substr($S, $P, 3) eq '$((') { skip_arith(); $w->{v} .= '$(())'; return; }
	my $n = substr($S, $P + 1, 1);
	if ($n eq '(') {
		$P += 2;
		push @{$w->{subs}}, [lex_code(1), $MODE];
		$w->{v} .= '$()';
		return;
	}
	if ($n eq '{') {	# ${...}: may hold $(...) in a default value
		$P += 2;
		my $depth = 1;
		while ($P < length $S) {
			my $c = substr($S, $P, 1);
			if ($c eq '}') { $P++; last if --$depth == 0; next; }
			if ($c eq '{') { $depth++; $P++; next; }
			if ($c eq '\\') { $P += 2; next; }
			if ($c eq '"') { $P++; lex_dq({v => '', subs => $w->{subs}}, '"'); next; }
			if ($c eq '$' || $c eq '`') { lex_dollar($w); next; }
			$L++ if $c eq "\n";
			$P++;
		}
		$w->{v} .= '${}';
		return;
	}
	pos($S) = $P + 1;
	if ($S =~ /\G([A-Za-z_][A-Za-z0-9_]*|[0-9\@*#?\$!-])/gc) {
		$w->{v} .= '$' . $1;
		$P = pos($S);
		return;
	}
	$w->{v} .= '$';
	$P++;
}

sub lex_dq {	# double-quoted text up to $term (undef: to the end)
	my ($w, $term) = @_;
	while ($P < length $S) {
		my $c = substr($S, $P, 1);
		if (defined $term && $c eq $term) { $P++; return; }
		if ($c eq '\\') {
			my $n = substr($S, $P + 1, 1);
			if ($n eq "\n") { $L++ }
			elsif ($n =~ /[\$`"\\]/) { $w->{v} .= $n }
			else { $w->{v} .= "\\$n" }
			$P += 2;
			next;
		}
		if ($c eq '$' || $c eq '`') { lex_dollar($w); next; }
		$L++ if $c eq "\n";
		$w->{v} .= $c;
		$P++;
	}
}

sub lex_word {
	my %w = (t => 'w', v => '', dyn => 0, q => 0, line => $L, subs => []);
	while ($P < length $S) {
		my $c = substr($S, $P, 1);
		last if $c =~ /[ \t\r\n;&|<>()]/;
		if ($c eq '\\') {
			my $n = substr($S, $P + 1, 1);
			if ($n eq "\n") { $L++ } else { $w{v} .= $n }
			$P += 2;
			next;
		}
		if ($c eq "'") {
			my $e = index($S, "'", $P + 1);
			$e = length $S if $e < 0;
			my $s = substr($S, $P + 1, $e - $P - 1);
			$L += ($s =~ tr/\n//);
			$w{v} .= $s;
			$w{q} = 1;
			$P = $e + 1;
			next;
		}
		if ($c eq '"') { $P++; $w{q} = 1; lex_dq(\%w, '"'); next; }
		if ($c eq '$' || $c eq '`') { lex_dollar(\%w); next; }
		$w{v} .= $c;
		$P++;
		if ($w{v} =~ /^[A-Za-z_]\w*\+?=$/ && substr($S, $P, 1) eq '(') {
			# an array assignment: its elements are data, but what
			# they expand may run commands
			$P++;
			push @{$w{subs}}, @{$_->{subs} || []} for @{lex_code(1)};
			$w{v} .= '()';
			$w{dyn} = 1;
		}
	}
	return \%w;
}

sub shebang {	# a script's interpreter is a program too; returns the mode
	my ($interp, $arg, $line) = @_;
	emit('P', $interp, $line);
	emit('P', $arg, $line) if $interp =~ m{/env$} && defined $arg;
	if ($interp =~ m{/busybox$}) {
		emit('A', $arg, $line) if defined $arg;
		return 'bb';
	}
	return 'sh';
}

sub read_heredoc {
	my ($delim, $strip, $quoted) = @_;
	my ($body, $line) = ('', $L);
	while ($P < length $S) {
		my $e = index($S, "\n", $P);
		$e = length $S if $e < 0;
		my $ln = substr($S, $P, $e - $P);
		$P = $e + 1;
		$L++;
		$ln =~ s/^\t+// if $strip;
		last if $ln eq $delim;
		$body .= "$ln\n";
	}
	# A here-document that is a script (/init's modprobe-host) is scanned
	# as one; any other is data, but an unquoted one runs its $(...).
	if ($body =~ /^#!\s*(\S+)(?:[ \t]+(\S+))?/) {
		local $MODE = shebang($1, $2, $line);
		return {t => 'subs', subs => [[lex_string($body, $line), $MODE]]};
	}
	return () if $quoted;
	my %w = (v => '', subs => []);
	{
		local ($S, $P, $L) = ($body, 0, $line);
		lex_dq(\%w, undef);
	}
	return {t => 'subs', subs => $w{subs}};
}

sub lex_code {	# tokens up to the end, or with $close to an unmatched ")"
	my ($close) = @_;
	my (@t, @heredocs);
	my $depth = 0;
	while ($P < length $S) {
		my $c = substr($S, $P, 1);
		if ($c =~ /[ \t\r]/) { $P++; next; }
		if ($c eq '\\' && substr($S, $P + 1, 1) eq "\n") { $P += 2; $L++; next; }
		if ($c eq "\n") {
			$P++;
			push @t, {t => 'nl'};
			$L++;
			push @t, read_heredoc(@$_) for @heredocs;
			@heredocs = ();
			next;
		}
		if ($c eq '#') {
			my $e = index($S, "\n", $P);
			$P = $e < 0 ? length $S : $e;
			next;
		}
		if ($c eq ')' && $close && $depth == 0) { $P++; return \@t; }
		if (substr($S, $P, 2) eq '((') {	# arithmetic command
			my $line = $L;
			skip_arith();
			push @t, {t => 'w', v => '$(())', dyn => 1, q => 0, line => $line, subs => []};
			next;
		}
		if (substr($S, $P, 2) =~ /^[<>]\($/) {	# process substitution
			my $line = $L;
			$P += 2;
			push @t, {t => 'w', v => '$()', dyn => 1, q => 0, line => $line,
				  subs => [[lex_code(1), $MODE]]};
			next;
		}
		pos($S) = $P;
		if ($S =~ /\G\d+(?=[<>])/gc) { $P = pos($S); next; }	# 2>, 1<
		if ($S =~ /\G<<(?!<)(-?)[ \t]*/gc) {
			my $strip = $1;
			$P = pos($S);
			my $d = lex_word();
			push @heredocs, [$d->{v}, $strip, $d->{q}];
			next;
		}
		if ($S =~ /\G(;;&|;;|;&|&&|\|\||\|&|&>>|&>|>>|>&|<&|<<<|<>|>\||[;&|<>()])/gc) {
			my $op = $1;
			$P = pos($S);
			$depth++ if $op eq '(';
			$depth-- if $op eq ')';
			push @t, {t => 'op', v => $op};
			next;
		}
		push @t, lex_word();
	}
	return \@t;
}

# --- parser: simple commands, with the function each belongs to.

my %RESERVED = map { $_ => 1 } qw(if then else elif fi do done while until ! { } time esac);
my $ASSIGN = qr/^([A-Za-z_][A-Za-z0-9_]*)(?:\[[^\]]*\])?\+?=(.*)$/s;

sub tok_v {	# the text of token $i, '' past the end
	my ($toks, $i) = @_;
	return $i < @$toks ? $toks->[$i]{v} // '' : '';
}

sub parse_tokens {
	my ($toks, $mode, $base) = @_;
	my (@fns, @words, $line, $pending);
	my ($brace, $case, $state) = (0, 0, 'cmd');
	my $fn = sub { @fns ? $fns[-1][0] : $base };
	my $finish = sub {
		push @cmds, {w => [@words], file => $FILE, line => $line, mode => $mode, fn => $fn->()}
			if @words;
		@words = ();
	};
	my $subs = sub { parse_tokens($_->[0], $_->[1], $fn->()) for @{$_[0]{subs} || []} };
	for (my $i = 0; $i < @$toks; $i++) {
		my $t = $toks->[$i];
		if ($t->{t} eq 'subs') { $subs->($t); next; }
		$subs->($t) if $t->{t} eq 'w';
		my $isw = $t->{t} eq 'w';
		my $v = $isw ? $t->{v} : '';
		my $plain = $isw && !$t->{q} && !$t->{dyn};
		my $op = $isw ? '' : $t->{t} eq 'nl' ? "\n" : $t->{v};
		if ($state eq 'case_head') { $state = 'case_pat' if $plain && $v eq 'in'; next; }
		if ($state eq 'case_pat') {
			next if $op eq "\n" || $op eq '(';
			if ($plain && $v eq 'esac') { $case--; $state = 'cmd'; next; }
			$state = 'case_pat_rest';
		}
		if ($state eq 'case_pat_rest') { $state = 'cmd' if $op eq ')'; next; }
		if ($state eq 'for') { $state = 'cmd' if $op eq "\n" || $op eq ';' || ($plain && $v eq 'do'); next; }
		if ($state eq '[[') { $state = 'cmd' if $plain && $v eq ']]'; next; }
		if (!$isw) {
			if ($op =~ /^(?:<|>|>>|<<<|<>|>\||&>|&>>|>&|<&)$/) {	# its target is no command
				my $n = $toks->[$i + 1];
				if ($n && $n->{t} eq 'w') { $subs->($n); $i++; }
				next;
			}
			$finish->();
			$state = 'case_pat' if $case && $op =~ /^(?:;;&?|;&)$/;
			next;
		}
		if (!@words) {
			if ($v =~ $ASSIGN) {
				push @{$assign{$FILE}{$1}}, $t->{dyn} ? undef : $2;
				next;
			}
			if ($plain && $RESERVED{$v}) {
				if ($v eq '{') {
					$brace++;
					if (defined $pending) { push @fns, [$pending, $brace]; $pending = undef; }
				} elsif ($v eq '}') {
					pop @fns if @fns && $fns[-1][1] == $brace;
					$brace--;
				} elsif ($v eq 'esac') {
					$case-- if $case;
				}
				next;
			}
			if ($plain && $v eq 'case') { $case++; $state = 'case_head'; next; }
			if ($plain && ($v eq 'for' || $v eq 'select')) { $state = 'for'; next; }
			if ($plain && $v eq '[[') { $state = '[['; next; }
			if ($plain && $v eq '@test') { $i++; $pending = '@test'; next; }	# bats: @test "name" {
			my $name;
			my $parens = sub { tok_v($toks, $i + 1) eq '(' && tok_v($toks, $i + 2) eq ')' };
			if ($plain && $v eq 'function') {
				$name = tok_v($toks, ++$i);
			} elsif ($plain && $parens->()) {
				$name = $v;
			}
			if (defined $name) {
				$i += 2 if $parens->();
				$funcs{$name} = 1;
				$pending = $name;
				next;
			}
			$line = $t->{line};
		}
		push @words, $t;
	}
	$finish->();
}

sub scan_code {
	my ($text, $line, $mode) = @_;
	local $MODE = $mode;
	parse_tokens(lex_string($text, $line), $mode, undef);
}

# --- Makefiles: recipes and $(shell ...), with make's variables expanded
# where they name a program ($(CC), $(MAKE), $(PKG_CONFIG)); any other
# reference stays a variable, so it is never taken for a command.

my %mv;
sub mk_expand {
	my ($s, $line) = @_;
	my $out = '';
	my $i = 0;
	while ($i < length $s) {
		my $c = substr($s, $i, 1);
		if ($c ne '$') { $out .= $c; $i++; next; }
		my $n = substr($s, $i + 1, 1);
		if ($n eq '$') { $out .= '$'; $i += 2; next; }
		if ($n ne '(' && $n ne '{') { $out .= '${MK_AUTO}'; $i += 2; next; }
		my $cl = $n eq '(' ? ')' : '}';
		my ($j, $depth) = ($i + 2, 1);
		while ($j < length $s) {
			my $d = substr($s, $j, 1);
			$depth++ if $d eq $n;
			last if $d eq $cl && --$depth == 0;
			$j++;
		}
		my $in = substr($s, $i + 2, $j - $i - 2);
		$i = $j + 1;
		if ($in =~ /^shell\s+(.*)$/s) {
			scan_code(mk_expand($1, $line), $line, 'sh');
			$out .= '${MK_SHELL}';
		} elsif ($in =~ /^[A-Za-z_][A-Za-z0-9_.]*$/) {
			my $val = $mv{$in};
			$out .= defined $val && $val !~ /\$/ ? $val : "\${MK_$in}";
		} else {	# a make function: only what it may run matters
			mk_expand($in, $line);
			$out .= '${MK_FN}';
		}
	}
	return $out;
}

sub scan_makefile {
	my ($text) = @_;
	%mv = (CC => 'cc', MAKE => 'make', RM => 'rm -f');	# make's defaults
	my @lines;	# [line number, logical line]
	my $n = 0;
	my $acc;
	for my $ln (split /\n/, $text, -1) {
		$n++;
		if (defined $acc) { $acc->[1] .= " $ln" } else { $acc = [$n, $ln] }
		if ($acc->[1] =~ s/\\$//) { next }
		push @lines, $acc;
		$acc = undef;
	}
	push @lines, $acc if defined $acc;
	for my $l (@lines) {
		my $s = $l->[1];
		$mv{$1} = $2 if $s =~ /^([A-Za-z_][A-Za-z0-9_]*)\s*(?::=|::=|\?=|=)\s*(.*?)\s*$/;
	}
	my $in_rule = 0;
	for my $l (@lines) {
		my ($line, $s) = @$l;
		if ($s =~ /^\t/ && $in_rule) {
			(my $r = $s) =~ s/^\t[\s@+-]*//;
			scan_code(mk_expand($r, $line), $line, 'sh');
			next;
		}
		next if $s =~ /^\s*(#|$)/;
		$in_rule = $s =~ /^[^\t#=]*[^:=]:(?!=)/ ? 1 : 0;	# a rule, not an assignment
		mk_expand($s, $line);	# its $(shell ...)s
	}
}

for my $in (@inputs) {
	my ($type, $path) = split /:/, $in, 2;
	open my $fh, '<', $path or next;
	my $text = do { local $/; <$fh> };
	close $fh;
	local $FILE = rel($path);
	if ($type eq 'make') {
		scan_makefile($text);
	} elsif ($type eq 'c') {	# programs a C tool execs by name
		while ($text =~ /\b(?:exec[lv]p?e?|system|popen)\s*\(\s*"([^"\s]+)/g) {
			emit('P', $1, 1 + (substr($text, 0, pos $text) =~ tr/\n//));
		}
	} else {
		my $mode = 'sh';
		$mode = shebang($1, $2, 1) if $text =~ /^#!\s*(\S+)(?:[ \t]+(\S+))?/;
		scan_code($text, 1, $mode);
	}
}

# trap 'CODE' and sh -c 'CODE': the code is a script of its own
for (my $n = 0; $n < @cmds; $n++) {
	my @w = grep { $_->{v} !~ $ASSIGN } @{$cmds[$n]{w}};
	next unless @w >= 2;
	local $FILE = $cmds[$n]{file};
	if ($w[0]{v} eq 'trap' && $w[1]{v} ne '-') {
		parse_tokens(lex_string($w[1]{v}, $cmds[$n]{line}), $cmds[$n]{mode}, $cmds[$n]{fn});
	} elsif ($w[0]{v} =~ m{(?:^|/)(?:ba|da)?sh$} && $w[1]{v} eq '-c' && @w >= 3) {
		parse_tokens(lex_string($w[2]{v}, $cmds[$n]{line}), 'sh', $cmds[$n]{fn});
	}
}

# The command words of one simple command: the first word, and behind a
# wrapper the command it runs.
sub resolve {
	my ($c) = @_;
	my @w = @{$c->{w}};
	my $home = $c->{mode} eq 'bb' ? 'A' : 'P';
	my ($i, $kind, @out) = (0, $home);
	my $opts = sub {	# skip options; those matching $witharg take one
		my ($j, $witharg) = @_;
		while ($j < @w && $w[$j]{v} =~ /^-./) {
			my $o = $w[$j++]{v};
			last if $o eq '--';
			$j++ if $witharg && $o =~ $witharg;
		}
		return $j;
	};
	while ($i < @w) {
		if ($w[$i]{v} =~ $ASSIGN) { $i++; next; }
		my $v = $w[$i]{v};
		push @out, [$v =~ m{/} ? 'P' : $kind, $v, $w[$i]{line}];
		$kind = $home;
		(my $b = $v) =~ s{.*/}{};
		my $j;
		my $execs = 1;	# the wrapper execs the command: no builtins
		if ($b eq 'exec') { $j = $opts->($i + 1, qr/^-a$/) }
		elsif ($b eq 'command') {
			if (($w[$i + 1]{v} // '') =~ /^-[vV]$/) {
				push @out, map { [$_->{v} =~ m{/} ? 'P' : $home, $_->{v}, $_->{line}] } @w[$i + 2 .. $#w];
				last;
			}
			$j = $opts->($i + 1);
			$execs = 0;
		}
		elsif ($b eq 'time') { $j = $opts->($i + 1); $execs = 0; }
		elsif ($b =~ /^(?:nohup|setsid|unshare)$/) { $j = $opts->($i + 1) }
		elsif ($b eq 'nice') { $j = $opts->($i + 1, qr/^-n$/) }
		elsif ($b eq 'env') {	# options and NAME=VALUE, then the command
			$j = $i + 1;
			$j = $w[$j]{v} =~ $ASSIGN ? $j + 1 : $opts->($j, qr/^-[uCS]$/)
				while $j < @w && $w[$j]{v} =~ /^-.|$ASSIGN/;
		}
		elsif ($b eq 'sudo') { $j = $opts->($i + 1, qr/^-[ugCDhprtU]$/) }
		elsif ($b eq 'stdbuf') { $j = $opts->($i + 1, qr/^-[ioe]$/) }
		elsif ($b eq 'timeout') { $j = $opts->($i + 1, qr/^-[sk]$/) + 1 }	# then the duration
		elsif ($b eq 'xargs') { $j = $opts->($i + 1, qr/^-[InLPsdEa]$/) }
		elsif ($b eq 'nsenter') { $j = $opts->($i + 1, qr/^-[tSG]$/) }
		elsif ($b eq 'setpriv') {
			$j = $opts->($i + 1, qr/^--(?:reuid|regid|groups|inh-caps|ambient-caps|bounding-set|securebits|pdeathsig|selinux-label|apparmor-profile)$/);
		}
		elsif ($b eq 'chroot') {	# runs in the new root: in /init, the host's
			$j = $opts->($i + 1) + 1;
			$kind = 'P';
		}
		elsif ($b eq 'ip') {	# ip netns exec NS CMD
			for my $m ($i + 1 .. $#w - 2) {
				if ($w[$m]{v} eq 'netns' && $w[$m + 1]{v} eq 'exec') { $j = $m + 3; last; }
			}
		}
		elsif ($b eq 'run') {	# bats: run [-N] [--separate-stderr] [!] CMD
			$j = $i + 1;
			$j++ while $j < @w && $w[$j]{v} =~ /^(?:-\d*|--[a-z-]+|!)$/;
			$execs = 0;
		}
		elsif ($b eq 'busybox') {
			if ($i + 1 < @w && $w[$i + 1]{v} !~ /^-/) { $j = $i + 1; $kind = 'A'; }
			$execs = 0;
		}
		elsif (defined $fwrap{$v}) { $j = $i + 1 + $fwrap{$v}; $execs = 0; }
		elsif (!$w[$i]{q} && $v =~ /^\$\{?([A-Za-z_]\w*)\}?$/) {
			# $sudo apt-get: a variable set only to empty or to a word
			# (sudo=; ... sudo=sudo) is an optional prefix; what follows
			# is the command (sudo itself only helps non-root users)
			my $vals = $assign{$c->{file}}{$1} || [];
			$j = $i + 1 if @$vals && !grep { !defined || !/^[\w.+-]*$/ } @$vals;
			$execs = 0;
		}
		last unless defined $j;
		$kind = 'X' if $execs && $kind eq 'P';
		$i = $j;
	}
	return @out;
}

# A function that runs "$@" as a command runs its arguments (in_gw,
# gw_until, tap_section); the shifts before it are its own arguments.
for my $round (1 .. 5) {
	my ($changed, %shifts) = (0);
	for my $c (@cmds) {
		my $f = $c->{fn};
		next unless defined $f;
		my @r = resolve($c);
		next unless @r;
		if ($r[0][1] eq 'shift') {
			my $n = (grep { $_->{v} !~ $ASSIGN } @{$c->{w}})[1];
			$shifts{$f} += $n && $n->{v} =~ /^\d+$/ ? $n->{v} : 1;
		}
		if (!defined $fwrap{$f} && grep { $_->[1] eq '$@' } @r) {
			$fwrap{$f} = $shifts{$f} // 0;
			$changed = 1;
		}
	}
	last unless $changed;
}

for my $c (@cmds) {
	local $FILE = $c->{file};
	for my $r (resolve($c)) {
		my ($k, $v, $line) = @$r;
		next if $v eq '' || $v =~ /[\$`\s]/;	# named by a variable
		next if $funcs{$v};
		next if $v =~ m{/} && ($v !~ m{^/} || index($v, "$top/") == 0);	# ours
		emit($k, $v, $line);
	}
}
PERL
}

# Words in command position that name no program to check.
deps_ignored() {
	case $1 in
	# bats and bats-support/bats-assert define these as shell functions
	run|load|bats_load_library|bats_require_minimum_version|skip|fail|assert|assert_*|refute|refute_*) return 0 ;;
	# the project's own programs, should one be run by its bare name
	tquic-gatewayd|tquicctl|tq-ngclient|quicjunk|mkseeds|crypto_bench) return 0 ;;
	esac
	return 1
}

declare -A first_seen
keys=()
while IFS=$'\t' read -r k w loc; do
	[ -n "$w" ] || continue
	if [ -z "${first_seen[$k $w]:-}" ]; then
		first_seen[$k $w]=$loc
		keys+=("$k $w")
	fi
done < <(scan; extras)

# The busybox tests/vm/mkinitramfs.sh puts in the initramfs.
bb=$(command -v busybox)
[ -x /bin/busybox ] && bb=/bin/busybox
applets=" $("${bb:-false}" --list 2>/dev/null | tr '\n' ' ') "

declare -A prog_path prog_loc prog_name prog_of missing
programs=()
napplets=0
for key in "${keys[@]}"; do
	k=${key%% *}
	w=${key#* }
	loc=${first_seen[$key]}
	deps_ignored "$w" && continue
	if [ "$k" = A ]; then
		case $(type -t -- "$w") in
		builtin|keyword) continue ;;
		esac
		if [ -z "$bb" ]; then
			continue	# the check of busybox itself names the problem
		elif [[ $applets == *" $w "* ]]; then
			napplets=$((napplets + 1))
			[ -z "$VERBOSE" ] || printf '  applet %-22s %s\n' "$w" "$loc"
		else
			problems+=("deps-check: $w is no applet of $bb, the VM image's busybox ($loc)")
		fi
		continue
	fi
	if [[ $w == /* ]]; then
		path=$w
	elif [ "$k" = X ]; then
		path=$(type -P -- "$w")
	else
		case $(type -t -- "$w") in
		builtin|keyword) continue ;;
		*) path=$(type -P -- "$w") ;;
		esac
	fi
	if [ -z "$path" ] || [ ! -f "$path" ] || [ ! -x "$path" ]; then
		[ -n "${missing[$w]:-}" ] ||
			problems+=("deps-check: $w is not installed on this machine, so its package can't be resolved here ($loc)")
		missing[$w]=1
		continue
	fi
	# /bin/busybox and busybox (found as /usr/bin/busybox) are one
	# program, named by its name rather than its path.
	canon=$path
	case $canon in
	/usr/bin/*|/usr/sbin/*) canon=${canon#/usr} ;;
	esac
	if [ -n "${prog_of[$canon]:-}" ]; then
		old=${prog_of[$canon]}
		[[ ${prog_name[$old]} == /* && $w != /* ]] && prog_name[$old]=$w
		continue
	fi
	prog_of[$canon]=$w
	prog_path[$w]=$path
	prog_loc[$w]=$loc
	prog_name[$w]=$w
	programs+=("$w")
done

# The paths dpkg may know a program's file by: each step of its symlink
# chain (/usr/bin/cc -> /etc/alternatives/cc -> /usr/bin/gcc -> ...), its
# full realpath, and each of those under /bin as well as /usr/bin (usr-merge).
deps_aliases() {
	echo "$1"
	case $1 in
	/usr/bin/*|/usr/sbin/*|/usr/lib/*) echo "${1#/usr}" ;;
	/bin/*|/sbin/*|/lib/*) echo "/usr$1" ;;
	esac
}
deps_candidates() {
	local p=$1 t i
	for i in 1 2 3 4 5 6 7 8; do
		deps_aliases "$p"
		[ -L "$p" ] || break
		t=$(readlink "$p")
		[[ $t == /* ]] || t=$(dirname "$p")/$t
		p=$(realpath -s -m "$t")
	done
	deps_aliases "$(realpath -e "$1")"
}

declare -A cands
all=()
for w in "${programs[@]}"; do
	cands[$w]=$(deps_candidates "${prog_path[$w]}" | awk '!seen[$0]++')
	while IFS= read -r c; do
		all+=("$c")
	done <<< "${cands[$w]}"
done

declare -A owner
if [ ${#all[@]} -gt 0 ]; then
	while IFS= read -r line; do
		case $line in
		diversion*|"local diversion"*) continue ;;
		esac
		pk=${line%%: /*}
		owner[/${line#*: /}]=$(echo "$pk" | sed 's/:[a-z0-9_-]*//g; s/,//g')
	done < <(printf '%s\n' "${all[@]}" | sort -u | xargs -d '\n' dpkg -S 2>/dev/null)
fi

declare -A pkgs_of
allpkgs=()
for w in "${programs[@]}"; do
	ps=""
	while IFS= read -r c; do
		for p in ${owner[$c]:-}; do
			[[ " $ps " == *" $p "* ]] || ps="$ps $p"
		done
	done <<< "${cands[$w]}"
	pkgs_of[$w]=${ps# }
	# shellcheck disable=SC2206
	allpkgs+=($ps)
done

declare -A base
if [ ${#allpkgs[@]} -gt 0 ]; then
	while read -r p e pr; do
		if [ "$e" = yes ] || [ "$pr" = required ]; then
			base[$p]=1
		fi
	done < <(dpkg-query -W -f='${Package} ${Essential} ${Priority}\n' \
		$(printf '%s\n' "${allpkgs[@]}" | sort -u) 2>/dev/null)
fi

for w in "${programs[@]}"; do
	loc=${prog_loc[$w]}
	name=${prog_name[$w]}
	[ -z "$VERBOSE" ] || printf '  %-28s %-28s %s\n' "$name" "${pkgs_of[$w]:-?}" "$loc"
	if [ -z "${pkgs_of[$w]}" ]; then
		problems+=("deps-check: $name (${prog_path[$w]}) belongs to no Debian package ($loc)")
		continue
	fi
	ok=
	for p in ${pkgs_of[$w]}; do
		if [ -n "${in_deps[$p]:-}" ] || [ -n "${base[$p]:-}" ]; then
			ok=1
			break
		fi
	done
	[ -n "$ok" ] && continue
	problems+=("deps-check: $name (package ${pkgs_of[$w]%% *}) is not in the Makefile's DEPS ($loc)")
done

if [ ${#problems[@]} -gt 0 ]; then
	printf '%s\n' "${problems[@]}"
	exit 1
fi
echo "deps-check: ${#programs[@]} programs and $napplets busybox applets, all from packages in DEPS or essential"
