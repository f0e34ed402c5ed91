#!/bin/sh
# ci/kernel-fetch.sh SERIES|VERSION CACHE: fetch a Debian kernel for
# `twlab matrix` and print its release (uname -r) on stdout.
#
#   SERIES   6.1, 5.10, 6.12, 7.3: the newest generic amd64 kernel of it
#   VERSION  6.1.0-28, 6.12.107+deb12, 7.3.4+deb13: that one exactly
#
# The generic flavour (-amd64), never -cloud-amd64: that one lacks 9p,
# which the guest mounts its root over.  Packages, by preference:
# linux-image-K-unsigned (up to 6.12), linux-binary-unsigned-K with
# linux-modules-K and linux-base-K (7.2 on, split), and the signed
# linux-image-K where that is all there is (6.16-6.19).
#
# The machine's own apt sources are asked first; a kernel they lack is
# looked up in bullseye, trixie, trixie-backports and sid through a private
# apt configuration under CACHE/apt (never /etc/apt).  The packages are
# unpacked into CACHE/K/ and their modules indexed with depmod -b; a kernel
# already there is not fetched again, and one that apt named for the spec
# within the day is taken without asking apt.  Progress goes to stderr.
set -eu

usage="usage: ci/kernel-fetch.sh SERIES|VERSION CACHE"
[ $# -eq 2 ] || { echo "$usage" >&2; exit 2; }
spec=${1%-amd64}
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
mirror=http://deb.debian.org

die() {
	echo "kernel-fetch: $*" >&2
	exit 1
}
say() { echo "kernel-fetch: $*" >&2; }

case $spec in
*cloud* | *rt)
	die "$1: only the generic amd64 flavour boots in twlab matrix (the cloud one lacks 9p); name the version without the flavour" ;;
esac
# A series is MAJOR.MINOR; a version has its ABI or +debN after the patch level.
if echo "$spec" | grep -Eq '^[0-9]+\.[0-9]+$'; then
	re="^$(echo "$spec" | sed 's/\./\\./g')\.[0-9]+(-[0-9]+|\+deb[0-9]+)-amd64\$"
elif echo "$spec" | grep -Eq '^[0-9]+\.[0-9]+\.[0-9]+(-[0-9]+|\+deb[0-9]+)$'; then
	re="^$(echo "$spec" | sed -e 's/\./\\./g' -e 's/+/\\+/g')-amd64\$"
else
	die "'$1' is neither a series (6.1) nor a version (6.1.0-28, 6.12.107+deb12); name one of those"
fi

for tool in apt-get apt-cache dpkg-deb depmod; do
	command -v "$tool" >/dev/null || die "$tool is missing; run 'ci/deps.sh matrix' as root"
done
mkdir -p "$2" || die "cannot make the kernel cache $2; name another with --cache DIR"
cache=$(cd "$2" && pwd)
# what a fetch killed with twlab (kill -9 leaves no trap to run) left behind
find "$cache" -maxdepth 1 -name '.fetch-*' -mmin +60 -exec rm -rf {} + 2>/dev/null || :

# apt-get or apt-cache, on the machine's sources ($where=host) or the
# private ones.  Downloads run as root: _apt cannot write into the cache.
where=host
apt_do() {
	tool=$1
	shift
	if [ "$where" = host ]; then
		"$tool" -o APT::Sandbox::User=root "$@"
		return
	fi
	"$tool" -o APT::Sandbox::User=root \
		-o Dir::Etc::sourcelist="$cache/apt/sources.list" \
		-o Dir::Etc::sourceparts=- \
		-o Dir::State::Lists="$cache/apt/lists" \
		-o Dir::Cache="$cache/apt/cache" \
		-o Dir::Cache::archives="$cache/apt/archives" "$@"
}

# The private sources: every suite that holds a kernel this machine's lack.
private_sources() {
	mkdir -p "$cache/apt/lists/partial" "$cache/apt/cache" "$cache/apt/archives/partial"
	cat >"$cache/apt/sources.list" <<EOF
deb [signed-by=$keyring] $mirror/debian bullseye main
deb [signed-by=$keyring] $mirror/debian-security bullseye-security main
deb [signed-by=$keyring] $mirror/debian trixie main
deb [signed-by=$keyring] $mirror/debian-security trixie-security main
deb [signed-by=$keyring] $mirror/debian trixie-backports main
deb [signed-by=$keyring] $mirror/debian sid main
EOF
	# a day-old list is fresh enough; a kernel gone since fails its download
	if [ -z "$(find "$cache/apt/stamp" -mmin -1440 2>/dev/null)" ]; then
		say "updating the private apt lists in $cache/apt"
		apt_do apt-get -qq update >&2 ||
			die "apt-get update of the private sources in $cache/apt failed; is deb.debian.org reachable?"
		touch "$cache/apt/stamp"
	fi
}

names=$(mktemp)
trap 'rm -f "$names"' EXIT

