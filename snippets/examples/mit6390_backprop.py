"""Worked examples for MIT 6.390 "Explanatory Notes", section 7.5 (error back-propagation).

The notes write a layer as ``z = Wᵀa + w0`` with ``W`` of shape (m, n): m inputs, n outputs, and a
single example as a column. ``snippets`` writes ``Z = W A_prev + b`` with ``W`` of shape (n_out, n_in),
so a 6.390 weight matrix is the transpose of a ``snippets`` one: ``W_notes = W_snippets.T``, ``w0 = b``,
and the same holds for their gradients. In 1-D (one neuron per layer) the two agree: z = w a + w0.

The notes' derivative formulas are written out here on their own (``NOTES_ACTIVATION_DERIVATIVES``,
``NOTES_LOSS_DERIVATIVES``), so that they can be checked against finite differences and against the
package rather than borrowed from it. Losses are per example: the notes work with one example at a time,
and with m = 1 the package's cost (a mean) is the same number.

Every function is deterministic (seeded with ``np.random.default_rng``) and float64; ``chapter()`` bundles
all results for the chapter page and the errata page.
"""

import functools
import math
from typing import NamedTuple

import numpy as np

from snippets import graph
from snippets.activations import derivative as package_derivative
from snippets.gradcheck import numerical_gradient, numerical_jacobian, relative_error
from snippets.losses import cost_gradient
from snippets.network import forward_backward

SEED = 6390

# --- the notes' formulas, written out (7.35-7.52) -------------------------------------------


def notes_step(z):
    """step(z) = 1 if z ≥ 0 else 0, as in eq 7.36 (snippets' step gives 0 at z = 0)."""
    return (np.asarray(z, dtype=np.float64) >= 0).astype(np.float64)


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=np.float64)))


ACTIVATIONS = {
    "step": notes_step,
    "relu": lambda z: np.maximum(np.asarray(z, dtype=np.float64), 0.0),
    "sigmoid": _sigmoid,
    "identity": lambda z: np.asarray(z, dtype=np.float64) * 1.0,
    "tanh": lambda z: np.tanh(np.asarray(z, dtype=np.float64)),
}

NOTES_ACTIVATION_DERIVATIVES = {
    "step": lambda z: np.zeros_like(np.asarray(z, dtype=np.float64)),  # 7.35 (false at z = 0: no derivative)
    "relu": notes_step,  # 7.38 / 7.40: ReLU'(z) = step(z), so 1 at z = 0
    "sigmoid": lambda z: _sigmoid(z) * (1.0 - _sigmoid(z)),  # 7.41, first form
    "identity": lambda z: np.ones_like(np.asarray(z, dtype=np.float64)),  # 7.43
    "tanh": lambda z: 1.0 - np.tanh(np.asarray(z, dtype=np.float64)) ** 2,  # 7.44
}


def sigmoid_second_form(z):
    """The second form of 7.41: e^(-z) / (1 + e^(-z))²."""
    e = np.exp(-np.asarray(z, dtype=np.float64))
    return e / (1.0 + e) ** 2


LOSSES = {
    "squared": lambda a, y: (a - y) ** 2,
    "absolute": lambda a, y: np.abs(a - y),
    "nll": lambda a, y: -(y * np.log(a) + (1.0 - y) * np.log(1.0 - a)),
}

NOTES_LOSS_DERIVATIVES = {
    "squared": lambda a, y: 2.0 * (a - y),  # 7.45
    "absolute": lambda a, y: np.sign(a - y),  # 7.46 (away from a = y)
    "nll": lambda a, y: -(y / a - (1.0 - y) / (1.0 - a)),  # 7.49
}

# snippets' names for the same losses (the notes' NLL is binary cross-entropy)
PACKAGE_LOSS = {"squared": "squared", "absolute": "absolute", "nll": "binary_cross_entropy"}


def sin(v):
    """sin for snippets.graph Values (the graph engine has no sin): local derivative cos."""
    if not isinstance(v, graph.Value):
        v = graph.Value(v)
    return graph.Value(math.sin(v.data), op="sin", parents=(v,), local_grads=(math.cos(v.data),))


# --- 7.5.4: a forward pass through f, g, h ------------------------------------------------


class ForwardPass(NamedTuple):
    x: float  # the input, 10
    f: float  # f(x) = x + 2
    g: float  # g(f) = 3 f
    h: float  # h(g) = sin g (radians)
    df_dx: float  # 1
    dg_df: float  # 3
    dh_dg: float  # cos g
    dh_dx: float  # the chain rule: cos(g) · 3 · 1
    dh_dx_numeric: float  # centred difference of x -> sin(3 (x + 2))


def forward_pass(x: float = 10.0) -> ForwardPass:
    """The notes' example f(x) = x + 2, g(f) = 3f, h(g) = sin(g), run forward (and backward) at x."""
    f = x + 2.0
    g = 3.0 * f
    h = math.sin(g)
    dh_dx = math.cos(g) * 3.0 * 1.0
    numeric = numerical_gradient(lambda t: np.sin(3.0 * (t + 2.0)), np.array([x]))[0]
    return ForwardPass(x, f, g, h, 1.0, 3.0, math.cos(g), dh_dx, float(numeric))


