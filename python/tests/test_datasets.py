"""nn.datasets against scikit-learn: the same numbers for the same seed."""

import numpy as np
import pytest

import nn

skd = pytest.importorskip('sklearn.datasets', reason='scikit-learn is not installed')
skms = pytest.importorskip('sklearn.model_selection')


def same(ours, theirs, exact=True):
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs):
        assert a.shape == b.shape
        if exact:
            np.testing.assert_array_equal(a, b)
        else:   # sin/cos may differ in the last bit (doc/datasets.md)
            np.testing.assert_allclose(a, b, rtol=0, atol=1e-14)


@pytest.mark.parametrize('kw', [dict(), dict(n_samples=57, centers=4, n_features=3),
                                dict(n_samples=[10, 20, 5], cluster_std=[0.5, 1.0, 2.0]),
                                dict(centers=[[0, 0], [5, 5]], shuffle=False),
                                dict(n_samples=500, centers=2, center_box=(-3, 3))])
def test_make_blobs(kw):
    for seed in (0, 1, 2024):
        same(nn.datasets.make_blobs(random_state=seed, **kw),
             skd.make_blobs(random_state=seed, **kw))
    ours = nn.datasets.make_blobs(random_state=3, return_centers=True, **kw)
    same(ours, skd.make_blobs(random_state=3, return_centers=True, **kw))


@pytest.mark.parametrize('kw', [dict(), dict(n_samples=301, noise=0.1, factor=0.5),
                                dict(n_samples=(30, 11), shuffle=False)])
def test_make_circles_and_moons(kw):
    for seed in (0, 7):
        same(nn.datasets.make_circles(random_state=seed, **kw),
             skd.make_circles(random_state=seed, **kw), exact=False)
        kw_moons = {k: v for k, v in kw.items() if k != 'factor'}
        same(nn.datasets.make_moons(random_state=seed, **kw_moons),
             skd.make_moons(random_state=seed, **kw_moons), exact=False)


@pytest.mark.parametrize('kw', [dict(), dict(n_samples=200, n_features=6, n_informative=3,
                                            n_redundant=1, n_repeated=1, n_classes=3,
                                            n_clusters_per_class=1, weights=[0.5, 0.3]),
                                dict(n_features=2, n_redundant=0, n_clusters_per_class=1),
                                dict(shift=None, scale=None, hypercube=False, flip_y=0.2)])
def test_make_classification(kw):
    X, y = nn.datasets.make_classification(random_state=4, **kw)
    Xs, ys = skd.make_classification(random_state=4, **kw)
    np.testing.assert_array_equal(y, ys)
    # bit for bit with the same BLAS (doc/datasets.md); to rounding otherwise
    np.testing.assert_allclose(X, Xs, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize('kw', [dict(), dict(test_size=0.2), dict(test_size=17),
                                dict(train_size=0.5, test_size=0.3), dict(shuffle=False)])
def test_train_test_split(kw):
    X, y = nn.datasets.make_blobs(103, centers=3, random_state=0)
    names = np.array(['x', 'y', 'z'])[y]
    seed = None if not kw.get('shuffle', True) else 5
    same(nn.datasets.train_test_split(X, y, names, random_state=seed, **kw),
         skms.train_test_split(X, y, names, random_state=seed, **kw))
    same(nn.datasets.train_test_split(X, y, random_state=1, stratify=names),
         skms.train_test_split(X, y, random_state=1, stratify=names))


def test_one_stream_through_generator_split_and_weights():
    """The lecture's order after np.random.seed(k), from one nn.RandomState."""
    np.random.seed(11)
    X, y = skd.make_circles(50, noise=0.1)
    parts = skms.train_test_split(X, y, test_size=0.2)
    w = np.random.randn(3, 2)
    rng = nn.RandomState(11)
    X2, y2 = nn.datasets.make_circles(50, noise=0.1, random_state=rng)
    same(nn.datasets.train_test_split(X2, y2, test_size=0.2, random_state=rng), parts, False)
    net = nn.Network([2, 3, 1]).init('randn', rng)
    np.testing.assert_array_equal(net.weights(1), w)


def test_random_state_draws_like_numpy():
    ours, theirs = nn.RandomState(42), np.random.RandomState(42)
    np.testing.assert_array_equal(ours.random(5), theirs.random_sample(5))
    np.testing.assert_array_equal(ours.randn(2, 3), theirs.randn(2, 3))
    assert ours.randn() == theirs.randn()
    np.testing.assert_array_equal(ours.permutation(10), theirs.permutation(10))
    np.testing.assert_array_equal(ours.randint(3, 9, size=6), theirs.randint(3, 9, size=6))
    np.testing.assert_array_equal(ours.uniform(-1, 2, 4), theirs.uniform(-1, 2, 4))
    ours.seed(7)
    assert ours.random() == np.random.RandomState(7).random_sample()


def test_bad_arguments():
    with pytest.raises(ValueError):
        nn.datasets.make_blobs(0)
    with pytest.raises(nn.InvalidArgument):
        nn.datasets.make_circles(10, factor=1.5)
    with pytest.raises(ValueError, match='inconsistent'):
        nn.datasets.train_test_split(np.zeros((4, 2)), np.zeros(3))
    with pytest.raises(ValueError):
        nn.datasets.make_classification(n_informative=1, n_classes=4)
    with pytest.raises(ValueError, match='seed'):
        nn.RandomState(-1)
