"""The lecture's Python, run by libnn: one changed import per module.

    import first_network as fn      ->  from nn.lecture import first_network as fn
    import second_network as sn     ->  from nn.lecture import second_network as sn
    import mnist_loader             ->  from nn.lecture import mnist_loader
    import example1 as ex1          ->  from nn.lecture import example1 as ex1  (no scikit-learn)

The functions keep the lecture's names, arguments, results and printout
("Best by step 1000: 87.2 %", "Our best model gets 87.2 percent correct!");
training is the C library's full-batch gradient descent (nn_gd, the slides'
algorithm and cost), one step per call with the GIL released, so Ctrl-C
stops it between two steps and keeps the best model so far. The initial
weights are drawn as the lecture draws them, from numpy's global state
(npr.random(), npr.randn()), so after np.random.seed(K) a notebook prints
what `nn-example1 --seed K`, `nn-example2 --seed K` and `nn-mnist --seed K`
print. (Give random_state=nn.RandomState(K) to get_data and build_model to
draw everything from nn's own stream instead: the same numbers again.)

As in nn (doc/examples.md), the best model is a deep copy: build_model
returns the best model, where the slides' model.copy() returned the last.
"""

from . import example1, example2, first_network, mnist_loader, second_network

__all__ = ['example1', 'example2', 'first_network', 'mnist_loader', 'second_network']
