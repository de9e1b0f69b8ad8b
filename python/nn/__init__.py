"""nn: neural networks on BLAS, from Python.

A pure-Python package over the C library libnn (through ctypes; numpy is
its only dependency):

- nn.MLPClassifier, nn.MLPRegressor: scikit-learn's estimators, trained by
  libnn (they work in scikit-learn's Pipeline, cross_val_score, GridSearchCV);
- nn.Network and nn.load(path): networks and the model files the C
  programs read and write;
- nn.datasets: make_blobs, make_circles, make_moons, make_classification,
  train_test_split -- scikit-learn's numbers for the same seed;
- nn.load_mnist, nn.read_idx_images, nn.read_idx_labels, nn.read_table,
  nn.read_npy, nn.write_npy: the library's readers;
- nn.lecture: the lecture's first_network, second_network and mnist_loader;
- nn.RandomState: numpy's legacy generator, as the C library draws it.

doc/python.md in nn's source tree is the guide.
"""

from . import _lib
from .errors import (Error, InvalidArgument, ShapeError, NonFiniteError, LabelError,
                     MismatchError, OutOfMemory, DivergedError, IOFailure, FileMissing,
                     FormatError, PeerError, NotFittedError, ConvergenceWarning,
                     DataConversionWarning, strerror)
from .random import RandomState
from .network import Network, load
from .estimators import MLPClassifier, MLPRegressor
from .io import (load_mnist, read_idx_images, read_idx_labels, read_table, read_npy, write_npy,
                 Table)
from . import datasets

try:
    from ._config import VERSION as __version__
except ImportError:  # the source tree: the library's own version
    __version__ = _lib.lib.nn_version().decode()


def library_version():
    """The version of the libnn loaded (nn_version())."""
    return _lib.lib.nn_version().decode()


def library_path():
    """The path of the libnn loaded."""
    return _lib.path


__all__ = ['MLPClassifier', 'MLPRegressor', 'Network', 'load', 'RandomState', 'datasets',
           'load_mnist', 'read_idx_images', 'read_idx_labels', 'read_table', 'read_npy',
           'write_npy', 'Table', 'Error', 'InvalidArgument', 'ShapeError', 'NonFiniteError',
           'LabelError', 'MismatchError', 'OutOfMemory', 'DivergedError', 'IOFailure',
           'FileMissing', 'FormatError', 'PeerError', 'NotFittedError', 'ConvergenceWarning',
           'DataConversionWarning', 'strerror', 'library_version', 'library_path']
