"""The gradient checker: correctness, convergence order, and that it catches wrong gradients."""

import numpy as np
import pytest

import snippets.activations
import snippets.layers
from snippets.activations import relu
from snippets.gradcheck import check_network_gradients, numerical_gradient, numerical_jacobian, relative_error
from snippets.network import forward_backward


def test_numerical_gradient_of_a_known_function():
    x = np.array([[1.0, -2.0], [0.5, 3.0]])
    grad = numerical_gradient(lambda x: np.sum(x**2), x)
    assert grad.shape == x.shape
    np.testing.assert_allclose(grad, 2 * x, rtol=1e-8)


@pytest.mark.parametrize("method", ["central", "forward"])
def test_the_callers_array_is_left_alone(method):
    x = np.array([0.1, 0.2, 0.3])
    before = x.copy()
    numerical_gradient(lambda x: float(np.sum(np.sin(x))), x, method=method)
    np.testing.assert_array_equal(x, before)
    assert numerical_gradient(lambda x: float(np.sum(x)), [1, 2]).dtype == np.float64  # ints are fine


def test_numerical_jacobian_shape_and_values():
    M = np.arange(6.0).reshape(2, 3)
    x = np.array([1.0, 2.0, 3.0])
    J = numerical_jacobian(lambda x: M @ x, x)
    assert J.shape == (2, 3)
    np.testing.assert_allclose(J, M, atol=1e-8)
    J = numerical_jacobian(lambda X: X**2, np.ones((2, 2)))
    assert J.shape == (2, 2, 2, 2)  # f(x).shape + x.shape
    assert J[0, 1, 0, 1] == pytest.approx(2.0) and J[0, 1, 1, 0] == 0.0


def test_relative_error():
    assert relative_error([0.0, 0.0], [0.0, 0.0]) == 0.0
    assert relative_error([1.0, 2.0], [1.0, 2.0]) == 0.0
    assert relative_error([1.0, 2.0], [1.0, 2.2]) == pytest.approx(0.2 / 4.2)


def convergence_slope(method, hs):
    """Slope of log(error) against log(h) for the gradient of Σ e^x, whose exact value is e^x."""
    x = np.array([0.5, -0.3])
    errors = [np.max(np.abs(numerical_gradient(lambda x: np.sum(np.exp(x)), x, h=h, method=method) - np.exp(x))) for h in hs]
    return np.polyfit(np.log(hs), np.log(errors), 1)[0]


def test_one_sided_error_is_linear_and_two_sided_quadratic_in_h():
    # h small enough for the Taylor term to dominate, large enough that round-off (≈ 1e-16 / h) does not.
    assert convergence_slope("forward", np.logspace(-2, -5, 7)) == pytest.approx(1.0, abs=0.3)
    assert convergence_slope("central", np.logspace(-1, -3, 7)) == pytest.approx(2.0, abs=0.3)


def test_a_kink_spoils_the_comparison():
    # relu'(0) is 0 by convention, but the central difference at 0 sees half of each side.
    numeric = numerical_gradient(lambda z: float(np.sum(relu(z))), np.array([0.0]))
    assert numeric[0] == pytest.approx(0.5)
    assert relative_error([0.0], numeric) == 1.0


def small_problem(seed=0):
    rng = np.random.default_rng(seed)
    params = [(rng.standard_normal((4, 3)), rng.standard_normal((4, 1))), (rng.standard_normal((2, 4)), rng.standard_normal((2, 1)))]
    return params, rng.standard_normal((3, 5)), rng.standard_normal((2, 5))


def test_the_checker_passes_the_correct_backward():
    params, X, Y = small_problem()
    assert check_network_gradients(params, X, Y, activations=["tanh", "sigmoid"], loss="squared") <= 1e-7


def test_the_checker_catches_dividing_by_m_twice(monkeypatch):
    """A classic bug: the dense backward step dividing dW by m although dZ already carries the 1/m."""
    correct = snippets.network._dense_backward  # the unchecked step forward_backward runs

    def buggy_dense_backward(dZ, A_prev, W):
        dA_prev, dW, db = correct(dZ, A_prev, W)
        return dA_prev, dW / dZ.shape[1], db

    monkeypatch.setattr(snippets.network, "_dense_backward", buggy_dense_backward)
    params, X, Y = small_problem()
    assert check_network_gradients(params, X, Y, activations=["tanh", "sigmoid"], loss="squared") > 1e-2


def test_the_checker_catches_a_wrong_activation_derivative(monkeypatch):
    # σ' = a instead of a(1 - a)
    monkeypatch.setitem(snippets.activations._DERIVATIVES_FROM_CACHE, "sigmoid", lambda Z, A: A)
    params, X, Y = small_problem()
    assert check_network_gradients(params, X, Y, activations=["sigmoid", "identity"], loss="squared") > 1e-2


def test_a_hand_written_wrong_gradient_is_far_off():
    params, X, Y = small_problem()
    _, grads = forward_backward(params, X, Y, activations=["tanh", "identity"], loss="squared")
    W2, b2 = params[1]

    def cost_of_W2(W2):
        return forward_backward([params[0], (W2, b2)], X, Y, activations=["tanh", "identity"], loss="squared")[0]

    numeric = numerical_gradient(cost_of_W2, W2)
    assert relative_error(grads[1][0], numeric) <= 1e-7
    assert relative_error(grads[1][0].T.reshape(W2.shape), numeric) > 1e-2  # shapes fit, numbers don't
    assert relative_error(-grads[1][0], numeric) > 1e-2  # a sign error


def test_float32_inputs_are_checked_in_float64():
    """A float32 x is nudged in a float64 copy: with h = 1e-6, float32 round-off would swamp the slope."""
    x32 = np.array([0.3, -1.7], dtype=np.float32)
    seen = []
    numerical_gradient(lambda x: seen.append(x.dtype) or float(np.sum(np.sin(x))), x32)
    assert set(seen) == {np.dtype(np.float64)}
    assert relative_error(np.cos(x32.astype(np.float64)), numerical_gradient(lambda x: np.sum(np.sin(x)), x32)) <= 1e-9
    # in float32 the same finite difference is far off: this is why the checks convert
    x, h = np.float32(0.3), np.float32(1e-6)
    float32_slope = (np.sin(x + h) - np.sin(x - h)) / (2 * h)
    assert abs(float32_slope - np.cos(0.3)) > 1e-2


def test_a_float32_network_is_checked_in_float64():
    rng = np.random.default_rng(3)
    params = [(rng.standard_normal((3, 2)).astype(np.float32), rng.standard_normal((3, 1)).astype(np.float32)),
              (rng.standard_normal((1, 3)).astype(np.float32), np.zeros((1, 1), np.float32))]
    X, Y = rng.standard_normal((2, 4)).astype(np.float32), rng.uniform(size=(1, 4)).astype(np.float32)
    err = check_network_gradients(params, X, Y, activations=["tanh", "sigmoid"], loss="binary_cross_entropy")
    assert err <= 1e-7
