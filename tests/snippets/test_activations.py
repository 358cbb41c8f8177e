"""Activations: values, conventions at kinks, stability, and gradient checks of the backward step."""

import warnings

import numpy as np
import pytest

from snippets.activations import (
    ACTIVATIONS,
    ActivationCache,
    activation_backward,
    activation_forward,
    derivative,
    identity,
    relu,
    sigmoid,
    softmax,
    softmax_jacobian,
    step,
    tanh,
)
from snippets.gradcheck import numerical_gradient, numerical_jacobian, relative_error

ELEMENT_WISE = ("identity", "step", "relu", "sigmoid", "tanh")


def sample_Z(seed, shape=(3, 5)):
    """Random pre-activations kept at least 1e-3 away from the kinks of relu and step at 0."""
    Z = np.random.default_rng(seed).standard_normal(shape)
    Z[np.abs(Z) < 1e-3] = 0.5
    return Z


def test_the_six_names():
    assert ACTIVATIONS == ("identity", "step", "relu", "sigmoid", "tanh", "softmax")


def test_values_on_a_few_points():
    z = np.array([[-2.0, 0.0, 3.0]])
    np.testing.assert_array_equal(identity(z), z)
    np.testing.assert_array_equal(step(z), [[0.0, 0.0, 1.0]])  # step(0) = 0: "1 where z > 0"
    np.testing.assert_array_equal(relu(z), [[0.0, 0.0, 3.0]])
    np.testing.assert_allclose(sigmoid(z), 1 / (1 + np.exp(-z)), rtol=1e-15)
    np.testing.assert_allclose(tanh(z), np.tanh(z))
    np.testing.assert_allclose(softmax(np.array([0.0, np.log(3.0)])), [0.25, 0.75], rtol=1e-15)


def test_identity_returns_a_new_array():
    Z = np.array([[1.0, 2.0]])
    A = identity(Z)
    A[0, 0] = 99.0
    assert Z[0, 0] == 1.0


def test_softmax_columns_sum_to_one_and_shift_invariance():
    Z = sample_Z(1)
    A = softmax(Z)
    np.testing.assert_allclose(A.sum(axis=0), 1.0, rtol=1e-15)
    np.testing.assert_allclose(softmax(Z + 7.0), A, rtol=1e-14)


def test_derivative_conventions_at_kinks():
    z = np.array([-1.0, 0.0, 1.0])
    np.testing.assert_array_equal(derivative("relu", z), [0.0, 0.0, 1.0])  # relu'(0) := 0
    np.testing.assert_array_equal(derivative("step", z), [0.0, 0.0, 0.0])  # no useful gradient
    np.testing.assert_array_equal(derivative("identity", z), [1.0, 1.0, 1.0])
    assert derivative("sigmoid", np.array(0.0)) == 0.25
    assert derivative("tanh", np.array(0.0)) == 1.0


@pytest.mark.parametrize("name", ELEMENT_WISE)
def test_derivative_matches_finite_differences(name):
    Z = sample_Z(2)
    # g is element-wise, so the gradient of Σ g(Z) is g'(Z) entry by entry.
    numeric = numerical_gradient(lambda Z: np.sum(activation_forward(Z, name)[0]), Z)
    assert relative_error(derivative(name, Z), numeric) <= 1e-7


def test_derivative_of_softmax_points_to_the_jacobian():
    with pytest.raises(ValueError, match="use softmax_jacobian"):
        derivative("softmax", np.zeros(3))


@pytest.mark.parametrize("shape", [(4,), (4, 1)])
def test_softmax_jacobian_matches_finite_differences(shape):
    z = sample_Z(3, shape)
    J = softmax_jacobian(z)
    assert J.shape == (4, 4)
    numeric = numerical_jacobian(lambda z: softmax(z.reshape(-1)), z.reshape(-1))
    assert relative_error(J, numeric) <= 1e-7
    a = softmax(z.reshape(-1))
    np.testing.assert_allclose(J, np.diag(a) - np.outer(a, a))


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_backward_is_gradient_checked(name):
    """dZ from activation_backward equals the finite-difference gradient of Σ dA ⊙ g(Z)."""
    Z = sample_Z(4)
    dA = np.random.default_rng(5).standard_normal(Z.shape)  # an arbitrary upstream gradient
    A, cache = activation_forward(Z, name)
    dZ = activation_backward(dA, cache)
    assert dZ.shape == Z.shape
    numeric = numerical_gradient(lambda Z: np.sum(dA * activation_forward(Z, name)[0]), Z)
    assert relative_error(dZ, numeric) <= 1e-7
    if name == "step":
        assert np.all(dZ == 0) and np.all(numeric == 0)


def test_softmax_backward_is_the_jacobian_times_dA_column_by_column():
    Z = sample_Z(6)
    dA = np.random.default_rng(7).standard_normal(Z.shape)
    _, cache = activation_forward(Z, "softmax")
    dZ = activation_backward(dA, cache)
    for j in range(Z.shape[1]):
        np.testing.assert_allclose(dZ[:, j], softmax_jacobian(Z[:, j]).T @ dA[:, j], atol=1e-15)


def test_cache_fields():
    Z = sample_Z(8)
    A, cache = activation_forward(Z, "tanh")
    assert isinstance(cache, ActivationCache)
    assert cache._fields == ("name", "Z", "A")
    assert cache.name == "tanh" and cache.Z is Z and cache.A is A


def test_sigmoid_and_softmax_are_stable_at_plus_minus_1000():
    Z = np.array([[1000.0, -1000.0], [-1000.0, 1000.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any overflow/invalid warning fails (pytest does too)
        S = sigmoid(Z)
        P = softmax(Z)
        dS = derivative("sigmoid", Z)
    np.testing.assert_array_equal(S, [[1.0, 0.0], [0.0, 1.0]])
    np.testing.assert_array_equal(P, [[1.0, 0.0], [0.0, 1.0]])
    np.testing.assert_array_equal(dS, 0.0)
    assert np.all(np.isfinite(S)) and np.all(np.isfinite(P))


def test_sigmoid_symmetry_holds_on_both_branches():
    z = np.linspace(-30, 30, 61)
    np.testing.assert_allclose(sigmoid(-z), 1 - sigmoid(z), atol=1e-16)
