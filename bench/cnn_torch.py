#!/usr/bin/python3
"""PyTorch's side of bench/cnn_compare.sh: the time of an epoch of the same
convolutional network as nn-bench-cnn (the same layers, Adam 1e-3, batch
128, shuffled every epoch, the same MNIST images), in float64 or float32,
with a given number of threads.

    cnn_torch.py --layers SPEC [--name NAME] [--data DIR] [--samples N]
                 [--test N] [--epochs E] [--batch B] [--threads T] [--precision f64|f32]
                 [--seed S]

SPEC is the network as nn_net_parse reads it; `nn-bench-cnn --model
convnet --describe` prints the presets'. The initialisation is PyTorch's
own (not nn's). A 'same' convolution pads as Keras and nn do: ceil(in /
stride) outputs, the odd one of the padding at the bottom and right.

Prints the set-up, one line per epoch, then the CSV line of nn-bench-cnn
(header first):
  framework,model,precision,threads,samples,batch,epochs,s_per_epoch,
  cpu_s_per_epoch,first_epoch_s,test_accuracy,data_rss_mib,peak_rss_mib
s_per_epoch is the median over the epochs after the first (the first alone
when E = 1); an epoch's time covers the shuffle, the batches' gathering,
forward, backward and the update, as nn_fit's does; cpu_s_per_epoch is the process's CPU time (all threads)
over the same epochs.
"""
import argparse
import gzip
import os
import resource
import sys
import time

import numpy as np
import torch
from torch import nn

from numpy_step import read_idx

ACTS = {"relu": nn.ReLU, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid, "identity": nn.Identity,
        "linear": nn.Identity, "leaky-relu": lambda: nn.LeakyReLU(0.01)}


