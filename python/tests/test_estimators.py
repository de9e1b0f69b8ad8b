"""nn.MLPClassifier and nn.MLPRegressor as scikit-learn estimators."""

import pickle
import warnings

import numpy as np
import pytest

import nn

sklearn = pytest.importorskip('sklearn', reason='scikit-learn (python3-sklearn) is not installed')
from sklearn.utils.estimator_checks import (  # noqa: E402
    check_estimators_data_not_an_array, parametrize_with_checks)


@parametrize_with_checks([nn.MLPClassifier(random_state=0), nn.MLPRegressor(random_state=0)])
def test_check_estimator(estimator, check):
    """Every check of scikit-learn's check_estimator. Two skip themselves:
    check_classifier_data_not_an_array and check_regressor_data_not_an_array
    skip their pandas half without pandas; their NotAnArray half is run below."""
    with warnings.catch_warnings():
        warnings.simplefilter('ignore', nn.ConvergenceWarning)
        check(estimator)


@pytest.mark.parametrize('est', [nn.MLPClassifier(random_state=0), nn.MLPRegressor(random_state=0)])
def test_data_not_an_array(est):
    """The NotAnArray half of check_*_data_not_an_array (run without pandas)."""
    X = np.array([[3, 0], [0, 1], [0, 2], [1, 1], [1, 2], [2, 1], [0, 3], [1, 0], [2, 0],
                  [4, 4], [2, 3], [3, 2]], dtype=float)
    y = np.array([1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2])
    with warnings.catch_warnings():
        warnings.simplefilter('ignore', nn.ConvergenceWarning)
        check_estimators_data_not_an_array(type(est).__name__, est, X, y, 'NotAnArray')


def test_in_pipeline_cross_val_and_grid_search(blobs):
    from sklearn.model_selection import GridSearchCV, cross_val_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    X, y = blobs
    pipe = make_pipeline(StandardScaler(), nn.MLPClassifier(
        hidden_layer_sizes=(16,), max_iter=100, learning_rate_init=0.01, random_state=0))
    with warnings.catch_warnings():
        warnings.simplefilter('ignore', nn.ConvergenceWarning)
        scores = cross_val_score(pipe, X, y, cv=3)
        assert scores.shape == (3,) and scores.min() > 0.8
        grid = GridSearchCV(pipe, {'mlpclassifier__alpha': [1e-4, 1e-1],
                                   'mlpclassifier__hidden_layer_sizes': [(4,), (16,)]}, cv=3)
        grid.fit(X, y)
    assert set(grid.best_params_) == {'mlpclassifier__alpha', 'mlpclassifier__hidden_layer_sizes'}
    assert grid.best_score_ > 0.8
    assert grid.predict(X).shape == (len(y),)


def test_sklearn_catches_nn_errors_and_warnings():
    """nn's NotFittedError and ConvergenceWarning are scikit-learn's too once it is loaded."""
    from sklearn.exceptions import ConvergenceWarning, NotFittedError
    with pytest.raises(NotFittedError):
        nn.MLPClassifier().predict(np.zeros((1, 2)))
    with pytest.raises(nn.NotFittedError):
        nn.MLPClassifier().predict(np.zeros((1, 2)))
    X, y = nn.datasets.make_moons(40, random_state=0)
    with pytest.warns(ConvergenceWarning):
        nn.MLPClassifier(max_iter=2, random_state=0).fit(X, y)


def _one_step(Est, X, y, **kw):
    """Weights after one full-batch SGD step from the same start, nn and scikit-learn."""
    import sklearn.neural_network as sknn
    common = dict(hidden_layer_sizes=(5,), solver='sgd', momentum=0.0, batch_size=len(X),
                  shuffle=False, learning_rate_init=0.1, max_iter=1, warm_start=True, **kw)
    sk = getattr(sknn, Est.__name__)(random_state=0, **common)
    ours = Est(random_state=0, **common)
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        sk.fit(X, y)
        ours.fit(X, y)
        ours.coefs_ = [c.copy() for c in sk.coefs_]
        ours.intercepts_ = [b.copy() for b in sk.intercepts_]
        sk.fit(X, y)
        ours.fit(X, y)
    return sk, ours


