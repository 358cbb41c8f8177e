"""Exercises for the MIT 6.390 chapter, with fresh numbers from a seed.

Each function takes a seed and returns a NamedTuple holding the question's inputs, every number of the worked
solution, the ``answer`` and either its ``tolerance`` (a number to type) or the ``options`` to pick from
(``answer`` is then the index of the right one). The notes' convention: z = Wᵀa + w0 with W of shape (m, n)
(m inputs, n units); the logistic neuron a = σ(z) with the loss L_nll = −(y log a + (1 − y) log(1 − a)).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from snippets.activations import sigmoid
from snippets.examples.shared_exercises import rng, shown, shuffled


def _rng(seed: int) -> np.random.Generator:
    return rng(seed, "mit6390")


def _sigmoid(z: float) -> float:
    return float(sigmoid(np.array(z)))


class NllSlope(NamedTuple):
    """∂L_nll/∂a = −y/a + (1 − y)/(1 − a) for the logistic neuron's output a."""

    a: float
    y: int
    answer: float
    tolerance: float


def nll_slope(seed: int) -> NllSlope:
    draw = _rng(seed)
    a, y = shown(draw.uniform(0.1, 0.9)), int(draw.integers(2))
    return NllSlope(a=a, y=y, answer=-y / a + (1 - y) / (1 - a), tolerance=5e-4)


class TwoNeurons(NamedTuple):
    """∂L/∂w¹ along a chain of two sigmoid neurons with L_nll at the end.

    z¹ = w¹x + w¹₀, a¹ = σ(z¹); z² = w²a¹ + w²₀, a² = σ(z²). With σ and L_nll, ∂L/∂z² = a² − y, so
    ∂L/∂w¹ = (a² − y) · w² · a¹(1 − a¹) · x.
    """

    x: float
    y: int
    w1: float
    w10: float
    w2: float
    w20: float
    z1: float
    a1: float
    z2: float
    a2: float
    dL_dz2: float
    da1_dz1: float
    answer: float
    tolerance: float


def two_neurons(seed: int) -> TwoNeurons:
    draw = _rng(seed)
    x, w1, w10, w2, w20 = (shown(v) for v in draw.uniform(-2, 2, 5))
    y = int(draw.integers(2))
    z1 = w1 * x + w10
    a1 = _sigmoid(z1)
    z2 = w2 * a1 + w20
    a2 = _sigmoid(z2)
    dL_dz2, da1_dz1 = a2 - y, a1 * (1 - a1)
    return TwoNeurons(x=x, y=y, w1=w1, w10=w10, w2=w2, w20=w20, z1=z1, a1=a1, z2=z2, a2=a2, dL_dz2=dL_dz2,
                      da1_dz1=da1_dz1, answer=dL_dz2 * w2 * da1_dz1 * x, tolerance=5e-5)


class WeightShape(NamedTuple):
    """The shape of ∂L/∂W = A^{ℓ−1}(∂L/∂Z^ℓ)ᵀ for a layer z = Wᵀa + w0 with m inputs and n units."""

    m: int
    n: int
    options: tuple[str, ...]
    answer: int


def weight_shape(seed: int) -> WeightShape:
    draw = _rng(seed)
    m, n = (int(k) for k in draw.choice(np.arange(2, 10), size=2, replace=False))
    options, answer = shuffled(draw, f"({m}, {n})", [f"({n}, {m})", f"({n}, {n})", f"({m}, 1)"])
    return WeightShape(m=m, n=n, options=options, answer=answer)


class DescentStep(NamedTuple):
    """One gradient-descent step for the logistic neuron: ∂L_nll/∂w = (a − y)x, then w ← w − η ∂L/∂w.

    ``x``, ``w`` and ``grad`` have shape (2,); ``k`` is the index (from 1) of the weight asked for.
    """

    x: np.ndarray
    y: int
    w: np.ndarray
    w0: float
    lr: float
    k: int
    z: float
    a: float
    grad: np.ndarray
    loss: float
    loss_after: float
    w_k: float
    grad_k: float
    answer: float
    tolerance: float


