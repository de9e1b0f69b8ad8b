#!/usr/bin/python3
"""nn.MLPClassifier against scikit-learn's MLPClassifier: fit time and test
accuracy on the same data with the same settings, and the cost of the
binding for one prediction of one sample.

Both estimators get scikit-learn's defaults (100 ReLU units, Adam at 1e-3,
alpha 1e-4, batches of min(200, n), at most 200 epochs, tol 1e-4 over 10
epochs), so they stop by the same rule; each seed is one fit of each,
alternating which goes first (--float32: again on float32 data, which
scikit-learn keeps in float32, with nn's precision='float32'). Times are
CPU seconds of this process
(time.process_time: the machine is shared, and wall time counts the other
jobs too) with ONE BLAS thread for numpy and nn alike, unless --threads says
otherwise. Results go to stdout as the tables of doc/python.md.

    NN_LIBRARY=build/lib/libnn.so.0 PYTHONPATH=python \
        /usr/bin/python3 bench/python_vs_sklearn.py --mnist ../shared/data/mnist-full
"""

import argparse
import os
import platform
import statistics
import sys
import time


def parse():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--mnist', help='a directory of the MNIST IDX files (the 60,000 + 10,000): '
                    'adds the MNIST 10,000 run')
    ap.add_argument('--seeds', type=int, default=3, help='fits of each estimator per data set')
    ap.add_argument('--threads', type=int, default=1, help='BLAS threads (numpy and nn)')
    ap.add_argument('--calls', type=int, default=20000, help='predict calls timed')
    ap.add_argument('--float32', action='store_true',
                    help='also in float32: scikit-learn on float32 data, nn with '
                    "precision='float32'")
    return ap.parse_args()


args = parse()
# before numpy loads its BLAS
for var in ('OPENBLAS_NUM_THREADS', 'OMP_NUM_THREADS', 'MKL_NUM_THREADS'):
    os.environ[var] = str(args.threads)

import ctypes  # noqa: E402
import warnings  # noqa: E402

import numpy as np  # noqa: E402
import sklearn  # noqa: E402
from sklearn.datasets import load_digits  # noqa: E402
from sklearn.exceptions import ConvergenceWarning  # noqa: E402
from sklearn.neural_network import MLPClassifier as SkMLP  # noqa: E402

import nn  # noqa: E402
from nn import _arrays, _lib  # noqa: E402

warnings.simplefilter('ignore', ConvergenceWarning)


def fit(Est, X, y, Xt, yt, seed):
    # float32 data: scikit-learn then computes in float32, nn gets precision='float32'
    f32 = X.dtype == np.float32
    est = Est(random_state=seed, precision='float32') if f32 and Est is nn.MLPClassifier \
        else Est(random_state=seed)
    c0, w0 = time.process_time(), time.perf_counter()
    est.fit(X, y)
    cpu, wall = time.process_time() - c0, time.perf_counter() - w0
    return {'cpu': cpu, 'wall': wall, 'epochs': est.n_iter_, 'acc': est.score(Xt, yt),
            'est': est}


