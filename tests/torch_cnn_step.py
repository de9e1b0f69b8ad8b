#!/usr/bin/python3
"""One SGD step of nn against PyTorch (float64) on the same network, weights
and batch: convolutions (both paddings, both strides, odd sizes, several
channels), max- and average-pooling that floor, flatten, dropout at rate 0,
dense heads, softmax + cross-entropy, sigmoid + quadratic or binary
cross-entropy, and two convnets on real MNIST digits.

    torch_cnn_step.py CNN_STEP SOURCE_ROOT [-v]

CNN_STEP is the C helper (tests/cnn_step.c): it runs nn_fit for one epoch,
full batch, no shuffle, SGD. Here PyTorch runs the same step from the same
parameters, and every parameter after the step must agree within 1e-10
(relative where |value| > 1), the cost before it too, and the update
itself (after - before) within 1e-8 of its largest entry in each tensor.
Exit 77 (skipped) when /usr/bin/python3 has no torch or numpy.

The layouts (include/nn/net.h):
- a sample is one column, value (c, y, x) at c + C * (x + W * y): the
  (H, W, C) array flattened, where torch holds (C, H, W);
- a convolution's W is C_out x (k*k*C_in) column-major, column
  c + C_in * (dx + k * dy): torch's (C_out, C_in, k, k) weight permuted to
  (k, k, C_in, C_out) and flattened;
- a dense layer's W is n_out x n_in column-major: torch's (n_out, n_in)
  transposed and flattened; after an image its inputs are in nn's sample
  order, so torch's columns (flattened C-major) are permuted first;
- 'same' padding is Keras's: ceil(in / stride) outputs, the odd one of the
  padding at the bottom and right, which torch only does through F.pad.
"""
import gzip
import os
import struct
import subprocess
import sys
import tempfile

try:
    import numpy as np
    import torch
    import torch.nn.functional as F
except ImportError as e:
    print(f"torch_cnn_step: {sys.executable} cannot import torch or numpy ({e}): skipped "
          "(Debian: apt-get install python3-torch)")
    sys.exit(77)

TOL_PARAM = 1e-10  # after the step, |nn - torch| <= TOL * max(1, |torch|)
TOL_UPDATE = 1e-8  # |update_nn - update_torch| <= TOL * max |update_torch| of the tensor

# Layers: ("conv", C_out, k, stride, padding, act), ("maxpool", k),
# ("avgpool", k), ("flatten",), ("dropout", rate), ("dense", units, act).
# A case: name, input (H, W, C), layers, cost, batch, eta.
CASES = [
    ("valid conv straight into dense", (7, 9, 1),
     [("conv", 2, 3, 1, "valid", "tanh"), ("dense", 3, "softmax")], "default", 4, 0.5),
    ("same s1, 3 channels, flatten", (7, 9, 3),
     [("conv", 4, 3, 1, "same", "sigmoid"), ("flatten",), ("dense", 5, "tanh"),
      ("dense", 3, "softmax")], "default", 3, 0.5),
    ("valid s2 then same s2 even kernel", (8, 8, 2),
     [("conv", 3, 3, 2, "valid", "tanh"), ("conv", 2, 2, 2, "same", "relu"),
      ("dense", 4, "softmax")], "default", 5, 0.5),
    ("same 5x5 odd image, avgpool floors", (9, 7, 2),
     [("conv", 3, 5, 1, "same", "tanh"), ("avgpool", 2), ("dense", 3, "softmax")],
     "default", 3, 0.5),
    ("two conv + maxpool that floors", (11, 10, 1),
     [("conv", 4, 3, 1, "valid", "relu"), ("maxpool", 2), ("conv", 3, 2, 1, "valid", "tanh"),
      ("maxpool", 2), ("flatten",), ("dense", 6, "tanh"), ("dense", 3, "softmax")],
     "default", 4, 0.5),
    ("same s2 even kernel odd image, maxpool 3", (13, 11, 3),
     [("conv", 5, 4, 2, "same", "leaky-relu"), ("conv", 4, 3, 1, "same", "relu"),
      ("maxpool", 3), ("flatten",), ("dropout", 0.0), ("dense", 8, "sigmoid"),
      ("dense", 3, "softmax")], "default", 6, 0.5),
    ("sigmoid output, quadratic cost", (6, 6, 2),
     [("conv", 3, 3, 1, "valid", "sigmoid"), ("avgpool", 2), ("dense", 4, "sigmoid")],
     "default", 5, 2.0),
    ("one sigmoid output, binary cross-entropy", (5, 7, 1),
     [("conv", 2, 3, 2, "same", "tanh"), ("dense", 1, "sigmoid")], "bce", 7, 1.0),
    ("avgpool first, 1x1 identity conv", (5, 5, 2),
     [("avgpool", 2), ("conv", 2, 1, 1, "valid", "identity"), ("dense", 1, "sigmoid")],
     "default", 6, 2.0),
]