def descent_step(seed: int) -> DescentStep:
    draw = _rng(seed)
    x, w = shown(draw.uniform(-2, 2, 2)), shown(draw.uniform(-1, 1, 2))
    w0, y = shown(draw.uniform(-0.5, 0.5)), int(draw.integers(2))
    lr, k = float(draw.choice([0.1, 0.5, 1.0])), int(draw.integers(1, 3))
    nll = lambda a: -(y * np.log(a) + (1 - y) * np.log(1 - a))  # noqa: E731
    z = float(w @ x + w0)
    a = _sigmoid(z)
    grad = (a - y) * x
    w_new = w - lr * grad
    loss_after = float(nll(_sigmoid(float(w_new @ x + w0))))
    return DescentStep(x=x, y=y, w=w, w0=w0, lr=lr, k=k, z=z, a=a, grad=grad, loss=float(nll(a)),
                       loss_after=loss_after, w_k=float(w[k - 1]), grad_k=float(grad[k - 1]),
                       answer=float(w_new[k - 1]), tolerance=5e-4)


class SignMistake(NamedTuple):
    """The notes' 7.7: ∂L/∂w = (y/σ − (1 − y)/(1 − σ)) σ(1 − σ) x, from the loss written without its minus sign.

    One input x, one weight w and w0; ``printed`` is 7.7's value, ``true`` the derivative of L_nll.
    """

    x: float
    w: float
    w0: float
    y: int
    a: float
    printed: float
    true: float
    options: tuple[str, ...]
    answer: int


def sign_mistake(seed: int) -> SignMistake:
    draw = _rng(seed)
    x, w, w0 = (shown(v) for v in draw.uniform(-1.5, 1.5, 3))
    y = int(draw.integers(2))
    a = _sigmoid(w * x + w0)
    while abs((a - y) * x) < 0.05:  # keep the sign visible: the two values must differ clearly
        x = shown(draw.uniform(0.5, 2) * draw.choice([-1, 1]))
        a = _sigmoid(w * x + w0)  # a new x changes the neuron's output too
    printed = (y / a - (1 - y) / (1 - a)) * a * (1 - a) * x
    options, answer = shuffled(
        draw,
        "the loss lost its minus sign: L_nll = −(y log a + (1 − y) log(1 − a)), so every factor after it flips",
        ["σ(1 − σ) should be σ(1 + σ)",
         "the last factor should be w, not x",
         "nothing: the two numbers differ only by rounding"],
    )
    return SignMistake(x=x, w=w, w0=w0, y=y, a=a, printed=printed, true=(a - y) * x, options=options, answer=answer)


class PlanarStep(NamedTuple):
    """The first-order rule Δf ≈ Σ_i ∂f/∂x_i Δx_i for f(x) = p x₁² + q x₁x₂ at a point, for a small step.

    ``x``, ``step`` and ``grad`` have shape (2,). ``answer`` is the predicted f(x + Δx); the exact value and the
    error of the prediction (exactly p Δx₁² + q Δx₁Δx₂ for this quadratic) are kept for the solution.
    """

    p: float
    q: float
    x: np.ndarray
    step: np.ndarray
    f_x: float
    grad: np.ndarray  # (2p x₁ + q x₂, q x₁)
    predicted_change: float
    answer: float  # f(x) + ∇f · Δx
    exact: float  # f(x + Δx)
    error: float  # exact − answer
    tolerance: float


def planar_step(seed: int) -> PlanarStep:
    draw = _rng(seed)
    p, q = float(draw.integers(1, 4)), float(draw.integers(-3, 4) or 2)
    x = shown(draw.uniform(-2, 2, 2), 1)
    step = shown(draw.uniform(-0.1, 0.1, 2))

    def f(v: np.ndarray) -> float:
        return float(p * v[0] ** 2 + q * v[0] * v[1])

    grad = np.array([2 * p * x[0] + q * x[1], q * x[0]])
    predicted_change = float(grad @ step)
    exact = f(x + step)
    answer = f(x) + predicted_change
    return PlanarStep(p=p, q=q, x=x, step=step, f_x=f(x), grad=grad, predicted_change=predicted_change,
                      answer=answer, exact=exact, error=exact - answer, tolerance=5e-4)
