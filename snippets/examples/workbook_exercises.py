"""Exercises for the Backprop Workbook chapter, with fresh numbers from a seed.

Each function takes a seed and returns a NamedTuple holding the question's inputs, every number of the worked
solution, the ``answer`` and either its ``tolerance`` (a number to type) or the ``options`` to pick from
(``answer`` is then the index of the right one). The workbook's convention: row vectors,
z3_j = Σ_k h2_k W3_kj + b3_j, W3 of shape (n2, n3), h3 = softmax(z3) and CE = −Σ_j y_j log h3_j. Indices in
the NamedTuples (``label``, ``i``, ``j``) count from 1, unlike the workbook, which numbers the classes 0 to 9.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from snippets.activations import softmax
from snippets.examples.shared_exercises import rng, shown, shuffled


def _rng(seed: int) -> np.random.Generator:
    return rng(seed, "workbook")


def _distribution(draw: np.random.Generator, n: int, decimals: int) -> np.ndarray:
    """n positive numbers with ``decimals`` decimals that sum to exactly 1 (as shown)."""
    step = 10**decimals
    cuts = np.sort(draw.choice(np.arange(1, step), size=n - 1, replace=False))
    return np.diff(np.concatenate([[0], cuts, [step]])) / step


class LogChain(NamedTuple):
    """d/dx log(1 + e^{cx}) = c e^{cx} / (1 + e^{cx}): the chain rule through log, a sum and exp."""

    c: float
    x: float
    inner: float  # 1 + e^{cx}
    exp_cx: float
    answer: float
    tolerance: float


def log_chain(seed: int) -> LogChain:
    draw = _rng(seed)
    c, x = shown(draw.uniform(-2, 2)), shown(draw.uniform(-1.5, 1.5))
    exp_cx = float(np.exp(c * x))
    return LogChain(c=c, x=x, inner=1 + exp_cx, exp_cx=exp_cx, answer=c * exp_cx / (1 + exp_cx), tolerance=5e-4)


class OutputGradient(NamedTuple):
    """One entry of ∇_{z3} CE = h3 − y for a softmax output with one-hot y (``z3``, ``h3``, ``y``: shape (4,))."""

    z3: np.ndarray
    label: int
    j: int
    y: np.ndarray
    h3: np.ndarray
    answer: float  # h3_j − y_j (j from 1)
    tolerance: float


def output_gradient(seed: int) -> OutputGradient:
    draw = _rng(seed)
    z3 = shown(draw.uniform(-2, 2, 4))
    label, j = int(draw.integers(1, 5)), int(draw.integers(1, 5))
    y = np.eye(4)[label - 1]
    h3 = softmax(z3)
    return OutputGradient(z3=z3, label=label, j=j, y=y, h3=h3, answer=float(h3[j - 1] - y[j - 1]), tolerance=5e-4)


class WeightEntry(NamedTuple):
    """One entry of ∇_{W3} CE = h2 ⊗ (h3 − y): ∂CE/∂W3_ij = h2_i (h3_j − y_j). ``h2``, ``z3`` etc.: shape (3,)."""

    h2: np.ndarray
    z3: np.ndarray
    label: int
    i: int
    j: int
    h3: np.ndarray
    dz3: np.ndarray  # h3 − y
    h2_i: float
    dz3_j: float
    answer: float
    tolerance: float


def weight_entry(seed: int) -> WeightEntry:
    draw = _rng(seed)
    h2, z3 = shown(draw.uniform(0, 2, 3)), shown(draw.uniform(-2, 2, 3))
    label, i, j = (int(k) for k in draw.integers(1, 4, size=3))
    h3 = softmax(z3)
    dz3 = h3 - np.eye(3)[label - 1]
    return WeightEntry(h2=h2, z3=z3, label=label, i=i, j=j, h3=h3, dz3=dz3, h2_i=float(h2[i - 1]),
                       dz3_j=float(dz3[j - 1]), answer=float(h2[i - 1] * dz3[j - 1]),
                       tolerance=5e-4)


class WeightShape(NamedTuple):
    """The shape of ∇_{W3} CE in the workbook's row convention: W3 is (n2, n3), and so is its gradient."""

    n2: int
    n3: int
    options: tuple[str, ...]
    answer: int


def weight_shape(seed: int) -> WeightShape:
    draw = _rng(seed)
    n2, n3 = int(draw.choice([64, 128, 256, 512])), int(draw.choice([5, 10, 20]))
    options, answer = shuffled(draw, f"({n2}, {n3})", [f"({n3}, {n2})", f"(1, {n3})", f"({n2}, 1)"])
    return WeightShape(n2=n2, n3=n3, options=options, answer=answer)


class LogOutside(NamedTuple):
    """The workbook writes CE = −log Σ_i h_i y_i; the cross-entropy is −Σ_i y_i log h_i. They agree for one-hot y.

    ``h`` and the soft label ``y`` have shape (3,), one decimal each, each summing to 1.
    """

    h: np.ndarray
    y: np.ndarray
    terms: np.ndarray  # −y_i log h_i
    answer: float  # −Σ_i y_i log h_i
    workbook: float  # −log Σ_i y_i h_i
    mixed: float  # Σ_i y_i h_i
    tolerance: float


def log_outside(seed: int) -> LogOutside:
    draw = _rng(seed)
    h = _distribution(draw, 3, 1)
    y = _distribution(draw, 3, 1)
    while np.allclose(y, h):
        y = _distribution(draw, 3, 1)
    terms = -y * np.log(h)
    mixed = float(y @ h)
    return LogOutside(h=h, y=y, terms=terms, answer=float(terms.sum()), workbook=-float(np.log(mixed)), mixed=mixed,
                      tolerance=5e-4)


class BiasBatch(NamedTuple):
    """∂cost/∂b3 for a batch: each row's h3 − y, averaged over the m rows (the cost is the mean).

    ``H3`` (m, 3) has one example per row, two decimals, each row summing to 1; ``labels`` one class per row.
    """

    H3: np.ndarray
    labels: tuple[int, ...]
    Y: np.ndarray
    dZ3: np.ndarray  # (H3 − Y) / m, the gradient of the mean cost with respect to each row's z3
    j: int
    m: int
    column: np.ndarray  # H3[:, j] − Y[:, j]
    answer: float  # ∂cost/∂b3_j = Σ_rows dZ3[:, j − 1]
    tolerance: float


def bias_batch(seed: int) -> BiasBatch:
    draw = _rng(seed)
    m = 3
    H3 = np.stack([_distribution(draw, 3, 2) for _ in range(m)])
    labels = tuple(int(k) for k in draw.integers(1, 4, size=m))
    Y = np.eye(3)[[k - 1 for k in labels]]
    dZ3 = (H3 - Y) / m
    j = int(draw.integers(1, 4))
    return BiasBatch(H3=H3, labels=labels, Y=Y, dZ3=dZ3, j=j, m=m, column=H3[:, j - 1] - Y[:, j - 1],
                     answer=float(dZ3[:, j - 1].sum()), tolerance=5e-4)
