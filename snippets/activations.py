"""Activation functions g, their derivatives g', and their forward/backward steps.

A layer computes ``A = g(Z)``. The backward step turns ``dA = ∂cost/∂A`` into
``dZ = ∂cost/∂Z``. For the element-wise activations that is ``dZ = g'(Z) ⊙ dA``; softmax mixes
the entries of each column, so it needs a Jacobian-vector product instead.

Conventions at the kinks (where g has no derivative):

* ``relu``: g'(0) is taken as 0.
* ``step``: g'(z) is 0 everywhere, including at the jump z = 0. Step therefore has no useful
  gradient: nothing flows back through it, which is why networks trained by gradient descent
  use smooth activations instead.

The plain functions ``identity(Z) ... softmax(Z)`` accept arrays of any shape (softmax: one
column as a 1-D vector, or a 2-D array of columns). ``activation_forward`` and
``activation_backward`` work on 2-D batches, Z: shape (n, m).

dtypes: a float32 Z gives a float32 A (float32 math); anything else is computed in float64.
"""

from typing import NamedTuple

import numpy as np

from snippets import _validate

ACTIVATIONS = ("identity", "step", "relu", "sigmoid", "tanh", "softmax")


# --- the activations themselves ----------------------------------------------------------
# Each public function checks its input and calls the unchecked version below it; the network
# calls the unchecked versions directly, having checked X and params once at its boundary.
# Every function keeps a float32 input in float32 (and makes anything else float64).


def identity(Z) -> np.ndarray:
    """g(z) = z. Returns a new array (so changing A never changes Z)."""
    return _validate.as_array("Z", Z).copy()


def step(Z) -> np.ndarray:
    """g(z) = 1 where z > 0, else 0 (so step(0) = 0)."""
    return _step(_validate.as_array("Z", Z))


def _step(Z: np.ndarray) -> np.ndarray:
    return (Z > 0).astype(Z.dtype)


def relu(Z) -> np.ndarray:
    """g(z) = max(0, z)."""
    return _relu(_validate.as_array("Z", Z))


def _relu(Z: np.ndarray) -> np.ndarray:
    return np.maximum(Z, 0.0)


def sigmoid(Z) -> np.ndarray:
    """g(z) = 1 / (1 + e^(-z)), computed without overflow for any finite z.

    e^(-z) overflows for z < -709, so for negative z we use the equal form e^z / (1 + e^z),
    in which the exponent is never positive. (Underflow to 0 is silent and harmless.)
    """
    return _sigmoid(_validate.as_array("Z", Z))


def _sigmoid(Z: np.ndarray) -> np.ndarray:
    A = np.empty_like(Z)
    positive = Z >= 0
    A[positive] = 1.0 / (1.0 + np.exp(-Z[positive]))
    exp_z = np.exp(Z[~positive])
    A[~positive] = exp_z / (1.0 + exp_z)
    return A


def tanh(Z) -> np.ndarray:
    """g(z) = (e^z - e^(-z)) / (e^z + e^(-z)); numpy's tanh is stable for any finite z."""
    return np.tanh(_validate.as_array("Z", Z))


def softmax(Z) -> np.ndarray:
    """Softmax over each column: a_k = e^(z_k) / Σ_j e^(z_j).

    Z: shape (n,) for one column, or (n, m) for m columns; A has the shape of Z and each
    column sums to 1. Subtracting the column maximum first changes nothing mathematically
    (it cancels between numerator and denominator) but keeps every exponent ≤ 0, so e^z
    cannot overflow even for logits like 1000.
    """
    Z = _validate.as_array("Z", Z)
    if Z.ndim not in (1, 2) or Z.size == 0:
        raise ValueError(f"Z: expected a non-empty 1-D column or 2-D array of columns, got shape {Z.shape}")
    return _softmax(Z)


def _softmax(Z: np.ndarray) -> np.ndarray:
    # z - max can overflow to -inf when a column spans more than the float range; e^(-inf) = 0
    # is then the right answer, so that overflow is not worth a warning.
    with np.errstate(over="ignore"):
        shifted = Z - Z.max(axis=0, keepdims=True)
    exp_shifted = np.exp(shifted)
    return exp_shifted / exp_shifted.sum(axis=0, keepdims=True)


# The unchecked functions, for callers that have validated Z already.
_FUNCTIONS = {
    "identity": np.copy,
    "step": _step,
    "relu": _relu,
    "sigmoid": _sigmoid,
    "tanh": np.tanh,
    "softmax": _softmax,
}


# --- derivatives -----------------------------------------------------------------------
# Each takes the pre-activation Z and the output A = g(Z) and returns g' element-wise.
# Where it is natural, g' is written from the output: that is what the backward pass has
# cached, and it is how the formulas are usually printed (σ' = a(1 - a), tanh' = 1 - a²).

