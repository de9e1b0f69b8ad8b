"""nn.RandomState: nn's random stream (nn_rng), numpy's legacy RandomState
draw for draw.

nn.RandomState(k) draws what np.random.RandomState(k) -- or the global
state after np.random.seed(k) -- draws: random(), randn(), uniform(),
randint(), permutation(). Its point is to be ONE stream handed along the
library's functions, as the C programs do: a generator, then the split, then
the weights, each advancing it, reproduce the lecture's Python run after
np.random.seed(k) (`nn-example1 --seed k`).

random_state, wherever nn takes one (scikit-learn's convention):

- an int k: a fresh stream seeded with k -- exactly scikit-learn's
  random_state=k for the data generators and the split;
- an nn.RandomState: that stream, advanced by the draws;
- None, a numpy RandomState or Generator: a fresh stream seeded with a
  32-bit number drawn from it (np.random's global state for None), so a
  seeded numpy state still gives a repeatable run. The draws are then NOT
  those scikit-learn makes from that numpy state: libnn cannot take over a
  numpy generator's state (a C function to set nn_rng's state would make
  them so; see doc/python.md).
"""

import ctypes
import numbers

import numpy as np

from . import _lib
from .errors import check

lib = _lib.lib


class RandomState:
    """numpy's legacy RandomState in the C library: one nn_rng."""

    def __init__(self, seed=0):
        self._handle = ctypes.c_void_p()
        check(lib.nn_rng_new(ctypes.byref(self._handle), _seed(seed)))

    def __del__(self):
        h = getattr(self, '_handle', None)
        if h:
            lib.nn_rng_free(h)
            self._handle = None

    @property
    def handle(self):
        """The nn_rng * (for the C calls)."""
        return self._handle

    def seed(self, seed):
        """Reseed like np.random.seed(seed)."""
        lib.nn_rng_seed(self._handle, _seed(seed))

    def _fill(self, draw, size):
        if size is None:
            return draw()
        shape = (size,) if isinstance(size, numbers.Integral) else tuple(size)
        out = np.empty(shape, dtype=np.float64)
        flat = out.reshape(-1)  # C order: numpy fills its arrays in this order
        for i in range(flat.size):
            flat[i] = draw()
        return out

    def random(self, size=None):
        """random_sample(): doubles in [0, 1)."""
        h = self._handle
        return self._fill(lambda: lib.nn_rng_random(h), size)

    random_sample = random

    def randn(self, *shape):
        """Standard normals, the legacy polar method; randn() is one float."""
        h = self._handle
        return self._fill(lambda: lib.nn_rng_gauss(h), shape if shape else None)

    def standard_normal(self, size=None):
        h = self._handle
        return self._fill(lambda: lib.nn_rng_gauss(h), size)

    def normal(self, loc=0.0, scale=1.0, size=None):
        h = self._handle
        return self._fill(lambda: lib.nn_rng_normal(h, loc, scale), size)

    def uniform(self, low=0.0, high=1.0, size=None):
        h = self._handle
        return self._fill(lambda: lib.nn_rng_uniform(h, low, high), size)

    def randint(self, low, high=None, size=None):
        """Integers in [low, high) (int64), drawn as the legacy generator does."""
        if high is None:
            low, high = 0, low
        out = ctypes.c_int64()
        h = self._handle

        def draw():
            check(lib.nn_rng_randint(h, int(low), int(high), ctypes.byref(out)))
            return out.value
        if size is None:
            return draw()
        shape = (size,) if isinstance(size, numbers.Integral) else tuple(size)
        arr = np.empty(shape, dtype=np.int64)
        flat = arr.reshape(-1)
        for i in range(flat.size):
            flat[i] = draw()
        return arr

    def permutation(self, n):
        """permutation(n): 0 .. n-1 shuffled (int64)."""
        out = np.empty(int(n), dtype=np.uintp)
        if n:
            lib.nn_rng_permutation(self._handle, out.ctypes.data, int(n))
        return out.astype(np.int64)


def _seed(seed):
    if not isinstance(seed, numbers.Integral) or isinstance(seed, bool):
        raise TypeError('a seed is an integer from 0 to 2**32 - 1, not %r' % (seed,))
    if not 0 <= seed < 2 ** 32:
        raise ValueError('a seed is an integer from 0 to 2**32 - 1, not %d' % seed)
    return int(seed)


def seed_from(random_state):
    """A 32-bit seed for random_state (None: numpy's global state)."""
    if random_state is None:
        return int(np.random.randint(0, 2 ** 32, dtype=np.uint64))
    if isinstance(random_state, numbers.Integral) and not isinstance(random_state, bool):
        return _seed(random_state)
    if isinstance(random_state, np.random.RandomState):
        return int(random_state.randint(0, 2 ** 32, dtype=np.uint64))
    if isinstance(random_state, np.random.Generator):
        return int(random_state.integers(0, 2 ** 32))
    if isinstance(random_state, RandomState):
        return int(lib.nn_rng_uint32(random_state.handle))
    raise ValueError('%r cannot be used to seed a random stream: give an int, None, an '
                     'nn.RandomState or a numpy RandomState' % (random_state,))


def as_rng(random_state):
    """The nn.RandomState that random_state stands for (see the module's text)."""
    if isinstance(random_state, RandomState):
        return random_state
    return RandomState(seed_from(random_state))
