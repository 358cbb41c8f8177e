"""Dense layer: forward values, gradient checks of the backward step, and cache fields."""

import numpy as np
import pytest

from snippets.activations import ACTIVATIONS, ActivationCache
from snippets.gradcheck import numerical_gradient, relative_error
from snippets.layers import DenseCache, LayerCache, dense_backward, dense_forward, layer_backward, layer_forward


def sample(seed, n_in=4, n_out=3, m=5):
    rng = np.random.default_rng(seed)
    return (
        rng.standard_normal((n_in, m)),
        rng.standard_normal((n_out, n_in)),
        rng.standard_normal((n_out, 1)),
        rng.standard_normal((n_out, m)),  # an arbitrary upstream gradient
    )


def test_dense_forward_by_hand():
    A_prev = np.array([[1.0, 0.0], [2.0, 1.0]])
    W = np.array([[1.0, -1.0]])
    b = np.array([[0.5]])
    Z, cache = dense_forward(A_prev, W, b)
    np.testing.assert_array_equal(Z, [[-0.5, -0.5]])
    assert isinstance(cache, DenseCache) and cache._fields == ("A_prev", "W", "b")
    assert cache.A_prev is A_prev and cache.W is W and cache.b is b


def test_dense_backward_is_gradient_checked():
    A_prev, W, b, dZ = sample(1)
    _, cache = dense_forward(A_prev, W, b)
    dA_prev, dW, db = dense_backward(dZ, cache)
    assert (dA_prev.shape, dW.shape, db.shape) == (A_prev.shape, W.shape, b.shape)
    # Σ dZ ⊙ Z has gradient dZ with respect to Z, so its other gradients are exactly ours.
    checks = [
        (dA_prev, lambda x: np.sum(dZ * dense_forward(x, W, b)[0]), A_prev),
        (dW, lambda x: np.sum(dZ * dense_forward(A_prev, x, b)[0]), W),
        (db, lambda x: np.sum(dZ * dense_forward(A_prev, W, x)[0]), b),
    ]
    for analytic, f, x in checks:
        assert relative_error(analytic, numerical_gradient(f, x)) <= 1e-7


def test_dense_backward_sums_over_examples_without_dividing_by_m():
    A_prev, W, b, dZ = sample(2)
    _, cache = dense_forward(A_prev, W, b)
    _, dW, db = dense_backward(dZ, cache)
    per_example = sum(np.outer(dZ[:, j], A_prev[:, j]) for j in range(A_prev.shape[1]))
    np.testing.assert_allclose(dW, per_example, rtol=1e-14)
    np.testing.assert_allclose(db[:, 0], dZ.sum(axis=1), rtol=1e-14)


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_layer_backward_is_gradient_checked(activation):
    A_prev, W, b, dA = sample(3)
    A, cache = layer_forward(A_prev, W, b, activation)
    # keep relu and step away from their kinks at 0, so finite differences mean something
    assert np.all(np.abs(cache.activation.Z) > 1e-3)
    grads = layer_backward(dA, cache)
    for position, (analytic, x) in enumerate(zip(grads, (A_prev, W, b))):

        def f(value, position=position):
            args = [A_prev, W, b]
            args[position] = value
            return np.sum(dA * layer_forward(*args, activation)[0])

        assert analytic.shape == x.shape
        assert relative_error(analytic, numerical_gradient(f, x)) <= 1e-7


def test_layer_cache_fields():
    A_prev, W, b, _ = sample(4)
    A, cache = layer_forward(A_prev, W, b, "sigmoid")
    assert isinstance(cache, LayerCache) and cache._fields == ("dense", "activation")
    assert isinstance(cache.dense, DenseCache) and isinstance(cache.activation, ActivationCache)
    assert cache.activation.A is A
    np.testing.assert_array_equal(cache.activation.Z, W @ A_prev + b)
