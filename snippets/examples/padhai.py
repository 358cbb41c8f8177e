"""PadhAI's light-math worked example: a 4-4-2 network, sigmoid hidden layer, softmax output, squared error.

The notes (One Fourth Labs, "Backpropagation (light math)") compute two derivatives by hand, ∂L/∂w212 and
∂L/∂w131, rounding every intermediate value to two decimals. This module computes the same quantities three
ways, so a chapter can show where the printed numbers come from and where they go wrong:

- ``as_printed``: the notes' own arithmetic, with their rounded intermediates and their chain of factors;
- ``exact``: the same formulas in float64;
- ``true``: the true gradients, from full backpropagation, checked against centred differences;
- ``stated_bias`` and ``output_bias``: the forward pass with the bias the notes state, b = [0.5 0.3], under
  its two possible readings (one bias per layer, or the output layer's bias vector), rather than the zero bias
  their numbers imply.

Notation. The notes write w_ijk for the weight of layer i from input k into neuron j, a_ij for a pre-activation
and h_ij for an activation. In the package's layout (examples as columns) w_ijk is ``W_i[j - 1, k - 1]``,
a_i is ``Z`` of layer i and h_i is ``A`` of layer i.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from snippets.activations import sigmoid, softmax
from snippets.gradcheck import numerical_gradient, relative_error
from snippets.network import forward_backward

# The network the notes give. x and y are single examples, written as columns (shape (4, 1) and (2, 1)).
W1 = np.array([[0.1, 0.3, 0.8, -0.4],
               [-0.3, -0.2, 0.5, 0.5],
               [-0.3, 0.0, 0.5, 0.4],
               [0.2, 0.5, -0.9, 0.7]])
W2 = np.array([[0.5, 0.8, 0.2, 0.4],
               [0.5, 0.2, 0.3, -0.5]])
X = np.array([[2.0], [5.0], [3.0], [3.0]])
Y = np.array([[1.0], [0.0]])
STATED_BIAS = (0.5, 0.3)  # "b = [0.5 0.3]", read as one bias per layer (b1 on every hidden unit, b2 on both outputs)
OUTPUT_BIAS = np.array([[0.5], [0.3]])  # the same numbers read as the output layer's bias vector (b1 = 0)
ETA = 1.0  # the learning rate of the notes' updates
ACTIVATIONS = ("sigmoid", "softmax")
LOSS = "squared"  # Σ_k (y_k − ŷ_k)², the loss of the notes' worked example


class Forward(NamedTuple):
    """The forward pass. Shapes: a1, h1 (4, 1); a2, y_hat (2, 1); loss a float."""

    a1: np.ndarray
    h1: np.ndarray
    a2: np.ndarray
    y_hat: np.ndarray
    loss: float


class W212(NamedTuple):
    """∂L/∂w212 along the one chain the notes follow: ∂L/∂ŷ1 · ∂ŷ1/∂a21 · ∂a21/∂w212."""

    dL_dyhat1: float
    dyhat1_da21: float
    da21_dw212: float  # = h12
    dL_dw212: float  # the product of the three factors
    w212_new: float  # w212 − η · dL_dw212


class W131(NamedTuple):
    """∂L/∂w131 along the notes' two paths, one through ŷ1 and a21, one through ŷ2 and a22."""

    dL_dyhat: tuple[float, float]  # ∂L/∂ŷ1, ∂L/∂ŷ2
    dyhat_da2: tuple[float, float]  # ∂ŷ1/∂a21, ∂ŷ2/∂a22
    da2_dh13: tuple[float, float]  # w213, w223
    dh13_da13: float  # h13 (1 − h13)
    da13_dw131: float  # x1
    paths: tuple[float, float]  # the product along each path
    dL_dw131: float  # the sum of the two paths
    w131_new: float


class Worked(NamedTuple):
    """One way of doing the notes' computation: forward pass and both hand derivations."""

    forward: Forward
    w212: W212
    w131: W131


