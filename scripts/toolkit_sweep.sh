#!/usr/bin/env bash
# Run one nn-mnist mini-batch setting over several seeds and report, for
# each seed and as medians, the test accuracy and the training seconds (the
# sum of the epochs' training time that nn-mnist prints, validation
# excluded). The figures of doc/toolkit.md come from this script.
#
# usage: scripts/toolkit_sweep.sh [-b BUILD] [-s "1 2 3"] [-t THREADS] DATA -- FLAGS...
#   DATA     the --data of nn-mnist (a directory of IDX files; relative paths
#            are taken from the source root, where the script runs)
#   FLAGS    the mini-batch flags, e.g. --layers 784,256,10 --epochs 15 --schedule cosine
#   -b       build directory (default build); -s seeds (default "1 2 3");
#   -t       OPENBLAS_NUM_THREADS (default 1)
# Prints one line per seed, then "median: test T  train-s S  (n seeds)".
set -euo pipefail
cd "$(dirname "$0")/.."
build=build seeds="1 2 3" threads=1
while getopts b:s:t: o; do
	case $o in
	b) build=$OPTARG ;;
	s) seeds=$OPTARG ;;
	t) threads=$OPTARG ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -ge 1 ] || { echo "usage: $0 [-b BUILD] [-s SEEDS] [-t THREADS] DATA -- FLAGS..." >&2; exit 2; }
data=$1
shift
[ "${1:-}" = -- ] && shift
exe=$build/examples/nn-mnist
[ -x "$exe" ] || { echo "$0: no $exe (build first)" >&2; exit 1; }
out=$(mktemp)
trap 'rm -f "$out"' EXIT
results=()
echo "# OPENBLAS_NUM_THREADS=$threads nn-mnist --data $data $*"
for s in $seeds; do
	OPENBLAS_NUM_THREADS=$threads "$exe" --seed "$s" --data "$data" "$@" >"$out"
	test=$(awk '/^test accuracy:/ { print $3 }' "$out")
	secs=$(awk '/^trained / { print $5 }' "$out")
	epochs=$(awk '/^trained / { print $2 }' "$out")
	echo "seed $s: test $test  train-s $secs  epochs $epochs"
	results+=("$test $secs")
done
printf '%s\n' "${results[@]}" | awk '
	{ t[NR] = $1; s[NR] = $2 }
	function median(a, n,   i, j, x) {
		for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j-1] > a[j]; j--) { x = a[j]; a[j] = a[j-1]; a[j-1] = x }
		return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
	}
	END { printf "median: test %.4f  train-s %.2f  (%d seeds)\n", median(t, NR), median(s, NR), NR }'