def forward_pass_graph(x: float = 10.0) -> graph.Value:
    """The same chain as a snippets.graph graph, after backward(): for the figure."""
    xv = graph.Value(x, "x")
    f = (xv + 2).named("f")
    g = (3 * f).named("g")
    h = sin(g).named("h")
    h.backward()
    return h


# --- 7.5.1-7.5.5: the logistic classifier as a neuron ----------------------------------------


class LogisticNeuron(NamedTuple):
    x: np.ndarray  # shape (3,), one example
    y: float  # its label, 1
    w: np.ndarray  # shape (3,)
    w0: float
    z: float  # wᵀx + w0
    a: float  # σ(z)
    loss: float  # NLL(a, y) = -(y log a + (1 - y) log(1 - a))
    dL_da: float  # -(y/a - (1-y)/(1-a)), eq 7.49
    da_dz: float  # σ(1 - σ)
    dz_dw: np.ndarray  # x, shape (3,)
    grad_w: np.ndarray  # dL/da · da/dz · dz/dw = (a - y) x, shape (3,)
    grad_w0: float  # a - y
    grad_w_numeric: np.ndarray  # centred differences of the NLL, shape (3,)
    grad_w0_numeric: float
    rel_error: float  # relative_error(grad_w, grad_w_numeric)
    grad_w_package: np.ndarray  # snippets.forward_backward, sigmoid + binary_cross_entropy, shape (3,)
    printed_dL_dg: float  # the note's 7.7 first factor y/σ - (1-y)/(1-σ) (derivative of 7.3, no minus)
    printed_grad_w: np.ndarray  # the note's 7.7 product = (y - a) x, shape (3,)
    eta: float  # step size for the descent demonstration
    loss_after_descent: float  # NLL at w - η grad_w (lower)
    loss_after_ascent: float  # NLL at w + η grad_w = w - η printed_grad_w (higher)


