"""nn.Network: one C network (nn_net), its parameters as numpy views,
prediction, model files.

Parameters are views, never copies: `net.params` is the ONE contiguous
buffer (W_1 b_1 W_2 b_2 ..., each W column-major), `net.weights(l)` is W_l
as an (n_out, n_in) array (Fortran-ordered: the lecture's model['w1']),
`net.coefs[l-1]` the same memory as an (n_in, n_out) C-ordered array
(scikit-learn's coefs_[l-1]), `net.bias(l)` b_l. Writing through a view
changes the network. Each view keeps its network alive, so a view outlives
the Network object that handed it out safely. The views are float64 for a
float64 network and float32 for a float32 one (precision='float32', libnn's
binary32 networks): the parameters as the network holds them. A network's
precision is chosen when it is made (or by with_precision(), a converted
copy), never changed under views that point into its buffer.
"""

import ctypes
import os

import numpy as np

from . import _arrays, _lib
from .errors import check, InvalidArgument
from .random import as_rng

lib = _lib.lib

# nn_model_save_buffer's bytes come from the C library's malloc, so the C library's free.
_libc_free = ctypes.CDLL(None).free
_libc_free.argtypes = [ctypes.c_void_p]
_libc_free.restype = None

ACTIVATIONS = ['sigmoid', 'identity', 'tanh', 'relu', 'leaky-relu', 'softmax']
_ACT_ALIASES = {'logistic': 'sigmoid', 'linear': 'identity', 'leaky_relu': 'leaky-relu'}
COSTS = ['quadratic', 'binary-cross-entropy', 'cross-entropy']
_COST_ALIASES = {'bce': 'binary-cross-entropy', 'ce': 'cross-entropy',
                 'log_loss': 'cross-entropy', 'squared_error': 'quadratic'}
TASKS = ['auto', 'classify', 'regress']
SCALINGS = [None, 'standard', 'minmax']
NAMES = ['features', 'classes', 'targets']
INITS = ['default', 'randn', 'random', 'glorot', 'he', 'orthogonal']
PRECISIONS = ['float64', 'float32']
_LAYER_TYPES = ['dense', 'conv2d', 'maxpool', 'avgpool', 'flatten', 'dropout']


def precision_id(name):
    """The nn_precision of 'float64' or 'float32' (NotImplementedError for
    float32 on a libnn without float32 networks)."""
    if name not in PRECISIONS:
        raise ValueError("precision must be 'float64' or 'float32', not %r" % (name,))
    if name == 'float32':
        _lib.require('nn_net_set_precision', "precision='float32'")
    return PRECISIONS.index(name)


def _index(name, table, aliases, what):
    key = aliases.get(name, name)
    try:
        return table.index(key)
    except ValueError:
        raise ValueError('unknown %s %r: one of %s' % (what, name, ', '.join(map(str, table))))


def activation_id(name):
    """The nn_activation of a name ('relu', 'logistic' = 'sigmoid', ...)."""
    return _index(name, ACTIVATIONS, _ACT_ALIASES, 'activation')


def cost_id(name):
    """The nn_cost of a name ('quadratic', 'cross-entropy', 'binary-cross-entropy')."""
    return _index(name, COSTS, _COST_ALIASES, 'cost')


