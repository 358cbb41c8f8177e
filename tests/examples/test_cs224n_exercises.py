"""CS224N exercises: every answer and solution number, recomputed independently (finite differences, the package)."""

import numpy as np
import pytest

from snippets import graph
from snippets.activations import sigmoid
from snippets.examples import cs224n_exercises as ex
from snippets.gradcheck import numerical_gradient
from snippets.network import forward_backward
from snippets.regularization import penalty, penalty_gradient

SEEDS = (1, 2, 3)


def centred(f, x):
    return float(numerical_gradient(lambda v: f(float(v[0])), np.array([x]))[0])


@pytest.mark.parametrize("seed", SEEDS)
def test_error_signal(seed):
    t = ex.error_signal(seed)
    assert t.answer == pytest.approx(centred(lambda z: t.u / (1 + np.exp(-z)), t.z), abs=1e-9)
    assert t.h == pytest.approx(float(sigmoid(np.array(t.z)))) and t.slope == pytest.approx(t.h * (1 - t.h))


@pytest.mark.parametrize("seed", SEEDS)
def test_graph_paths(seed):
    t = ex.graph_paths(seed)
    x, y, z = graph.Value(t.x), graph.Value(t.y), graph.Value(t.z)
    f = (x + y) * graph.maximum(y, z)
    f.backward()
    assert t.answer == pytest.approx(y.grad)
    assert t.answer == pytest.approx(centred(lambda v: (t.x + v) * max(v, t.z), t.y), abs=1e-7)
    assert t.via_a + t.via_b == pytest.approx(t.answer) and t.f == pytest.approx(f.data)
    assert t.y_wins == (t.y > t.z) and abs(t.y - t.z) >= 0.2
    assert abs(round(t.answer, 2) - t.answer) <= t.tolerance


@pytest.mark.parametrize("seed", SEEDS)
def test_window_shape(seed):
    t = ex.window_shape(seed)
    rng = np.random.default_rng(seed)
    W, b = rng.normal(size=(t.n, t.words * t.dim)), np.zeros((t.n, 1))
    u = rng.normal(size=(1, t.n))
    x = rng.normal(size=(t.words * t.dim, 1))
    # s = uᵀσ(Wx + b) as a two-layer network with an identity read-out
    _, grads = forward_backward([(W, b), (u, np.zeros((1, 1)))], x, np.zeros((1, 1)),
                                activations=["sigmoid", "identity"], loss="absolute")
    assert t.options[t.answer] == str(grads[0][0].shape) == f"({t.n}, {t.m})"
    assert len(set(t.options)) == 4


@pytest.mark.parametrize("seed", SEEDS)
def test_two_sided_check(seed):
    t = ex.two_sided_check(seed)
    assert t.exact == pytest.approx(centred(lambda v: v**3, t.theta), abs=1e-6)
    assert t.error_two_sided == pytest.approx(t.h**2)  # exact for a cubic
    assert t.error_one_sided == pytest.approx(3 * t.theta * t.h + t.h**2)
    # from the values the solution prints (six decimals), the reader's estimate is within the tolerance
    from_printed = (round(t.f_plus, 6) - round(t.f_minus, 6)) / (2 * t.h)
    assert abs(from_printed - t.answer) <= t.tolerance


@pytest.mark.parametrize("seed", SEEDS)
def test_sigmoid_line_mistake(seed):
    t = ex.sigmoid_line_mistake(seed)
    assert t.true == pytest.approx(centred(lambda z: -np.log(1 / (1 + np.exp(-z))), t.z), abs=1e-8)
    e = np.exp(-t.z)
    assert t.notes_line == pytest.approx(-e / (1 + e) ** -1)
    assert abs(t.notes_line - t.true) > 0.1  # the mistake shows in the numbers
    assert "power" in t.options[t.answer]


@pytest.mark.parametrize("seed", SEEDS)
def test_regularized_step(seed):
    t = ex.regularized_step(seed)
    kind = t.penalty.lower()
    # the data part of the cost is linear with the given slope; the package supplies the penalty
    cost = lambda th: t.data_grad * th + penalty(kind, [np.array([th])], t.lam)  # noqa: E731
    numeric = centred(cost, t.theta)
    assert t.total_grad == pytest.approx(numeric, abs=1e-8)
    assert t.penalty_grad == pytest.approx(float(penalty_gradient(kind, [np.array([t.theta])], t.lam)[0][0]))
    assert t.answer == pytest.approx(t.theta - t.alpha * numeric, abs=1e-8)


@pytest.mark.parametrize("make", [ex.error_signal, ex.graph_paths, ex.window_shape, ex.two_sided_check,
                                  ex.regularized_step, ex.sigmoid_line_mistake])
def test_variants_differ(make):
    assert len({repr(make(seed)) for seed in SEEDS}) == len(SEEDS)
