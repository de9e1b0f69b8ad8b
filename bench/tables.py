#!/usr/bin/python3
"""Markdown tables from nn-bench's details.csv (bench/compare_backends.sh writes it).

  bench/tables.py bench-results/details.csv [more.csv ...] > tables.md

One table per workload: a row per backend x threads with ms/step, GFLOP/s,
the gemm floor, the overhead beyond BLAS, numpy (lecture and lean) and the
speed-ups, peak resident size and allocations per step.
"""
import csv
import sys


def num(row, key, fmt):
    v = row.get(key, "")
    return fmt % float(v) if v not in ("", "nan") else "–"


def main():
    rows = []
    for path in sys.argv[1:]:
        with open(path, newline="") as f:
            rows += list(csv.DictReader(f))
    order = []
    for r in rows:
        if r["workload"] not in order:
            order.append(r["workload"])
    for w in order:
        sel = [r for r in rows if r["workload"] == w]
        print("### %s (%s, N = %s)\n" % (w, sel[0]["shape"], sel[0]["samples"]))
        if w.startswith("dgemm"):
            print("| backend | threads | ms | GFLOP/s |")
            print("|---|---:|---:|---:|")
            for r in sel:
                if r.get("skipped"):
                    print("| %s | %s | skipped: %s | |" % (r["backend"], r["threads"], r["skipped"]))
                    continue
                print("| %s | %s | %s | %s |" % (r["backend"], r["threads"],
                                                 num(r, "ms_per_step", "%.4g"),
                                                 num(r, "gflops", "%.1f")))
            print()
            continue
        print("| backend | threads | ms/step | GFLOP/s | gemm floor ms | overhead % "
              "| numpy ms | speed-up | numpy lean ms | speed-up (lean) | peak RSS MiB "
              "| nn allocs/step | BLAS allocs/step |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for r in sel:
            if r.get("skipped"):
                print("| %s | %s | skipped: %s |||||||||||" % (r["backend"], r["threads"],
                                                               r["skipped"]))
                continue
            steps = 2 * int(r["alloc_steps"] or 1)
            print("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
                r["backend"], r["threads"], num(r, "ms_per_step", "%.4g"),
                num(r, "gflops", "%.1f"), num(r, "gemm_floor_ms", "%.4g"),
                num(r, "overhead_pct", "%.1f"), num(r, "numpy_ms", "%.4g"),
                num(r, "speedup_vs_numpy", "%.2f×"), num(r, "numpy_lean_ms", "%.4g"),
                num(r, "speedup_vs_numpy_lean", "%.2f×"), num(r, "peak_rss_mib", "%.0f"),
                "%g" % (int(r["allocs_2n_steps"]) / steps),
                "%g" % (int(r["blas_allocs_2n_steps"]) / steps)))
        print()


if __name__ == "__main__":
    main()
