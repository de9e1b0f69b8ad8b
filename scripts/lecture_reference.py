#!/usr/bin/python3
"""The lecture's first_network and second_network, in numpy, as fixtures for
tests/test_lecture.c.

For each seed K this does what the lecture's Python does after
np.random.seed(K): get_data(500) (an sklearn generator, then
train_test_split with test_size=0.2, both drawing from numpy's global
RandomState) and build_model(...) (npr.random() for w1, w2, b; npr.randn
for W1 then W2), then trains by the slides' algorithm:

  * the summed quadratic cost C = 1/2 sum (a - y)^2,
  * the output delta (a - y) * sigma'(z) -- with sigma', as on the slides,
  * after each step's update: forward, score, keep the model when the score
    is strictly greater than the best so far (a deep copy),
  * scores: np.round(f) == y for one neuron, argmax for the network.

It writes one small text file per (program, seed) into tests/data/lecture/:
data checksums (FNV-1a 64 of the float64/int64 little-endian bytes) and
per-feature sums, the initial parameters, the costs after the first steps,
and the best scores after a short run and after the lecture's full run.

make_circles places its points with np.cos and np.sin. On a CPU with
AVX-512 (numpy's AVX512_SKX dispatch), numpy computes these with its own
SIMD routines, which differ from the C library's cos and sin in the last
bit for most arguments; elsewhere numpy calls the C library. The random
draws are the same either way, so the test requires example1's data
bit for bit and example2's to the last bits (the sums), then the same
costs and scores.

Run with Debian's python3 (python3-numpy, python3-sklearn):
  /usr/bin/python3 scripts/lecture_reference.py [--out tests/data/lecture]
"""

import argparse
import os
import sys

import numpy as np
import numpy.random as npr
import sklearn
import sklearn.datasets as skd
import sklearn.model_selection as skms

SEEDS = {'example1': [0, 1, 7, 2024], 'example2': [0, 1, 7, 2024]}
N_COSTS = 50      # costs recorded after each of the first steps
SHORT_STEPS = 1000
FULL_STEPS = 10000


def fnv1a64(data):
    h = 0xcbf29ce484222325
    for byte in data:
        h ^= byte
        h = (h * 0x100000001b3) & 0xffffffffffffffff
    return '%016x' % h


def hash_x(x):
    # Row-major: sample by sample, features in order.
    return fnv1a64(np.ascontiguousarray(x, dtype='<f8').tobytes())


def hash_y(y):
    return fnv1a64(np.ascontiguousarray(y, dtype='<i8').tobytes())


def sigma(z):
    return 1. / (1. + np.exp(-z))


# ---- the lecture's example1 + first_network -------------------------------

def get_data1(n):
    pos, value = skd.make_blobs(n, centers=2, center_box=(-3, 3), cluster_std=1.0)
    return skms.train_test_split(pos, value, test_size=0.2)


def first_network(x, y, eta, num_steps, model):
    """Returns (costs after each step, best count, best step, best model)."""
    model = dict(model)
    f = sigma(model['w1'] * x[:, 0] + model['w2'] * x[:, 1] + model['b'])
    best, best_step, bestmodel = 0, None, None
    costs = []
    for i in range(num_steps):
        g = (f - y) * f * (1 - f)
        dCdw1 = sum(g * x[:, 0])
        dCdw2 = sum(g * x[:, 1])
        dCdb = sum(g)
        model['w1'] -= eta * dCdw1
        model['w2'] -= eta * dCdw2
        model['b'] -= eta * dCdb
        f = sigma(model['w1'] * x[:, 0] + model['w2'] * x[:, 1] + model['b'])
        costs.append(0.5 * np.sum((f - y) ** 2))
        score = int(sum(np.round(f) == y))
        if score > best:
            best, best_step, bestmodel = score, i, dict(model)
    return costs, best, best_step, bestmodel


def predict1(x, model):
    f = sigma(model['w1'] * x[:, 0] + model['w2'] * x[:, 1] + model['b'])
    return np.round(f)


# ---- the lecture's example2 + second_network ------------------------------

def get_data2(n):
    pos, value = skd.make_circles(n, noise=0.1)
    return skms.train_test_split(pos, value, test_size=0.2)


def forward2(x, model):
    z1 = model['w1'].dot(x.T) + model['b1']
    a1 = sigma(z1)
    z2 = model['w2'].dot(a1) + model['b2']
    a2 = sigma(z2)
    return z1, z2, a1, a2


