#!/usr/bin/python3
"""The lecture's training step in numpy: the reference nn-bench times nn against.

Two versions of the same algorithm (full-batch gradient descent on the
quadratic cost, sigmoid layers, backpropagation over the whole batch):

  lecture  as the lecture's first_network.py / second_network.py write it:
           sigma_prime(z) recomputes sigma twice, a new array for every
           intermediate, delta[y, range(N)] -= 1, builtin sum() in
           first_network; the scoring that the slides elide is written with
           np.sum (the kind reading).
  lean     the same maths written with care: sigma' = a (1 - a) from the
           stored activations, every array allocated once and filled with
           out=, one reshaped bias sum, a preallocated copy of the best model.

The data and the initial weights are rebuilt from the description nn-bench
passes (--data): IDX files, or numbers drawn from numpy.random.RandomState
in the order bench/workloads.c draws them from nn_rng, which follows the
same legacy generator. Both programs therefore start from the same numbers
and, step for step, compute the same costs.

Run by nn-bench as a child process (--serve, one command a line on stdin):
  info | check K | warm VARIANT SECONDS | run VARIANT K | rss | quit
or alone, to time one workload:
  /usr/bin/python3 bench/numpy_step.py --data "gen pixels 1 500" --sizes 784-30-10 --eta 5e-4
"""
import argparse
import ctypes
import gzip
import math
import os
import resource
import sys
import time

import numpy as np


# ---- data, as bench/workloads.c builds it ----

def read_idx(path, kind, n):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    magic = int.from_bytes(data[0:4], "big")
    if kind == "images":
        assert magic == 0x803, path
        count, rows, cols = (int.from_bytes(data[4 * i:4 * i + 4], "big") for i in (1, 2, 3))
        assert count >= n
        pix = np.frombuffer(data, np.uint8, n * rows * cols, 16).reshape(n, rows * cols)
        return pix.astype(np.float64) / 255.0
    assert magic == 0x801, path
    return np.frombuffer(data, np.uint8, n, 8).astype(np.intp)


def generate(kind, rs, n, features):
    if kind == "blobs":
        c = [[rs.uniform(-3.0, 3.0) for _ in range(2)] for _ in range(2)]
        x = np.empty((n, 2))
        y = np.empty(n, np.intp)
        for j in range(n):
            k = j % 2
            y[j] = k
            for i in range(2):
                x[j, i] = c[k][i] + rs.standard_normal()
        return x, y
    if kind == "circles":
        two_pi = 6.283185307179586
        x = np.empty((n, 2))
        y = np.empty(n, np.intp)
        for j in range(n):
            k = j % 2
            r = 0.8 if k else 1.0
            y[j] = k
            t = rs.uniform(0.0, two_pi)
            e0 = rs.standard_normal()
            e1 = rs.standard_normal()
            x[j, 0] = r * math.cos(t) + 0.1 * e0
            x[j, 1] = r * math.sin(t) + 0.1 * e1
        return x, y
    v = rs.random_sample(n * features).reshape(n, features)
    x = np.where(v < 0.19, v / 0.19, 0.0)
    y = (10.0 * rs.random_sample(n)).astype(np.intp)
    return x, y


def load(spec, sizes, seed, first_network):
    """x (N x features, C order: nn's column-major X), labels, and initial weights."""
    rs = np.random.RandomState(seed)
    parts = spec.split()
    if parts[0] == "idx":
        n = int(parts[3])
        x, y = read_idx(parts[1], "images", n), read_idx(parts[2], "labels", n)
    else:
        x, y = generate(parts[1], rs, int(parts[3]), sizes[0])
    ws, bs = [], []
    for l in range(1, len(sizes)):
        if first_network:
            w = np.array([[rs.random_sample() for _ in range(sizes[l - 1])]
                          for _ in range(sizes[l])])
            b = np.array([[rs.random_sample()] for _ in range(sizes[l])])
        else:
            w = rs.randn(sizes[l], sizes[l - 1])
            b = np.zeros([sizes[l], 1])
        ws.append(w)
        bs.append(b)
    return np.ascontiguousarray(x), y, ws, bs


# ---- the lecture's code ----

def sigma(z):
    return 1. / (1. + np.exp(-z))


def sigma_prime(z):
    return sigma(z) * (1. - sigma(z))


