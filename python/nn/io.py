"""Reading data with libnn's readers: MNIST (IDX files, raw or gzip, and the
lecture's mnist.pkl.gz), CSV/TSV tables and .npy arrays.

What the C library reads it hands over without a copy: the images or
features are the library's own matrix, wrapped as an (N, d) array that
frees it when the array goes; labels are copied into int64 vectors. A path
is told by what it is and holds, never by its name; a bad file is an
nn.FormatError (or FileNotFoundError, nn.IOFailure) naming the file and the
problem.
"""

import ctypes
import os

import numpy as np

from . import _arrays, _lib
from .errors import check, exception

lib = _lib.lib


def _count(n):
    return _lib.NN_ALL if n is None else int(n)


def load_mnist(path, n_train=None, n_test=None, *, first_train=0, scale=255.0):
    """MNIST (or Fashion-MNIST) from a directory of the four IDX files or from
    a pickle such as mnist.pkl.gz: (train_x, test_x, train_y, test_y), images
    as (N, rows*cols) float64 arrays (pixel bytes / scale), labels int64.

    :param n_train: keep the first n_train training images (None: all).
    :param n_test: keep the first n_test test images (None: all).
    :param first_train: skip that many training images first.
    :param scale: 255 gives pixels in [0, 1]; 256 the values mnist.pkl.gz stores.
    """
    path = os.fspath(path)
    opt = lib.nn_mnist_defaults()
    opt.max_train, opt.max_test = _count(n_train), _count(n_test)
    opt.first_train = int(first_train)
    opt.scale = float(scale)
    m = _lib.nn_mnist()
    rc = lib.nn_mnist_load(ctypes.byref(m), os.fsencode(path), ctypes.byref(opt))
    if rc < 0:
        detail = m.error.decode('utf-8', 'replace') or None
        raise exception(rc, detail, filename=path)
    # each matrix handed over alone: the arrays free them one by one
    train_x = _arrays.take_matrix(m.train_x)
    test_x = _arrays.take_matrix(m.test_x)
    return train_x, test_x, _arrays.take_labels(m.train_y), _arrays.take_labels(m.test_y)


def read_idx_images(path, n=None, *, scale=255.0):
    """One IDX image file (raw or gzip): an (N, rows*cols) array of pixel bytes / scale."""
    path = os.fspath(path)
    X = _lib.nn_matrix()
    check(lib.nn_idx_read_images(ctypes.byref(X), os.fsencode(path), _count(n), float(scale)),
          filename=path)
    return _arrays.take_matrix(X)


def read_idx_labels(path, n=None):
    """One IDX label file (raw or gzip): an int64 vector."""
    path = os.fspath(path)
    y = _lib.nn_labels()
    check(lib.nn_idx_read_labels(ctypes.byref(y), os.fsencode(path), _count(n)), filename=path)
    return _arrays.take_labels(y)


class Table:
    """A table read by read_table(): features X (N, F), the target, the names.

    task 'classify': y holds class ids (int64) and class_names their names;
    'regress': y holds the target values, (N,) for one target column, else
    (N, T); 'none': y is None.
    """

    def __init__(self, X, y, task, feature_names, target_names, class_names):
        self.X, self.y, self.task = X, y, task
        self.feature_names, self.target_names, self.class_names = (
            feature_names, target_names, class_names)

    def __iter__(self):  # X, y = nn.read_table(...)
        return iter((self.X, self.y))

    def __repr__(self):
        return ('nn.Table(%d samples, features %s, task %r, target %s)'
                % (self.X.shape[0], self.feature_names, self.task, self.target_names))


_TASKS = {'auto': 0, 'classify': 1, 'regress': 2, 'none': 3}


def _strings(ptr, n):
    return [ptr[i].decode('utf-8', 'replace') for i in range(n)] if ptr else None


def read_table(path, *, target=None, task='auto', delimiter=None, header=None, comment='#',
               max_rows=None):
    """A CSV/TSV text file (or .npy, gzip) as features and a target (include/nn/table.h).

    :param target: the target column(s): a header name, an index (negative from
        the end), several comma-separated, or '' for none; None: the last column.
    :param task: 'auto' (decided from the target's values, as scikit-learn's
        type_of_target), 'classify', 'regress' or 'none'.
    :param delimiter: None to detect among , tab ; |.
    :param header: None to detect, True or False.
    """
    f = _lib.require('nn_table_read', 'read_table')
    path = os.fspath(path)
    if task not in _TASKS:
        raise ValueError('task must be one of %s, not %r' % (', '.join(_TASKS), task))
    opt = lib.nn_table_defaults()
    if delimiter is not None:
        opt.delimiter = delimiter.encode()
    if header is not None:
        opt.header = 1 if header else 0
    opt.comment = comment.encode() if comment else b'\0'
    if target is not None:
        opt.target = (','.join(map(str, target)) if isinstance(target, (list, tuple))
                      else str(target)).encode()
    opt.task = _TASKS[task]
    if max_rows is not None:
        opt.max_rows = int(max_rows)
    t = _lib.nn_table()
    rc = f(ctypes.byref(t), os.fsencode(path), ctypes.byref(opt))
    if rc < 0:
        detail = t.error.decode('utf-8', 'replace') or None
        lib.nn_table_free(ctypes.byref(t))
        raise exception(rc, detail, filename=path)
    try:
        kind = {1: 'classify', 2: 'regress', 3: 'none'}[t.task]
        feature_names = _strings(t.feature_names, t.x.rows)
        target_names = _strings(t.target_names, t.n_targets)
        class_names = _strings(t.class_names, t.n_classes)
        y = None
        if kind == 'classify':
            y = _arrays.wrap(t.labels.data, (t.labels.n,), np.int32, readonly=True).astype(np.int64)
        elif kind == 'regress':
            y = _arrays.wrap(t.y.data, (t.y.cols, t.y.rows), np.float64).copy()
            if y.shape[1] == 1:
                y = y[:, 0]
        X = _arrays.take_matrix(t.x)  # the features, without a copy
    finally:
        lib.nn_table_free(ctypes.byref(t))
    return Table(X, y, kind, feature_names, target_names, class_names)


def read_npy(path):
    """A .npy file read by libnn: a 2-D (N, d) array as (N, d) float64, a 1-D
    array of N values as (N, 1) (any numeric dtype, C or Fortran order)."""
    f = _lib.require('nn_npy_read', 'read_npy')
    path = os.fspath(path)
    m = _lib.nn_matrix()
    check(f(ctypes.byref(m), os.fsencode(path)), filename=path)
    return _arrays.take_matrix(m)


def write_npy(path, X):
    """Write an (N, d) array as a .npy file of float64 (np.load reads it back), atomically."""
    f = _lib.require('nn_npy_write', 'write_npy')
    path = os.fspath(path)
    X = np.asarray(X)
    if X.ndim == 1:
        X = X.reshape(-1, 1)
    X = _arrays.as_samples(X)
    m = _arrays.matrix(X)
    check(f(os.fsencode(path), ctypes.byref(m)), filename=path)
