#!/usr/bin/python3
"""scikit-learn's side of bench/mlp_compare.py (issue 16): MLPClassifier, float64.

  mlp_sklearn.py --data DIR --runs FILE [--epochs E] [--warmup K] [--seed S]
                 [--params-out PREFIX]

Each run of the runs file (bench/mlp_common.py) as MLPClassifier(
hidden_layer_sizes, activation, solver adam|sgd, batch_size,
learning_rate_init = eta, alpha 0, Adam's betas and epsilon 1e-8 or SGD
without momentum, shuffle). Its threads are those of numpy's BLAS
(OPENBLAS_NUM_THREADS, set by the driver).

How the epochs are timed: one partial_fit() call per epoch, which runs
exactly one pass over the data and keeps the optimiser's state between
calls (fit() with warm_start would make a new Adam every call). Its time
therefore includes partial_fit's own checks of X and y (check_array's
finiteness test over X, the label binariser), a few per cent: the price of
asking scikit-learn for one epoch at a time.

Same weights, same batches: a first partial_fit on K warm-up batches
builds the model (and warms the BLAS up); its parameters are then replaced
by the run's initial weights (coefs_[l] = W_l transposed), its optimiser
dropped so that the next call makes a fresh one, and random_state replaced
by numpy.random.RandomState(S) -- an instance, which every later call
draws from in turn: sklearn shuffles with random_state.shuffle(arange(N)),
which is permutation(N), the order nn and PyTorch use.

The one difference left: MLPClassifier has a softmax output and the
cross-entropy (log-loss) always. For a run with a sigmoid output and the
quadratic cost (the textbook's 784-30-10) it trains that softmax
cross-entropy instead -- the same layers and work up to the output's 10
values, another loss, so its accuracy is not the others'.
"""
import argparse
import os
import sys
import time

import numpy as np

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mlp_common  # noqa: E402

from sklearn.neural_network import MLPClassifier  # noqa: E402

ACT = {"relu": "relu", "sigmoid": "logistic", "tanh": "tanh", "identity": "identity"}


def make(run, seed):
    hidden = run.layers[1:-1]
    acts = {act for _, act in hidden}
    if len(acts) != 1:
        raise ValueError("%s: MLPClassifier takes one activation for every hidden layer" % run.spec)
    return MLPClassifier(hidden_layer_sizes=tuple(w for w, _ in hidden),
                         activation=ACT[acts.pop()], solver=run.optimizer,
                         batch_size=run.batch, learning_rate_init=run.eta, alpha=0.0,
                         beta_1=0.9, beta_2=0.999, epsilon=1e-8, momentum=0.0,
                         nesterovs_momentum=False, learning_rate="constant", shuffle=True,
                         tol=0.0, n_iter_no_change=1 << 30, max_iter=1,
                         random_state=np.random.RandomState(12345))


def run_one(run, x, y, tx, ty, a):
    n = run.samples
    X, Y = x[:n], y[:n]
    clf = make(run, a.seed)
    k = max(1, min(a.warmup * run.batch, n))
    clf.partial_fit(X[:k], Y[:k], classes=np.arange(10))
    for l, (w, b) in enumerate(mlp_common.read_weights(run.weights, run.spec)):
        clf.coefs_[l][...] = w.T
        clf.intercepts_[l][...] = b
    del clf._optimizer
    clf.random_state = np.random.RandomState(a.seed)
    for e in range(a.epochs):
        t0, c0 = time.perf_counter(), time.process_time()
        clf.partial_fit(X, Y)
        t, c = time.perf_counter() - t0, time.process_time() - c0
        print("epoch %s %d %.6f %.10g %.6f" % (run.name, e, t, clf.loss_, c), flush=True)
    proba = clf.predict_proba(tx)
    cost = -np.mean(np.log(np.maximum(proba[np.arange(len(ty)), ty], 1e-300)))
    print("test %s %.6f %.10g" % (run.name, np.mean(proba.argmax(1) == ty), cost), flush=True)
    if a.params_out:
        mlp_common.write_weights(a.params_out + run.name + ".f64",
                                 [(w.T, b) for w, b in zip(clf.coefs_, clf.intercepts_)])


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--data", required=True, help="MNIST IDX directory")
    p.add_argument("--runs", required=True, help="the runs file (bench/mlp_common.py)")
    p.add_argument("--epochs", type=int, default=1)
    p.add_argument("--warmup", type=int, default=20, help="warm-up batches")
    p.add_argument("--seed", type=int, default=1, help="seed of the batches' order")
    p.add_argument("--params-out", help="write each run's trained parameters to PREFIX<run>.f64")
    a = p.parse_args()
    runs = mlp_common.read_runs(a.runs)
    x, y, tx, ty = mlp_common.load_mnist(a.data, max(r.samples for r in runs))
    print("blas %s; scikit-learn" % mlp_common.blas_kernel(), flush=True)
    for run in runs:
        run_one(run, x, y, tx, ty, a)


if __name__ == "__main__":
    main()