def logistic_neuron(seed: int = SEED) -> LogisticNeuron:
    """One logistic neuron (LLC), NLL loss, its gradient by the chain rule 7.5-7.7, checked three ways."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(3)
    w = rng.standard_normal(3)
    w0, y = 0.5, 1.0
    z = float(w @ x + w0)
    a = float(_sigmoid(z))
    loss = float(LOSSES["nll"](a, y))
    dL_da = float(NOTES_LOSS_DERIVATIVES["nll"](a, y))
    da_dz = a * (1.0 - a)
    grad_w = dL_da * da_dz * x
    grad_w0 = dL_da * da_dz

    def nll(wv, w0v=w0):
        return LOSSES["nll"](_sigmoid(wv @ x + w0v), y)

    grad_w_numeric = numerical_gradient(nll, w)
    grad_w0_numeric = float(numerical_gradient(lambda t: nll(w, t[0]), np.array([w0]))[0])
    _, grads = forward_backward(
        [(w.reshape(1, 3), np.array([[w0]]))], x.reshape(3, 1), np.array([[y]]),
        activations=["sigmoid"], loss="binary_cross_entropy",
    )
    printed_dL_dg = y / a - (1.0 - y) / (1.0 - a)
    printed_grad_w = printed_dL_dg * da_dz * x
    eta = 0.5
    return LogisticNeuron(
        x, y, w, w0, z, a, loss, dL_da, da_dz, x.copy(), grad_w, grad_w0, grad_w_numeric, grad_w0_numeric,
        relative_error(grad_w, grad_w_numeric), grads[0][0].reshape(3), printed_dL_dg, printed_grad_w, eta,
        float(nll(w - eta * grad_w)), float(nll(w - eta * printed_grad_w)),
    )


class ZeroStart(NamedTuple):
    X: np.ndarray  # shape (2, 2): two examples as columns
    Y: np.ndarray  # shape (2,): their labels, 1 and 0
    a_before: np.ndarray  # shape (2,): σ(0) = 0.5 for both examples at w = 0, w0 = 0
    grad_w: np.ndarray  # shape (2,): mean NLL gradient at w = 0, not zero
    grad_w0: float
    eta: float
    w_after: np.ndarray  # shape (2,): after one gradient step
    a_after: np.ndarray  # shape (2,): outputs after the step, now different
    costs: np.ndarray  # shape (steps + 1,): mean NLL over 50 steps, falling


def zero_start(steps: int = 50) -> ZeroStart:
    """A single logistic neuron started at w = 0, w0 = 0 still learns (the gradient there is not 0)."""
    X = np.array([[1.0, -1.0], [2.0, 0.5]])
    Y = np.array([1.0, 0.0])
    eta = 0.5
    w, w0 = np.zeros(2), 0.0
    costs = []
    first = None
    for _ in range(steps + 1):
        A = _sigmoid(w @ X + w0)
        costs.append(float(np.mean(LOSSES["nll"](A, Y))))
        dZ = (A - Y) / X.shape[1]
        gw, gw0 = X @ dZ, float(np.sum(dZ))
        if first is None:
            first = (A, gw, gw0, w - eta * gw, w0 - eta * gw0)
        w, w0 = w - eta * gw, w0 - eta * gw0
    a_before, gw, gw0, w_after, w0_after = first
    return ZeroStart(X, Y, a_before, gw, gw0, eta, w_after, _sigmoid(w_after @ X + w0_after), np.array(costs))


# --- 7.5.7-7.5.11: the chain of one-neuron layers and the three-step recipe --------------------


class RecipeStep(NamedTuple):
    """One layer of the recipe (Concept 10): within layer, get weight gradient, link layers."""

    layer: int  # ℓ, 1-based
    dL_da: float  # ∂L/∂a^ℓ: the chain so far (loss unit and every later layer)
    da_dz: float  # within layer: (f^ℓ)'(z^ℓ), eq 7.31
    dL_dz: float  # ∂L/∂z^ℓ = dL_da · da_dz
    dz_dw: np.ndarray | float  # get weight gradient: a^(ℓ-1), eq 7.33 (a vector for layer 1 if x is)
    grad_w: np.ndarray | float  # ∂L/∂w^ℓ = dL_dz · dz_dw
    grad_w0: float  # ∂L/∂w0^ℓ = dL_dz (∂z/∂w0 = 1)
    dz_da_prev: float | None  # link layers: w^ℓ, eq 7.32 (None for layer 1: nothing to link to)
    dL_da_prev: float | None  # the chain handed to layer ℓ - 1


class Recipe(NamedTuple):
    zs: list  # z^1 ... z^L (floats)
    activations_out: list  # a^0 = x, a^1 ... a^L
    loss: float
    dL_daL: float  # the loss unit, eq 7.30
    steps: list  # RecipeStep for ℓ = L, L-1, ..., 1 (in the order they are computed)
    grad_w: list  # ∂L/∂w^ℓ for ℓ = 1 ... L (first layer first)
    grad_w0: list


def recipe_backprop(ws, w0s, x, y, activations, loss) -> Recipe:
    """Back-propagation through a chain of one-neuron layers, exactly as Concept 10 lays it out.

    ws: list of L weights; ws[0] has the shape of x (a vector, or a float if x is), the others are floats.
    w0s: L biases. activations: L names from NOTES_ACTIVATION_DERIVATIVES. loss: 'squared', 'absolute' or 'nll'.
    Forward: z^ℓ = w^ℓ · a^(ℓ-1) + w0^ℓ, a^ℓ = f^ℓ(z^ℓ). Backward: start the chain with ∂L/∂a^L, then for
    ℓ = L ... 1 multiply by the within-layer factor, read off the weight gradient, and (if ℓ > 1) multiply
    by the link w^ℓ to reach layer ℓ - 1.
    """
    a = [np.asarray(x, dtype=np.float64)]
    zs = []
    for w, w0, name in zip(ws, w0s, activations):
        z = float(np.dot(np.asarray(w, dtype=np.float64), a[-1]) + w0)
        zs.append(z)
        a.append(float(ACTIVATIONS[name](z)))
    L = len(ws)
    loss_value = float(LOSSES[loss](a[-1], y))
    chain = float(NOTES_LOSS_DERIVATIVES[loss](a[-1], y))
    dL_daL = chain
    steps, grad_w, grad_w0 = [], [None] * L, [None] * L
    for ell in range(L, 0, -1):
        i = ell - 1
        da_dz = float(NOTES_ACTIVATION_DERIVATIVES[activations[i]](zs[i]))
        dL_dz = chain * da_dz
        dz_dw = np.array(a[i], dtype=np.float64) if np.ndim(a[i]) else float(a[i])
        gw = dL_dz * dz_dw
        link = float(ws[i]) if ell > 1 else None
        new_chain = dL_dz * link if ell > 1 else None
        steps.append(RecipeStep(ell, chain, da_dz, dL_dz, dz_dw, gw, dL_dz, link, new_chain))
        grad_w[i], grad_w0[i] = gw, dL_dz
        chain = new_chain
    return Recipe(zs, a, loss_value, dL_daL, steps, grad_w, grad_w0)


def _package_chain(ws, w0s, x, y, activations, loss):
    """The same chain through snippets.forward_backward: W^1 (1, n_x), the rest (1, 1); one example."""
    x = np.asarray(x, dtype=np.float64).reshape(-1, 1)
    params = [(np.asarray(w, dtype=np.float64).reshape(1, -1), np.array([[w0]])) for w, w0 in zip(ws, w0s)]
    cost, grads = forward_backward(params, x, np.array([[y]]), activations=list(activations), loss=PACKAGE_LOSS[loss])
    return cost, [dW.reshape(np.shape(w)) if np.ndim(w) else float(dW[0, 0]) for (dW, _), w in zip(grads, ws)], [
        float(db[0, 0]) for _, db in grads
    ]


def _numeric_chain(ws, w0s, x, y, activations, loss):
    """Centred-difference ∂L/∂w^ℓ for every layer of the chain."""
    out = []
    for i in range(len(ws)):
        def f(v, i=i):
            changed = list(ws)
            changed[i] = v if np.ndim(ws[i]) else float(v[0])
            return recipe_backprop(changed, w0s, x, y, activations, loss).loss

        g = numerical_gradient(f, np.atleast_1d(np.asarray(ws[i], dtype=np.float64)))
        out.append(g if np.ndim(ws[i]) else float(g[0]))
    return out


class TwoNeuron(NamedTuple):
    x: np.ndarray  # shape (2,)
    y: float
    ws: list  # [w^1 shape (2,), w^2 float]
    w0s: list  # [w0^1, w0^2]
    recipe: Recipe  # z, a, loss and every factor of 7.11, 7.14, 7.16, 7.17
    grad_w1_717: np.ndarray  # eq 7.17 written out as one product, shape (2,)
    package_grad_w: list  # snippets.forward_backward (sigmoid, sigmoid, binary_cross_entropy)
    numeric_grad_w: list
    rel_error: float  # worst relative error of recipe vs numeric over both layers


def two_neuron(seed: int = SEED + 8) -> TwoNeuron:
    """Two sigmoid neurons in a chain, NLL loss: 7.5.7-7.5.9 with numbers."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(2)
    ws = [rng.standard_normal(2), float(rng.standard_normal())]
    w0s = [0.1, -0.2]
    y = 1.0
    acts = ["sigmoid", "sigmoid"]
    r = recipe_backprop(ws, w0s, x, y, acts, "nll")
    (z1, z2), (_, a1, a2) = r.zs, r.activations_out
    dL_da2 = float(NOTES_LOSS_DERIVATIVES["nll"](a2, y))
    g717 = dL_da2 * (a2 * (1 - a2) * ws[1]) * (a1 * (1 - a1) * x)
    _, pg, _ = _package_chain(ws, w0s, x, y, acts, "nll")
    ng = _numeric_chain(ws, w0s, x, y, acts, "nll")
    err = max(relative_error(np.atleast_1d(g), np.atleast_1d(n)) for g, n in zip(r.grad_w, ng))
    return TwoNeuron(x, y, ws, w0s, r, g717, pg, ng, err)