class Network:
    """A network of the C library.

    Network([2, 10, 2]) -- dense layers of these widths, sigmoid everywhere
    (the lecture's); Network([64, 100, 10], hidden='relu', output='softmax');
    Network('28x28, conv:32:3:relu, maxpool, flatten, 10:softmax') -- any
    layer sequence nn_net_parse() reads. A new network is initialised (nn's
    default: He or Glorot, seed 0); init() draws other weights.
    """

    def __init__(self, layers, hidden='sigmoid', output=None, precision='float64'):
        prec = precision_id(precision)
        ptr = ctypes.c_void_p()
        out = activation_id(output if output is not None else hidden)
        hid = activation_id(hidden)
        if isinstance(layers, str):
            check(lib.nn_net_parse(ctypes.byref(ptr), layers.encode(), hid, out))
        else:
            sizes = [int(s) for s in layers]
            if len(sizes) < 2:
                raise ValueError('a network needs an input width and at least one layer: %r'
                                 % (layers,))
            if min(sizes) < 1:
                raise ValueError('every layer width must be >= 1: %r' % (sizes,))
            n = len(sizes) - 1
            acts = (ctypes.c_int * n)(*([hid] * (n - 1) + [out]))
            check(lib.nn_net_new(ctypes.byref(ptr), n, (ctypes.c_size_t * (n + 1))(*sizes),
                                 acts))
        if prec:
            rc = lib.nn_net_set_precision(ptr, prec)
            if rc:
                lib.nn_net_free(ptr)
                check(rc)
        self._own(ptr)

    def _own(self, ptr):
        self._ptr = ptr
        # fixed for the network's life: read once, for the per-call checks
        self.n_inputs = lib.nn_net_width(ptr, 0)
        self.n_outputs = lib.nn_net_width(ptr, lib.nn_net_layers(ptr))
        f32 = _lib.has('nn_net_precision') and lib.nn_net_precision(ptr) == 1
        self._dtype = np.dtype(np.float32 if f32 else np.float64)
        self._layout = self._param_layout()

    def _param_layout(self):
        """Per layer, (offset of W, its rows, its columns, offset of b) in the
        parameter buffer, or None for a layer without parameters: W_l is
        units x inputs (dense) or C_out x k*k*C_in (convolution), then b_l."""
        out, offset = [], 0
        prev = lib.nn_net_input_shape(self._ptr)
        for l in range(1, lib.nn_net_layers(self._ptr) + 1):
            spec, shape = _lib.nn_layer(), _lib.nn_shape()
            check(lib.nn_net_layer(ctypes.byref(spec), ctypes.byref(shape), self._ptr, l))
            kind = _LAYER_TYPES[spec.type]
            if kind in ('dense', 'conv2d'):
                cols = (prev.channels * prev.height * prev.width if kind == 'dense'
                        else spec.kernel * spec.kernel * prev.channels)
                out.append((offset, spec.units, cols, offset + spec.units * cols))
                offset += spec.units * (cols + 1)
            else:
                out.append(None)
            prev = shape
        assert offset == lib.nn_net_param_count(self._ptr)
        return out

    @classmethod
    def _adopt(cls, ptr):
        """A Network owning the nn_net * ptr (a c_void_p)."""
        net = cls.__new__(cls)
        net._own(ptr)
        return net

    def __del__(self):
        ptr = getattr(self, '_ptr', None)
        if ptr:
            lib.nn_net_free(ptr)
            self._ptr = None

    # ---- structure ----

    @property
    def n_layers(self):
        """L, the number of layers (dense networks: the weight layers)."""
        return lib.nn_net_layers(self._ptr)

    @property
    def sizes(self):
        """The widths, input first: [n_0, n_1, ..., n_L]."""
        return [lib.nn_net_width(self._ptr, l) for l in range(self.n_layers + 1)]

    @property
    def activations(self):
        """Each layer's activation, by name (layers without one: 'identity')."""
        return [ACTIVATIONS[lib.nn_net_activation(self._ptr, l)]
                for l in range(1, self.n_layers + 1)]

    @property
    def cost(self):
        """The cost trained on: 'quadratic', 'cross-entropy' or 'binary-cross-entropy'."""
        return COSTS[lib.nn_net_cost(self._ptr)]

    @cost.setter
    def cost(self, name):
        check(lib.nn_net_set_cost(self._ptr, cost_id(name)))

    @property
    def task(self):
        """'classify' or 'regress' once trained (kept in model files); 'auto' before."""
        return TASKS[lib.nn_net_task(self._ptr)]

    @task.setter
    def task(self, name):
        check(lib.nn_net_set_task(self._ptr, TASKS.index(name)))

    @property
    def n_params(self):
        return lib.nn_net_param_count(self._ptr)

    @property
    def precision(self):
        """'float64' or 'float32': what the network computes in (and its views hold)."""
        return 'float32' if self._dtype == np.float32 else 'float64'

    def with_precision(self, precision):
        """A copy computing in `precision` (float64 to float32 rounds each parameter)."""
        prec = precision_id(precision)
        net = self.copy()
        if prec != PRECISIONS.index(self.precision):
            check(lib.nn_net_set_precision(net._ptr, prec))
            net._own(net._steal())
        return net

    def describe(self):
        """The layers as nn_net_parse() reads them: '2, 10:sigmoid, 2:sigmoid'."""
        n = lib.nn_net_describe(None, 0, self._ptr)
        buf = ctypes.create_string_buffer(n + 1)
        lib.nn_net_describe(buf, n + 1, self._ptr)
        return buf.value.decode()

    def __repr__(self):
        return 'nn.Network(%r)' % self.describe()

    def layer(self, l):
        """Layer l (1-based) as a dict: type, units, kernel, stride, ..., output shape."""
        spec, shape = _lib.nn_layer(), _lib.nn_shape()
        check(lib.nn_net_layer(ctypes.byref(spec), ctypes.byref(shape), self._ptr, l))
        return {'type': ['dense', 'conv2d', 'maxpool', 'avgpool', 'flatten', 'dropout'][spec.type],
                'units': spec.units, 'kernel': spec.kernel, 'stride': spec.stride,
                'activation': ACTIVATIONS[spec.act], 'rate': spec.rate,
                'shape': (shape.channels, shape.height, shape.width)}

    # ---- parameters: views ----

    @property
    def params(self):
        """Every parameter, W_1 b_1 ... W_L b_L: a writable view of the network's
        buffer (float32 for a float32 network)."""
        get = lib.nn_net_params_f32 if self._dtype == np.float32 else lib.nn_net_params
        return _arrays.wrap(get(self._ptr), (self.n_params,), self._dtype, keep=self)

    def _layer(self, l):
        if not 1 <= l <= len(self._layout):
            raise IndexError('layer %d of a network of %d layers (they count from 1)'
                             % (l, len(self._layout)))
        return self._layout[l - 1]

    def weights(self, l):
        """W_l (1-based) as an (n_out, n_in) view (Fortran order, the lecture's
        model['w%d']); None for a layer without weights. A convolution's is
        C_out x (k*k*C_in), as nn_net_weights() says."""
        at = self._layer(l)
        if at is None:
            return None
        w, rows, cols, _ = at
        # the C-ordered (cols, rows) array over a column-major rows x cols is its transpose
        return self.params[w:w + rows * cols].reshape(cols, rows).T

    def bias(self, l):
        """b_l (1-based) as an (n_out,) view; None for a layer without weights."""
        at = self._layer(l)
        if at is None:
            return None
        return self.params[at[3]:at[3] + at[1]]

    @property
    def coefs(self):
        """[W_l.T]: each an (n_in, n_out) C-ordered view, scikit-learn's coefs_."""
        return [w.T for w in (self.weights(l) for l in range(1, self.n_layers + 1))
                if w is not None]

    @property
    def intercepts(self):
        """[b_l]: scikit-learn's intercepts_, views."""
        return [b for b in (self.bias(l) for l in range(1, self.n_layers + 1)) if b is not None]

    def init(self, method='default', random_state=0, gain=1.0):
        """Draw the weights again: 'default' (He for ReLU layers, Glorot for the
        others), 'randn' and 'random' (the lecture's npr.randn / npr.random, in
        its order), 'glorot', 'he' or 'orthogonal' (with gain). random_state: a
        seed, an nn.RandomState (advanced), or None. Returns self."""
        if method not in INITS:
            raise ValueError('unknown initialisation %r: one of %s' % (method, ', '.join(INITS)))
        rng = as_rng(random_state)
        if method == 'orthogonal':
            check(lib.nn_net_init_orthogonal(self._ptr, rng.handle, float(gain)))
        else:
            check(getattr(lib, 'nn_net_init_' + method)(self._ptr, rng.handle))
        return self

    def copy(self):
        """A deep copy (nn_net_clone)."""
        ptr = ctypes.c_void_p()
        check(lib.nn_net_clone(ctypes.byref(ptr), self._ptr))
        return Network._adopt(ptr)

    # ---- scaling and names, kept with the model ----

    def fit_scaling(self, X, how='standard'):
        """Fit an input scaling on X (N samples x n_0): 'standard' (scikit-learn's
        StandardScaler), 'minmax' or None (none). From then on the network
        scales every input it is given; model files keep it."""
        kind = SCALINGS.index(how) if how in SCALINGS else None
        if kind is None:
            raise ValueError('unknown scaling %r: standard, minmax or None' % (how,))
        X = _arrays.as_samples(X, n_features=self.n_inputs)
        m = _arrays.matrix(X)
        check(lib.nn_net_fit_scaling(self._ptr, kind, ctypes.byref(m)))
        return self

    def set_scaling(self, how, shift=None, scale=None):
        """Attach a scaling given by its shifts and factors: x' = (x - shift) * scale."""
        kind = SCALINGS.index(how)
        if kind == 0:
            check(lib.nn_net_set_scaling(self._ptr, 0, None, None))
            return self
        n = self.n_inputs
        shift = np.ascontiguousarray(shift, dtype=np.float64)
        scale = np.ascontiguousarray(scale, dtype=np.float64)
        if shift.shape != (n,) or scale.shape != (n,):
            raise ValueError('shift and scale must each hold %d values (the inputs)' % n)
        check(lib.nn_net_set_scaling(self._ptr, kind, shift.ctypes.data, scale.ctypes.data))
        return self

    @property
    def scaling(self):
        """(kind, shift, scale): the input scaling, copies; (None, None, None) without one."""
        shift, scale = ctypes.c_void_p(), ctypes.c_void_p()
        kind = lib.nn_net_scaling(self._ptr, ctypes.byref(shift), ctypes.byref(scale))
        if not kind:
            return None, None, None
        n = self.n_inputs
        return (SCALINGS[kind], _arrays.wrap(shift.value, (n,), np.float64, keep=self).copy(),
                _arrays.wrap(scale.value, (n,), np.float64, keep=self).copy())

    def set_names(self, which, names):
        """Keep names with the network: which is 'features', 'classes' or 'targets'."""
        kind = NAMES.index(which)
        enc = [str(s).encode() for s in names]
        arr = (ctypes.c_char_p * max(len(enc), 1))(*enc)
        check(lib.nn_net_set_names(self._ptr, kind, len(enc), arr))
        return self

    def names(self, which):
        """The names of a kind ('features', 'classes', 'targets'); [] without."""
        kind = NAMES.index(which)
        return [lib.nn_net_name(self._ptr, kind, i).decode()
                for i in range(lib.nn_net_names_count(self._ptr, kind))]

    # ---- prediction; the GIL is released during every C call ----

    def _input(self, X):
        return _arrays.as_samples(X, n_features=self.n_inputs)

    def predict(self, X):
        """The class of each sample (N, d): the argmax of the outputs, or
        round(a) for one output unit. An int32 array of N ids."""
        X = _arrays.as_samples(X, n_features=self.n_inputs)
        m = _arrays.matrix(X)
        pred = np.empty(X.shape[0], dtype=np.int32)
        rc = lib.nn_predict(_arrays.address(pred), None, self._ptr, ctypes.byref(m))
        if rc:
            check(rc)
        return pred

    def predict_values(self, X):
        """The output layer's values, an (N, n_L) array: class probabilities of a
        softmax or sigmoid output, the values of a regression."""
        X = self._input(X)
        m = _arrays.matrix(X)
        k = self.n_outputs
        out = np.empty((X.shape[0], k), dtype=np.float64)
        om = _lib.nn_matrix(k, X.shape[0], k, _arrays.address(out), 0)
        check(lib.nn_predict_values(ctypes.byref(om), None, self._ptr, ctypes.byref(m)))
        return out

    def evaluate(self, X, y):
        """{'cost' (mean per sample), 'correct', 'accuracy'} of the network on labels y."""
        X = self._input(X)
        y = _arrays.as_labels(y, X.shape[0])
        m, lab = _arrays.matrix(X), _arrays.labels(y)
        cost, correct = ctypes.c_double(), ctypes.c_size_t()
        check(lib.nn_evaluate(ctypes.byref(cost), ctypes.byref(correct), None, self._ptr,
                              ctypes.byref(m), ctypes.byref(lab)))
        n = X.shape[0]
        return {'cost': cost.value / n, 'correct': correct.value, 'accuracy': correct.value / n}

    def evaluate_values(self, X, Y):
        """{'cost', 'mse', 'rmse', 'mae', 'r2'} of the network on target values Y (N, n_L)."""
        X = self._input(X)
        Y = _values(Y, X.shape[0], self.n_outputs)
        m, t = _arrays.matrix(X), _arrays.matrix(Y)
        met = _lib.nn_metrics()
        check(lib.nn_evaluate_values(ctypes.byref(met), None, self._ptr, ctypes.byref(m),
                                     ctypes.byref(t)))
        return {k: getattr(met, k) for k in ('cost', 'mse', 'rmse', 'mae', 'r2')}

    # ---- model files ----

    def save(self, path):
        """Write the model file (doc/model-format.md) the C programs read, atomically."""
        path = os.fspath(path)
        check(lib.nn_model_save(os.fsencode(path), self._ptr, None), filename=path)

    def to_bytes(self):
        """The model file's bytes, as save() would write them (nn_model_save_buffer)."""
        buf = ctypes.c_void_p()
        size = ctypes.c_size_t()
        check(lib.nn_model_save_buffer(ctypes.byref(buf), ctypes.byref(size), self._ptr, None))
        try:
            return ctypes.string_at(buf, size.value)
        finally:
            _libc_free(buf)

    @classmethod
    def from_bytes(cls, data):
        """A network from a model file's bytes (nn_model_load_buffer)."""
        data = bytes(data)
        ptr = ctypes.c_void_p()
        check(lib.nn_model_load_buffer(ctypes.byref(ptr), None, data, len(data)))
        return cls._adopt(ptr)

    def __getstate__(self):
        return {'model': self.to_bytes()}

    def __setstate__(self, state):
        self._own(Network.from_bytes(state['model'])._steal())

    def _steal(self):
        ptr, self._ptr = self._ptr, None
        return ptr


def load(path):
    """Read a model file written by Network.save(), an estimator's save() or
    the C programs (--save-model): an nn.Network."""
    path = os.fspath(path)
    ptr = ctypes.c_void_p()
    check(lib.nn_model_load(ctypes.byref(ptr), None, os.fsencode(path)), filename=path)
    return Network._adopt(ptr)


def _values(Y, n, k, name='y'):
    """Real-valued targets as an (n, k) float64 array nn reads by address."""
    Y = np.asarray(Y)
    if Y.ndim == 1:
        Y = Y.reshape(-1, 1)
    if Y.ndim != 2 or Y.shape[0] != n:
        raise ValueError('Found input variables with inconsistent numbers of samples: '
                         '[%d, %d]' % (n, Y.shape[0] if Y.ndim else 0))
    if Y.shape[1] != k:
        raise InvalidArgument('%s has %d outputs per sample, the network %d'
                              % (name, Y.shape[1], k), -1)
    return _arrays.as_samples(Y, name)