class TrueGradients(NamedTuple):
    """The true derivatives of the squared loss, by full backpropagation and by centred differences."""

    dW1: np.ndarray  # (4, 4)
    dW2: np.ndarray  # (2, 4)
    dL_da2: np.ndarray  # (2, 1): every path through the softmax counted
    dL_dw212: float  # dW2[0, 1]
    dL_dw131: float  # dW1[2, 0]
    w212_new: float
    w131_new: float
    numeric_dL_dw212: float  # centred difference, h = 1e-6
    numeric_dL_dw131: float
    relative_error: float  # largest over every weight: backprop against centred differences
    ratio_w212: float  # true / notes' one-path value (exact arithmetic)
    ratio_w131: float


class LightMath(NamedTuple):
    as_printed: Worked
    exact: Worked
    true: TrueGradients
    stated_bias: Forward  # b read as one bias per layer: b1 = 0.5, b2 = 0.3
    output_bias: Forward  # b read as the output layer's bias vector [0.5 0.3]ᵀ, no hidden bias
    b2_effect: float  # per-layer reading: max |ŷ(b2 = 0.3) − ŷ(b2 = 0)|, zero up to rounding
    typo_loss: float  # (1 − ŷ1)² + (1 − ŷ2)², the expression the notes print (with y2 = 1 by mistake)
    implied_bias: tuple[float, float]  # the biases the printed a1 and a2 imply: a1 − W1 x and a2 − W2 h1


def _round(values: np.ndarray, decimals: int | None) -> np.ndarray:
    return values if decimals is None else np.round(values, decimals)


def forward(b1: float | np.ndarray = 0.0, b2: float | np.ndarray = 0.0, decimals: int | None = None) -> Forward:
    """The forward pass a1 = W1 x + b1, h1 = σ(a1), a2 = W2 h1 + b2, ŷ = softmax(a2), L = Σ (y − ŷ)².

    b1, b2: a number added to every unit of the layer, or a column of shape (4, 1) / (2, 1).
    With ``decimals`` set, a1 and h1 are rounded as the notes print them before they are used; a2 and ŷ are
    rounded after both are computed.
    """
    a1 = _round(W1 @ X + b1, decimals)
    h1 = _round(sigmoid(a1), decimals)
    a2 = W2 @ h1 + b2
    y_hat = softmax(a2)
    # a2 uses the rounded h1, ŷ the unrounded a2; both are then rounded to the decimals the notes print.
    a2, y_hat = _round(a2, decimals), _round(y_hat, decimals)
    loss = float(np.sum((Y - y_hat) ** 2))
    return Forward(a1, h1, a2, y_hat, loss)


def _hand_derivations(fw: Forward, *, round_w212_grad: int | None) -> tuple[W212, W131]:
    """The notes' chains of factors, evaluated on a given forward pass."""
    y, y_hat, h1 = Y.ravel(), fw.y_hat.ravel(), fw.h1.ravel()
    dL_dyhat = -2 * (y - y_hat)  # ∂/∂ŷ_k of Σ (y − ŷ)²
    dyhat_da2 = y_hat * (1 - y_hat)  # ∂ŷ_k/∂a_2k, the diagonal of the softmax Jacobian

    g212 = dL_dyhat[0] * dyhat_da2[0] * h1[1]
    # The notes update w212 with the gradient as printed, rounded to three decimals.
    step = g212 if round_w212_grad is None else round(g212, round_w212_grad)
    w212 = W212(dL_dyhat[0], dyhat_da2[0], h1[1], g212, W2[0, 1] - ETA * step)

    dh13_da13 = h1[2] * (1 - h1[2])
    x1 = X[0, 0]
    paths = tuple(dL_dyhat[k] * dyhat_da2[k] * W2[k, 2] * dh13_da13 * x1 for k in range(2))
    g131 = paths[0] + paths[1]
    w131 = W131(tuple(dL_dyhat), tuple(dyhat_da2), (W2[0, 2], W2[1, 2]), dh13_da13, x1, paths, g131,
                W1[2, 0] - ETA * g131)
    return w212, w131


