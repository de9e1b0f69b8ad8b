#!/usr/bin/env bash
# The main job: install what is missing, build everything, and run the
# lecture's three experiments with fixed seeds, writing their pictures (and
# each program's output, as .txt) into one folder.
#
# usage: scripts/main_job.sh [OUTDIR]     (default: out; the build directory
#        is $NN_BUILD, default build)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-out}
build=${NN_BUILD:-build}
t0=$(date +%s.%N)
scripts/deps.sh run || { echo "main_job: could not install dependencies" >&2; exit 1; }
[ -f "$build/build.ninja" ] || meson setup "$build" >/dev/null
ninja -C "$build" >/dev/null
mkdir -p "$out"
t1=$(date +%s.%N)

# The seeds of the pictures in doc/img (doc/examples.md).
run() { # run NAME PROGRAM ARGS...: prints and keeps the program's output
	local name=$1
	shift
	echo "== $name $*"
	"$@" | tee "$out/$name.txt"
}
run nn-example1 "$build"/examples/nn-example1 --seed 1 --plot "$out/example1.png" \
	--plot-dots "$out/example1-dots.png" --plot-curve "$out/example1-curve.png"
run nn-example2 "$build"/examples/nn-example2 --seed 1 --plot "$out/example2.png" \
	--plot-dots "$out/example2-dots.png" --plot-curve "$out/example2-curve.png"
run nn-mnist "$build"/examples/nn-mnist --seed 1 --plot "$out/mnist-digits.png" \
	--plot-confusion "$out/mnist-confusion.png" --plot-curve "$out/mnist-curve.png"

t2=$(date +%s.%N)
echo "main_job: pictures in $out/: $(cd "$out" && ls *.png | tr '\n' ' ')"
awk -v a="$t0" -v b="$t1" -v c="$t2" \
	'BEGIN { printf "main_job: build %.1f s, programs %.1f s, total %.1f s\n", b - a, c - b, c - a }'
