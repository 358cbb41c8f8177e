"""Exercises for the Lviv chapter, with fresh numbers from a seed.

Each function takes a seed and returns a NamedTuple holding the question's inputs, every number of the worked
solution, the ``answer`` and either its ``tolerance`` (a number to type) or the ``options`` to pick from
(``answer`` is then the index of the right one). The slides' convention: z[l] = W[l] a[l−1] + b[l], examples as
columns, the cost the mean over the m examples; a sigmoid output with cross-entropy gives dZ = A − Y per example.
Indices (``j``, ``k``) count from 1, as the slides do.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from snippets.activations import sigmoid
from snippets.examples.shared_exercises import rng, shown, shuffled


def _rng(seed: int) -> np.random.Generator:
    return rng(seed, "lviv")


class TanhSlope(NamedTuple):
    """g′(z) = 1 − a² for a = tanh(z), written from the unit's output."""

    z: float
    a: float
    answer: float
    tolerance: float


def tanh_slope(seed: int) -> TanhSlope:
    z = shown(_rng(seed).uniform(-2, 2))
    a = float(np.tanh(z))
    return TanhSlope(z=z, a=a, answer=1 - a**2, tolerance=5e-4)


class HiddenPaths(NamedTuple):
    """dz[1]_j = (Σ_k W[2]_kj dz[2]_k) · (1 − a[1]_j²): hidden unit j reaches the cost through every output unit.

    One example; ``z1``, ``a1`` and ``dz2`` have shape (2,), ``W2`` shape (2, 2).
    """

    z1: np.ndarray
    a1: np.ndarray
    W2: np.ndarray
    dz2: np.ndarray
    j: int
    paths: np.ndarray  # W[2]_kj dz[2]_k for k = 1, 2
    da1_j: float  # Σ_k of the paths: entry j of W[2]ᵀ dz[2]
    slope_j: float  # 1 − a[1]_j²
    answer: float
    tolerance: float


def hidden_paths(seed: int) -> HiddenPaths:
    draw = _rng(seed)
    z1, dz2 = shown(draw.uniform(-1.5, 1.5, 2)), shown(draw.uniform(-0.8, 0.8, 2))
    W2 = shown(draw.uniform(-1.5, 1.5, (2, 2)))
    j = int(draw.integers(1, 3))
    a1 = np.tanh(z1)
    paths = W2[:, j - 1] * dz2
    da1_j = float(paths.sum())
    slope_j = float(1 - a1[j - 1] ** 2)
    return HiddenPaths(z1=z1, a1=a1, W2=W2, dz2=dz2, j=j, paths=paths, da1_j=da1_j, slope_j=slope_j,
                       answer=da1_j * slope_j, tolerance=5e-4)


class BackShape(NamedTuple):
    """The shape of dA[l−1] = W[l]ᵀ dZ[l] in a network with layer sizes ``sizes`` and a batch of m examples."""

    sizes: tuple[int, ...]
    m: int
    layer: int
    n_prev: int  # n[l−1]
    n_this: int  # n[l]
    options: tuple[str, ...]
    answer: int


def back_shape(seed: int) -> BackShape:
    draw = _rng(seed)
    sizes = tuple(int(n) for n in draw.choice(np.arange(2, 10), size=4, replace=False))
    m = int(draw.choice([16, 32, 64]))
    layer = int(draw.integers(2, 4))
    n_prev, n_this = sizes[layer - 1], sizes[layer]
    options, answer = shuffled(draw, f"({n_prev}, {m})",
                               [f"({n_this}, {m})", f"({m}, {n_prev})", f"({n_prev}, {n_this})"])
    return BackShape(sizes=sizes, m=m, layer=layer, n_prev=n_prev, n_this=n_this, options=options, answer=answer)


class WeightUpdate(NamedTuple):
    """One gradient-descent step on W[2] of a network with a single sigmoid output, cross-entropy, m = 3.

    dZ[2] = A[2] − Y (per example), dW[2] = (1/m) dZ[2] A[1]ᵀ, W[2] ← W[2] − α dW[2]. ``A1`` is (2, 3),
    ``A2``, ``Y``, ``dZ2`` are (3,), ``W2`` and ``dW2`` (2,) (the one row of W[2]).
    """

    A1: np.ndarray
    A2: np.ndarray
    Y: np.ndarray
    W2: np.ndarray
    lr: float
    k: int
    m: int
    dZ2: np.ndarray
    dW2: np.ndarray
    W2_k: float
    dW2_k: float
    answer: float
    tolerance: float