def _worked(decimals: int | None) -> Worked:
    fw = forward(decimals=decimals)
    w212, w131 = _hand_derivations(fw, round_w212_grad=3 if decimals is not None else None)
    return Worked(fw, w212, w131)


def _loss_of(W1_: np.ndarray, W2_: np.ndarray) -> float:
    cost, _ = forward_backward([(W1_, np.zeros((4, 1))), (W2_, np.zeros((2, 1)))], X, Y,
                               activations=ACTIVATIONS, loss=LOSS)
    return cost


def true_gradients(exact: Worked) -> TrueGradients:
    """Full backpropagation through the network (the package), checked against centred differences."""
    params = [(W1.copy(), np.zeros((4, 1))), (W2.copy(), np.zeros((2, 1)))]
    _, grads = forward_backward(params, X, Y, activations=ACTIVATIONS, loss=LOSS)
    (dW1, _), (dW2, _) = grads
    num1 = numerical_gradient(lambda w: _loss_of(w, W2), W1)
    num2 = numerical_gradient(lambda w: _loss_of(W1, w), W2)
    err = max(relative_error(dW1, num1), relative_error(dW2, num2))
    # ∂L/∂a2 with the full softmax Jacobian: Jᵀ ∂L/∂ŷ, J = diag(ŷ) − ŷŷᵀ
    y_hat = exact.forward.y_hat
    jac = np.diagflat(y_hat) - y_hat @ y_hat.T
    dL_da2 = jac.T @ (-2 * (Y - y_hat))
    return TrueGradients(
        dW1, dW2, dL_da2, dW2[0, 1], dW1[2, 0],
        W2[0, 1] - ETA * dW2[0, 1], W1[2, 0] - ETA * dW1[2, 0],
        num2[0, 1], num1[2, 0], err,
        dW2[0, 1] / exact.w212.dL_dw212, dW1[2, 0] / exact.w131.dL_dw131,
    )


def _implied_bias(printed: Forward) -> tuple[float, float]:
    """The bias of each layer that the printed pre-activations imply, to the precision they are printed."""
    b1 = printed.a1 - W1 @ X
    b2 = printed.a2 - W2 @ sigmoid(W1 @ X)  # a2 is computed from the unrounded h1
    return float(np.round(b1, 1).max()), float(np.round(b2, 1).max())


def light_math() -> LightMath:
    """Every number of the worked example: as the notes print it, exactly, truly, and with the stated bias."""
    as_printed = _worked(decimals=2)
    exact = _worked(decimals=None)
    rounded = as_printed.forward.y_hat.ravel()
    return LightMath(
        as_printed=as_printed,
        exact=exact,
        true=true_gradients(exact),
        stated_bias=forward(*STATED_BIAS),
        output_bias=forward(0.0, OUTPUT_BIAS),
        b2_effect=float(np.max(np.abs(forward(*STATED_BIAS).y_hat - forward(STATED_BIAS[0], 0.0).y_hat))),
        typo_loss=float((1 - rounded[0]) ** 2 + (1 - rounded[1]) ** 2),
        implied_bias=_implied_bias(as_printed.forward),
    )


# --- The calculus warm-ups -------------------------------------------------------------------------------------

X0 = 0.5  # where the warm-up derivatives are evaluated (our choice; the notes give formulas only)


class WarmUp(NamedTuple):
    """One derivative: its value at X0 from the chain rule, from centred differences, and their relative error."""

    value: float  # the function at X0
    chain_rule: float
    numeric: float
    relative_error: float


class WarmUps(NamedTuple):
    x0: float
    exp_x2: WarmUp  # d/dx e^{x²} = 2x e^{x²}
    exp_exp_x2: WarmUp  # d/dx e^{e^{x²}} = 2x e^{x²} e^{e^{x²}}
    inv_exp_x2: WarmUp  # d/dx 1/e^{x²} = −2x e^{−x²}
    notes_exp_exp_x2: float  # the notes' 2x e^{x²} e^{x²}, evaluated at X0
    notes_over_true: float  # how far the notes' form is from the true derivative, as a ratio


