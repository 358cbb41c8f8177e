"""The network: init, shapes, stability, and a gradient check of every activation × loss × depth."""

import warnings

import numpy as np
import pytest

from snippets.activations import ACTIVATIONS
from snippets.gradcheck import check_network_gradients
from snippets.losses import LOSSES
from snippets.network import backward, forward, forward_backward, init_params

LOG_LOSSES = ("binary_cross_entropy", "cross_entropy", "multilabel")
PROBABILITY_OUTPUTS = ("sigmoid", "softmax")

# The log losses need outputs in (0, 1): log a and log(1 - a) are undefined elsewhere, and the
# losses module rejects them. So those three losses are paired only with a sigmoid or softmax
# last layer. All other (last activation, loss) pairs are tested; hidden layers use any activation.
LAST_PAIRS = [
    (last, loss)
    for loss in LOSSES
    for last in ACTIVATIONS
    if loss not in LOG_LOSSES or last in PROBABILITY_OUTPUTS
]
SKIPPED_PAIRS = {(last, loss) for loss in LOG_LOSSES for last in ("identity", "step", "relu", "tanh")}


def test_the_skipped_pairs_are_exactly_log_losses_without_probability_outputs():
    every_pair = {(last, loss) for last in ACTIVATIONS for loss in LOSSES}
    assert len(every_pair) == 30
    assert set(LAST_PAIRS) == every_pair - SKIPPED_PAIRS
    assert len(LAST_PAIRS) == 18 and len(SKIPPED_PAIRS) == 12


def _cases():
    """(activations, loss) for depth 1, 2 and 3; every hidden activation with every last pair."""
    cases = []
    for last, loss in LAST_PAIRS:
        cases.append(([last], loss))
        for i, hidden in enumerate(ACTIVATIONS):
            cases.append(([hidden, last], loss))
            # depth 3: the second hidden layer is the next name round the list, for variety
            cases.append(([hidden, ACTIVATIONS[(i + 1) % len(ACTIVATIONS)], last], loss))
    return cases


CASES = _cases()


def test_case_count():
    assert len(CASES) == 18 * (1 + 6 + 6)


def make_targets(loss, n, m, rng):
    if loss in ("squared", "absolute"):
        return rng.standard_normal((n, m))
    if loss == "binary_cross_entropy":
        return rng.uniform(0.0, 1.0, (n, m))
    if loss == "cross_entropy":
        return np.eye(n)[:, rng.integers(0, n, m)]
    return rng.integers(0, 2, (n, m)).astype(float)


def away_from_kinks(params, X, Y, activations, loss, margin=1e-3):
    """True if no nudge of size h ≈ 1e-6 can cross a kink of relu/step or of |a - y|."""
    A_L, caches = forward(params, X, activations=activations)
    for cache in caches:
        if cache.activation.name in ("relu", "step") and np.any(np.abs(cache.activation.Z) <= margin):
            return False
    return not (loss == "absolute" and np.any(np.abs(A_L - Y) <= margin))


def make_problem(activations, loss, seed, n_x=3, n_hidden=4, m=5):
    """Seeded params, X and Y; redrawn (deterministically) until clear of every kink."""
    rng = np.random.default_rng(seed)
    n_out = 1 if (activations[-1], loss) == ("sigmoid", "binary_cross_entropy") else 3
    sizes = [n_x] + [n_hidden] * (len(activations) - 1) + [n_out]
    for _ in range(100):
        # Weights of scale 1 (not init_params' 0.1) keep every gradient well above round-off.
        params = [
            (rng.standard_normal((n_out_, n_in)), 0.5 * rng.standard_normal((n_out_, 1)))
            for n_in, n_out_ in zip(sizes[:-1], sizes[1:])
        ]
        X = rng.standard_normal((n_x, m))
        Y = make_targets(loss, n_out, m, rng)
        if away_from_kinks(params, X, Y, activations, loss):
            return params, X, Y
    raise AssertionError("no draw clear of the kinks")


