"""The CS224N backpropagation notes (Z. (Jack) Wang, 2021), executed.

The notes derive gradients with symbols only and point at figures that are missing. Each function below
builds a concrete, seeded instance of one of their settings and returns every intermediate value, so the
chapter can quote the numbers and the tests can check them:

- ``window_classifier``: s = uᵀ f(Wx + b) for a window of 5 words × 4 dimensions (x has m = 20 entries)
  and n = 3 hidden units, f = sigmoid. δ, ∂s/∂W, ∂s/∂b, the diagonal Jacobian ∂h/∂z (also computed
  numerically) and one gradient-descent step on a loss built from s.
- ``window_figure``, ``window_graph_figure``: the window classifier drawn with its shapes, and as a graph of
  matrix operations with the gradient each edge carries back; ∂s/∂x (the word vectors' gradient) is in
  ``window_classifier`` too.
- ``computation_graph``: f = (x + y)·max(y, z) at x = 1, y = 2, z = 0 in the scalar graph engine;
  ``max_tie``: the same f at a tie y = z, and what the engine does there.
- ``engine_vs_network``: the scalar engine and the vectorized ``snippets.network`` agree on a small net.
- ``operation_counts``: what backward costs next to forward, and what the cache holds.
- ``gradient_check``: one- and two-sided differences against h, slopes and the round-off floor.
- ``regularization_example``, ``l1_steps``, ``vectorization_example``, ``activation_table``, ``init_example``,
  ``output_bias``, ``learning_rates``: the "general tricks" of §4.
- ``appendix``: ∂L/∂z = ŷ − y for sigmoid + binary cross-entropy and for softmax + cross-entropy, step by step,
  including the route through the full softmax Jacobian, and the numbers behind the errata of §6.

Notation. The notes' layout is the package's: W has shape (n, m) = (n_out, n_in), x is a column (m, 1),
b and h are columns (n, 1). The notes' δ = uᵀ f′(z) is a row (1, n); the shape convention stores its
transpose δᵀ, a column like h.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from snippets import graph
from snippets.activations import sigmoid, softmax, softmax_jacobian
from snippets.gradcheck import numerical_gradient, numerical_jacobian, relative_error
from snippets.init import init_weight, target_variance
from snippets.losses import cost
from snippets.network import forward_backward
from snippets.regularization import l1_gradient, l1_penalty, l2_gradient, l2_penalty

WORDS = ("museums", "in", "Paris", "are", "amazing")  # the lecture's window, centre word "Paris"
N_WORDS, WORD_DIM, N_HIDDEN = 5, 4, 3


# --- §2: the window classifier --------------------------------------------------------------------------


class Window(NamedTuple):
    """s = uᵀ h, h = f(z), z = W x + b with f = sigmoid.

    Shapes: x (m, 1) with m = 20; W (n, m) with n = 3; b, z, h, u (n, 1); s a float.
    fprime (n, 1) is f′(z); J (n, n) = diag(f′(z)) is ∂h/∂z, J_numeric its finite-difference twin.
    delta (1, n) = uᵀ J is the notes' row; dW = δᵀ xᵀ (n, m), db = δᵀ (n, 1), du = h (n, 1),
    dx = Wᵀ δᵀ (m, 1).
    dW_numeric, db_numeric, du_numeric: central differences of s; rel_err_*: relative errors.
    """

    words: tuple[str, ...]
    word_vectors: np.ndarray  # (4, 5): column i is the vector of word i
    x: np.ndarray
    W: np.ndarray
    b: np.ndarray
    u: np.ndarray
    z: np.ndarray
    h: np.ndarray
    s: float
    fprime: np.ndarray
    J: np.ndarray
    J_numeric: np.ndarray
    J_offdiag_max: float  # largest |entry| off the diagonal of J_numeric
    delta: np.ndarray
    dW: np.ndarray
    db: np.ndarray
    du: np.ndarray
    dx: np.ndarray  # ∂s/∂x = W^T δ^T, (m, 1): the gradient the notes say is never taken
    dx_words: np.ndarray  # dx split per word, (4, 5) like word_vectors: column i is ∂s/∂(vector of word i)
    dW_numeric: np.ndarray
    db_numeric: np.ndarray
    du_numeric: np.ndarray
    dx_numeric: np.ndarray
    rel_err_W: float
    rel_err_b: float
    rel_err_u: float
    rel_err_x: float


def score(W, b, u, x) -> float:
    """s = uᵀ sigmoid(W x + b), a float."""
    return float((u.T @ sigmoid(W @ x + b)).item())


def window_classifier(seed: int = 0) -> Window:
    rng = np.random.default_rng(seed)
    word_vectors = np.round(rng.standard_normal((WORD_DIM, N_WORDS)), 1)  # one column per word
    x = word_vectors.T.reshape(-1, 1)  # concatenate the 5 word columns: (20, 1)
    m = x.shape[0]
    W = np.round(0.3 * rng.standard_normal((N_HIDDEN, m)), 2)
    b = np.round(0.1 * rng.standard_normal((N_HIDDEN, 1)), 2)
    u = np.round(rng.standard_normal((N_HIDDEN, 1)), 1)

    z = W @ x + b
    h = sigmoid(z)
    s = float((u.T @ h).item())
    fprime = h * (1 - h)
    J = np.diagflat(fprime)  # ∂h/∂z: (n, n), diagonal because h_i depends on z_i only
    J_numeric = numerical_jacobian(lambda zz: sigmoid(zz.reshape(-1, 1)).ravel(), z.ravel())
    delta = u.T @ J  # the notes' row vector (1, n)
    dW = delta.T @ x.T  # (n, 1) @ (1, m) = (n, m)
    db = delta.T  # (n, 1)
    du = h
    dx = W.T @ delta.T  # (m, n) @ (n, 1) = (m, 1)
    dx_words = dx.reshape(N_WORDS, WORD_DIM).T  # undo the stacking: one column per word

    dW_num = numerical_gradient(lambda WW: score(WW, b, u, x), W)
    db_num = numerical_gradient(lambda bb: score(W, bb, u, x), b)
    du_num = numerical_gradient(lambda uu: score(W, b, uu, x), u)
    dx_num = numerical_gradient(lambda xx: score(W, b, u, xx), x)
    off = J_numeric - np.diag(np.diag(J_numeric))
    return Window(WORDS, word_vectors, x, W, b, u, z, h, s, fprime, J, J_numeric, float(np.abs(off).max()),
                  delta, dW, db, du, dx, dx_words, dW_num, db_num, du_num, dx_num,
                  relative_error(dW, dW_num), relative_error(db, db_num), relative_error(du, du_num),
                  relative_error(dx, dx_num))


class DescentStep(NamedTuple):
    """One gradient-descent step on C = −log σ(s) (a loss for a window whose label is "yes, a location").

    dC_ds = σ(s) − 1; dC_dW = dC_ds · ∂s/∂W (n, m), likewise for b and u. The *_new fields are after
    W_new = W − α ∂C/∂W (and the same for b, u); C_new is the loss there. C_numeric_W checks dC_dW.
    """

    alpha: float
    s: float
    C: float
    dC_ds: float
    dC_dW: np.ndarray
    dC_db: np.ndarray
    dC_du: np.ndarray
    W_new: np.ndarray
    b_new: np.ndarray
    u_new: np.ndarray
    s_new: float
    C_new: float
    rel_err_W: float


def descent_step(seed: int = 0, alpha: float = 0.5) -> DescentStep:
    w = window_classifier(seed)

    def loss(W, b, u):
        return float(np.logaddexp(0.0, -score(W, b, u, w.x)))  # −log σ(s), stable

    dC_ds = float(sigmoid(np.array(w.s)) - 1.0)
    dC_dW, dC_db, dC_du = dC_ds * w.dW, dC_ds * w.db, dC_ds * w.du
    W_new, b_new, u_new = w.W - alpha * dC_dW, w.b - alpha * dC_db, w.u - alpha * dC_du
    num = numerical_gradient(lambda WW: loss(WW, w.b, w.u), w.W)
    return DescentStep(alpha, w.s, loss(w.W, w.b, w.u), dC_ds, dC_dW, dC_db, dC_du, W_new, b_new, u_new,
                       score(W_new, b_new, u_new, w.x), loss(W_new, b_new, u_new), relative_error(dC_dW, num))


def window_figure(w: Window | None = None):
    """The window classifier s = uᵀ f(Wx + b) drawn with its shapes (a matplotlib figure).

    Bottom: the 5 word vectors of 4 numbers each, stacked into x (20, 1); middle: the n = 3 hidden units
    h = f(z), z = Wx + b with W (3, 20) and b (3, 1); top: the score s = uᵀh with u (3, 1). Every input is
    joined to every hidden unit, as in W's 3 × 20 entries.
    """
    import matplotlib.pyplot as plt

    w = w if w is not None else window_classifier()
    n_words, dim, n = len(w.words), w.word_vectors.shape[0], w.W.shape[0]
    fig, ax = plt.subplots(figsize=(7.2, 4.4))
    xs = [i * (dim + 1.2) + k for i in range(n_words) for k in range(dim)]  # 5 groups of 4 dots
    centre = (xs[0] + xs[-1]) / 2
    hs = [centre + (k - (n - 1) / 2) * 4.0 for k in range(n)]
    y_x, y_h, y_s = 0.0, 3.0, 5.6
    for xi in xs:
        for hk in hs:
            ax.plot([xi, hk], [y_x, y_h], color="0.82", lw=0.5, zorder=1)
    for hk in hs:
        ax.plot([hk, centre], [y_h, y_s], color="#c0391b", lw=1.2, zorder=1)
    ax.scatter(xs, [y_x] * len(xs), s=60, color="#1f5fa8", zorder=2)
    ax.scatter(hs, [y_h] * n, s=220, color="#e69f00", edgecolor="0.2", zorder=2)
    ax.scatter([centre], [y_s], s=320, color="#c0391b", edgecolor="0.2", zorder=2)
    for i, word in enumerate(w.words):
        ax.text(xs[i * dim] + (dim - 1) / 2, y_x - 0.55, word, ha="center", va="top", fontsize=9)
    ax.text(xs[-1] + 1.0, y_x, f"x: {n_words} words × {dim} numbers\nstacked, shape {w.x.shape}",
            va="center", fontsize=9)
    ax.text(hs[-1] + 2.2, y_h, f"z = Wx + b, h = f(z): shape {w.h.shape}\nW {w.W.shape}, b {w.b.shape}",
            va="center", fontsize=9)
    ax.text(hs[-1] + 2.2, (y_h + y_s) / 2, f"u {w.u.shape}", va="center", fontsize=9, color="#c0391b")
    ax.text(centre + 1.2, y_s, "s = uᵀh: one number", va="center", fontsize=9)
    ax.set_xlim(xs[0] - 1, xs[-1] + 14)
    ax.set_ylim(y_x - 1.4, y_s + 0.8)
    ax.set_axis_off()
    ax.set_title("The window classifier: s = uᵀ f(Wx + b)", fontsize=10)
    return fig


def window_graph_figure(w: Window | None = None):
    """The window classifier as a computation graph of matrix operations (a matplotlib figure).

    Each box is a node with its shape; black arrows run forward (inputs to s), and the vermilion label under each
    arrow is the gradient that flows back along it, ∂s/∂(the arrow's source), with its shape. Leaves x, W, b, u
    on the left; s on the right. δ = uᵀ f′(z) is the (1, n) row of the window page, so the columns that flow back
    are written with δᵀ.
    """
    import matplotlib.pyplot as plt

    w = w if w is not None else window_classifier()
    boxes = {  # name: (x, y, text)
        "x": (0.0, 1.4, f"x {w.x.shape}"), "W": (0.0, 3.6, f"W {w.W.shape}"),
        "Wx": (3.0, 2.5, f"Wx {w.z.shape}"), "b": (3.0, 0.9, f"b {w.b.shape}"),
        "z": (6.2, 2.5, f"z = Wx + b {w.z.shape}"), "h": (9.8, 2.5, f"h = f(z) {w.h.shape}"),
        "u": (9.8, 3.9, f"u {w.u.shape}"), "s": (12.6, 3.2, "s = uᵀh (1, 1)"),
    }
    edges = [  # source, target, gradient that flows back to the source
        ("x", "Wx", f"Wᵀδᵀ {w.dx.shape}"), ("W", "Wx", f"δᵀxᵀ {w.dW.shape}"), ("Wx", "z", f"δᵀ {w.db.shape}"),
        ("b", "z", f"δᵀ {w.db.shape}"), ("z", "h", f"δᵀ = u ⊙ f′(z) {w.db.shape}"), ("h", "s", f"u {w.u.shape}"),
        ("u", "s", f"h {w.h.shape}"),
    ]
    fig, ax = plt.subplots(figsize=(10.0, 3.6))
    artists = {}
    for name, (x, y, text) in boxes.items():
        leaf = name in ("x", "W", "b", "u")
        box = {"boxstyle": "round,pad=0.35", "fc": "#e8f0fa" if leaf else "#fff4dc", "ec": "0.3"}
        artists[name] = ax.text(x, y, text, ha="center", va="center", fontsize=9, zorder=3, bbox=box)
    for src, dst, grad in edges:
        (x0, y0, _), (x1, y1, _) = boxes[src], boxes[dst]
        ax.annotate("", xy=(0, 0.5), xycoords=artists[dst], xytext=(1, 0.5), textcoords=artists[src],
                    arrowprops={"arrowstyle": "->", "color": "0.25", "lw": 1.2, "shrinkA": 2, "shrinkB": 2})
        ax.text((x0 + x1) / 2, (y0 + y1) / 2 + 0.32, grad, ha="center", va="center", fontsize=8, color="#c0391b",
                zorder=4, bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none"})
    ax.set_xlim(-1.0, 13.8)
    ax.set_ylim(0.5, 4.3)
    ax.set_axis_off()
    ax.set_title("Forward (arrows) and the gradient each arrow carries back (vermilion), with shapes", fontsize=10)
    return fig


# --- §3: computation graphs ------------------------------------------------------------------------------


def build_graph(x=1.0, y=2.0, z=0.0):
    """f = (x + y)·max(y, z) in the scalar engine, after backward(). Returns (f, nodes dict)."""
    xv, yv, zv = graph.Value(x, "x"), graph.Value(y, "y"), graph.Value(z, "z")
    a = (xv + yv).named("a")
    b = graph.maximum(yv, zv).named("b")
    f = (a * b).named("f")
    f.backward()
    return f, {"x": xv, "y": yv, "z": zv, "a": a, "b": b, "f": f}


def f_numpy(v) -> float:
    """The same f on a numpy vector v = (x, y, z), for finite differences."""
    x, y, z = v
    return float((x + y) * max(y, z))


class GraphExample(NamedTuple):
    """Forward values, gradients ∂f/∂·, local gradients, the two paths into y, and a finite-difference check."""

    x: float
    y: float
    z: float
    a: float  # x + y
    b: float  # max(y, z)
    f: float
    df_dx: float
    df_dy: float
    df_dz: float
    df_da: float  # upstream of the + node = b
    df_db: float  # = a
    db_dy: float  # 1(y > z)
    db_dz: float  # 1(z > y)
    path_y_via_a: float  # ∂f/∂a · ∂a/∂y
    path_y_via_b: float  # ∂f/∂b · ∂b/∂y
    numeric: np.ndarray  # central differences of f at (x, y, z): (3,)
    rel_err: float
    notes_product_rule_literal: float  # y·∂(x+y)/∂y + (x+y)·∂x/∂y, the formula as the notes print it


def computation_graph() -> GraphExample:
    f, n = build_graph()
    grads = np.array([n["x"].grad, n["y"].grad, n["z"].grad])
    point = np.array([1.0, 2.0, 0.0])
    numeric = numerical_gradient(f_numpy, point)
    x, y = point[0], point[1]
    return GraphExample(
        1.0, 2.0, 0.0, n["a"].data, n["b"].data, f.data, *grads, n["a"].grad, n["b"].grad,
        n["b"].local_grads[0], n["b"].local_grads[1],
        n["a"].grad * n["a"].local_grads[1], n["b"].grad * n["b"].local_grads[0],
        numeric, relative_error(grads, numeric),
        y * 1.0 + (x + y) * 0.0,  # ∂x/∂y = 0
    )


class MaxTie(NamedTuple):
    """f = (x + y)·max(y, z) at a tie, x = 1, y = z = 2, in the engine (graph.maximum(y, z), y listed first).

    engine_*: the gradients the engine gives; rule_*: what the rule 1(y > z), 1(z > y) would give (both
    indicators 0 at a tie). right_dy / left_dy: one-sided derivatives of f in y (h = 1e-6, they differ: f has a
    kink). both_up: the derivative of f when y and z rise together (the direction along which max stays tied);
    engine_both / rule_both: what each set of gradients predicts for that direction (df/dy + df/dz).
    swapped_*: the engine with graph.maximum(z, y): the gradient goes to z instead.
    """

    engine_db: tuple[float, float]  # (∂b/∂y, ∂b/∂z) the engine stores
    engine_df_dy: float
    engine_df_dz: float
    rule_db: tuple[float, float]
    rule_df_dy: float
    rule_df_dz: float
    right_dy: float
    left_dy: float
    both_up: float
    engine_both: float
    rule_both: float
    swapped_df_dy: float
    swapped_df_dz: float


def max_tie(x: float = 1.0, y: float = 2.0, h: float = 1e-6) -> MaxTie:
    f, n = build_graph(x, y, y)
    a = n["a"].data
    rule_db = (float(y > y), float(y > y))  # 1(y > z), 1(z > y) with z = y: both 0
    rule_dy = n["b"].data * 1.0 + a * rule_db[0]  # through a (∂a/∂y = 1) and through b
    rule_dz = a * rule_db[1]

    def f_at(yy, zz):
        return f_numpy(np.array([x, yy, zz]))

    right = (f_at(y + h, y) - f_at(y, y)) / h
    left = (f_at(y, y) - f_at(y - h, y)) / h
    both = (f_at(y + h, y + h) - f_at(y - h, y - h)) / (2 * h)
    xs, ys, zs = graph.Value(x, "x"), graph.Value(y, "y"), graph.Value(y, "z")
    g = ((xs + ys) * graph.maximum(zs, ys)).named("f")
    g.backward()
    return MaxTie(n["b"].local_grads, n["y"].grad, n["z"].grad, rule_db, rule_dy, rule_dz, right, left, both,
                  n["y"].grad + n["z"].grad, rule_dy + rule_dz, ys.grad, zs.grad)


class EngineCheck(NamedTuple):
    """A 3-4-2 tanh/sigmoid network with binary cross-entropy, on m = 2 examples, two ways.

    grads_engine / grads_network: lists of (dW, db) like params; max_abs_diff over all entries.
    """

    cost_engine: float
    cost_network: float
    grads_engine: list
    grads_network: list
    max_abs_diff: float
    n_nodes: int
    n_ops: int  # nodes made by an operation (the rest are leaves: inputs, parameters, constants)
    n_edges: int


def engine_vs_network(seed: int = 1) -> EngineCheck:
    rng = np.random.default_rng(seed)
    sizes = (3, 4, 2)
    params = [(0.5 * rng.standard_normal((o, i)), 0.1 * rng.standard_normal((o, 1))) for i, o in zip(sizes, sizes[1:])]
    X = rng.standard_normal((3, 2))
    Y = np.array([[1.0, 0.0], [0.0, 1.0]])
    acts = ("tanh", "sigmoid")
    c_net, g_net = forward_backward(params, X, Y, activations=acts, loss="binary_cross_entropy")

    P = [([[graph.Value(v) for v in row] for row in W], [graph.Value(v) for v in b[:, 0]]) for W, b in params]
    total = graph.Value(0.0)
    m = X.shape[1]
    for j in range(m):
        a = [graph.Value(v) for v in X[:, j]]
        for (W, b), act in zip(P, acts):
            zs = []
            for row, bias in zip(W, b):
                acc = bias
                for w, ai in zip(row, a):
                    acc = acc + w * ai
                zs.append(acc)
            a = [graph.tanh(z_) if act == "tanh" else graph.sigmoid(z_) for z_ in zs]
        for ak, yk in zip(a, Y[:, j]):
            total = total - (yk * graph.log(ak) + (1 - yk) * graph.log(1 - ak))
    total = total * (1.0 / m)
    total.backward()
    g_eng = [(np.array([[w.grad for w in row] for row in W]), np.array([[v.grad] for v in b])) for W, b in P]
    diff = max(float(np.abs(ge - gn).max()) for pe, pn in zip(g_eng, g_net) for ge, gn in zip(pe, pn))
    nodes, edges = graph.trace(total)
    return EngineCheck(total.data, c_net, g_eng, g_net, diff, len(nodes), sum(1 for v in nodes if v.parents), len(edges))


# --- §3.3: caching and cost ------------------------------------------------------------------------------


class Counts(NamedTuple):
    """Multiply-adds of a dense network's matrix products for a batch of m examples.

    forward: Σ n_out·n_in·m (Z = W A_prev). backward: dW = dZ A_prevᵀ and dA_prev = Wᵀ dZ, each the same
    size, so 2× forward (the first layer's dA_prev, i.e. ∂/∂x, is skipped). cache_floats: the A_prev and Z
    that forward keeps for backward. no_cache_forward: the forward work if backward recomputed every layer's
    input from x instead of caching it; ratio_no_cache = its size relative to one forward pass.
    """

    layer_sizes: tuple[int, ...]
    m: int
    forward: int
    backward: int
    ratio: float
    cache_floats: int
    param_floats: int
    no_cache_forward: int
    ratio_no_cache: float


def operation_counts(layer_sizes=(784, 256, 256, 256, 10), m: int = 64) -> Counts:
    pairs = list(zip(layer_sizes[:-1], layer_sizes[1:]))
    per_layer = [n_in * n_out * m for n_in, n_out in pairs]
    forward = sum(per_layer)
    backward = sum(per_layer) + sum(per_layer[1:])  # dW for every layer, dA_prev for all but the first
    cache = sum((n_in + n_out) * m for n_in, n_out in pairs)
    params = sum(n_in * n_out + n_out for n_in, n_out in pairs)
    no_cache = sum(sum(per_layer[:k]) for k in range(1, len(per_layer) + 1))
    return Counts(tuple(layer_sizes), m, forward, backward, backward / forward, cache, params, no_cache,
                  no_cache / forward)


# --- §3.4: gradient checking ----------------------------------------------------------------------------


class GradCheck(NamedTuple):
    """f = sigmoid at x0 = 0.5; errors of one- and two-sided differences against h = 10^0 ... 10^-13.

    slope_*: least-squares slope of log10(error) against log10(h) over the truncation range
    (h from 1e-4 to 1e-1 one-sided, 1e-3 to 1e-1 two-sided). h_best_*: the grid point with the smallest error;
    that single error is luck of rounding (its neighbours are 10 to 50 times larger), so floor_* is the typical
    floor instead: the median error over the nine grid points within a decade either side of h_best_*, whose
    ends are window_*. err_small_h_*: the error at h = 1e-12, where round-off dominates.
    """

    x0: float
    exact: float
    h: np.ndarray
    err_one: np.ndarray
    err_two: np.ndarray
    slope_one: float
    slope_two: float
    floor_one: float
    floor_two: float
    h_best_one: float
    h_best_two: float
    window_one: tuple[float, float]
    window_two: tuple[float, float]
    err_small_h_one: float
    err_small_h_two: float


def _sig(x):
    return 1.0 / (1.0 + np.exp(-x))


def gradient_check() -> GradCheck:
    x0 = 0.5
    exact = float(_sig(x0) * (1 - _sig(x0)))
    k = np.arange(0, 53)
    h = 10.0 ** (-k / 4.0)  # 10^0 down to 10^-13 in quarter decades
    one = np.abs((_sig(x0 + h) - _sig(x0)) / h - exact)
    two = np.abs((_sig(x0 + h) - _sig(x0 - h)) / (2 * h) - exact)

    def slope(err, lo, hi):
        sel = (h >= lo) & (h <= hi)
        return float(np.polyfit(np.log10(h[sel]), np.log10(err[sel]), 1)[0])

    i1, i2 = int(np.argmin(one)), int(np.argmin(two))
    near1, near2 = slice(i1 - 4, i1 + 5), slice(i2 - 4, i2 + 5)  # a decade either side: 4 quarter-decade steps
    j = int(np.argmin(np.abs(h - 1e-12)))
    return GradCheck(x0, exact, h, one, two, slope(one, 1e-4, 1e-1), slope(two, 1e-3, 1e-1),
                     float(np.median(one[near1])), float(np.median(two[near2])), float(h[i1]), float(h[i2]),
                     (float(h[near1][-1]), float(h[near1][0])), (float(h[near2][-1]), float(h[near2][0])),
                     float(one[j]), float(two[j]))


class NetworkCheck(NamedTuple):
    """Relative error of forward_backward's gradients against one- and two-sided differences (h = 1e-6),
    and the kink example: relu at x = 1e-7 with h = 1e-6 (the nudge crosses 0)."""

    rel_err_two: float
    rel_err_one: float
    kink_x: float
    kink_analytic: float
    kink_numeric: float


def network_check(seed: int = 2) -> NetworkCheck:
    rng = np.random.default_rng(seed)
    params = [(0.5 * rng.standard_normal((4, 3)), 0.1 * rng.standard_normal((4, 1))),
              (0.5 * rng.standard_normal((2, 4)), 0.1 * rng.standard_normal((2, 1)))]
    X = rng.standard_normal((3, 5))
    Y = np.eye(2)[:, rng.integers(0, 2, 5)]
    acts = ("tanh", "softmax")
    _, grads = forward_backward(params, X, Y, activations=acts, loss="cross_entropy")

    def cost_of(W1):
        return forward_backward([(W1, params[0][1]), params[1]], X, Y, activations=acts, loss="cross_entropy")[0]

    two = numerical_gradient(cost_of, params[0][0], method="central")
    one = numerical_gradient(cost_of, params[0][0], method="forward")
    kx = 1e-7
    knum = float(numerical_gradient(lambda v: np.maximum(v, 0.0).sum(), np.array([kx]), h=1e-6)[0])
    return NetworkCheck(relative_error(grads[0][0], two), relative_error(grads[0][0], one), kx, 1.0, knum)


# --- §4: general tricks ---------------------------------------------------------------------------------


class RegExample(NamedTuple):
    """Penalties and gradients on one seeded W (3, 4) with λ = 0.1; numeric twins by central differences."""

    lam: float
    W: np.ndarray
    l1: float
    l2: float
    dl1: np.ndarray
    dl2: np.ndarray
    rel_err_l1: float
    rel_err_l2: float


def regularization_example(seed: int = 3, lam: float = 0.1) -> RegExample:
    W = np.round(np.random.default_rng(seed).standard_normal((3, 4)), 2)
    d1, d2 = l1_gradient(W, lam), l2_gradient(W, lam)
    n1 = numerical_gradient(lambda t: l1_penalty(t, lam), W)
    n2 = numerical_gradient(lambda t: l2_penalty(t, lam), W)
    return RegExample(lam, W, l1_penalty(W, lam), l2_penalty(W, lam), d1, d2, relative_error(d1, n1),
                      relative_error(d2, n2))


class L1Steps(NamedTuple):
    """Minimise ½‖θ − A‖² + λ‖θ‖₁ from θ = A (A: the regularization example's W; λ = 0.5, step 0.1, 100 steps).

    subgradient: θ ← θ − lr((θ − A) + λ sign(θ)), the package's l1_gradient used as a gradient;
    proximal: θ ← soft(θ − lr(θ − A), lr λ), soft(v, t) = sign(v) max(|v| − t, 0).
    exact: the minimiser, soft(A, λ): entries with |A| ≤ λ are exactly 0.
    *_zeros: how many entries are exactly 0; subgradient_small_max: the largest |θ| among the entries the
    minimiser sets to 0 (they hover near 0 without reaching it).
    """

    lam: float
    lr: float
    steps: int
    exact: np.ndarray
    subgradient: np.ndarray
    proximal: np.ndarray
    exact_zeros: int
    subgradient_zeros: int
    proximal_zeros: int
    subgradient_small_max: float
    proximal_max_diff: float  # max |proximal − exact|


def soft_threshold(v, t):
    """The proximal step of t‖·‖₁: shrink every entry towards 0 by t, and stop at exactly 0."""
    return np.sign(v) * np.maximum(np.abs(v) - t, 0.0) + 0.0  # + 0.0 turns -0.0 into 0.0


def l1_steps(lam: float = 0.5, lr: float = 0.1, steps: int = 100) -> L1Steps:
    A = regularization_example().W
    sub, prox = A.copy(), A.copy()
    for _ in range(steps):
        sub = sub - lr * ((sub - A) + l1_gradient(sub, lam))
        prox = soft_threshold(prox - lr * (prox - A), lr * lam)
    exact = soft_threshold(A, lam)
    zero = exact == 0
    return L1Steps(lam, lr, steps, exact, sub, prox, int(zero.sum()), int((sub == 0).sum()), int((prox == 0).sum()),
                   float(np.abs(sub[zero]).max()), float(np.abs(prox - exact).max()))


def dense_forward_loop(W, b, X):
    """Z = W X + b one example (column) at a time and one unit at a time, with Python loops.

    W (n, d), b (n, 1), X (d, m) -> Z (n, m). The entries are read into Python lists first: the loops then do
    plain float arithmetic, as a hand-written loop would, instead of indexing numpy arrays one scalar at a time
    (ten times slower, and slower still than the point needs).
    """
    n, m = W.shape[0], X.shape[1]
    W_rows, biases, X_columns = W.tolist(), b[:, 0].tolist(), X.T.tolist()
    Z = [[0.0] * m for _ in range(n)]
    for j in range(m):
        x = X_columns[j]
        for i in range(n):
            w = W_rows[i]
            total = biases[i]
            for k in range(len(w)):
                total += w[k] * x[k]
            Z[i][j] = total
    return np.array(Z)


def dense_forward_matrix(W, b, X):
    """Z = W X + b for all m examples at once (b broadcast across the columns)."""
    return W @ X + b


class VecExample(NamedTuple):
    """Loop and matrix forms on W (50, 100), X (100, 200): the largest difference between them."""

    shape_W: tuple[int, int]
    shape_X: tuple[int, int]
    max_abs_diff: float


def vectorization_example(seed: int = 4) -> VecExample:
    rng = np.random.default_rng(seed)
    W, b, X = rng.standard_normal((50, 100)), rng.standard_normal((50, 1)), rng.standard_normal((100, 200))
    diff = float(np.abs(dense_forward_loop(W, b, X) - dense_forward_matrix(W, b, X)).max())
    return VecExample(W.shape, X.shape, diff)


def hard_tanh(z):
    """−1 for z < −1, z on [−1, 1], 1 for z > 1."""
    return np.clip(np.asarray(z, dtype=np.float64), -1.0, 1.0)


def hard_tanh_derivative(z):
    """1 for −1 < z < 1, else 0 (the kinks at ±1 take 0)."""
    z = np.asarray(z, dtype=np.float64)
    return ((z > -1.0) & (z < 1.0)).astype(np.float64)


class ActivationTable(NamedTuple):
    """Each activation and its derivative at z = 0 and z = 2 (dict name -> (g(0), g'(0), g(2), g'(2)))."""

    at: dict


def activation_table() -> ActivationTable:
    z = np.array([0.0, 2.0])
    s, t = _sig(z), np.tanh(z)
    table = {
        "sigmoid": (s[0], s[0] * (1 - s[0]), s[1], s[1] * (1 - s[1])),
        "tanh": (t[0], 1 - t[0] ** 2, t[1], 1 - t[1] ** 2),
        "hard_tanh": (*hard_tanh([0.0]), *hard_tanh_derivative([0.0]), *hard_tanh([2.0]), *hard_tanh_derivative([2.0])),
        "relu": (0.0, 0.0, 2.0, 1.0),  # relu'(0) taken as 0, the package's convention
    }
    return ActivationTable({k: tuple(float(v) for v in vals) for k, vals in table.items()})


class InitExample(NamedTuple):
    """Empirical variances of sampled weight matrices next to their targets.

    For (n_out, n_in) = (100, 300): Xavier target 2/400, He target 2/300; each from 20 matrices
    (600 000 entries), normal and uniform. depth_std: std of activations after each of 10 tanh layers of
    width 256 for Xavier vs N(0, 1) weights vs N(0, 0.01²) weights, on a seeded batch of 500 examples.
    """

    n_out: int
    n_in: int
    xavier_target: float
    xavier_normal: float
    xavier_uniform: float
    he_target: float
    he_normal: float
    he_uniform: float
    depth_std: dict
    xavier_numerator: float  # Var(W) · (n_in + n_out): the 2 of Var = 2 / (n_in + n_out)
    xavier_last_ratio: float  # spread after layer 10 / after layer 9 under Xavier: still shrinking


def init_example(seed: int = 5) -> InitExample:
    rng = np.random.default_rng(seed)
    n_out, n_in, k = 100, 300, 20

    def emp(scheme, dist):
        return float(np.var(np.stack([init_weight(scheme, n_out, n_in, rng, dist) for _ in range(k)])))

    xn, xu, hn, hu = emp("xavier", "normal"), emp("xavier", "uniform"), emp("he", "normal"), emp("he", "uniform")
    X = rng.standard_normal((256, 500))
    depth = {}
    for name in ("xavier", "large", "small"):
        A, stds = X, []
        for _ in range(10):
            if name == "xavier":
                W = init_weight("xavier", 256, 256, rng)
            else:
                W = (1.0 if name == "large" else 0.01) * rng.standard_normal((256, 256))
            A = np.tanh(W @ A)
            stds.append(float(A.std()))
        depth[name] = tuple(stds)
    return InitExample(n_out, n_in, target_variance("xavier", n_out, n_in), xn, xu,
                       target_variance("he", n_out, n_in), hn, hu, depth,
                       target_variance("xavier", n_out, n_in) * (n_in + n_out), depth["xavier"][9] / depth["xavier"][8])


class OutputBias(NamedTuple):
    """The §4.4 tip: with all weights 0, the best output bias for a target set Y (1, m = 200, seeded).

    Sigmoid output + binary cross-entropy: C(b) is smallest where σ(b) = mean(Y), b = logit(mean(Y)).
    Identity output + squared loss: b = mean(Y). grad_*: ∂C/∂b from forward_backward at each candidate.
    """

    mean: float
    logit_mean: float
    grad_sigmoid_at_logit: float
    grad_sigmoid_at_mean: float
    cost_sigmoid_at_logit: float
    cost_sigmoid_at_mean: float
    cost_sigmoid_at_zero: float
    grad_linear_at_mean: float


def output_bias(seed: int = 8, m: int = 200) -> OutputBias:
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((3, m))
    Y = (rng.random((1, m)) < 0.2).astype(float)
    p = float(Y.mean())
    logit = float(np.log(p / (1 - p)))

    def run(b, act, loss):
        return forward_backward([(np.zeros((1, 3)), np.array([[b]]))], X, Y, activations=[act], loss=loss)

    c_logit, g_logit = run(logit, "sigmoid", "binary_cross_entropy")
    c_mean, g_mean = run(p, "sigmoid", "binary_cross_entropy")
    c_zero, _ = run(0.0, "sigmoid", "binary_cross_entropy")
    _, g_lin = run(p, "identity", "squared")
    return OutputBias(p, logit, float(g_logit[0][1].item()), float(g_mean[0][1].item()), c_logit, c_mean, c_zero,
                      float(g_lin[0][1].item()))


class LearningRates(NamedTuple):
    """Full-batch gradient descent on linear regression (identity output, squared loss, 2 inputs, m = 50).

    alpha_crit = 2 / λ_max of the cost's Hessian: above it GD diverges. curves[α] = cost before each of
    ``steps`` steps (length steps + 1). optimum = the least-squares cost (the floor every curve can reach).
    """

    alphas: tuple[float, ...]
    steps: int
    alpha_crit: float
    optimum: float
    curves: dict
    final: dict
    finals: tuple[float, ...]  # final cost for each rate, in the order of ``alphas``
    eigenvalues: tuple[float, float, float]  # of the Hessian, smallest first
    factors: tuple  # [i][k] = |1 − alphas[i] λ_k|: how much one step keeps of the error along eigenvector k
    slower_until: int  # last step at which α = alphas[2] still has a higher cost than α = alphas[1]


def regression_data(seed: int = 6, m: int = 50) -> tuple[np.ndarray, np.ndarray]:
    """X (2, m): two inputs of spread 1 and 0.3; Y (1, m) = 2 x1 − x2 + 0.5 + noise of spread 0.1."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((2, m)) * np.array([[1.0], [0.3]])
    Y = np.array([[2.0, -1.0]]) @ X + 0.5 + 0.1 * rng.standard_normal((1, m))
    return X, Y


def learning_rates(seed: int = 6, steps: int = 40) -> LearningRates:
    X, Y = regression_data(seed)
    m = X.shape[1]
    Xa = np.vstack([X, np.ones((1, m))])
    H = 2.0 / m * Xa @ Xa.T  # Hessian of (1/m) Σ (w·x + b − y)²
    alpha_crit = float(2.0 / np.linalg.eigvalsh(H).max())
    theta, *_ = np.linalg.lstsq(Xa.T, Y.T, rcond=None)
    optimum = cost("squared", theta.T @ Xa, Y)
    alphas = (0.02, 0.2, round(0.95 * alpha_crit, 2), round(1.05 * alpha_crit, 2))
    curves = {}
    for alpha in alphas:
        params = [(np.zeros((1, 2)), np.zeros((1, 1)))]
        costs = []
        for _ in range(steps):
            c, grads = forward_backward(params, X, Y, activations=["identity"], loss="squared")
            costs.append(c)
            params = [(W - alpha * dW, b - alpha * db) for (W, b), (dW, db) in zip(params, grads)]
        costs.append(forward_backward(params, X, Y, activations=["identity"], loss="squared")[0])
        curves[alpha] = np.array(costs)
    final = {a: float(c[-1]) for a, c in curves.items()}
    eig = tuple(float(e) for e in np.linalg.eigvalsh(H))
    factors = tuple(tuple(abs(1 - a * e) for e in eig) for a in alphas)
    behind = np.flatnonzero(curves[alphas[2]] > curves[alphas[1]])
    return LearningRates(alphas, steps, alpha_crit, optimum, curves, final, tuple(final[a] for a in alphas),
                         eig, factors, int(behind.max()))


# --- §6: appendix ---------------------------------------------------------------------------------------


class SoftmaxRoute(NamedTuple):
    """Softmax + cross-entropy, c = 4 classes, m = 3 examples (columns), cost = mean over examples.

    Z, Y_hat, Y: (c, m). dL_dYhat = −Y / (m Ŷ) (c, m). jacobians: the (c, c) matrix diag(ŷ) − ŷŷᵀ for each
    example. dZ_jacobian: column i = J_iᵀ dL_dŷ_i (the full-Jacobian route). dZ_shortcut = (Ŷ − Y) / m.
    dZ_numeric: central differences of the cost. row_sums: each Jacobian's row sums (all 0).
    notes_product: example 0's c×c product diag(−y/ŷ)·J that the notes claim is zero except at (j, j).
    notes_sum: the notes' (6-6) answer (1/m) Σ_i (ŷ_{j_i i} − 1), each example at its own true class j_i: one
    number mixing classes. bias_grad: (c,) the gradient of a bias shared by all examples, (1/m) Σ_i (ŷ_ki − y_ki)
    for each fixed class k.
    """

    Z: np.ndarray
    Y: np.ndarray
    Y_hat: np.ndarray
    cost: float
    dL_dYhat: np.ndarray
    jacobians: np.ndarray
    dZ_jacobian: np.ndarray
    dZ_shortcut: np.ndarray
    dZ_numeric: np.ndarray
    rel_err: float
    row_sums_max: float
    notes_product: np.ndarray
    j0: int
    notes_sum: float
    bias_grad: np.ndarray


class SigmoidRoute(NamedTuple):
    """Sigmoid + binary cross-entropy on m = 4 examples (1, m) with labels 1, 0, 1, 0.

    dL_dyhat = −(y/ŷ − (1 − y)/(1 − ŷ)) / m; dyhat_dz = ŷ(1 − ŷ); dZ = their product = (ŷ − y) / m.
    ce_only_grad: the gradient if the loss were the notes' (6-1) −Σ y log ŷ on sigmoid outputs (c = 4 outputs of
    one example): −y ⊙ (1 − ŷ), next to ŷ − y.
    """

    z: np.ndarray
    y: np.ndarray
    y_hat: np.ndarray
    cost: float
    dL_dyhat: np.ndarray
    dyhat_dz: np.ndarray
    dZ_chain: np.ndarray
    dZ_shortcut: np.ndarray
    dZ_numeric: np.ndarray
    rel_err: float
    ce_only_z: np.ndarray
    ce_only_grad: np.ndarray
    ce_only_yhat_minus_y: np.ndarray


class NotesSigmoidLine(NamedTuple):
    """At z = 0.5 (one example, y = 1): the true −(1/ŷ)·dŷ/dz = ŷ − 1 versus the notes' printed next line
    −e^{−z}/(1+e^{−z})^{−1} and the right side of their 'trick', −(1 − 1/(1+e^{−z})^{−1}).

    dropped_factor: (1+e^{−z})^{−2}, the factor the notes' middle step leaves out; their line is the true
    value divided by it.
    denominator_power: the p for which the true value equals −e^{−z}/(1+e^{−z})^p, solved from it (1; the
    notes print −1)."""

    z: float
    y_hat: float
    true: float
    notes_line: float
    notes_trick_rhs: float
    dropped_factor: float
    denominator_power: float


class Appendix(NamedTuple):
    softmax: SoftmaxRoute
    sigmoid: SigmoidRoute
    notes_sigmoid: NotesSigmoidLine
    formula_6_4_literal: float  # Σ_k e^{z_k} / Σ_k e^{z_k} as (6-4) writes it: always 1


def appendix(seed: int = 7) -> Appendix:
    rng = np.random.default_rng(seed)
    c, m = 4, 3
    Z = np.round(rng.standard_normal((c, m)), 1)
    labels = np.array([2, 0, 3])
    Y = np.eye(c)[:, labels]
    Yh = softmax(Z)
    ce = cost("cross_entropy", Yh, Y)
    dL_dYhat = -Y / (m * Yh)
    Js = np.stack([softmax_jacobian(Z[:, i]) for i in range(m)])
    dZ_jac = np.column_stack([Js[i].T @ dL_dYhat[:, i] for i in range(m)])
    dZ_short = (Yh - Y) / m
    num = numerical_gradient(lambda ZZ: cost("cross_entropy", softmax(ZZ), Y), Z)
    j0 = int(labels[0])
    prod = np.diag(-Y[:, 0] / Yh[:, 0]) @ Js[0]
    notes_sum = float(np.mean(Yh[labels, np.arange(m)] - 1.0))
    sm = SoftmaxRoute(Z, Y, Yh, ce, dL_dYhat, Js, dZ_jac, dZ_short, num, relative_error(dZ_jac, num),
                      float(np.abs(Js.sum(axis=2)).max()), prod, j0, notes_sum, dZ_short.sum(axis=1))

    z = np.array([[0.5, -1.0, 2.0, 0.3]])
    y = np.array([[1.0, 0.0, 1.0, 0.0]])
    yh = sigmoid(z)
    mm = z.shape[1]
    bce = cost("binary_cross_entropy", yh, y)
    dL_dyh = -(y / yh - (1 - y) / (1 - yh)) / mm
    dyh_dz = yh * (1 - yh)
    num_s = numerical_gradient(lambda zz: cost("binary_cross_entropy", sigmoid(zz), y), z)
    ce_z = np.array([0.5, -1.0, 2.0, 0.3])
    ce_y = np.array([0.0, 0.0, 1.0, 0.0])
    ce_yh = _sig(ce_z)
    sg = SigmoidRoute(z, y, yh, bce, dL_dyh, dyh_dz, dL_dyh * dyh_dz, (yh - y) / mm, num_s,
                      relative_error(dL_dyh * dyh_dz, num_s), ce_z,
                      0.0 - ce_y * (1 - ce_yh), ce_yh - ce_y)  # 0.0 - …: no negative zeros

    zz = 0.5
    e = float(np.exp(-zz))
    yhat = 1.0 / (1.0 + e)
    true = -(1.0 / yhat) * (1.0 + e) ** -2 * e
    power = float(np.log(e / -true) / np.log(1.0 + e))  # −e/(1+e)^p = true
    dropped = (1.0 + e) ** -2  # the middle step of the notes' line omits this factor
    notes = NotesSigmoidLine(zz, yhat, true, -e / (1.0 + e) ** -1, -(1.0 - 1.0 / (1.0 + e) ** -1), dropped, power)
    z1 = Z[:, 0]
    literal_6_4 = float(np.sum(np.exp(z1) / np.sum(np.exp(z1))))
    return Appendix(sm, sg, notes, literal_6_4)


# --- everything a page binds ---------------------------------------------------------------------------


def chapter() -> dict:
    """All the roots the chapter's pages bind to, computed once."""
    w = window_classifier()
    sizes = (w.x.shape[0], w.h.shape[0], np.size(w.s))  # input x, hidden h, output s
    return {
        "window": w,
        # §2.1's counts, read off the model: layers counting the input layer, and layers with weights (W, u)
        "layers": {"sizes": sizes, "with_input": len(sizes), "without_input": len((w.W, w.u))},
        "step": descent_step(),
        "graph": computation_graph(),
        "tie": max_tie(),
        "engine": engine_vs_network(),
        "counts": operation_counts(),
        "gc": gradient_check(),
        "net": network_check(),
        "reg": regularization_example(),
        "l1": l1_steps(),
        "vec": vectorization_example(),
        "act": activation_table(),
        "init": init_example(),
        "bias": output_bias(),
        "lr": learning_rates(),
        "app": appendix(),
    }