class Identity(NamedTuple):
    layer: int
    da_dz: float  # (f^ℓ)'(z^ℓ), eq 7.31
    da_dz_numeric: float
    dz_da_prev: float  # w^ℓ, eq 7.32
    dz_da_prev_numeric: float
    dz_dw: float  # a^(ℓ-1), eq 7.33
    dz_dw_numeric: float


class ManyLayers(NamedTuple):
    x: float
    y: float
    ws: list  # 4 floats
    w0s: list
    activations: list  # ['tanh', 'sigmoid', 'tanh', 'identity']
    recipe: Recipe
    package_grad_w: list  # snippets.forward_backward with (1, 1) matrices
    package_grad_w0: list
    numeric_grad_w: list
    rel_error: float  # recipe vs numeric, worst layer
    package_error: float  # recipe vs package, worst layer
    identities: list  # Identity per layer 2..L: eqs 7.31-7.33 checked by finite differences
    grad_w2_734_printed: float  # eq 7.34 as printed for ℓ = 2 (= L - 2): w^L in the layer L-1 factor
    grad_w2_734_fixed: float  # the same product with w^(L-1) there


def many_layers(seed: int = SEED + 2) -> ManyLayers:
    """A chain of L = 4 one-neuron layers, squared loss: Concept 10 step by step, equal to the package."""
    rng = np.random.default_rng(seed)
    ws = [float(v) for v in rng.uniform(0.6, 1.6, 4) * np.array([1.0, -1.0, 1.0, 1.0])]
    w0s = [float(v) for v in np.round(rng.uniform(-0.5, 0.5, 4), 1)]
    x, y = 0.8, 1.0
    acts = ["tanh", "sigmoid", "tanh", "identity"]
    r = recipe_backprop(ws, w0s, x, y, acts, "squared")
    _, pg, pg0 = _package_chain(ws, w0s, x, y, acts, "squared")
    ng = _numeric_chain(ws, w0s, x, y, acts, "squared")
    rel = max(relative_error(np.atleast_1d(a), np.atleast_1d(b)) for a, b in zip(r.grad_w, ng))
    pkg = max(relative_error(np.atleast_1d(a), np.atleast_1d(b)) for a, b in zip(r.grad_w, pg))
    identities = []
    a = r.activations_out
    for ell in range(2, 5):
        i = ell - 1
        f = ACTIVATIONS[acts[i]]
        z = r.zs[i]
        identities.append(Identity(
            ell,
            float(NOTES_ACTIVATION_DERIVATIVES[acts[i]](z)),
            float(numerical_gradient(lambda t, f=f: f(t[0]), np.array([z]))[0]),
            ws[i],
            float(numerical_gradient(lambda t, i=i: ws[i] * t[0] + w0s[i], np.array([a[i]]))[0]),
            float(a[i]),
            float(numerical_gradient(lambda t, i=i: t[0] * a[i] + w0s[i], np.array([ws[i]]))[0]),
        ))
    fp = [float(NOTES_ACTIVATION_DERIVATIVES[n](z)) for n, z in zip(acts, r.zs)]
    wL = ws[3]
    printed = r.dL_daL * (fp[3] * wL) * (fp[2] * wL) * (fp[1] * a[1])
    fixed = r.dL_daL * (fp[3] * wL) * (fp[2] * ws[2]) * (fp[1] * a[1])
    return ManyLayers(x, y, ws, w0s, acts, r, pg, pg0, ng, rel, pkg, identities, printed, fixed)


