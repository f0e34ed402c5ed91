#!/bin/sh
# ci/man-ids.sh TEMPLATE CHANGELOG CLAIMS FACTS: the manual, on stdout.
# The template's @VERSION@ and @DATE@ come from the changelog's first entry
# (the version's one home); its line @IDS@ becomes the claims, "ID<TAB>text"
# per line of CLAIMS (what build/tools/man-claims prints from
# harness/claims.c), and the kernel fact IDs, one per line of FACTS.
set -eu

[ $# -eq 4 ] || { echo "usage: ci/man-ids.sh TEMPLATE CHANGELOG CLAIMS FACTS" >&2; exit 2; }
template=$1
changelog=$2

version=$(sed -n '1s/^[^ ]* (\([^)]*\)).*/\1/p' "$changelog")
stamp=$(sed -n 's/^ -- .*>  //p' "$changelog" | head -n 1)
date=$(LC_ALL=C date -u -d "$stamp" '+%B %-d, %Y') ||
	{ echo "man-ids: cannot read the date of $changelog's first entry" >&2; exit 1; }
[ -n "$version" ] || { echo "man-ids: no version on $changelog's first line" >&2; exit 1; }

# The claims as a tagged list.  Markdown's ` goes; a backslash is \e; a
# line cannot start a request, and each sentence starts one.
claims() {
	awk -F '\t' '
	{
		t = $2
		gsub(/\\/, "\\e", t)
		gsub(/`/, "", t)
		gsub(/[.?!] +/, "&\n", t)	# a sentence starts a line
		gsub(/ +\n/, "\n", t)
		if (t ~ /^[.'\'']/)
			t = "\\&" t
		if (!n++)
			print ".Bl -tag -width Ds"
		print ".It Sy " $1
		print t
	}
	END {
		if (n)
			print ".El"
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
claims "$3"
echo ".Ss Kernel facts"
echo "The facts the verdicts cite:"
echo "$(paste -sd ' ' "$4" | sed 's/ /, /g')."
echo "Each verdict line names its fact beside the figure, and the"
echo ".Pa docs/experiments/"
echo "pages give the kernel source each comes from."
part 2
