"""PadhAI's math-heavy (vectorized) backpropagation, run on the light-math 4-4-2 network.

The notes (One Fourth Labs, "Backpropagation (Math-heavy/Vectorized)") replace the light-math chapter's
path-by-path products with three vector rules, for a softmax output trained with cross-entropy and
element-wise hidden activations g:

- output layer:            ∇_{a_L} L = −(y − ŷ)                 (shape (k, 1))
- hidden activations:      ∇_{h_i} L = W_{i+1}ᵀ ∇_{a_{i+1}} L      (shape (n_i, 1))
- hidden pre-activations:  ∇_{a_i} L = ∇_{h_i} L ⊙ g′(a_i)
- and, which the notes announce but do not derive: ∇_{W_i} L = ∇_{a_i} L h_{i−1}ᵀ, ∇_{b_i} L = ∇_{a_i} L
  with h_0 = x.

This module evaluates every step of that derivation on the network of ``snippets.examples.padhai`` (the same
W1, W2, x, y and zero biases) and checks it three ways: against centred differences, against the package's
``forward_backward``, and, for the squared error the light-math example uses, against the light-math chapter's
true gradients.

Notation, the notes' → the package's: a_i (pre-activation) is Z of layer i, h_i (activation) is A of layer i,
h_0 = x, the weight W_{i,m,j} from unit j of layer i − 1 into unit m of layer i is ``W_i[m - 1, j - 1]``;
∇_{a_i} L is dZ and ∇_{h_i} L is dA. One example, so every vector is a column of shape (n, 1).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from snippets.activations import derivative, sigmoid, softmax, softmax_jacobian
from snippets.examples import padhai
from snippets.gradcheck import numerical_gradient, relative_error
from snippets.network import forward_backward

HIDDEN = "sigmoid"  # the hidden activation g of the notes' networks
LOSSES = ("cross_entropy", "squared")  # the math-heavy notes use the first, the light-math example the second


# --- 1. The output layer: softmax with cross-entropy, step by step -------------------------------------------


class OutputGradient(NamedTuple):
    """∂(−log ŷ_l)/∂a_Li for i = 1..k, built the way the notes build it. Every vector has shape (k,).

    ``l`` is the notes' 1-based index of the true class; ``quotient_first`` and ``quotient_second`` are the two
    terms of the quotient rule for ∂ŷ_l/∂a_Li, their difference is row l of the softmax Jacobian.
    """

    a: np.ndarray  # a_L, the output pre-activations
    l: int
    y_hat: np.ndarray  # softmax(a_L)
    loss: float  # −log ŷ_l
    dL_dyhat_l: float  # −1/ŷ_l
    quotient_first: np.ndarray  # 1_{l=i} e^{a_l} / Σ e^{a_i'}
    quotient_second: np.ndarray  # e^{a_l} e^{a_i} / (Σ e^{a_i'})²
    dyhat_l_da: np.ndarray  # first − second = ŷ_l (1_{l=i} − ŷ_i)
    jacobian_row: np.ndarray  # row l of diag(ŷ) − ŷŷᵀ, from the package
    chain: np.ndarray  # (−1/ŷ_l) · ∂ŷ_l/∂a_Li
    indicator_form: np.ndarray  # −(1_{l=i} − ŷ_i), entry by entry
    e_l: np.ndarray  # one-hot vector of the true class
    vector_form: np.ndarray  # −(e(l) − ŷ)
    numeric: np.ndarray  # centred differences of a ↦ −log softmax(a)_l
    relative_error: float  # vector_form against numeric


def output_gradient(a, l: int) -> OutputGradient:
    """The notes' derivation of ∇_{a_L}(−log ŷ_l), for pre-activations a of shape (k,) and true class l (1-based)."""
    a = np.asarray(a, dtype=np.float64).reshape(-1)
    k = a.size
    if not 1 <= l <= k:
        raise ValueError(f"l: expected the 1-based index of the true class, 1 to {k}, got {l}")
    idx = l - 1
    y_hat = softmax(a)
    exp_a, total = np.exp(a), np.sum(np.exp(a))
    indicator = (np.arange(k) == idx).astype(np.float64)  # 1_{l=i} for i = 1..k
    first = indicator * exp_a[idx] / total
    second = exp_a[idx] * exp_a / total**2
    dyhat_l_da = first - second
    dL_dyhat_l = -1.0 / y_hat[idx]
    indicator_form = np.array([-((1.0 if i == idx else 0.0) - y_hat[i]) for i in range(k)])
    vector_form = -(indicator - y_hat)
    numeric = numerical_gradient(lambda v: -np.log(softmax(v)[idx]), a)
    return OutputGradient(
        a, l, y_hat, float(-np.log(y_hat[idx])), float(dL_dyhat_l), first, second, dyhat_l_da,
        softmax_jacobian(a)[idx], dL_dyhat_l * dyhat_l_da, indicator_form, indicator, vector_form, numeric,
        relative_error(vector_form, numeric),
    )


