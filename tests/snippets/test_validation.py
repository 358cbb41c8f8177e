"""Bad inputs raise ValueError naming the argument, what was expected, and what came."""

import re

import numpy as np
import pytest

from snippets.activations import activation_forward, sigmoid
from snippets.gradcheck import numerical_gradient
from snippets.layers import dense_forward
from snippets.losses import cost, cost_gradient, losses
from snippets.network import forward, forward_backward, init_params


def exactly(message):
    return "^" + re.escape(message) + "$"


@pytest.fixture
def net():
    """A 3-4-2 network, 5 examples."""
    rng = np.random.default_rng(0)
    return init_params([3, 4, 2], rng), rng.standard_normal((3, 5)), rng.uniform(size=(2, 5))


def test_W_must_match_A_prev():
    with pytest.raises(ValueError, match=exactly("W: expected shape (3, 4) to match A_prev with 4 rows, got (3, 5)")):
        dense_forward(np.ones((4, 2)), np.ones((3, 5)), np.ones((3, 1)))


@pytest.mark.parametrize("b_shape", [(3,), (1, 3), (3, 2), (4, 1)])
def test_b_must_be_a_column_of_n_out(b_shape):
    with pytest.raises(ValueError, match=exactly(f"b: expected shape (3, 1) to match W with 3 rows, got {b_shape}")):
        dense_forward(np.ones((4, 2)), np.ones((3, 4)), np.ones(b_shape))


def test_X_with_wrong_rows_is_blamed_on_X_not_W(net):
    params, X, _ = net
    message = "X: expected 3 rows (one per input unit) to match params[0] W of shape (4, 3), got shape (2, 5)"
    with pytest.raises(ValueError, match=exactly(message)):
        forward(params, X[:2], activations=["relu", "sigmoid"])  # X with 2 rows instead of 3


def test_a_W_that_does_not_fit_the_layer_before_is_blamed_on_that_params_entry(net):
    params, X, Y = net
    (W1, b1), (W2, b2) = params
    message = "params[1] W: expected 4 columns to match the 4 rows of params[0] W, got shape (2, 3)"
    with pytest.raises(ValueError, match=exactly(message)):
        forward_backward([(W1, b1), (W2[:, :3], b2)], X, Y, activations=["relu", "sigmoid"], loss="squared")
    message = "params[0] b: expected shape (4, 1) to match params[0] W with 4 rows, got (4,)"
    with pytest.raises(ValueError, match=exactly(message)):
        forward_backward([(W1, b1[:, 0]), (W2, b2)], X, Y, activations=["relu", "sigmoid"], loss="squared")


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ([(np.ones((2, 3)),)], "params[0]: expected a (W, b) pair, got a tuple of 1 entries"),
        ([np.ones((2, 3))], "params[0]: expected a (W, b) pair, got an array of shape (2, 3)"),
        ((np.ones((2, 3)), np.zeros((2, 1))),
         "params: expected a list of (W, b) pairs, one per layer, got a single pair (W of shape (2, 3), ...); "
         "for one layer pass [(W, b)]"),
        (np.ones((2, 3)), "params: expected a list of (W, b) pairs, one per layer, got an array of shape (2, 3)"),
        ([], "params: expected at least one (W, b) pair, got an empty list"),
        ([(np.ones(3), np.zeros((1, 1)))],
         "params[0] W: expected a 2-D array (rows = units, columns = examples), got 1-D with shape (3,)"),
        ([(np.ones((2, 3)), "b")], "params[0] b: expected real numbers, got an array of dtype <U1"),
    ],
)
def test_malformed_params_name_the_entry(params, message):
    with pytest.raises(ValueError, match=exactly(message)):
        forward_backward(params, np.ones((3, 2)), np.ones((2, 2)), activations=["relu"], loss="squared")


def test_unknown_activation():
    message = "activation: expected one of identity, relu, sigmoid, softmax, step, tanh, got 'sigmoidd'"
    with pytest.raises(ValueError, match=exactly(message)):
        activation_forward(np.zeros((2, 2)), "sigmoidd")


def test_unknown_activation_in_the_network(net):
    params, X, Y = net
    message = "activations[0]: expected one of identity, relu, sigmoid, softmax, step, tanh, got 'ReLU'"
    with pytest.raises(ValueError, match=exactly(message)):
        forward_backward(params, X, Y, activations=["ReLU", "sigmoid"], loss="squared")


def test_unknown_loss(net):
    params, X, Y = net
    message = "loss: expected one of absolute, binary_cross_entropy, cross_entropy, multilabel, squared, got 'mse'"
    with pytest.raises(ValueError, match=exactly(message)):
        cost("mse", Y, Y)
    with pytest.raises(ValueError, match=exactly(message)):
        forward_backward(params, X, Y, activations=["relu", "sigmoid"], loss="mse")


