#!/bin/sh
# ci/kernel-fetch.sh [--mirror URL] SERIES|VERSION CACHE
# ci/kernel-fetch.sh [--modules DIR] FILE CACHE
# Make a kernel ready for `twlab matrix` to boot, and print its release
# (uname -r) on stdout.
#
#   SERIES   6.1, 5.10, 6.12, 7.3: the newest generic amd64 Debian kernel of it
#   VERSION  6.1.0-28, 6.12.107+deb12, 7.3.4+deb13: that one exactly
#   FILE     a kernel image: a bzImage (its modules from --modules DIR, the
#            lib/modules/RELEASE folder of `make modules_install`), or a
#            kernel .deb
#
# Debian kernels: the generic flavour (-amd64), never -cloud-amd64: that one
# lacks 9p, which the guest mounts its root over.  Packages, by preference:
# linux-image-K-unsigned (up to 6.12), linux-binary-unsigned-K with
# linux-modules-K and linux-base-K (7.2 on, split), and the signed
# linux-image-K where that is all there is (6.16-6.19).
#
# The machine's own apt sources are asked first.  A kernel they lack is
# looked up in bullseye, trixie, trixie-backports and sid on the same
# archive -- the mirror and keyring of the machine's sources (one-line
# .list or deb822 .sources), only the suite changed -- through a private
# apt configuration under CACHE/apt (never /etc/apt); the machine's apt.conf
# (a proxy, say) still applies.  --mirror URL names the archive instead,
# and then the machine's sources are not asked.  The packages are unpacked
# into CACHE/K/ and their modules indexed with depmod -b; a kernel already
# there is not fetched again, and one that apt named for the spec within
# the day is taken without asking apt.  --sources prints the private
# sources only.
#
# A FILE is unpacked into CACHE/image/RELEASE/ the same way, afresh when
# it or its modules changed since (a rebuilt kernel keeps its release).
# Progress goes to stderr.
set -eu

usage="usage: ci/kernel-fetch.sh [--mirror URL] SERIES|VERSION CACHE, [--modules DIR] FILE CACHE, or [--mirror URL] --sources"
mirror=""
modules=""
while [ $# -gt 1 ]; do
	case $1 in
	--mirror) mirror=${2%/} ;;
	--modules) modules=$2 ;;
	*) break ;;
	esac
	shift 2
done
if [ "$*" = --sources ]; then
	show_sources=1
	set -- sources ""
