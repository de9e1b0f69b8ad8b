#!/usr/bin/env bash
# Time full-batch steps under MPI: 1 rank x 1 and 2 BLAS threads, 2 ranks x 1
# thread, on the grown workloads (784-128-10 on 10,000 and 60,000 samples).
# Prints CSV for doc/mpi.md's cost model.
# usage: bench/mpi_scaling.sh [BUILD_DIR]   (default: build)
set -euo pipefail
build=${1:-build}
exe="$build/bench/nn-bench-mpi"
[ -x "$exe" ] || { echo "mpi_scaling: $exe not built (configure with -Dmpi=enabled)" >&2; exit 1; }
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
echo "ranks,threads,samples,hidden,params,ms_per_step,allreduce_ms,allreduce_bytes"
for n in 10000 60000; do
  for cfg in "1 1" "1 2" "2 1"; do
    set -- $cfg
    line=$(OPENBLAS_NUM_THREADS=$2 OMP_NUM_THREADS=$2 mpirun -np "$1" --oversubscribe --bind-to none \
      "$exe" --samples "$n" --hidden 128 --steps 5)
    echo "$1,$2,${line#*,}"
  done
done
