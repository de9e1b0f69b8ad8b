#!/usr/bin/env bash
# Accuracy of the three lecture programs over seeds 0..N-1 (default 20), as
# recorded in doc/examples.md: one CSV row a run (program, seed, train and
# test accuracy of the best model, and for nn-example1 those of the
# least-squares fit) and a summary (min, quartiles, median, max, mean) per
# program and split.
#
# usage: scripts/accuracy_sweep.sh [BUILDDIR [N [OUT.csv [MNIST-DATA]]]]
# With MNIST-DATA (e.g. ../shared/data/mnist), only nn-mnist runs, on
# --data MNIST-DATA (the lecture's exact subset of the real files).
# Runs one program per core, each on one BLAS thread.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
n=${2:-20}
csv=${3:-out/accuracy_sweep.csv}
data=${4:-}
mkdir -p "$(dirname "$csv")"
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1

one() { # one BUILDDIR PROGRAM SEED [ARGS...]: prints "program,seed,train,test,lsq_train,lsq_test"
	local out lsq build=$1 prog=$2 seed=$3
	shift 3
	out=$("$build/examples/$prog" --seed "$seed" "$@")
	lsq=$(sed -n 's/^least squares.*train accuracy \([0-9.]*\), test accuracy \([0-9.]*\)$/\1,\2/p' <<<"$out")
	printf '%s,%s,%s,%s,%s\n' "$prog" "$seed" "$(sed -n 's/^train accuracy: //p' <<<"$out")" \
		"$(sed -n 's/^test accuracy: //p' <<<"$out")" "${lsq:-,}"
}
export -f one

programs=(nn-example1 nn-example2 nn-mnist)
extra=
if [ -n "$data" ]; then
	programs=(nn-mnist)
	extra="--data $data"
fi
{
	echo "program,seed,train,test,lsq_train,lsq_test"
	for p in "${programs[@]}"; do
		# No trailing blank: xargs -L would join the next line to this one.
		for ((s = 0; s < n; s++)); do echo "$build $p $s${extra:+ $extra}"; done
	done | xargs -P "$(nproc)" -L 1 bash -c 'one "$@"' _ | sort -t, -k1,1 -k2,2n
} >"$csv"

python3 - "$csv" <<'PY'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1])))
def q(v, f):  # linear-interpolated quantile, as numpy's default
    v = sorted(v); i = f * (len(v) - 1); lo = int(i); hi = min(lo + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (i - lo)
print("| program | split | runs | min | 25 % | median | 75 % | max | mean |")
print("|---|---|---|---|---|---|---|---|---|")
for prog in sorted({r["program"] for r in rows}):
    for name, col in (("", "train"), ("", "test"), (" least squares", "lsq_train"),
                      (" least squares", "lsq_test")):
        v = [float(r[col]) for r in rows if r["program"] == prog and r.get(col)]
        if v:
            print(f"| {prog}{name} | {col.replace('lsq_', '')} | {len(v)} | {min(v):.4f} | "
                  f"{q(v, .25):.4f} | {statistics.median(v):.4f} | {q(v, .75):.4f} | "
                  f"{max(v):.4f} | {statistics.mean(v):.4f} |")
PY
