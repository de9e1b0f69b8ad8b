#!/usr/bin/python3
"""Mini-batch training: nn against PyTorch and scikit-learn (issue 16).

  bench/mlp_compare.py [--quick] [-C BUILD] [-o OUT] [--reps R] [--epochs E]
                       [--threads 1,2] [--openblas both|set|unset] [--data DIR]
                       [--lock FILE] [--from-logs RUN_DIR] [--steps-only]

One process tree -- this script and its children -- with interleaved
repetitions: each repetition runs every configuration once, in an order
shuffled per repetition, so that the load of a shared machine falls on all
contenders alike. A configuration is

  OpenBLAS setting  the environment's OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE as
                    set, and both removed (OpenBLAS's own CPU detection);
  threads           1 or 2: OPENBLAS_NUM_THREADS and OMP_NUM_THREADS, and
                    torch.set_num_threads;
  contender         nn f64, nn f32 (BUILD/bench/nn-bench-mlp), PyTorch f64 and
                    f32 (bench/mlp_torch.py), scikit-learn (bench/mlp_sklearn.py,
                    float64), and nn-bench for the full-batch steps.

Workloads (bench/mlp_common.py; every contender starts from the same
initial weights and takes the same batches):
  (a) adam10k, adam60k  784-256-128-10 ReLU/softmax, cross-entropy, Adam 1e-3,
                        batch 128, on the first 10,000 / all 60,000 training images;
  (b) sgd50k            784-30-10 sigmoid, quadratic cost, SGD eta 3, batch 10:
                        the textbook's, on its 50,000 training images;
  (c) step mnist        the lecture's full-batch step (784-30-10 sigmoid, quadratic
                        cost, 500 images) and step mnist10k (784-128-10, the 10,000
                        test images): nn-bench's nn_gd_step against the same step in
                        PyTorch.
--quick: 2 repetitions, 1 epoch, (a) and (b) on 10,000 images. Default: 5
repetitions of 2 epochs each, the workloads above.

Writes OUT/mlp_raw.csv (every measurement), OUT/mlp_summary.csv (medians,
minima, ratios), OUT/mlp_table.md (the tables of doc/performance.md) and
OUT/logs/. Needs BUILD configured with --buildtype=release.
"""
import argparse
import contextlib
import csv
import fcntl
import os
import random
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, HERE)
import mlp_common  # noqa: E402

PY = "/usr/bin/python3"
CORE_VARS = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
CONTENDERS = ("nn-f64", "nn-f32", "torch-f64", "torch-f32", "sklearn")
STEP_CONTENDERS = ("nn-f64", "torch-f64", "torch-f32")
# the goals: (contender, against, workloads, speed-up at least)
GOALS = [("nn-f32", "torch-f32", "ab", 1.2), ("nn-f64", "torch-f64", "ab", 1.3),
         ("nn-f64", "sklearn", "ab", 1.3), ("nn-f64", "torch-f32", "c", 1.5)]


def short(setting):
    return setting.replace("OPENBLAS_CORETYPE=", "")


def ratio(num, den, goal):
    """num's median over den's, marked against the goal (None: no goal)."""
    if not num or not den:
        return "–"
    x = num[6] / den[6]
    return "%.2f×%s" % (x, "" if goal is None else " ✓" if x >= goal else " ✗")


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def parse(out):
    """A child's lines (bench/mlp_common.py's format) as (measure, workload, value) rows."""
    rows, blas = [], ""
    for line in out.splitlines():
        f = line.split()
        if not f or line.startswith("#"):
            continue
        if f[0] == "blas":
            blas = line[5:]
        elif f[0] == "epoch":
            rows += [("epoch_s", f[1], float(f[3])), ("train_cost", f[1], float(f[4])),
                     ("epoch_cpu_s", f[1], float(f[5]))]
        elif f[0] == "test":
            rows += [("test_accuracy", f[1], float(f[2])), ("test_cost", f[1], float(f[3]))]
        elif f[0] == "step":
            rows.append(("step_ms", f[1], float(f[3])))
    return rows, blas


