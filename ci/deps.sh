#!/bin/sh
# Install the Debian packages twlab needs to build, run and test; a group
# instead installs only its own:
#   fuzz    what `make fuzz` needs (clang with libFuzzer), with the build's
#   report  what `make report-check` needs (a headless browser), ditto
#   matrix  what `twlab matrix` needs at run time to boot other kernels,
#           alone: an installed twlab runs this too, and needs no compiler
#   lint    what `make lint` needs: shellcheck, mandoc, npm
#   deb     what `make deb` (dpkg-buildpackage) needs, with the build's
# Idempotent, and silent when everything is already there.
set -eu

pkgs="gcc make pkg-config
libnl-3-dev libnl-route-3-dev libmnl-dev libjansson-dev zlib1g-dev libpcap-dev
libnftables-dev libnftnl-dev libnetfilter-queue-dev
libcmocka-dev iproute2 nftables tcpdump util-linux time gnuplot-nox jq
python3-jsonschema"

# clang-14 is Debian 12's clang; libFuzzer's runtime is in libclang-rt-14-dev
fuzz_pkgs="clang libclang-rt-14-dev"

# chromium renders report.html headless, to check that it loads on its own
report_pkgs="chromium"

# twlab matrix: qemu boots each kernel; busybox-static and cpio make its
# initramfs; kmod's depmod indexes the fetched modules and its modprobe
# loads them in the guest (busybox's ignores softdeps); xz-utils unpacks
# the .ko.xz of 6.12 and later
matrix_pkgs="qemu-system-x86 busybox-static cpio kmod xz-utils"

# the workflow's validator comes from npm, into the build folder; a node
# from elsewhere (nodesource's nodejs holds its own npm) is as good
lint_pkgs="shellcheck mandoc"
command -v npm >/dev/null || lint_pkgs="$lint_pkgs npm"

deb_pkgs="dpkg-dev debhelper devscripts lintian fakeroot"

case "${1:-}" in
"") ;;
fuzz) pkgs="$pkgs $fuzz_pkgs" ;;
report) pkgs="$pkgs $report_pkgs" ;;
matrix) pkgs=$matrix_pkgs ;;
lint) pkgs=$lint_pkgs ;;
deb) pkgs="$pkgs $deb_pkgs" ;;
*)
	echo "usage: ci/deps.sh [fuzz|report|matrix|lint|deb]" >&2
	exit 2
	;;
esac

missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "twlab: missing Debian packages:$missing; run '$0${1:+ $1}' as root" >&2
	exit 1
fi
echo "twlab: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get -qq update >/dev/null
# shellcheck disable=SC2086
apt-get -qq install -y --no-install-recommends $missing >/dev/null
