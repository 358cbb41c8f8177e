"""L1/L2 penalties: values by hand, gradients against central differences, structure and errors."""

import numpy as np
import pytest

from snippets.gradcheck import numerical_gradient, relative_error
from snippets.regularization import l1_gradient, l1_penalty, l2_gradient, l2_penalty, penalty, penalty_gradient

W = np.array([[1.0, -2.0], [0.5, 0.0]])


def test_values_by_hand():
    assert l1_penalty(W, 0.1) == pytest.approx(0.1 * (1 + 2 + 0.5 + 0))  # 0.35
    assert l2_penalty(W, 0.1) == pytest.approx(0.1 * (1 + 4 + 0.25 + 0))  # 0.525
    np.testing.assert_allclose(l1_gradient(W, 0.1), [[0.1, -0.1], [0.1, 0.0]])  # subgradient 0 at θ = 0
    np.testing.assert_allclose(l2_gradient(W, 0.1), [[0.2, -0.4], [0.1, 0.0]])  # 2λθ


@pytest.mark.parametrize("kind", ["l1", "l2"])
def test_gradients_match_finite_differences(kind):
    theta = np.random.default_rng(0).standard_normal((3, 5))  # no entry near the L1 kink
    assert np.abs(theta).min() > 1e-3
    analytic = penalty_gradient(kind, theta, 0.3)
    numeric = numerical_gradient(lambda t: penalty(kind, t, 0.3), theta)
    assert analytic.shape == theta.shape
    assert relative_error(analytic, numeric) < 1e-8


def test_list_of_arrays_sums_and_keeps_structure():
    A, B = np.ones((2, 3)), -np.ones((4, 1))
    assert l1_penalty([A, B], 2.0) == pytest.approx(2.0 * 10)
    grads = l2_gradient([A, B], 2.0)
    assert [g.shape for g in grads] == [(2, 3), (4, 1)]
    np.testing.assert_allclose(grads[1], -4.0)


def test_bad_input():
    with pytest.raises(ValueError, match="kind"):
        penalty("l3", W, 0.1)
    with pytest.raises(ValueError, match="lam"):
        l2_penalty(W, -1.0)
    with pytest.raises(ValueError, match="thetas"):
        l1_penalty([], 0.1)
    with pytest.raises(ValueError, match="finite"):
        l1_penalty(np.array([np.nan]), 0.1)
