"""The C library through ctypes: finding libnn, its structs and prototypes.

Why ctypes rather than cffi: ctypes is part of Python, so the package needs
nothing but numpy (cffi's ABI mode would add python3-cffi and pycparser, and
parse a cdef at every import); both call the same functions the same way,
and ctypes' foreign functions release the GIL for the duration of every call
(CDLL, not PyDLL), which is what lets training and prediction run while
other Python threads do. Neither can check a struct layout against the
compiler in ABI mode, so the test suite does: a small C program prints
sizeof/offsetof of every struct mirrored here and tests/test_layout.py holds
these classes against it.

The structs follow include/nn/*.h field for field (the headers are the
contract); enums are C ints.
"""

import ctypes
import ctypes.util
import os

from ctypes import (CFUNCTYPE, POINTER, Structure, c_char, c_char_p, c_double, c_int,
                    c_size_t, c_uint32, c_uint64, c_void_p, c_int64)

c_double_p = POINTER(c_double)
c_int_p = POINTER(c_int)
c_size_t_p = POINTER(c_size_t)

NN_ALL = ctypes.c_size_t(-1).value  # SIZE_MAX


# ---- finding libnn ---------------------------------------------------------

def _candidates():
    """Where libnn may be, in the order tried (see doc/python.md)."""
    env = os.environ.get('NN_LIBRARY')
    if env:
        # an explicit choice is the only one tried: a test of the build tree
        # must never fall back to an installed copy
        return [env]
    out = []
    try:
        from . import _config
        if _config.LIBDIR:
            out.append(os.path.join(_config.LIBDIR, 'libnn.so.' + _config.SOVERSION))
    except ImportError:  # the source tree, not installed: no _config.py
        pass
    found = ctypes.util.find_library('nn')
    if found:
        out.append(found)
    out.append('libnn.so.0')
    return out


def _load():
    errors = []
    for path in _candidates():
        try:
            return ctypes.CDLL(path), path
        except OSError as e:
            errors.append('%s: %s' % (path, e))
    raise ImportError('nn: cannot load the C library libnn (set NN_LIBRARY to the path of '
                      'libnn.so.0, or install nn and run ldconfig):\n  ' + '\n  '.join(errors))


lib, path = _load()


# ---- structs ---------------------------------------------------------------

class nn_matrix(Structure):
    # data as void *: an address (int) in and out, without a cast per call
    _fields_ = [('rows', c_size_t), ('cols', c_size_t), ('ld', c_size_t),
                ('data', c_void_p), ('owner', c_int)]


class nn_labels(Structure):
    _fields_ = [('n', c_size_t), ('data', c_void_p), ('owner', c_int)]


class nn_shape(Structure):
    _fields_ = [('channels', c_size_t), ('height', c_size_t), ('width', c_size_t)]


class nn_layer(Structure):
    _fields_ = [('type', c_int), ('units', c_size_t), ('kernel', c_size_t),
                ('stride', c_size_t), ('padding', c_int), ('act', c_int), ('rate', c_double)]


class nn_metrics(Structure):
    _fields_ = [('n', c_size_t), ('cost', c_double), ('correct', c_size_t),
                ('accuracy', c_double), ('mse', c_double), ('rmse', c_double),
                ('mae', c_double), ('r2', c_double)]


class nn_optim_options(Structure):
    _fields_ = [('kind', c_int), ('momentum', c_double), ('beta1', c_double),
                ('beta2', c_double), ('epsilon', c_double), ('l2', c_double)]


nn_train_reduce = CFUNCTYPE(c_int, c_void_p, c_double_p, c_size_t, c_int)


class nn_dist(Structure):
    _fields_ = [('reduce', nn_train_reduce), ('user', c_void_p),
                ('shard_first', c_size_t), ('shard_total', c_size_t)]


class nn_epoch_stats(Structure):
    _fields_ = [('epoch', c_size_t)] + [(name, c_double) for name in (
        'seconds', 'eta', 'train_cost', 'train_accuracy', 'val_cost', 'val_accuracy',
        'train_mse', 'train_mae', 'train_r2', 'val_mse', 'val_mae', 'val_r2')]


nn_epoch_callback = CFUNCTYPE(c_int, c_void_p, POINTER(nn_epoch_stats))


class nn_fit_options(Structure):
    _fields_ = [('optim', nn_optim_options), ('eta', c_double), ('schedule', c_int),
                ('step_epochs', c_size_t), ('gamma', c_double), ('eta_min', c_double),
                ('batch_size', c_size_t), ('epochs', c_size_t), ('shuffle', c_int),
                ('dropout', c_double), ('val_x', POINTER(nn_matrix)),
                ('val_y', POINTER(nn_labels)), ('val_values', POINTER(nn_matrix)),
                ('patience', c_size_t), ('resume', c_void_p),
                ('callback', nn_epoch_callback), ('user', c_void_p), ('dist', nn_dist),
                ('input', c_int)]


