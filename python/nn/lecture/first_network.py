"""The lecture's first_network.py: one sigmoid neuron, trained by libnn.

    model = build_model(train_pos, train_value, eta=5e-5)
    f = predict(test_pos, model)
    sum(np.round(f) == test_value) / len(test_value)
"""

import numpy as np
import numpy.random as npr

from ..network import Network
from ._train import gradient_descent


def sigma(x, model):
    """The neuron's output on x (N, 2), as the lecture computes it (numpy)."""
    z = model['w1'] * x[:, 0] + model['w2'] * x[:, 1] + model['b']
    return 1. / (1. + np.exp(-z))


def _network(model):
    net = Network([2, 1], hidden='sigmoid')
    net.params[:] = [model['w1'], model['w2'], model['b']]
    return net


def predict(x, model):
    """The neuron's output on x (N, 2), computed by libnn: round it for the class."""
    return _network(model).predict_values(x)[:, 0]


def build_model(x, y, eta, num_steps=10000, print_best=True, *, random_state=None):
    """Train one sigmoid neuron on x (N, 2) and labels y (0 or 1) by gradient
    descent on the summed quadratic cost; returns the best model,
    {'w1', 'w2', 'b'}. w1, w2, b are drawn by npr.random() as in the lecture
    (random_state: an nn.RandomState or seed to draw them from instead)."""
    if random_state is None:
        model = {'w1': npr.random(), 'w2': npr.random(), 'b': npr.random()}
        net = _network(model)
    else:
        net = Network([2, 1], hidden='sigmoid').init('random', random_state)
    gradient_descent(net, x, y, eta, num_steps, print_best)
    w1, w2, b = (float(v) for v in net.params)
    return {'w1': w1, 'w2': w2, 'b': b}