class Lecture:
    """second_network.py's build_model loop, for any number of layers."""

    def __init__(self, x, y, ws, bs, eta):
        self.x, self.y, self.eta = x, y, eta
        self.model = {'w': [w.copy() for w in ws], 'b': [b.copy() for b in bs]}
        self.scale = 100. / len(y)
        self.best = 0.0
        self.z, self.a = self.forward()

    def forward(self):
        z, a = [], []
        prev = self.x.T
        for w, b in zip(self.model['w'], self.model['b']):
            z.append(w.dot(prev) + b)
            a.append(sigma(z[-1]))
            prev = a[-1]
        return z, a

    def step(self):
        m, x, y, z, a = self.model, self.x, self.y, self.z, self.a
        L = len(m['w'])
        delta = [None] * L
        delta[-1] = a[-1]
        delta[-1][y, range(len(y))] -= 1
        delta[-1] *= sigma_prime(z[-1])
        for l in range(L - 2, -1, -1):
            delta[l] = (m['w'][l + 1]).T.dot(delta[l + 1]) * sigma_prime(z[l])
        dCdb = [np.sum(d, axis=1, keepdims=True) for d in delta]
        dCdw = [delta[l].dot(a[l - 1].T) if l else delta[0].dot(x) for l in range(L)]
        for l in range(L):
            m['w'][l] -= self.eta * dCdw[l]
            m['b'][l] -= self.eta * dCdb[l]
        self.z, self.a = self.forward()
        score = np.sum(np.argmax(self.a[-1], axis=0) == y) * self.scale
        if score > self.best:
            self.best, self.bestmodel = score, m.copy()

    def cost(self):
        t = np.zeros_like(self.a[-1])
        t[self.y, range(len(self.y))] = 1
        return 0.5 * np.sum((self.a[-1] - t) ** 2)


class LectureFirst:
    """first_network.py's build_model loop: one neuron, two inputs."""

    def __init__(self, x, y, ws, bs, eta):
        self.x, self.y, self.eta = x, y, eta
        self.model = {'w1': ws[0][0, 0], 'w2': ws[0][0, 1], 'b': bs[0][0, 0]}
        self.scale = 100. / len(y)
        self.best = 0.0
        self.f = self.sigma()

    def sigma(self):
        m, x = self.model, self.x
        z = m['w1'] * x[:, 0] + m['w2'] * x[:, 1] + m['b']
        return 1. / (1. + np.exp(-z))

    def step(self):
        m, x, y, f = self.model, self.x, self.y, self.f
        dCdw1 = sum((f - y) * f * (1 - f) * x[:, 0])
        dCdw2 = sum((f - y) * f * (1 - f) * x[:, 1])
        dCdb = sum((f - y) * f * (1 - f))
        m['w1'] -= self.eta * dCdw1
        m['w2'] -= self.eta * dCdw2
        m['b'] -= self.eta * dCdb
        self.f = f = self.sigma()
        score = sum(np.round(f) == y) * self.scale
        if score > self.best:
            self.best, self.bestmodel = score, m.copy()

    def cost(self):
        return 0.5 * np.sum((self.f - self.y) ** 2)


# ---- the same algorithm, written lean ----

class Lean:
    def __init__(self, x, y, ws, bs, eta):
        self.x, self.y, self.eta = x, y, eta
        n = len(y)
        self.idx = np.arange(n)
        self.w = [w.copy() for w in ws]
        self.b = [b.copy() for b in bs]
        self.A = [np.empty((w.shape[0], n)) for w in ws]
        self.D = [np.empty_like(a) for a in self.A]
        self.T = [np.empty_like(a) for a in self.A]
        self.gw = [np.empty_like(w) for w in ws]
        self.gb = [np.empty(w.shape[0]) for w in ws]
        self.best_w = [w.copy() for w in ws]
        self.best_b = [b.copy() for b in bs]
        self.best = -1
        self.forward()

    def forward(self):
        prev = self.x.T
        for w, b, a in zip(self.w, self.b, self.A):
            np.dot(w, prev, out=a)
            a += b
            np.negative(a, out=a)
            np.exp(a, out=a)
            a += 1.0
            np.reciprocal(a, out=a)
            prev = a

    def step(self):
        A, D, T, y = self.A, self.D, self.T, self.y
        L = len(self.w)
        # D_L = (A_L - Y) o A_L (1 - A_L)
        np.subtract(1.0, A[-1], out=D[-1])
        D[-1] *= A[-1]
        if A[-1].shape[0] == 1:
            A[-1][0] -= y
        else:
            A[-1][y, self.idx] -= 1.0
        D[-1] *= A[-1]
        for l in range(L - 1, 0, -1):
            np.dot(self.w[l].T, D[l], out=D[l - 1])
            np.subtract(1.0, A[l - 1], out=T[l - 1])
            T[l - 1] *= A[l - 1]
            D[l - 1] *= T[l - 1]
        for l in range(L):
            np.dot(D[l], A[l - 1].T if l else self.x, out=self.gw[l])
            np.sum(D[l], axis=1, out=self.gb[l])
            self.gw[l] *= self.eta
            self.w[l] -= self.gw[l]
            self.gb[l] *= self.eta
            self.b[l][:, 0] -= self.gb[l]
        self.forward()
        out = A[-1]
        if out.shape[0] == 1:
            right = np.count_nonzero((out[0] > 0.5) == y)
        else:
            right = np.count_nonzero(out.argmax(axis=0) == y)
        if right > self.best:
            self.best = right
            for src, dst in zip(self.w + self.b, self.best_w + self.best_b):
                np.copyto(dst, src)


