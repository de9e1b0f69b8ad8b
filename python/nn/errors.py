"""nn's errors as Python exceptions.

Every negative NN_E code of the C library becomes an exception that is both
an nn.Error (so `except nn.Error` catches anything nn refused) and the
built-in Python class that names the same kind of failure, so code that
knows nothing of nn catches it too:

    ====================================  ===================  ==========================
    C code                                class                also a
    ====================================  ===================  ==========================
    NN_EINVAL, NN_ENULL                   nn.InvalidArgument   ValueError
    NN_ESHAPE                             nn.ShapeError        ValueError
    NN_ENONFINITE                         nn.NonFiniteError    ValueError
    NN_ELABEL                             nn.LabelError        ValueError
    NN_EMISMATCH                          nn.MismatchError     ValueError
    NN_ENOMEM                             nn.OutOfMemory       MemoryError
    NN_EDIVERGED                          nn.DivergedError     FloatingPointError
    NN_EIO, NN_ENOTFILE                   nn.IOFailure         OSError
    NN_ENOENT                             nn.FileMissing       FileNotFoundError
    NN_EMAGIC ... NN_ECHECKSUM (files)    nn.FormatError       ValueError
    NN_EPEER                              nn.PeerError         RuntimeError
    ====================================  ===================  ==========================

The message is the library's own detail of the failure (nn_error_message():
"X has 3 rows, the network's input layer has 4"), read on the thread that
made the call, right after it returned. `code` holds the NN_E code.
"""

import re
import sys

from . import _lib

NN_OK = 0
NN_EINVAL = -1
NN_ENOMEM = -2
NN_ESHAPE = -3
NN_ENULL = -4
NN_ENONFINITE = -5
NN_ELABEL = -6
NN_EDIVERGED = -7
NN_EIO = -8
NN_ENOENT = -9
NN_EMAGIC = -10
NN_ETRUNC = -11
NN_ESIZE = -12
NN_EMISMATCH = -13
NN_EGZIP = -14
NN_EFORMAT = -15
NN_EPICKLE = -16
NN_ESTACK = -17
NN_EVERSION = -18
NN_ECHECKSUM = -19
NN_EPEER = -20
NN_ENOTFILE = -21


class Error(Exception):
    """Base of every error the C library reports; `code` is its NN_E code."""

    code = None

    def __init__(self, message, code=None, filename=None):
        super().__init__(message)
        self.code = code
        if filename is not None:
            self.filename = filename

    def __str__(self):
        return self.args[0] if self.args else ''


class InvalidArgument(Error, ValueError):
    """An argument out of range (NN_EINVAL, NN_ENULL)."""


class ShapeError(Error, ValueError):
    """Shapes that do not agree (NN_ESHAPE)."""


class NonFiniteError(Error, ValueError):
    """An input holds NaN or Inf (NN_ENONFINITE)."""


class LabelError(Error, ValueError):
    """A label outside the classes of the output layer (NN_ELABEL)."""


class MismatchError(Error, ValueError):
    """Two inputs that must agree do not (NN_EMISMATCH)."""


class OutOfMemory(Error, MemoryError):
    """The library could not allocate (NN_ENOMEM)."""


class DivergedError(Error, FloatingPointError):
    """Training diverged: the cost became NaN or Inf (NN_EDIVERGED). The model
    holds the best weights found before."""


class IOFailure(Error, OSError):
    """A read or write failed, or a path is not a regular file (NN_EIO, NN_ENOTFILE)."""


class FileMissing(Error, FileNotFoundError):
    """No such file or directory (NN_ENOENT)."""


class FormatError(Error, ValueError):
    """A file's content is not what it should be: magic, size, truncation, gzip,
    pickle, version or checksum (NN_EMAGIC ... NN_ECHECKSUM)."""


class PeerError(Error, RuntimeError):
    """Another process of a distributed run failed (NN_EPEER)."""


class NotFittedError(ValueError, AttributeError):
    """An estimator used before fit() (scikit-learn's NotFittedError, by the same bases)."""


class ConvergenceWarning(UserWarning):
    """fit() reached max_iter before the loss stopped improving (scikit-learn's name)."""


class DataConversionWarning(UserWarning):
    """The data had to be converted in a way worth knowing (scikit-learn's name)."""


def _bridge(cls, module, name):
    """cls, or -- once scikit-learn is imported -- a subclass of cls and of
    scikit-learn's class of the same name, so that code catching or filtering
    scikit-learn's NotFittedError, ConvergenceWarning or DataConversionWarning
    catches nn's too (without importing scikit-learn here)."""
    sk = sys.modules.get(module)
    other = getattr(sk, name, None) if sk is not None else None
    if other is None or issubclass(cls, other):
        return cls
    key = (cls, other)
    if key not in _BRIDGES:
        _BRIDGES[key] = type(cls.__name__, (cls, other), {'__module__': cls.__module__,
                                                         '__doc__': cls.__doc__})
    return _BRIDGES[key]


_BRIDGES = {}


def not_fitted(message):
    """A NotFittedError (scikit-learn's too, when scikit-learn is loaded)."""
    return _bridge(NotFittedError, 'sklearn.exceptions', 'NotFittedError')(message)


def warning_class(cls):
    """ConvergenceWarning or DataConversionWarning, bridged as not_fitted() is."""
    return _bridge(cls, 'sklearn.exceptions', cls.__name__)


_CLASSES = {
    NN_EINVAL: InvalidArgument, NN_ENULL: InvalidArgument, NN_ESHAPE: ShapeError,
    NN_ENONFINITE: NonFiniteError, NN_ELABEL: LabelError, NN_EMISMATCH: MismatchError,
    NN_ENOMEM: OutOfMemory, NN_EDIVERGED: DivergedError, NN_EIO: IOFailure,
    NN_ENOTFILE: IOFailure, NN_ENOENT: FileMissing, NN_EPEER: PeerError,
}
for _code in (NN_EMAGIC, NN_ETRUNC, NN_ESIZE, NN_EGZIP, NN_EFORMAT, NN_EPICKLE, NN_ESTACK,
              NN_EVERSION, NN_ECHECKSUM):
    _CLASSES[_code] = FormatError


def error_class(code):
    """The exception class of an NN_E code."""
    return _CLASSES.get(code, Error)


def strerror(code):
    """nn_strerror(code): the library's message for a code."""
    return _lib.lib.nn_strerror(code).decode('utf-8', 'replace')


_ELEMENT = re.compile(r'element \((\d+), (\d+)\) is (NaN|Inf)')


def exception(code, detail=None, filename=None):
    """The exception for a failed call's code, with the library's detail (or `detail`)."""
    if detail is None:
        detail = _lib.lib.nn_error_message(code).decode('utf-8', 'replace')
    if code == NN_ENONFINITE:
        # nn names matrix element (feature, sample); say it in numpy's terms too
        m = _ELEMENT.search(detail)
        where = ' at [%s, %s]' % (m.group(2), m.group(1)) if m else ''
        what = ('NaN' if m.group(3) == 'NaN' else 'inf') if m else 'NaN or inf'
        detail = 'input contains %s%s (nn: %s)' % (what, where, detail)
    if filename is not None and filename not in detail:
        detail = '%s: %s' % (filename, detail)
    return error_class(code)(detail, code, filename)


def check(rc, filename=None):
    """Raise the exception of rc when it is an error code (negative)."""
    if rc < 0:
        raise exception(rc, filename=filename)
    return rc
