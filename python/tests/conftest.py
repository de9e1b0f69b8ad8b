"""Shared fixtures of the Python package's tests.

Run by `meson test --suite python` (python/meson.build sets NN_LIBRARY to
the build tree's libnn.so.0, PYTHONPATH to python/, NN_EXAMPLES to the C
programs, NN_LAYOUT to the struct-layout printer); by hand:

    NN_LIBRARY=build/lib/libnn.so.0 PYTHONPATH=python /usr/bin/python3 -m pytest python/tests
"""

import os
import shutil
import sys

import numpy as np
import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
if 'nn' not in sys.modules:
    sys.path.insert(0, os.path.dirname(HERE))

import nn  # noqa: E402


def pytest_configure(config):
    # most tests train for a few epochs on purpose; the ones about the
    # warning catch it with pytest.warns
    config.addinivalue_line('filterwarnings', 'ignore::nn.errors.ConvergenceWarning')


def program(name):
    """The path of a C example program of the build tree, or skip."""
    d = os.environ.get('NN_EXAMPLES')
    path = os.path.join(d, name) if d else shutil.which(name)
    if not path or not os.access(path, os.X_OK):
        pytest.skip('%s is not built (-Dexamples=true; meson test sets NN_EXAMPLES)' % name)
    return path


@pytest.fixture(scope='session')
def sample():
    """The MNIST sample of the source tree (500 + 100 digits)."""
    from nn.lecture import mnist_loader
    path = mnist_loader.sample_path()
    if not os.path.isdir(path):
        pytest.skip('no MNIST sample at %s' % path)
    return path


@pytest.fixture(scope='session')
def blobs():
    """A small, easy 3-class problem."""
    X, y = nn.datasets.make_blobs(300, centers=3, cluster_std=1.0, random_state=0)
    return X, y


@pytest.fixture
def rng():
    return np.random.RandomState(0)
