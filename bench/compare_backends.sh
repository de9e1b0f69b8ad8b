#!/usr/bin/env bash
# Compare every installed BLAS backend: nn-bench under each of Debian's
# libblas.so.3 builds (selected by LD_LIBRARY_PATH), with 1 and 2 threads.
#
#   bench/compare_backends.sh [-C BUILDDIR] [-o OUTDIR] [-t "1 2"] [-b "BACKENDS"] [--quick]
#                             [-- NN-BENCH ARGS]
#
# BUILDDIR (default build-bench) must hold bench/nn-bench: meson setup
# build-bench --buildtype=release && ninja -C build-bench. OUTDIR (default
# bench-results) receives results.csv (backend,threads,workload,ms_per_step,
# gflops,gemm_floor_ms,overhead_pct,speedup_vs_numpy), details.csv (every
# figure, the BLAS and kernel each run used), one log per run, and a bar
# chart per workload (bench-<workload>.png) when nn-bench-chart was built.
#
# The backends are those of Debian's packages: libopenblas0-pthread,
# libopenblas0-openmp, libopenblas0-serial, libblis4-pthread, libblis4-openmp,
# libblis4-serial, libatlas3-base and libblas3 (the reference BLAS). Missing
# ones are named and skipped. Serial builds (and ATLAS and the reference
# BLAS, which Debian ships serial) run with 1 thread only.
#
# OPENBLAS_CORETYPE (force an OpenBLAS kernel family, e.g. Haswell) and
# OPENBLAS_L2_SIZE (the L2 size OpenBLAS assumes, in KiB) are passed through
# as they are; each run prints the kernel it really used.
set -euo pipefail

src=$(cd "$(dirname "$0")/.." && pwd)
build=$src/build-bench
out=bench-results
threads_list="1 2"
only=
quick=()
while [ $# -gt 0 ]; do
  case $1 in
    -C) build=$2; shift 2 ;;
    -o) out=$2; shift 2 ;;
    -t) threads_list=$2; shift 2 ;;
    -b) only=$2; shift 2 ;;
    --quick) quick=(--quick); shift ;;
    --) shift; break ;;
    -h|--help) sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "compare_backends: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
bench=$build/bench/nn-bench
chart=$build/bench/nn-bench-chart
if [ ! -x "$bench" ]; then
  echo "compare_backends: $bench not found; build it first:" >&2
  echo "  meson setup $build --buildtype=release && ninja -C $build" >&2
  exit 1
fi

multiarch=$(gcc -print-multiarch 2>/dev/null || true)
libdir=/usr/lib/${multiarch:-x86_64-linux-gnu}
all=(openblas-pthread openblas-openmp openblas-serial blis-pthread blis-openmp blis-serial atlas blas)
found=() missing=()
[ -z "$only" ] || read -r -a all <<< "$only"
for b in "${all[@]}"; do
  if [ -e "$libdir/$b/libblas.so.3" ]; then found+=("$b"); else missing+=("$b"); fi
done
echo "backends found:   ${found[*]:-none}"
[ ${#missing[@]} -eq 0 ] || echo "backends missing: ${missing[*]} (skipped; see doc/performance.md for the packages)"
[ ${#found[@]} -gt 0 ] || exit 1

mkdir -p "$out"
rm -f "$out/results.csv" "$out/details.csv" "$out"/log-*.txt "$out"/bench-*.png
for b in "${found[@]}"; do
  label=$b
  [ "$b" = blas ] && label=netlib
  for t in $threads_list; do
    case $b in
      *serial|atlas|blas) [ "$t" = 1 ] || continue ;;
    esac
    echo "== $label, $t thread(s)"
    LD_LIBRARY_PATH=$libdir/$b${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH} \
    OPENBLAS_NUM_THREADS=$t BLIS_NUM_THREADS=$t OMP_NUM_THREADS=$t \
      "$bench" --backend "$label" --threads "$t" --csv "$out/results.csv" \
        --details "$out/details.csv" "${quick[@]}" "$@" | tee "$out/log-$label-$t.txt"
  done
done

echo
echo "== $out/results.csv"
column -s, -t < "$out/results.csv"

if [ -x "$chart" ]; then
  for w in $(tail -n +2 "$out/results.csv" | cut -d, -f3 | sort -u); do
    case $w in
      dgemm*) col=gflops; what="GFLOP/s of one 2000x2000 dgemm" ;;
      *) col=ms_per_step; what="ms per training step (lower is better)" ;;
    esac
    "$chart" "$out/results.csv" "$w" "$col" "$out/bench-$w.png" "$w: $what" \
      && echo "chart: $out/bench-$w.png"
  done
else
  echo "(no $chart: the plot library was not built, no charts)"
fi