def blas_floor(n, d, hidden, k, batch=200, rounds=5):
    """CPU seconds per epoch of the matrix products alone -- the forward
    X W1, A1 W2 and the backward dW2, dA1, dW1 of every batch -- through
    numpy's BLAS (the same OpenBLAS as libnn here): what neither
    implementation can go below at these settings."""
    rng = np.random.RandomState(0)
    X, W1, W2 = rng.rand(batch, d), rng.rand(d, hidden), rng.rand(hidden, k)
    A1, D2, D1 = rng.rand(batch, hidden), rng.rand(batch, k), rng.rand(batch, hidden)
    best = float('inf')
    for _ in range(rounds):
        t = time.process_time()
        for _ in range(20):
            X @ W1, A1 @ W2, A1.T @ D2, D2 @ W2.T, X.T @ D1
        best = min(best, (time.process_time() - t) / 20)
    return best * -(-n // batch)


def c_alone(X, y, epochs, batch=200):
    """CPU seconds per epoch of nn_fit in ONE C call with the estimator's settings
    (no Python between the batches): what driving the batches from Python costs."""
    net = nn.Network([X.shape[1], 100, len(np.unique(y))], hidden='relu', output='softmax')
    opt = _lib.lib.nn_fit_defaults()
    opt.optim.kind, opt.eta, opt.batch_size, opt.epochs = 4, 1e-3, min(batch, len(X)), epochs
    opt.optim.l2 = 1e-4 / opt.batch_size
    Xc = np.ascontiguousarray(X, dtype=np.float64)
    yc = np.ascontiguousarray(y, dtype=np.int32)
    m, lab, rng = _arrays.matrix(Xc), _arrays.labels(yc), nn.RandomState(0)
    t = time.process_time()
    rc = _lib.lib.nn_fit(net._ptr, None, ctypes.byref(m), ctypes.byref(lab), ctypes.byref(opt),
                         rng.handle)
    assert rc == 0, nn.strerror(rc)
    return (time.process_time() - t) / epochs


def compare(name, X, y, Xt, yt, seeds):
    runs = {'scikit-learn': [], 'nn': []}
    for seed in range(seeds):
        order = [('scikit-learn', SkMLP), ('nn', nn.MLPClassifier)]
        if seed % 2:
            order.reverse()
        for who, Est in order:
            r = fit(Est, X, y, Xt, yt, seed)
            runs[who].append(r)
            print('  %-12s seed %d: %6.2f s CPU (%6.2f s wall), %3d epochs, test accuracy %.4f'
                  % (who, seed, r['cpu'], r['wall'], r['epochs'], r['acc']), file=sys.stderr)
    row = {}
    for who, rs in runs.items():
        row[who] = {k: statistics.median(r[k] for r in rs) for k in ('cpu', 'wall', 'epochs')}
        row[who]['acc'] = statistics.mean(r['acc'] for r in rs)
        row[who]['per_epoch'] = statistics.median(r['cpu'] / r['epochs'] for r in rs)
    if X.dtype == np.float64:
        row['floor'] = blas_floor(X.shape[0], X.shape[1], 100, len(np.unique(y)))
        row['c_alone'] = c_alone(X, y, int(row['nn']['epochs']))
    else:
        row['floor'] = row['c_alone'] = float('nan')
    return name, X.shape, Xt.shape, row, runs['nn'][0]['est']


def predict_overhead(clf, x1, calls):
    """Microseconds per call: the estimator's predict, nn.Network.predict, the bare ctypes
    call of nn_predict on a prepared matrix, and scikit-learn's predict for scale."""
    net = clf.network_
    x1 = np.ascontiguousarray(x1)
    m = _arrays.matrix(x1)
    pred = np.empty(1, dtype=np.int32)
    f, ptr, addr, mref = _lib.lib.nn_predict, net._ptr, pred.ctypes.data, ctypes.byref(m)

    def per_call(fn, n=calls):
        # CPU time of this process, the best of 5 rounds: the machine is shared
        best = float('inf')
        for _ in range(5):
            t = time.process_time()
            for _ in range(n // 5):
                fn()
            best = min(best, (time.process_time() - t) / (n // 5))
        return best * 1e6
    out = {'nn.MLPClassifier.predict': per_call(lambda: clf.predict(x1)),
           'nn.Network.predict': per_call(lambda: net.predict(x1)),
           'nn_predict through ctypes': per_call(lambda: f(addr, None, ptr, mref))}
    return out


def main():
    print('# nn.MLPClassifier vs scikit-learn %s (numpy %s), Python %s, %s; %d BLAS thread(s); '
          'load average %s' % (sklearn.__version__, np.__version__, platform.python_version(),
                               platform.processor() or platform.machine(), args.threads,
                               open('/proc/loadavg').read().split()[0]
                               if os.path.exists('/proc/loadavg') else '?'))
    print('# libnn: %s (%s)' % (nn.library_path(), nn.library_version()))
    X, y = load_digits(return_X_y=True)
    X = X / 16.0
    tr, te, ytr, yte = nn.datasets.train_test_split(X, y, test_size=0.25, random_state=0,
                                                    stratify=y)
    results = [compare('digits 8x8', tr, ytr, te, yte, args.seeds)]
    digits_clf = results[0][4]
    if args.mnist:
        train_x, test_x, train_y, test_y = nn.load_mnist(args.mnist, 10000, 10000)
        results.append(compare('MNIST 10,000', train_x, train_y, test_x, test_y, args.seeds))
    if args.float32:
        f = np.float32
        results.append(compare('digits 8x8, float32', tr.astype(f), ytr, te.astype(f), yte,
                               args.seeds))
        if args.mnist:
            results.append(compare('MNIST 10,000, float32', train_x.astype(f), train_y,
                                   test_x.astype(f), test_y, args.seeds))

    def ms(seconds):  # a cell in ms; empty where not measured (float32 rows)
        return '' if seconds != seconds else '%.1f ms' % (1e3 * seconds)

    print()
    print('| data (train / test) | scikit-learn fit | nn fit | ratio | epochs (sk / nn) | '
          'per epoch (sk / nn) | nn_fit alone, per epoch | products alone, per epoch | '
          'test accuracy (sk / nn) |')
    print('|---|---|---|---|---|---|---|---|---|')
    for name, shape, tshape, row, _ in results:
        sk, ours = row['scikit-learn'], row['nn']
        print('| %s (%d / %d) | %.2f s | %.2f s | **%.1fx** | %d / %d | %.1f / %.1f ms (%.1fx) '
              '| %s | %s | %.4f / %.4f |'
              % (name, shape[0], tshape[0], sk['cpu'], ours['cpu'], sk['cpu'] / ours['cpu'],
                 sk['epochs'], ours['epochs'], 1e3 * sk['per_epoch'], 1e3 * ours['per_epoch'],
                 sk['per_epoch'] / ours['per_epoch'], ms(row['c_alone']), ms(row['floor']),
                 sk['acc'], ours['acc']))

    x1 = te[:1]
    over = predict_overhead(digits_clf, x1, args.calls)
    sk = SkMLP(random_state=0).fit(tr, ytr)
    t = time.process_time()
    for _ in range(args.calls // 10):
        sk.predict(x1)
    over['scikit-learn predict (for scale)'] = (time.process_time() - t) / (args.calls // 10) * 1e6
    print()
    print('| one sample, 64-100-10 (digits) | us per call (CPU) |')
    print('|---|---|')
    for k, v in over.items():
        print('| %s | %.1f |' % (k, v))
    print('| **binding overhead** (estimator predict - bare ctypes call) | **%.1f** |'
          % (over['nn.MLPClassifier.predict'] - over['nn_predict through ctypes']))


if __name__ == '__main__':
    main()