# --- 7.5.12-7.5.13: the catalogues ----------------------------------------------------------


class ActivationEntry(NamedTuple):
    name: str
    z: np.ndarray  # shape (12,): test points, none at a kink
    f: np.ndarray  # shape (12,)
    notes: np.ndarray  # the notes' derivative formula at z
    numeric: np.ndarray  # centred differences
    package: np.ndarray  # snippets.activations.derivative
    error: float  # relative_error(notes, numeric)


class StepAtZero(NamedTuple):
    hs: np.ndarray  # shape (4,): step sizes
    slopes: np.ndarray  # (step(h) - step(-h)) / 2h = 1/(2h): grows without bound


class StepNeuron(NamedTuple):
    w_grid: np.ndarray  # shape (41,): weights tried
    loss: np.ndarray  # squared loss of a = step(w x + w0) for each w: only the values 0 and 1
    grad: np.ndarray  # ∂L/∂w from snippets.forward_backward: 0 at every w
    x: float
    w0: float
    y: float
    w_jump: float  # the weight where w x + w0 = 0 and the loss jumps: -w0 / x


class ActivationCatalogue(NamedTuple):
    entries: dict  # name -> ActivationEntry
    sigmoid_forms_error: float  # max |σ(1-σ) - e^-z / (1+e^-z)²| on the test points
    step_at_zero: StepAtZero
    step_neuron: StepNeuron


def activation_catalogue() -> ActivationCatalogue:
    """Each derivative of 7.35-7.44 against finite differences and against snippets (away from kinks)."""
    z = np.linspace(-2.75, 2.75, 12)  # step 0.5: never exactly at the kink z = 0
    entries = {}
    for name in ("step", "relu", "sigmoid", "identity", "tanh"):
        f = ACTIVATIONS[name]
        notes = NOTES_ACTIVATION_DERIVATIVES[name](z)
        numeric = np.array([numerical_gradient(lambda t, f=f: f(t[0]), np.array([v]))[0] for v in z])
        entries[name] = ActivationEntry(name, z, f(z), notes, numeric, package_derivative(name, z),
                                        relative_error(notes, numeric))
    hs = np.array([1e-1, 1e-2, 1e-3, 1e-6])
    slopes = (notes_step(hs) - notes_step(-hs)) / (2 * hs)
    x, w0, y = 1.0, -0.5, 1.0
    w_grid = np.linspace(-1.0, 1.0, 41)
    loss = (notes_step(w_grid * x + w0) - y) ** 2
    grad = np.array([
        forward_backward([(np.array([[w]]), np.array([[w0]]))], np.array([[x]]), np.array([[y]]),
                         activations=["step"], loss="squared")[1][0][0][0, 0]
        for w in w_grid
    ])
    return ActivationCatalogue(entries, float(np.max(np.abs(entries["sigmoid"].notes - sigmoid_second_form(z)))),
                               StepAtZero(hs, slopes), StepNeuron(w_grid, loss, grad, x, w0, y, -w0 / x))


class LossEntry(NamedTuple):
    name: str
    y: float
    a: np.ndarray  # shape (k,): test points, none at a kink
    loss: np.ndarray
    notes: np.ndarray  # 7.45 / 7.46 / 7.49 at a
    numeric: np.ndarray
    package: np.ndarray  # snippets.losses.cost_gradient with one example
    error: float


def loss_catalogue() -> dict:
    """The loss derivatives 7.45-7.49 against finite differences and snippets; key 'name_y'."""
    out = {}
    cases = [("squared", 1.0, np.linspace(-1.0, 3.0, 9)), ("absolute", 1.0, np.linspace(-0.75, 2.75, 8)),
             ("nll", 1.0, np.linspace(0.1, 0.9, 9)), ("nll", 0.0, np.linspace(0.1, 0.9, 9))]
    for name, y, a in cases:
        lf = LOSSES[name]
        notes = NOTES_LOSS_DERIVATIVES[name](a, y)
        numeric = np.array([numerical_gradient(lambda t, lf=lf, y=y: lf(t[0], y), np.array([v]))[0] for v in a])
        package = np.array([cost_gradient(PACKAGE_LOSS[name], np.array([[v]]), np.array([[y]]))[0, 0] for v in a])
        out[f"{name}_y{int(y)}"] = LossEntry(name, y, a, lf(a, y), notes, numeric, package,
                                            relative_error(notes, numeric))
    return out


# --- 7.5.15-7.5.17: the chain rule in matrix form, in the notes' convention ------------------


