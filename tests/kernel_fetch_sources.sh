#!/bin/sh
# tests/kernel_fetch_sources.sh: ci/kernel-fetch.sh asks the archive and
# keyring of the machine's apt sources, one-line or deb822, changing only
# the suite, and --mirror's archive instead when given.  The sources are
# made up under a temporary APT_CONFIG; nothing is fetched.
set -eu

fetch=${1:-ci/kernel-fetch.sh}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0

mkdir -p "$tmp/one/parts" "$tmp/822/parts"
: >"$tmp/local.gpg"
cat >"$tmp/one/sources.list" <<LIST
# a comment
deb-src http://src.invalid/debian bookworm main
deb [arch=amd64 signed-by=$tmp/local.gpg] http://one.invalid/debian/ bookworm main contrib
deb http://one.invalid/debian-security bookworm-security main
LIST
: >"$tmp/822/sources.list"
cat >"$tmp/822/parts/debian.sources" <<SOURCES
Types: deb
Enabled: no
URIs: http://off.invalid/debian
Suites: bookworm

Types: deb deb-src
URIs: http://822.invalid/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: $tmp/local.gpg

Types: deb
URIs: http://822.invalid/debian-security
Suites: bookworm-security
Components: main
Signed-By:
 -----BEGIN PGP PUBLIC KEY BLOCK-----
 .
 -----END PGP PUBLIC KEY BLOCK-----
SOURCES

# $1: the case; $2: the grep -x pattern a line must match; the rest: the command
expect() {
	name=$1
	want=$2
	shift 2
	if ! "$@" 2>"$tmp/err" | grep -qx -- "$want"; then
		echo "kernel_fetch_sources: $name: no line '$want' in:" >&2
		"$@" >&2 || cat "$tmp/err" >&2
		fails=$((fails + 1))
	fi
}

for kind in one 822; do
	printf 'Dir::Etc::sourcelist "%s";\nDir::Etc::sourceparts "%s";\n' \
		"$tmp/$kind/sources.list" "$tmp/$kind/parts" >"$tmp/$kind/apt.conf"
	expect "$kind: trixie" "deb \[signed-by=$tmp/local.gpg\] http://$kind.invalid/debian trixie main" \
		env APT_CONFIG="$tmp/$kind/apt.conf" "$fetch" --sources
	expect "$kind: security" \
		"deb \[signed-by=$tmp/local.gpg\] http://$kind.invalid/debian-security bullseye-security main" \
		env APT_CONFIG="$tmp/$kind/apt.conf" "$fetch" --sources
	expect "$kind: --mirror" "deb \[signed-by=$tmp/local.gpg\] file:/srv/debian sid main" \
		env APT_CONFIG="$tmp/$kind/apt.conf" "$fetch" --mirror file:/srv/debian/ --sources
done
# no archive in the sources: one line that says to name one
: >"$tmp/822/parts/debian.sources"
expect "none" ".*name one with --mirror URL" \
	sh -c "APT_CONFIG='$tmp/822/apt.conf' '$fetch' --sources 2>&1"

[ "$fails" -eq 0 ] || exit 1
echo "kernel_fetch_sources: one-line, deb822 and --mirror sources as expected"