@pytest.mark.parametrize('classes', [2, 3])
def test_alpha_is_scikit_learns_penalty(classes):
    """alpha maps to l2 = alpha / batch: one SGD step lands where scikit-learn's does."""
    X, y = nn.datasets.make_blobs(64, centers=classes, random_state=1)
    sk, ours = _one_step(nn.MLPClassifier, X, y, alpha=0.7, activation='tanh')
    for a, b in zip(sk.coefs_ + sk.intercepts_, ours.coefs_ + ours.intercepts_):
        np.testing.assert_allclose(b, a, rtol=1e-10, atol=1e-12)
    # and without the penalty the step differs: alpha did something
    sk0, _ = _one_step(nn.MLPClassifier, X, y, alpha=0.0, activation='tanh')
    assert not np.allclose(sk0.coefs_[0], ours.coefs_[0], rtol=1e-6)


def test_regressor_step_and_loss_match_scikit_learn():
    X, y = nn.datasets.make_blobs(50, centers=2, random_state=2)
    Y = np.column_stack([X.sum(axis=1), y])   # two outputs
    sk, ours = _one_step(nn.MLPRegressor, X, Y, alpha=0.3, activation='relu')
    for a, b in zip(sk.coefs_ + sk.intercepts_, ours.coefs_ + ours.intercepts_):
        np.testing.assert_allclose(b, a, rtol=1e-10, atol=1e-12)


def test_fitted_attributes_and_views(blobs):
    X, y = blobs
    clf = nn.MLPClassifier(hidden_layer_sizes=(7, 5), max_iter=30, random_state=0)
    with pytest.warns(nn.ConvergenceWarning):
        clf.fit(X, y)
    assert list(clf.classes_) == [0, 1, 2]
    assert clf.n_features_in_ == 2 and clf.n_layers_ == 4 and clf.n_outputs_ == 3
    assert clf.n_iter_ == 30 and len(clf.loss_curve_) == 30 and clf.t_ == 30 * len(X)
    assert clf.out_activation_ == 'softmax'
    assert [c.shape for c in clf.coefs_] == [(2, 7), (7, 5), (5, 3)]
    assert [b.shape for b in clf.intercepts_] == [(7,), (5,), (3,)]
    # views of the network's one parameter buffer: writing them changes predictions
    params = clf.network_.params
    assert np.shares_memory(clf.coefs_[0], params) and np.shares_memory(clf.intercepts_[2], params)
    before = clf.predict_proba(X[:5])
    clf.intercepts_[2][0] += 50.0
    assert np.all(clf.predict(X[:5]) == 0)
    assert not np.allclose(before, clf.predict_proba(X[:5]))
    proba = clf.predict_proba(X)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    np.testing.assert_array_equal(clf.predict(X), clf.classes_[proba.argmax(axis=1)])
    # the model, an estimator attribute, survives its estimator and a pickle round trip
    w = clf.coefs_[0]
    clone = pickle.loads(pickle.dumps(clf))
    del clf
    np.testing.assert_array_equal(clone.coefs_[0], w)
    np.testing.assert_array_equal(clone.predict_proba(X), proba)


def test_labels_of_any_type_and_binary_output():
    X, y = nn.datasets.make_moons(100, noise=0.1, random_state=0)
    names = np.array(['cat', 'dog'])[y]
    clf = nn.MLPClassifier(hidden_layer_sizes=(10,), max_iter=400, random_state=0)
    with pytest.warns(nn.ConvergenceWarning):
        clf.fit(X, names)
    assert clf.network_.n_outputs == 1 and clf.out_activation_ == 'logistic'
    assert clf.network_.cost == 'binary-cross-entropy'
    assert set(clf.predict(X)) <= {'cat', 'dog'} and clf.score(X, names) > 0.8
    assert clf.network_.names('classes') == ['cat', 'dog']


