"""scikit-learn's toy data generators and train_test_split, computed by libnn.

Same names, arguments, defaults and outputs as sklearn.datasets and
sklearn.model_selection: X is an (n_samples, n_features) float64 array
(the C library's matrix, handed over without a copy), y an int64 vector.
With random_state=k (an int) the numbers are scikit-learn's for
random_state=k, bit for bit (doc/datasets.md says where sin and cos may
differ in the last bit); pass one nn.RandomState to several calls to draw
them in sequence, as the lecture does from np.random's global state.
"""

import ctypes
import numbers

import numpy as np

from . import _arrays, _lib
from .errors import check
from .random import as_rng

lib = _lib.lib


def _count(n, name):
    if not isinstance(n, numbers.Integral) or isinstance(n, bool) or n < 1:
        raise ValueError('%s must be an integer >= 1, not %r' % (name, n))
    return int(n)


def _pair(n_samples, name='n_samples'):
    """(total, out, in) of scikit-learn's int-or-pair n_samples."""
    if isinstance(n_samples, numbers.Integral):
        return _count(n_samples, name), 0, 0
    try:
        out, inn = n_samples
    except (TypeError, ValueError):
        raise ValueError('%s must be an int or a two-element tuple, not %r'
                         % (name, n_samples))
    out, inn = int(out), int(inn)
    if out < 0 or inn < 0 or out + inn < 1:
        raise ValueError('%s must hold non-negative counts of at least 1 sample in all: %r'
                         % (name, n_samples))
    return out + inn, out, inn


def _run(fn, opt, rng):
    X, y = _lib.nn_matrix(), _lib.nn_labels()
    check(fn(ctypes.byref(X), ctypes.byref(y), ctypes.byref(opt), rng.handle))
    return _arrays.take_matrix(X), _arrays.take_labels(y)


def make_blobs(n_samples=100, n_features=2, *, centers=None, cluster_std=1.0,
               center_box=(-10.0, 10.0), shuffle=True, random_state=None,
               return_centers=False):
    """Isotropic Gaussian blobs: sklearn.datasets.make_blobs."""
    opt = lib.nn_blobs_defaults()
    rng = as_rng(random_state)
    keep = []
    if isinstance(n_samples, numbers.Integral):
        opt.n_samples = _count(n_samples, 'n_samples')
        n_centers = None
        if centers is None:
            centers = 3
    else:
        counts = np.ascontiguousarray(n_samples, dtype=np.uintp)
        if counts.ndim != 1 or len(counts) == 0:
            raise ValueError('n_samples must be an int or a sequence of counts per centre')
        n_centers = len(counts)
        keep.append(counts)
        opt.samples_per_center = ctypes.cast(counts.ctypes.data, _lib.c_size_t_p)
        opt.n_samples = int(counts.sum())
    if isinstance(centers, numbers.Integral):
        if n_centers is not None:
            raise ValueError('with n_samples a sequence, centers must be None or an array '
                             'of %d centres' % n_centers)
        n_centers = _count(centers, 'centers')
        centers = None
    opt.n_features = _count(n_features, 'n_features')
    box = tuple(float(v) for v in center_box)
    if centers is None:
        # Draw the centres here, from the same stream and in the order the
        # library (and scikit-learn) draws them, so that they can be returned.
        centers = rng.uniform(box[0], box[1], size=(n_centers, opt.n_features))
    centers = np.ascontiguousarray(centers, dtype=np.float64)
    if centers.ndim != 2 or (n_centers is not None and centers.shape[0] != n_centers):
        raise ValueError('centers must be an int or an array of %s centres by features, not '
                         'of shape %s' % (n_centers or 'n', centers.shape))
    n_centers, opt.n_features = centers.shape
    cm = _arrays.matrix(centers)
    keep.append(centers)
    opt.centers = ctypes.pointer(cm)
    opt.n_centers = n_centers
    if np.ndim(cluster_std) == 0:
        opt.cluster_std = float(cluster_std)
    else:
        stds = np.ascontiguousarray(cluster_std, dtype=np.float64)
        if stds.shape != (n_centers,):
            raise ValueError('cluster_std must be a number or %d numbers, one per centre'
                             % n_centers)
        keep.append(stds)
        opt.cluster_stds = ctypes.cast(stds.ctypes.data, _lib.c_double_p)
    opt.center_box[0], opt.center_box[1] = box
    opt.shuffle = bool(shuffle)
    X, y = _run(lib.nn_make_blobs, opt, rng)
    if return_centers:
        return X, y, centers.copy()
    return X, y


def make_circles(n_samples=100, *, shuffle=True, noise=None, random_state=None, factor=0.8):
    """A large circle holding a smaller one: sklearn.datasets.make_circles."""
    opt = lib.nn_circles_defaults()
    opt.n_samples, opt.n_outer, opt.n_inner = _pair(n_samples)
    opt.shuffle = bool(shuffle)
    if noise is not None:
        opt.has_noise, opt.noise = 1, float(noise)
    opt.factor = float(factor)
    return _run(lib.nn_make_circles, opt, as_rng(random_state))