class MatrixChain(NamedTuple):
    sizes: list  # [3, 4, 3, 2]: m^1 = 3 inputs ... n^3 = 2 outputs
    activations: list  # ['tanh', 'sigmoid', 'identity']
    x: np.ndarray  # shape (3, 1)
    y: np.ndarray  # shape (2, 1)
    W: list  # the notes' W^ℓ, shape (m^ℓ, n^ℓ)
    w0: list  # shape (n^ℓ, 1)
    Z: list  # Z^ℓ = W^ℓᵀ A^(ℓ-1) + w0^ℓ, shape (n^ℓ, 1)
    A: list  # A^0 = x, A^1 ... A^L
    loss: float  # Σ (A^L - y)²
    dL_dAL: np.ndarray  # (n^L, 1)
    dA_dZ: list  # diag f'(Z^ℓ), (n^ℓ, n^ℓ)
    dZ_dA: list  # = W^ℓ, (m^ℓ, n^ℓ): row ↔ input a_j, column ↔ output z_i
    dZ_dA_numeric: list  # numerical Jacobian, transposed into the notes' layout
    dL_dZ: list  # Notation 16 reversed product, (n^ℓ, 1)
    dL_dW: list  # A^(ℓ-1) (∂L/∂Z^ℓ)ᵀ, (m^ℓ, n^ℓ) like W^ℓ
    dL_dW_numeric: list
    package_dW: list  # snippets' dW, (n^ℓ, m^ℓ)
    package_db: list
    package_error: float  # max |dL_dW - package_dWᵀ| over layers
    numeric_error: float  # worst relative_error(dL_dW, numeric)
    printed_shapes: list  # shape of Notation 16 as printed, ∂L/∂Z (∂L/∂Z)ᵀ: (n^ℓ, n^ℓ)


def _notes_forward(W, w0, x, acts):
    Z, A = [], [x]
    for Wl, bl, name in zip(W, w0, acts):
        Z.append(Wl.T @ A[-1] + bl)
        A.append(ACTIVATIONS[name](Z[-1]))
    return Z, A


def matrix_chain(seed: int = SEED + 3) -> MatrixChain:
    """A 3-4-3-2 network written the notes' way; gradients by Notation 16-17, compared with snippets."""
    rng = np.random.default_rng(seed)
    sizes = [3, 4, 3, 2]
    acts = ["tanh", "sigmoid", "identity"]
    W = [rng.standard_normal((m, n)) for m, n in zip(sizes[:-1], sizes[1:])]
    w0 = [np.round(rng.uniform(-0.5, 0.5, (n, 1)), 1) for n in sizes[1:]]
    x = rng.standard_normal((3, 1))
    y = np.array([[1.0], [0.0]])
    Z, A = _notes_forward(W, w0, x, acts)
    L = len(W)
    loss = float(np.sum(LOSSES["squared"](A[-1], y)))
    dL_dAL = NOTES_LOSS_DERIVATIVES["squared"](A[-1], y)
    dA_dZ = [np.diag(NOTES_ACTIVATION_DERIVATIVES[n](z[:, 0])) for n, z in zip(acts, Z)]
    dZ_dA = [Wl.copy() for Wl in W]
    dZ_dA_numeric = [numerical_jacobian(lambda a, Wl=Wl, bl=bl: (Wl.T @ a.reshape(-1, 1) + bl)[:, 0],
                                        A[i][:, 0]).T for i, (Wl, bl) in enumerate(zip(W, w0))]
    # Notation 16: ∂L/∂Z^ℓ = (∂A^ℓ/∂Z^ℓ) (∂Z^(ℓ+1)/∂A^ℓ ∂A^(ℓ+1)/∂Z^(ℓ+1)) ... (∂Z^L/∂A^(L-1) ∂A^L/∂Z^L) (∂L/∂A^L)
    dL_dZ = [None] * L
    for ell in range(L, 0, -1):
        product = dA_dZ[ell - 1]
        for k in range(ell + 1, L + 1):
            product = product @ dZ_dA[k - 1] @ dA_dZ[k - 1]
        dL_dZ[ell - 1] = product @ dL_dAL
    dL_dW = [A[i] @ dL_dZ[i].T for i in range(L)]

    def loss_with(i, Wi):
        Ws = list(W)
        Ws[i] = Wi
        return float(np.sum(LOSSES["squared"](_notes_forward(Ws, w0, x, acts)[1][-1], y)))

    dL_dW_numeric = [numerical_gradient(lambda v, i=i: loss_with(i, v), W[i]) for i in range(L)]
    _, grads = forward_backward([(Wl.T, bl) for Wl, bl in zip(W, w0)], x, y, activations=acts, loss="squared")
    package_dW = [g[0] for g in grads]
    return MatrixChain(
        sizes, acts, x, y, W, w0, Z, A, loss, dL_dAL, dA_dZ, dZ_dA, dZ_dA_numeric, dL_dZ, dL_dW, dL_dW_numeric,
        package_dW, [g[1] for g in grads],
        max(float(np.max(np.abs(d - p.T))) for d, p in zip(dL_dW, package_dW)),
        max(relative_error(d, n) for d, n in zip(dL_dW, dL_dW_numeric)),
        [(dL_dZ[i] @ dL_dZ[i].T).shape for i in range(L)],
    )


class ZSquared(NamedTuple):
    z: np.ndarray  # (1, 2, 3), eq 7.54
    a: np.ndarray  # z², eq 7.55
    fprime: np.ndarray  # f'(z) = 2z, eq 7.56 (printed as "f(z) = 2z")
    jacobian: np.ndarray  # diag(2z), shape (3, 3)
    jacobian_numeric: np.ndarray  # central differences, shape (3, 3)
    upstream: np.ndarray  # q = ∂L/∂a, an upstream gradient (0.5, -1, 2) chosen for the demonstration
    matrix_product: np.ndarray  # J q
    elementwise_product: np.ndarray  # f'(z) * q


