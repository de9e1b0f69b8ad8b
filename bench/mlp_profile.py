#!/usr/bin/python3
"""Where an epoch of nn's mini-batch training goes (issue 16): perf, by part.

  bench/mlp_profile.py [-C BUILD] [--precision f64,f32] [--run adam|sgd]
                       [--samples N] [--epochs E] [--threads T] [-o DIR]

Runs BUILD/bench/nn-bench-mlp under `perf record --call-graph dwarf` for E
epochs (default 2) of workload (a) -- 784-256-128-10, Adam, batch 128 --
on the first N (default 10,000) MNIST training images, without warm-up or
test evaluation, and sorts the samples taken while training into

  gemm kernel      OpenBLAS's ?gemm_kernel (its frames have no unwind
                   information, so a sample there has no caller: every
                   ?gemm of the process runs in training here)
  gemm packing     OpenBLAS copying A and B into its panels (?gemm_*copy)
  gemm beta, other scaling C by beta (zeroing it), the level-3 driver
  gather           nn_fitter_batch's own code: copying (and converting) the
                   batch's columns, targets, bookkeeping
  forward passes   bias + activation of the hidden layers
  output pass      softmax, cost, the right count, delta_L and db_L
  backward passes  delta o sigma' and the bias row sums
  update           the optimiser's pass over the parameters (Adam)
  epoch start      the permutation and the copy of the starting weights
  sparse gather    nn__sparse_fill: the batch's columns read into compressed
                   form (CSC and CSR) when the first layer runs sparse
  sparse packing   the dense operand (W1, or delta1) copied into 32-row panels
  sparse kernel    the sparse x dense products of the first layer
and prints each part's share of the training samples and its milliseconds
per epoch (share x the epoch's time under perf). Loading, parsing and the
checks nn_fitter_new makes are left out. Needs perf (perf_event_paranoid
<= 2 profiles one's own processes).
"""
import argparse
import collections
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, HERE)
import mlp_common  # noqa: E402

FRAME = re.compile(r"^\s*[0-9a-f]+ (\S+?)(?:\+0x[0-9a-f]+)? \((.*)\)$")
TRAIN = ("nn_fitter_batch", "nn_fitter_epoch")
SETUP = ("nn_mnist_load", "nn__idx_images", "nn_fitter_new", "fitter_new", "nn_net_parse",
         "nn_net_set_params", "nn_net_set_precision", "nn_fitter_free", "nn_mnist_free",
         "_dl_")
# the innermost libnn frame -> part; a name ending in "_" is a prefix, any other exact
PARTS = [("nn__update_", "update"), ("nn__optim_update", "update"), ("nn_optim_step", "update"),
         ("nn__act_forward_output_", "output pass"), ("nn__output_pass_", "output pass"),
         ("ce", "output pass"), ("quadratic", "output pass"),
         ("nn__act_forward_", "forward passes"), ("nn__act_backward_", "backward passes"),
         ("nn__copy_columns", "gather"), ("nn__input_copy", "gather"),
         ("nn_fitter_batch", "gather"),
         ("nn__forward_in_", "forward, other"), ("nn__backward_in_", "backward, other"),
         ("nn_rng_", "epoch start"), ("nn_fitter_epoch", "epoch start"),
         ("nn__sparse_fill", "sparse gather"), ("fill_csc_", "sparse gather"), ("fill_csr_", "sparse gather"),
         ("pack_job", "sparse packing"), ("nn__pack_panels_", "sparse packing"),
         ("tile_", "sparse kernel"), ("nn__spmm_", "sparse kernel"),
         ("spmm_job", "sparse kernel")]
ORDER = ["gemm kernel", "gemm packing", "gemm beta, other", "gather", "sparse gather",
         "sparse packing", "sparse kernel", "forward passes",
         "output pass", "backward passes", "update", "forward, other", "backward, other",
         "epoch start"]