@pytest.mark.parametrize("activations", [["relu"], ["relu", "relu", "sigmoid"], []])
def test_wrong_number_of_activations(net, activations):
    params, X, Y = net
    message = f"activations: expected 2 names (one per layer), got {len(activations)}"
    with pytest.raises(ValueError, match=exactly(message)):
        forward_backward(params, X, Y, activations=activations, loss="squared")


def test_a_single_string_is_not_a_list_of_activations(net):
    params, X, _ = net
    with pytest.raises(ValueError, match=re.escape("activations: expected a list of names (one per layer), got 'relu'")):
        forward(params, X, activations="relu")


@pytest.mark.parametrize(("bad", "shown"), [(np.nan, "nan"), (np.inf, "inf"), (-np.inf, "-inf")])
def test_non_finite_X_W_and_Y(net, bad, shown):
    params, X, Y = net
    X = X.copy()
    X[1, 0] = bad
    with pytest.raises(ValueError, match=exactly(f"X: expected finite values, got {shown} at index (1, 0)")):
        forward_backward(params, X, Y, activations=["relu", "sigmoid"], loss="squared")
    params, X, Y = net
    W = params[1][0].copy()
    W[0, 2] = bad
    with pytest.raises(ValueError, match=exactly(f"params[1] W: expected finite values, got {shown} at index (0, 2)")):
        forward_backward([params[0], (W, params[1][1])], X, Y, activations=["relu", "sigmoid"], loss="squared")
    Y = Y.copy()
    Y[1, 4] = bad
    with pytest.raises(ValueError, match=exactly(f"Y: expected finite values, got {shown} at index (1, 4)")):
        forward_backward(params, X, Y, activations=["relu", "sigmoid"], loss="squared")


def test_cross_entropy_labels_must_be_one_hot():
    A = np.full((2, 3), 0.5)
    Y = np.array([[1.0, 0.0, 0.5], [0.0, 1.0, 0.5]])
    message = "Y: expected one-hot columns (one 1 and the rest 0 in each column), got column 2 = [0.5, 0.5]"
    with pytest.raises(ValueError, match=exactly(message)):
        cost("cross_entropy", A, Y)
    with pytest.raises(ValueError, match=re.escape("got column 0 = [1, 1]")):
        cost_gradient("cross_entropy", A, np.ones((2, 3)))


def test_Y_shape_must_match_A(net):
    with pytest.raises(ValueError, match=exactly("Y: expected shape (2, 5) to match A, got (2, 4)")):
        losses("squared", np.zeros((2, 5)), np.zeros((2, 4)))
    params, X, Y = net
    message = "Y: expected shape (2, 5) (units of the last layer, examples in X) to match the network's output, got (1, 5)"
    with pytest.raises(ValueError, match=exactly(message)):
        forward_backward(params, X, Y[:1], activations=["relu", "sigmoid"], loss="squared")


def test_log_losses_need_probabilities_and_proper_targets():
    with pytest.raises(ValueError, match=re.escape("A: expected probabilities (outputs of sigmoid or softmax) in [0, 1], got 1.5 at index (0, 1)")):
        cost("binary_cross_entropy", [[0.5, 1.5]], [[1.0, 0.0]])
    with pytest.raises(ValueError, match=re.escape("Y: expected target probabilities in [0, 1], got -1 at index (0, 0)")):
        cost("binary_cross_entropy", [[0.5, 0.5]], [[-1.0, 0.0]])
    with pytest.raises(ValueError, match=re.escape("Y: expected entries 0 or 1, got 0.5 at index (0, 1)")):
        cost("multilabel", [[0.5, 0.5]], [[1.0, 0.5]])


def test_arrays_must_be_2d_numbers():
    with pytest.raises(ValueError, match=re.escape("Z: expected a 2-D array (rows = units, columns = examples), got 1-D with shape (3,)")):
        activation_forward(np.zeros(3), "relu")
    with pytest.raises(ValueError, match=re.escape("Z: expected real numbers, got an array of dtype <U1")):
        sigmoid(["a", "b"])
    with pytest.raises(ValueError, match=re.escape("X: expected a rectangular array of numbers, got a ragged nested sequence")):
        forward([(np.ones((1, 2)), np.zeros((1, 1)))], [[1.0, 2.0], [3.0]], activations=["relu"])


def test_other_arguments():
    with pytest.raises(ValueError, match=re.escape("rng: expected a numpy Generator")):
        init_params([2, 1], 0)
    with pytest.raises(ValueError, match=re.escape("layer_sizes: expected at least two positive integers, got [3]")):
        init_params([3], np.random.default_rng(0))
    with pytest.raises(ValueError, match=exactly("h: expected a positive finite number, got 0.0")):
        numerical_gradient(np.sum, np.ones(2), h=0.0)
    with pytest.raises(ValueError, match=exactly("method: expected one of central, forward, got 'backward'")):
        numerical_gradient(np.sum, np.ones(2), method="backward")
    with pytest.raises(ValueError, match=re.escape("f: expected a function returning one number, got an array of shape (2,)")):
        numerical_gradient(lambda x: x, np.ones(2))
