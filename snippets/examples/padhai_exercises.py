"""Exercises for the PadhAI chapter, with fresh numbers from a seed.

Each function takes a seed and returns a NamedTuple holding the question's inputs, every number of the worked
solution, the ``answer`` and either its ``tolerance`` (a number to type) or the ``options`` to pick from
(``answer`` is then the index of the right one). Notation as in the notes: ``a`` is a pre-activation, ``h`` an
activation, ``y_hat`` the output; the squared loss is Σ_k (y_k − ŷ_k)² with no ½. Vectors are columns.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from snippets.activations import sigmoid, softmax
from snippets.examples.shared_exercises import rng, shown, shuffled


def _rng(seed: int) -> np.random.Generator:
    return rng(seed, "padhai")


class SigmoidSlope(NamedTuple):
    """∂h/∂a for a sigmoid unit h = σ(a), written from its output: h(1 − h)."""

    a: float
    h: float
    one_minus_h: float
    answer: float  # ∂h/∂a
    tolerance: float


def sigmoid_slope(seed: int) -> SigmoidSlope:
    a = shown(_rng(seed).uniform(-2.5, 2.5))
    h = float(sigmoid(np.array(a)))
    return SigmoidSlope(a=a, h=h, one_minus_h=1 - h, answer=h * (1 - h), tolerance=5e-4)


class TwoPaths(NamedTuple):
    """∂L/∂w for w → a1 → h1, where h1 feeds two sigmoid outputs: the sum over both paths.

    a1 = w x, h1 = σ(a1); a_k = v_k h1 + c_k, ŷ_k = σ(a_k) for k = 1, 2; L = Σ_k (y_k − ŷ_k)².
    Arrays ``v``, ``c``, ``y``, ``a``, ``y_hat`` and ``path`` have shape (2,).
    """

    x: float
    w: float
    v: np.ndarray
    c: np.ndarray
    y: np.ndarray
    a1: float
    h1: float
    a: np.ndarray
    y_hat: np.ndarray
    dL_dyhat: np.ndarray  # −2(y_k − ŷ_k)
    dyhat_da: np.ndarray  # ŷ_k(1 − ŷ_k)
    path: np.ndarray  # ∂L/∂ŷ_k · ∂ŷ_k/∂a_k · v_k, one term per path into h1
    dL_dh1: float
    dh1_da1: float
    answer: float  # ∂L/∂w = ∂L/∂h1 · h1(1 − h1) · x
    tolerance: float


TWO_PATHS_TOLERANCE = 5e-5


def _two_paths_draw(draw: np.random.Generator) -> TwoPaths:
    x, w = shown(draw.uniform(0.5, 1.5)), shown(draw.uniform(-1, 1))
    v, c = shown(draw.uniform(-1.5, 1.5, 2)), shown(draw.uniform(-0.5, 0.5, 2))
    y = np.array([1.0, 0.0]) if draw.random() < 0.5 else np.array([0.0, 1.0])
    a1 = float(w * x)
    h1 = float(sigmoid(np.array(a1)))
    a = v * h1 + c
    y_hat = sigmoid(a)
    dL_dyhat = -2 * (y - y_hat)
    dyhat_da = y_hat * (1 - y_hat)
    path = dL_dyhat * dyhat_da * v
    dL_dh1 = float(path.sum())
    dh1_da1 = h1 * (1 - h1)
    return TwoPaths(x=float(x), w=float(w), v=v, c=c, y=y, a1=a1, h1=h1, a=a, y_hat=y_hat, dL_dyhat=dL_dyhat,
                    dyhat_da=dyhat_da, path=path, dL_dh1=dL_dh1, dh1_da1=dh1_da1,
                    answer=dL_dh1 * dh1_da1 * float(x), tolerance=TWO_PATHS_TOLERANCE)


def one_path_answers(t: TwoPaths) -> np.ndarray:
    """The answer with one path only (the other forgotten), for each path: shape (2,)."""
    return t.path * t.dh1_da1 * t.x


def two_paths(seed: int) -> TwoPaths:
    draw = _rng(seed)
    t = _two_paths_draw(draw)
    margin = 10 * TWO_PATHS_TOLERANCE
    # Redraw until neither typing 0 nor forgetting a path (the mistake the exercise is about) is accepted.
    while abs(t.answer) < margin or np.any(np.abs(one_path_answers(t) - t.answer) < margin):
        t = _two_paths_draw(draw)
    return t


class WeightShape(NamedTuple):
    """The shape of ∇_{W_i} L = ∇_{a_i} L · h_{i−1}ᵀ in a network with layer sizes ``sizes`` (n_0 is the input)."""

    sizes: tuple[int, ...]
    layer: int  # i
    n_out: int  # n_i
    n_in: int  # n_{i−1}
    options: tuple[str, ...]
    answer: int


def weight_shape(seed: int) -> WeightShape:
    draw = _rng(seed)
    sizes = tuple(int(n) for n in draw.choice(np.arange(2, 10), size=4, replace=False))
    layer = int(draw.integers(1, 4))
    n_out, n_in = sizes[layer], sizes[layer - 1]
    options, answer = shuffled(draw, f"({n_out}, {n_in})",
                                [f"({n_in}, {n_out})", f"({n_out}, 1)", f"({n_in}, 1)"])
    return WeightShape(sizes=sizes, layer=layer, n_out=n_out, n_in=n_in, options=options, answer=answer)


class BiasStep(NamedTuple):
    """One gradient-descent step on an output bias, softmax with cross-entropy: ∇_{a_L} L = −(y − ŷ).

    ``a``, ``y``, ``y_hat``, ``grad`` and ``b`` have shape (3,); ``k`` is the 0-based index of the bias asked for.
    """

    a: np.ndarray
    label: int  # 0-based index of the true class
    y: np.ndarray
    y_hat: np.ndarray
    grad: np.ndarray  # −(y − ŷ) = ∇_{b_L} L
    b: np.ndarray
    lr: float
    k: int
    b_k: float
    grad_k: float
    answer: float  # b_k − η ∂L/∂b_k
    tolerance: float


def bias_step(seed: int) -> BiasStep:
    draw = _rng(seed)
    a, b = shown(draw.uniform(-2, 2, 3)), shown(draw.uniform(-0.5, 0.5, 3))
    label, k = (int(i) for i in draw.choice(3, size=2, replace=False))
    lr = float(draw.choice([0.1, 0.2, 0.5]))
    y = np.eye(3)[label]
    y_hat = softmax(a)
    grad = -(y - y_hat)
    return BiasStep(a=a, label=label, y=y, y_hat=y_hat, grad=grad, b=b, lr=lr, k=k,
                    b_k=float(b[k]), grad_k=float(grad[k]), answer=float(b[k] - lr * grad[k]), tolerance=5e-4)


class OnePathMistake(NamedTuple):
    """The notes' ∂L/∂w212 follows the path through ŷ1 alone; with a softmax output ŷ2 depends on a21 too.

    Two outputs ŷ = softmax(a), a_1 = w h + a_rest (w the weight asked about), squared loss Σ_k (y_k − ŷ_k)².
    """

    h: float  # the hidden activation w multiplies
    a: np.ndarray  # output pre-activations, shape (2,)
    y_hat: np.ndarray
    one_path: float  # −2(y1 − ŷ1) · ŷ1(1 − ŷ1) · h, the notes' chain
    through_y2: float  # −2(y2 − ŷ2) · (−ŷ1 ŷ2) · h, the path the notes drop
    true: float  # their sum, the real ∂L/∂w
    ratio: float  # true / one_path: exactly 2 with two classes
    options: tuple[str, ...]
    answer: int


def one_path_mistake(seed: int) -> OnePathMistake:
    draw = _rng(seed)
    h, a = shown(draw.uniform(0.3, 0.95)), shown(draw.uniform(-1.5, 1.5, 2))
    y_hat = softmax(a)
    y = np.array([1.0, 0.0])
    one_path = float(-2 * (y[0] - y_hat[0]) * y_hat[0] * (1 - y_hat[0]) * h)
    through_y2 = float(-2 * (y[1] - y_hat[1]) * (-y_hat[0] * y_hat[1]) * h)
    true = one_path + through_y2
    options, answer = shuffled(
        draw,
        "ŷ2 depends on a21 as well, so a second path through ŷ2 is missing",
        ["∂L/∂ŷ1 should be +2(y1 − ŷ1), without the minus sign",
         "∂ŷ1/∂a21 should be h12(1 − h12), the slope of the hidden unit h12",
         "∂a21/∂w212 should be w212, not h12"],
    )
    return OnePathMistake(h=h, a=a, y_hat=y_hat, one_path=one_path, through_y2=through_y2, true=true,
                          ratio=true / one_path, options=options, answer=answer)


class CentredCheck(NamedTuple):
    """A gradient check by hand: the centred difference of the loss against the chain rule's ∂L/∂w.

    One sigmoid output ŷ = σ(w h + b) with L = (y − ŷ)². The two nudged losses are given to 10 decimals, as a
    reader would read them; ``answer`` is the estimate from those printed values.
    """

    h: float
    w: float
    b: float
    y: float
    step: float  # the nudge ε
    loss_plus: float  # L(w + ε), rounded to 10 decimals
    loss_minus: float  # L(w − ε), rounded to 10 decimals
    y_hat: float
    analytic: float  # −2(y − ŷ) ŷ(1 − ŷ) h
    answer: float  # (L(w + ε) − L(w − ε)) / 2ε
    relative_error: float  # |analytic − answer| / max(|analytic|, |answer|)
    tolerance: float


def centred_check(seed: int) -> CentredCheck:
    draw = _rng(seed)
    h, w, b = shown(draw.uniform(0.2, 1.0)), shown(draw.uniform(-1.5, 1.5)), shown(draw.uniform(-0.5, 0.5))
    y, step = float(draw.integers(2)), 1e-3

    def loss(v: float) -> float:
        return float((y - sigmoid(np.array(v * h + b))) ** 2)

    loss_plus, loss_minus = round(loss(w + step), 10), round(loss(w - step), 10)
    y_hat = float(sigmoid(np.array(w * h + b)))
    analytic = -2 * (y - y_hat) * y_hat * (1 - y_hat) * h
    answer = (loss_plus - loss_minus) / (2 * step)
    relative_error = abs(analytic - answer) / max(abs(analytic), abs(answer))
    return CentredCheck(h=h, w=w, b=b, y=y, step=step, loss_plus=loss_plus, loss_minus=loss_minus, y_hat=y_hat,
                        analytic=analytic, answer=answer, relative_error=relative_error, tolerance=5e-5)