else
	show_sources=""
	[ $# -eq 2 ] || { echo "$usage" >&2; exit 2; }
fi
spec=${1%-amd64}
keyring=/usr/share/keyrings/debian-archive-keyring.gpg

die() {
	echo "kernel-fetch: $*" >&2
	exit 1
}
say() { echo "kernel-fetch: $*" >&2; }

# A kernel image's release, as its uname -r will say it: a bzImage's
# setup header holds at 0x20e the offset (less 0x200) of its version
# string (Documentation/arch/x86/boot.rst: kernel_version).
bzimage_release() {
	[ "$(dd if="$1" bs=1 skip=514 count=4 2>/dev/null)" = HdrS ] || return 1
	off=$(od -An -tu2 -j526 -N2 "$1" | tr -d ' ')
	[ -n "$off" ] && [ "$off" -gt 0 ] || return 1
	dd if="$1" bs=1 skip=$((off + 512)) count=200 2>/dev/null |
		tr '\000' '\n' | head -n 1 | cut -d' ' -f1
}

# The files a bzImage's config may be in, by where kernel builds and
# Debian's packages leave it; the guest's twlab reads HZ from it.
image_config() {
	img_dir=$(dirname "$1")
	for f in ${modules:+"$modules/config" "$modules/../../../boot/config-$2"} \
		"$img_dir/config-$2" "$img_dir/config" "$img_dir/.config" \
		"$img_dir/../../../.config"; do
		[ -f "$f" ] && { echo "$f"; return 0; }
	done
	return 1
}

case $1 in
*/* | *.deb) image=$1 ;;
*) image="" ;;
esac
if [ -z "$image" ] && [ -z "$show_sources" ]; then
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
fi
[ -z "$modules" ] || [ -d "$modules" ] || die "--modules $modules: no such folder"

for tool in apt-get apt-cache dpkg-deb depmod; do
	command -v "$tool" >/dev/null || die "$tool is missing; run 'ci/deps.sh matrix' as root"
done
if [ -z "$show_sources" ]; then
	mkdir -p "$2" || die "cannot make the kernel cache $2; name another with --cache DIR"
	cache=$(cd "$2" && pwd)
	# what a fetch killed with twlab (kill -9 leaves no trap to run) left behind
	find "$cache" -maxdepth 1 -name '.fetch-*' -mmin +60 -exec rm -rf {} + 2>/dev/null || :
fi

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

# "URI SUITE KEYRING" for each deb source of this machine, from one-line
# .list files and deb822 .sources alike; KEYRING is - when none is named.
# Where they are is apt's own say (APT_CONFIG, Dir::Etc).
host_sources() {
	list=/etc/apt/sources.list
	parts=/etc/apt/sources.list.d/
	eval "$(apt-config shell list Dir::Etc::sourcelist/f parts Dir::Etc::sourceparts/d)"
	for f in "$list" "$parts"*.list; do
		[ -f "$f" ] || continue
		sed -e 's/#.*//' "$f" | awk '$1 == "deb" {
			key = "-"; i = 2
			if ($2 ~ /^\[/) {
				for (; i <= NF; i++) {
					if ($i ~ /^\[?signed-by=/) {
						key = $i
						sub(/^\[?signed-by=/, "", key)
						sub(/\]$/, "", key)
					}
					if ($i ~ /\]$/)
						break
				}
				i++
			}
			print $i, $(i + 1), key
		}'
	done
	for f in "$parts"*.sources; do
		[ -f "$f" ] || continue
		awk 'function flush(   n, m, u, s, a, b) {
			if (types ~ /(^| )deb( |$)/ && enabled != "no") {
				n = split(uris, u, " "); m = split(suites, s, " ")
				for (a = 1; a <= n; a++)
					for (b = 1; b <= m; b++)
						print u[a], s[b], (key == "" ? "-" : key)
			}
			types = uris = suites = key = enabled = ""
		}
		/^[ \t]*#/ { next }
		/^[ \t]*$/ { flush(); next }
		/^[ \t]/ { next }	# a continuation line: an inline key
		{
			field = tolower($1); sub(/:$/, "", field)
			v = $0; sub(/^[^:]*:[ \t]*/, "", v)
			if (field == "types") types = v
			else if (field == "uris") uris = v
			else if (field == "suites") suites = v
			else if (field == "enabled") enabled = tolower(v)
			else if (field == "signed-by" && v ~ /^\//) key = v
		}
		END { flush() }' "$f"
	done
}

# The archive and security archive to ask, and their keyring: --mirror's,
# else those of this machine's sources.  A path, never a host name, is
# written here: the archive is whatever the machine (or --mirror) says.
archives() {
	srcs=$(host_sources)
	main_line=$(echo "$srcs" | awk '$2 !~ /-(security|updates|backports)$/ { print; exit }')
	sec_line=$(echo "$srcs" | awk '$2 ~ /-security$/ { print; exit }')
	if [ -n "$mirror" ]; then
		archive=$mirror
		security=""
		case $mirror in */debian) security=$mirror-security ;; esac
	else
		[ -n "$main_line" ] ||
			die "this machine's apt sources name no Debian archive; name one with --mirror URL"
		archive=$(echo "$main_line" | cut -d' ' -f1)
		archive=${archive%/}
		security=$(echo "$sec_line" | cut -d' ' -f1)
		security=${security%/}
	fi
	k=$(echo "$main_line" | cut -d' ' -f3)
	[ -n "$k" ] && [ "$k" != - ] && [ -f "$k" ] && keyring=$k
	[ -f "$keyring" ] || die "no keyring $keyring; install debian-archive-keyring"
}

# The private sources: the machine's archive, every suite that holds a
# kernel its own suites lack (and its own suite too, under --mirror).
sources_list() {
	archives
	suites="bullseye trixie trixie-backports sid"
	if [ -n "$mirror" ]; then
		codename=$(sed -n 's/^VERSION_CODENAME=//p' /etc/os-release)
		suites="$codename $suites"
	fi
	for s in $suites; do
		echo "deb [signed-by=$keyring] $archive $s main"
		case $s in
		*-* | sid) ;;
		*) [ -z "$security" ] || echo "deb [signed-by=$keyring] $security $s-security main" ;;
		esac
	done
}