def make_moons(n_samples=100, *, shuffle=True, noise=None, random_state=None):
    """Two interleaving half circles: sklearn.datasets.make_moons."""
    opt = lib.nn_moons_defaults()
    opt.n_samples, opt.n_outer, opt.n_inner = _pair(n_samples)
    opt.shuffle = bool(shuffle)
    if noise is not None:
        opt.has_noise, opt.noise = 1, float(noise)
    return _run(lib.nn_make_moons, opt, as_rng(random_state))


def make_classification(n_samples=100, n_features=20, *, n_informative=2, n_redundant=2,
                        n_repeated=0, n_classes=2, n_clusters_per_class=2, weights=None,
                        flip_y=0.01, class_sep=1.0, hypercube=True, shift=0.0, scale=1.0,
                        shuffle=True, random_state=None):
    """A random n-class problem: sklearn.datasets.make_classification."""
    opt = lib.nn_classification_defaults()
    opt.n_samples = _count(n_samples, 'n_samples')
    opt.n_features = _count(n_features, 'n_features')
    opt.n_informative = int(n_informative)
    opt.n_redundant = int(n_redundant)
    opt.n_repeated = int(n_repeated)
    opt.n_classes = int(n_classes)
    opt.n_clusters_per_class = int(n_clusters_per_class)
    keep = []

    def vector(v, name, n=None):
        a = np.ascontiguousarray(v, dtype=np.float64)
        if a.ndim != 1 or (n is not None and len(a) != n):
            raise ValueError('%s must be %s numbers' % (name, n if n else 'a vector of'))
        keep.append(a)
        return ctypes.cast(a.ctypes.data, _lib.c_double_p), len(a)
    if weights is not None:
        opt.weights, opt.n_weights = vector(weights, 'weights')
    opt.flip_y = float(flip_y)
    opt.class_sep = float(class_sep)
    opt.hypercube = bool(hypercube)
    for name, value in (('shift', shift), ('scale', scale)):
        # None: drawn per feature; a number: for every feature; else one per feature
        if value is None:
            setattr(opt, 'random_' + name, 1)
        elif np.ndim(value) == 0:
            setattr(opt, name, float(value))
        else:
            setattr(opt, name + 's', vector(value, name, opt.n_features)[0])
    opt.shuffle = bool(shuffle)
    return _run(lib.nn_make_classification, opt, as_rng(random_state))


def split_indices(n_samples, *, test_size=None, train_size=None, random_state=None,
                  shuffle=True, stratify=None):
    """The train and test indices train_test_split uses, in its order (int64 arrays)."""
    opt = lib.nn_split_defaults()
    for size, frac, count, name in ((test_size, 'test_size', 'test_count', 'test_size'),
                                    (train_size, 'train_size', 'train_count', 'train_size')):
        if size is None:
            continue
        if isinstance(size, numbers.Integral) and not isinstance(size, bool):
            if size < 1:
                raise ValueError('%s=%d should be either positive and smaller than the number '
                                 'of samples %d or a float in the (0, 1) range'
                                 % (name, size, n_samples))
            setattr(opt, count, int(size))
        else:
            setattr(opt, frac, float(size))
    opt.shuffle = bool(shuffle)
    strat = None
    if stratify is not None:
        classes, ids = np.unique(np.asarray(stratify), return_inverse=True)
        ids = np.ascontiguousarray(ids, dtype=np.int32)
        if len(ids) != n_samples:
            raise ValueError('stratify holds %d labels for %d samples' % (len(ids), n_samples))
        strat = _arrays.labels(ids)
        opt.stratify = ctypes.pointer(strat)
    rng = as_rng(random_state) if shuffle else None
    tr, te = ctypes.POINTER(ctypes.c_size_t)(), ctypes.POINTER(ctypes.c_size_t)()
    ntr, nte = ctypes.c_size_t(), ctypes.c_size_t()
    check(lib.nn_split_indices(ctypes.byref(tr), ctypes.byref(ntr), ctypes.byref(te),
                               ctypes.byref(nte), int(n_samples), ctypes.byref(opt),
                               rng.handle if rng else None))
    try:
        train = np.ctypeslib.as_array(tr, (ntr.value,)).astype(np.int64)
        test = np.ctypeslib.as_array(te, (nte.value,)).astype(np.int64)
    finally:
        _lib.free(ctypes.cast(tr, ctypes.c_void_p))
        _lib.free(ctypes.cast(te, ctypes.c_void_p))
    return train, test


def train_test_split(*arrays, test_size=None, train_size=None, random_state=None,
                     shuffle=True, stratify=None):
    """Split arrays into train and test sets: sklearn.model_selection.train_test_split.
    Returns [a_train, a_test for each a], as numpy arrays (rows taken by index)."""
    if not arrays:
        raise ValueError('At least one array required as input')
    arrays = [np.asarray(a) for a in arrays]
    n = len(arrays[0])
    for a in arrays[1:]:
        if len(a) != n:
            raise ValueError('Found input variables with inconsistent numbers of samples: %r'
                             % [len(b) for b in arrays])
    train, test = split_indices(n, test_size=test_size, train_size=train_size,
                                random_state=random_state, shuffle=shuffle, stratify=stratify)
    out = []
    for a in arrays:
        out += [a[train], a[test]]
    return out