_DERIVATIVES_FROM_CACHE = {
    "identity": lambda Z, A: np.ones_like(Z),
    "step": lambda Z, A: np.zeros_like(Z),  # flat on both sides; 0 at the jump by convention
    "relu": lambda Z, A: (Z > 0).astype(Z.dtype),  # 0 at z = 0 by convention
    "sigmoid": lambda Z, A: A * (1.0 - A),
    "tanh": lambda Z, A: 1.0 - A**2,
}


def derivative(name: str, Z) -> np.ndarray:
    """g'(Z) element-wise for an element-wise activation; Z of any shape.

    Softmax is not element-wise (each output depends on the whole column), so it has no
    element-wise derivative: use ``softmax_jacobian(z)`` for one column.
    """
    _validate.check_choice("activation", name, ACTIVATIONS)
    if name == "softmax":
        raise ValueError(
            "activation: expected an element-wise activation (identity, relu, sigmoid, step, tanh), "
            "got 'softmax'; its derivative is a matrix per column: use softmax_jacobian(z)"
        )
    Z = _validate.as_array("Z", Z)
    return _DERIVATIVES_FROM_CACHE[name](Z, _FUNCTIONS[name](Z))


def softmax_jacobian(z) -> np.ndarray:
    """The (n, n) Jacobian ∂a/∂z of softmax for one column z of shape (n,) or (n, 1).

    Entry (i, j) is a_i (δ_ij - a_j), i.e. the matrix diag(a) - a aᵀ.
    """
    z = _validate.as_array("z", z)
    if not (z.ndim == 1 or (z.ndim == 2 and z.shape[1] == 1)) or z.size == 0:
        raise ValueError(f"z: expected one column of shape (n,) or (n, 1), got {z.shape}")
    a = softmax(z.reshape(-1))
    return np.diag(a) - np.outer(a, a)


# --- forward and backward on a batch ------------------------------------------------------


class ActivationCache(NamedTuple):
    """What the backward step needs: the activation's name, its input and its output."""

    name: str
    Z: np.ndarray  # shape (n, m)
    A: np.ndarray  # shape (n, m), A = g(Z)


def activation_forward(Z, name: str) -> tuple[np.ndarray, ActivationCache]:
    """A = g(Z) for the activation called ``name``.

    Z: shape (n, m), one column per example. Returns A: shape (n, m), and the cache.
    """
    _validate.check_choice("activation", name, ACTIVATIONS)
    Z = _validate.as_matrix("Z", Z)
    A = _FUNCTIONS[name](Z)  # finite for every finite Z
    return A, ActivationCache(name=name, Z=Z, A=A)


def activation_backward(dA, cache: ActivationCache) -> np.ndarray:
    """dZ = ∂cost/∂Z from dA = ∂cost/∂A.

    dA: shape (n, m), the shape of ``cache.A``. Returns dZ: shape (n, m).
    Element-wise activations: dZ = g'(Z) ⊙ dA.
    Softmax, column by column: dZ = J dA with J = diag(a) - a aᵀ, which expands to
    dZ = A ⊙ (dA - Σ_k dA_k A_k); computing it this way never builds the n × n matrix.
    """
    if not isinstance(cache, ActivationCache):
        raise ValueError(
            f"cache: expected the ActivationCache returned by activation_forward, got {type(cache).__name__}"
        )
    dA = _validate.as_matrix("dA", dA)
    _validate.check_same_shape("dA", dA, "the cached output A", cache.A)
    dA = dA.astype(np.result_type(dA, cache.Z), copy=False)  # float32 only if both are float32
    with np.errstate(over="ignore", invalid="ignore"):  # reported below, with what to do about it
        dZ = _backward(cache.name, cache.Z, cache.A, dA)
    if not np.isfinite(dZ).all():
        value, index = _validate.first_non_finite(dZ)
        raise ValueError(
            f"dA: expected values small enough for a finite dZ = ∂cost/∂Z in {dZ.dtype}, "
            f"got dZ = {value} at index {index}"
        )
    return dZ


def _backward(name: str, Z: np.ndarray, A: np.ndarray, dA: np.ndarray) -> np.ndarray:
    """dZ from dA for activation ``name``, unchecked (softmax's column sums can overflow)."""
    if name == "softmax":
        dZ = A * (dA - np.sum(dA * A, axis=0, keepdims=True))
    elif name == "relu":
        dZ = dA * (Z > 0)  # the same numbers as g'(Z) * dA, without building g'(Z) as floats
    else:
        dZ = _DERIVATIVES_FROM_CACHE[name](Z, A) * dA
    assert dZ.shape == Z.shape
    return dZ
