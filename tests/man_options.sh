#!/bin/sh
# tests/man_options.sh TWLAB MANPAGE: `twlab --help` and the manual name the
# same options.  The manual's are its Fl macros (".Fl -kernel" is
# --kernel); --help's are the words that start with a dash.
set -eu

[ $# -eq 2 ] || { echo "usage: tests/man_options.sh TWLAB MANPAGE" >&2; exit 2; }
help=$(mktemp)
man=$(mktemp)
trap 'rm -f "$help" "$man"' EXIT

"$1" --help | grep -oE '(^|[^A-Za-z0-9-])--?[A-Za-z][A-Za-z-]*' |
	sed 's/^[^-]*//' | sort -u >"$help"
grep -oE '(^\.| )Fl -?[A-Za-z][A-Za-z-]*' "$2" | sed 's/.*Fl /-/' | sort -u >"$man"
if ! cmp -s "$help" "$man"; then
	echo "man_options: --help and $2 differ in their options (< --help only, > manual only):" >&2
	diff "$help" "$man" | grep '^[<>]' >&2
	exit 1
fi
echo "man_options: --help and the manual agree on $(wc -l <"$help") options"
