"""Reference counts and memory over 1,000 fit/predict cycles; Ctrl-C and
callbacks that stop a fit."""

import ctypes
import gc
import os
import signal
import sys
import threading
import time
import tracemalloc

import numpy as np
import pytest

import nn


class _Mallinfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in (
        'arena', 'ordblks', 'smblks', 'hblks', 'hblkhd', 'usmblks', 'fsmblks', 'uordblks',
        'fordblks', 'keepcost')]


def malloc_in_use():
    """Bytes the C heap has handed out and not taken back (glibc's mallinfo2):
    every malloc of libnn and of numpy, exactly, where RSS would hide a small
    leak in pages already touched."""
    libc = ctypes.CDLL(None)
    if not hasattr(libc, 'mallinfo2'):
        pytest.skip('needs glibc >= 2.33 (mallinfo2)')
    libc.mallinfo2.restype = _Mallinfo2
    m = libc.mallinfo2()
    return m.uordblks + m.hblkhd


def test_no_leak_over_1000_fit_predict_cycles(rng):
    X = rng.standard_normal((40, 5))
    y = (X[:, 0] > 0).astype(int)
    Xt = rng.standard_normal((7, 5))
    refs = (sys.getrefcount(X), sys.getrefcount(y), sys.getrefcount(Xt))

    def cycle():
        clf = nn.MLPClassifier(hidden_layer_sizes=(6,), max_iter=2, random_state=0).fit(X, y)
        clf.predict(Xt)
        clf.predict_proba(Xt[:1])
        clf.coefs_[0].sum()
        nn.Network([5, 3]).predict_values(Xt)
    for _ in range(100):   # warm up: caches, the allocator's pools
        cycle()
    gc.collect()
    tracemalloc.start()
    c0, py0 = malloc_in_use(), tracemalloc.get_traced_memory()[0]
    for _ in range(1000):
        cycle()
    gc.collect()
    py1, c1 = tracemalloc.get_traced_memory()[0], malloc_in_use()
    tracemalloc.stop()
    assert (sys.getrefcount(X), sys.getrefcount(y), sys.getrefcount(Xt)) == refs
    assert py1 - py0 < 64 * 1024, 'Python objects grow by %d bytes' % (py1 - py0)
    # one network (the smallest here is ~1 KiB with its layers) lost per
    # cycle would be 1 MB; allow the allocator's own bookkeeping
    assert c1 - c0 < 128 * 1024, 'the C heap grew by %d bytes over 1000 cycles' % (c1 - c0)


def test_views_and_results_free_their_c_memory(sample):
    nn.load_mnist(sample)
    c0 = malloc_in_use()
    for _ in range(10):
        train_x, test_x, _, _ = nn.load_mnist(sample)     # 600 x 784 doubles, 3.8 MB
        W = nn.Network([784, 30, 10]).weights(1)           # a view outliving its Network
        del train_x, test_x, W
    gc.collect()
    assert malloc_in_use() - c0 < 256 * 1024


def _data():
    X, y = nn.datasets.make_blobs(400, centers=3, random_state=0)
    return X, y


def test_callback_stops_the_fit_cleanly():
    X, y = _data()
    seen = []

    def stop_after_three(est, stats):
        seen.append(stats['epoch'])
        return len(seen) == 3
    clf = nn.MLPClassifier(hidden_layer_sizes=(8,), max_iter=100, random_state=0,
                           callback=stop_after_three).fit(X, y)
    assert seen == [0, 1, 2] and clf.n_iter_ == 3 and len(clf.loss_curve_) == 3
    assert clf.predict(X).shape == (400,)


def test_interrupt_from_the_callback_keeps_the_best_model():
    X, y = _data()
    snapshots = []

    def interrupt(est, stats):
        snapshots.append((stats['loss'], est.network_.params.copy()))
        if len(snapshots) == 6:
            raise KeyboardInterrupt
    clf = nn.MLPClassifier(hidden_layer_sizes=(8,), max_iter=100, learning_rate_init=0.5,
                           random_state=0, callback=interrupt)
    with pytest.raises(KeyboardInterrupt):
        clf.fit(X, y)
    # fitted, holding the weights of the epoch of the lowest training loss
    best = min(range(len(snapshots)), key=lambda i: snapshots[i][0])
    np.testing.assert_array_equal(clf.network_.params, snapshots[best][1])
    assert clf.n_iter_ == 6 and clf.predict(X).shape == (400,)


def test_early_stopping_interrupt_keeps_the_best_validation_model():
    X, y = _data()
    snapshots = []

    def interrupt(est, stats):
        snapshots.append((stats['val_accuracy'], est.network_.params.copy()))
        if len(snapshots) == 5:
            raise KeyboardInterrupt
    clf = nn.MLPClassifier(hidden_layer_sizes=(8,), max_iter=100, early_stopping=True,
                           random_state=0, callback=interrupt)
    with pytest.raises(KeyboardInterrupt):
        clf.fit(X, y)
    first_best = max(range(5), key=lambda i: (snapshots[i][0], -i))
    np.testing.assert_array_equal(clf.network_.params, snapshots[first_best][1])


@pytest.mark.skipif(threading.current_thread() is not threading.main_thread(),
                    reason='signals reach the main thread only')
def test_ctrl_c_stops_a_long_fit_between_batches():
    """SIGINT arrives while C trains: the fit stops at the next batch, fitted."""
    X = np.random.RandomState(0).standard_normal((20000, 50))
    y = (X[:, 0] > 0).astype(int)
    clf = nn.MLPClassifier(hidden_layer_sizes=(64,), batch_size=32, max_iter=1000,
                           random_state=0)
    timer = threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGINT))
    t0 = time.perf_counter()
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            clf.fit(X, y)
    finally:
        timer.cancel()
    assert time.perf_counter() - t0 < 10          # within a batch or so, not at the end
    assert clf.n_iter_ < 1000
    assert clf.predict(X[:10]).shape == (10,)     # usable


def test_ctrl_c_stops_the_lectures_gradient_descent(capsys):
    """Ctrl-C ends the lecture's build_model early with the best model so far."""
    from nn.lecture import second_network as sn
    X, y = nn.datasets.make_circles(400, noise=0.1, random_state=0)
    timer = threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGINT))
    np.random.seed(0)
    timer.start()
    try:
        model = sn.build_model(10, X, y, eta=5e-3, output_dim=2, num_steps=10 ** 9)
    finally:
        timer.cancel()
    out = capsys.readouterr().out
    steps = int(out.split('Interrupted after ')[1].split()[0])
    assert 0 < steps < 10 ** 9
    best = float(out.split('Our best model gets ')[1].split()[0])
    assert abs(np.mean(sn.predict(X, model) == y) * 100 - best) < 0.05
