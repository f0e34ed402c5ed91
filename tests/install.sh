#!/bin/sh
# tests/install.sh: `make install DESTDIR=... PREFIX=/usr` puts twlab, its
# manual, the matrix helpers and the docs where twlab(8) says, the installed
# binary runs from another directory, and `make uninstall` removes every
# file that install put there.
set -eu

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
make -s --no-print-directory install DESTDIR="$stage" PREFIX=/usr >/dev/null
for f in usr/bin/twlab usr/share/man/man8/twlab.8 usr/lib/twlab/kernel-fetch.sh \
	usr/lib/twlab/initramfs.sh usr/lib/twlab/deps.sh usr/share/doc/twlab/README.md; do
	[ -f "$stage/$f" ] || { echo "install: no /$f in the stage" >&2; exit 1; }
done
[ -x "$stage/usr/lib/twlab/kernel-fetch.sh" ] || { echo "install: helpers not executable" >&2; exit 1; }
files=$(find "$stage" -type f | wc -l)
(cd / && "$stage/usr/bin/twlab" --version >/dev/null && "$stage/usr/bin/twlab" list >/dev/null) ||
	{ echo "install: the installed twlab does not run from /" >&2; exit 1; }
make -s --no-print-directory uninstall DESTDIR="$stage" PREFIX=/usr >/dev/null
left=$(find "$stage" -type f)
[ -z "$left" ] || { echo "install: uninstall left $left" >&2; exit 1; }
echo "install: $files files installed under $stage/usr, run from /, all removed by uninstall"
