"""Losses: values, gradient checks, zero probabilities, and the fused forms from logits."""

import warnings

import numpy as np
import pytest

from snippets.activations import activation_backward, activation_forward, sigmoid, softmax
from snippets.gradcheck import numerical_gradient, relative_error
from snippets.losses import FUSED_PAIRS, LOSSES, cost, cost_from_logits, cost_gradient, dZ_from_logits, losses


def sample(loss, seed, n=3, m=5):
    """Outputs A and targets Y of the kind each loss expects; A in (0.05, 0.95) for the log losses."""
    rng = np.random.default_rng(seed)
    if loss in ("squared", "absolute"):
        A = rng.standard_normal((n, m))
        Y = rng.standard_normal((n, m))
        Y[np.abs(A - Y) < 1e-3] += 0.5  # keep away from the kink of |a - y|
    else:
        A = rng.uniform(0.05, 0.95, (n, m))
        if loss == "binary_cross_entropy":
            Y = rng.uniform(0.0, 1.0, (n, m))
        elif loss == "cross_entropy":
            Y = np.eye(n)[:, rng.integers(0, n, m)]
        else:
            Y = rng.integers(0, 2, (n, m)).astype(float)
    return A, Y


def test_the_five_names():
    assert LOSSES == ("squared", "absolute", "binary_cross_entropy", "cross_entropy", "multilabel")


def test_values_by_hand():
    A = np.array([[1.0, 0.5], [2.0, 0.5]])
    Y = np.array([[0.0, 1.0], [0.0, 0.0]])
    np.testing.assert_array_equal(losses("squared", A, Y), [5.0, 0.5])  # 1 + 4 ; 0.25 + 0.25
    np.testing.assert_array_equal(losses("absolute", A, Y), [3.0, 1.0])
    assert cost("squared", A, Y) == 2.75
    p = np.array([[0.8, 0.3]])
    y = np.array([[1.0, 0.0]])
    np.testing.assert_allclose(losses("binary_cross_entropy", p, y), [-np.log(0.8), -np.log(0.7)])
    P = np.array([[0.7, 0.2], [0.3, 0.8]])
    Yc = np.array([[1.0, 0.0], [0.0, 1.0]])
    np.testing.assert_allclose(losses("cross_entropy", P, Yc), [-np.log(0.7), -np.log(0.8)])
    np.testing.assert_allclose(
        losses("multilabel", P, Yc), [-np.log(0.7) - np.log(0.7), -np.log(0.8) - np.log(0.8)]
    )


@pytest.mark.parametrize("loss", LOSSES)
def test_losses_have_one_entry_per_example_and_cost_is_their_mean(loss):
    A, Y = sample(loss, 1)
    per_example = losses(loss, A, Y)
    assert per_example.shape == (5,)
    assert isinstance(cost(loss, A, Y), float)
    assert cost(loss, A, Y) == pytest.approx(per_example.mean(), rel=1e-15)


@pytest.mark.parametrize("loss", LOSSES)
def test_cost_gradient_is_gradient_checked(loss):
    A, Y = sample(loss, 2)
    dA = cost_gradient(loss, A, Y)
    assert dA.shape == A.shape
    numeric = numerical_gradient(lambda A: cost(loss, A, Y), A)
    assert relative_error(dA, numeric) <= 1e-7


def test_absolute_gradient_is_zero_at_the_kink():
    A = np.array([[1.0, 2.0, 3.0]])
    Y = np.array([[1.0, 1.0, 4.0]])
    np.testing.assert_array_equal(cost_gradient("absolute", A, Y), [[0.0, 1 / 3, -1 / 3]])


@pytest.mark.parametrize(
    ("loss", "A", "Y"),
    [
        ("cross_entropy", [[1.0, 0.0], [0.0, 1.0]], [[1.0, 0.0], [0.0, 1.0]]),
        ("cross_entropy", [[0.5, 0.0], [0.5, 1.0]], [[1.0, 0.0], [0.0, 1.0]]),
        ("binary_cross_entropy", [[0.0, 1.0, 0.3]], [[0.0, 1.0, 1.0]]),
        ("multilabel", [[0.0, 1.0], [1.0, 0.5]], [[0.0, 1.0], [1.0, 0.0]]),
    ],
)
def test_probabilities_of_exactly_0_or_1_where_the_term_vanishes(loss, A, Y):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        value = cost(loss, A, Y)
        dA = cost_gradient(loss, A, Y)
    assert np.isfinite(value) and np.all(np.isfinite(dA))


