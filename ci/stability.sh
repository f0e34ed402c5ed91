#!/bin/sh
# Stability: run the suite N times in a row and show, per instance and
# sub-claim, the verdict of every run.  A sub-claim whose conclusive
# verdicts differ between runs is a flaky observer or a flaky judge; the
# script exits 1 when there is one, or when any run has a fail or error.
#
# usage: ci/stability.sh N OUT [twlab run arguments...]
#        e.g. ci/stability.sh 20 twlab-out/stab
#             ci/stability.sh 3 twlab-out/stab tw_reuse --set tcp_tw_reuse=1
set -eu

[ $# -ge 2 ] || { echo "usage: ci/stability.sh N OUT [CASE|CLAIM ...]" >&2; exit 2; }
n=$1 out=$2
shift 2
case $n in
'' | *[!0-9]*) echo "ci/stability.sh: N must be a count, not '$n'" >&2; exit 2 ;;
esac
command -v jq >/dev/null || { echo "ci/stability.sh: needs jq (apt-get install jq)" >&2; exit 2; }
twlab=${TWLAB:-$(dirname "$0")/../build/twlab}
mkdir -p "$out"

i=1
while [ "$i" -le "$n" ]; do
	"$twlab" run -q --json "$out/run$i.json" --out "$out/run$i" "$@" \
		>"$out/run$i.ktap" 2>"$out/run$i.err" || true
	jq -r --arg r "$i" '[.instances[] | .result] as $res |
		"run \($r): wall \(.wall_s * 10 | round / 10) s, " +
		([ "pass", "fail", "error", "skip", "inconclusive" ] |
		 map(. as $k | "\($k) \([$res[] | select(. == $k)] | length)") | join(", "))' \
		"$out/run$i.json"
	i=$((i + 1))
done

# One line per instance and sub-claim: the verdict of each run, in order.
for f in "$out"/run*.json; do
	jq -r '.instances[] as $i | $i.claims[] |
		"\($i.name) \(.subclaim // .id) \(.verdict | gsub(" "; "_"))"' "$f" |
		sort | uniq -c | awk '
		{ key = $2 " " $3; vd = $4 ($1 > 1 ? "x" $1 : "") }
		key != last && NR > 1 { print last, acc; acc = "" }
		{ acc = acc (acc == "" ? "" : "+") vd; last = key }
		END { if (NR) print last, acc }'
done | awk '
	{ key = $1 " " $2; if (!(key in v)) order[++nk] = key; v[key] = v[key] " " $3 }
	END {
		for (k = 1; k <= nk; k++) {
			key = order[k]; split(v[key], w, " "); mixed = 0
			for (j in w) if (w[j] != w[1] && w[j] !~ /^inconclusive/ && w[1] !~ /^inconclusive/) mixed = 1
			printf "%s %s:%s\n", mixed ? "DIFFERS" : "same   ", key, v[key]
		}
	}' >"$out/subclaims.txt"

echo "sub-claims x runs: $out/subclaims.txt"
bad=$(cat "$out"/run*.json | jq -s '[.[].instances[] | select(.result == "fail" or .result == "error")] | length')
differs=$(grep -c '^DIFFERS' "$out/subclaims.txt" || true)
echo "fail+error instances over $n runs: $bad; sub-claims whose conclusive verdict differs: $differs"
[ "$bad" -eq 0 ] && [ "$differs" -eq 0 ]