def z_squared() -> ZSquared:
    """The notes' example f(z) = z² at z = (1, 2, 3), and the element-wise shortcut for diag(f') q."""
    z = np.array([1.0, 2.0, 3.0])
    J = np.diag(2.0 * z)
    q = np.array([0.5, -1.0, 2.0])
    return ZSquared(z, z**2, 2.0 * z, J, numerical_jacobian(lambda t: t**2, z), q, J @ q, 2.0 * z * q)


# --- everything, for the pages ----------------------------------------------------------------


class Chapter(NamedTuple):
    forward: ForwardPass
    llc: LogisticNeuron
    zero: ZeroStart
    two: TwoNeuron
    many: ManyLayers
    act: ActivationCatalogue
    loss: dict
    matrix: MatrixChain
    zsq: ZSquared


@functools.cache
def chapter() -> Chapter:
    """All worked examples of section 7.5, computed once (the values object of the chapter page)."""
    return Chapter(forward_pass(), logistic_neuron(), zero_start(), two_neuron(), many_layers(),
                   activation_catalogue(), loss_catalogue(), matrix_chain(), z_squared())


# --- figures (SVG strings, deterministic) -------------------------------------------------------


def logistic_graph(llc: LogisticNeuron | None = None) -> graph.Value:
    """The logistic neuron x -> Σ -> z -> σ -> a -> NLL as a snippets.graph graph, after backward()."""
    llc = llc or logistic_neuron()
    xs = [graph.Value(float(v), f"x{i + 1}") for i, v in enumerate(llc.x)]
    ws = [graph.Value(float(v), f"w{i + 1}") for i, v in enumerate(llc.w)]
    z = (ws[0] * xs[0] + ws[1] * xs[1] + ws[2] * xs[2] + graph.Value(llc.w0, "w0")).named("z")
    a = graph.sigmoid(z).named("a")
    loss = _nll_node(a, llc.y)
    loss.backward()
    return loss


def _nll_node(a: graph.Value, y: float) -> graph.Value:
    """NLL for a label y of 0 or 1: only the term that survives is drawn (-log a, or -log(1 - a))."""
    if y not in (0.0, 1.0):
        raise ValueError(f"y: expected a label 0 or 1, got {y!r}")
    return (-graph.log(a) if y == 1.0 else -graph.log(1 - a)).named("L")


def chain_graph(ws, w0s, x, y, activations, loss) -> graph.Value:
    """A chain of one-neuron layers (as in recipe_backprop) as a graph, after backward()."""
    ops = {"sigmoid": graph.sigmoid, "tanh": graph.tanh, "relu": graph.relu, "identity": lambda v: v}
    a = [graph.Value(float(v), f"x{i + 1}") for i, v in enumerate(np.atleast_1d(x))]
    for ell, (w, w0, name) in enumerate(zip(ws, w0s, activations), start=1):
        wv = [graph.Value(float(v), f"w{ell}" if np.ndim(w) == 0 else f"w{ell}_{i + 1}")
              for i, v in enumerate(np.atleast_1d(w))]
        z = wv[0] * a[0]
        for wi, ai in zip(wv[1:], a[1:]):
            z = z + wi * ai
        z = (z + graph.Value(float(w0), f"w0_{ell}")).named(f"z{ell}")
        out = ops[name](z)
        a = [out if out is z else out.named(f"a{ell}")]  # identity: a^ℓ is z^ℓ itself
    aL = a[0]
    if loss == "squared":
        L = ((aL - y) ** 2).named("L")
    elif loss == "nll":
        L = _nll_node(aL, y)
    else:
        raise ValueError(f"loss: expected 'squared' or 'nll', got {loss!r}")
    L.backward()
    return L


def _pyplot():
    import matplotlib.pyplot as plt  # the figures extra; imported only when a figure is drawn

    return plt


def activation_figure(cat: ActivationCatalogue | None = None):
    """Each activation (top row) and its derivative (bottom row): the notes' formula as a line, centred
    differences as dots, and the package's value at the same points as crosses."""
    cat = cat or activation_catalogue()
    plt = _pyplot()
    names = ("step", "relu", "sigmoid", "identity", "tanh")
    fig, axes = plt.subplots(2, 5, figsize=(13, 4.6), sharex=True, label=(
        "Activations (top), derivatives (bottom): notes' formula, centred differences, snippets"))
    fine = np.linspace(-3, 3, 601)
    for col, name in enumerate(names):
        e = cat.entries[name]
        f, d = ACTIVATIONS[name], NOTES_ACTIVATION_DERIVATIVES[name]
        top, bottom = axes[0, col], axes[1, col]
        if name == "step":  # draw the jump as a jump, with the notes' step(0) = 1
            top.plot(fine[fine < 0], f(fine[fine < 0]), color="#1f5fa8")
            top.plot(fine[fine >= 0], f(fine[fine >= 0]), color="#1f5fa8")
            top.plot([0], [1], "o", color="#1f5fa8", ms=4)
            top.plot([0], [0], "o", mfc="white", color="#1f5fa8", ms=4)
            bottom.plot(fine, d(fine), color="#c0391b", label="notes' formula")
            bottom.plot([0], [0], "o", mfc="white", color="#c0391b", ms=5)
            bottom.annotate("no derivative at 0", (0, 0), (0.1, 0.45), fontsize=8, arrowprops={"arrowstyle": "->"})
        else:
            top.plot(fine, f(fine), color="#1f5fa8")
            bottom.plot(fine, d(fine), color="#c0391b", label="notes' formula")
        bottom.plot(e.z, e.numeric, "o", color="#333333", ms=3.5, label="centred difference")
        bottom.plot(e.z, e.package, "x", color="#e69f00", ms=5, label="snippets")
        top.set_title(name, fontsize=10)
        top.grid(alpha=0.3)
        bottom.grid(alpha=0.3)
        bottom.set_xlabel("z")
    axes[0, 0].set_ylabel("f(z)")
    axes[1, 0].set_ylabel("f'(z)")
    axes[1, 0].set_ylim(-0.2, 1.2)
    axes[1, 4].legend(fontsize=7, loc="lower center")
    fig.tight_layout()
    return fig