def _warm_up(f, df) -> WarmUp:
    x = np.array([X0])
    numeric = float(numerical_gradient(lambda v: float(f(v[0])), x)[0])
    analytic = float(df(X0))
    return WarmUp(float(f(X0)), analytic, numeric, relative_error(np.array([analytic]), np.array([numeric])))


def warm_ups() -> WarmUps:
    """The three chain-rule warm-ups, each derivative checked by centred differences at x = X0."""
    exp_x2 = _warm_up(lambda x: np.exp(x**2), lambda x: 2 * x * np.exp(x**2))
    exp_exp = _warm_up(lambda x: np.exp(np.exp(x**2)), lambda x: 2 * x * np.exp(x**2) * np.exp(np.exp(x**2)))
    inv = _warm_up(lambda x: 1 / np.exp(x**2), lambda x: -2 * x * np.exp(-(x**2)))
    notes = float(2 * X0 * np.exp(X0**2) * np.exp(X0**2))
    return WarmUps(X0, exp_x2, exp_exp, inv, notes, notes / exp_exp.chain_rule)


# --- Every path from the loss to w131 --------------------------------------------------------------------------


class Path(NamedTuple):
    """One path L → ŷ_k → a_2j → h13 → a13 → w131 and the product of the derivatives along it."""

    k: int  # which output ŷ_k (1-based, as in the notes)
    j: int  # which output pre-activation a_2j
    factors: tuple[float, ...]  # ∂L/∂ŷ_k, ∂ŷ_k/∂a_2j, ∂a_2j/∂h13 = w_2j3, ∂h13/∂a13, ∂a13/∂w131 = x1
    product: float


class AllPaths(NamedTuple):
    paths: tuple[Path, ...]
    total: float  # the sum over all four paths: the true ∂L/∂w131
    notes_total: float  # the two paths the notes keep (k = j)
    cross_total: float  # the two they leave out (k ≠ j)


def paths_w131() -> AllPaths:
    """Enumerate the four paths from L to w131 in exact arithmetic; their sum is the true derivative.

    Softmax makes every output depend on every pre-activation, so ∂ŷ_k/∂a_2j is the (k, j) entry of the
    Jacobian diag(ŷ) − ŷŷᵀ: the notes keep only its diagonal (k = j).
    """
    fw = forward()
    y_hat, h1 = fw.y_hat.ravel(), fw.h1.ravel()
    jac = np.diag(y_hat) - np.outer(y_hat, y_hat)
    dL_dyhat = -2 * (Y.ravel() - y_hat)
    tail = h1[2] * (1 - h1[2]) * X[0, 0]
    paths = []
    for k in range(2):
        for j in range(2):
            factors = (dL_dyhat[k], jac[k, j], W2[j, 2], h1[2] * (1 - h1[2]), X[0, 0])
            paths.append(Path(k + 1, j + 1, factors, dL_dyhat[k] * jac[k, j] * W2[j, 2] * tail))
    kept = sum(p.product for p in paths if p.k == p.j)
    left_out = sum(p.product for p in paths if p.k != p.j)
    return AllPaths(tuple(paths), kept + left_out, kept, left_out)


def network_figure() -> str:
    """The 4-4-2 network as an SVG, with w212 (one path) and the paths of w131 drawn in colour."""
    from snippets.drawing import network_svg

    labels = (["x1", "x2", "x3", "x4"], ["h11", "h12", "h13", "h14"], ["ŷ1", "ŷ2"])
    return network_svg(
        (4, 4, 2),
        node_labels=labels,
        highlight=[[(2, 1, 2)], [(1, 3, 1), (2, 1, 3), (2, 2, 3)]],
        edge_labels={(2, 1, 2): "w212", (1, 3, 1): "w131", (2, 1, 3): "w213", (2, 2, 3): "w223"},
        title="The 4-4-2 network: inputs x1..x4, sigmoid hidden units h11..h14, softmax outputs ŷ1, ŷ2; "
              "w212 and the weights on the paths of w131 are highlighted",
    )


