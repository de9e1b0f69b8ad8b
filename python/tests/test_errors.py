"""Every NN_E code as a Python exception carrying the library's message."""

import gzip
import os

import numpy as np
import pytest

import nn
from nn import errors


def test_every_code_has_a_class_and_the_librarys_message():
    expected = {-1: ValueError, -2: MemoryError, -3: ValueError, -4: ValueError,
                -5: ValueError, -6: ValueError, -7: FloatingPointError, -8: OSError,
                -9: FileNotFoundError, -10: ValueError, -11: ValueError, -12: ValueError,
                -13: ValueError, -14: ValueError, -15: ValueError, -16: ValueError,
                -17: ValueError, -18: ValueError, -19: ValueError, -20: RuntimeError,
                -21: OSError}
    for code, base in expected.items():
        e = errors.exception(code, detail=None)
        assert isinstance(e, nn.Error) and isinstance(e, base), code
        assert e.code == code
        assert str(e) and nn.strerror(code) != 'unknown error'
    assert nn.strerror(-999) == 'unknown error'


def test_the_detail_of_the_failure_reaches_python():
    net = nn.Network([2, 3])
    with pytest.raises(nn.InvalidArgument) as e:
        net.cost = 'cross-entropy'   # a sigmoid output: nn refuses, saying why
    assert e.value.code == errors.NN_EINVAL
    with pytest.raises(nn.InvalidArgument, match='conv|layer|item|expected') as e:
        nn.Network('28x28, conv:0:3, 10')
    assert isinstance(e.value, ValueError)


def test_nan_and_inf_are_refused_with_where(rng):
    net = nn.Network([3, 2])
    X = rng.standard_normal((5, 3))
    X[3, 1] = np.nan
    with pytest.raises(nn.NonFiniteError, match=r'NaN at \[3, 1\]') as e:
        net.predict(X)
    assert 'sample (column) 3' in str(e.value)       # the library's own detail, kept
    X[3, 1] = -np.inf
    with pytest.raises(ValueError, match=r'inf at \[3, 1\]'):
        nn.MLPClassifier(max_iter=1).fit(X, [0, 1, 0, 1, 0])


def test_bad_labels_shapes_and_targets(rng):
    X = rng.standard_normal((6, 2))
    with pytest.raises(ValueError, match='inconsistent numbers of samples'):
        nn.MLPClassifier().fit(X, [0, 1])
    with pytest.raises(ValueError, match='Unknown label type'):
        nn.MLPClassifier().fit(X, rng.standard_normal(6))
    with pytest.raises(ValueError, match='one class'):
        nn.MLPClassifier().fit(X, [1] * 6)
    with pytest.raises(ValueError, match='requires y'):
        nn.MLPRegressor().fit(X, None)
    with pytest.raises(ValueError, match='multilabel'):
        nn.MLPClassifier().fit(X, np.eye(6, 3, dtype=int))
    net = nn.Network([2, 3])
    with pytest.raises(nn.LabelError):
        net.evaluate(X, [0, 1, 2, 3, 0, 1])       # class 3 of a 3-unit output
    with pytest.raises(ValueError, match='hidden_layer_sizes'):
        nn.MLPClassifier(hidden_layer_sizes=(0,)).fit(X, [0, 1] * 3)
    sparse = pytest.importorskip('scipy.sparse')
    with pytest.raises(TypeError, match='sparse'):
        nn.MLPClassifier().fit(sparse.csr_matrix(X), [0, 1] * 3)


def test_file_errors(tmp_path):
    with pytest.raises(FileNotFoundError) as e:
        nn.load(tmp_path / 'absent.nn')
    assert isinstance(e.value, nn.FileMissing) and str(tmp_path / 'absent.nn') in str(e.value)
    junk = tmp_path / 'junk.nn'
    junk.write_bytes(b'not a model at all, just text\n' * 4)
    with pytest.raises(nn.FormatError) as e:
        nn.load(junk)
    assert e.value.code == errors.NN_EMAGIC and 'junk.nn' in str(e.value)
    with pytest.raises(nn.IOFailure):
        nn.load(tmp_path)                            # a directory
    with pytest.raises(nn.Error) as e:
        nn.load_mnist(junk)
    assert 'junk.nn' in str(e.value)
    bad = tmp_path / 'bad.gz'
    bad.write_bytes(gzip.compress(b'\x00\x00\x08\x03' + b'\xff' * 12)[:-6])
    with pytest.raises(nn.FormatError):
        nn.read_idx_images(bad)
    with pytest.raises(OSError):
        nn.Network([2, 1]).save(tmp_path / 'no' / 'such' / 'dir' / 'm.nn')


def test_unfitted_and_wrong_width(rng):
    clf = nn.MLPClassifier()
    with pytest.raises(nn.NotFittedError):
        clf.predict(rng.standard_normal((2, 2)))
    with pytest.raises(AttributeError):
        clf.coefs_
    clf.set_params(max_iter=3).fit(rng.standard_normal((10, 4)), [0, 1] * 5)
    with pytest.raises(ValueError, match='X has 3 features, but MLPClassifier is expecting 4'):
        clf.predict(rng.standard_normal((2, 3)))


def test_divergence_keeps_the_model_and_says_so():
    X, y = nn.datasets.make_blobs(64, centers=2, random_state=0)
    clf = nn.MLPRegressor(hidden_layer_sizes=(8,), solver='sgd', momentum=0.0,
                          learning_rate_init=1e6, max_iter=50, random_state=0)
    with pytest.raises(nn.DivergedError, match='learning_rate_init') as e:
        clf.fit(X * 1e3, y * 1e3)
    assert isinstance(e.value, FloatingPointError)
    assert np.all(np.isfinite(clf.network_.params))
