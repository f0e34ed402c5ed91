#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Lab set-up + tear-down: twlab's library against an iproute2 script.
#
# usage: bench/lab.sh BENCH_LAB_BINARY [-n ITERATIONS]
#   (`make bench` runs: bench/lab.sh build/bench/lab)
#
# Runs both benchmarks, prints each one's line and then one summary line
# with both medians and their ratio (ip median / lib median).  Figures are
# printed, never asserted: the exit status says only whether both ran.
set -eu

prog=lab.sh
die() {
	echo "$prog: $*" >&2
	exit 1
}

[ $# -ge 1 ] || die "usage: $prog BENCH_LAB_BINARY [-n ITERATIONS]"
bin=$1
shift
n=200
if [ $# -gt 0 ]; then
	[ $# -eq 2 ] && [ "$1" = -n ] || die "usage: $prog BENCH_LAB_BINARY [-n ITERATIONS]"
	n=$2
fi
[ -x "$bin" ] || die "$bin: not an executable (make build/bench/lab)"
[ "$(id -u)" -eq 0 ] || die "must run as root (namespaces, veth)"
here=$(dirname "$0")

median() {
	printf '%s\n' "$1" | sed -n 's/.* median=\([0-9.]*\) .*/\1/p'
}

# The ip script runs first, then the library: whatever the kernel still
# has to clean up from the first run (cleanup_net is asynchronous) then
# weighs on twlab's figures, not on the script's.  A pause lets it drain.
ip_line=$("$here/lab-ip.sh" -n "$n") || die "ip script failed"
echo "$ip_line"
sleep 1
lib_line=$("$bin" -n "$n") || die "$bin failed"
echo "$lib_line"

ip_med=$(median "$ip_line")
lib_med=$(median "$lib_line")
[ -n "$ip_med" ] && [ -n "$lib_med" ] || die "cannot read the medians"

awk -v n="$n" -v lib="$lib_med" -v ip="$ip_med" 'BEGIN {
	printf "lab set-up+tear-down, median of %d: twlab lib %.3f ms, ip script %.3f ms, ratio %.1fx\n",
	       n, lib, ip, (lib > 0 ? ip / lib : 0)
}'