class nn_history(Structure):
    _fields_ = [('n', c_size_t), ('epochs', POINTER(nn_epoch_stats)),
                ('best_epoch', c_size_t), ('stopped_early', c_int), ('task', c_int)]


class nn_progress(Structure):
    _fields_ = [('step', c_size_t), ('cost', c_double), ('best_step', c_size_t),
                ('best_correct', c_size_t), ('samples', c_size_t),
                ('best_accuracy', c_double)]


nn_train_callback = CFUNCTYPE(c_int, c_void_p, POINTER(nn_progress))


class nn_train_options(Structure):
    _fields_ = [('eta', c_double), ('steps', c_size_t), ('every', c_size_t),
                ('callback', nn_train_callback), ('user', c_void_p), ('input', c_int),
                ('threads', c_size_t), ('dist', nn_dist)]


class nn_train_result(Structure):
    _fields_ = [('steps_run', c_size_t), ('best_step', c_size_t),
                ('best_correct', c_size_t), ('best_accuracy', c_double),
                ('best_cost', c_double), ('last_cost', c_double)]


class nn_model_state(Structure):
    _fields_ = [('kind', c_uint32), ('step', c_uint64), ('n', c_size_t),
                ('data', c_void_p)]


NN_MNIST_ERROR_LEN = 256


class nn_mnist_options(Structure):
    _fields_ = [('max_train', c_size_t), ('max_test', c_size_t), ('scale', c_double),
                ('first_train', c_size_t)]


class nn_mnist(Structure):
    _fields_ = [('train_x', nn_matrix), ('train_y', nn_labels), ('test_x', nn_matrix),
                ('test_y', nn_labels), ('rows', c_size_t), ('cols', c_size_t),
                ('error', c_char * NN_MNIST_ERROR_LEN)]


class nn_blobs_options(Structure):
    _fields_ = [('n_samples', c_size_t), ('samples_per_center', c_size_t_p),
                ('n_features', c_size_t), ('n_centers', c_size_t),
                ('centers', POINTER(nn_matrix)), ('cluster_std', c_double),
                ('cluster_stds', c_double_p), ('center_box', c_double * 2), ('shuffle', c_int)]


class nn_circles_options(Structure):
    _fields_ = [('n_samples', c_size_t), ('n_outer', c_size_t), ('n_inner', c_size_t),
                ('shuffle', c_int), ('has_noise', c_int), ('noise', c_double),
                ('factor', c_double)]


class nn_moons_options(Structure):
    _fields_ = [('n_samples', c_size_t), ('n_outer', c_size_t), ('n_inner', c_size_t),
                ('shuffle', c_int), ('has_noise', c_int), ('noise', c_double)]


class nn_classification_options(Structure):
    _fields_ = [('n_samples', c_size_t), ('n_features', c_size_t),
                ('n_informative', c_size_t), ('n_redundant', c_size_t),
                ('n_repeated', c_size_t), ('n_classes', c_size_t),
                ('n_clusters_per_class', c_size_t), ('weights', c_double_p),
                ('n_weights', c_size_t), ('flip_y', c_double), ('class_sep', c_double),
                ('hypercube', c_int), ('shift', c_double), ('shifts', c_double_p),
                ('random_shift', c_int), ('scale', c_double), ('scales', c_double_p),
                ('random_scale', c_int), ('shuffle', c_int)]


class nn_split_options(Structure):
    _fields_ = [('test_size', c_double), ('test_count', c_size_t),
                ('train_size', c_double), ('train_count', c_size_t), ('shuffle', c_int),
                ('stratify', POINTER(nn_labels))]


NN_TABLE_ERROR_LEN = 256


class nn_table_options(Structure):
    _fields_ = [('delimiter', c_char), ('header', c_int), ('comment', c_char),
                ('target', c_char_p), ('task', c_int), ('max_rows', c_size_t),
                ('ignore', c_char_p)]


class nn_table(Structure):
    _fields_ = [('x', nn_matrix), ('labels', nn_labels), ('y', nn_matrix),
                ('n_classes', c_size_t), ('feature_names', POINTER(c_char_p)),
                ('target_names', POINTER(c_char_p)), ('class_names', POINTER(c_char_p)),
                ('n_targets', c_size_t), ('task', c_int),
                ('error', c_char * NN_TABLE_ERROR_LEN)]