# ---- which BLAS numpy really runs ----

def blas_in_use():
    """The library that defines the cblas_dgemm numpy's libblas.so.3 handle resolves."""
    where = "?"
    try:
        lib = ctypes.CDLL("libblas.so.3", mode=os.RTLD_NOLOAD | os.RTLD_LAZY)
        addr = ctypes.cast(lib.cblas_dgemm, ctypes.c_void_p).value

        class DlInfo(ctypes.Structure):
            _fields_ = [("fname", ctypes.c_char_p), ("fbase", ctypes.c_void_p),
                        ("sname", ctypes.c_char_p), ("saddr", ctypes.c_void_p)]
        info = DlInfo()
        libc = ctypes.CDLL(None)
        if libc.dladdr(ctypes.c_void_p(addr), ctypes.byref(info)):
            where = os.path.realpath(info.fname.decode())
    except (OSError, AttributeError):
        pass
    extra = ""
    try:
        from threadpoolctl import threadpool_info
        for p in threadpool_info():
            # only the library numpy's cblas_dgemm resolved to (an OpenBLAS
            # that LAPACK loaded beside another BLAS is not the one in use)
            # (compared by directory: Debian's OpenBLAS libblas.so.3 forwards
            # to the libopenblas.so.0 beside it, which threadpoolctl names)
            if p.get("user_api") == "blas" and where != "?" and \
                    os.path.dirname(os.path.realpath(p.get("filepath", ""))) == \
                    os.path.dirname(where):
                extra = " (threadpoolctl: %s %s, %s, %s threads)" % (
                    p.get("internal_api"), p.get("version"), p.get("architecture"),
                    p.get("num_threads"))
                break
    except ImportError:
        pass
    return where + extra


def make(variant, data, eta, first_network):
    x, y, ws, bs = data
    if variant == "lean":
        return Lean(x, y, ws, bs, eta)
    return (LectureFirst if first_network else Lecture)(x, y, ws, bs, eta)


def serve(args, data):
    runs = {v: make(v, data, args.eta, args.first_network) for v in ("lecture", "lean")}
    for line in sys.stdin:
        cmd = line.split()
        if not cmd:
            continue
        if cmd[0] == "quit":
            break
        if cmd[0] == "info":
            reply = "info " + blas_in_use()
        elif cmd[0] == "check":
            r = make("lecture", data, args.eta, args.first_network)
            for _ in range(int(cmd[1])):
                r.step()
            reply = "cost %.17g" % r.cost()
        elif cmd[0] == "warm":
            r, least = runs[cmd[1]], float(cmd[2])
            t0, k = time.perf_counter(), 0
            while k < 2 or time.perf_counter() - t0 < least:
                r.step()
                k += 1
            reply = "ms %.9g" % ((time.perf_counter() - t0) / k * 1e3)
        elif cmd[0] == "run":
            r, k = runs[cmd[1]], int(cmd[2])
            t0 = time.perf_counter()
            for _ in range(k):
                r.step()
            reply = "ms %.9g" % ((time.perf_counter() - t0) / k * 1e3)
        elif cmd[0] == "rss":
            reply = "rss %.1f" % (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0)
        else:
            reply = "error unknown command"
        print(reply, flush=True)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--serve", action="store_true", help="answer nn-bench's commands on stdin")
    p.add_argument("--data", required=True, help='"idx IMAGES LABELS N" or "gen KIND SEED N"')
    p.add_argument("--sizes", required=True, help="layer widths, e.g. 784-30-10")
    p.add_argument("--eta", type=float, required=True)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--first-network", action="store_true",
                   help="the lecture's first_network (npr.random init, one neuron)")
    p.add_argument("--rounds", type=int, default=7, help="rounds when run alone")
    args = p.parse_args()
    sizes = [int(s) for s in args.sizes.replace(",", "-").split("-")]
    data = load(args.data, sizes, args.seed, args.first_network)
    if args.serve:
        serve(args, data)
        return
    print("BLAS:", blas_in_use())
    for variant in ("lecture", "lean"):
        r = make(variant, data, args.eta, args.first_network)
        r.step()
        times = []
        for _ in range(args.rounds):
            t0 = time.perf_counter()
            r.step()
            times.append((time.perf_counter() - t0) * 1e3)
        print("%-8s %.4g ms per step (median of %d)" % (variant, sorted(times)[len(times) // 2],
                                                         len(times)))


if __name__ == "__main__":
    main()