# --- A deeper network with one output: the notes' w121 and w222 examples ----------------------------------------
# The notes' figures for these two examples are lost. Their text says that ∂L/∂w121 has three paths, and suggests
# (the chain for w222 runs a22 → h22 → a31 → ŷ → L, with no sum over outputs) a single output unit. We use a
# network consistent with both, not the smallest one (1-2-3-1 would do): three inputs, two hidden layers of three
# sigmoid units and one sigmoid output. The sizes, the weights, the example and the squared-error loss are our
# choice (seeded).

DEEP_SIZES = (3, 3, 3, 1)
DEEP_ACTIVATIONS = ("sigmoid", "sigmoid", "sigmoid")


class Deeper(NamedTuple):
    """The 3-3-3-1 network and its true gradients. W1 (3, 3), W2 (3, 3), W3 (1, 3); x (3, 1), y (1, 1)."""

    W1: np.ndarray
    W2: np.ndarray
    W3: np.ndarray
    x: np.ndarray
    y: np.ndarray
    loss: float
    grads: list  # (dW, db) per layer from forward_backward, shaped like (W, b)
    dL_dw121: float  # grads[0][0][1, 0]
    dL_dw222: float  # grads[1][0][1, 1]
    numeric_dL_dw121: float  # centred differences, h = 1e-6
    numeric_dL_dw222: float


def deeper_network(seed: int = 0) -> Deeper:
    """Seeded weights and one example for the notes' w121 / w222 network, with its true gradients."""
    rng = np.random.default_rng(seed)
    W1, W2, W3 = (np.round(rng.uniform(-1, 1, (n_out, n_in)), 1)
                  for n_in, n_out in zip(DEEP_SIZES[:-1], DEEP_SIZES[1:]))
    x = np.array([[1.0], [2.0], [-1.0]])
    y = np.array([[1.0]])

    def loss_of(Ws):
        params = [(W, np.zeros((W.shape[0], 1))) for W in Ws]
        return forward_backward(params, x, y, activations=DEEP_ACTIVATIONS, loss=LOSS)

    loss, grads = loss_of((W1, W2, W3))
    num1 = numerical_gradient(lambda w: loss_of((w, W2, W3))[0], W1)
    num2 = numerical_gradient(lambda w: loss_of((W1, w, W3))[0], W2)
    return Deeper(W1, W2, W3, x, y, loss, grads, grads[0][0][1, 0], grads[1][0][1, 1], num1[1, 0], num2[1, 1])


def deeper_figure(weight: str) -> str:
    """The 3-3-3-1 network with the paths of ∂L/∂w121 (three colours) or ∂L/∂w222 (one path) drawn thick."""
    from snippets.drawing import network_svg

    labels = (["x1", "x2", "x3"], ["h11", "h12", "h13"], ["h21", "h22", "h23"], ["ŷ"])
    if weight == "w121":  # x1 → h12 → h2m → ŷ for m = 1, 2, 3: the first edge is shared by all three paths
        groups = [[(2, m, 2), (3, 1, m)] for m in (1, 2, 3)] + [[(1, 2, 1)]]
        title = ("The 3-3-3-1 network: w121 (x1 into h12) reaches the output along three paths, "
                 "through h21, h22 and h23, drawn in three colours")
    elif weight == "w222":
        groups = [[(2, 2, 2), (3, 1, 2)]]
        title = "The 3-3-3-1 network: w222 (h12 into h22) reaches the single output along one path, through h22"
    else:
        raise ValueError(f"weight: expected 'w121' or 'w222', got {weight!r}")
    return network_svg(DEEP_SIZES, node_labels=labels, highlight=groups,
                       edge_labels={(1, 2, 1): "w121"} if weight == "w121" else {(2, 2, 2): "w222"},
                       title=title)