def second_network(x, y, eta, num_steps, model):
    model = {k: v.copy() for k, v in model.items()}
    z1, z2, a1, a2 = forward2(x, model)
    cols = np.arange(len(y))
    best, best_step, bestmodel = 0, None, None
    costs = []
    for i in range(num_steps):
        delta2 = a2.copy()
        delta2[y, cols] -= 1                      # (a_M - y)
        delta2 *= a2 * (1. - a2)                  # o sigma'(z_M): the slides' delta
        delta1 = model['w2'].T.dot(delta2) * a1 * (1. - a1)
        dCdb2 = np.sum(delta2, axis=1, keepdims=True)
        dCdb1 = np.sum(delta1, axis=1, keepdims=True)
        dCdw2 = delta2.dot(a1.T)
        dCdw1 = delta1.dot(x)
        model['w1'] -= eta * dCdw1
        model['b1'] -= eta * dCdb1
        model['w2'] -= eta * dCdw2
        model['b2'] -= eta * dCdb2
        z1, z2, a1, a2 = forward2(x, model)
        onehot = np.zeros_like(a2)
        onehot[y, cols] = 1.
        costs.append(0.5 * np.sum((a2 - onehot) ** 2))
        score = int(np.sum(np.argmax(a2, axis=0) == y))
        if score > best:
            # A deep copy: the slides' model.copy() would share the arrays
            # that the in-place updates then change.
            best, best_step = score, i
            bestmodel = {k: v.copy() for k, v in model.items()}
    return costs, best, best_step, bestmodel


def predict2(x, model):
    return np.argmax(forward2(x, model)[3], axis=0)


# ---- fixtures -------------------------------------------------------------

def run(program, seed):
    np.random.seed(seed)
    if program == 'example1':
        train_x, test_x, train_y, test_y = get_data1(500)
        model = {'w1': npr.random(), 'w2': npr.random(), 'b': npr.random()}
        init = [model['w1'], model['w2'], model['b']]
        train, predict, eta = first_network, predict1, 5e-5
    else:
        train_x, test_x, train_y, test_y = get_data2(500)
        model = {'w1': npr.randn(10, 2), 'b1': np.zeros([10, 1]),
                 'w2': npr.randn(2, 10), 'b2': np.zeros([2, 1])}
        # Parameter order of nn_net_params(): W1 column-major, b1, W2, b2.
        init = list(model['w1'].ravel(order='F')) + list(model['b1'].ravel()) + \
            list(model['w2'].ravel(order='F')) + list(model['b2'].ravel())
        train, predict, eta = second_network, predict2, 5e-3
    lines = ['# %s, seed %d: written by scripts/lecture_reference.py' % (program, seed),
             '# numpy %s, scikit-learn %s' % (np.__version__, sklearn.__version__),
             'program %s' % program, 'seed %d' % seed, 'eta %.17g' % eta,
             'n_train %d' % len(train_y), 'n_test %d' % len(test_y),
             'hash_train_x %s' % hash_x(train_x), 'hash_test_x %s' % hash_x(test_x),
             'hash_train_y %s' % hash_y(train_y), 'hash_test_y %s' % hash_y(test_y),
             # Per-feature sums, for where only the last bits may differ (below).
             'sum_train_x %.17g %.17g' % tuple(np.sum(train_x, axis=0)),
             'sum_test_x %.17g %.17g' % tuple(np.sum(test_x, axis=0)),
             'train_x0 %.17g %.17g' % tuple(train_x[0]), 'train_y0 %d' % train_y[0],
             'init %d %s' % (len(init), ' '.join('%.17g' % v for v in init))]
    costs, best, best_step, bestmodel = train(train_x, train_y, eta, SHORT_STEPS, model)
    test_ok = int(np.sum(predict(test_x, bestmodel) == test_y))
    lines.append('costs %d %s' % (N_COSTS, ' '.join('%.17g' % c for c in costs[:N_COSTS])))
    lines.append('short %d %d %d %d' % (SHORT_STEPS, best, best_step, test_ok))
    costs, best, best_step, bestmodel = train(train_x, train_y, eta, FULL_STEPS, model)
    test_ok = int(np.sum(predict(test_x, bestmodel) == test_y))
    lines.append('full %d %d %d %d' % (FULL_STEPS, best, best_step, test_ok))
    lines.append('last_cost %.17g' % costs[-1])
    return '\n'.join(lines) + '\n'


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap.add_argument('--out', default=os.path.join(root, 'tests', 'data', 'lecture'))
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    for program, seeds in SEEDS.items():
        for seed in seeds:
            path = os.path.join(args.out, '%s_seed%d.txt' % (program, seed))
            with open(path, 'w') as f:
                f.write(run(program, seed))
            print(path, file=sys.stderr)


if __name__ == '__main__':
    main()