def step_figure(cat: ActivationCatalogue | None = None):
    """Loss of a step neuron as its weight moves, and the gradient snippets computes for it (all 0)."""
    cat = cat or activation_catalogue()
    n = cat.step_neuron
    plt = _pyplot()
    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 2.8), label=(
        "Step neuron: the loss is flat between jumps in w; back-propagation gives gradient 0"))
    left.step(n.w_grid, n.loss, where="post", color="#1f5fa8")
    left.set_xlabel("w")
    left.set_ylabel("loss (a - y)²")
    left.set_title("loss of a = step(w x + w0)", fontsize=10)
    right.plot(n.w_grid, n.grad, "o", ms=3, color="#c0391b")
    right.set_xlabel("w")
    right.set_ylabel("∂L/∂w")
    right.set_title("gradient from back-propagation", fontsize=10)
    right.set_ylim(-1, 1)
    for ax in (left, right):
        ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig


def loss_figure(lc: dict | None = None):
    """Each loss derivative: the notes' formula (line), centred differences (dots), snippets (crosses)."""
    lc = lc or loss_catalogue()
    plt = _pyplot()
    fig, axes = plt.subplots(1, 4, figsize=(13, 2.9), label=(
        "Loss derivatives: notes' formula (line), centred differences (dots), snippets (crosses)"))
    for ax, (key, e) in zip(axes, lc.items()):
        fine = np.linspace(e.a[0], e.a[-1], 400)
        ax.plot(fine, NOTES_LOSS_DERIVATIVES[e.name](fine, e.y), color="#c0391b", label="notes' formula")
        ax.plot(e.a, e.numeric, "o", color="#333333", ms=3.5, label="centred difference")
        ax.plot(e.a, e.package, "x", color="#e69f00", ms=5, label="snippets")
        ax.set_title(f"{e.name}, y = {e.y:g}", fontsize=10)
        ax.set_xlabel("a")
        ax.grid(alpha=0.3)
    axes[0].set_ylabel("dL/da")
    axes[0].legend(fontsize=7)
    fig.tight_layout()
    return fig


def draw_box_chain(ax, boxes, forward, backward, *, below=None) -> None:
    """The notes' box diagram on a matplotlib Axes: units as boxes from left to right, joined by straight
    forward arrows (the forward pass, labels above) and curved backward arrows (back-propagation, labels
    below).

    boxes: n box labels; forward: n − 1 labels, arrow i goes from box i to box i + 1; backward: n − 1 labels,
    arrow i goes from box i + 1 back to box i ("" draws no arrow); below: {box index: text under that box},
    e.g. the weight gradient read off at a linear unit.
    """
    if len(forward) != len(boxes) - 1 or len(backward) != len(boxes) - 1:
        raise ValueError(f"forward, backward: expected {len(boxes) - 1} labels each (one per gap), "
                         f"got {len(forward)} and {len(backward)}")
    gap = 2.4
    for i, label in enumerate(boxes):
        ax.text(i * gap, 0, label, ha="center", va="center", fontsize=10,
                bbox={"boxstyle": "round,pad=0.45", "facecolor": "white", "edgecolor": "#37474f"})
    for i in range(len(boxes) - 1):
        left, right = i * gap, (i + 1) * gap
        ax.annotate("", xy=(right - 0.75, 0.08), xytext=(left + 0.75, 0.08),
                    arrowprops={"arrowstyle": "->", "color": "#1f5fa8", "lw": 1.4})
        ax.text((left + right) / 2, 0.3, forward[i], ha="center", fontsize=9, color="#1f5fa8")
        if backward[i]:
            ax.annotate("", xy=(left + 0.45, -0.3), xytext=(right - 0.45, -0.3),
                        arrowprops={"arrowstyle": "->", "color": "#c0391b", "lw": 1.4,
                                    "connectionstyle": "arc3,rad=0.45"})
            ax.text((left + right) / 2, -0.85, backward[i], ha="center", fontsize=9, color="#c0391b")
    for i, text in (below or {}).items():
        ax.text(i * gap, -1.3, text, ha="center", fontsize=9, color="#2e7d32")
    ax.set_xlim(-0.9, (len(boxes) - 1) * gap + 0.9)
    ax.set_ylim(-1.5, 0.6)
    ax.axis("off")
