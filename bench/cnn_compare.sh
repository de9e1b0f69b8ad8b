#!/usr/bin/env bash
# nn beside PyTorch on convolutional networks, in one run: seconds per epoch
# of the same architecture (nn-bench-cnn's presets), batch, optimiser (Adam
# 1e-3, batch 128) and thread count, f64 and f32, on the same MNIST images.
#
#   bench/cnn_compare.sh [-C BUILDDIR] [-o OUTDIR] [--quick] [--samples N]
#                        [--test N] [--epochs E] [--reps R] [--models "convnet lenet5"]
#                        [--threads "1 2"] [--coretypes "env unset"]
#                        [--no-malloc-variant] [--data DIR] [--lock FILE]
#   bench/cnn_compare.sh -o OUTDIR --summary
#
# BUILDDIR (default build-bench) must hold bench/nn-bench-cnn:
#   meson setup build-bench --buildtype=release && ninja -C build-bench
# PyTorch is bench/cnn_torch.py under /usr/bin/python3 (Debian: python3-torch).
#
# The grid: every model x OpenBLAS core type x threads x {nn f64, nn f32,
# torch f64, torch f32}, each R times (default 3), the repetitions
# interleaved (repetition outermost) so that a shared machine's load falls on
# all of them alike. Core type "env" runs with OPENBLAS_CORETYPE and
# OPENBLAS_L2_SIZE as this environment sets them, "unset" without them (what
# a user's machine has; OpenBLAS then detects the CPU). Threads T sets
# OPENBLAS_NUM_THREADS = OMP_NUM_THREADS = T and each program's own
# setting (nn-bench-cnn --threads, torch.set_num_threads). Unless
# --no-malloc-variant, torch also runs with glibc's mmap threshold raised
# (MALLOC_MMAP_THRESHOLD_=1e9, MALLOC_TRIM_THRESHOLD_=1e9, "torch-mmap1g"):
# torch allocates its large tensors afresh every batch, and with glibc's
# defaults each one is a new mmap whose pages fault in again; nn allocates
# once per run. --lock FILE holds flock(1) on FILE for each repetition
# (the whole grid once), so that the timings of other benchmarkers sharing
# the machine never overlap with these.
#
# --quick: --samples 6000 --epochs 2 --test 2000. Default: all 60,000
# images, 2 epochs (the first is a warm-up; an epoch's figure is the median
# over the others), accuracy on all 10,000 test images. With --samples N
# below 60,000 the tables also give the time scaled to 60,000 images
# (x 60000 / N: an epoch's cost is linear in its batches). --summary
# runs nothing and summarises OUTDIR/raw.csv as it stands (a run cut short).
#
# OUTDIR (default cnn-results) receives raw.csv (one row a run: rep,
# coretype, variant, the programs' CSV line, the load average after the
# run), results.csv and
# results.md (medians over repetitions, and each one's time over nn f64's
# in the same cell: > 1 means nn is faster), and a log per run.
set -uo pipefail

src=$(cd "$(dirname "$0")/.." && pwd)
build=$src/build-bench
out=cnn-results
samples=60000
epochs=2
test_n=10000
reps=3
models="convnet lenet5"
threads_list="1 2"
coretypes="env unset"
malloc_variant=1
data=$src/../shared/data/mnist-full
lock=
summary_only=0
while [ $# -gt 0 ]; do
  case $1 in
    -C) build=$2; shift 2 ;;
    -o) out=$2; shift 2 ;;
    --quick) samples=6000; epochs=2; test_n=2000; shift ;;
    --test) test_n=$2; shift 2 ;;
    --samples) samples=$2; shift 2 ;;
    --epochs) epochs=$2; shift 2 ;;
    --reps) reps=$2; shift 2 ;;
    --models) models=$2; shift 2 ;;
    --threads) threads_list=$2; shift 2 ;;
    --coretypes) coretypes=$2; shift 2 ;;
    --no-malloc-variant) malloc_variant=0; shift ;;
    --data) data=$2; shift 2 ;;
    --lock) lock=$2; shift 2 ;;
    --summary) summary_only=1; shift ;;
    -h|--help) sed -n '2,43p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "cnn_compare: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
