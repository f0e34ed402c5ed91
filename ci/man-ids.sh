#!/bin/sh
# ci/man-ids.sh TEMPLATE CHANGELOG IDS: the manual, on stdout.  The
# template's @VERSION@ and @DATE@ come from the changelog's first entry (the
# version's one home); its line @IDS@ becomes the claims and the kernel
# facts, from IDS: "A<TAB>ID<TAB>title" and "K<TAB>ID<TAB>title" lines, what
# build/tools/man-claims prints from the tables `twlab explain` prints.
set -eu

[ $# -eq 3 ] || { echo "usage: ci/man-ids.sh TEMPLATE CHANGELOG IDS" >&2; exit 2; }
template=$1
changelog=$2

version=$(sed -n '1s/^[^ ]* (\([^)]*\)).*/\1/p' "$changelog")
stamp=$(sed -n 's/^ -- .*>  //p' "$changelog" | head -n 1)
date=$(LC_ALL=C date -u -d "$stamp" '+%B %-d, %Y') ||
	{ echo "man-ids: cannot read the date of $changelog's first entry" >&2; exit 1; }
[ -n "$version" ] || { echo "man-ids: no version on $changelog's first line" >&2; exit 1; }

# The entries of kind $1 (A or K) as a tagged list.  Markdown's ` and **
# go; a backslash is \e; a line cannot start a request, and each sentence
# starts one.
entries() {
	awk -F '\t' -v kind="$1" '
	$1 == kind {
		t = $3
		gsub(/\\/, "\\e", t)
		gsub(/`|\*\*/, "", t)
		gsub(/[.?!] +/, "&\n", t)
		gsub(/ +\n/, "\n", t)
		if (!n++)
			print ".Bl -tag -width Ds"
		print ".It Sy " $2
		m = split(t, line, "\n")
		for (i = 1; i <= m; i++)
			print (line[i] ~ /^[.'\'']/ ? "\\&" : "") line[i]
	}
	END {
		if (n)
			print ".El"
	}' "$2"
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
entries A "$3"
echo ".Ss Kernel facts"
entries K "$3"
part 2
