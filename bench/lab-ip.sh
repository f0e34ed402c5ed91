#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Lab set-up + tear-down benchmark, the iproute2 side: the same lab as
# lab_pair_up() (two namespaces, a veth between them, IPv4 + IPv6 on both
# ends, lo up), made with `ip` the way a shell-script harness would, and
# torn down with `ip netns del`.  Each iteration is timed as a whole.
#
# usage: lab-ip.sh [-n ITERATIONS] [-i LAB_ID]
# prints: ip: n=200 min=... median=... max=... ms
#
# Nothing is ever left behind in the machine's namespaces, even on
# SIGKILL: the script re-executes itself under
# `unshare --mount --propagation private` and mounts a private tmpfs on
# /run/netns there, so the named namespaces' files and nsfs bind mounts
# exist only in a mount namespace that dies with the script, and the
# network namespaces die with them.  The veth pair is created with both
# ends placed by `netns` in the one `ip link add`, so neither end is ever
# registered in the root network namespace.  Addresses come only from
# 198.18.0.0/15 and 2001:db8::/32, and there is no default route.
set -eu

prog=lab-ip.sh
die() {
	echo "$prog: $*" >&2
	exit 1
}

# --- into a private mount namespace ---------------------------------------
# The outer run records its mount namespace; the inner run checks that it
# really is in another one before it mounts anything.
self_mntns=$(readlink /proc/$$/ns/mnt)
if [ "${TWLAB_BENCH_OUTER_MNTNS:-}" = "" ] ||
   [ "${TWLAB_BENCH_OUTER_MNTNS}" = "$self_mntns" ]; then
	[ "$(id -u)" -eq 0 ] || die "must run as root"
	export TWLAB_BENCH_OUTER_MNTNS=$self_mntns
	exec unshare --mount --propagation private -- "$BASH" "$0" "$@"
fi

usage() {
	echo "usage: $prog [-n ITERATIONS] [-i LAB_ID]" >&2
	exit 2
}

n=200
id=200
while getopts "n:i:h" opt; do
	case $opt in
	n) n=$OPTARG ;;
	i) id=$OPTARG ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
[ $# -eq 0 ] || usage
[[ $n =~ ^[0-9]{1,7}$ ]] || usage
[[ $id =~ ^[0-9]{1,3}$ ]] || usage
n=$((10#$n)) id=$((10#$id))
if [ "$n" -lt 1 ] || [ "$id" -gt 511 ]; then	# LAB_MAX_ID
	usage
fi

# Private /run/netns.  If it does not exist, it is not created on the
# machine's own /run either: a private tmpfs on /run holds it instead.
if [ ! -d /run/netns ]; then
	mount -t tmpfs -o mode=0755,size=1m twlab-bench-run /run ||
		die "cannot mount a private tmpfs on /run"
	mkdir -p /run/netns
fi
mount -t tmpfs -o mode=0755,size=1m twlab-bench-netns /run/netns ||
	die "cannot mount a private tmpfs on /run/netns"
mountpoint -q /run/netns || die "/run/netns is not a private mount"

# --- the lab -------------------------------------------------------------
# Same addresses as lib/lab.c: lab @id is 198.18.0.0/24 + id and
# 2001:db8:<id in hex>::/64; the client is .1/::1, the server .2/::2.
v4net=198.$((18 + id / 256)).$((id % 256))
v6net=2001:db8:$(printf %x "$id")
# MACs as lib/lab.c's end_mac(): 02:74:77:<id>:<quarter><host>.
mac=$(printf '02:74:77:%02x:%02x' $((id / 256)) $((id % 256)))
ns_c=twbench-$$-c
ns_s=twbench-$$-s
ifname=tw0

run() {
	"$@" || die "iteration $iter: '$*' failed"
}

# Links up before addresses: an address added while its link is down has
# its IPv6 DAD (even with nodad) re-run on NETDEV_UP after a random delay
# of up to rtr_solicit_delay (1 s), and is unusable meanwhile.
# lab_pair_up() does links first too.
lab_up() {
	run ip netns add "$ns_c"
	run ip netns add "$ns_s"
	run ip link add name "$ifname" netns "$ns_c" address "$mac:00" type veth \
		peer name "$ifname" netns "$ns_s" address "$mac:01"
	run ip -n "$ns_c" link set lo up
	run ip -n "$ns_s" link set lo up
	run ip -n "$ns_c" link set "$ifname" up
	run ip -n "$ns_s" link set "$ifname" up
	run ip -n "$ns_c" addr add "$v4net.1/24" dev "$ifname"
	run ip -n "$ns_c" addr add "$v6net::1/64" dev "$ifname" nodad
	run ip -n "$ns_s" addr add "$v4net.2/24" dev "$ifname"
	run ip -n "$ns_s" addr add "$v6net::2/64" dev "$ifname" nodad
	run ip -n "$ns_s" neigh replace "$v4net.1" lladdr "$mac:00" nud permanent dev "$ifname"
	run ip -n "$ns_s" neigh replace "$v6net::1" lladdr "$mac:00" nud permanent dev "$ifname"
	run ip -n "$ns_c" neigh replace "$v4net.2" lladdr "$mac:01" nud permanent dev "$ifname"
	run ip -n "$ns_c" neigh replace "$v6net::2" lladdr "$mac:01" nud permanent dev "$ifname"
}

lab_down() {
	run ip netns del "$ns_c"
	run ip netns del "$ns_s"
}

# A TCP SYN from the client to a closed port on the server's address must
# be answered by the server's stack (RST: "Connection refused") at once:
# that proves the veth, both addresses and both links for that family.
check_tcp() {
	local addr=$1 out

	out=$(ip netns exec "$ns_c" timeout 2 \
		"$BASH" -c "exec 3<>/dev/tcp/$addr/9" 2>&1) &&
		out="connected to a port nobody listens on"
	case $out in
	*"Connection refused"*) ;;
	"") die "check: TCP from the client to $addr: no answer within 2 s" ;;
	*) die "check: TCP from the client to $addr: ${out##*: }" ;;
	esac
}

# --- check once, then time -----------------------------------------------
iter=check
lab_up
check_tcp "$v4net.2"
check_tcp "$v6net::2"
lab_down

# EPOCHREALTIME: microseconds, without a fork per reading.
times=()
for ((iter = 0; iter < n; iter++)); do
	t0=${EPOCHREALTIME//[.,]/}
	lab_up
	lab_down
	t1=${EPOCHREALTIME//[.,]/}
	times+=($((t1 - t0)))
done

printf '%s\n' "${times[@]}" | sort -n | awk -v n="$n" '
	{ t[NR] = $1 / 1000 }
	END {
		if (n % 2) med = t[(n + 1) / 2]
		else med = (t[n / 2] + t[n / 2 + 1]) / 2
		printf "ip: n=%d min=%.3f median=%.3f max=%.3f ms\n", n, t[1], med, t[n]
	}'
