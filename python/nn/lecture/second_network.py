"""The lecture's second_network.py: inputs -> num_nodes sigmoid units ->
output_dim sigmoid units, trained by libnn (also the lecture's MNIST network).

    model = build_model(10, train_pos, train_value, eta=5e-3, output_dim=2)
    f = predict(test_pos, model)
    sum(f == test_value) / len(test_value)
"""

import numpy as np
import numpy.random as npr

from ..network import Network
from ._train import gradient_descent


def sigma(z):
    """The sigmoid function."""
    return 1. / (1. + np.exp(-z))


def sigma_prime(z):
    """Its derivative."""
    return sigma(z) * (1. - sigma(z))


def forward(x, model):
    """z1, z2, a1, a2 of the network on x (N, d), as the lecture computes them (numpy)."""
    z1 = model['w1'].dot(x.T) + model['b1']
    a1 = sigma(z1)
    z2 = model['w2'].dot(a1) + model['b2']
    a2 = sigma(z2)
    return z1, z2, a1, a2


def _network(model):
    hidden, inputs = model['w1'].shape
    outputs = model['w2'].shape[0]
    net = Network([inputs, hidden, outputs], hidden='sigmoid')
    net.weights(1)[...] = model['w1']
    net.bias(1)[...] = np.ravel(model['b1'])
    net.weights(2)[...] = model['w2']
    net.bias(2)[...] = np.ravel(model['b2'])
    return net


def _model(net):
    return {'w1': net.weights(1).copy(), 'b1': net.bias(1).reshape(-1, 1).copy(),
            'w2': net.weights(2).copy(), 'b2': net.bias(2).reshape(-1, 1).copy()}


def predict(x, model):
    """The predicted class of each sample of x: the argmax of the outputs (libnn)."""
    return _network(model).predict(x).astype(np.int64)


def build_model(num_nodes, x, y, eta, output_dim, num_steps=10000, print_best=True, *,
                random_state=None):
    """Train the network on x (N, d) and labels y in [0, output_dim) by gradient
    descent on the summed quadratic cost; returns the best model, {'w1', 'b1',
    'w2', 'b2'} (w1 is num_nodes x d, b1 num_nodes x 1, ...). The weights are
    drawn as in the lecture, w1 = npr.randn(num_nodes, d), then w2 =
    npr.randn(output_dim, num_nodes), biases 0 (random_state: an
    nn.RandomState or seed to draw them from instead)."""
    input_dim = np.shape(x)[1]
    if random_state is None:
        model = {'w1': npr.randn(num_nodes, input_dim), 'b1': np.zeros([num_nodes, 1]),
                 'w2': npr.randn(output_dim, num_nodes), 'b2': np.zeros([output_dim, 1])}
        net = _network(model)
    else:
        net = Network([input_dim, num_nodes, output_dim], hidden='sigmoid')
        net.init('randn', random_state)
    gradient_descent(net, x, y, eta, num_steps, print_best)
    return _model(net)