@pytest.mark.parametrize(
    ("activations", "loss"), CASES, ids=[f"{'-'.join(a)}-{loss}" for a, loss in CASES]
)
def test_network_gradients_are_checked(activations, loss):
    params, X, Y = make_problem(activations, loss, seed=len(activations))
    assert check_network_gradients(params, X, Y, activations=activations, loss=loss) <= 1e-7


@pytest.mark.parametrize("loss", ["squared", "absolute"])
@pytest.mark.parametrize("activations", [["step"], ["tanh", "step"], ["relu", "sigmoid", "step"]])
def test_step_as_last_activation_gives_zero_gradient_everywhere(activations, loss):
    params, X, Y = make_problem(activations, loss, seed=7)
    _, grads = forward_backward(params, X, Y, activations=activations, loss=loss)
    for dW, db in grads:
        assert np.all(dW == 0) and np.all(db == 0)
    # ... and finite differences agree: nudges never move a unit across the jump.
    assert check_network_gradients(params, X, Y, activations=activations, loss=loss) == 0.0


@pytest.mark.parametrize(("activations", "loss"), CASES[::13])
def test_grads_have_exactly_the_shapes_of_params(activations, loss):
    params, X, Y = make_problem(activations, loss, seed=3)
    cost, grads = forward_backward(params, X, Y, activations=activations, loss=loss)
    assert isinstance(cost, float)
    assert len(grads) == len(params)
    for (W, b), (dW, db) in zip(params, grads):
        assert dW.shape == W.shape and db.shape == b.shape


def test_init_params():
    params = init_params([3, 4, 2], np.random.default_rng(0))
    assert [(W.shape, b.shape) for W, b in params] == [((4, 3), (4, 1)), ((2, 4), (2, 1))]
    assert all(np.all(b == 0) for _, b in params)
    again = init_params([3, 4, 2], np.random.default_rng(0))
    for (W, _), (W2, _) in zip(params, again):
        np.testing.assert_array_equal(W, W2)  # same seed, same numbers
    big = init_params([3, 4, 2], np.random.default_rng(0), scale=1.0)
    np.testing.assert_allclose(big[0][0], 10 * params[0][0])


def test_forward_and_backward_shapes():
    params = init_params([3, 4, 2], np.random.default_rng(1))
    X = np.random.default_rng(2).standard_normal((3, 5))
    A_L, caches = forward(params, X, activations=["relu", "sigmoid"])
    assert A_L.shape == (2, 5) and len(caches) == 2
    grads = backward(np.ones_like(A_L), caches)
    assert [(dW.shape, db.shape) for dW, db in grads] == [((4, 3), (4, 1)), ((2, 4), (2, 1))]


def test_softmax_cross_entropy_on_logits_of_1000_is_exact():
    identity_layer = [(np.eye(2), np.zeros((2, 1)))]
    X = np.array([[1000.0], [-1000.0]])  # the layer passes these through as logits
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        right, right_grads = forward_backward(identity_layer, X, [[1.0], [0.0]], activations=["softmax"], loss="cross_entropy")
        wrong, wrong_grads = forward_backward(identity_layer, X, [[0.0], [1.0]], activations=["softmax"], loss="cross_entropy")
    assert right == 0.0
    assert wrong == 2000.0  # the true class is 2000 below the other
    np.testing.assert_array_equal(right_grads[0][0], 0.0)
    np.testing.assert_array_equal(wrong_grads[0][0], [[1000.0, -1000.0], [-1000.0, 1000.0]])
    np.testing.assert_array_equal(wrong_grads[0][1], [[1.0], [-1.0]])


def test_sigmoid_binary_cross_entropy_on_logits_of_1000_is_exact():
    layer = [(np.array([[1.0]]), np.zeros((1, 1)))]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        value, grads = forward_backward(
            layer, [[-1000.0, 1000.0]], [[1.0, 0.0]], activations=["sigmoid"], loss="binary_cross_entropy"
        )
    assert value == 1000.0  # mean of two losses of 1000
    np.testing.assert_array_equal(grads[0][0], [[1000.0]])  # ((0 - 1)(-1000) + (1 - 0)(1000)) / 2
