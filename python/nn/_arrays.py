"""numpy arrays as nn matrices and labels: zero-copy where the layout allows.

nn's matrix is column-major with one sample per column: element (i, j) at
data[i + j * ld]. A numpy array of N samples by d features whose rows are
contiguous float64 -- strides (8 * ld, 8) with ld >= d -- is therefore
nn's d x N matrix as it stands: a C-ordered array (ld = d), and also a row
slice X[::k] (ld = k d) or a column slice X[:, :m] (ld = d). Such an input
is passed by its address, never copied. Anything else -- Fortran order,
float32 or integers, reversed or non-float64 strides, a non-native byte
order, a list -- is copied once into a C-ordered float64 array
(np.ascontiguousarray), which is what nn then reads.

Shapes and dtypes are checked here, before any C call, with the messages
scikit-learn gives for the same mistakes; values (NaN, Inf) are checked by
the library itself, which reads them anyway.
"""

import ctypes

import numpy as np

from . import _lib
from .errors import NonFiniteError

_F8 = np.dtype(np.float64)


def is_sparse(X):
    """A scipy.sparse matrix or array, told without importing scipy."""
    return type(X).__module__.startswith('scipy.sparse') and hasattr(X, 'toarray')


def _leading_dimension(X):
    """ld of an (N, d) array as nn's d x N matrix without a copy, or 0 when it needs one."""
    if X.dtype != _F8 or not X.dtype.isnative or not X.flags.aligned:
        return 0
    n, d = X.shape
    s0, s1 = X.strides
    if d > 1 and s1 != 8:
        return 0
    if n == 1:
        return d
    if s0 <= 0 or s0 % 8 or s0 // 8 < d:
        return 0
    return s0 // 8


def as_samples(X, name='X', n_features=None, estimator=None):
    """X as an (N, d) float64 array nn can read by address (a view when it
    already is one, else one C-ordered copy), after checking its shape.

    :param n_features: the width required (a fitted model's input), or None.
    :param estimator: the name messages use for the model.
    """
    # the common case first, in a few attribute reads (predict on one sample)
    if (type(X) is np.ndarray and X.dtype is _F8 and X.ndim == 2 and X.flags.c_contiguous and
            X.flags.aligned and X.size and (n_features is None or X.shape[1] == n_features)):
        return X
    if is_sparse(X):
        raise TypeError('%s is a scipy.sparse matrix: nn takes dense arrays (sparse input '
                        'is not supported); give %s.toarray()' % (name, name))
    if not isinstance(X, np.ndarray) or X.dtype != _F8:
        if X is None:
            raise ValueError('%s is None: expected a 2-D array of samples' % name)
        X = np.asarray(X)
        if X.dtype.kind == 'c':
            raise ValueError('Complex data not supported: %s is %s' % (name, X.dtype))
        if X.dtype.kind not in 'biufO':
            raise ValueError('%s has dtype %s: nn takes numbers' % (name, X.dtype))
    if X.ndim != 2:
        raise ValueError(
            'Expected 2D array, got %s instead: %s has shape %s. Reshape your data: '
            '%s.reshape(-1, 1) if it has a single feature, %s.reshape(1, -1) if it is a '
            'single sample' % ('scalar array' if X.ndim == 0 else '%dD array' % X.ndim, name,
                               X.shape, name, name))
    n, d = X.shape
    if n == 0:
        raise ValueError('Found array with 0 sample(s) (shape=%s) while a minimum of 1 is '
                         'required.' % (X.shape,))
    if d == 0:
        raise ValueError('Found array with 0 feature(s) (shape=%s) while a minimum of 1 is '
                         'required.' % (X.shape,))
    if n_features is not None and d != n_features:
        raise ValueError('X has %d features, but %s is expecting %d features as input.'
                         % (d, estimator or 'the network', n_features))
    if not _leading_dimension(X):
        X = np.ascontiguousarray(X, dtype=_F8)  # the one documented copy
    return X


_byte = ctypes.c_char


def address(a):
    """The address of an array's first element (a C-contiguous writable array in
    a third of the time of a.ctypes.data, which the others take)."""
    try:
        return ctypes.addressof(_byte.from_buffer(a))
    except (TypeError, ValueError, BufferError):
        return a.ctypes.data


def matrix(X):
    """nn_matrix view of an array accepted by as_samples (it must outlive the call)."""
    n, d = X.shape
    return _lib.nn_matrix(d, n, X.strides[0] >> 3 if n > 1 else d, address(X), 0)


def labels(y):
    """nn_labels view of a C-contiguous int32 (C int) vector."""
    assert y.dtype == np.int32 and y.flags.c_contiguous
    return _lib.nn_labels(len(y), address(y), 0)


def as_labels(y, n=None, name='y'):
    """y as a C-contiguous int32 vector of class ids (a copy unless it already is one)."""
    y = np.asarray(y)
    if y.ndim != 1:
        raise ValueError('%s must be a 1-D array of class ids, not of shape %s' % (name, y.shape))
    if n is not None and len(y) != n:
        raise ValueError('Found input variables with inconsistent numbers of samples: '
                         '[%d, %d]' % (n, len(y)))
    if y.dtype.kind not in 'biu':
        if y.dtype.kind == 'f' and np.all(np.isfinite(y)) and np.all(y == np.round(y)):
            pass
        else:
            raise ValueError('%s must hold integer class ids, not %s' % (name, y.dtype))
    if len(y) and (y.min() < 0 or y.max() > np.iinfo(np.int32).max):
        raise ValueError('%s holds a class id outside [0, 2^31): %d'
                         % (name, y.min() if y.min() < 0 else y.max()))
    return np.ascontiguousarray(y, dtype=np.int32)


class _Owner:
    """A numpy base that frees C memory when the last array over it goes."""

    def __init__(self, interface, free):
        self.__array_interface__ = interface
        self._free = free

    def __del__(self):
        free, self._free = self._free, None
        if free is not None:
            free()


def wrap(address, shape, dtype, keep=None, free=None, readonly=False):
    """An array over memory nn owns, without a copy: `keep` (an object) stays
    alive as long as the array, and `free` (a function) runs when it goes."""
    dtype = np.dtype(dtype)
    interface = {'version': 3, 'shape': tuple(shape), 'typestr': dtype.str,
                 'data': (address, readonly)}
    owner = _Owner(interface, free)
    owner.keep = keep
    return np.asarray(owner)


def take_matrix(m):
    """An owning nn_matrix (d x N, ld = d) as an (N, d) array, without a copy:
    the matrix is freed with the array."""
    if not m.data or not m.cols:
        _lib.lib.nn_matrix_free(m)
        return np.empty((0, m.rows), dtype=_F8)
    assert m.ld == m.rows
    holder = _lib.nn_matrix(m.rows, m.cols, m.ld, m.data, m.owner)
    m.owner = 0
    return wrap(holder.data, (holder.cols, holder.rows), _F8,
                free=lambda: _lib.lib.nn_matrix_free(holder))


def take_labels(y, dtype=np.int64):
    """An owning nn_labels as a numpy vector of `dtype` (a copy: labels are small,
    and int64 is what numpy and scikit-learn give), freeing the C labels."""
    try:
        if not y.data or not y.n:
            return np.empty(0, dtype=dtype)
        view = wrap(y.data, (y.n,), np.int32, readonly=True)
        return view.astype(dtype)
    finally:
        _lib.lib.nn_labels_free(y)


def check_finite(X, name='X'):
    """Refuse NaN or Inf (for the places nn does not read the values itself)."""
    if not np.all(np.isfinite(X)):
        raise NonFiniteError('%s holds NaN or Inf' % name, -5)