def test_perfect_predictions_cost_exactly_zero_not_minus_zero():
    value = cost("cross_entropy", [[1.0], [0.0]], [[1.0], [0.0]])
    assert value == 0.0 and np.copysign(1.0, value) == 1.0
    dA = cost_gradient("cross_entropy", [[1.0], [0.0]], [[1.0], [0.0]])
    assert np.all(np.copysign(1.0, dA[1]) == 1.0)


@pytest.mark.parametrize("loss", ["cross_entropy", "binary_cross_entropy", "multilabel"])
def test_probability_0_for_a_true_label_is_a_clear_error_not_inf(loss):
    A, Y = [[0.0], [1.0]], [[1.0], [0.0]]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for function, what in ((cost, "cost"), (losses, "loss per example"), (cost_gradient, "gradient")):
            with pytest.raises(ValueError, match=f"^A: expected inputs with a finite {what} for loss '{loss}', got -?inf"):
                function(loss, A, Y)


def test_an_overflowing_squared_loss_is_a_clear_error_not_inf():
    with pytest.raises(ValueError, match="^A: expected inputs with a finite cost for loss 'squared', got inf: outputs"):
        cost("squared", [[1e200]], [[-1e200]])


# --- fused forms -------------------------------------------------------------------------


def sample_logits(loss, seed, n=3, m=5):
    rng = np.random.default_rng(seed)
    Z = 2.0 * rng.standard_normal((n, m))
    _, Y = sample(loss, seed, n, m)
    return Z, Y


@pytest.mark.parametrize(("activation", "loss"), FUSED_PAIRS)
def test_fused_forms_agree_with_the_unfused_ones_for_moderate_logits(activation, loss):
    Z, Y = sample_logits(loss, 3)
    A, cache = activation_forward(Z, activation)
    assert cost_from_logits(loss, Z, Y, activation) == pytest.approx(cost(loss, A, Y), rel=1e-12)
    unfused_dZ = activation_backward(cost_gradient(loss, A, Y), cache)
    np.testing.assert_allclose(dZ_from_logits(loss, Z, Y, activation), unfused_dZ, rtol=1e-10, atol=1e-15)


@pytest.mark.parametrize(("activation", "loss"), FUSED_PAIRS)
def test_dZ_from_logits_is_gradient_checked(activation, loss):
    Z, Y = sample_logits(loss, 4)
    numeric = numerical_gradient(lambda Z: cost_from_logits(loss, Z, Y, activation), Z)
    assert relative_error(dZ_from_logits(loss, Z, Y, activation), numeric) <= 1e-7


def test_fused_costs_are_exact_for_logits_of_1000():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        # The true class (row 0) is 1000 below the other: loss 1000, not inf.
        assert cost_from_logits("cross_entropy", [[0.0], [1000.0]], [[1.0], [0.0]], "softmax") == 1000.0
        assert cost_from_logits("cross_entropy", [[1000.0], [-1000.0]], [[1.0], [0.0]], "softmax") == 0.0
        assert cost_from_logits("binary_cross_entropy", [[-1000.0, 1000.0]], [[1.0, 0.0]], "sigmoid") == 1000.0
        assert cost_from_logits("multilabel", [[1000.0], [-1000.0]], [[1.0], [0.0]], "sigmoid") == 0.0
        dZ = dZ_from_logits("cross_entropy", [[0.0], [1000.0]], [[1.0], [0.0]], "softmax")
    np.testing.assert_array_equal(dZ, [[-1.0], [1.0]])
    # The unfused route cannot do this: softmax rounds the true class to probability 0.
    assert softmax(np.array([[0.0], [1000.0]]))[0, 0] == 0.0
    assert sigmoid(np.array(-1000.0)) == 0.0


@pytest.mark.parametrize(("activation", "loss"), [("relu", "squared"), ("softmax", "multilabel"), ("sigmoid", "cross_entropy")])
def test_fused_forms_refuse_other_pairs(activation, loss):
    with pytest.raises(ValueError, match=r"activation, loss: expected one of the fused pairs .*, got \("):
        cost_from_logits(loss, [[0.0], [1.0]], [[1.0], [0.0]], activation)
    with pytest.raises(ValueError, match="fused pairs"):
        dZ_from_logits(loss, [[0.0], [1.0]], [[1.0], [0.0]], activation)