def notes_scenario(seed: int = 0) -> OutputGradient:
    """The notes' illustration k = 4, l = 2, with pre-activations drawn from a seeded Gaussian (the notes give none)."""
    a = np.random.default_rng(seed).standard_normal(4)
    return output_gradient(a, l=2)


# --- 2. Hidden layers: the sum over paths, then the matrix form ----------------------------------------------


def grad_h_by_sums(W_next: np.ndarray, grad_a_next: np.ndarray) -> np.ndarray:
    """∂L/∂h_ij = Σ_m ∂L/∂a_{i+1,m} · W_{i+1,m,j}, one j at a time (the notes' path sum).

    W_next: (n_{i+1}, n_i); grad_a_next: (n_{i+1}, 1). Returns (n_i, 1).
    """
    n_next, n = W_next.shape
    out = np.zeros((n, 1))
    for j in range(n):
        out[j, 0] = sum(grad_a_next[m, 0] * W_next[m, j] for m in range(n_next))
    return out


class Step(NamedTuple):
    """One line of the responsibility story: who speaks, the quantity it hands down, its value.

    For a layer's parameters ``value`` is ∇_W L and ``bias`` is ∇_b L; for every other speaker ``bias`` is None.
    """

    number: int
    speaker: str
    quantity: str  # the formula, in the notes' symbols (plain text)
    value: np.ndarray
    bias: np.ndarray | None = None


class Backward(NamedTuple):
    """A forward pass and the notes' vectorized backward pass for one example.

    Lists are indexed by layer, first layer first: a[i], h[i + 1], grad_a[i], grad_W[i], grad_b[i] belong to
    layer i + 1 in the notes' numbering; h[0] = x. grad_h[i] is ∇_{h_{i+1}} L for the hidden layers only.
    Shapes: a[i], grad_a[i], grad_b[i] (n_{i+1}, 1); grad_W[i] like W_{i+1}.
    """

    loss_name: str
    a: list[np.ndarray]
    h: list[np.ndarray]
    y_hat: np.ndarray  # (k, 1)
    loss: float
    grad_y_hat: np.ndarray  # ∇_ŷ L, (k, 1)
    grad_a: list[np.ndarray]
    grad_h: list[np.ndarray]
    grad_W: list[np.ndarray]
    grad_b: list[np.ndarray]
    steps: list[Step]


