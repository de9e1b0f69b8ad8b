"""nn.MLPClassifier and nn.MLPRegressor: scikit-learn's estimators, trained by libnn.

The parameters that scikit-learn's MLPClassifier and MLPRegressor have and
that mean the same thing here keep their names and defaults; nn adds its
own (cost, dropout, scaling, precision, callback). What each maps to in the
C library (doc/python.md has the details):

- solver 'adam' (beta_1, beta_2, epsilon) is nn's Adam; 'sgd' is SGD, or
  momentum / Nesterov momentum (momentum, nesterovs_momentum); 'lbfgs' is
  not offered.
- alpha, scikit-learn's L2 penalty alpha/2 ||W||^2 added to the SUM of the
  batch's losses before dividing by the batch size B, is nn's weight decay
  l2 = alpha / B on the batch MEAN: the same gradient, mean(dC/dW) +
  (alpha/B) W, for every full batch. (The last, shorter batch of an epoch
  has l2 = alpha / B too, where scikit-learn divides by its own size.)
- batch_size 'auto' is min(200, n_samples); max_iter is the number of epochs;
  tol and n_iter_no_change stop training as scikit-learn does, on the
  training loss, or with early_stopping on the validation score (accuracy,
  R^2) of a validation_fraction split -- stratified for classes, drawn from
  the same random stream -- whose best weights are kept.
- learning_rate 'constant' (scikit-learn's only schedule with adam), or nn's
  'step', 'exponential', 'cosine' schedules.
- Initial weights: nn's default (He for ReLU layers, Glorot otherwise) from
  random_state.
- precision 'float32': libnn's binary32 networks (nn_net_set_precision):
  parameters, products (sgemm) and optimiser state in float, coefs_ float32
  views; inputs are passed as float64 all the same (libnn takes doubles and
  converts each batch as it gathers it).

Training is driven batch by batch from Python through nn_fitter: the GIL is
released during each batch (ctypes releases it for every call) and Ctrl-C
(KeyboardInterrupt) or the callback returning True stops the fit between
two batches. On KeyboardInterrupt the estimator keeps the best model so far
(the best validation score with early_stopping, else the lowest training
loss of a finished epoch), is fitted, and the exception propagates.

coefs_ and intercepts_ are VIEWS of the network's parameters (writing them
changes the model); predictions come from the C library.
"""

import ctypes
import inspect
import warnings

import numpy as np

from . import _arrays, _lib
from .errors import (DataConversionWarning, ConvergenceWarning, DivergedError, check,
                     exception, not_fitted, warning_class, NN_EDIVERGED)
from .network import Network, load as _load_network, precision_id
from .random import as_rng

lib = _lib.lib

_OPT_SGD, _OPT_MOMENTUM, _OPT_NESTEROV, _OPT_ADAM = 1, 2, 3, 4
_SCHEDULES = {'constant': 0, 'step': 1, 'exponential': 2, 'cosine': 3}
_HIDDEN = {'identity': 'identity', 'logistic': 'sigmoid', 'sigmoid': 'sigmoid',
           'tanh': 'tanh', 'relu': 'relu', 'leaky_relu': 'leaky-relu'}


class _Params:
    """get_params / set_params / repr the way scikit-learn's BaseEstimator does them."""

    @classmethod
    def _get_param_names(cls):
        sig = inspect.signature(cls.__init__)
        return sorted(p.name for p in sig.parameters.values()
                      if p.name != 'self' and p.kind != p.VAR_KEYWORD)

    def get_params(self, deep=True):
        return {name: getattr(self, name) for name in self._get_param_names()}

    def set_params(self, **params):
        valid = self._get_param_names()
        for key, value in params.items():
            if key not in valid:
                raise ValueError('Invalid parameter %r for estimator %s. Valid parameters are: '
                                 '%r.' % (key, self, valid))
            setattr(self, key, value)
        return self

    def __repr__(self):
        defaults = {p.name: p.default for p in
                    inspect.signature(type(self).__init__).parameters.values()}
        args = []
        for name in self._get_param_names():
            value = getattr(self, name)
            if not (value is defaults.get(name) or
                    (type(value) == type(defaults.get(name)) and value == defaults.get(name))):
                args.append('%s=%r' % (name, value))
        return '%s(%s)' % (type(self).__name__, ', '.join(args))