#: every struct mirrored here, by its C name (tests/test_layout.py)
STRUCTS = {cls.__name__: cls for cls in (
    nn_matrix, nn_labels, nn_shape, nn_layer, nn_metrics, nn_optim_options, nn_dist,
    nn_epoch_stats, nn_fit_options, nn_history, nn_progress, nn_train_options,
    nn_train_result, nn_model_state, nn_mnist_options, nn_mnist, nn_blobs_options,
    nn_circles_options, nn_moons_options, nn_classification_options, nn_split_options,
    nn_table_options, nn_table)}


# ---- prototypes ------------------------------------------------------------

P = c_void_p  # an opaque handle: nn_net *, nn_rng *, nn_fitter *, ...
PP = POINTER(c_void_p)
M = POINTER(nn_matrix)
L = POINTER(nn_labels)

_PROTOTYPES = {
    # common.h, version.h
    'nn_strerror': (c_char_p, [c_int]),
    'nn_last_error': (c_char_p, []),
    'nn_error_message': (c_char_p, [c_int]),
    'nn_version': (c_char_p, []),
    # matrix.h
    'nn_matrix_free': (None, [M]),
    'nn_labels_free': (None, [L]),
    # random.h
    'nn_rng_new': (c_int, [PP, c_uint32]),
    'nn_rng_free': (None, [P]),
    'nn_rng_seed': (None, [P, c_uint32]),
    'nn_rng_uint32': (c_uint32, [P]),
    'nn_rng_random': (c_double, [P]),
    'nn_rng_uniform': (c_double, [P, c_double, c_double]),
    'nn_rng_gauss': (c_double, [P]),
    'nn_rng_normal': (c_double, [P, c_double, c_double]),
    'nn_rng_interval': (c_uint64, [P, c_uint64]),
    'nn_rng_randint': (c_int, [P, c_int64, c_int64, POINTER(c_int64)]),
    'nn_rng_permutation': (None, [P, c_void_p, c_size_t]),
    # net.h
    'nn_net_new': (c_int, [PP, c_size_t, c_size_t_p, c_int_p]),
    'nn_net_parse': (c_int, [PP, c_char_p, c_int, c_int]),
    'nn_net_describe': (c_size_t, [c_char_p, c_size_t, P]),
    'nn_net_input_shape': (nn_shape, [P]),
    'nn_net_layer': (c_int, [POINTER(nn_layer), POINTER(nn_shape), P, c_size_t]),
    'nn_net_free': (None, [P]),
    'nn_net_clone': (c_int, [PP, P]),
    'nn_net_copy_params': (c_int, [P, P]),
    'nn_net_layers': (c_size_t, [P]),
    'nn_net_width': (c_size_t, [P, c_size_t]),
    'nn_net_activation': (c_int, [P, c_size_t]),
    'nn_net_set_cost': (c_int, [P, c_int]),
    'nn_net_cost': (c_int, [P]),
    'nn_net_param_count': (c_size_t, [P]),
    'nn_net_params': (c_void_p, [P]),
    'nn_net_params_f32': (c_void_p, [P]),
    'nn_net_set_precision': (c_int, [P, c_int]),
    'nn_net_precision': (c_int, [P]),
    'nn_net_weights': (c_int, [M, P, c_size_t]),
    'nn_net_bias': (c_int, [M, P, c_size_t]),
    'nn_net_init_randn': (c_int, [P, P]),
    'nn_net_init_random': (c_int, [P, P]),
    'nn_net_init_default': (c_int, [P, P]),
    'nn_net_init_glorot': (c_int, [P, P]),
    'nn_net_init_he': (c_int, [P, P]),
    'nn_net_init_orthogonal': (c_int, [P, P, c_double]),
    'nn_net_task': (c_int, [P]),
    'nn_net_set_task': (c_int, [P, c_int]),
    'nn_net_fit_scaling': (c_int, [P, c_int, M]),
    'nn_net_set_scaling': (c_int, [P, c_int, c_void_p, c_void_p]),
    'nn_net_scaling': (c_int, [P, PP, PP]),
    'nn_net_set_names': (c_int, [P, c_int, c_size_t, POINTER(c_char_p)]),
    'nn_net_name': (c_char_p, [P, c_int, c_size_t]),
    'nn_net_names_count': (c_size_t, [P, c_int]),
    'nn_predict': (c_int, [c_void_p, P, P, M]),
    'nn_predict_values': (c_int, [M, P, P, M]),
    'nn_evaluate': (c_int, [c_double_p, c_size_t_p, P, P, M, L]),
    'nn_evaluate_values': (c_int, [POINTER(nn_metrics), P, P, M, M]),
    # train.h
    'nn_gd_new': (c_int, [PP, P, M, L, c_double]),
    'nn_gd_new_values': (c_int, [PP, P, M, M, c_double]),
    'nn_gd_set_input': (c_int, [P, c_int]),
    'nn_gd_free': (None, [P]),
    'nn_gd_step': (c_int, [P]),
    'nn_gd_result': (None, [P, POINTER(nn_train_result)]),
    'nn_gd_best': (P, [P]),
    # fit.h, optim.h
    'nn_fit_defaults': (nn_fit_options, []),
    'nn_optim_defaults': (nn_optim_options, []),
    'nn_fitter_new': (c_int, [PP, P, M, L, POINTER(nn_fit_options), P]),
    'nn_fitter_new_values': (c_int, [PP, P, M, M, POINTER(nn_fit_options), P]),
    'nn_fitter_batch': (c_int, [P]),
    'nn_fitter_epoch': (c_int, [P, POINTER(nn_epoch_stats)]),
    'nn_fitter_done': (c_int, [P]),
    'nn_fitter_input': (c_int, [P]),
    'nn_fitter_finish': (c_int, [P, POINTER(nn_history)]),
    'nn_fitter_free': (None, [P]),
    'nn_history_free': (None, [POINTER(nn_history)]),
    # model.h
    'nn_model_save': (c_int, [c_char_p, P, POINTER(nn_model_state)]),
    'nn_model_load': (c_int, [PP, POINTER(nn_model_state), c_char_p]),
    'nn_model_save_buffer': (c_int, [PP, POINTER(c_size_t), P, POINTER(nn_model_state)]),
    'nn_model_load_buffer': (c_int, [PP, POINTER(nn_model_state), c_void_p, c_size_t]),
    'nn_model_state_free': (None, [POINTER(nn_model_state)]),
    # datasets.h
    'nn_blobs_defaults': (nn_blobs_options, []),
    'nn_circles_defaults': (nn_circles_options, []),
    'nn_moons_defaults': (nn_moons_options, []),
    'nn_classification_defaults': (nn_classification_options, []),
    'nn_split_defaults': (nn_split_options, []),
    'nn_make_blobs': (c_int, [M, L, POINTER(nn_blobs_options), P]),
    'nn_make_circles': (c_int, [M, L, POINTER(nn_circles_options), P]),
    'nn_make_moons': (c_int, [M, L, POINTER(nn_moons_options), P]),
    'nn_make_classification': (c_int, [M, L, POINTER(nn_classification_options), P]),
    'nn_split_indices': (c_int, [POINTER(c_size_t_p), c_size_t_p, POINTER(c_size_t_p),
                                 c_size_t_p, c_size_t, POINTER(nn_split_options), P]),
    # mnist.h
    'nn_mnist_defaults': (nn_mnist_options, []),
    'nn_mnist_load': (c_int, [POINTER(nn_mnist), c_char_p, POINTER(nn_mnist_options)]),
    'nn_mnist_free': (None, [POINTER(nn_mnist)]),
    'nn_idx_read_images': (c_int, [M, c_char_p, c_size_t, c_double]),
    'nn_idx_read_labels': (c_int, [L, c_char_p, c_size_t]),
    # table.h (the CSV/TSV and .npy readers; absent from older builds)
    'nn_table_defaults': (nn_table_options, []),
    'nn_table_read': (c_int, [POINTER(nn_table), c_char_p, POINTER(nn_table_options)]),
    'nn_table_free': (None, [POINTER(nn_table)]),
    'nn_npy_read': (c_int, [M, c_char_p]),
    'nn_npy_write': (c_int, [c_char_p, M]),
}

#: the functions this libnn lacks (an older build): calling them raises NotImplementedError
missing = set()


def _declare():
    for name, (restype, argtypes) in _PROTOTYPES.items():
        try:
            f = getattr(lib, name)
        except AttributeError:
            missing.add(name)
            continue
        f.restype = restype
        f.argtypes = argtypes


_declare()


def has(name):
    """Whether this libnn exports the function `name`."""
    return name not in missing


def require(name, what):
    """Raise NotImplementedError unless this libnn exports `name`."""
    if name in missing:
        raise NotImplementedError('%s needs %s(), which this libnn (%s) does not export: '
                                  'a newer nn is needed' % (what, name, path))
    return getattr(lib, name)


def free_native():
    """free() of the C library, for memory nn hands over with malloc (nn_split_indices)."""
    libc = ctypes.CDLL(None)
    libc.free.argtypes = [c_void_p]
    libc.free.restype = None
    return libc.free


free = free_native()