def same_pad(n, k, s):
    """Keras's 'same': (before, after) for ceil(n / s) outputs."""
    out = -(-n // s)
    total = max((out - 1) * s + k - n, 0)
    return total // 2, total - total // 2


def build(spec):
    """nn's text description (the items nn_net_describe writes) as a
    torch model whose output is the last layer's pre-activation (softmax is
    in the loss)."""
    items = [t.strip() for t in spec.replace(" ", ",").split(",") if t.strip()]
    dims = [int(v) for v in items[0].split("x")]
    h, w, c = (dims + [1])[:3] if len(dims) > 1 else (1, 1, dims[0])
    flat = len(dims) == 1
    layers = []
    for n, item in enumerate(items[1:]):
        last = n == len(items) - 2
        f = item.split(":")
        if f[0] == "conv":
            co, k = int(f[1]), int(f[2])
            opts = f[3:]
            s = 2 if "s2" in opts else 1
            name = next((o for o in opts if o in ACTS), "relu")
            if "same" in opts:
                (top, bottom), (left, right) = same_pad(h, k, s), same_pad(w, k, s)
                if (top, left) == (bottom, right):
                    layers.append(nn.Conv2d(c, co, k, stride=s, padding=(top, left)))
                else:
                    layers += [nn.ZeroPad2d((left, right, top, bottom)),
                               nn.Conv2d(c, co, k, stride=s)]
                h, w = -(-h // s), -(-w // s)
            else:
                layers.append(nn.Conv2d(c, co, k, stride=s))
                h, w = (h - k) // s + 1, (w - k) // s + 1
            layers.append(ACTS[name]())
            c = co
        elif f[0] in ("maxpool", "avgpool"):
            k = int(f[1]) if len(f) > 1 else 2
            layers.append((nn.MaxPool2d if f[0] == "maxpool" else nn.AvgPool2d)(k))
            h, w = h // k, w // k
        elif f[0] == "flatten":
            layers.append(nn.Flatten())
            c, h, w, flat = c * h * w, 1, 1, True
        elif f[0] == "dropout":
            layers.append(nn.Dropout(float(f[1])))
        else:
            if f[0] == "dense":
                f = f[1:]
            units, name = int(f[0]), f[1] if len(f) > 1 else ("softmax" if last else "relu")
            if not flat:
                layers.append(nn.Flatten())
                c, h, w, flat = c * h * w, 1, 1, True
            layers.append(nn.Linear(c, units))
            c = units
            if last:
                if name != "softmax":
                    sys.exit(f"cnn_torch: the last layer must be softmax, not {name}")
            else:
                layers.append(ACTS[name]())
    return nn.Sequential(*layers), dims


def idx_file(d, stem, kind):
    """The file of directory d that nn_mnist_load would read for stem
    ("train-images") and kind ("idx3-ubyte"): the standard name, with or
    without .gz, else the one name that starts with stem and holds kind."""
    for name in (f"{stem}-{kind}", f"{stem}-{kind}.gz"):
        if os.path.isfile(os.path.join(d, name)):
            return os.path.join(d, name)
    for name in sorted(os.listdir(d)):
        if name.startswith(stem) and kind in name:
            return os.path.join(d, name)
    sys.exit(f"cnn_torch: no {stem}-{kind} in {d}")


def idx_count(path):
    with (gzip.open if path.endswith(".gz") else open)(path, "rb") as f:
        return int.from_bytes(f.read(8)[4:8], "big")


def load(d, prefix, n, dims):
    images = idx_file(d, prefix + "-images", "idx3-ubyte")
    labels = idx_file(d, prefix + "-labels", "idx1-ubyte")
    n = idx_count(images) if n <= 0 else min(n, idx_count(images))
    x = read_idx(images, "images", n).reshape(n, 1, dims[0], dims[1])
    return torch.from_numpy(x), torch.from_numpy(read_idx(labels, "labels", n).astype(np.int64))


def peak_rss_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--layers", required=True)
    ap.add_argument("--name", default="custom")
    ap.add_argument("--data", default=os.path.join(here, "..", "..", "shared", "data",
                                                   "mnist-full"))
    ap.add_argument("--samples", type=int, default=0, help="0: all of them")
    ap.add_argument("--test", type=int, default=-1, help="test images (-1: all, 0: none)")
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--precision", choices=("f64", "f32"), default="f64")
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    if a.epochs < 1 or a.batch < 1 or a.threads < 1 or a.samples < 0:
        ap.error("epochs, batch and threads must be >= 1, samples >= 0")

    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    dtype = torch.float64 if a.precision == "f64" else torch.float32
    model, dims = build(a.layers)
    model = model.to(dtype)
    x, y = load(a.data, "train", a.samples, dims)
    xt, yt = load(a.data, "t10k", a.test, dims) if a.test else (x[:0], y[:0])
    x, xt = x.to(dtype), xt.to(dtype)
    n = x.shape[0]
    params = sum(p.numel() for p in model.parameters())
    print(f"# cnn_torch: {a.name} ({a.layers}), {params} parameters")
    print(f"# adam 1e-3, batch {a.batch}, {a.epochs} epochs, {a.precision}, on the first {n} "
          f"training images of {a.data} (test: {xt.shape[0]})")
    print(f"# torch {torch.__version__}, {torch.get_num_threads()} thread(s); "
          f"OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '(unset)')}, "
          f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', '(unset)')}, "
          f"OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS', '(unset)')}")
    sys.stdout.flush()

    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    data_rss = peak_rss_mib()
    times, cpu = [], []
    model.train()
    for e in range(a.epochs):
        t0, c0 = time.perf_counter(), time.process_time()
        perm = torch.randperm(n)
        cost = right = 0.0
        for j in range(0, n, a.batch):
            idx = perm[j:j + a.batch]
            xb, yb = x[idx], y[idx]
            opt.zero_grad(set_to_none=True)
            z = model(xb)
            loss = loss_fn(z, yb)
            loss.backward()
            opt.step()
            cost += loss.item() * len(idx)
            right += (z.argmax(1) == yb).sum().item()
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
        print(f"# epoch {e + 1}: {times[-1]:.2f} s (CPU {cpu[-1]:.2f} s), "
              f"train cost {cost / n:.4f}, train accuracy {right / n:.4f}")
        sys.stdout.flush()
    peak = peak_rss_mib()
    model.eval()
    with torch.no_grad():
        correct = float("nan") if not xt.shape[0] else sum((model(xt[j:j + 1000]).argmax(1) == yt[j:j + 1000]).sum().item()
                      for j in range(0, xt.shape[0], 1000))
    skip = 1 if len(times) > 1 else 0
    print("framework,model,precision,threads,samples,batch,epochs,s_per_epoch,cpu_s_per_epoch,"
          "first_epoch_s,test_accuracy,data_rss_mib,peak_rss_mib")
    print(f"torch,{a.name},{a.precision},{torch.get_num_threads()},{n},{a.batch},{a.epochs},"
          f"{float(np.median(times[skip:])):.3f},{float(np.median(cpu[skip:])):.3f},{times[0]:.3f},{correct / max(xt.shape[0], 1):.4f},"
          f"{data_rss:.1f},{peak:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