def vectorized_backward(params, x, y, *, loss: str) -> Backward:
    """The notes' rules on a network with sigmoid hidden layers and a softmax output.

    params: list of (W, b), W (n_out, n_in), b (n_out, 1); x: (n_0, 1); y: (k, 1) one-hot.
    loss: "cross_entropy" (−log ŷ_l: ∇_{a_L} L = ŷ − y, the notes' result) or "squared" (Σ_k (ŷ_k − y_k)²:
    ∇_{a_L} L = Jᵀ ∇_ŷ L with J the softmax Jacobian, since ŷ − y is specific to cross-entropy).
    """
    if loss not in LOSSES:
        raise ValueError(f"loss: expected one of {LOSSES}, got {loss!r}")
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    L = len(params)
    a, h = [], [x]
    for i, (W, b) in enumerate(params):
        a.append(W @ h[-1] + b)
        h.append(softmax(a[-1]) if i == L - 1 else sigmoid(a[-1]))
    y_hat = h.pop()  # h keeps x and the hidden layers; the output is ŷ
    if loss == "cross_entropy":
        value = float(-np.sum(y * np.log(y_hat)))
        grad_y_hat = 0.0 - y / y_hat  # 0.0 - …, not -…, so the zero entries print as 0, not -0
        grad_aL = -(y - y_hat)
    else:
        value = float(np.sum((y_hat - y) ** 2))
        grad_y_hat = 2.0 * (y_hat - y)
        grad_aL = softmax_jacobian(a[-1]).T @ grad_y_hat

    # The responsibility story: each speaker shows what it computes: the loss itself at step 1, then the
    # gradient of the loss with respect to the speaker.
    steps = [Step(1, "the loss", "L", np.array([[value]])),
             Step(2, "the output activation ŷ (softmax)", "∇_ŷ L", grad_y_hat),
             Step(3, f"the output pre-activation a{L}",
                  f"∇_a{L} L = ŷ − y" if loss == "cross_entropy" else f"∇_a{L} L = Jᵀ ∇_ŷ L", grad_aL)]
    grad_a, grad_h = [None] * L, [None] * (L - 1)
    grad_W, grad_b = [None] * L, [None] * L
    grad_a[L - 1] = grad_aL
    for i in range(L - 1, -1, -1):  # layer i + 1 of the notes, from the output down
        below = f"h{i}" if i else "x"
        grad_W[i] = grad_a[i] @ h[i].T  # an outer product: the shape of W_{i+1}
        grad_b[i] = grad_a[i]
        steps.append(Step(len(steps) + 1, f"the parameters W{i + 1}, b{i + 1}",
                          f"∇_W{i + 1} L = ∇_a{i + 1} L · {below}ᵀ,  ∇_b{i + 1} L = ∇_a{i + 1} L",
                          grad_W[i], grad_b[i]))
        if i == 0:
            break  # the input x is data, not a parameter: no one below it to blame
        grad_h[i - 1] = params[i][0].T @ grad_a[i]
        grad_a[i - 1] = grad_h[i - 1] * derivative(HIDDEN, a[i - 1])
        steps.append(Step(len(steps) + 1, f"the hidden activation h{i} (sigmoid)",
                          f"∇_h{i} L = W{i + 1}ᵀ ∇_a{i + 1} L", grad_h[i - 1]))
        steps.append(Step(len(steps) + 1, f"the hidden pre-activation a{i}",
                          f"∇_a{i} L = ∇_h{i} L ⊙ g′(a{i})", grad_a[i - 1]))
    for W_b, gW, gb in zip(params, grad_W, grad_b):
        assert gW.shape == W_b[0].shape and gb.shape == W_b[1].shape
    return Backward(loss, a, h, y_hat, value, grad_y_hat, grad_a, grad_h, grad_W, grad_b, steps)


# --- 3. The 4-4-2 network of the light-math chapter ----------------------------------------------------------


def params_442():
    """The light-math network's parameters: W1 (4, 4), W2 (2, 4) and zero biases, as its printed numbers imply."""
    return [(padhai.W1.copy(), np.zeros((4, 1))), (padhai.W2.copy(), np.zeros((2, 1)))]


def numeric_gradients(params, x, y, *, loss: str) -> list[tuple[np.ndarray, np.ndarray]]:
    """Centred differences of the loss with respect to every W and b (h = 1e-6)."""

    def loss_with(layer: int, position: int):
        def f(value):
            changed = [list(p) for p in params]
            changed[layer][position] = value
            return vectorized_backward([tuple(p) for p in changed], x, y, loss=loss).loss
        return f

    return [(numerical_gradient(loss_with(i, 0), W), numerical_gradient(loss_with(i, 1), b))
            for i, (W, b) in enumerate(params)]


class LossCheck(NamedTuple):
    """The vectorized backward pass for one loss, and how well it agrees with independent answers."""

    backward: Backward
    dL_dw131: float  # grad_W[0][2, 0]
    dL_dw212: float  # grad_W[1][0, 1]
    w13_row: np.ndarray  # ∂L/∂w131 .. ∂L/∂w134 = ∂L/∂a13 · x_k, shape (4,)
    gradcheck_error: float  # largest relative error against centred differences, over every W and b
    package_error: float  # largest relative error against snippets.network.forward_backward


