"""Exercises for the CS224N chapter, with fresh numbers from a seed.

Each function takes a seed and returns a NamedTuple holding the question's inputs, every number of the worked
solution, the ``answer`` and either its ``tolerance`` (a number to type) or the ``options`` to pick from
(``answer`` is then the index of the right one). Notation as in the chapter: the window classifier
z = Wx + b, h = f(z), s = uᵀh with f = σ; the graph f = (x + y)·max(y, z).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from snippets.activations import sigmoid
from snippets.examples.shared_exercises import rng, shown, shuffled


def _rng(seed: int) -> np.random.Generator:
    return rng(seed, "cs224n")


class ErrorSignal(NamedTuple):
    """One entry of the window classifier's error signal δ_i = u_i f′(z_i), with f = σ so f′(z) = h(1 − h)."""

    z: float
    u: float
    h: float
    slope: float  # f′(z) = h(1 − h)
    answer: float  # δ_i
    tolerance: float


def error_signal(seed: int) -> ErrorSignal:
    draw = _rng(seed)
    z, u = shown(draw.uniform(-2, 2)), shown(draw.uniform(-1.5, 1.5))
    h = float(sigmoid(np.array(z)))
    slope = h * (1 - h)
    return ErrorSignal(z=z, u=u, h=h, slope=slope, answer=u * slope, tolerance=5e-4)


class GraphPaths(NamedTuple):
    """∂f/∂y for f = (x + y)·max(y, z): y reaches f through the sum a = x + y and through the max b = max(y, z)."""

    x: float
    y: float
    z: float
    a: float  # x + y
    b: float  # max(y, z)
    f: float
    y_wins: bool  # y > z: the max passes its gradient to y
    via_a: float  # ∂f/∂a · ∂a/∂y = b · 1
    via_b: float  # ∂f/∂b · ∂b/∂y = a · 1(y > z)
    answer: float  # ∂f/∂y
    tolerance: float


def graph_paths(seed: int) -> GraphPaths:
    draw = _rng(seed)
    x, y, z = (shown(v, 1) for v in draw.uniform(-3, 3, 3))
    while abs(y - z) < 0.2:  # keep away from the kink of max, where ∂b/∂y is undefined
        z = shown(draw.uniform(-3, 3), 1)
    a, b = x + y, max(y, z)
    y_wins = y > z
    via_a, via_b = b, a * float(y_wins)
    return GraphPaths(x=x, y=y, z=z, a=a, b=b, f=a * b, y_wins=bool(y_wins), via_a=via_a, via_b=via_b,
                      answer=via_a + via_b, tolerance=5e-3)


class WindowShape(NamedTuple):
    """The shape of ∂s/∂W = δᵀxᵀ for a window of ``words`` word vectors of ``dim`` numbers and ``n`` hidden units."""

    words: int
    dim: int
    n: int
    m: int  # words · dim, the length of the stacked window x
    options: tuple[str, ...]
    answer: int


def window_shape(seed: int) -> WindowShape:
    draw = _rng(seed)
    words, dim, n = int(draw.choice([3, 5, 7])), int(draw.integers(2, 7)), int(draw.integers(2, 9))
    m = words * dim
    options, answer = shuffled(draw, f"({n}, {m})", [f"({m}, {n})", f"({n}, {words})", f"(1, {n})"])
    return WindowShape(words=words, dim=dim, n=n, m=m, options=options, answer=answer)


class TwoSidedCheck(NamedTuple):
    """One- and two-sided difference estimates of f′(θ) for f(θ) = θ³, against the exact 3θ².

    For a cubic the errors are exact: two-sided 3θ²+h² − 3θ² = h², one-sided 3θh + h².
    """

    theta: float
    h: float
    f_plus: float  # f(θ + h)
    f_minus: float  # f(θ − h)
    f_theta: float
    exact: float  # 3θ²
    one_sided: float  # (f(θ + h) − f(θ)) / h
    answer: float  # (f(θ + h) − f(θ − h)) / 2h
    error_two_sided: float
    error_one_sided: float
    tolerance: float


