"""Model files: a model trained in C predicts the same in Python, and the reverse."""

import re
import subprocess

import numpy as np
import pytest

import nn
from nn.lecture import example2

from conftest import program


def run_c(name, *args):
    return subprocess.run([program(name)] + [str(a) for a in args], check=True,
                          capture_output=True, text=True).stdout


def accuracy(text, which):
    return float(re.search(r'^%s accuracy: (\S+)$' % which, text, re.M).group(1))


def circles(seed):
    """nn-example2's data for --seed: make_circles(500, noise=0.1) and the split."""
    return example2.get_data(500, random_state=nn.RandomState(seed))


def test_a_model_trained_in_c_predicts_the_same_in_python(tmp_path):
    path = tmp_path / 'c.nn'
    out = run_c('nn-example2', '--seed', 3, '--steps', 2000, '--save-model', path)
    net = nn.load(path)
    assert net.sizes == [2, 10, 2] and net.activations == ['sigmoid', 'sigmoid']
    assert net.task == 'classify'
    train_x, test_x, train_y, test_y = circles(3)
    assert np.mean(net.predict(train_x) == train_y) == accuracy(out, 'train')
    assert np.mean(net.predict(test_x) == test_y) == accuracy(out, 'test')


def test_a_minibatch_mnist_model_from_c(tmp_path, sample):
    path = tmp_path / 'mnist.nn'
    out = run_c('nn-mnist', '--data', sample, '--epochs', 2, '--layers', '784,32,10',
                '--seed', 5, '--save-model', path)
    net = nn.load(path)
    assert net.activations == ['relu', 'softmax'] and net.cost == 'cross-entropy'
    _, test_x, _, test_y = nn.load_mnist(sample, scale=256)
    assert np.mean(net.predict(test_x) == test_y) == accuracy(out, 'test')
    clf = nn.MLPClassifier.from_network(path)
    assert clf.score(test_x, test_y) == accuracy(out, 'test')


def test_a_model_trained_in_python_predicts_the_same_in_c(tmp_path):
    train_x, test_x, train_y, test_y = circles(1)
    clf = nn.MLPClassifier(hidden_layer_sizes=(12,), learning_rate_init=0.01, max_iter=150,
                           scaling='standard', random_state=0).fit(train_x, train_y)
    clf.save(tmp_path / 'py.nn')
    out = run_c('nn-example2', '--seed', 1, '--load-model', tmp_path / 'py.nn')
    assert 'loaded from' in out
    assert clf.score(train_x, train_y) == accuracy(out, 'train')
    assert clf.score(test_x, test_y) == accuracy(out, 'test')


def test_python_round_trip_is_exact(tmp_path, blobs):
    X, y = blobs
    clf = nn.MLPClassifier(hidden_layer_sizes=(9, 4), max_iter=20, scaling='minmax',
                           random_state=0).fit(X, np.array(['a', 'b', 'c'])[y])
    clf.save(tmp_path / 'm.nn')
    net = nn.load(tmp_path / 'm.nn')
    np.testing.assert_array_equal(net.params, clf.network_.params)
    assert net.describe() == clf.network_.describe()
    assert net.names('classes') == ['a', 'b', 'c'] and net.task == 'classify'
    for a, b in zip(net.scaling[1:], clf.network_.scaling[1:]):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(net.predict_values(X), clf.predict_proba(X))
    again = nn.MLPClassifier.from_network(net)
    np.testing.assert_array_equal(again.predict(X), clf.predict(X))
    assert nn.Network.from_bytes(net.to_bytes()).describe() == net.describe()
    # the bytes in memory are the file's bytes
    assert net.to_bytes() == (tmp_path / 'm.nn').read_bytes()


def test_regressor_round_trip(tmp_path, rng):
    X = rng.standard_normal((80, 3))
    Y = np.column_stack([X @ [1.0, -2.0, 0.5], np.sin(X[:, 0])])
    reg = nn.MLPRegressor(hidden_layer_sizes=(16,), max_iter=200, learning_rate_init=0.01,
                          random_state=0).fit(X, Y)
    reg.save(tmp_path / 'r.nn')
    net = nn.load(tmp_path / 'r.nn')
    assert net.task == 'regress'
    np.testing.assert_array_equal(net.predict_values(X), reg.predict(X))
    m = net.evaluate_values(X, Y)
    assert m['r2'] == pytest.approx(reg.score(X, Y), rel=1e-12)