def test_early_stopping_keeps_the_best_validation_score(blobs):
    X, y = blobs
    clf = nn.MLPClassifier(hidden_layer_sizes=(10,), early_stopping=True, max_iter=200,
                           n_iter_no_change=3, random_state=0, learning_rate_init=0.01)
    clf.fit(X, y)
    assert clf.best_loss_ is None
    assert len(clf.validation_scores_) == clf.n_iter_ < 200
    assert clf.best_validation_score_ == max(clf.validation_scores_)


def test_tol_stops_on_the_training_loss():
    X, y = nn.datasets.make_blobs(200, centers=2, cluster_std=0.5, random_state=3)
    clf = nn.MLPClassifier(hidden_layer_sizes=(4,), tol=1e-2, n_iter_no_change=2, max_iter=500,
                           random_state=0, learning_rate_init=0.05).fit(X, y)
    assert clf.n_iter_ < 500
    # scikit-learn's rule: stop when the loss failed to improve by tol for n_iter_no_change + 1
    curve = np.array(clf.loss_curve_)
    best = np.minimum.accumulate(curve)
    assert np.all(curve[-3:] > best[-4:-1] - 1e-2)


def test_nn_parameters_and_precision():
    X, y = nn.datasets.make_moons(60, random_state=0)
    quad = nn.MLPClassifier(hidden_layer_sizes=(6,), cost='quadratic', max_iter=5,
                            dropout=0.2, scaling='standard', random_state=0)
    with pytest.warns(nn.ConvergenceWarning):
        quad.fit(X, y)
    assert quad.network_.cost == 'quadratic' and quad.network_.scaling[0] == 'standard'
    np.testing.assert_allclose(quad.network_.scaling[1], X.mean(axis=0))
    with pytest.raises(ValueError, match='precision'):
        nn.MLPClassifier(precision='float16').fit(X, y)
    with pytest.raises(ValueError, match='lbfgs'):
        nn.MLPClassifier(solver='lbfgs').fit(X, y)


def test_model_from_an_estimator_loads_as_an_estimator(tmp_path, blobs):
    X, y = blobs
    clf = nn.MLPClassifier(hidden_layer_sizes=(8,), max_iter=50, random_state=0)
    with pytest.warns(nn.ConvergenceWarning):
        clf.fit(X, y + 10)   # classes 10, 11, 12
    clf.save(tmp_path / 'm.nn')
    again = nn.MLPClassifier.from_network(tmp_path / 'm.nn')
    assert list(again.classes_) == [10, 11, 12]
    np.testing.assert_array_equal(again.predict(X), clf.predict(X))
    np.testing.assert_array_equal(again.predict_proba(X), clf.predict_proba(X))


def test_float32_networks(tmp_path, blobs):
    """precision='float32': libnn's binary32 networks, float32 views, the same answers."""
    X, y = blobs
    kw = dict(hidden_layer_sizes=(16,), learning_rate_init=0.01, max_iter=60, random_state=0)
    f64 = nn.MLPClassifier(**kw).fit(X, y)
    f32 = nn.MLPClassifier(precision='float32', **kw).fit(X, y)
    assert f32.network_.precision == 'float32'
    assert all(c.dtype == np.float32 for c in f32.coefs_ + f32.intercepts_)
    assert np.shares_memory(f32.coefs_[1], f32.network_.params)
    # the same run in float: the same predictions almost everywhere, losses within 1e-3
    assert np.mean(f32.predict(X) == f64.predict(X)) >= 0.98
    np.testing.assert_allclose(f32.loss_curve_, f64.loss_curve_, rtol=1e-3, atol=1e-4)
    np.testing.assert_allclose(f32.coefs_[0], f64.coefs_[0], rtol=1e-3, atol=1e-4)
    proba = f32.predict_proba(X)
    assert proba.dtype == np.float64
    f32.save(tmp_path / 'f32.nn')
    net = nn.load(tmp_path / 'f32.nn')
    assert net.precision == 'float32'
    np.testing.assert_array_equal(net.params, f32.network_.params)
    np.testing.assert_array_equal(net.predict_values(X), proba)
    again = nn.MLPClassifier.from_network(net)
    assert again.precision == 'float32'
    f32.coefs_ = [c * 0 for c in f32.coefs_]      # assigning into float32 views
    assert not f32.network_.params[:2 * 16].any()
