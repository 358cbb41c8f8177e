"""Workbook exercises: every answer and solution number, recomputed independently (finite differences, the package)."""

import numpy as np
import pytest

from snippets.activations import softmax
from snippets.examples import workbook_exercises as ex
from snippets.gradcheck import numerical_gradient
from snippets.network import forward_backward

SEEDS = (1, 2, 3)


def centred(f, x):
    return numerical_gradient(f, np.asarray(x, dtype=float))


def ce(z3, y):
    return float(-np.sum(y * np.log(softmax(z3))))


@pytest.mark.parametrize("seed", SEEDS)
def test_log_chain(seed):
    t = ex.log_chain(seed)
    assert t.answer == pytest.approx(float(centred(lambda v: np.log(1 + np.exp(t.c * v[0])), [t.x])[0]), abs=1e-9)
    assert t.inner == pytest.approx(1 + np.exp(t.c * t.x))


@pytest.mark.parametrize("seed", SEEDS)
def test_output_gradient(seed):
    t = ex.output_gradient(seed)
    numeric = centred(lambda z: ce(z, t.y), t.z3)
    assert t.answer == pytest.approx(numeric[t.j - 1], abs=1e-8)
    assert t.y[t.label - 1] == 1 and t.h3 == pytest.approx(softmax(t.z3))


@pytest.mark.parametrize("seed", SEEDS)
def test_weight_entry(seed):
    t = ex.weight_entry(seed)
    y = np.eye(3)[t.label - 1]
    rng = np.random.default_rng(seed)
    W3 = rng.normal(size=(3, 3))
    b3 = t.z3 - t.h2 @ W3  # any W3 with these z3: the gradient depends on z3 and h2 only
    numeric = centred(lambda W: ce(t.h2 @ W + b3, y), W3)
    assert t.answer == pytest.approx(numeric[t.i - 1, t.j - 1], abs=1e-8)
    # and through the package, in its column layout (W is the transpose of the workbook's W3)
    _, grads = forward_backward([(W3.T, b3.reshape(3, 1))], t.h2.reshape(3, 1), y.reshape(3, 1),
                                activations=["softmax"], loss="cross_entropy")
    assert t.answer == pytest.approx(grads[0][0].T[t.i - 1, t.j - 1])
    assert t.h2_i * t.dz3_j == pytest.approx(t.answer)


@pytest.mark.parametrize("seed", SEEDS)
def test_weight_shape(seed):
    t = ex.weight_shape(seed)
    rng = np.random.default_rng(seed)
    h2, W3, y = rng.normal(size=t.n2), 0.1 * rng.normal(size=(t.n2, t.n3)), np.eye(t.n3)[0]
    grad = centred(lambda W: ce(h2 @ W, y), W3)  # one derivative per weight: the shape of W3
    assert grad == pytest.approx(np.outer(h2, softmax(h2 @ W3) - y), abs=1e-6)
    assert t.options[t.answer] == str(grad.shape) == f"({t.n2}, {t.n3})"
    assert len(set(t.options)) == 4


@pytest.mark.parametrize("seed", SEEDS)
def test_log_outside(seed):
    t = ex.log_outside(seed)
    assert t.h.sum() == pytest.approx(1) and t.y.sum() == pytest.approx(1) and np.all(t.h > 0)
    assert t.answer == pytest.approx(-np.sum(t.y * np.log(t.h)))
    assert t.workbook == pytest.approx(-np.log(np.dot(t.y, t.h)))
    assert abs(t.answer - t.workbook) > 10 * t.tolerance  # a soft label tells the two apart
    one_hot = np.eye(3)[0]  # and a one-hot label does not
    assert -np.sum(one_hot * np.log(t.h)) == pytest.approx(-np.log(one_hot @ t.h))


@pytest.mark.parametrize("seed", SEEDS)
def test_bias_batch(seed):
    t = ex.bias_batch(seed)
    assert np.allclose(t.H3.sum(axis=1), 1) and t.H3.shape == (t.m, 3)
    Z3 = np.log(t.H3)  # logits whose softmax is H3 (row by row)
    b3 = np.zeros(3)
    mean_cost = lambda b: float(np.mean([ce(Z3[r] + b, t.Y[r]) for r in range(t.m)]))  # noqa: E731
    assert t.answer == pytest.approx(centred(mean_cost, b3)[t.j - 1], abs=1e-8)
    assert t.answer == pytest.approx(t.column.sum() / t.m)


@pytest.mark.parametrize("make", [ex.log_chain, ex.output_gradient, ex.weight_entry, ex.weight_shape,
                                  ex.log_outside, ex.bias_batch])
def test_variants_differ(make):
    assert len({repr(make(seed)) for seed in SEEDS}) == len(SEEDS)
