#!/usr/bin/python3
"""PyTorch's side of bench/mlp_compare.py (issue 16).

  mlp_torch.py --data DIR --runs FILE --precision f64|f32 --threads T
               [--epochs E] [--warmup K] [--seed S] [--params-out PREFIX]
               [--steps mnist,mnist10k --step-rounds R]

Epoch runs (bench/mlp_common.py's runs file): the same layers as nn
(torch.nn.Linear and the activation; a softmax output is left to
CrossEntropyLoss, whose mean over the batch is nn's cross-entropy; a
sigmoid output trains on 1/2 |a - y|^2 summed over outputs, averaged over
the batch, nn's quadratic cost), the same initial weights, the same
batches (the permutations of numpy.random.RandomState(S)), Adam(lr, betas
(0.9, 0.999), eps 1e-8) or plain SGD(lr). Inputs are converted to the
precision once, before timing, as a PyTorch user would hold them; an
epoch's time covers the permutation, gathering each batch (index_select),
zero_grad, forward, loss, backward and the optimiser step. K warm-up
batches run first on a copy of the model.

Full-batch steps (--steps, issue 16 (c)): the lecture's step as nn-bench
times nn_gd_step -- sigmoid layers, the quadratic cost SUMMED over the
batch, backward, w -= eta dC/dw, forward, the number right -- on the data
and initial weights bench/numpy_step.py builds for nn-bench's workloads
`mnist` (784-30-10, the first 500 training images) and `mnist10k`
(784-128-10, the 10,000 test images), seed 1. R rounds of blocks of about
0.2 s each; a block's mean is one `step` line.
"""
import argparse
import copy
import os
import sys
import time

import numpy as np

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mlp_common  # noqa: E402
import numpy_step  # noqa: E402

import torch  # noqa: E402  (after the path: its import is the slow part)

ACT = {"relu": torch.nn.ReLU, "sigmoid": torch.nn.Sigmoid, "tanh": torch.nn.Tanh}

# nn-bench's full-batch workloads: data, sizes, eta (bench/workloads.c)
STEPS = {
    "mnist": ("train", 500, [784, 30, 10], 5e-4),
    "mnist10k": ("t10k", 10000, [784, 128, 10], 5e-5),
}


def build(layers, params, dtype):
    """The Sequential of a spec, its weights set from params ((out, in) W, b) in dtype."""
    mods = []
    for l, ((n_out, act), (w, b)) in enumerate(zip(layers[1:], params)):
        lin = torch.nn.Linear(layers[l][0], n_out).to(dtype)
        with torch.no_grad():
            lin.weight.copy_(torch.from_numpy(w))
            lin.bias.copy_(torch.from_numpy(b))
        mods.append(lin)
        if act != "softmax":  # CrossEntropyLoss takes the logits
            mods.append(ACT[act]())
    return torch.nn.Sequential(*mods)


def quadratic(out, target):
    """1/2 |a - y|^2 summed over outputs, averaged over the batch: nn's quadratic cost."""
    return torch.nn.functional.mse_loss(out, target, reduction="sum") * (0.5 / out.shape[0])


class EpochRun:
    def __init__(self, run, data, dtype):
        x, y = data
        self.run, self.n = run, run.samples
        self.X = torch.from_numpy(x[:self.n]).to(dtype)
        self.y = torch.from_numpy(y[:self.n].astype(np.int64))
        self.ce = run.layers[-1][1] == "softmax"
        if not self.ce:  # one-hot targets, gathered like the inputs
            self.Y = torch.nn.functional.one_hot(self.y, run.layers[-1][0]).to(dtype)
        params = mlp_common.read_weights(run.weights, run.spec)
        self.model = build(run.layers, params, dtype)
        self.loss = torch.nn.CrossEntropyLoss() if self.ce else quadratic

    def optimiser(self, model):
        if self.run.optimizer == "adam":
            return torch.optim.Adam(model.parameters(), lr=self.run.eta, betas=(0.9, 0.999),
                                    eps=1e-8)
        return torch.optim.SGD(model.parameters(), lr=self.run.eta)

    def batches(self, model, opt, order, limit=None):
        """Train on the batches of one order; the sum of batch losses times their sizes."""
        B, total = self.run.batch, 0.0
        for k, j in enumerate(range(0, self.n, B)):
            if limit is not None and k == limit:
                break
            idx = order[j:j + B]
            xb = self.X.index_select(0, idx)
            tb = self.y.index_select(0, idx) if self.ce else self.Y.index_select(0, idx)
            opt.zero_grad(set_to_none=True)
            loss = self.loss(model(xb), tb)
            loss.backward()
            opt.step()
            total += loss.item() * idx.shape[0]
        return total

    def warm_up(self, k):
        model = copy.deepcopy(self.model)
        order = torch.from_numpy(np.random.RandomState(12345).permutation(self.n))
        self.batches(model, self.optimiser(model), order, limit=k)

    def train(self, epochs, seed):
        opt, rs = self.optimiser(self.model), np.random.RandomState(seed)
        for e in range(epochs):
            t0, c0 = time.perf_counter(), time.process_time()
            order = torch.from_numpy(rs.permutation(self.n))
            total = self.batches(self.model, opt, order)
            t, c = time.perf_counter() - t0, time.process_time() - c0
            print("epoch %s %d %.6f %.10g %.6f" % (self.run.name, e, t, total / self.n, c),
                  flush=True)

    def test(self, x, y):
        with torch.no_grad():
            out = self.model(torch.from_numpy(x).to(self.X.dtype))
            t = torch.from_numpy(y.astype(np.int64))
            if self.ce:
                cost = torch.nn.functional.cross_entropy(out, t).item()
            else:
                cost = quadratic(out, torch.nn.functional.one_hot(t, out.shape[1]).to(out.dtype))
                cost = cost.item()
            acc = (out.argmax(1) == t).double().mean().item()
        print("test %s %.6f %.10g" % (self.run.name, acc, cost), flush=True)

    def save(self, prefix):
        params = []
        for m in self.model:
            if isinstance(m, torch.nn.Linear):
                params.append((m.weight.detach().double().numpy(),
                               m.bias.detach().double().numpy()))
        mlp_common.write_weights(prefix + self.run.name + ".f64", params)


