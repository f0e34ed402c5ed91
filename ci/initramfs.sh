#!/bin/sh
# ci/initramfs.sh KVER CACHE: the initramfs that `twlab matrix` boots
# kernel KVER with (fetched by ci/kernel-fetch.sh into CACHE/KVER/), written
# to CACHE/KVER/initramfs.cpio.gz, whose path it prints.
#
# It holds busybox-static, the virtio and 9p modules that the guest needs
# to reach its root, and /init.  /init mounts this machine's root read-only
# over 9p and runs the twlab binary from it, unchanged, in a chroot: see
# the comments in /init below.  Rebuilt only when this script or the kernel
# is newer than it.
set -eu

[ $# -eq 2 ] || { echo "usage: ci/initramfs.sh KVER CACHE" >&2; exit 2; }
kver=$1
dir=$2/$kver
out=$dir/initramfs.cpio.gz

die() {
	echo "initramfs: $*" >&2
	exit 1
}

[ -f "$dir/.fetched" ] || die "no kernel $kver in $2; fetch it with 'ci/kernel-fetch.sh $kver $2'"
if [ -n "$(find "$out" -newer "$0" -newer "$dir/.fetched" 2>/dev/null)" ]; then
	echo "$out"
	exit 0
fi
# the guest has no libraries until its root is mounted
busybox=/bin/busybox
dpkg-query -W -f='${Status}' busybox-static 2>/dev/null | grep -q "install ok installed" ||
	die "busybox-static is not installed; run 'ci/deps.sh matrix' as root"
command -v cpio >/dev/null || die "cpio is missing; run 'ci/deps.sh matrix' as root"

moddir=$dir/lib/modules/$kver
find "$dir" -maxdepth 1 -name '.initramfs.*' -mmin +60 -exec rm -rf {} + 2>/dev/null || :
tmp=$(mktemp -d "$dir/.initramfs.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
root=$tmp/root
mkdir -p "$root/bin" "$root/dev" "$root/proc" "$root/sys" "$root/newroot" "$root/modules"
cp "$busybox" "$root/bin/busybox"
ln -s busybox "$root/bin/sh"
cp "$dir/config" "$root/config"

# The modules the guest needs before it has a root, each after what
# modules.dep says it needs.  netfs and fscache exist only in some kernels;
# a module built in (modules.builtin) needs no loading.
want="virtio_ring virtio virtio_pci 9pnet 9pnet_virtio netfs 9p"
optional=" netfs fscache "
seen=" "

# kernel/fs/9p/9p.ko.xz -> 9p
modname() { basename "$1" | sed -e 's/\.ko.*//' -e 's/-/_/g'; }

path_of() {
	awk -F: -v m="$1" '{ n = $1; sub(/.*\//, "", n); sub(/\.ko.*/, "", n);
		gsub(/-/, "_", n); if (n == m) { print $1; exit } }' "$moddir/modules.dep"
}

add() {
	case $seen in *" $1 "*) return 0 ;; esac
	seen="$seen$1 "
	p=$(path_of "$1")
	if [ -z "$p" ]; then
		grep -q "/$1\.ko" "$moddir/modules.builtin" && return 0
		case $optional in *" $1 "*) return 0 ;; esac
		die "$kver has no module $1, nor is it built in; is $dir a generic amd64 kernel?"
	fi
	# shellcheck disable=SC2013 # modules.dep lists the needed modules as words
	for d in $(grep "^$p:" "$moddir/modules.dep" | cut -d: -f2); do
		add "$(modname "$d")"
	done
	p=$(path_of "$1")	# sh has no locals: the calls above reused $p
	case $p in
	*.ko) cp "$moddir/$p" "$root/modules/$1.ko" ;;
	*.ko.xz) xz -dc "$moddir/$p" >"$root/modules/$1.ko" ;;
	*.ko.zst) zstd -qdc "$moddir/$p" >"$root/modules/$1.ko" ||
		die "cannot unpack $p: install zstd" ;;
	*) die "$p: a module compressed in a way this script does not know" ;;
	esac
	echo "$1.ko" >>"$root/modules/order"	# busybox insmod wants plain .ko
}
# A bzImage given without --modules has none: what the guest needs must be
# built in, and /init says so if the root cannot be mounted.
if [ -s "$moddir/modules.dep" ]; then
	for m in $want; do
		add "$m"
	done
else
	echo "initramfs: $kver comes with no modules; virtio and 9p must be built in" >&2
fi
touch "$root/modules/order"

cat >"$root/init" <<'EOF'
#!/bin/sh
# twlab's guest init.  The kernel command line says what to run:
#   twlab.exe=PATH     the twlab binary, a path on the host's root
#   twlab.args=A,B     the cases and claims to run, comma-separated
#   twlab.kdir=DIR     this kernel's unpacked packages, on the host's root
#   twlab.jobs=N       run at most N instances at once (twlab run -j N)
#   twlab.probe=1      only show that the kernel booted, and power off
# Every line it prints starts with "twlab-guest:"; an error says what
# failed, then the guest powers off and the host reports it.
export PATH=/bin
/bin/busybox --install -s /bin