def parse_nn_bench(path):
    """nn-bench's --details rows: the median and the fastest round of each step, in ms."""
    rows = []
    with open(path, newline="") as f:
        for r in csv.DictReader(f):
            rows += [("step_ms", r["workload"], float(r["ms_per_step"])),
                     ("step_ms_min", r["workload"], float(r["ms_min"]))]
    return rows


class Bench:
    def __init__(self, a):
        self.a = a
        self.out = os.path.abspath(a.out)
        os.makedirs(os.path.join(self.out, "logs"), exist_ok=True)
        os.makedirs(os.path.join(self.out, "weights"), exist_ok=True)
        self.mlp = os.path.join(a.build, "bench", "nn-bench-mlp")
        self.nn_bench = os.path.join(a.build, "bench", "nn-bench")
        for exe in (self.mlp, self.nn_bench):
            if not os.access(exe, os.X_OK):
                sys.exit("mlp_compare: no %s (meson setup %s --buildtype=release && ninja -C %s)"
                         % (exe, a.build, a.build))
        n_a = [] if a.steps_only else [10000] if a.quick else [10000, 60000]
        runs = [mlp_common.make_run("adam%dk" % (n // 1000), "adam", n,
                                    os.path.join(self.out, "weights"), 1) for n in n_a]
        n_b = 10000 if a.quick else 50000
        if not a.steps_only:
            runs.append(mlp_common.make_run("sgd%dk" % (n_b // 1000), "sgd", n_b,
                                            os.path.join(self.out, "weights"), 2))
        self.runs = runs
        self.runs_file = os.path.join(self.out, "runs.tsv")
        with open(self.runs_file, "w") as f:
            f.write("".join(r.line() + "\n" for r in runs))
        self.steps = ["mnist", "mnist10k"]
        self.raw = []      # (rep, openblas, threads, contender, measure, workload, value)
        self.blas = {}     # (openblas, threads, contender) -> what the child says it runs
        self.loads = [("start", loadavg())]
        setting = "=".join((CORE_VARS[0], os.environ.get(CORE_VARS[0], "")))
        self.settings = []
        if a.openblas in ("both", "set") and CORE_VARS[0] in os.environ:
            self.settings.append(setting)
        if a.openblas in ("both", "unset") or not self.settings:
            self.settings.append("unset")

    def env(self, openblas, threads):
        e = dict(os.environ)
        if openblas == "unset":
            for v in CORE_VARS:
                e.pop(v, None)
        for v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            e[v] = str(threads)
        return e

    def command(self, contender, threads, params_prefix):
        a, common = self.a, ["--data", self.a.data, "--runs", self.runs_file,
                             "--epochs", str(self.a.epochs), "--warmup", str(self.a.warmup)]
        if params_prefix:
            common += ["--params-out", params_prefix]
        if contender.startswith("nn-"):
            return [self.mlp, "--precision", contender[3:]] + common
        if contender.startswith("torch-"):
            return [PY, os.path.join(HERE, "mlp_torch.py"), "--precision", contender[6:],
                    "--threads", str(threads), "--steps", ",".join(self.steps),
                    "--step-rounds", str(a.step_rounds)] + common
        return [PY, os.path.join(HERE, "mlp_sklearn.py")] + common

    def child(self, cmd, env, log):
        with open(os.path.join(self.out, "logs", log), "a") as f:
            f.write("$ %s\n" % " ".join(cmd))
            f.flush()
            p = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=f, text=True,
                               timeout=3600)
            f.write(p.stdout)
        if p.returncode:
            sys.exit("mlp_compare: %s failed (%d): see %s/logs/%s" % (cmd[0], p.returncode,
                                                                    self.out, log))
        return p.stdout

    def job(self, rep, openblas, threads, contender):
        env = self.env(openblas, threads)
        tag = "%s-%s-t%d" % (contender, "set" if openblas != "unset" else "unset", threads)
        if contender == "nn-bench":
            details = os.path.join(self.out, "logs", "nn-bench-%s.csv" % tag)
            if os.path.exists(details):
                os.remove(details)
            self.child([self.nn_bench, "--workloads", ",".join(self.steps), "--no-numpy",
                        "--rounds", str(self.a.step_rounds), "--budget", "4",
                        "--mnist", self.a.data, "--details", details], env, tag + ".log")
            rows, blas = parse_nn_bench(details), ""
            contender = "nn-f64"
        else:
            prefix = os.path.join(self.out, "params", tag + ".") if rep == 0 else None
            if prefix:
                os.makedirs(os.path.dirname(prefix), exist_ok=True)
            rows, blas = parse(self.child(self.command(contender, threads, prefix), env,
                                          tag + ".log"))
        if blas:
            self.blas[(openblas, threads, contender)] = blas
        for measure, workload, value in rows:
            self.raw.append((rep, openblas, threads, contender, measure, workload, value))

    def run(self):
        a = self.a
        contenders = ("torch-f64", "torch-f32") if a.steps_only else CONTENDERS
        jobs = [(o, t, c) for o in self.settings for t in a.threads
                for c in contenders + ("nn-bench",)]
        t0 = time.time()
        for rep in range(a.reps):
            order = jobs[:]
            random.Random(rep).shuffle(order)
            with self.lock():
                self.loads.append(("repetition %d" % (rep + 1), loadavg()))
                for k, (o, t, c) in enumerate(order):
                    print("rep %d/%d  %2d/%d  %-9s %-24s %d thread%s  (load %s, %.0f s)" % (
                        rep + 1, a.reps, k + 1, len(order), c, o, t, "s" if t > 1 else "",
                        loadavg(), time.time() - t0), file=sys.stderr, flush=True)
                    self.job(rep, o, t, c)
        self.loads.append(("end", loadavg()))
        self.seconds = time.time() - t0

    def from_logs(self, run_dir):
        """--from-logs: the measurements of an earlier run (cut short, or summarised
        again) from RUN_DIR/logs, one repetition per command line in each log. nn-bench's
        steps come from its printed table: the median of each repetition's rounds."""
        logs = os.path.join(run_dir, "logs")
        names = {"set": [s for s in self.settings if s != "unset"], "unset": ["unset"]}
        for name in sorted(os.listdir(logs)):
            f = name[:-4].rsplit("-", 2) if name.endswith(".log") else []
            if len(f) != 3 or not names.get(f[1]) or f[2][1:] not in ("1", "2"):
                continue
            contender, openblas, threads = f[0], names[f[1]][0], int(f[2][1:])
            with open(os.path.join(logs, name)) as fh:
                reps = fh.read().split("\n$ ")
            for rep, text in enumerate(reps):
                if contender == "nn-bench":
                    rows = [("step_ms", w[0], float(w[3])) for w in map(str.split,
                            text.splitlines()) if w and w[0] in self.steps and len(w) > 3]
                    rows, contender_as = rows, "nn-f64"
                else:
                    rows, blas = parse(text)
                    contender_as = contender
                    if blas:
                        self.blas[(openblas, threads, contender)] = blas
                for measure, workload, value in rows:
                    self.raw.append((rep, openblas, threads, contender_as, measure, workload,
                                     value))
        self.a.reps = 1 + max([r[0] for r in self.raw] or [0])
        self.loads.append(("(summarised from %s)" % run_dir, ""))
        self.seconds = float("nan")
        self.params_dir = os.path.join(run_dir, "params")

    @contextlib.contextmanager
    def lock(self):
        """--lock FILE: hold an exclusive flock(2) on FILE for one repetition, so that
        benchmarks sharing the machine take turns (the run stays one process tree)."""
        if not self.a.lock:
            yield
            return
        with open(self.a.lock, "a") as f:
            t = time.time()
            fcntl.flock(f, fcntl.LOCK_EX)
            if time.time() - t > 1:
                print("waited %.0f s for %s" % (time.time() - t, self.a.lock), file=sys.stderr,
                      flush=True)
            try:
                yield
            finally:
                fcntl.flock(f, fcntl.LOCK_UN)

    # ---- the results ----

    def values(self, openblas, threads, contender, measure, workload):
        return [r[6] for r in self.raw if r[1:6] == (openblas, threads, contender, measure,
                                                    workload)]

    def summary(self):
        """[(kind, workload, openblas, threads, contender, n, median, min, accuracy)]:
        kind epoch (wall s/epoch), cpu (CPU s/epoch) or step (wall ms/step)."""
        rows, nan = [], float("nan")
        for o in self.settings:
            for t in self.a.threads:
                for run in self.runs:
                    for c in CONTENDERS:
                        acc = self.values(o, t, c, "test_accuracy", run.name)
                        acc = statistics.median(acc) if acc else nan
                        for kind, measure in (("epoch", "epoch_s"), ("cpu", "epoch_cpu_s")):
                            v = self.values(o, t, c, measure, run.name)
                            if v:
                                rows.append((kind, run.name, o, t, c, len(v),
                                             statistics.median(v), min(v), acc))
                for s in self.steps:
                    for c in STEP_CONTENDERS:
                        v = self.values(o, t, c, "step_ms", s)
                        lo = self.values(o, t, c, "step_ms_min", s) or v
                        if v:
                            rows.append(("step", s, o, t, c, len(v), statistics.median(v),
                                         min(lo), nan))
        return rows

    @staticmethod
    def reference(kind, contender):
        """The nn contender a row is held against: same precision for epochs, f64 for steps."""
        return "nn-f32" if contender.endswith("f32") and kind != "step" else "nn-f64"

    def write(self):
        with open(os.path.join(self.out, "mlp_raw.csv"), "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["rep", "openblas", "threads", "contender", "measure", "workload", "value"])
            w.writerows(self.raw)
        rows = self.summary()
        by = {r[:5]: r for r in rows}
        unit = {"epoch": "s/epoch", "cpu": "cpu s/epoch", "step": "ms/step"}
        with open(os.path.join(self.out, "mlp_summary.csv"), "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["kind", "workload", "openblas", "threads", "contender", "n", "median",
                        "min", "unit", "test_accuracy", "nn_speedup_median", "nn_speedup_min"])
            for r in rows:
                ref = by.get(r[:4] + (self.reference(r[0], r[4]),))
                w.writerow(list(r[:8]) + [unit[r[0]], "%.4f" % r[8],
                                          "%.3f" % (r[6] / ref[6]) if ref else "",
                                          "%.3f" % (r[7] / ref[7]) if ref else ""])
        with open(os.path.join(self.out, "mlp_table.md"), "w") as f:
            f.write(self.markdown(by))

    def epoch_table(self, by, kind, threads):
        cell = lambda r: "%.3f (%.3f)" % (r[6], r[7]) if r else "–"  # noqa: E731
        L = ["| workload | OpenBLAS | thr | nn f64 | nn f32 | torch f64 | torch f32 | "
             "sklearn f64 | torch f32 / nn f32 | torch f64 / nn f64 | sklearn / nn f64 |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for run in self.runs:
            for o in self.settings:
                for t in threads:
                    g = {c: by.get((kind, run.name, o, t, c)) for c in CONTENDERS}
                    L.append("| %s | %s | %d | %s | %s | %s | %s | %s | %s | %s | %s |" % (
                        run.name, short(o), t, *(cell(g[c]) for c in CONTENDERS),
                        ratio(g["torch-f32"], g["nn-f32"], 1.2),
                        ratio(g["torch-f64"], g["nn-f64"], 1.3),
                        ratio(g["sklearn"], g["nn-f64"], 1.3)))
        return L + [""]

    def markdown(self, by):
        a, L = self.a, []
        L.append("Measured %s; %d repetitions x %d epoch%s, every configuration interleaved; "
                 "load average %s; %.0f s in all.\n" % (
                     time.strftime("%Y-%m-%d %H:%M"), a.reps, a.epochs, "s" if a.epochs > 1
                     else "", ", ".join("%s %s" % l for l in self.loads), self.seconds))
        L.append("What each contender ran:\n")
        for (o, t, c), b in sorted(self.blas.items()):
            if t == a.threads[0]:
                L.append("- %s, %s: %s" % (c, o, b))
        L.append("")
        L.append("**Seconds per epoch** (wall), median (minimum) over repetitions and epochs; "
                 "the ratios are PyTorch's or scikit-learn's median over nn's (> 1: nn faster; "
                 "✓/✗: the issue's goal, 1.2× for f32, 1.3× for f64).\n")
        if self.runs:
            L += self.epoch_table(by, "epoch", a.threads)
        if 1 in a.threads and self.runs:
            L.append("**CPU seconds per epoch, 1 thread** (the process's CPU clock over the same "
                     "epochs: what a shared machine's load disturbs least), median (minimum).\n")
            L += self.epoch_table(by, "cpu", [1])
        L.append("**Milliseconds per full-batch step** (issue 16 (c)), median (minimum): nn is "
                 "nn-bench's nn_gd_step (the median of its rounds in each repetition), PyTorch "
                 "the same step in bench/mlp_torch.py (goal: torch f32 / nn f64 ≥ 1.5×).\n")
        L.append("| step | OpenBLAS | thr | nn f64 | torch f64 | torch f32 | torch f64 / nn f64 "
                 "| torch f32 / nn f64 |")
        L.append("|---|---|---:|---:|---:|---:|---:|---:|")
        cell = lambda r: "%.3f (%.3f)" % (r[6], r[7]) if r else "–"  # noqa: E731
        for s in self.steps:
            for o in self.settings:
                for t in a.threads:
                    g = {c: by.get(("step", s, o, t, c)) for c in STEP_CONTENDERS}
                    L.append("| %s | %s | %d | %s | %s | %s | %s | %s |" % (
                        s, short(o), t, *(cell(g[c]) for c in STEP_CONTENDERS),
                        ratio(g["torch-f64"], g["nn-f64"], None),
                        ratio(g["torch-f32"], g["nn-f64"], 1.5)))
        L.append("")
        L += self.accuracy_table() if self.runs else []
        L += self.goal_lines(by)
        L += self.agreement()
        return "\n".join(L) + "\n"

    def accuracy_table(self):
        a, L = self.a, []
        L.append("**Test accuracy** (the 10,000 test images) after %d epoch%s, the same in every "
                 "configuration unless a range is shown:\n" % (a.epochs, "s" if a.epochs > 1
                                                                else ""))
        L.append("| workload | " + " | ".join(CONTENDERS) + " |")
        L.append("|---|" + "---:|" * len(CONTENDERS))
        for run in self.runs:
            cells = []
            for c in CONTENDERS:
                v = [r[6] for r in self.raw if r[3] == c and r[4] == "test_accuracy" and
                     r[5] == run.name]
                cells.append("–" if not v else "%.4f" % v[0] if max(v) - min(v) < 5e-5 else
                             "%.4f–%.4f" % (min(v), max(v)))
            L.append("| %s | %s |" % (run.name, " | ".join(cells)))
        return L + [""]

    def goal_lines(self, by):
        L = ["**Goals** (ratio of medians; wall time in every OpenBLAS setting and thread "
             "count, and CPU time with 1 thread):\n"]
        for mine, other, where, goal in GOALS:
            names = [r.name for r in self.runs] if where == "ab" else self.steps
            for kind in ("epoch", "cpu") if where == "ab" else ("step",):
                got = []
                for n in names:
                    for o in self.settings:
                        for t in self.a.threads if kind != "cpu" else [1]:
                            x, y = by.get((kind, n, o, t, mine)), by.get((kind, n, o, t, other))
                            if x and y:
                                got.append((y[6] / x[6], n, short(o), t))
                if not got:
                    continue
                met = sum(g[0] >= goal for g in got)
                worst = min(got)
                L.append("- %s at least %.1f× faster than %s on %s, %s: met in %d of %d; the "
                         "lowest %.2f× (%s, %s, %d thread%s)%s" % (
                             mine, goal, other, "(a), (b)" if where == "ab" else "(c)",
                             "CPU time" if kind == "cpu" else "wall time", met, len(got),
                             worst[0], worst[1], worst[2], worst[3], "s" if worst[3] > 1 else "",
                             "" if worst[0] >= goal else ": %.0f %% short" %
                             (100 * (1 - worst[0] / goal))))
        return L + [""]

    def agreement(self):
        """Rep 0's trained parameters: PyTorch's and scikit-learn's against nn's, same precision."""
        import numpy as np
        pdir = getattr(self, "params_dir", os.path.join(self.out, "params"))
        if not os.path.isdir(pdir):
            return []
        L = ["**Same weights, same batches**: the parameters after training, each contender "
             "against nn in the same precision (repetition 1, %s, %d thread%s): "
             "max |difference| / max |change from the initial weights|.\n" % (
                 self.settings[0], self.a.threads[0], "s" if self.a.threads[0] > 1 else "")]
        tag = "%s-t%d" % ("set" if self.settings[0] != "unset" else "unset", self.a.threads[0])
        for run in self.runs:
            init = np.fromfile(run.weights)
            parts = []
            for mine, other in (("nn-f64", "torch-f64"), ("nn-f32", "torch-f32"),
                                ("nn-f64", "sklearn")):
                if other == "sklearn" and run.layers[-1][1] != "softmax":
                    parts.append("sklearn trains another loss (softmax cross-entropy)")
                    continue
                p = [os.path.join(pdir, "%s-%s.%s.f64" % (c, tag, run.name))
                     for c in (mine, other)]
                if all(os.path.exists(x) for x in p):
                    x, y = np.fromfile(p[0]), np.fromfile(p[1])
                    parts.append("%s / %s %.1e" % (other, mine, abs(x - y).max() /
                                                   abs(x - init).max()))
            L.append("- %s: %s" % (run.name, "; ".join(parts)))
        return L + [""]


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter,
                                epilog=__doc__.split("\n", 2)[2])
    p.add_argument("--quick", action="store_true", help="2 repetitions, 1 epoch, 10,000 images")
    p.add_argument("-C", dest="build", default=os.path.join(ROOT, "build-bench"),
                   help="the build directory (default build-bench)")
    p.add_argument("-o", dest="out", default="mlp-results", help="output directory")
    p.add_argument("--reps", type=int, help="repetitions (default 5; quick 2)")
    p.add_argument("--epochs", type=int, help="timed epochs per repetition (default 2; quick 1)")
    p.add_argument("--warmup", type=int, default=20, help="warm-up batches before the epochs")
    p.add_argument("--step-rounds", type=int, default=3, help="timed rounds of each full-batch step")
    p.add_argument("--threads", default="1,2", help="thread counts (default 1,2)")
    p.add_argument("--openblas", choices=("both", "set", "unset"), default="both",
                   help="OPENBLAS_CORETYPE/L2_SIZE as the environment sets them, removed, or both")
    p.add_argument("--steps-only", action="store_true",
                   help="(c) alone: nn-bench's full-batch steps against PyTorch's, no epochs")
    p.add_argument("--from-logs", metavar="RUN_DIR",
                   help="run nothing: summarise the logs of an earlier run's output directory "
                        "(the same options) into OUT")
    p.add_argument("--lock", metavar="FILE",
                   help="hold flock(2) on FILE during each repetition (shared benchmark machine)")
    p.add_argument("--data", default=os.path.join(os.path.dirname(ROOT), "shared", "data",
                                                  "mnist-full"),
                   help="the MNIST IDX directory (default ../shared/data/mnist-full)")
    a = p.parse_args()
    a.reps = a.reps or (2 if a.quick else 5)
    a.epochs = a.epochs or (1 if a.quick else 2)
    a.threads = [int(t) for t in a.threads.split(",")]
    a.data = os.path.abspath(a.data)
    if not os.path.isdir(a.data):
        sys.exit("mlp_compare: no MNIST directory %s (--data)" % a.data)
    b = Bench(a)
    if a.from_logs:
        b.from_logs(os.path.abspath(a.from_logs))
    else:
        b.run()
    b.write()
    with open(os.path.join(b.out, "mlp_table.md")) as f:
        sys.stdout.write(f.read())


if __name__ == "__main__":
    main()