class StepRun:
    """The lecture's full-batch step (nn_gd_step's work) in PyTorch."""

    def __init__(self, name, data_dir, dtype):
        which, n, sizes, self.eta = STEPS[name]
        stem = os.path.join(data_dir, which)
        spec = "idx %s-images-idx3-ubyte.gz %s-labels-idx1-ubyte.gz %d" % (stem, stem, n)
        x, y, ws, bs = numpy_step.load(spec, sizes, 1, False)
        self.X = torch.from_numpy(x).to(dtype)
        self.y = torch.from_numpy(y.astype(np.int64))
        self.Y = torch.nn.functional.one_hot(self.y, sizes[-1]).to(dtype)
        layers = [(sizes[0], None)] + [(s, "sigmoid") for s in sizes[1:]]
        self.model = build(layers, [(w, b[:, 0]) for w, b in zip(ws, bs)], dtype)
        self.opt = torch.optim.SGD(self.model.parameters(), lr=self.eta)
        self.best = -1

    def step(self):
        self.opt.zero_grad(set_to_none=True)
        out = self.model(self.X)
        loss = torch.nn.functional.mse_loss(out, self.Y, reduction="sum") * 0.5
        loss.backward()
        self.opt.step()
        right = int((out.argmax(1) == self.y).sum())
        if right > self.best:
            self.best = right
        return loss

    def time(self, name, rounds, block):
        for _ in range(3):
            self.step()
        t0, k = time.perf_counter(), 0
        while k < 2 or time.perf_counter() - t0 < block:
            self.step()
            k += 1
        per = (time.perf_counter() - t0) / k
        k = max(1, int(block / per))
        for r in range(rounds):
            t0 = time.perf_counter()
            for _ in range(k):
                self.step()
            print("step %s %d %.6f" % (name, r, (time.perf_counter() - t0) / k * 1e3), flush=True)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--data", required=True, help="MNIST IDX directory")
    p.add_argument("--runs", help="the runs file (bench/mlp_common.py)")
    p.add_argument("--precision", choices=("f64", "f32"), default="f64")
    p.add_argument("--threads", type=int, default=1, help="torch.set_num_threads")
    p.add_argument("--epochs", type=int, default=1)
    p.add_argument("--warmup", type=int, default=20, help="warm-up batches")
    p.add_argument("--seed", type=int, default=1, help="seed of the batches' order")
    p.add_argument("--params-out", help="write each run's trained parameters to PREFIX<run>.f64")
    p.add_argument("--steps", default="", help="full-batch steps to time: mnist,mnist10k")
    p.add_argument("--step-rounds", type=int, default=3)
    p.add_argument("--step-block", type=float, default=0.2, help="seconds per timed block")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    dtype = torch.float64 if a.precision == "f64" else torch.float32
    runs = mlp_common.read_runs(a.runs) if a.runs else []
    print("blas %s; torch %s, %d threads" % (mlp_common.blas_kernel(), torch.__version__,
                                             torch.get_num_threads()), flush=True)
    if runs:
        x, y, tx, ty = mlp_common.load_mnist(a.data, max(r.samples for r in runs))
        for run in runs:
            r = EpochRun(run, (x, y), dtype)
            r.warm_up(a.warmup)
            r.train(a.epochs, a.seed)
            r.test(tx, ty)
            if a.params_out:
                r.save(a.params_out)
            del r
    for name in filter(None, a.steps.split(",")):
        StepRun(name, a.data, dtype).time(name, a.step_rounds, a.step_block)


if __name__ == "__main__":
    main()