def part(frames):
    """frames: [(symbol, dso)] from the leaf out. The part, or None for set-up."""
    syms = [s for s, _ in frames]
    if any(s.startswith(SETUP) for s in syms):
        return None
    leaf, dso = frames[0]
    if "openblas" in dso or "libblas" in dso:
        if "kernel" in leaf:
            return "gemm kernel"
        return "gemm packing" if "copy" in leaf else "gemm beta, other"
    if not any(s in TRAIN for s in syms):
        return None
    for s, d in frames:
        if "libnn" in d:
            for prefix, name in PARTS:
                if s == prefix or s.startswith(prefix) and prefix.endswith("_"):
                    return name
            return "other: " + s
    return "other: " + leaf


def profile(a, precision, runs_file, out):
    data = os.path.join(out, "perf-%s.data" % precision)
    env = dict(os.environ, OPENBLAS_NUM_THREADS=str(a.threads), OMP_NUM_THREADS=str(a.threads))
    cmd = ["perf", "record", "-q", "-F", str(a.freq), "--call-graph", "dwarf,16384", "-o", data,
           "--", os.path.join(a.build, "bench", "nn-bench-mlp"), "--data", a.data,
           "--runs", runs_file, "--precision", precision, "--epochs", str(a.epochs),
           "--warmup", "0", "--no-test"]
    run = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, text=True, check=True)
    seconds = [float(l.split()[3]) for l in run.stdout.splitlines() if l.startswith("epoch ")]
    script = subprocess.run(["perf", "script", "-i", data, "-F", "ip,sym,dso"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                            check=True).stdout
    counts = collections.Counter()
    for block in script.split("\n\n"):
        frames = [(m.group(1), m.group(2)) for m in map(FRAME.match, block.splitlines()) if m]
        if frames:
            p = part(frames)
            if p:
                counts[p] += 1
    return counts, seconds


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter,
                                epilog=__doc__.split("\n", 2)[2])
    p.add_argument("-C", dest="build", default=os.path.join(ROOT, "build-bench"))
    p.add_argument("-o", dest="out", default="mlp-profile")
    p.add_argument("--precision", default="f64,f32")
    p.add_argument("--run", choices=sorted(mlp_common.KINDS), default="adam")
    p.add_argument("--samples", type=int, default=10000)
    p.add_argument("--epochs", type=int, default=2)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--freq", type=int, default=2000, help="samples per second")
    p.add_argument("--data", default=os.path.join(os.path.dirname(ROOT), "shared", "data",
                                                  "mnist-full"))
    a = p.parse_args()
    out = os.path.abspath(a.out)
    os.makedirs(out, exist_ok=True)
    run = mlp_common.make_run("%s%dk" % (a.run, a.samples // 1000), a.run, a.samples, out,
                              1 if a.run == "adam" else 2)
    runs_file = os.path.join(out, "runs.tsv")
    with open(runs_file, "w") as f:
        f.write(run.line() + "\n")
    res = {pr: profile(a, pr, runs_file, out) for pr in a.precision.split(",")}
    print("%s on %d images, %d thread%s, %d epochs under perf: share of the training "
          "samples and ms per epoch\n" % (run.spec, a.samples, a.threads,
                                           "s" if a.threads > 1 else "", a.epochs))
    print("| part | " + " | ".join("nn %s %% | ms" % pr for pr in res) + " |")
    print("|---|" + "---:|---:|" * len(res))
    names = ORDER + sorted({k for c, _ in res.values() for k in c if k not in ORDER})
    for name in names:
        cells = []
        for counts, secs in res.values():
            total, ms = sum(counts.values()), 1e3 * sum(secs) / len(secs)
            share = counts.get(name, 0) / total if total else 0
            cells.append("%.1f | %.1f" % (100 * share, share * ms))
        if any(res[pr][0].get(name) for pr in res):
            print("| %s | %s |" % (name, " | ".join(cells)))
    print("| epoch (s, mean under perf) | " + " | ".join(
        "100 | %.1f" % (1e3 * sum(s) / len(s)) for _, s in res.values()) + " |")


if __name__ == "__main__":
    main()
