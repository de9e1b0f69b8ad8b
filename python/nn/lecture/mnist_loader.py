"""The lecture's mnist_loader.py, on libnn's readers: the lecture's mnist.pkl.gz,
or a directory of the four MNIST IDX files (pixels / 256, the values the
pickle stores), or, by default, the sample of 500 + 100 real digits shipped
with nn."""

import os

from ..io import load_mnist


def sample_path():
    """The MNIST sample shipped with nn: $NN_MNIST_SAMPLE, the installed copy,
    or the source tree's data/mnist-sample."""
    env = os.environ.get('NN_MNIST_SAMPLE')
    if env:
        return env
    try:
        from .._config import SAMPLE_DIR
        if SAMPLE_DIR and os.path.isdir(SAMPLE_DIR):
            return SAMPLE_DIR
    except ImportError:
        pass
    here = os.path.dirname(os.path.abspath(__file__))
    return os.path.join(here, '..', '..', '..', 'data', 'mnist-sample')


def load_mnist_1D(filename=None, n_train=None, n_test=None):
    """train_x, test_x, train_y, test_y: images as (N, 784) rows, labels int64."""
    return load_mnist(filename or sample_path(), n_train, n_test, scale=256.0)


def load_mnist_1D_small(filename=None):
    """The lecture's subset: the first 500 training and the first 100 test digits,
    as train_x (500, 784), test_x (100, 784), train_y, test_y."""
    return load_mnist_1D(filename, 500, 100)