# On the first 64 MNIST training digits: the Keras mnist_convnet (its
# dropout at rate 0: the masks are nn's draws) and the LeNet-5 of bench/.
MNIST_CASES = [
    ("mnist_convnet, 64 digits", (28, 28, 1),
     [("conv", 32, 3, 1, "valid", "relu"), ("maxpool", 2), ("conv", 64, 3, 1, "valid", "relu"),
      ("maxpool", 2), ("flatten",), ("dropout", 0.0), ("dense", 10, "softmax")],
     "default", 64, 0.1),
    ("lenet5, 64 digits", (28, 28, 1),
     [("conv", 6, 5, 1, "same", "relu"), ("maxpool", 2), ("conv", 16, 5, 1, "valid", "relu"),
      ("maxpool", 2), ("flatten",), ("dense", 120, "relu"), ("dense", 84, "relu"),
      ("dense", 10, "softmax")], "default", 64, 0.1),
]


def spec_of(shape, layers):
    """The network as nn_net_parse reads it."""
    h, w, c = shape
    items = [f"{h}x{w}" + (f"x{c}" if c > 1 else "")]
    for L in layers:
        if L[0] == "conv":
            _, co, k, s, pad, act = L
            items.append(f"conv:{co}:{k}" + (":s2" if s == 2 else "") + f":{pad}:{act}")
        elif L[0] in ("maxpool", "avgpool"):
            items.append(f"{L[0]}:{L[1]}")
        elif L[0] == "flatten":
            items.append("flatten")
        elif L[0] == "dropout":
            items.append(f"dropout:{L[1]}")
        else:
            items.append(f"{L[1]}:{L[2]}")
    return ", ".join(items)


