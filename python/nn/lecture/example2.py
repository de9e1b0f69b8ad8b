"""The lecture's example2.py on nn's generators (no scikit-learn needed)."""

from .. import datasets
from ..random import as_rng


def get_data(n, random_state=None):
    """make_circles(n, noise=0.1), then an 80/20 train_test_split, from one
    random stream (see nn.random)."""
    rng = as_rng(random_state)
    pos, value = datasets.make_circles(n, noise=0.1, random_state=rng)
    return datasets.train_test_split(pos, value, test_size=0.2, random_state=rng)
