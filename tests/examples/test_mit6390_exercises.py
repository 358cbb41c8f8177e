"""MIT 6.390 exercises: every answer and solution number, recomputed independently (finite differences, the package)."""

import numpy as np
import pytest

from snippets.examples import mit6390_exercises as ex
from snippets.gradcheck import numerical_gradient
from snippets.network import forward_backward

SEEDS = (1, 2, 3)


def centred(f, x):
    return numerical_gradient(f, np.asarray(x, dtype=float))


def nll(a, y):
    return float(-(y * np.log(a) + (1 - y) * np.log(1 - a)))


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


@pytest.mark.parametrize("seed", SEEDS)
def test_nll_slope(seed):
    t = ex.nll_slope(seed)
    assert t.answer == pytest.approx(float(centred(lambda v: nll(v[0], t.y), [t.a])[0]), abs=1e-8)


@pytest.mark.parametrize("seed", SEEDS)
def test_two_neurons(seed):
    t = ex.two_neurons(seed)
    loss = lambda w1: nll(sigmoid(t.w2 * sigmoid(w1 * t.x + t.w10) + t.w20), t.y)  # noqa: E731
    assert t.answer == pytest.approx(float(centred(lambda v: loss(v[0]), [t.w1])[0]), abs=1e-8)
    # the package, with the notes' W as the transpose of its (n_out, n_in) layout: here 1 x 1 either way
    params = [(np.array([[t.w1]]), np.array([[t.w10]])), (np.array([[t.w2]]), np.array([[t.w20]]))]
    _, grads = forward_backward(params, np.array([[t.x]]), np.array([[float(t.y)]]),
                                activations=["sigmoid", "sigmoid"], loss="binary_cross_entropy")
    assert t.answer == pytest.approx(grads[0][0][0, 0])
    assert t.dL_dz2 * t.w2 * t.da1_dz1 * t.x == pytest.approx(t.answer)


@pytest.mark.parametrize("seed", SEEDS)
def test_weight_shape(seed):
    t = ex.weight_shape(seed)
    rng = np.random.default_rng(seed)
    W, w0, a = rng.normal(size=(t.m, t.n)), rng.normal(size=t.n), rng.normal(size=t.m)
    grad = centred(lambda M: float(np.sum((M.T @ a + w0) ** 2)), W)  # any scalar loss of z = Wᵀa + w0
    assert grad == pytest.approx(np.outer(a, 2 * (W.T @ a + w0)), abs=1e-5)  # a (∂L/∂z)ᵀ
    assert t.options[t.answer] == str(grad.shape)
    assert len(set(t.options)) == 4


@pytest.mark.parametrize("seed", SEEDS)
def test_descent_step(seed):
    t = ex.descent_step(seed)
    loss = lambda w: nll(sigmoid(w @ t.x + t.w0), t.y)  # noqa: E731
    numeric = centred(loss, t.w)
    assert t.grad == pytest.approx(numeric, abs=1e-8)
    assert t.answer == pytest.approx(t.w[t.k - 1] - t.lr * numeric[t.k - 1], abs=1e-8)
    assert t.loss == pytest.approx(loss(t.w))
    assert t.loss_after < t.loss  # the step goes downhill


@pytest.mark.parametrize("seed", SEEDS)
def test_sign_mistake(seed):
    t = ex.sign_mistake(seed)
    numeric = float(centred(lambda v: nll(sigmoid(v[0] * t.x + t.w0), t.y), [t.w])[0])
    assert t.true == pytest.approx(numeric, abs=1e-8)
    assert t.printed == pytest.approx(-t.true)  # 7.7 is the ascent direction
    assert abs(t.true) >= 0.05
    assert "minus sign" in t.options[t.answer]


def test_sign_mistake_redraws_keep_a_consistent():
    # Seeds beyond the page's three, some of which redraw x (seed 8 does): a must follow the final x.
    for seed in range(1, 200):
        t = ex.sign_mistake(seed)
        assert t.a == pytest.approx(sigmoid(t.w * t.x + t.w0), abs=1e-12), seed
        numeric = float(centred(lambda v, t=t: nll(sigmoid(v[0] * t.x + t.w0), t.y), [t.w])[0])
        assert t.true == pytest.approx(numeric, abs=1e-8), seed


@pytest.mark.parametrize("seed", SEEDS)
def test_planar_step(seed):
    t = ex.planar_step(seed)
    f = lambda v: float(t.p * v[0] ** 2 + t.q * v[0] * v[1])  # noqa: E731
    assert t.grad == pytest.approx(centred(f, t.x), abs=1e-7)
    assert t.answer == pytest.approx(f(t.x) + centred(f, t.x) @ t.step, abs=1e-7)
    assert t.exact == pytest.approx(f(t.x + t.step))
    assert t.error == pytest.approx(t.p * t.step[0] ** 2 + t.q * t.step[0] * t.step[1])  # second order, exactly
    assert abs(t.error) < 0.1 * abs(t.predicted_change) or abs(t.predicted_change) < 1e-3


@pytest.mark.parametrize("make", [ex.nll_slope, ex.two_neurons, ex.weight_shape, ex.descent_step, ex.planar_step,
                                  ex.sign_mistake])
def test_variants_differ(make):
    assert len({repr(make(seed)) for seed in SEEDS}) == len(SEEDS)
