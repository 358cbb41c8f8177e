"""SGD-NEURAL-NET (snippets.training): gradients of one step, determinism, initialisation, errors."""

import numpy as np
import pytest

from snippets.gradcheck import numerical_gradient, relative_error
from snippets.network import forward_backward
from snippets.training import init_gaussian, init_zeros, sgd_neural_net, sgd_step_gradients

PAIRS = [
    (["tanh", "sigmoid"], "binary_cross_entropy"),  # fused: starts from ∂L/∂Z^L
    (["sigmoid", "identity"], "squared"),  # starts from ∂L/∂A^L
    (["relu", "tanh", "softmax"], "cross_entropy"),
]


def _data(n_out, rng):
    X = rng.standard_normal((3, 5))
    if n_out == 1:
        Y = (rng.random((1, 5)) > 0.5).astype(float)
    else:
        Y = np.eye(n_out)[:, rng.integers(n_out, size=5)]
    return X, Y


@pytest.mark.parametrize("activations, loss", PAIRS)
def test_one_step_gradients_match_finite_differences(activations, loss):
    rng = np.random.default_rng(0)
    sizes = [3] + [4] * (len(activations) - 1) + [1 if loss != "cross_entropy" else 3]
    params = init_gaussian(sizes, rng)
    X, Y = _data(sizes[-1], rng)
    x, y = X[:, [2]], Y[:, [2]]
    grads = sgd_step_gradients(params, x, y, activations=activations, loss=loss)
    _, package = forward_backward(params, x, y, activations=activations, loss=loss)
    for layer, ((W, b), (dW, db)) in enumerate(zip(params, grads)):
        assert dW.shape == W.shape and db.shape == b.shape
        np.testing.assert_allclose(dW, package[layer][0], atol=1e-12)

        def cost_W(W_, layer=layer):
            p = list(params)
            p[layer] = (W_, p[layer][1])
            return forward_backward(p, x, y, activations=activations, loss=loss)[0]

        if "relu" not in activations:  # relu's kink can spoil a finite difference
            assert relative_error(dW, numerical_gradient(cost_W, W)) < 1e-6


def test_training_is_deterministic_and_decreases_the_cost():
    rng = np.random.default_rng(1)
    X, Y = _data(1, rng)

    def run():
        return sgd_neural_net(X, Y, layer_sizes=[3, 4, 1], activations=["tanh", "sigmoid"],
                              loss="binary_cross_entropy", T=200, eta=0.5, rng=np.random.default_rng(7),
                              record_every=50)

    a, b = run(), run()
    np.testing.assert_array_equal(a.costs, b.costs)
    np.testing.assert_array_equal(a.steps, [0, 50, 100, 150, 200])
    assert a.costs[-1] < a.costs[0]
    np.testing.assert_array_equal(a.initial[0][0], b.initial[0][0])


def test_eta_may_be_a_schedule_and_t_zero_changes_nothing():
    X, Y = _data(1, np.random.default_rng(2))
    kwargs = dict(layer_sizes=[3, 2, 1], activations=["tanh", "sigmoid"], loss="binary_cross_entropy")
    r = sgd_neural_net(X, Y, T=0, eta=0.1, rng=np.random.default_rng(0), **kwargs)
    np.testing.assert_array_equal(r.params[0][0], r.initial[0][0])
    s = sgd_neural_net(X, Y, T=20, eta=lambda t: 1.0 / t, rng=np.random.default_rng(0), **kwargs)
    assert np.all(np.isfinite(s.costs))


def test_initialisations():
    W, b = init_gaussian([400, 300], np.random.default_rng(0))[0]
    assert W.shape == (300, 400) and b.shape == (300, 1)
    assert np.std(W) == pytest.approx(1 / np.sqrt(400), rel=0.02)  # variance 1/m
    assert all(not np.any(W) and not np.any(b) for W, b in init_zeros([3, 2, 1]))


@pytest.mark.parametrize(
    "change, message",
    [
        (dict(init="ones"), "init"),
        (dict(T=-1), "T"),
        (dict(rng=0), "rng"),
        (dict(Y=np.zeros((1, 4))), "Y"),
    ],
)
def test_bad_arguments(change, message):
    X, Y = _data(1, np.random.default_rng(3))
    kwargs = dict(X=X, Y=Y, layer_sizes=[3, 2, 1], activations=["tanh", "sigmoid"], loss="binary_cross_entropy",
                  T=5, eta=0.1, rng=np.random.default_rng(0))
    kwargs.update(change)
    with pytest.raises(ValueError, match=message):
        sgd_neural_net(**kwargs)
