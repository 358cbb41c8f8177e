"""A stack of dense layers: initialisation, forward pass, backward pass.

``params`` is a list of ``(W, b)`` pairs, one per layer, first layer first;
``activations`` is a list of activation names, one per layer. ``grads`` has exactly the
structure of ``params``: a list of ``(dW, db)`` pairs with dW.shape == W.shape and
db.shape == b.shape.
"""

from collections.abc import Sequence

import numpy as np

from snippets import _validate
from snippets.layers import LayerCache, dense_backward, layer_backward, layer_forward
from snippets.losses import FUSED_PAIRS, LOSSES, cost, cost_from_logits, cost_gradient, dZ_from_logits

Params = list[tuple[np.ndarray, np.ndarray]]


def init_params(layer_sizes: Sequence[int], rng: np.random.Generator, scale: float = 0.1) -> Params:
    """Random parameters for layers of the given sizes, e.g. [n_x, n_hidden, n_out].

    Each W, of shape (n_out, n_in), is drawn from a standard Gaussian and multiplied by
    ``scale``: small weights keep sigmoid and tanh away from their flat tails at the start,
    and random ones make the units of a layer differ (equal weights would get equal updates
    forever). Each b, of shape (n_out, 1), starts at 0: the random W already breaks the symmetry.
    """
    if not isinstance(rng, np.random.Generator):
        raise ValueError(f"rng: expected a numpy Generator from np.random.default_rng(seed), got {rng!r}")
    sizes = list(layer_sizes)
    if len(sizes) < 2 or not all(isinstance(n, (int, np.integer)) and n >= 1 for n in sizes):
        raise ValueError(f"layer_sizes: expected at least two positive integers, got {layer_sizes!r}")
    scale = _validate.check_positive("scale", scale)
    return [
        (scale * rng.standard_normal((n_out, n_in)), np.zeros((n_out, 1)))
        for n_in, n_out in zip(sizes[:-1], sizes[1:])
    ]


def _check_activations(params: Params, activations: Sequence[str]) -> None:
    if len(params) == 0:
        raise ValueError("params: expected at least one (W, b) pair, got an empty list")
    if isinstance(activations, str):  # a lone string would be read as a sequence of letters
        raise ValueError(f"activations: expected a list of names (one per layer), got {activations!r}")
    _validate.check_length("activations", activations, len(params), "names (one per layer)")
    # Each name itself is checked by layer_forward, so the message can say which layer.


def forward(params: Params, X, *, activations: Sequence[str]) -> tuple[np.ndarray, list[LayerCache]]:
    """Run X through every layer. X: shape (n_x, m).

    Returns A_L: shape (n_L, m), the output of the last layer, and one LayerCache per layer.
    """
    _check_activations(params, activations)
    A = _validate.as_matrix("X", X)
    caches = []
    for layer, ((W, b), activation) in enumerate(zip(params, activations), start=1):
        try:
            A, cache = layer_forward(A, W, b, activation)
        except ValueError as error:  # say which layer the bad W or b belongs to
            raise ValueError(f"layer {layer}: {error}") from None
        caches.append(cache)
    return A, caches


def backward(dA_L, caches: Sequence[LayerCache]) -> Params:
    """Propagate dA_L = ∂cost/∂A_L (shape (n_L, m)) back through the layers.

    Returns grads: a list of (dW, db) pairs, first layer first, like params.
    """
    grads = []
    dA = dA_L
    for cache in reversed(caches):
        dA, dW, db = layer_backward(dA, cache)
        grads.append((dW, db))
    grads.reverse()
    return grads


def forward_backward(params: Params, X, Y, *, activations: Sequence[str], loss: str) -> tuple[float, Params]:
    """The cost of the batch and its gradient with respect to every W and b.

    X: shape (n_x, m); Y: shape (n_L, m), like the network's output.
    Returns (cost, grads), grads shaped like params.

    When the last activation and the loss form a fused pair (softmax + cross_entropy,
    sigmoid + binary_cross_entropy, sigmoid + multilabel), the cost is computed from the
    last layer's logits Z_L and the backward pass starts from dZ_L = (A_L - Y) / m. That is
    the same mathematics, but it stays finite for logits like ±1000, where A_L rounds to
    exactly 0 or 1 and log A_L or Y / A_L would blow up.
    """
    _validate.check_choice("loss", loss, LOSSES)
    A_L, caches = forward(params, X, activations=activations)
    Y = _validate.as_matrix("Y", Y)
    _validate.check_same_shape("Y", Y, "the network output A_L", A_L)
    last = caches[-1]
    if (activations[-1], loss) in FUSED_PAIRS:
        Z_L = last.activation.Z
        total = cost_from_logits(loss, Z_L, Y, activations[-1])
        dZ_L = dZ_from_logits(loss, Z_L, Y, activations[-1])
        dA_prev, dW_L, db_L = dense_backward(dZ_L, last.dense)
        grads = backward(dA_prev, caches[:-1]) + [(dW_L, db_L)]
    else:
        total = cost(loss, A_L, Y)
        grads = backward(cost_gradient(loss, A_L, Y), caches)
    for (W, b), (dW, db) in zip(params, grads):
        assert np.shape(dW) == np.shape(W) and np.shape(db) == np.shape(b)
    return total, grads