def two_sided_check(seed: int) -> TwoSidedCheck:
    draw = _rng(seed)
    theta, h = shown(draw.uniform(0.5, 2.5)), float(draw.choice([0.01, 0.02, 0.05]))
    f = lambda t: t**3  # noqa: E731
    f_plus, f_minus, f_theta = f(theta + h), f(theta - h), f(theta)
    answer = (f_plus - f_minus) / (2 * h)
    one_sided = (f_plus - f_theta) / h
    exact = 3 * theta**2
    return TwoSidedCheck(theta=theta, h=h, f_plus=f_plus, f_minus=f_minus, f_theta=f_theta, exact=exact,
                         one_sided=one_sided, answer=answer, error_two_sided=answer - exact,
                         error_one_sided=one_sided - exact, tolerance=5e-5)


class SigmoidLineMistake(NamedTuple):
    """The notes' §6.3 line for ∂L/∂z, sigmoid with cross-entropy and y = 1, against the true ŷ − 1.

    The notes write −(1+e^{−z}) · (1+e^{−z})^{−2} e^{−z} as −e^{−z}/(1+e^{−z})^{−1}: a power lost.
    """

    z: float
    y_hat: float
    true: float  # ŷ − 1 = −e^{−z}/(1 + e^{−z})
    notes_line: float  # −e^{−z}/(1 + e^{−z})^{−1} = −e^{−z}(1 + e^{−z})
    options: tuple[str, ...]
    answer: int


def sigmoid_line_mistake(seed: int) -> SigmoidLineMistake:
    draw = _rng(seed)
    z = shown(draw.uniform(-1.5, 1.5))
    e = float(np.exp(-z))
    y_hat = 1 / (1 + e)
    options, answer = shuffled(
        draw,
        "the product of 1/ŷ and (1 + e⁻ᶻ)⁻² e⁻ᶻ is e⁻ᶻ/(1 + e⁻ᶻ): the notes keep a power −1 in the denominator",
        ["∂ŷ/∂z = (1 + e⁻ᶻ)⁻² e⁻ᶻ should carry a minus sign",
         "∂L/∂ŷ should be +1/ŷ: the loss −log ŷ has a positive slope",
         "the two factors should be added, not multiplied"],
    )
    return SigmoidLineMistake(z=z, y_hat=y_hat, true=y_hat - 1, notes_line=-e * (1 + e), options=options,
                              answer=answer)


class RegularizedStep(NamedTuple):
    """One gradient-descent step on a weight with an L1 or L2 penalty added to the cost.

    θ ← θ − α (∂cost/∂θ + ∂penalty/∂θ), with ∂/∂θ λΣθ² = 2λθ and ∂/∂θ λΣ|θ| = λ sign(θ).
    """

    theta: float
    data_grad: float  # ∂cost/∂θ from the data
    lam: float
    alpha: float
    penalty: str  # "L1" or "L2"
    penalty_grad: float
    total_grad: float
    answer: float  # θ after the step
    tolerance: float


def regularized_step(seed: int) -> RegularizedStep:
    draw = _rng(seed)
    theta, data_grad = shown(draw.uniform(-2, 2)), shown(draw.uniform(-1, 1))
    while abs(theta) < 0.1:  # away from L1's kink at 0
        theta = shown(draw.uniform(-2, 2))
    lam, alpha = float(draw.choice([0.01, 0.05, 0.1])), float(draw.choice([0.1, 0.5]))
    penalty = "L1" if draw.random() < 0.5 else "L2"
    penalty_grad = lam * float(np.sign(theta)) if penalty == "L1" else 2 * lam * theta
    total_grad = data_grad + penalty_grad
    return RegularizedStep(theta=theta, data_grad=data_grad, lam=lam, alpha=alpha, penalty=penalty,
                           penalty_grad=penalty_grad, total_grad=total_grad, answer=theta - alpha * total_grad,
                           tolerance=5e-4)
