#!/bin/sh
# The kernel matrix on one machine: every kernel in one `twlab matrix`,
# guests booted in parallel, then the merged report in OUT/report/.
#
# usage: ci/matrix-local.sh [OUT] [KERNEL...]   (default: host 5.10 6.1 6.12 7.3)
set -eu

cd "$(dirname "$0")/.."
out=${1:-twlab-out/matrix-local}
[ $# -gt 0 ] && shift
[ $# -gt 0 ] || set -- host 5.10 6.1 6.12 7.3

[ "$(id -u)" -eq 0 ] || { echo "ci/matrix-local.sh: run it as root (namespaces, qemu)" >&2; exit 2; }
ci/deps.sh
ci/deps.sh matrix
make -s

args=""
for k in "$@"; do
	args="$args --kernel $k"
done
# shellcheck disable=SC2086
./twlab matrix $args --out "$out" --mem 8192
echo "report: $out/report/report.md and report.html"