private_sources() {
	mkdir -p "$cache/apt/lists/partial" "$cache/apt/cache" "$cache/apt/archives/partial"
	sources_list >"$cache/apt/sources.list.new"
	# other sources, other lists
	if ! cmp -s "$cache/apt/sources.list.new" "$cache/apt/sources.list"; then
		rm -f "$cache/apt/stamp"
		mv "$cache/apt/sources.list.new" "$cache/apt/sources.list"
	else
		rm -f "$cache/apt/sources.list.new"
	fi
	# a day-old list is fresh enough; a kernel gone since fails its download
	if [ -z "$(find "$cache/apt/stamp" -mmin -1440 2>/dev/null)" ]; then
		say "updating the private apt lists in $cache/apt from $archive"
		apt_do apt-get -qq update >&2 ||
			die "apt-get update of the private sources in $cache/apt failed; is $archive reachable? (--mirror URL names another)"
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

# Index and finish the unpacked kernel $kver in $r (from $what): vmlinuz
# and config at its top, as initramfs.sh and the guest want them.
finish() {
	# 7.x keeps everything under usr/lib/modules/K; kmod 30 looks in lib/
	if [ ! -e "$r/lib" ] && [ -d "$r/usr/lib/modules/$kver" ]; then
		ln -s usr/lib "$r/lib"
	fi
	[ -d "$r/lib/modules/$kver" ] || die "$what holds no lib/modules/$kver"
	for f in boot/vmlinuz-$kver lib/modules/$kver/vmlinuz.unsigned lib/modules/$kver/vmlinuz ""; do
		[ -n "$f" ] || die "$what holds no kernel image for $kver"
		[ -f "$r/$f" ] && ln -s "$f" "$r/vmlinuz" && break
	done
	for f in boot/config-$kver lib/modules/$kver/config ""; do
		[ -n "$f" ] || die "$what holds no config for $kver"
		[ -f "$r/$f" ] && ln -s "$f" "$r/config" && break
	done
	depmod -b "$r" "$kver" || die "depmod -b $r $kver failed"
	echo "$what" >"$r/.fetched"
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
	what=$pkgs
	finish
	# another run may have finished the same kernel meanwhile: keep that one
	[ -f "$cache/$kver/.fetched" ] || mv "$r" "$cache/$kver"
	rm -rf "$tmp"
}

# The kernel image $image into $cache/image/$kver, afresh: a .deb unpacked
# as apt's are, or a bzImage with a copy of its modules (hard links where
# they can be: the guest reaches them only inside the cache).
image_fetch() {
	mkdir -p "$cache/image"
	tmp=$(mktemp -d "$cache/image/.fetch.XXXXXX")
	trap 'rm -f "$names"; rm -rf "$tmp"' EXIT
	r=$tmp/root
	mkdir "$r"
	what=$(realpath "$image")
	case $image in
	*.deb)
		dpkg-deb -x "$image" "$r" 2>/dev/null || die "$image: not a Debian package"
		kver=$(find "$r/boot" -maxdepth 1 -name 'vmlinuz-*' 2>/dev/null | head -n 1)
		kver=${kver##*/vmlinuz-}
		[ -n "$kver" ] || kver=$(find "$r/usr/lib/modules" "$r/lib/modules" -mindepth 1 \
			-maxdepth 1 -type d 2>/dev/null | head -n 1)
		kver=${kver##*/}
		[ -n "$kver" ] || die "$image: holds no kernel (no boot/vmlinuz-*, no lib/modules/*)"
		finish
		;;
	*)
		kver=$(bzimage_release "$image") || kver=""
		[ -n "$kver" ] || die "$image: not a bzImage (no HdrS setup header)"
		mkdir -p "$r/lib/modules"
		if [ -n "$modules" ]; then
			cp -al "$modules" "$r/lib/modules/$kver" 2>/dev/null ||
				cp -a "$modules" "$r/lib/modules/$kver" ||
				die "cannot copy $modules into $r"
			# make modules_install's links back into the build tree
			rm -f "$r/lib/modules/$kver/build" "$r/lib/modules/$kver/source"
			what="$what $(realpath "$modules")"
		else
			# no modules: virtio and 9p must be built in
			mkdir "$r/lib/modules/$kver"
			: >"$r/lib/modules/$kver/modules.builtin"
		fi
		cp "$image" "$r/lib/modules/$kver/vmlinuz"
		conf=$(image_config "$image" "$kver") ||
			die "no config for $kver: put it at $(dirname "$image")/config-$kver (the guest's twlab reads HZ from it)"
		cp "$conf" "$r/lib/modules/$kver/config"
		finish
		;;
	esac
	rm -rf "${cache:?}/image/$kver"
	mv "$r" "$cache/image/$kver"
	rm -rf "$tmp"
	say "$image is $kver, unpacked into $cache/image/$kver"
}

# The newest kernel of the spec already in the cache: for when apt is offline.
cached() {
	find "$cache" -mindepth 2 -maxdepth 2 -name .fetched 2>/dev/null |
		sed 's|.*/\([^/]*\)/\.fetched$|\1|' | grep -E "$re" | sort -Vr | head -n 1
}

# The image already unpacked from the same files, none of them changed
# since: then another twlab may be booting it, and it stays as it is.
image_cached() {
	want=$(realpath "$image")${modules:+ $(realpath "$modules")}
	for d in "$cache"/image/*/; do
		f=$d.fetched
		if [ ! -f "$f" ] || [ "$(cat "$f")" != "$want" ]; then
			continue
		fi
		[ -z "$(find "$image" ${modules:+"$modules"} -newer "$f" 2>/dev/null | head -n 1)" ] ||
			continue
		kver=$(basename "$d")
		return 0
	done
	return 1
}

if [ -n "$show_sources" ]; then
	sources_list
	exit 0
fi
if [ -n "$image" ]; then
	[ -f "$image" ] || die "$image: no such file"
	if image_cached; then
		say "$image is $kver, already in $cache/image/$kver"
	else
		image_fetch
	fi
	echo "$kver"
	exit 0
fi
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
[ -z "$mirror" ] || where=private
if [ "$where" = private ] || ! resolve; then
	if [ -z "$mirror" ]; then
		say "$spec is not in this machine's apt sources; asking bullseye, trixie and sid"
	fi
	where=private
	private_sources
	if ! resolve; then
		kver=$(cached)
		[ -n "$kver" ] ||
			die "no linux-image-*-amd64 kernel matching '$spec' in bookworm, bullseye, trixie, trixie-backports or sid of $archive; 'apt-cache pkgnames linux-image-' lists what there is"
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
