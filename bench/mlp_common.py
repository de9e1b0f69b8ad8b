#!/usr/bin/python3
"""What the contenders of bench/mlp_compare.py share (issue 16).

The workloads, the initial weights and the runs file that tells every
contender -- nn-bench-mlp (C), bench/mlp_torch.py, bench/mlp_sklearn.py --
what to train, so that the three read one description:

  runs file   one run a line, tab-separated:
              name  spec  optimizer  eta  batch  samples  weights-file
              spec in nn_net_parse's syntax ("784, 256:relu, 128:relu, 10:softmax");
              a softmax output means cross-entropy, a sigmoid one the quadratic
              cost (1/2 |a - y|^2), the gradient the mean over the batch.
  weights     raw little-endian float64 in nn's layout (nn_net_params): for each
              layer W_l, n_l x n_{l-1} COLUMN-major, then b_l. Column-major
              n_l x n_{l-1} is the transpose of a C-order (n_l, n_{l-1}) array,
              so torch's Linear.weight (out, in) is W.ravel(order="F") reshaped
              back with order="F" -- not its own row-major bytes.
  output      each contender prints lines
                blas KERNEL-DESCRIPTION
                epoch RUN E SECONDS TRAIN-COST CPU-SECONDS
                test RUN ACCURACY COST
                step NAME ROUND MS          (full-batch steps, issue 16 (c))
              and anything else as a comment (first character '#'). SECONDS are
              wall time, CPU-SECONDS the process's CPU time over the same epoch
              (all its threads): with one thread, the measure a shared
              machine's load disturbs least.

Shuffling: every contender draws epoch e's order as the e-th
numpy.random.RandomState(seed).permutation(N) -- nn_rng_permutation is the
same generator -- so all see the same batches in the same order.
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from numpy_step import read_idx  # noqa: E402  (one IDX reader for the bench)

SPEC_ADAM = "784, 256:relu, 128:relu, 10:softmax"
SPEC_TEXTBOOK = "784, 30:sigmoid, 10:sigmoid"

# name -> (spec, optimizer, eta, batch, initialisation)
KINDS = {
    # (a) the network: He-normal weights, zero biases, Adam(1e-3)
    "adam": (SPEC_ADAM, "adam", 1e-3, 128, "he"),
    # (b) the textbook's (Nielsen, ch. 1): 784-30-10 sigmoid, quadratic cost,
    #     SGD eta 3 over batches of 10, N(0, 1) weights and biases
    "sgd": (SPEC_TEXTBOOK, "sgd", 3.0, 10, "normal"),
}


def parse_spec(spec):
    """nn_net_parse's dense subset: [(width, activation)], the input first (activation None)."""
    layers = []
    for item in spec.replace(",", " ").split():
        w, _, act = item.partition(":")
        layers.append((int(w), act or None))
    return layers


def init_weights(spec, how, seed):
    """[(W (out, in), b (out,))] float64, drawn from numpy.random.RandomState(seed)."""
    rs = np.random.RandomState(seed)
    sizes = [w for w, _ in parse_spec(spec)]
    params = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        if how == "he":
            w = rs.standard_normal((n_out, n_in)) * np.sqrt(2.0 / n_in)
            b = np.zeros(n_out)
        else:
            w = rs.standard_normal((n_out, n_in))
            b = rs.standard_normal(n_out)
        params.append((w, b))
    return params


def write_weights(path, params):
    with open(path, "wb") as f:
        for w, b in params:
            f.write(np.asarray(w, "<f8").ravel(order="F").tobytes())
            f.write(np.asarray(b, "<f8").tobytes())


def read_weights(path, spec):
    sizes = [w for w, _ in parse_spec(spec)]
    flat = np.fromfile(path, "<f8")
    want = sum((a + 1) * b for a, b in zip(sizes[:-1], sizes[1:]))
    if flat.size != want:
        raise ValueError("%s: %d values, %s needs %d" % (path, flat.size, spec, want))
    params, at = [], 0
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        w = flat[at:at + n_in * n_out].reshape((n_out, n_in), order="F")
        at += n_in * n_out
        b = flat[at:at + n_out]
        at += n_out
        params.append((np.ascontiguousarray(w), b.copy()))
    return params


class Run:
    def __init__(self, line):
        f = line.rstrip("\n").split("\t")
        self.name, self.spec, self.optimizer = f[0], f[1], f[2]
        self.eta, self.batch, self.samples, self.weights = float(f[3]), int(f[4]), int(f[5]), f[6]
        self.layers = parse_spec(self.spec)

    def line(self):
        return "\t".join([self.name, self.spec, self.optimizer, repr(self.eta), str(self.batch),
                          str(self.samples), self.weights])


def make_run(name, kind, samples, weights_dir, seed):
    """A run of KINDS[kind] on the first `samples` images; writes its initial weights."""
    spec, optimizer, eta, batch, how = KINDS[kind]
    path = os.path.join(weights_dir, name + ".f64")
    write_weights(path, init_weights(spec, how, seed))
    return Run("\t".join([name, spec, optimizer, repr(eta), str(batch), str(samples), path]))


def read_runs(path):
    with open(path) as f:
        return [Run(line) for line in f if line.strip() and not line.startswith("#")]


def load_mnist(data_dir, n_train):
    """(train x (n, 784) float64 in [0, 1], train y, test x, test y) from IDX files, as nn_mnist_load."""
    def path(stem):
        for p in (stem + ".gz", stem):
            if os.path.exists(os.path.join(data_dir, p)):
                return os.path.join(data_dir, p)
        raise FileNotFoundError(os.path.join(data_dir, stem))
    return (read_idx(path("train-images-idx3-ubyte"), "images", n_train),
            read_idx(path("train-labels-idx1-ubyte"), "labels", n_train),
            read_idx(path("t10k-images-idx3-ubyte"), "images", 10000),
            read_idx(path("t10k-labels-idx1-ubyte"), "labels", 10000))


def blas_kernel():
    """OpenBLAS's own words about the kernel it runs in this process, if it is OpenBLAS."""
    import ctypes
    for name in ("libopenblas.so.0", "libblas.so.3"):
        try:
            lib = ctypes.CDLL(name, mode=os.RTLD_NOLOAD | os.RTLD_LAZY)
            lib.openblas_get_corename.restype = ctypes.c_char_p
            return "OpenBLAS %s, %d threads" % (lib.openblas_get_corename().decode(),
                                               lib.openblas_get_num_threads())
        except (OSError, AttributeError):
            continue
    return "unknown"
