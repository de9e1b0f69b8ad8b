"""nn.lecture prints what the C programs print for the same seed: the
lecture's notebooks with one changed import."""

import re
import subprocess

import numpy as np
import pytest

import nn
from nn.lecture import example1, example2, first_network as fn, mnist_loader
from nn.lecture import second_network as sn

from conftest import program


def run_c(name, *args):
    return subprocess.run([program(name)] + list(args), check=True, capture_output=True,
                          text=True).stdout


def report(text):
    """The lecture's lines: "Best by step ..." and "Our best model gets ..."."""
    return [l for l in text.splitlines() if l.startswith(('Best by step', 'Our best model'))]


def accuracy(text, which):
    return re.search(r'^%s accuracy: (\S+)$' % which, text, re.M).group(1)


def sklearn_get_data(make, n):
    """The lecture's example1.py / example2.py, as written: scikit-learn on np.random."""
    skd = pytest.importorskip('sklearn.datasets', reason='scikit-learn is not installed')
    import sklearn.model_selection as skms
    if make == 'blobs':
        pos, value = skd.make_blobs(n, centers=2, center_box=(-3, 3), cluster_std=1.0)
    else:
        pos, value = skd.make_circles(n, noise=0.1)
    return skms.train_test_split(pos, value, test_size=0.2)


def lecture_run(data, seed, make, get_data):
    """The data of a lecture example for `seed`, and build_model's extra arguments:
    scikit-learn's generators on np.random after np.random.seed(seed), as the
    lecture's notebook; or, without scikit-learn, one nn stream through the data
    and the weights."""
    if data == 'sklearn':
        np.random.seed(seed)
        return sklearn_get_data(make, 500), {}
    rng = nn.RandomState(seed)
    return get_data(500, random_state=rng), {'random_state': rng}


@pytest.mark.parametrize('seed', [1, 7])
@pytest.mark.parametrize('data', ['sklearn', 'nn'])
def test_first_network_is_nn_example1(seed, data, capsys):
    c = run_c('nn-example1', '--seed', str(seed))
    (train_pos, test_pos, train_value, test_value), kw = lecture_run(data, seed, 'blobs',
                                                                      example1.get_data)
    model = fn.build_model(train_pos, train_value, eta=5e-5, **kw)
    assert report(capsys.readouterr().out) == report(c)
    assert sorted(model) == ['b', 'w1', 'w2']
    f = fn.predict(test_pos, model)
    assert '%.4f' % (sum(np.round(f) == test_value) / len(test_value)) == accuracy(c, 'test')
    f = fn.predict(train_pos, model)
    assert '%.4f' % (sum(np.round(f) == train_value) / len(train_value)) == accuracy(c, 'train')
    # the lecture's own sigma agrees with libnn's forward pass
    np.testing.assert_allclose(fn.sigma(test_pos, model), fn.predict(test_pos, model), rtol=1e-12)


@pytest.mark.parametrize('seed', [1, 2024])
@pytest.mark.parametrize('data', ['sklearn', 'nn'])
def test_second_network_is_nn_example2(seed, data, capsys):
    c = run_c('nn-example2', '--seed', str(seed))
    (train_pos, test_pos, train_value, test_value), kw = lecture_run(data, seed, 'circles',
                                                                      example2.get_data)
    model = sn.build_model(10, train_pos, train_value, eta=5e-3, output_dim=2, **kw)
    assert report(capsys.readouterr().out) == report(c)
    assert [model[k].shape for k in ('w1', 'b1', 'w2', 'b2')] == [(10, 2), (10, 1), (2, 10),
                                                                   (2, 1)]
    f = sn.predict(test_pos, model)
    assert '%.4f' % (sum(f == test_value) / len(test_value)) == accuracy(c, 'test')
    # the lecture's numpy forward pass and libnn's predict agree
    np.testing.assert_array_equal(np.argmax(sn.forward(test_pos, model)[3], axis=0), f)


def test_mnist_is_nn_mnist(capsys, sample):
    steps = '600'
    c = run_c('nn-mnist', '--seed', '1', '--steps', steps, '--data', sample)
    np.random.seed(1)
    train_x, test_x, train_y, test_y = mnist_loader.load_mnist_1D_small(sample)
    assert train_x.shape == (500, 784) and test_x.shape == (100, 784)
    model = sn.build_model(30, train_x, train_y, output_dim=10, eta=5e-4, num_steps=int(steps))
    assert report(capsys.readouterr().out) == report(c)
    f = sn.predict(test_x, model)
    assert '%.4f' % (sum(f == test_y) / len(test_y)) == accuracy(c, 'test')
    assert (784 + 1) * 30 + (30 + 1) * 10 == sum(v.size for v in model.values())


def test_mnist_loader_reads_the_pickle(tmp_path, sample):
    """The lecture's mnist.pkl.gz layout: ((train), (valid), (test)) of float32 arrays."""
    import gzip
    import pickle
    train_x, test_x, train_y, test_y = mnist_loader.load_mnist_1D(sample)
    data = ((train_x.astype(np.float32), train_y), (test_x[:10].astype(np.float32), test_y[:10]),
            (test_x.astype(np.float32), test_y))
    path = tmp_path / 'mnist.pkl.gz'
    with gzip.open(path, 'wb') as f:
        pickle.dump(data, f, protocol=2)
    a, b, c, d = mnist_loader.load_mnist_1D_small(path)
    np.testing.assert_array_equal(a, train_x.astype(np.float32))
    np.testing.assert_array_equal(b, test_x[:100].astype(np.float32))
    np.testing.assert_array_equal(c, train_y)
    np.testing.assert_array_equal(d, test_y)
