"""SGD-NEURAL-NET: train a stack of dense layers one random example at a time.

This follows the pseudocode of the MIT 6.390 explanatory notes (section 7.6.2) line by line:

1. initialise every layer's weights and biases at random (Gaussian);
2. repeat T times: pick a random example i, run the forward pass, run back-propagation from
   ∂L/∂A^L (or straight from ∂L/∂Z^L when the last activation and the loss have a fused form),
   and take a gradient step on every W and b.

Layout: the package's, examples as columns. A layer's ``W`` has shape (n_out, n_in), which is the
transpose of the notes' W^ℓ of shape (m^ℓ, n^ℓ); ``b`` (n_out, 1) is the notes' W_0^ℓ.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple

import numpy as np

from snippets import _validate
from snippets.activations import activation_backward
from snippets.layers import dense_backward, layer_forward
from snippets.losses import FUSED_PAIRS, cost_gradient, dZ_from_logits
from snippets.network import Params, forward_backward

INITS = ("gaussian", "zeros")


class TrainingResult(NamedTuple):
    """What a run returns.

    params: the trained [(W, b), ...]; initial: the parameters it started from;
    steps: the step numbers t at which the cost was recorded, shape (k,);
    costs: the cost on the whole dataset at those steps, shape (k,), costs[0] before any step.
    """

    params: Params
    initial: Params
    steps: np.ndarray
    costs: np.ndarray


def init_gaussian(layer_sizes: Sequence[int], rng: np.random.Generator) -> Params:
    """Every weight and bias of a layer with m inputs drawn from a Gaussian N(0, 1/m).

    The variance 1/m keeps each pre-activation z = Σ_j w_j a_j of order 1 when the inputs are.
    W: shape (n_out, n_in); b: shape (n_out, 1).
    """
    sizes = [int(n) for n in layer_sizes]
    return [
        (rng.normal(0.0, 1.0 / np.sqrt(n_in), (n_out, n_in)), rng.normal(0.0, 1.0 / np.sqrt(n_in), (n_out, 1)))
        for n_in, n_out in zip(sizes[:-1], sizes[1:])
    ]


def init_zeros(layer_sizes: Sequence[int]) -> Params:
    """Every weight and bias 0 (the initialisation the notes warn against)."""
    sizes = [int(n) for n in layer_sizes]
    return [(np.zeros((n_out, n_in)), np.zeros((n_out, 1))) for n_in, n_out in zip(sizes[:-1], sizes[1:])]


def sgd_step_gradients(params: Params, x, y, *, activations: Sequence[str], loss: str) -> Params:
    """Back-propagation for one example, in the order of the notes' pseudocode.

    x: shape (n_x, 1); y: shape (n_L, 1). Returns [(dW, db), ...] shaped like params.
    """
    # --8<-- [start:step]
    # forward pass: for every layer, pre-activation from the previous output, then activation
    A = x
    caches = []
    for (W, b), name in zip(params, activations):
        A, cache = layer_forward(A, W, b, name)
        caches.append(cache)
    grads = []
    last = caches[-1]
    if (activations[-1], loss) in FUSED_PAIRS:
        # "it may be easier to directly compute ∂L/∂Z^L" (Concept 50)
        dZ = dZ_from_logits(loss, last.activation.Z, y, activations[-1])
    else:
        dA = cost_gradient(loss, A, y)  # final layer: ∂L/∂A^L
        dZ = activation_backward(dA, last.activation)  # within layer: ∂L/∂Z^L
    for layer in reversed(range(len(caches))):
        if layer < len(caches) - 1:
            dZ = activation_backward(dA, caches[layer].activation)  # within layer
        dA, dW, db = dense_backward(dZ, caches[layer].dense)  # weights, biases; dA links to layer - 1
        grads.append((dW, db))
    grads.reverse()
    return grads
    # --8<-- [end:step]


def sgd_neural_net(
    X,
    Y,
    *,
    layer_sizes: Sequence[int],
    activations: Sequence[str],
    loss: str,
    T: int,
    eta: float | Callable[[int], float],
    rng: np.random.Generator,
    init: str = "gaussian",
    record_every: int = 1,
) -> TrainingResult:
    """Train with stochastic gradient descent, one random example per step.

    X: shape (n_x, n), the n examples as columns; Y: shape (n_L, n).
    layer_sizes: [n_x, ..., n_L]; activations: one name per layer; T: number of steps;
    eta: a step size, or a function t -> η(t) for t = 1 … T; rng: np.random.default_rng(seed),
    used for the initialisation and for picking examples; init: "gaussian" or "zeros".
    The cost on the whole dataset is recorded before the first step and every ``record_every`` steps.
    """
    X = _validate.as_matrix("X", X)
    Y = _validate.as_matrix("Y", Y)
    if not isinstance(rng, np.random.Generator):
        raise ValueError(f"rng: expected a numpy Generator from np.random.default_rng(seed), got {rng!r}")
    _validate.check_choice("init", init, INITS)
    if X.shape[1] != Y.shape[1]:
        raise ValueError(f"Y: expected {X.shape[1]} columns (one per example of X), got {Y.shape[1]}")
    if not isinstance(T, (int, np.integer)) or T < 0:
        raise ValueError(f"T: expected a non-negative integer number of steps, got {T!r}")
    step_size = eta if callable(eta) else (lambda t: float(eta))
    params = init_gaussian(layer_sizes, rng) if init == "gaussian" else init_zeros(layer_sizes)
    initial = [(W.copy(), b.copy()) for W, b in params]

    def full_cost(p):
        return forward_backward(p, X, Y, activations=activations, loss=loss)[0]

    # --8<-- [start:loop]
    steps, costs = [0], [full_cost(params)]
    n = X.shape[1]
    for t in range(1, T + 1):
        i = int(rng.integers(n))  # a random data point
        grads = sgd_step_gradients(params, X[:, [i]], Y[:, [i]], activations=activations, loss=loss)
        params = [(W - step_size(t) * dW, b - step_size(t) * db) for (W, b), (dW, db) in zip(params, grads)]
        if t % record_every == 0:
            steps.append(t)
            costs.append(full_cost(params))
    # --8<-- [end:loop]
    return TrainingResult(params=params, initial=initial, steps=np.array(steps), costs=np.array(costs))
