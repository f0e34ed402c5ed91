#!/bin/sh
# ci/man-ids.sh TEMPLATE CHANGELOG CLAIMS.md FACTS.md: the manual, on
# stdout.  The template's @VERSION@ and @DATE@ come from the changelog's
# first entry (the version's one home); its line @IDS@ becomes the list of
# claim and kernel fact IDs, with their titles, read from each
# "## <ID>: <title>" heading of CLAIMS.md and FACTS.md.  A file that is
# absent gives a sentence saying so, and the manual stays valid.
set -eu

[ $# -eq 4 ] || { echo "usage: ci/man-ids.sh TEMPLATE CHANGELOG CLAIMS.md FACTS.md" >&2; exit 2; }
template=$1
changelog=$2

version=$(sed -n '1s/^[^ ]* (\([^)]*\)).*/\1/p' "$changelog")
stamp=$(sed -n 's/^ -- .*>  //p' "$changelog" | head -n 1)
date=$(LC_ALL=C date -u -d "$stamp" '+%B %-d, %Y') ||
	{ echo "man-ids: cannot read the date of $changelog's first entry" >&2; exit 1; }
[ -n "$version" ] || { echo "man-ids: no version on $changelog's first line" >&2; exit 1; }

# One tagged list of the IDs in markdown file $1, or a sentence if it is absent.
ids() {
	if [ ! -f "$1" ]; then
		printf 'They are listed in\n.Pa %s ,\nwhich this build did not have.\n' "$1"
		return
	fi
	# Markdown's ` and ** go; a backslash is \e; a line cannot start a request.
	awk -v file="$1" '
	/^## [A-Z][0-9]+[A-Za-z]*: / {
		id = $2
		sub(/:$/, "", id)
		t = $0
		sub(/^## [^:]*: */, "", t)
		gsub(/\\/, "\\e", t)
		gsub(/`|\*\*/, "", t)
		if (t ~ /^[.'\'']/)
			t = "\\&" t
		if (!n++)
			print ".Bl -tag -width Ds"
		print ".It Sy " id
		print t
	}
	END {
		if (n)
			print ".El"
		else
			printf "%s holds no \"## ID: title\" heading.\n", file
	}' "$1"
}

# The template before @IDS@ (part 1) or after it (part 2).
part() {
	awk -v version="$version" -v date="$date" -v part="$1" '
		$0 == "@IDS@" { at++; next }
		{ gsub(/@VERSION@/, version); gsub(/@DATE@/, date) }
		at + 1 == part { print }' "$template"
}

part 1
echo ".Ss Claims"
ids "$3"
echo ".Ss Kernel facts"
ids "$4"
part 2
