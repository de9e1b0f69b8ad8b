"""Zero-copy where the layout allows, one copy where it does not; the GIL
released during the C calls."""

import ctypes
import threading
import time

import numpy as np
import pytest

import nn
from nn import _arrays, _lib


@pytest.fixture
def spy(monkeypatch):
    """The address and leading dimension of every X nn_predict / nn_predict_values receives."""
    seen = []
    for name in ('nn_predict', 'nn_predict_values'):
        real = getattr(_lib.lib, name)

        def wrapper(out, ws, net, X, real=real):
            m = X._obj
            seen.append((m.data, m.rows, m.cols, m.ld))
            return real(out, ws, net, X)
        monkeypatch.setattr(_lib.lib, name, wrapper)
    return seen


@pytest.fixture(scope='module')
def net():
    return nn.Network([6, 5, 3], hidden='tanh', output='softmax')


def reference(net, X):
    """Predictions on a fresh C-ordered copy: what every layout must give."""
    return net.predict_values(np.array(X, dtype=np.float64, order='C'))


def test_c_ordered_float64_is_not_copied(net, spy, rng):
    X = rng.standard_normal((40, 6))
    out = net.predict_values(X)
    assert spy == [(X.ctypes.data, 6, 40, 6)]     # X's own buffer, ld = d
    assert out.shape == (40, 3)
    net.predict(X)
    assert spy[1][0] == X.ctypes.data


