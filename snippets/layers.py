"""A dense layer: Z = W @ A_prev + b, then A = g(Z); forward and backward.

Shapes, with n_in inputs, n_out units and m examples (one per column):
A_prev: (n_in, m), W: (n_out, n_in), b: (n_out, 1), Z and A: (n_out, m).

Forward functions return ``(output, cache)``; backward functions take ``(upstream, cache)``
and return one gradient per input, each of the shape of that input. The caches hold
references to the arrays passed in, not copies: do not change W in place between the
forward and the backward pass.

dtypes follow numpy: float32 inputs give float32 results; a float64 among them makes them float64.
A result that overflows (inf or nan from finite inputs) raises a ValueError naming the input.
"""

from typing import NamedTuple

import numpy as np

from snippets import _validate
from snippets.activations import ActivationCache, activation_backward, activation_forward


class DenseCache(NamedTuple):
    """The inputs of the affine step, which its gradients are built from."""

    A_prev: np.ndarray  # shape (n_in, m)
    W: np.ndarray  # shape (n_out, n_in)
    b: np.ndarray  # shape (n_out, 1)


def dense_forward(A_prev, W, b) -> tuple[np.ndarray, DenseCache]:
    """Z = W @ A_prev + b; b is broadcast across the m columns.

    A_prev: shape (n_in, m); W: shape (n_out, n_in); b: shape (n_out, 1).
    Returns Z: shape (n_out, m), and the cache.
    """
    A_prev = _validate.as_matrix("A_prev", A_prev)
    W = _validate.as_matrix("W", W)
    b = _validate.as_array("b", b)
    n_in = A_prev.shape[0]
    n_out = W.shape[0]
    _validate.check_shape("W", W, (n_out, n_in), f"to match A_prev with {n_in} rows")
    _validate.check_shape("b", b, (n_out, 1), f"to match W with {n_out} rows")
    dtype = np.result_type(A_prev, W, b)  # float32 only if all three are: then the whole step is float32
    A_prev, W, b = (x.astype(dtype, copy=False) for x in (A_prev, W, b))
    with np.errstate(over="ignore", invalid="ignore"):  # reported below, naming the inputs
        Z = W @ A_prev + b
    if not np.isfinite(Z).all():
        value, index = _validate.first_non_finite(Z)
        raise ValueError(
            f"W: expected W, A_prev and b small enough for a finite Z = W @ A_prev + b in {Z.dtype}, "
            f"got Z = {value} at index {index}"
        )
    return Z, DenseCache(A_prev=A_prev, W=W, b=b)


def dense_backward(dZ, cache: DenseCache) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradients of the cost with respect to A_prev, W and b, from dZ = ∂cost/∂Z.

    dZ: shape (n_out, m). Returns dA_prev: (n_in, m), dW: (n_out, n_in), db: (n_out, 1).

    dW = dZ A_prevᵀ sums the per-example contributions over the m columns, and db sums dZ
    over the columns. There is no 1/m here: the cost is a mean, and the loss gradient that
    started the backward pass already carries that 1/m, so dZ does too.
    """
    if not isinstance(cache, DenseCache):
        raise ValueError(f"cache: expected the DenseCache returned by dense_forward, got {type(cache).__name__}")
    A_prev, W, b = cache
    dZ = _validate.as_matrix("dZ", dZ)
    _validate.check_shape("dZ", dZ, (W.shape[0], A_prev.shape[1]), "to match Z = W @ A_prev + b")
    dZ = dZ.astype(np.result_type(dZ, W), copy=False)  # float32 only if the forward step was too
    with np.errstate(over="ignore", invalid="ignore"):  # reported below, naming dZ
        dA_prev, dW, db = _dense_backward(dZ, A_prev, W)
    for name, gradient in (("dW", dW), ("db", db), ("dA_prev", dA_prev)):
        if not np.isfinite(gradient).all():
            value, index = _validate.first_non_finite(gradient)
            raise ValueError(
                f"dZ: expected values small enough for finite gradients in {gradient.dtype}, "
                f"got {name} = {value} at index {index}"
            )
    assert dW.shape == W.shape and db.shape == b.shape and dA_prev.shape == A_prev.shape
    return dA_prev, dW, db


def _dense_backward(dZ: np.ndarray, A_prev: np.ndarray, W: np.ndarray | None):
    """dA_prev, dW, db unchecked; dA_prev is None when W is None (the network's first layer,
    whose dA_prev would be the gradient with respect to X, which nobody uses)."""
    dW = dZ @ A_prev.T
    db = np.sum(dZ, axis=1, keepdims=True)
    dA_prev = None if W is None else W.T @ dZ
    return dA_prev, dW, db


class LayerCache(NamedTuple):
    """The caches of a layer's two steps: the affine map and the activation."""

    dense: DenseCache
    activation: ActivationCache


def layer_forward(A_prev, W, b, activation: str) -> tuple[np.ndarray, LayerCache]:
    """A = g(W @ A_prev + b), with g the activation called ``activation``.

    A_prev: shape (n_in, m); W: (n_out, n_in); b: (n_out, 1). Returns A: (n_out, m), and the cache.
    """
    Z, dense_cache = dense_forward(A_prev, W, b)
    A, activation_cache = activation_forward(Z, activation)
    return A, LayerCache(dense=dense_cache, activation=activation_cache)


def layer_backward(dA, cache: LayerCache) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Backward through the activation (dA → dZ), then through the affine step.

    dA: shape (n_out, m). Returns dA_prev: (n_in, m), dW: (n_out, n_in), db: (n_out, 1).
    """
    if not isinstance(cache, LayerCache):
        raise ValueError(f"cache: expected the LayerCache returned by layer_forward, got {type(cache).__name__}")
    dZ = activation_backward(dA, cache.activation)
    return dense_backward(dZ, cache.dense)
