"""A stack of dense layers: initialisation, forward pass, backward pass.

``params`` is a list of ``(W, b)`` pairs, one per layer, first layer first;
``activations`` is a list of activation names, one per layer. ``grads`` has exactly the
structure of ``params``: a list of ``(dW, db)`` pairs with dW.shape == W.shape and
db.shape == b.shape.
"""

from collections.abc import Sequence

import numpy as np

from snippets import _validate
from snippets.activations import _FUNCTIONS as _ACTIVATE
from snippets.activations import ACTIVATIONS, ActivationCache
from snippets.activations import _backward as _activation_backward
from snippets.layers import DenseCache, LayerCache, _dense_backward, layer_backward
from snippets.losses import (
    _LOG_LOSSES as LOG_LOSSES,
    FUSED_PAIRS,
    LOSSES,
    _check_targets,
    _cost,
    _cost_from_logits,
    _cost_gradient,
    _dZ_from_outputs,
)

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


def forward(params: Params, X, *, activations: Sequence[str]) -> tuple[np.ndarray, list[LayerCache]]:
    """Run X through every layer. X: shape (n_x, m).

    Returns A_L: shape (n_L, m), the output of the last layer, and one LayerCache per layer.
    """
    pairs, X, names = _checked_network(params, X, activations)
    with np.errstate(over="ignore", invalid="ignore"):  # overflow is reported by _forward, by layer
        caches = _forward(pairs, X, names)
    return caches[-1].activation.A, caches


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

    dtype: the math runs in float32 when X and every W and b are float32 arrays, and in float64
    otherwise (ints, lists, float16, or any float64 among them); Y is converted to that dtype, and
    the gradients come out in it. Pages and tests use float64.

    Every argument is checked once, here, before any arithmetic: a bad one raises a ValueError
    naming it (X, Y, params[i], activations[i], loss). If the cost or a gradient overflows although
    every input is finite, the ValueError says which layer (or the loss) it overflowed in.
    """
    _validate.check_choice("loss", loss, LOSSES)
    pairs, X, names = _checked_network(params, X, activations)
    Y = _checked_targets(Y, X, pairs, loss)
    fused = (names[-1], loss) in FUSED_PAIRS
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):  # overflow is reported below
        caches = _forward(pairs, X, names)
        Z_L, A_L = caches[-1].activation.Z, caches[-1].activation.A
        if fused:
            total = _cost_from_logits(loss, Z_L, Y, names[-1])
        else:
            if loss in LOG_LOSSES:
                _check_probability_outputs(A_L, names, loss)
            total = _cost(loss, A_L, Y)
        _check_loss_result(np.float64(total), loss, "cost")
        if fused:
            upstream = _dZ_from_outputs(A_L, Y)  # dZ_L = (A_L - Y) / m: always finite
        else:
            upstream = _cost_gradient(loss, A_L, Y)  # dA_L
            _check_loss_result(upstream, loss, "gradient")
        grads = _backward(caches, upstream, skip_last_activation=fused)
    return total, grads


# --- checks at the boundary -----------------------------------------------------------------


def _describe(value) -> str:
    """A short description of what came, for messages: 'an array of shape (3, 4)', 'a float 1.0'."""
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    if isinstance(value, (list, tuple)):
        return f"a {type(value).__name__} of {len(value)} entries"
    return f"{type(value).__name__} {value!r}"[:80]


def _checked_params(params) -> list[tuple[np.ndarray, np.ndarray]]:
    """params as a list of (W, b) arrays: W 2-D, both finite; shapes are checked with X."""
    if not isinstance(params, (list, tuple)):
        raise ValueError(f"params: expected a list of (W, b) pairs, one per layer, got {_describe(params)}")
    if len(params) == 0:
        raise ValueError("params: expected at least one (W, b) pair, got an empty list")
    if len(params) == 2 and isinstance(params[0], np.ndarray):
        raise ValueError(
            f"params: expected a list of (W, b) pairs, one per layer, got a single pair (W of shape "
            f"{params[0].shape}, ...); for one layer pass [(W, b)]"
        )
    pairs = []
    for i, pair in enumerate(params):
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            raise ValueError(f"params[{i}]: expected a (W, b) pair, got {_describe(pair)}")
        W = _validate.as_matrix(f"params[{i}] W", pair[0])
        b = _validate.as_array(f"params[{i}] b", pair[1])
        pairs.append((W, b))
    return pairs


def _checked_activations(activations, n_layers: int) -> list[str]:
    if isinstance(activations, str) or not isinstance(activations, (list, tuple)):
        # a lone string would be read as a sequence of letters
        raise ValueError(f"activations: expected a list of names (one per layer), got {activations!r}")
    _validate.check_length("activations", activations, n_layers, "names (one per layer)")
    for i, name in enumerate(activations):
        _validate.check_choice(f"activations[{i}]", name, ACTIVATIONS)
    return list(activations)


def _checked_network(params, X, activations):
    """Check params, X and activations together; return them as arrays of one float dtype."""
    pairs = _checked_params(params)
    names = _checked_activations(activations, len(pairs))
    X = _validate.as_matrix("X", X)
    n_in = X.shape[0]
    for i, (W, b) in enumerate(pairs):
        if W.shape[1] != n_in:
            if i == 0:  # the first W fixes how many rows X must have
                raise ValueError(
                    f"X: expected {W.shape[1]} rows (one per input unit) to match params[0] W of shape "
                    f"{W.shape}, got shape {X.shape}"
                )
            raise ValueError(
                f"params[{i}] W: expected {n_in} columns to match the {n_in} rows of params[{i - 1}] W, "
                f"got shape {W.shape}"
            )
        _validate.check_shape(f"params[{i}] b", b, (W.shape[0], 1), f"to match params[{i}] W with {W.shape[0]} rows")
        n_in = W.shape[0]
    dtype = np.result_type(X, *(array for pair in pairs for array in pair))  # float32 only if all are
    pairs = [(W.astype(dtype, copy=False), b.astype(dtype, copy=False)) for W, b in pairs]
    return pairs, X.astype(dtype, copy=False), names


def _checked_targets(Y, X: np.ndarray, pairs, loss: str) -> np.ndarray:
    Y = _validate.as_matrix("Y", Y)
    _validate.check_shape(
        "Y", Y, (pairs[-1][0].shape[0], X.shape[1]),
        "(units of the last layer, examples in X) to match the network's output",
    )
    Y = Y.astype(X.dtype, copy=False)
    _check_targets(loss, Y)
    return Y


# --- the passes, on checked arrays ------------------------------------------------------------


def _forward(pairs, X: np.ndarray, names: list[str]) -> list[LayerCache]:
    """Z = W @ A_prev + b and A = g(Z), layer by layer; raise where Z stops being finite."""
    caches = []
    A = X
    for i, ((W, b), name) in enumerate(zip(pairs, names)):
        Z = W @ A
        Z += b
        if not np.isfinite(Z).all():
            value, index = _validate.first_non_finite(Z)
            source = "X" if i == 0 else f"the output of layer {i}"
            raise ValueError(
                f"params[{i}]: expected weights for which layer {i + 1} stays finite in {Z.dtype}, but its "
                f"W @ ({source}) + b overflowed to {value} at index {index}"
            )
        caches.append(LayerCache(DenseCache(A, W, b), ActivationCache(name, Z, _ACTIVATE[name](Z))))
        A = caches[-1].activation.A
    return caches


def _backward(caches: list[LayerCache], upstream: np.ndarray, *, skip_last_activation: bool) -> Params:
    """(dW, db) for every layer from the last layer's dA (or its dZ when skip_last_activation).

    The first layer's dA_prev would be the gradient with respect to X: it is not computed.
    """
    grads = [None] * len(caches)
    for i in reversed(range(len(caches))):
        (A_prev, W, _), (name, Z, A) = caches[i]
        dZ = upstream if skip_last_activation and i == len(caches) - 1 else _activation_backward(name, Z, A, upstream)
        upstream, dW, db = _dense_backward(dZ, A_prev, W if i > 0 else None)
        if not (np.isfinite(db).all() and np.isfinite(dW).all()):
            raise ValueError(
                f"params[{i}]: expected a gradient that stays finite in {dW.dtype}, but the backward pass "
                f"overflowed in layer {i + 1} (its dW or db is not finite)"
            )
        grads[i] = (dW, db)
    return grads


def _check_probability_outputs(A_L: np.ndarray, names: list[str], loss: str) -> None:
    """The log losses need outputs in [0, 1]: blame the last activation if they are not."""
    _validate.check_in_range(
        f"activations[{len(names) - 1}]", A_L, 0.0, 1.0,
        f"outputs of the last activation for loss {loss!r} (sigmoid or softmax)",
    )


def _check_loss_result(value: np.ndarray, loss: str, what: str) -> None:
    if not np.isfinite(value).all():
        bad, _ = _validate.first_non_finite(np.atleast_1d(value))
        if loss in LOG_LOSSES:
            reason = "the output of the last layer is 0 or 1 (or that close) where Y needs it strictly between"
        else:
            reason = "the network's output and Y are too far apart for the float range"
        raise ValueError(f"loss: expected a finite {what} of {loss!r}, but it overflowed to {bad}: {reason}")