@pytest.mark.parametrize('slicing', ['rows', 'every_other_row', 'columns', 'one_row'])
def test_row_strided_slices_are_not_copied(net, spy, rng, slicing):
    big = rng.standard_normal((50, 9))
    X = {'rows': big[10:30, :6], 'every_other_row': big[::2, 2:8],
         'columns': big[:, :6], 'one_row': big[7:8, 3:9]}[slicing]
    out = net.predict_values(X)
    addr, rows, cols, ld = spy[0]
    assert addr == X.ctypes.data and (rows, cols) == (6, X.shape[0])
    assert ld == (X.strides[0] // 8 if X.shape[0] > 1 else 6)   # one sample: ld = d
    np.testing.assert_array_equal(out, reference(net, X))


@pytest.mark.parametrize('layout', ['fortran', 'float32', 'int64', 'column_step', 'reversed',
                                    'big_endian', 'list'])
def test_other_layouts_are_copied_once(net, spy, rng, layout):
    base = rng.standard_normal((30, 6))
    X = {'fortran': np.asfortranarray(base), 'float32': base.astype(np.float32),
         'int64': (10 * base).astype(np.int64), 'column_step': np.repeat(base, 2, axis=1)[:, ::2],
         'reversed': base[::-1], 'big_endian': base.astype('>f8'), 'list': base.tolist()}[layout]
    out = net.predict_values(X)
    addr, rows, cols, ld = spy[0]
    if isinstance(X, np.ndarray):
        assert addr != X.ctypes.data
    assert (rows, cols, ld) == (6, 30, 6)            # the copy is C-ordered float64
    np.testing.assert_allclose(out, reference(net, X), rtol=1e-15)


def test_training_reads_the_callers_buffer(monkeypatch, rng):
    X = rng.standard_normal((64, 4))
    y = (X[:, 0] > 0).astype(int)
    seen = []
    real = _lib.lib.nn_fitter_new

    def wrapper(f, net, Xm, ym, opt, r):
        seen.append(Xm._obj.data)
        return real(f, net, Xm, ym, opt, r)
    monkeypatch.setattr(_lib.lib, 'nn_fitter_new', wrapper)
    nn.MLPClassifier(hidden_layer_sizes=(3,), max_iter=2, random_state=0).fit(X, y)
    assert seen == [X.ctypes.data]


def test_results_are_owned_arrays_over_c_memory(sample):
    train_x, test_x, train_y, test_y = nn.load_mnist(sample, 20, 10)
    assert train_x.shape == (20, 784) and train_x.flags.c_contiguous
    assert train_x.base is not None and not train_x.flags.owndata   # the C matrix, not copied
    assert train_y.dtype == np.int64 and train_y.flags.owndata


def test_views_keep_their_network_alive():
    net = nn.Network([3, 4, 2])
    W, p = net.weights(1), net.params
    W[...] = 2.0
    del net   # the views hold the network
    assert np.all(W == 2.0) and p[:12].sum() == 24.0
    assert W.shape == (4, 3) and W.flags.f_contiguous


def test_the_gil_is_released_during_prediction(rng):
    """Another Python thread runs while one C call predicts a big batch."""
    net = nn.Network([200, 400, 10], hidden='relu', output='softmax')
    X = rng.standard_normal((20000, 200))
    net.predict(X[:100])

    def count(seconds):
        n, end = 0, time.perf_counter() + seconds
        while time.perf_counter() < end:
            n += 1
        return n
    alone = count(0.2) / 0.2    # iterations per second with nothing else running
    done = threading.Event()
    t0 = time.perf_counter()
    worker = threading.Thread(target=lambda: (net.predict(X), done.set()))
    worker.start()
    n = 0
    while not done.is_set():
        n += 1
    worker.join()
    elapsed = time.perf_counter() - t0
    assert elapsed > 0.05, 'the prediction was too quick to tell'
    # with the GIL held through the call this loop could not run meanwhile
    assert n > 0.1 * alone * elapsed, (n, alone, elapsed)


def test_as_samples_checks_before_any_c_call(monkeypatch):
    def boom(*args):
        raise AssertionError('a C function was called')
    net = nn.Network([3, 2])
    monkeypatch.setattr(_lib.lib, 'nn_predict', boom)
    monkeypatch.setattr(_lib.lib, 'nn_predict_values', boom)
    for bad, match in [(np.zeros(3), 'Reshape your data'), (np.zeros((2, 4)), '4 features'),
                       (np.zeros((0, 3)), '0 sample'), (np.zeros((2, 3, 1)), '3D array'),
                       (np.zeros((2, 3), dtype=complex), 'Complex'),
                       (np.array([['a', 'b', 'c']]), 'dtype'), (None, 'None'),
                       ([[1, 2], [3]], '')]:
        with pytest.raises(ValueError, match=match):
            net.predict(bad)
    with pytest.raises(TypeError, match='must be a string or a'):
        net.predict(np.array([[{'a': 1}, 2, 3]], dtype=object))


def test_leading_dimension_rule():
    X = np.zeros((5, 3))
    assert _arrays._leading_dimension(X) == 3
    assert _arrays._leading_dimension(np.zeros((10, 3))[::2]) == 6
    assert _arrays._leading_dimension(np.zeros((5, 3), order='F')) == 0
    assert _arrays._leading_dimension(np.zeros((5, 3), dtype=np.float32)) == 0


@pytest.mark.parametrize('spec', ['5, 7:tanh, 3', '8x8, conv:4:3:relu, maxpool, flatten, '
                                  'dropout:0.5, 6:relu, 3:softmax',
                                  '6x6x2, conv:3:3:relu:s2:same, avgpool, flatten, 2'])
def test_weight_views_are_the_librarys_matrices(spec):
    """The layout computed in Python is nn_net_weights()/nn_net_bias()'s, layer by layer."""
    net = nn.Network(spec, hidden='relu')
    for l in range(1, net.n_layers + 1):
        m, b = _lib.nn_matrix(), _lib.nn_matrix()
        rc = _lib.lib.nn_net_weights(ctypes.byref(m), net._ptr, l)
        W = net.weights(l)
        if rc:
            assert W is None and net.bias(l) is None
            continue
        assert _lib.lib.nn_net_bias(ctypes.byref(b), net._ptr, l) == 0
        assert W.shape == (m.rows, m.cols) and W.ctypes.data == m.data
        assert net.bias(l).shape == (b.rows,) and net.bias(l).ctypes.data == b.data


def test_float32_views_and_conversion():
    net = nn.Network([4, 3, 2]).init('randn', 3)
    f32 = net.with_precision('float32')
    assert f32.precision == 'float32' and net.precision == 'float64'
    assert f32.params.dtype == np.float32 and f32.weights(1).dtype == np.float32
    np.testing.assert_array_equal(f32.params, net.params.astype(np.float32))
    np.testing.assert_array_equal(f32.weights(2), net.weights(2).astype(np.float32))
    X = np.random.RandomState(0).standard_normal((20, 4))
    np.testing.assert_allclose(f32.predict_values(X), net.predict_values(X), rtol=1e-5)
    back = f32.with_precision('float64')
    np.testing.assert_array_equal(back.params, f32.params)     # float32 -> float64 is exact