# The kernel releases apt sees that match the spec, newest first.
releases() {
	apt_do apt-cache pkgnames linux- >"$names" 2>/dev/null || :
	sed -n -e 's/^linux-image-\(.*-amd64\)-unsigned$/\1/p' \
		-e 's/^linux-binary-unsigned-\(.*-amd64\)$/\1/p' \
		-e 's/^linux-image-\(.*-amd64\)$/\1/p' "$names" |
		grep -E "$re" | sort -uVr || :
}

has() { grep -qx "$1" "$names"; }

# The packages that make up kernel $1, or nothing if apt lacks a part.
packages() {
	k=$1
	if has "linux-image-$k-unsigned"; then
		echo "linux-image-$k-unsigned"
	elif has "linux-binary-unsigned-$k" && has "linux-modules-$k" && has "linux-base-$k"; then
		echo "linux-binary-unsigned-$k linux-modules-$k linux-base-$k"
	elif has "linux-binary-$k" && has "linux-modules-$k" && has "linux-base-$k"; then
		echo "linux-binary-$k linux-modules-$k linux-base-$k"
	elif has "linux-image-$k" &&
		! apt_do apt-cache show "linux-image-$k" 2>/dev/null | grep -q '^Depends:.*linux-modules-'; then
		echo "linux-image-$k"
	fi
}

# Sets $kver and $pkgs from the sources of $where; false if none fits.
resolve() {
	for k in $(releases); do
		pkgs=$(packages "$k")
		if [ -n "$pkgs" ]; then
			kver=$k
			return 0
		fi
	done
	return 1
}

# Unpack $pkgs into $cache/$kver, whole or not at all.
fetch() {
	tmp=$(mktemp -d "$cache/.fetch-$kver.XXXXXX")
	trap 'rm -f "$names"; rm -rf "$tmp"' EXIT
	say "$spec is $kver: downloading $pkgs"
	# shellcheck disable=SC2086
	(cd "$tmp" && apt_do apt-get -qq download $pkgs >&2) ||
		die "apt-get download $pkgs failed; run 'apt-get update' and retry"
	mkdir "$tmp/root"
	for deb in "$tmp"/*.deb; do
		dpkg-deb -x "$deb" "$tmp/root"
	done
	rm -f "$tmp"/*.deb
	r=$tmp/root
	# 7.x keeps everything under usr/lib/modules/K; kmod 30 looks in lib/
	if [ ! -e "$r/lib" ] && [ -d "$r/usr/lib/modules/$kver" ]; then
		ln -s usr/lib "$r/lib"
	fi
	[ -d "$r/lib/modules/$kver" ] || die "$pkgs hold no lib/modules/$kver"
	for f in boot/vmlinuz-$kver lib/modules/$kver/vmlinuz.unsigned lib/modules/$kver/vmlinuz ""; do
		[ -n "$f" ] || die "$pkgs hold no kernel image for $kver"
		[ -f "$r/$f" ] && ln -s "$f" "$r/vmlinuz" && break
	done
	for f in boot/config-$kver lib/modules/$kver/config ""; do
		[ -n "$f" ] || die "$pkgs hold no config for $kver"
		[ -f "$r/$f" ] && ln -s "$f" "$r/config" && break
	done
	depmod -b "$r" "$kver" || die "depmod -b $r $kver failed"
	echo "$pkgs" >"$r/.fetched"
	# another run may have finished the same kernel meanwhile: keep that one
	[ -f "$cache/$kver/.fetched" ] || mv "$r" "$cache/$kver"
	rm -rf "$tmp"
}

# The newest kernel of the spec already in the cache: for when apt is offline.
cached() {
	find "$cache" -mindepth 2 -maxdepth 2 -name .fetched 2>/dev/null |
		sed 's|.*/\([^/]*\)/\.fetched$|\1|' | grep -E "$re" | sort -Vr | head -n 1
}

# A kernel that apt named for this spec within the day, as fresh as the
# private lists are kept: no apt at all, which costs a minute on a loaded
# machine, while the host's run has long started.
recent() {
	find "$cache" -mindepth 2 -maxdepth 2 -name .resolved -mmin -1440 2>/dev/null |
		sed 's|.*/\([^/]*\)/\.resolved$|\1|' | grep -E "$re" | sort -Vr | head -n 1
}

kver=$(recent)
if [ -n "$kver" ] && [ -f "$cache/$kver/.fetched" ]; then
	say "$spec is $kver, resolved within the day and already in $cache"
	echo "$kver"
	exit 0
fi
kver=""
if ! resolve; then
	say "$spec is not in this machine's apt sources; asking bullseye, trixie and sid"
	where=private
	private_sources
	if ! resolve; then
		kver=$(cached)
		[ -n "$kver" ] ||
			die "no linux-image-*-amd64 kernel matching '$spec' in bookworm, bullseye, trixie, trixie-backports or sid; 'apt-cache pkgnames linux-image-' lists what there is"
		say "apt has no $spec now; using $kver from the cache"
	fi
fi
if [ -f "$cache/$kver/.fetched" ]; then
	say "$spec is $kver, already in $cache"
else
	fetch
fi
touch "$cache/$kver/.resolved"
echo "$kver"