def same_pad(n, k, s):
    """Keras's 'same': (before, after) for ceil(n / s) outputs."""
    out = -(-n // s)
    total = max((out - 1) * s + k - n, 0)
    return total // 2, total - total // 2


def act(z, name):
    return {"relu": F.relu, "tanh": torch.tanh, "sigmoid": torch.sigmoid,
            "leaky-relu": lambda t: F.leaky_relu(t, 0.01), "identity": lambda t: t,
            "softmax": lambda t: t}[name](z)


def make_params(shape, layers, rng):
    """Random torch parameters, each with what its conversion to nn needs."""
    h, w, c = shape
    spatial = True
    params = []
    for L in layers:
        if L[0] == "conv":
            _, co, k, s, pad, _ = L
            fan = k * k * c
            W = rng.uniform(-1, 1, (co, c, k, k)) * np.sqrt(3.0 / fan)
            params.append({"kind": "conv", "W": W, "b": rng.uniform(-0.3, 0.3, co)})
            if pad == "same":
                h, w = -(-h // s), -(-w // s)
            else:
                h, w = (h - k) // s + 1, (w - k) // s + 1
            c = co
        elif L[0] in ("maxpool", "avgpool"):
            h, w = h // L[1], w // L[1]
        elif L[0] == "dense":
            n_in = h * w * c if spatial else c
            W = rng.uniform(-1, 1, (L[1], n_in)) * np.sqrt(3.0 / n_in)
            params.append({"kind": "dense", "W": W, "b": rng.uniform(-0.3, 0.3, L[1]),
                           "image": (c, h, w) if spatial else None})
            spatial, c = False, L[1]
    for p in params:
        p["W"] = torch.tensor(p["W"], dtype=torch.float64, requires_grad=True)
        p["b"] = torch.tensor(p["b"], dtype=torch.float64, requires_grad=True)
    return params


def to_nn(params, which):
    """One parameter buffer in nn's layout, from each parameter's `which`
    ("value" or "grad"), layer by layer W then b."""
    out = []
    for p in params:
        W = p["W"].detach() if which == "value" else p["W"].grad
        b = p["b"].detach() if which == "value" else p["b"].grad
        if p["kind"] == "conv":
            W = W.permute(2, 3, 1, 0)  # (dy, dx, c_in, c_out): c_out fastest
        else:
            if p["image"]:  # torch's inputs (c, y, x) reordered to nn's (y, x, c)
                c, h, w = p["image"]
                W = W.reshape(-1, c, h, w).permute(0, 2, 3, 1).reshape(W.shape[0], -1)
            W = W.t()
        out += [W.reshape(-1), b.reshape(-1)]
    return torch.cat(out).numpy()


def sizes_of(params):
    return [n for p in params for n in (p["W"].numel(), p["b"].numel())]


def forward_cost(x, labels, layers, params, cost):
    """The batch-mean cost of the network on x (N, C, H, W), as nn defines it."""
    it = iter(params)
    a = x
    for L in layers:
        if L[0] == "conv":
            _, _, k, s, pad, name = L
            p = next(it)
            if pad == "same":
                top, bottom = same_pad(a.shape[2], k, s)
                left, right = same_pad(a.shape[3], k, s)
                a = F.pad(a, (left, right, top, bottom))
            a = act(F.conv2d(a, p["W"], p["b"], stride=s), name)
        elif L[0] == "maxpool":
            a = F.max_pool2d(a, L[1])
        elif L[0] == "avgpool":
            a = F.avg_pool2d(a, L[1])
        elif L[0] == "flatten":
            a = a.flatten(1)
        elif L[0] == "dropout":
            assert L[1] == 0.0  # nn draws the masks: only the layer itself is compared
        else:
            p = next(it)
            a = a.flatten(1) @ p["W"].t() + p["b"]
            if L is not layers[-1]:
                a = act(a, L[2])
    z, out, n = a, layers[-1][2], x.shape[0]
    y = torch.tensor(labels, dtype=torch.int64)
    if out == "softmax" and cost in ("default", "ce"):
        return F.cross_entropy(z, y)
    if cost == "bce":
        return F.binary_cross_entropy_with_logits(z[:, 0], y.double(), reduction="sum") / n
    a = act(z, out)
    target = y.double()[:, None] if z.shape[1] == 1 else F.one_hot(y, z.shape[1]).double()
    return 0.5 * ((a - target) ** 2).sum() / n


def run_nn(helper, spec, cost, x, labels, p0, eta, tmp):
    """The C helper's cost before and parameters after one step."""
    n = x.shape[0]
    X = x.permute(0, 2, 3, 1).reshape(n, -1).numpy()  # sample j: its (y, x, c) values
    path_in, path_out = os.path.join(tmp, "in"), os.path.join(tmp, "out")
    with open(path_in, "wb") as f:
        f.write(f"nn-cnn-step 1\n{spec}\n{cost} {n} {X.shape[1]} {p0.size} {eta!r}\n".encode())
        f.write(np.ascontiguousarray(X, dtype="=f8").tobytes())
        f.write(np.asarray(labels, dtype="=i4").tobytes())
        f.write(np.ascontiguousarray(p0, dtype="=f8").tobytes())
    r = subprocess.run([helper, path_in, path_out], capture_output=True, text=True)
    if r.returncode:
        raise RuntimeError(f"cnn-step failed ({r.returncode}): {r.stderr.strip()}")
    v = np.fromfile(path_out, dtype="=f8")
    if v.size != 1 + p0.size:
        raise RuntimeError(f"cnn-step wrote {v.size} values, expected {1 + p0.size}")
    return v[0], v[1:]


def check(helper, name, shape, layers, cost, x, labels, eta, seed, tmp, verbose):
    """One case; returns a list of failures (empty when it agrees)."""
    torch.manual_seed(seed)
    params = make_params(shape, layers, np.random.RandomState(seed))
    spec = spec_of(shape, layers)
    p0 = to_nn(params, "value")
    c_nn, p_nn = run_nn(helper, spec, cost, x, labels, p0, eta, tmp)

    loss = forward_cost(x, labels, layers, params, cost)
    loss.backward()
    with torch.no_grad():
        for p in params:
            p["W"] -= eta * p["W"].grad
            p["b"] -= eta * p["b"].grad
    p_t = to_nn(params, "value")

    fails = []
    c_t = loss.item()
    cost_err = abs(c_nn - c_t) / max(1.0, abs(c_t))
    if not cost_err <= TOL_PARAM:
        fails.append(f"cost {c_nn!r} vs torch {c_t!r}")
    worst_param = worst_update = 0.0
    moved = np.abs(p_t - p0).max()
    start = 0
    for t, n in enumerate(sizes_of(params)):
        a, b, b0 = p_nn[start:start + n], p_t[start:start + n], p0[start:start + n]
        e = (np.abs(a - b) / np.maximum(1.0, np.abs(b))).max()
        u = np.abs((a - b0) - (b - b0)).max() / max(np.abs(b - b0).max(), 1e-300)
        what = f"layer {t // 2 + 1}'s {'W' if t % 2 == 0 else 'b'}"
        if not e <= TOL_PARAM:
            fails.append(f"{what}: max param diff {e:.3g}")
        if not u <= TOL_UPDATE:
            fails.append(f"{what}: update differs by {u:.3g} of its largest entry")
        worst_param, worst_update = max(worst_param, e), max(worst_update, u)
        start += n
    if not moved > 1e-3:  # a step that moves nothing proves nothing
        fails.append(f"the step moved the parameters by {moved:.3g} only")
    status = "FAIL" if fails else "ok"
    print(f"{status:4} {name}: {spec} [{cost}, N={x.shape[0]}, {p0.size} params]: "
          f"max param diff {worst_param:.2e}, update diff {worst_update:.2e} (of a step "
          f"up to {moved:.2e}), cost {c_t:.6f} diff {cost_err:.1e}")
    if verbose or fails:
        for f in fails:
            print(f"     {f}")
    return fails


def read_idx(path):
    with gzip.open(path, "rb") if path.endswith(".gz") else open(path, "rb") as f:
        data = f.read()
    magic, = struct.unpack(">I", data[:4])
    dims = struct.unpack(f">{magic & 0xff}I", data[4:4 + 4 * (magic & 0xff)])
    return np.frombuffer(data, np.uint8, offset=4 + 4 * len(dims)).reshape(dims)


def mnist_first(n, root):
    """The first n MNIST training digits, pixels / 255, and where they came
    from; None when no copy is there. The project's sample is MNIST's first
    500 training digits, so both places give the same n <= 500."""
    for d in (os.path.join(root, "..", "shared", "data", "mnist"),
              os.path.join(root, "data", "mnist-sample")):
        if not os.path.isdir(d):
            continue
        names = sorted(os.listdir(d))
        img = [f for f in names if f.startswith("train-images") and "idx3-ubyte" in f]
        lab = [f for f in names if f.startswith("train-labels") and "idx1-ubyte" in f]
        if img and lab:
            X = read_idx(os.path.join(d, img[0]))[:n].astype(np.float64) / 255.0
            y = read_idx(os.path.join(d, lab[0]))[:n].astype(np.int64)
            return torch.tensor(X)[:, None, :, :], y, d
    return None


def main():
    if len(sys.argv) < 3:
        print("usage: torch_cnn_step.py CNN_STEP SOURCE_ROOT [-v]", file=sys.stderr)
        return 2
    helper, root, verbose = sys.argv[1], sys.argv[2], "-v" in sys.argv[3:]
    torch.set_num_threads(1)
    print(f"torch {torch.__version__}, float64, one thread")
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for i, (name, shape, layers, cost, n, eta) in enumerate(CASES):
            rng = np.random.RandomState(1000 + i)
            h, w, c = shape
            x = torch.tensor(rng.uniform(-1, 1, (n, c, h, w)))
            k = layers[-1][1]
            labels = rng.randint(0, max(k, 2), n)
            failed += bool(check(helper, name, shape, layers, cost, x, labels, eta, i, tmp,
                                 verbose))
        digits = mnist_first(64, root)
        if digits is None:
            print("skip the MNIST cases: neither ../shared/data/mnist nor data/mnist-sample "
                  "is there")
        else:
            x, labels, where = digits
            print(f"MNIST: the first {x.shape[0]} training digits of {where}")
            for i, (name, shape, layers, cost, n, eta) in enumerate(MNIST_CASES):
                failed += bool(check(helper, name, shape, layers, cost, x[:n], labels[:n], eta,
                                     100 + i, tmp, verbose))
    print(f"{failed} case(s) failed" if failed else "all cases agree")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
