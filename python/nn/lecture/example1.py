"""The lecture's example1.py on nn's generators (no scikit-learn needed)."""

from .. import datasets
from ..random import as_rng


def get_data(n, random_state=None):
    """make_blobs(n, centers=2, center_box=(-3, 3), cluster_std=1.0), then an
    80/20 train_test_split, from one random stream (see nn.random)."""
    rng = as_rng(random_state)
    pos, value = datasets.make_blobs(n, centers=2, center_box=(-3, 3), cluster_std=1.0,
                                     random_state=rng)
    return datasets.train_test_split(pos, value, test_size=0.2, random_state=rng)
