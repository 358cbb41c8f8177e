"""PadhAI exercises: every answer and solution number, recomputed independently (finite differences, the package)."""

import numpy as np
import pytest

from snippets.activations import sigmoid, softmax
from snippets.examples import padhai_exercises as ex
from snippets.gradcheck import numerical_gradient
from snippets.network import forward_backward

SEEDS = (1, 2, 3)


def centred(f, x):
    return float(numerical_gradient(lambda v: f(float(v[0])), np.array([x]))[0])


@pytest.mark.parametrize("seed", SEEDS)
def test_sigmoid_slope(seed):
    t = ex.sigmoid_slope(seed)
    assert t.h == pytest.approx(1 / (1 + np.exp(-t.a)))
    assert t.answer == pytest.approx(centred(lambda a: 1 / (1 + np.exp(-a)), t.a), abs=1e-9)
    assert t.answer == pytest.approx(t.h * t.one_minus_h)
    assert round(t.a, 2) == t.a  # the page shows the input with two decimals: it is the input used


@pytest.mark.parametrize("seed", SEEDS)
def test_two_paths(seed):
    t = ex.two_paths(seed)

    def loss(w):
        h1 = 1 / (1 + np.exp(-w * t.x))
        y_hat = 1 / (1 + np.exp(-(t.v * h1 + t.c)))
        return float(np.sum((t.y - y_hat) ** 2))

    assert t.answer == pytest.approx(centred(loss, t.w), abs=1e-8)
    assert t.dL_dh1 == pytest.approx(t.path[0] + t.path[1])
    assert t.answer == pytest.approx(t.dL_dh1 * t.dh1_da1 * t.x)
    for k in range(2):
        assert t.path[k] == pytest.approx(t.dL_dyhat[k] * t.dyhat_da[k] * t.v[k])
    assert t.y_hat == pytest.approx(sigmoid(t.a)) and t.h1 == pytest.approx(float(sigmoid(np.array(t.a1))))
    assert abs(round(t.answer, 5) - t.answer) <= t.tolerance  # typing the printed answer counts as right


def test_two_paths_rejects_zero_and_one_path():
    """Over many seeds, neither 0 nor the answer with one path forgotten falls within the tolerance."""
    for seed in range(500):
        t = ex.two_paths(seed)
        one_path = t.path * t.dh1_da1 * t.x  # recomputed here, not through the module's helper
        assert abs(t.answer) > t.tolerance, seed
        assert np.all(np.abs(one_path - t.answer) > t.tolerance), seed


@pytest.mark.parametrize("seed", SEEDS)
def test_weight_shape(seed):
    t = ex.weight_shape(seed)
    rng = np.random.default_rng(0)
    params = [(rng.normal(size=(n_out, n_in)), np.zeros((n_out, 1))) for n_in, n_out in zip(t.sizes, t.sizes[1:])]
    X, Y = rng.normal(size=(t.sizes[0], 2)), rng.normal(size=(t.sizes[-1], 2))
    _, grads = forward_backward(params, X, Y, activations=["sigmoid"] * 3, loss="squared")
    assert t.options[t.answer] == str(grads[t.layer - 1][0].shape)
    assert len(set(t.options)) == len(t.options) == 4


@pytest.mark.parametrize("seed", SEEDS)
def test_bias_step(seed):
    t = ex.bias_step(seed)
    loss = lambda b_k: float(-np.log(softmax(t.a + np.eye(3)[t.k] * (b_k - t.b[t.k]))[t.label]))  # noqa: E731
    numeric = centred(loss, float(t.b[t.k]))
    assert t.grad_k == pytest.approx(numeric, abs=1e-8)
    assert t.answer == pytest.approx(t.b[t.k] - t.lr * numeric, abs=1e-8)
    assert t.y_hat == pytest.approx(np.exp(t.a) / np.exp(t.a).sum())
    assert t.k != t.label and t.grad_k > 0  # a wrong class: its gradient is ŷ_k > 0, so the step lowers it


@pytest.mark.parametrize("seed", SEEDS)
def test_one_path_mistake(seed):
    t = ex.one_path_mistake(seed)
    y = np.array([1.0, 0.0])
    loss = lambda w: float(np.sum((y - softmax(t.a + np.array([w * t.h, 0.0]))) ** 2))  # noqa: E731
    assert t.true == pytest.approx(centred(loss, 0.0), abs=1e-9)
    assert t.one_path == pytest.approx(-2 * (1 - t.y_hat[0]) * t.y_hat[0] * (1 - t.y_hat[0]) * t.h)
    assert t.ratio == pytest.approx(2.0)  # with two classes the loss is 2(y1 − ŷ1)²: the one path is half
    assert "ŷ2" in t.options[t.answer]


@pytest.mark.parametrize("seed", SEEDS)
def test_centred_check(seed):
    t = ex.centred_check(seed)

    def loss(w):
        return float((t.y - 1 / (1 + np.exp(-(w * t.h + t.b)))) ** 2)

    assert t.loss_plus == pytest.approx(loss(t.w + t.step), abs=1e-10)
    assert t.loss_minus == pytest.approx(loss(t.w - t.step), abs=1e-10)
    assert t.analytic == pytest.approx(centred(loss, t.w), abs=1e-9)  # the chain rule is right
    assert abs(t.answer - t.analytic) <= t.tolerance  # so the hand estimate lands within the tolerance
    assert t.relative_error < 1e-4  # what the solution says


@pytest.mark.parametrize("make", [ex.sigmoid_slope, ex.two_paths, ex.weight_shape, ex.bias_step, ex.one_path_mistake,
                                  ex.centred_check])
def test_variants_differ(make):
    """'New numbers' must bring new numbers: no two seeds give the same exercise."""
    shown = [repr(make(seed)) for seed in SEEDS]
    assert len(set(shown)) == len(SEEDS)