class _BaseMLP(_Params):

    def __init__(self, hidden_layer_sizes=(100,), activation='relu', *, solver='adam',
                 alpha=0.0001, batch_size='auto', learning_rate='constant',
                 learning_rate_init=0.001, max_iter=200, shuffle=True, random_state=None,
                 tol=1e-4, verbose=False, warm_start=False, momentum=0.9,
                 nesterovs_momentum=True, early_stopping=False, validation_fraction=0.1,
                 beta_1=0.9, beta_2=0.999, epsilon=1e-8, n_iter_no_change=10,
                 cost=None, dropout=0.0, scaling=None, precision='float64', callback=None):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.solver = solver
        self.alpha = alpha
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.learning_rate_init = learning_rate_init
        self.max_iter = max_iter
        self.shuffle = shuffle
        self.random_state = random_state
        self.tol = tol
        self.verbose = verbose
        self.warm_start = warm_start
        self.momentum = momentum
        self.nesterovs_momentum = nesterovs_momentum
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.n_iter_no_change = n_iter_no_change
        self.cost = cost
        self.dropout = dropout
        self.scaling = scaling
        self.precision = precision
        self.callback = callback

    # ---- fitted state ----

    def __sklearn_is_fitted__(self):
        return getattr(self, '_network', None) is not None

    def _fitted(self):
        net = getattr(self, '_network', None)
        if net is None:
            raise not_fitted('This %s instance is not fitted yet. Call \'fit\' with '
                                 'appropriate arguments before using this estimator.'
                                 % type(self).__name__)
        return net

    @property
    def network_(self):
        """The trained nn.Network (shared, not a copy)."""
        return self._fitted()

    @property
    def coefs_(self):
        """[W_l.T], each (n_in, n_out): views of the network's weights."""
        return self._fitted().coefs

    @coefs_.setter
    def coefs_(self, values):
        _assign(self._fitted().coefs, values, 'coefs_')

    @property
    def intercepts_(self):
        """[b_l], each (n_out,): views of the network's biases."""
        return self._fitted().intercepts

    @intercepts_.setter
    def intercepts_(self, values):
        _assign(self._fitted().intercepts, values, 'intercepts_')

    @property
    def n_layers_(self):
        return self._fitted().n_layers + 1

    @property
    def n_outputs_(self):
        return self._fitted().n_outputs

    def save(self, path):
        """Write the model file the C programs read (nn-mnist --load-model)."""
        self._fitted().save(path)

    def _more_tags(self):
        return {'poor_score': False}

    # ---- validation ----

    def _check_params(self):
        sizes = self.hidden_layer_sizes
        if isinstance(sizes, (int, np.integer)):
            sizes = (sizes,)
        try:
            sizes = [int(s) for s in sizes]
        except TypeError:
            raise ValueError('hidden_layer_sizes must be a sequence of ints, not %r'
                             % (self.hidden_layer_sizes,))
        if any(s < 1 for s in sizes):
            raise ValueError('hidden_layer_sizes must be > 0, got %s.' % sizes)
        if self.activation not in _HIDDEN:
            raise ValueError("The activation '%s' is not supported. Supported activations "
                             'are %s.' % (self.activation, sorted(_HIDDEN)))
        if self.solver not in ('adam', 'sgd'):
            raise ValueError("solver %r is not offered by nn: use 'adam' or 'sgd'"
                             % (self.solver,))
        if self.learning_rate not in _SCHEDULES:
            raise ValueError("learning_rate %r is not offered by nn: 'constant', or nn's "
                             "'step', 'exponential', 'cosine'" % (self.learning_rate,))
        if not (isinstance(self.max_iter, (int, np.integer)) and self.max_iter >= 1):
            raise ValueError('max_iter must be an int >= 1, got %r.' % (self.max_iter,))
        for name in ('alpha', 'tol'):
            if not getattr(self, name) >= 0:
                raise ValueError('%s must be >= 0, got %r.' % (name, getattr(self, name)))
        if not self.learning_rate_init > 0:
            raise ValueError('learning_rate_init must be > 0, got %r.' % self.learning_rate_init)
        if not 0 < self.validation_fraction < 1:
            raise ValueError('validation_fraction must be >= 0 and < 1, got %r'
                             % self.validation_fraction)
        if not (isinstance(self.n_iter_no_change, (int, np.integer)) and
                self.n_iter_no_change >= 1):
            raise ValueError('n_iter_no_change must be an int >= 1, got %r.'
                             % (self.n_iter_no_change,))
        if not 0 <= self.dropout < 1:
            raise ValueError('dropout must be in [0, 1), got %r' % (self.dropout,))
        if self.batch_size != 'auto' and not isinstance(self.batch_size, (int, np.integer)):
            raise ValueError("batch_size must be 'auto' or an int, got %r" % (self.batch_size,))
        if self.scaling not in (None, 'standard', 'minmax'):
            raise ValueError("scaling must be None, 'standard' or 'minmax', got %r"
                             % (self.scaling,))
        if self.callback is not None and not callable(self.callback):
            raise ValueError('callback must be callable or None')
        precision_id(self.precision)
        return sizes

    def _fit_options(self, n_train):
        opt = lib.nn_fit_defaults()
        if self.solver == 'adam':
            opt.optim.kind = _OPT_ADAM
            opt.optim.beta1, opt.optim.beta2 = self.beta_1, self.beta_2
            opt.optim.epsilon = self.epsilon
        elif self.momentum > 0:
            opt.optim.kind = _OPT_NESTEROV if self.nesterovs_momentum else _OPT_MOMENTUM
            opt.optim.momentum = self.momentum
        else:
            opt.optim.kind = _OPT_SGD
        if self.batch_size == 'auto':
            batch = min(200, n_train)
        else:
            if self.batch_size < 1 or self.batch_size > n_train:
                warnings.warn('Got `batch_size` less than 1 or larger than sample size. It is '
                              'going to be clipped')
            batch = int(np.clip(self.batch_size, 1, n_train))
        # scikit-learn adds alpha/2 ||W||^2 to the batch's summed loss and divides
        # by the batch size; nn's l2 acts on the batch mean: l2 = alpha / B.
        opt.optim.l2 = self.alpha / batch
        opt.eta = self.learning_rate_init
        opt.schedule = _SCHEDULES[self.learning_rate]
        opt.batch_size = batch
        opt.epochs = int(self.max_iter)
        opt.shuffle = bool(self.shuffle)
        opt.dropout = float(self.dropout)
        opt.patience = 0  # stopping is decided here, as scikit-learn decides it
        return opt, batch

    # ---- training ----

    def _network_for(self, sizes, n_in, n_out, out_act, cost, rng):
        old = getattr(self, '_network', None)
        if (self.warm_start and old is not None and old.sizes == [n_in] + sizes + [n_out] and
                old.precision == self.precision):
            return old
        net = Network([n_in] + sizes + [n_out], hidden=_HIDDEN[self.activation],
                      output=out_act, precision=self.precision)
        net.cost = cost
        net.init('default', rng)
        return net

    def _train(self, net, X, target, values, rng):
        """Train net on X and target (class ids, or values), as scikit-learn's
        _fit_stochastic; sets the fitted attributes."""
        n = X.shape[0]
        X_val = t_val = None
        if self.early_stopping:
            from .datasets import split_indices
            train, val = split_indices(n, test_size=self.validation_fraction, random_state=rng,
                                       stratify=None if values else target)
            X, X_val = X[train], X[val]
            target, t_val = target[train], target[val]
        opt, batch = self._fit_options(X.shape[0])
        keep = [X, target, X_val, t_val]
        m = _arrays.matrix(X)
        if X_val is not None:
            vm = _arrays.matrix(X_val)
            keep.append(vm)
            opt.val_x = ctypes.pointer(vm)
            if values:
                vt = _arrays.matrix(t_val)
                opt.val_values = ctypes.pointer(vt)
            else:
                vt = _arrays.labels(t_val)
                opt.val_y = ctypes.pointer(vt)
            keep.append(vt)
        if self.scaling:
            net.fit_scaling(X, self.scaling)
        fitter = ctypes.c_void_p()
        byref = ctypes.byref
        if values:
            t = _arrays.matrix(target)
            check(lib.nn_fitter_new_values(byref(fitter), net._ptr, byref(m), byref(t),
                                           byref(opt), rng.handle))
        else:
            t = _arrays.labels(target)
            check(lib.nn_fitter_new(byref(fitter), net._ptr, byref(m), byref(t), byref(opt),
                                    rng.handle))
        try:
            self._epochs(fitter, net, X.shape[0], batch, values)
        finally:
            lib.nn_fitter_free(fitter)
        del keep

    def _epochs(self, fitter, net, n, batch, values):
        """Epochs, batch by batch, with scikit-learn's stopping rules."""
        byref = ctypes.byref
        batch_fn, epoch_fn = lib.nn_fitter_batch, lib.nn_fitter_epoch
        n_batches = -(-n // batch)
        st = _lib.nn_epoch_stats()
        params = net.params
        n_out = net.n_outputs
        self.loss_curve_ = []
        self.validation_scores_ = [] if self.early_stopping else None
        self.best_validation_score_ = -np.inf if self.early_stopping else None
        self.best_loss_ = None if self.early_stopping else np.inf
        self.n_iter_ = 0
        self.t_ = 0
        self._network = net
        best, since = -np.inf, 0  # the score kept (-loss, or the validation score)
        best_params = None
        stopped = False
        try:
            for epoch in range(int(self.max_iter)):
                for _ in range(n_batches):
                    rc = batch_fn(fitter)
                    if rc:
                        check(rc)
                rc = epoch_fn(fitter, byref(st))
                if rc == NN_EDIVERGED:
                    raise exception(rc)
                check(rc)
                self.n_iter_ += 1
                self.t_ += n
                w2 = sum(float(np.vdot(c, c)) for c in net.coefs)
                loss = st.train_cost / (n_out if values else 1) + 0.5 * self.alpha * w2 / batch
                self.loss_curve_.append(loss)
                self.loss_ = loss
                if self.verbose:
                    print('Iteration %d, loss = %.8f' % (self.n_iter_, loss))
                if self.early_stopping:
                    score = st.val_r2 if values else st.val_accuracy
                    self.validation_scores_.append(score)
                    if self.verbose:
                        print('Validation score: %f' % score)
                    improved = score >= self.best_validation_score_ + self.tol
                    if score > self.best_validation_score_:
                        self.best_validation_score_ = score
                else:
                    improved = loss <= self.best_loss_ - self.tol
                    score = -loss
                    if loss < self.best_loss_:
                        self.best_loss_ = loss
                since = 0 if improved else since + 1
                if score > best:
                    best = score
                    best_params = params.copy()
                if self.callback is not None and self.callback(self, _stats(st, loss)):
                    stopped = True
                    break
                if since > self.n_iter_no_change:
                    if self.verbose:
                        print('%s did not improve more than tol=%f for %d consecutive epochs. '
                              'Stopping.' % ('Validation score' if self.early_stopping else
                                             'Training loss', self.tol, self.n_iter_no_change))
                    stopped = True
                    break
        except KeyboardInterrupt:
            if best_params is not None:
                params[:] = best_params
            lib.nn_fitter_finish(fitter, None)
            raise
        except DivergedError as e:
            lib.nn_fitter_finish(fitter, None)
            if best_params is not None:
                params[:] = best_params
            raise DivergedError('%s at epoch %d: lower learning_rate_init; the model keeps the '
                                'best weights before it' % (e, self.n_iter_ + 1), e.code)
        lib.nn_fitter_finish(fitter, None)
        if self.early_stopping and best_params is not None:
            params[:] = best_params
        if not stopped and self.n_iter_ == self.max_iter:
            warnings.warn('Stochastic Optimizer: Maximum iterations (%d) reached and the '
                          "optimization hasn't converged yet." % self.max_iter,
                          warning_class(ConvergenceWarning))

    def _input(self, X):
        net = self.__dict__.get('_network') or self._fitted()
        return _arrays.as_samples(X, n_features=net.n_inputs, estimator=type(self).__name__)


def _stats(st, loss):
    return {'epoch': st.epoch, 'loss': loss, 'seconds': st.seconds, 'eta': st.eta,
            'train_accuracy': st.train_accuracy, 'val_cost': st.val_cost,
            'val_accuracy': st.val_accuracy, 'val_r2': st.val_r2}


def _assign(views, values, name):
    values = list(values)
    if len(values) != len(views):
        raise ValueError('%s needs %d arrays, got %d' % (name, len(views), len(values)))
    for v, new in zip(views, values):
        new = np.asarray(new, dtype=np.float64)
        if new.shape != v.shape:
            raise ValueError('%s: an array of shape %s where the network has %s'
                             % (name, new.shape, v.shape))
        v[...] = new


def _check_y(y, n):
    if y is None:
        raise ValueError('requires y to be passed, but the target y is None')
    y = np.asarray(y)
    if len(y) != n:
        raise ValueError('Found input variables with inconsistent numbers of samples: [%d, %d]'
                         % (n, len(y)))
    return y


class MLPClassifier(_BaseMLP):
    """A multi-layer perceptron classifier (scikit-learn's MLPClassifier), trained by libnn.

    Two classes: one sigmoid output unit and the binary cross-entropy; more:
    a softmax output and the categorical cross-entropy (cost=None or
    'cross-entropy'); cost='quadratic' trains sigmoid outputs on the
    lecture's quadratic cost instead.
    """

    _estimator_type = 'classifier'

    def fit(self, X, y):
        """Train on X (n_samples, n_features) and y (n_samples,) labels of any type."""
        sizes = self._check_params()
        X = _arrays.as_samples(X)
        y = _check_y(y, X.shape[0])
        if y.ndim == 2 and y.shape[1] == 1:
            warnings.warn('A column-vector y was passed when a 1d array was expected. Please '
                          'change the shape of y to (n_samples, ), for example using ravel().',
                          warning_class(DataConversionWarning))
            y = y.ravel()
        if y.ndim != 1:
            raise ValueError('y must be 1-D (one label per sample): multilabel and multi-'
                             'output targets are not supported, got shape %s' % (y.shape,))
        if y.dtype.kind == 'f' and not np.all(np.isfinite(y)):
            raise ValueError('Input y contains NaN or infinity.')
        if y.dtype.kind == 'f' and np.any(y != np.round(y)):
            raise ValueError('Unknown label type: continuous. nn.MLPClassifier takes class '
                             'labels; use nn.MLPRegressor for real values')
        try:
            classes, ids = np.unique(y, return_inverse=True)
        except TypeError:
            raise ValueError('Unknown label type: labels of mixed types %r' % (set(map(type, y)),))
        if len(classes) < 2:
            raise ValueError('The data has only one class (%r): a classifier needs samples of at '
                             'least 2 classes' % (classes[0] if len(classes) else None,))
        if (self.warm_start and getattr(self, 'classes_', None) is not None and
                not np.array_equal(classes, self.classes_)):
            raise ValueError('warm_start can only be used where `y` has the same classes as in '
                             'the previous call to fit. Previously got %s, `y` has %s'
                             % (self.classes_, classes))
        k = len(classes)
        cost = self.cost or 'cross-entropy'
        if cost in ('cross-entropy', 'log_loss', 'ce'):
            out_act, cost = ('sigmoid', 'binary-cross-entropy') if k == 2 else \
                ('softmax', 'cross-entropy')
        elif cost == 'quadratic':
            out_act = 'sigmoid'
        else:
            raise ValueError("cost must be None, 'cross-entropy' or 'quadratic', not %r" % (cost,))
        n_out = 1 if k == 2 else k
        rng = as_rng(self.random_state)
        net = self._network_for(sizes, X.shape[1], n_out, out_act, cost, rng)
        net.set_names('classes', classes)
        self.classes_ = classes
        self.n_features_in_ = X.shape[1]
        self.out_activation_ = {'sigmoid': 'logistic'}.get(out_act, out_act)
        self._train(net, X, np.ascontiguousarray(ids, dtype=np.int32), False, rng)
        return self

    def predict(self, X):
        """The class of each sample."""
        X = self._input(X)
        return self.classes_.take(self._network.predict(X))

    def predict_proba(self, X):
        """(n_samples, n_classes) class probabilities, in the order of classes_."""
        X = self._input(X)
        a = self._network.predict_values(X)
        if a.shape[1] == 1:
            return np.hstack([1.0 - a, a])
        if self._network.cost == 'quadratic':
            a /= np.maximum(a.sum(axis=1, keepdims=True), np.finfo(float).tiny)
        return a

    def predict_log_proba(self, X):
        return np.log(self.predict_proba(X))

    def score(self, X, y, sample_weight=None):
        """Mean accuracy on X and y (weighted by sample_weight)."""
        right = self.predict(X) == np.asarray(y)
        return float(np.average(right, weights=sample_weight))

    @classmethod
    def from_network(cls, network):
        """A fitted classifier around a trained nn.Network or a model file path
        (for instance one nn-mnist wrote); classes_ are the network's class names
        (as ints when they all are), else 0 .. k-1."""
        net = network if isinstance(network, Network) else _load_network(network)
        est = cls(hidden_layer_sizes=tuple(net.sizes[1:-1]), precision=net.precision)
        k = max(net.n_outputs, 2)
        names = net.names('classes')
        if len(names) == k:
            try:
                classes = np.array([int(s) for s in names])
            except ValueError:
                classes = np.array(names)
        else:
            classes = np.arange(k)
        est._network = net
        est.classes_ = classes
        est.n_features_in_ = net.n_inputs
        return est


class MLPRegressor(_BaseMLP):
    """A multi-layer perceptron regressor (scikit-learn's MLPRegressor), trained
    by libnn: identity outputs on the quadratic cost (the mean squared error)."""

    _estimator_type = 'regressor'

    def _more_tags(self):
        return {'multioutput': True, 'poor_score': False}

    def fit(self, X, y):
        """Train on X (n_samples, n_features) and y (n_samples,) or (n_samples, n_outputs)."""
        sizes = self._check_params()
        X = _arrays.as_samples(X)
        y = _check_y(y, X.shape[0])
        if y.ndim not in (1, 2):
            raise ValueError('y must be 1-D or 2-D, got shape %s' % (y.shape,))
        self._y_1d = y.ndim == 1
        Y = _arrays.as_samples(y.reshape(len(y), -1), 'y')
        if self.cost not in (None, 'quadratic', 'squared_error'):
            raise ValueError("MLPRegressor's cost is 'quadratic' (the squared error), not %r"
                             % (self.cost,))
        rng = as_rng(self.random_state)
        net = self._network_for(sizes, X.shape[1], Y.shape[1], 'identity', 'quadratic', rng)
        self.n_features_in_ = X.shape[1]
        self.out_activation_ = 'identity'
        self._train(net, X, Y, True, rng)
        return self

    def predict(self, X):
        """The predicted values: (n_samples,) for a 1-D y, else (n_samples, n_outputs)."""
        X = self._input(X)
        out = self._network.predict_values(X)
        return out.ravel() if getattr(self, '_y_1d', out.shape[1] == 1) and \
            out.shape[1] == 1 else out

    def score(self, X, y, sample_weight=None):
        """R^2 (scikit-learn's r2_score, outputs averaged uniformly)."""
        y = np.asarray(y, dtype=np.float64).reshape(len(y), -1)
        p = np.asarray(self.predict(X), dtype=np.float64).reshape(len(y), -1)
        w = None if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)[:, None]
        mean = np.average(y, axis=0, weights=None if w is None else w[:, 0])
        sse = np.sum((w if w is not None else 1.0) * (y - p) ** 2, axis=0)
        sst = np.sum((w if w is not None else 1.0) * (y - mean) ** 2, axis=0)
        r2 = np.where(sst > 0, 1.0 - sse / np.where(sst > 0, sst, 1.0),
                      np.where(sse > 0, 0.0, 1.0))
        return float(np.mean(r2))

    @classmethod
    def from_network(cls, network):
        """A fitted regressor around a trained nn.Network or a model file path."""
        net = network if isinstance(network, Network) else _load_network(network)
        est = cls(hidden_layer_sizes=tuple(net.sizes[1:-1]), precision=net.precision)
        est._network = net
        est.n_features_in_ = net.n_inputs
        est._y_1d = net.n_outputs == 1
        return est