say() { echo "twlab-guest: $*"; }
fail() {
	say "error: $*"
	sync
	poweroff -f
}

mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
exe='' args='' kdir='' probe='' jobs=''
for w in $(cat /proc/cmdline); do
	case $w in
	twlab.exe=*) exe=${w#*=} ;;
	twlab.args=*) args=$(echo "${w#*=}" | tr , ' ') ;;
	twlab.kdir=*) kdir=${w#*=} ;;
	twlab.jobs=*) jobs="-j ${w#*=}" ;;
	twlab.probe=1) probe=1 ;;
	esac
done
if [ -n "$probe" ]; then
	say "probe: up after $(cut -d' ' -f1 /proc/uptime) s"
	poweroff -f
fi
[ -n "$exe" ] && [ -n "$kdir" ] || fail "twlab.exe= or twlab.kdir= missing from the kernel command line"

while read -r m; do
	insmod "/modules/$m" || fail "insmod $m"
done </modules/order

# The host's root, read-only.  Its /proc, /sys and /dev are the host's
# mounts as qemu sees them: the guest's own go over them.  /tmp, /run,
# /var/tmp and /boot get tmpfs, so that nothing writes through to the host.
r=/newroot
nine="trans=virtio,version=9p2000.L,msize=512000"
mount -t 9p -o "ro,$nine,cache=loose" hostroot $r ||
	fail "cannot mount the host's root (9p tag hostroot)"
# The kernel's modules and twlab may live under /tmp or /run, which the
# tmpfs below hide: keep a hold on both first, and show them at /run/twlab.
[ -d "$r$kdir" ] || fail "no $kdir on the host's root"
[ -x "$r$exe" ] || fail "no $exe on the host's root"
mkdir -p /stash/kernel /stash/bin
mount --bind "$r$kdir" /stash/kernel && mount --bind "$r${exe%/*}" /stash/bin ||
	fail "cannot hold on to $kdir and ${exe%/*}"
for d in tmp run var/tmp boot; do
	mount -t tmpfs -o mode=1777 "tw-${d#*/}" "$r/$d" || fail "cannot mount a tmpfs on /$d"
done
mount -t proc proc $r/proc && mount -t sysfs sys $r/sys && mount -t devtmpfs dev $r/dev ||
	fail "cannot mount proc, sys or dev in the new root"
mkdir -p $r/dev/pts $r/dev/shm
mount -t devpts devpts $r/dev/pts
mount -t tmpfs shm $r/dev/shm
mkdir $r/tmp/results
mount -t 9p -o "$nine,cache=none" results $r/tmp/results ||
	fail "cannot mount the results share (9p tag results)"
# twlab reads HZ from /boot/config-$(uname -r)
cp /config "$r/boot/config-$(uname -r)"
mkdir -p $r/run/twlab/kernel $r/run/twlab/bin
mount --bind /stash/kernel $r/run/twlab/kernel && mount --bind /stash/bin $r/run/twlab/bin ||
	fail "cannot show $kdir and ${exe%/*} at /run/twlab"
kdir=/run/twlab/kernel
exe=/run/twlab/bin/${exe##*/}

# The kernel loads modules (veth, nf_tables, tcp_diag...) through this:
# the host's kmod, which knows softdeps (nf_tables wants crc32c_generic
# first) and .ko.xz, pointed at this kernel's modules.  They cannot be
# bound over the chroot's /lib/modules: the host may have none to bind on.
cat >/bin/twlab-modprobe <<MP
#!/bin/sh
exec /bin/chroot $r /sbin/modprobe -d $kdir "\$@"
MP
chmod 755 /bin/twlab-modprobe
echo /bin/twlab-modprobe >/proc/sys/kernel/modprobe

res=$r/tmp/results
cut -d' ' -f1 /proc/uptime >$res/booted
say "booted in $(cat $res/booted) s; running $exe run $args"
set -o pipefail	# busybox ash has it: the status is twlab's, not tee's
chroot $r /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
	HOME=/root TERM=dumb "$exe" run --json /tmp/results/out.json \
	--out /tmp/results/pcap --time-scale 6 $jobs $args 2>&1 | tee $res/ktap.txt
rc=$?
echo $rc >$res/rc
say "twlab exited with status $rc"
sync
umount $res
poweroff -f
EOF
chmod 755 "$root/init"

(cd "$root" && find . | cpio -o -H newc --quiet) | gzip -1 >"$tmp/initramfs.cpio.gz"
mv "$tmp/initramfs.cpio.gz" "$out"
echo "$out"
