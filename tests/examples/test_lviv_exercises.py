"""Lviv exercises: every answer and solution number, recomputed independently (finite differences, the package)."""

import numpy as np
import pytest

from snippets.examples import lviv_exercises as ex
from snippets.gradcheck import numerical_gradient
from snippets.network import forward_backward

SEEDS = (1, 2, 3)


def centred(f, x):
    return numerical_gradient(f, np.asarray(x, dtype=float))


@pytest.mark.parametrize("seed", SEEDS)
def test_tanh_slope(seed):
    t = ex.tanh_slope(seed)
    assert t.answer == pytest.approx(float(centred(lambda v: np.tanh(v[0]), [t.z])[0]), abs=1e-9)


@pytest.mark.parametrize("seed", SEEDS)
def test_hidden_paths(seed):
    t = ex.hidden_paths(seed)
    # a cost whose gradient at z[2] is dz[2]: J = dz[2] · z[2], with z[2] = W[2] tanh(z[1])
    cost = lambda z1: float(t.dz2 @ (t.W2 @ np.tanh(z1)))  # noqa: E731
    assert t.answer == pytest.approx(centred(cost, t.z1)[t.j - 1], abs=1e-8)
    assert t.da1_j == pytest.approx((t.W2.T @ t.dz2)[t.j - 1]) and t.paths.sum() == pytest.approx(t.da1_j)


@pytest.mark.parametrize("seed", SEEDS)
def test_back_shape(seed):
    t = ex.back_shape(seed)
    rng = np.random.default_rng(seed)
    params = [(rng.normal(size=(n, k)), np.zeros((n, 1))) for k, n in zip(t.sizes, t.sizes[1:])]
    X, Y = rng.normal(size=(t.sizes[0], t.m)), rng.normal(size=(t.sizes[-1], t.m))
    _, grads = forward_backward(params, X, Y, activations=["tanh"] * 3, loss="squared")
    dW, _ = grads[t.layer - 1]
    assert dW.shape == (t.n_this, t.n_prev)  # so W[l]ᵀ dZ[l] is (n[l−1], n[l]) (n[l], m)
    dA_prev = params[t.layer - 1][0].T @ rng.normal(size=(t.n_this, t.m))
    assert t.options[t.answer] == str(dA_prev.shape)
    assert len(set(t.options)) == 4


@pytest.mark.parametrize("seed", SEEDS)
def test_weight_update(seed):
    t = ex.weight_update(seed)
    Z2 = np.log(t.A2 / (1 - t.A2))  # the pre-activations whose sigmoid is A[2]
    b2 = Z2 - t.W2 @ t.A1  # any b[2] (one per example here) reproducing them: the gradient in W is unaffected

    def cost(W):
        a = 1 / (1 + np.exp(-(W @ t.A1 + b2)))
        return float(np.mean(-(t.Y * np.log(a) + (1 - t.Y) * np.log(1 - a))))

    numeric = centred(cost, t.W2)
    assert t.dW2 == pytest.approx(numeric, abs=1e-8)
    assert t.answer == pytest.approx(t.W2[t.k - 1] - t.lr * numeric[t.k - 1], abs=1e-8)


@pytest.mark.parametrize("seed", SEEDS)
def test_two_dz_mistake(seed):
    t = ex.two_dz_mistake(seed)
    Z = np.log(t.A2 / (1 - t.A2)).reshape(1, -1)
    W, b = np.eye(1), np.zeros((1, 1))
    _, grads = forward_backward([(W, b)], Z, t.Y.reshape(1, -1), activations=["sigmoid"], loss="binary_cross_entropy")
    assert t.answer == pytest.approx(grads[0][1][0, 0])  # the package's db of the mean cost
    assert t.mixed == pytest.approx(t.answer / t.m)
    assert abs(t.answer - t.mixed) > 10 * t.tolerance


@pytest.mark.parametrize("seed", SEEDS)
def test_zero_start(seed):
    t = ex.zero_start(seed)
    params = [(np.zeros((2, 2)), np.zeros((2, 1))), (np.zeros((1, 2)), np.zeros((1, 1)))]
    _, grads = forward_backward(params, t.X, t.Y.reshape(1, -1), activations=["sigmoid", "sigmoid"],
                                loss="binary_cross_entropy")
    (dW1, _), (dW2, _) = grads
    assert t.answer == pytest.approx(dW2[0, 1]) and t.dW2 == pytest.approx(dW2.ravel())
    assert dW2[0, 0] == dW2[0, 1]  # the two hidden units get the same update
    assert np.all(dW1 == 0) and t.dW1_max == 0
    assert t.answer == pytest.approx(0.5 * (0.5 - t.Y.mean()))  # the inputs do not matter


@pytest.mark.parametrize("make", [ex.tanh_slope, ex.hidden_paths, ex.back_shape, ex.weight_update, ex.two_dz_mistake,
                                  ex.zero_start])
def test_variants_differ(make):
    assert len({repr(make(seed)) for seed in SEEDS}) == len(SEEDS)