def _max_error(grads, others) -> float:
    return max(relative_error(g, o) for pair, other in zip(grads, others) for g, o in zip(pair, other))


def loss_check(loss: str) -> LossCheck:
    params = params_442()
    bw = vectorized_backward(params, padhai.X, padhai.Y, loss=loss)
    ours = list(zip(bw.grad_W, bw.grad_b))
    numeric = numeric_gradients(params, padhai.X, padhai.Y, loss=loss)
    _, package = forward_backward(params, padhai.X, padhai.Y, activations=list(padhai.ACTIVATIONS), loss=loss)
    return LossCheck(bw, float(bw.grad_W[0][2, 0]), float(bw.grad_W[1][0, 1]),
                     bw.grad_a[0][2, 0] * padhai.X[:, 0], _max_error(ours, numeric), _max_error(ours, package))


class MathHeavy(NamedTuple):
    """Every number of the math-heavy chapter."""

    output: OutputGradient  # the derivation on the 4-4-2 network's a2, true class l = 1
    scenario: OutputGradient  # the notes' k = 4, l = 2 illustration (seeded a_L)
    hidden_sums: np.ndarray  # ∇_h1 L by the notes' explicit sums (cross-entropy), (4, 1)
    hidden_sums_error: float  # against W2ᵀ ∇_a2 L
    ce: LossCheck  # cross-entropy: the math-heavy notes' loss
    se: LossCheck  # squared error: the light-math worked example's loss
    light_math_error: float  # se gradients against the light-math chapter's true gradients (relative)
    light_math_da2_error: float  # se ∇_a2 L against the light-math chapter's full-Jacobian ∂L/∂a2
    notes_dL_dw131: float  # the light-math notes' printed two-path value, for comparison
    ce_over_se_w131: float  # ratio of the two losses' ∂L/∂w131


def math_heavy() -> MathHeavy:
    """The derivation, applied to the light-math network and compared with the light-math chapter."""
    params = params_442()
    ce, se = loss_check("cross_entropy"), loss_check("squared")
    light = padhai.light_math()
    true = light.true
    a2 = ce.backward.a[1].ravel()
    l = int(np.argmax(padhai.Y[:, 0])) + 1
    sums = grad_h_by_sums(params[1][0], ce.backward.grad_a[1])
    light_err = max(relative_error(se.backward.grad_W[0], true.dW1), relative_error(se.backward.grad_W[1], true.dW2))
    return MathHeavy(
        output=output_gradient(a2, l),
        scenario=notes_scenario(),
        hidden_sums=sums,
        hidden_sums_error=relative_error(sums, ce.backward.grad_h[0]),
        ce=ce,
        se=se,
        light_math_error=light_err,
        light_math_da2_error=relative_error(se.backward.grad_a[1], true.dL_da2),
        notes_dL_dw131=light.as_printed.w131.dL_dw131,
        ce_over_se_w131=ce.dL_dw131 / se.dL_dw131,
    )


# --- 4. Any number of hidden layers: the notes' three-layer story ---------------------------------------------


class Deeper(NamedTuple):
    """The same rules on a seeded 4-3-3-2 network (two sigmoid hidden layers, softmax output)."""

    params: list
    x: np.ndarray  # (4, 1)
    y: np.ndarray  # (2, 1)
    backward: Backward
    gradcheck_error: float
    package_error: float


def deeper(seed: int = 7) -> Deeper:
    """The notes' ten-step story (W3, b3 down to W1, b1) on a small random network, checked like the 4-4-2 one."""
    rng = np.random.default_rng(seed)
    sizes = [4, 3, 3, 2]
    params = [(rng.standard_normal((n_out, n_in)), rng.standard_normal((n_out, 1)))
              for n_in, n_out in zip(sizes[:-1], sizes[1:])]
    x = padhai.X.copy()
    y = padhai.Y.copy()
    bw = vectorized_backward(params, x, y, loss="cross_entropy")
    ours = list(zip(bw.grad_W, bw.grad_b))
    _, package = forward_backward(params, x, y, activations=["sigmoid", "sigmoid", "softmax"], loss="cross_entropy")
    numeric = numeric_gradients(params, x, y, loss="cross_entropy")
    return Deeper(params, x, y, bw, _max_error(ours, numeric), _max_error(ours, package))