def weight_update(seed: int) -> WeightUpdate:
    draw = _rng(seed)
    m = 3
    A1 = shown(draw.uniform(0, 1, (2, m)))
    A2 = shown(draw.uniform(0.05, 0.95, m))
    Y = draw.integers(2, size=m).astype(float)
    W2 = shown(draw.uniform(-1, 1, 2))
    lr, k = float(draw.choice([0.1, 0.5, 1.0])), int(draw.integers(1, 3))
    dZ2 = A2 - Y
    dW2 = dZ2 @ A1.T / m
    return WeightUpdate(A1=A1, A2=A2, Y=Y, W2=W2, lr=lr, k=k, m=m, dZ2=dZ2, dW2=dW2, W2_k=float(W2[k - 1]),
                        dW2_k=float(dW2[k - 1]), answer=float(W2[k - 1] - lr * dW2[k - 1]), tolerance=5e-4)


class TwoDzMistake(NamedTuple):
    """Mixing the slides' two meanings of dZ: (1/m)(A − Y) from the cost, then db = (1/m) Σ dZ from the loss.

    The 1/m is taken twice, so the result is db[2] / m. ``A2`` and ``Y`` have shape (m,).
    """

    A2: np.ndarray
    Y: np.ndarray
    m: int
    diff: np.ndarray  # A − Y
    mixed: float  # (1/m) Σ (1/m)(A − Y)
    answer: float  # the right db[2] = (1/m) Σ (A − Y)
    tolerance: float


def two_dz_mistake(seed: int) -> TwoDzMistake:
    draw = _rng(seed)
    m = 4
    A2 = shown(sigmoid(draw.normal(0, 1.5, m)))
    Y = draw.integers(2, size=m).astype(float)
    while abs(np.mean(A2 - Y)) < 0.05:  # a visible gradient, so that the factor m shows
        Y = draw.integers(2, size=m).astype(float)
    diff = A2 - Y
    return TwoDzMistake(A2=A2, Y=Y, m=m, diff=diff, mixed=float(np.sum(diff / m) / m), answer=float(diff.mean()),
                        tolerance=5e-4)


class ZeroStart(NamedTuple):
    """The first backward pass of a 2-2-1 sigmoid network whose weights and biases all start at 0.

    Every hidden unit outputs σ(0) = 1/2 and so does the output, whatever the input: dZ[2] = 1/2 − Y,
    dW[2] = (1/m) dZ[2] A[1]ᵀ has two equal entries, and dW[1] = 0 because W[2] = 0. ``X`` is (2, m), ``Y`` (m,).
    """

    X: np.ndarray
    Y: np.ndarray
    m: int
    a1: float  # every entry of A[1]
    a2: float  # every entry of A[2]
    dZ2: np.ndarray
    dW2: np.ndarray  # shape (2,): the one row of dW[2]
    dW1_max: float  # largest |entry| of dW[1]
    answer: float  # dW[2]_12
    tolerance: float


def zero_start(seed: int) -> ZeroStart:
    draw = _rng(seed)
    m = 4
    X = shown(draw.uniform(-2, 2, (2, m)))
    Y = draw.integers(2, size=m).astype(float)
    while Y.mean() == 0.5:  # a non-zero gradient, so the equal entries are visibly equal
        Y = draw.integers(2, size=m).astype(float)
    W1, b1, W2, b2 = np.zeros((2, 2)), np.zeros((2, 1)), np.zeros((1, 2)), np.zeros((1, 1))
    A1 = sigmoid(W1 @ X + b1)
    A2 = sigmoid(W2 @ A1 + b2).ravel()
    dZ2 = A2 - Y
    dW2 = dZ2 @ A1.T / m
    dA1 = W2.T @ dZ2.reshape(1, -1)
    dW1 = (dA1 * A1 * (1 - A1)) @ X.T / m
    return ZeroStart(X=X, Y=Y, m=m, a1=float(A1[0, 0]), a2=float(A2[0]), dZ2=dZ2, dW2=dW2,
                     dW1_max=float(np.abs(dW1).max()), answer=float(dW2[1]), tolerance=5e-4)
