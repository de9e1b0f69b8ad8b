"""The lecture's training loop on nn_gd: one C step per call, the lecture's printout."""

import ctypes
import warnings

from .. import _arrays, _lib
from ..errors import check, exception, NN_EDIVERGED

lib = _lib.lib


def gradient_descent(net, x, y, eta, num_steps, print_best, every=1000):
    """Train net on (x, y) by full-batch gradient descent with the lecture's
    summed quadratic cost; net holds the best model on return. Ctrl-C stops
    the training between two steps and returns as after the last step.
    Returns the nn_train_result."""
    X = _arrays.as_samples(x, 'x', n_features=net.n_inputs)
    labels = _arrays.as_labels(y, X.shape[0])
    m, lab = _arrays.matrix(X), _arrays.labels(labels)
    n = X.shape[0]
    num_steps = int(num_steps)
    if num_steps < 1:
        raise ValueError('num_steps must be >= 1, not %d' % num_steps)
    gd = ctypes.c_void_p()
    check(lib.nn_gd_new(ctypes.byref(gd), net._ptr, ctypes.byref(m), ctypes.byref(lab),
                        float(eta)))
    res = _lib.nn_train_result()
    step, result = lib.nn_gd_step, lib.nn_gd_result
    try:
        for i in range(num_steps):
            rc = step(gd)
            if rc == NN_EDIVERGED:
                warnings.warn('training diverged at step %d (%s); keeping the best model before '
                              'it: try a smaller eta' % (i, exception(rc)), RuntimeWarning)
                break
            check(rc)
            if print_best and i % every == 0:
                result(gd, ctypes.byref(res))
                print('Best by step %d: %.1f %%' % (i, res.best_correct * (100. / n)))
    except KeyboardInterrupt:
        # Ctrl-C between two steps: the lecture's loop has nothing to lose but
        # time, so stop there and hand back the best model so far.
        result(gd, ctypes.byref(res))
        print('Interrupted after %d steps: keeping the best model so far' % res.steps_run)
    finally:
        result(gd, ctypes.byref(res))
        # the best model so far, also when interrupted
        check(lib.nn_net_copy_params(net._ptr, lib.nn_gd_best(gd)))
        lib.nn_gd_free(gd)
    if print_best:
        print('Our best model gets %.1f percent correct!' % (100.0 * res.best_accuracy))
    return res