raw=$out/raw.csv
status=0
if [ $summary_only -eq 0 ]; then
  bench=$build/bench/nn-bench-cnn
  torch_py=$src/bench/cnn_torch.py
  if [ ! -x "$bench" ]; then
    echo "cnn_compare: $bench not found; build it first:" >&2
    echo "  meson setup $build --buildtype=release && ninja -C $build" >&2
    exit 1
  fi
  have_torch=1
  if ! /usr/bin/python3 -c 'import torch' 2> /dev/null; then
    echo "cnn_compare: /usr/bin/python3 has no torch (apt-get install python3-torch):" \
      "nn alone" >&2
    have_torch=0
  fi
  if [ ! -d "$data" ]; then
    echo "cnn_compare: no MNIST directory $data (--data DIR)" >&2
    exit 1
  fi
  for ct in $coretypes; do
    case $ct in
      env) [ -n "${OPENBLAS_CORETYPE:-}${OPENBLAS_L2_SIZE:-}" ] ||
        echo "cnn_compare: OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE are unset here:" \
          "'env' runs the same as 'unset'" >&2 ;;
      unset) ;;
      *) echo "cnn_compare: core type '$ct' is neither env nor unset" >&2; exit 2 ;;
    esac
  done

  mkdir -p "$out/logs" || exit 1
  header="rep,coretype,variant,framework,model,precision,threads,samples,batch,epochs"
  header+=",s_per_epoch,cpu_s_per_epoch,first_epoch_s,test_accuracy,data_rss_mib,peak_rss_mib,load1"
  echo "$header" > "$raw"
  echo "cnn_compare: $(date -u +%FT%TZ) on $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg);" \
    "OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-(unset)} OPENBLAS_L2_SIZE=${OPENBLAS_L2_SIZE:-(unset)}"
  echo "cnn_compare: models $models, threads $threads_list, core types $coretypes, $reps reps," \
    "$samples samples, $epochs epochs, $test_n test images -> $out"


  # run REP CORETYPE THREADS VARIANT MODEL: one program, its CSV line into raw.csv
  run() {
    local rep=$1 ct=$2 t=$3 variant=$4 model=$5 log cmd=() envs=() rc line
    log=$out/logs/$model-$variant-$ct-t$t-r$rep.log
    envs=(OPENBLAS_NUM_THREADS="$t" OMP_NUM_THREADS="$t")
    local unset=()
    [ "$ct" = unset ] && unset=(-u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE)
    case $variant in
      nn-f64|nn-f32)
        cmd=("$bench" --model "$model" --data "$data" --samples "$samples" --test "$test_n"
             --epochs "$epochs" --threads "$t" --precision "${variant#nn-}") ;;
      torch-f64|torch-f32|torch-mmap1g-f64|torch-mmap1g-f32)
        [[ $variant == torch-mmap1g-* ]] &&
          envs+=(MALLOC_MMAP_THRESHOLD_=1000000000 MALLOC_TRIM_THRESHOLD_=1000000000)
        cmd=(/usr/bin/python3 "$torch_py" --layers "$(spec "$model")" --name "$model"
             --data "$data" --samples "$samples" --test "$test_n" --epochs "$epochs" --threads "$t"
             --precision "${variant##*-}") ;;
    esac
    env "${unset[@]}" "${envs[@]}" "${cmd[@]}" > "$log" 2>&1
    rc=$?
    line=$(grep -E '^(nn|torch),' "$log" | tail -n 1)
    if [ $rc -ne 0 ] || [ -z "$line" ]; then
      echo "  $model $variant $ct $t threads: FAILED (exit $rc), see $log" >&2
      status=1
      return 0
    fi
    echo "$rep,$ct,$variant,$line,$(cut -d' ' -f1 /proc/loadavg)" >> "$raw"
    printf '  rep %s %-7s %-16s %-5s %s thr: %s s/epoch (CPU %s s)\n' "$rep" "$model" "$variant" \
      "$ct" "$t" "$(cut -d, -f8 <<< "$line")" "$(cut -d, -f9 <<< "$line")"
  }

  spec() { "$bench" --model "$1" --describe; }

  variants="nn-f64 nn-f32"
  [ $have_torch -eq 1 ] && variants+=" torch-f64 torch-f32"
  [ $have_torch -eq 1 ] && [ $malloc_variant -eq 1 ] && variants+=" torch-mmap1g-f64 torch-mmap1g-f32"
  start=$(date +%s)
  for rep in $(seq 1 "$reps"); do
    if [ -n "$lock" ]; then
      exec 9>> "$lock" && flock 9 || { echo "cnn_compare: cannot lock $lock" >&2; exit 1; }
    fi
    echo "  rep $rep: load $(cut -d' ' -f1-3 /proc/loadavg)"
    for model in $models; do
      for ct in $coretypes; do
        for t in $threads_list; do
          for v in $variants; do
            run "$rep" "$ct" "$t" "$v" "$model"
          done
        done
      done
    done
    [ -n "$lock" ] && exec 9>&-
  done
  echo "cnn_compare: $(( $(date +%s) - start )) s, load $(cut -d' ' -f1-3 /proc/loadavg)"

fi
/usr/bin/python3 - "$raw" "$out/results.csv" "$out/results.md" <<'PY' || status=1
import csv, statistics, sys
raw, out_csv, out_md = sys.argv[1:4]
rows = list(csv.DictReader(open(raw, newline="")))
cells, order, variants = {}, [], []
for r in rows:
    cells.setdefault((r["model"], r["coretype"], r["threads"], r["variant"]), []).append(r)
    if (r["model"], r["coretype"], r["threads"]) not in order:
        order.append((r["model"], r["coretype"], r["threads"]))
    if r["variant"] not in variants:
        variants.append(r["variant"])
n = int(rows[0]["samples"]) if rows else 60000
scale = 60000 / n
fields = ["model", "coretype", "threads", "variant", "reps", "s_per_epoch",
          "min_s_per_epoch", "max_s_per_epoch", "over_nn_f64", "cpu_s_per_epoch",
          "cpu_over_nn_f64", "s_per_60k", "cpu_s_per_60k", "load1", "test_accuracy",
          "peak_rss_mib"]
med = lambda rs, k: statistics.median(float(r[k]) for r in rs)
res = []
for m, ct, t in order:
    base = cells.get((m, ct, t, "nn-f64"))
    for v in variants:
        rs = cells.get((m, ct, t, v))
        if not rs:
            continue
        s = [float(r["s_per_epoch"]) for r in rs]
        wall, cpu = med(rs, "s_per_epoch"), med(rs, "cpu_s_per_epoch")
        res.append(dict(model=m, coretype=ct, threads=t, variant=v, reps=len(s),
                        s_per_epoch=f"{wall:.3f}", min_s_per_epoch=f"{min(s):.3f}",
                        max_s_per_epoch=f"{max(s):.3f}",
                        over_nn_f64=f"{wall / med(base, 's_per_epoch'):.2f}" if base else "",
                        cpu_s_per_epoch=f"{cpu:.3f}",
                        cpu_over_nn_f64=f"{cpu / med(base, 'cpu_s_per_epoch'):.2f}" if base else "",
                        s_per_60k=f"{wall * scale:.1f}", cpu_s_per_60k=f"{cpu * scale:.1f}",
                        load1=f"{med(rs, 'load1'):.1f}",
                        test_accuracy=f"{med(rs, 'test_accuracy'):.4f}",
                        peak_rss_mib=f"{max(float(r['peak_rss_mib']) for r in rs):.0f}"))
with open(out_csv, "w", newline="") as f:
    w = csv.DictWriter(f, fieldnames=fields)
    w.writeheader()
    w.writerows(res)
with open(out_md, "w") as f:
    f.write(f"Seconds per epoch of {n} images (batch 128, Adam), median of the repetitions "
            "(range in parentheses); x nn = the time over nn f64's in the same row group "
            "(> 1: nn is faster); CPU s = the process's CPU time per epoch, all its threads"
            + (f"; /60k = both scaled to 60,000 images (x {scale:.3g})" if n != 60000 else "")
            + "; load = the 1-minute load average after the runs (median).\n\n")
    f.write("| model | OPENBLAS_CORETYPE | threads | variant | s/epoch | x nn f64 | CPU s | "
            "CPU x nn | s /60k | CPU s /60k | load | test acc. | peak RSS MiB |\n"
            "|---|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
    for r in res:
        f.write(f"| {r['model']} | {r['coretype']} | {r['threads']} | {r['variant']} | "
                f"{r['s_per_epoch']} ({r['min_s_per_epoch']}–{r['max_s_per_epoch']}) | "
                f"{r['over_nn_f64']} | {r['cpu_s_per_epoch']} | {r['cpu_over_nn_f64']} | "
                f"{r['s_per_60k']} | {r['cpu_s_per_60k']} | {r['load1']} | "
                f"{r['test_accuracy']} | {r['peak_rss_mib']} |\n")
print(open(out_md).read())
PY
exit $status
