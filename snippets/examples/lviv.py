"""The Lviv lecture slides "Deep learning: multi-layer NNs" (Vitaly Vlasov), executed.

The slides print formulas and shapes rather than numbers, so every function below picks small, seeded inputs
and evaluates the slides' formulas on them, next to an independent answer (``snippets.network``, finite
differences, the graph engine). Layout as in the slides and the package: examples are columns, X is (n[0], m),
W[l] is (n[l], n[l-1]), b[l] is (n[l], 1), Z[l] and A[l] are (n[l], m).

Two meanings of "dZ" appear in the slides. The first part (Ng-style) writes dZ[2] = A[2] - Y, the derivative of
the per-example loss, and puts the 1/m into dW and db. The detailed part writes dJ/dZ[L] = (A[L] - Y) / m, the
derivative of the mean cost, and then dW = dJ/dZ A[l-1]^T with no 1/m. The two differ by the factor m; the
weight gradients agree. ``snippets.network`` uses the second meaning.

- ``two_layer``: the 3-4-1 sigmoid network; loop vs broadcast; the two-layer backward formulas.
- ``deep``: an L-layer network (dimension table, forward/backward caches, the general backward steps).
- ``symmetry``: zero initialisation vs small random weights.
- ``indexed``: the fully indexed derivation (sums over examples i, units j, k, p) vs the vectorized one.
- ``graphs``: sigmoid, tanh, ReLU and softmax as computation graphs, every node's derivative checked.
- ``costs``: binary, multiclass and multilabel costs, each giving dJ/dZ[L] = (A[L] - Y) / m.
- ``circuits``: parity of n bits: XOR tree, DNF (one hidden layer of AND gates), threshold units.
"""

from __future__ import annotations

import hashlib
import itertools
import math
from typing import NamedTuple

import numpy as np

from snippets.activations import derivative, sigmoid, softmax, softmax_jacobian
from snippets.gradcheck import numerical_gradient, relative_error
from snippets.graph import Value, exp, relu
from snippets.losses import cost_gradient
from snippets.network import forward_backward

H = 1e-6  # step of every central difference below


# --- the 3-4-1 network of the first slides ------------------------------------------------------------------


class TwoLayer(NamedTuple):
    """The slides' 2-layer network (3 inputs, 4 hidden sigmoid units, 1 sigmoid output), m examples.

    Shapes: X (3, m), Y (1, m); W1 (4, 3), b1 (4, 1), W2 (1, 4), b2 (1, 1); Z1, A1 (4, m); Z2, A2 (1, m).
    The d* fields follow the slides' first part: dZ2 = A2 - Y (no 1/m), dW2 = dZ2 A1^T / m, and so on.
    """

    m: int
    X: np.ndarray
    Y: np.ndarray
    W1: np.ndarray
    b1: np.ndarray
    W2: np.ndarray
    b2: np.ndarray
    Z1: np.ndarray
    A1: np.ndarray
    Z2: np.ndarray
    A2: np.ndarray
    Z1_loop: np.ndarray  # built column by column, "for i = 1 to m"
    A2_loop: np.ndarray
    loop_max_diff: float  # max |loop - vectorized| over Z1, A1, Z2, A2
    cost: float  # binary cross-entropy, mean over the m examples
    dZ2: np.ndarray
    dW2: np.ndarray
    db2: np.ndarray
    dZ1: np.ndarray
    dW1: np.ndarray
    db1: np.ndarray
    dJ_dZ2: np.ndarray  # the detailed part's dJ/dZ2 = (A2 - Y) / m = dZ2 / m
    grads: list  # snippets.network.forward_backward
    numeric: list  # central differences of the cost
    err_network: float  # max relative error, slides' formulas vs network
    err_numeric: float  # max relative error, slides' formulas vs finite differences
    n_params: int  # 4*3 + 4 + 1*4 + 1


def _sigmoid_2layer_cost(params, X, Y):
    return forward_backward(params, X, Y, activations=["sigmoid", "sigmoid"], loss="binary_cross_entropy")[0]


def _numeric_grads(cost_of, params):
    """Central differences of cost_of(params) for every W and b: a list of (dW, db) like params."""
    out = []
    for layer, (W, b) in enumerate(params):
        pair = []
        for position, array in enumerate((W, b)):
            def f(value, layer=layer, position=position):
                changed = [list(p) for p in params]
                changed[layer][position] = value
                return cost_of([tuple(p) for p in changed])
            pair.append(numerical_gradient(f, array, h=H))
        out.append(tuple(pair))
    return out


def _worst(a, b):
    return max(relative_error(x, y) for pa, pb in zip(a, b) for x, y in zip(pa, pb))


def two_layer(seed: int = 0, m: int = 5) -> TwoLayer:
    """Forward pass example by example and vectorized, then the slides' two-layer backward pass."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((3, m))
    Y = rng.integers(0, 2, size=(1, m)).astype(np.float64)
    W1, b1 = 0.5 * rng.standard_normal((4, 3)), 0.1 * rng.standard_normal((4, 1))
    W2, b2 = 0.5 * rng.standard_normal((1, 4)), 0.1 * rng.standard_normal((1, 1))

    # for i = 1 to m: one column at a time
    Z1_loop, A1_loop, Z2_loop, A2_loop = (np.zeros((4, m)), np.zeros((4, m)), np.zeros((1, m)), np.zeros((1, m)))
    for i in range(m):
        x_i = X[:, [i]]                      # (3, 1)
        z1 = W1 @ x_i + b1                   # (4, 1)
        a1 = sigmoid(z1)
        z2 = W2 @ a1 + b2                    # (1, 1)
        a2 = sigmoid(z2)
        Z1_loop[:, [i]], A1_loop[:, [i]], Z2_loop[:, [i]], A2_loop[:, [i]] = z1, a1, z2, a2

    # vectorized: b is broadcast across the m columns
    Z1 = W1 @ X + b1
    A1 = sigmoid(Z1)
    Z2 = W2 @ A1 + b2
    A2 = sigmoid(Z2)
    loop_max_diff = max(float(np.max(np.abs(p - q))) for p, q in
                        ((Z1, Z1_loop), (A1, A1_loop), (Z2, Z2_loop), (A2, A2_loop)))

    # backward, as on the slides
    dZ2 = A2 - Y
    dW2 = dZ2 @ A1.T / m
    db2 = np.sum(dZ2, axis=1, keepdims=True) / m
    dZ1 = (W2.T @ dZ2) * (A1 * (1 - A1))      # g[1]'(Z1) = A1 (1 - A1) for the sigmoid
    dW1 = dZ1 @ X.T / m
    db1 = np.sum(dZ1, axis=1, keepdims=True) / m

    params = [(W1, b1), (W2, b2)]
    cost, grads = forward_backward(params, X, Y, activations=["sigmoid", "sigmoid"], loss="binary_cross_entropy")
    numeric = _numeric_grads(lambda p: _sigmoid_2layer_cost(p, X, Y), params)
    mine = [(dW1, db1), (dW2, db2)]
    return TwoLayer(m, X, Y, W1, b1, W2, b2, Z1, A1, Z2, A2, Z1_loop, A2_loop, loop_max_diff, cost,
                    dZ2, dW2, db2, dZ1, dW1, db1, dZ2 / m, grads, numeric, _worst(mine, grads),
                    _worst(mine, numeric), sum(W.size + b.size for W, b in params))


# --- an L-layer network: dimensions, caches, the general backward steps ---------------------------------------


class Deep(NamedTuple):
    """An L-layer network, sizes n = [n0, ..., nL], ReLU hidden layers and a sigmoid output.

    ``shapes[l]`` maps "W", "b", "Z", "A", "dW", "db", "dZ", "dA" to the shapes for layer l = 1..L
    (index 0 holds A[0] = X only). ``grads`` are from the slides' backward steps (dA[L] = -Y/A + (1-Y)/(1-A),
    dZ = dA * g'(Z), dW = dZ A[l-1]^T / m, db = sum(dZ) / m, dA[l-1] = W^T dZ).
    """

    sizes: list
    m: int
    X: np.ndarray  # (n0, m)
    Y: np.ndarray  # (nL, m), labels 0/1
    activations: list
    shapes: list
    params: list  # per layer: (W, b), W (n_l, n_{l-1}) and b (n_l, 1)
    caches: list  # per layer: dict with A_prev, W, Z (what the forward step stores; the way back needs no b)
    grads: list  # [(dW, db)] per layer, slides' formulas
    grads_network: list
    err_network: float
    err_numeric: float


def deep(seed: int = 1, sizes=(3, 4, 3, 1), m: int = 6) -> Deep:
    rng = np.random.default_rng(seed)
    sizes = list(sizes)
    L = len(sizes) - 1
    activations = ["relu"] * (L - 1) + ["sigmoid"]
    X = rng.standard_normal((sizes[0], m))
    Y = rng.integers(0, 2, size=(sizes[-1], m)).astype(np.float64)
    params = [(0.8 * rng.standard_normal((n_out, n_in)), 0.1 * rng.standard_normal((n_out, 1)))
              for n_in, n_out in zip(sizes[:-1], sizes[1:])]

    # forward: a for loop over the layers is unavoidable
    A, caches, a_shapes = X, [], []
    for (W, b), g in zip(params, activations):
        Z = W @ A + b
        caches.append({"A_prev": A, "W": W, "Z": Z})
        A = np.maximum(0.0, Z) if g == "relu" else sigmoid(Z)
        a_shapes.append(A.shape)  # the activation actually produced, so the table's A column can disagree with Z
    A_L = A

    # backward: the four steps per layer, starting from the seed dA[L]
    dA = -Y / A_L + (1 - Y) / (1 - A_L)
    grads, d_shapes = [None] * L, [None] * L
    for l in reversed(range(L)):
        c, g = caches[l], activations[l]
        g_prime = (c["Z"] > 0).astype(np.float64) if g == "relu" else derivative("sigmoid", c["Z"])
        dZ = dA * g_prime
        dW = dZ @ c["A_prev"].T / m
        db = np.sum(dZ, axis=1, keepdims=True) / m
        d_shapes[l] = {"dZ": dZ.shape, "dA": dA.shape, "dW": dW.shape, "db": db.shape}
        dA = c["W"].T @ dZ
        grads[l] = (dW, db)

    shapes = [{"A": X.shape}] + [
        {"W": W.shape, "b": b.shape, "Z": c["Z"].shape, "A": a_shape, **d}
        for (W, b), c, a_shape, d in zip(params, caches, a_shapes, d_shapes)
    ]
    _, grads_network = forward_backward(params, X, Y, activations=activations, loss="binary_cross_entropy")
    numeric = _numeric_grads(
        lambda p: forward_backward(p, X, Y, activations=activations, loss="binary_cross_entropy")[0], params)
    return Deep(sizes, m, X, Y, activations, shapes, params, caches, grads, grads_network,
                _worst(grads, grads_network), _worst(grads, numeric))


# --- symmetry ------------------------------------------------------------------------------------------------

SYM_X = np.array([[0.0, 0.0, 1.0, 1.0, 0.5],
                  [0.0, 1.0, 0.0, 1.0, 0.5]])  # XOR's four corners and the centre
SYM_Y = np.array([[0.0, 1.0, 1.0, 0.0, 0.0]])


class Run(NamedTuple):
    """Gradient descent on the 2-2-1 sigmoid network from one initialisation."""

    W1_init: np.ndarray
    W1: np.ndarray  # after training
    W2: np.ndarray
    row_gap: list  # per step (before the update): max |W1[0, :] - W1[1, :]|
    unit_gap: list  # per step: max |A1[0, :] - A1[1, :]| (the two hidden units' outputs)
    costs: list  # per step
    cost_final: float


SLIDE_SCALE = 0.01  # "W[1] = np.random.randn((2,2))*0.01" on the slide


class Symmetry(NamedTuple):
    steps: int
    lr: float
    scale: float  # SLIDE_SCALE
    zero: Run  # W = 0, b = 0
    small: Run  # W ~ 0.01 N(0, 1), b = 0, as on the slide
    larger: Run  # W ~ 0.5 N(0, 1), b = 0
    zero_first_dW1: np.ndarray  # dW1 of the very first step from zero: all 0 (W2 = 0 blocks it)
    zero_first_dW2: np.ndarray  # two equal entries
    label_mean: float  # the fraction of positive labels in SYM_Y
    constant_cost: float  # the cost of predicting label_mean for every input: the best constant prediction
    tanh_zero_only_b2_moves: bool  # tanh hidden units from zero, `tanh_steps` steps: W1, b1, W2 stay exactly 0
    tanh_steps: int


def _train(W1, b1, W2, b2, steps, lr) -> Run:
    params = [(W1.copy(), b1.copy()), (W2.copy(), b2.copy())]
    row_gap, unit_gap, costs = [], [], []
    for _ in range(steps):
        A1 = sigmoid(params[0][0] @ SYM_X + params[0][1])
        row_gap.append(float(np.max(np.abs(params[0][0][0] - params[0][0][1]))))
        unit_gap.append(float(np.max(np.abs(A1[0] - A1[1]))))
        c, g = forward_backward(params, SYM_X, SYM_Y, activations=["sigmoid", "sigmoid"], loss="binary_cross_entropy")
        costs.append(c)
        params = [(W - lr * dW, b - lr * db) for (W, b), (dW, db) in zip(params, g)]
    final = forward_backward(params, SYM_X, SYM_Y, activations=["sigmoid", "sigmoid"], loss="binary_cross_entropy")[0]
    return Run(W1, params[0][0], params[1][0], row_gap, unit_gap, costs, final)


def symmetry(steps: int = 2000, lr: float = 2.0, seed: int = 1) -> Symmetry:
    zeros = (np.zeros((2, 2)), np.zeros((2, 1)), np.zeros((1, 2)), np.zeros((1, 1)))
    rng = np.random.default_rng(seed)
    g1, g2 = rng.standard_normal((2, 2)), rng.standard_normal((1, 2))  # the same draws, two scales
    zero = _train(*zeros, steps, lr)
    small = _train(SLIDE_SCALE * g1, zeros[1], SLIDE_SCALE * g2, zeros[3], steps, lr)
    larger = _train(0.5 * g1, zeros[1], 0.5 * g2, zeros[3], steps, lr)
    _, g = forward_backward([(zeros[0], zeros[1]), (zeros[2], zeros[3])], SYM_X, SYM_Y,
                            activations=["sigmoid", "sigmoid"], loss="binary_cross_entropy")
    p = float(np.mean(SYM_Y))
    constant_cost = -(p * np.log(p) + (1 - p) * np.log(1 - p))
    tanh_steps = 20
    return Symmetry(steps, lr, SLIDE_SCALE, zero, small, larger, g[0][0], g[1][0], p, float(constant_cost),
                    _only_b2_moves_with_tanh(tanh_steps, lr), tanh_steps)


def _only_b2_moves_with_tanh(steps: int, lr: float) -> bool:
    """From all-zero weights with tanh hidden units, do W1, b1 and W2 stay exactly 0 while b2 moves?"""
    params = [(np.zeros((2, 2)), np.zeros((2, 1))), (np.zeros((1, 2)), np.zeros((1, 1)))]
    for _ in range(steps):
        _, g = forward_backward(params, SYM_X, SYM_Y, activations=["tanh", "sigmoid"], loss="binary_cross_entropy")
        params = [(W - lr * dW, b - lr * db) for (W, b), (dW, db) in zip(params, g)]
    (W1, b1), (W2, b2) = params
    return bool(not W1.any() and not b1.any() and not W2.any() and b2[0, 0] != 0)


# --- the fully indexed derivation ------------------------------------------------------------------------------


class Indexed(NamedTuple):
    """A 3-4-3 network (tanh hidden layer, softmax output, cross-entropy), every sum written as a loop.

    ``loops`` and ``vectorized`` hold the same keys: dA2, dZ2, dW2, db2, dA1, dZ1, dW1, db1 (dJ/d·, the mean cost).
    """

    m: int
    X: np.ndarray
    Y: np.ndarray
    loops: dict
    vectorized: dict
    grads_network: list
    max_diff: float  # max |loops - vectorized| over every array
    err_network: float
    jacobian_symmetric: bool  # the softmax Jacobian equals its transpose (numerator and denominator layout agree)
    params: list  # [(W1, b1), (W2, b2)]: W1 (4, 3), W2 (3, 4)


def indexed(seed: int = 2, m: int = 4) -> Indexed:
    rng = np.random.default_rng(seed)
    n0, n1, n2 = 3, 4, 3
    X = rng.standard_normal((n0, m))
    Y = np.eye(n2)[:, rng.integers(0, n2, size=m)]
    W1, b1 = 0.7 * rng.standard_normal((n1, n0)), 0.1 * rng.standard_normal((n1, 1))
    W2, b2 = 0.7 * rng.standard_normal((n2, n1)), 0.1 * rng.standard_normal((n2, 1))
    A1 = np.tanh(W1 @ X + b1)
    A2 = softmax(W2 @ A1 + b2)

    # loops: one scalar at a time
    dA2 = np.zeros((n2, m))
    for i in range(m):
        for j in range(n2):
            dA2[j, i] = -Y[j, i] / A2[j, i] / m                      # dJ/da_{j,i} = -(1/m) y/a
    dZ2 = np.zeros((n2, m))
    for i in range(m):
        for j in range(n2):
            for p in range(n2):                                       # sum_p dJ/da_p  da_p/dz_j
                da_p_dz_j = A2[p, i] * ((p == j) - A2[j, i])
                dZ2[j, i] += dA2[p, i] * da_p_dz_j

    def dense_loops(dZ, A_prev, W):
        n_out, n_in = W.shape
        dW, db, dA_prev = np.zeros((n_out, n_in)), np.zeros((n_out, 1)), np.zeros((n_in, m))
        for j in range(n_out):
            for k in range(n_in):
                for i in range(m):
                    dW[j, k] += dZ[j, i] * A_prev[k, i]               # sum_i dJ/dz_{j,i} a_{k,i}
            for i in range(m):
                db[j, 0] += dZ[j, i]                                  # sum_i dJ/dz_{j,i}
        for k in range(n_in):
            for i in range(m):
                for j in range(n_out):
                    dA_prev[k, i] += dZ[j, i] * W[j, k]               # sum_j dJ/dz_{j,i} w_{j,k}
        return dW, db, dA_prev

    dW2, db2, dA1 = dense_loops(dZ2, A1, W2)
    dZ1 = np.zeros((n1, m))
    for i in range(m):
        for j in range(n1):
            for p in range(n1):                                       # tanh: only p = j survives
                da_p_dz_j = (1 - A1[j, i] ** 2) if p == j else 0.0
                dZ1[j, i] += dA1[p, i] * da_p_dz_j
    dW1, db1, _ = dense_loops(dZ1, X, W1)
    loops = dict(dA2=dA2, dZ2=dZ2, dW2=dW2, db2=db2, dA1=dA1, dZ1=dZ1, dW1=dW1, db1=db1)

    # vectorized, as the slides finally write it
    v = {}
    v["dA2"] = -(1 / m) * (1 / A2) * Y
    v["dZ2"] = A2 * (v["dA2"] - np.sum(v["dA2"] * A2, axis=0, keepdims=True))
    v["dW2"] = v["dZ2"] @ A1.T
    v["db2"] = np.sum(v["dZ2"], axis=1, keepdims=True)
    v["dA1"] = W2.T @ v["dZ2"]
    v["dZ1"] = v["dA1"] * (1 - A1 * A1)
    v["dW1"] = v["dZ1"] @ X.T
    v["db1"] = np.sum(v["dZ1"], axis=1, keepdims=True)

    params = [(W1, b1), (W2, b2)]
    _, grads = forward_backward(params, X, Y, activations=["tanh", "softmax"], loss="cross_entropy")
    jac = softmax_jacobian(W2 @ A1[:, 0] + b2[:, 0])
    return Indexed(m, X, Y, loops, v, grads,
                   max(float(np.max(np.abs(loops[k] - v[k]))) for k in loops),
                   _worst([(v["dW1"], v["db1"]), (v["dW2"], v["db2"])], grads),
                   bool(np.allclose(jac, jac.T, rtol=0, atol=1e-15)), params)


# --- computation graphs of the activations ---------------------------------------------------------------------


class Graph(NamedTuple):
    """One activation's computation graph, built with snippets.graph and back-propagated.

    ``nodes``: name -> Value (after backward, so ``.grad`` is d(root)/d(node)); ``notes``: name -> the slides'
    formula for that derivative, evaluated; ``numeric``: name -> central difference of the root with the node
    replaced by a free input; ``worst``: the largest |engine - notes| and |engine - numeric| over the nodes.
    """

    root: Value
    input_grad: float  # d(root)/d(input): the activation's derivative
    nodes: dict
    notes: dict
    numeric: dict
    worst_notes: float
    worst_numeric: float


def _checked(build, notes_of) -> Graph:
    """build(fix) -> (nodes, root); fix maps a node name to a number that replaces that node."""
    nodes, root = build({})
    root.backward()
    notes = notes_of({k: v.data for k, v in nodes.items()})
    numeric = {}
    for name, node in nodes.items():
        up = build({name: node.data + H})[1].data
        down = build({name: node.data - H})[1].data
        numeric[name] = (up - down) / (2 * H)
    return Graph(root, next(iter(nodes.values())).grad, nodes, notes, numeric,
                 max(abs(nodes[k].grad - notes[k]) for k in notes),
                 max(abs(nodes[k].grad - numeric[k]) for k in nodes))


def _maker(fix, nodes):
    def node(name, make):
        value = Value(fix[name]) if name in fix else make()
        nodes[name] = value.named(name)
        return value
    return node


def _sigmoid_build(z):
    def build(fix):
        nodes = {}
        node = _maker(fix, nodes)
        u0 = node("u0", lambda: Value(z))
        u1 = node("u1", lambda: -u0)
        u2 = node("u2", lambda: exp(u1))
        u3 = node("u3", lambda: 1 + u2)
        u4 = node("u4", lambda: 1 / u3)
        return nodes, u4
    return build


def _sigmoid_notes(u):
    return {"u4": 1.0, "u3": -1 / u["u3"] ** 2, "u2": -1 / u["u3"] ** 2,
            "u1": -math.exp(u["u1"]) / u["u3"] ** 2, "u0": math.exp(u["u1"]) / u["u3"] ** 2}


def _tanh_build(z):
    def build(fix):
        nodes = {}
        node = _maker(fix, nodes)
        u0 = node("u0", lambda: Value(z))
        u1 = node("u1", lambda: -u0)
        u2 = node("u2", lambda: exp(u0))
        u3 = node("u3", lambda: exp(u1))
        u4 = node("u4", lambda: u2 - u3)
        u5 = node("u5", lambda: u2 + u3)
        u6 = node("u6", lambda: 1 / u5)
        u7 = node("u7", lambda: u4 * u6)
        return nodes, u7
    return build


def _tanh_notes(u):
    d3 = -u["u6"] - u["u4"] / u["u5"] ** 2
    d2 = u["u6"] - u["u4"] / u["u5"] ** 2
    return {"u7": 1.0, "u6": u["u4"], "u5": -u["u4"] / u["u5"] ** 2, "u4": u["u6"], "u3": d3, "u2": d2,
            "u1": d3 * math.exp(u["u1"]), "u0": -d3 * math.exp(u["u1"]) + d2 * math.exp(u["u0"])}


def _relu_build(z):
    def build(fix):
        nodes = {}
        node = _maker(fix, nodes)
        u0 = node("u0", lambda: Value(z))
        u1 = node("u1", lambda: relu(u0))
        return nodes, u1
    return build


def _softmax_build(z, j):
    """The slides' graph for a_j: u-1 = z_j, u0,p = z_p (p != j), u1 = exp(u-1), u2,p = exp(u0,p),
    u3 = u1 + sum_p u2,p, u4 = 1/u3, u5 = u1 u4 = a_j. Indices p are 1-based in the names."""
    others = [p for p in range(len(z)) if p != j]

    def build(fix):
        nodes = {}
        node = _maker(fix, nodes)
        um1 = node("u-1", lambda: Value(z[j]))
        u0 = {p: node(f"u0,{p + 1}", lambda p=p: Value(z[p])) for p in others}
        u1 = node("u1", lambda: exp(um1))
        u2 = {p: node(f"u2,{p + 1}", lambda p=p: exp(u0[p])) for p in others}
        u3 = node("u3", lambda: sum((u2[p] for p in others[1:]), u1 + u2[others[0]]))
        u4 = node("u4", lambda: 1 / u3)
        u5 = node("u5", lambda: u1 * u4)
        return nodes, u5
    return build, others


def _softmax_notes(u, others):
    notes = {"u5": 1.0, "u4": u["u1"], "u3": -u["u1"] / u["u3"] ** 2,
             "u1": -u["u1"] / u["u3"] ** 2 + u["u4"],
             "u-1": (-u["u1"] / u["u3"] ** 2 + u["u4"]) * math.exp(u["u-1"])}
    for p in others:  # not printed on the slides for a_j's own graph, but they follow the same rules
        notes[f"u2,{p + 1}"] = -u["u1"] / u["u3"] ** 2
        notes[f"u0,{p + 1}"] = -u["u1"] / u["u3"] ** 2 * math.exp(u[f"u0,{p + 1}"])
    return notes


class SoftmaxBackward(NamedTuple):
    """dJ/dz for one softmax column, three ways, with J = sum_p dA_p a_p (dA: the upstream gradient)."""

    z: np.ndarray
    a: np.ndarray
    dA: np.ndarray
    slides: np.ndarray  # a * (dA - sum(dA * a))
    jacobian: np.ndarray  # J^T dA with J = diag(a) - a a^T
    graph: np.ndarray  # back-propagated through the scalar graph
    root: Value
    # The full Jacobian from the slides' two formulas a_j(1 - a_j), -a_p a_j, in numerator layout: row p, column j
    # is ∂a_p/∂z_j. The chapter's ∂a/∂z (denominator layout) is its transpose, so ∂J/∂z = jacobian_num.T @ dA.
    jacobian_num: np.ndarray
    max_diff: float


def _softmax_backward(z, dA) -> SoftmaxBackward:
    zs = [Value(float(v)).named(f"z{k + 1}") for k, v in enumerate(z)]
    es = [exp(v).named(f"e{k + 1}") for k, v in enumerate(zs)]
    s = sum(es[1:], es[0]).named("S")
    inv = (1 / s).named("1/S")
    a_nodes = [(e * inv).named(f"a{k + 1}") for k, e in enumerate(es)]
    J = sum((float(g) * a for g, a in zip(dA[1:], a_nodes[1:])), float(dA[0]) * a_nodes[0]).named("J")
    J.backward()
    a = softmax(np.asarray(z, dtype=np.float64))
    slides = a * (dA - np.sum(dA * a))
    jac = np.array([[a[p] * ((p == j) - a[j]) for j in range(len(a))] for p in range(len(a))])  # [p, j] = ∂a_p/∂z_j
    graph = np.array([v.grad for v in zs])
    return SoftmaxBackward(np.asarray(z, dtype=np.float64), a, np.asarray(dA, dtype=np.float64), slides,
                           jac.T @ dA, graph, J, jac,
                           float(max(np.max(np.abs(slides - graph)), np.max(np.abs(slides - jac.T @ dA)))))


class Graphs(NamedTuple):
    z: float  # the input of the sigmoid and tanh graphs
    sigmoid: Graph
    tanh: Graph
    relu_pos: Graph
    relu_neg: Graph
    softmax_z: np.ndarray
    softmax_j: int  # 0-based index of the class whose graph is drawn
    softmax: Graph
    softmax_package: float  # da_j/dz_j from snippets.activations.softmax_jacobian
    softmax_backward: SoftmaxBackward


def graphs(z: float = 0.5, relu_z=(1.5, -0.5), softmax_z=(1.0, 2.0, 0.5), j: int = 0,
           upstream=(0.3, -0.6, 0.2)) -> Graphs:
    sig = _checked(_sigmoid_build(z), _sigmoid_notes)
    tanh = _checked(_tanh_build(z), _tanh_notes)
    relu_pos = _checked(_relu_build(relu_z[0]), lambda u: {"u1": 1.0, "u0": float(u["u0"] > 0)})
    relu_neg = _checked(_relu_build(relu_z[1]), lambda u: {"u1": 1.0, "u0": float(u["u0"] > 0)})
    build, others = _softmax_build(softmax_z, j)
    soft = _checked(build, lambda u: _softmax_notes(u, others))
    zz = np.array(softmax_z, dtype=np.float64)
    return Graphs(z, sig, tanh, relu_pos, relu_neg, zz, j, soft, float(softmax_jacobian(zz)[j, j]),
                  _softmax_backward(zz, np.array(upstream, dtype=np.float64)))


# --- the three costs -------------------------------------------------------------------------------------------


class Cost(NamedTuple):
    """One cost: J, the slides' dJ/dA and dJ/dZ, (A - Y)/m, and independent checks. Shapes (n, m)."""

    Z: np.ndarray
    A: np.ndarray
    Y: np.ndarray
    J: float
    dA: np.ndarray  # the slides' formula for dJ/dA
    dZ: np.ndarray  # dJ/dA pushed through the activation (sigmoid: * A(1-A); softmax: A*(dA - sum dA*A))
    A_minus_Y_over_m: np.ndarray
    dA_package: np.ndarray  # snippets.losses.cost_gradient
    dZ_numeric: np.ndarray  # central differences of J(Z)
    err_formula: float  # |dZ - (A - Y)/m|
    err_numeric: float
    err_dA: float


def _cost(Z, Y, activation, loss):
    m = Z.shape[1]
    act = sigmoid if activation == "sigmoid" else softmax

    def J_of(Zv):
        A = act(Zv)
        if loss == "cross_entropy":
            return float(-np.sum(Y * np.log(A)) / m)
        return float(-np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m)

    A = act(Z)
    if loss == "cross_entropy":
        dA = -(1 / m) * (1 / A) * Y
        dZ = A * (dA - np.sum(dA * A, axis=0, keepdims=True))
    else:
        dA = (1 / m) * (1 / (1 - A) * (1 - Y) - 1 / A * Y)
        dZ = dA * A * (1 - A)
    target = (A - Y) / m
    numeric = numerical_gradient(J_of, Z, h=H)
    package = cost_gradient(loss, A, Y)
    return Cost(Z, A, Y, J_of(Z), dA, dZ, target, package, numeric,
                float(np.max(np.abs(dZ - target))), relative_error(dZ, numeric), float(np.max(np.abs(dA - package))))


class Costs(NamedTuple):
    m: int
    binary: Cost  # n[L] = 1, sigmoid output
    multiclass: Cost  # n[L] = 3, softmax output, one-hot Y
    multilabel: Cost  # n[L] = 3, sigmoid outputs, Y in {0, 1} per label


def costs(seed: int = 3, m: int = 4) -> Costs:
    rng = np.random.default_rng(seed)
    Zb = rng.standard_normal((1, m))
    Yb = rng.integers(0, 2, size=(1, m)).astype(np.float64)
    Zc = rng.standard_normal((3, m))
    Yc = np.eye(3)[:, rng.integers(0, 3, size=m)]
    Zl = rng.standard_normal((3, m))
    Yl = rng.integers(0, 2, size=(3, m)).astype(np.float64)
    return Costs(m, _cost(Zb, Yb, "sigmoid", "binary_cross_entropy"),
                 _cost(Zc, Yc, "softmax", "cross_entropy"),
                 _cost(Zl, Yl, "sigmoid", "multilabel"))


# --- parity: what the circuit-theory slide can truthfully say ---------------------------------------------------


class CircuitRow(NamedTuple):
    n: int
    tree_depth: int  # ceil(log2 n) levels of two-input XOR gates
    tree_gates: int  # n - 1
    dnf_terms: int  # 2^(n-1) AND gates in the one hidden layer (plus one OR)
    threshold_units: int  # n hidden threshold units suffice


class Circuits(NamedTuple):
    rows: list  # CircuitRow for n = 2, 4, 8, 16, 32, 64
    checked_up_to: int  # constructions verified on all 2^n inputs for n = 1..checked_up_to
    min_dnf_checked_up_to: int  # "every implicant of parity has all n literals" checked by brute force
    sigmoid_gain: float  # parity_sigmoid_net with this gain is checked like the threshold net


def xor_tree(bits) -> tuple[int, int, int]:
    """Parity of the bits by a balanced tree of two-input XOR gates: (value, depth, gates)."""
    level, depth, gates = list(bits), 0, 0
    while len(level) > 1:
        nxt = [level[k] ^ level[k + 1] for k in range(0, len(level) - 1, 2)]
        gates += len(nxt)
        if len(level) % 2:
            nxt.append(level[-1])
        level, depth = nxt, depth + 1
    return level[0], depth, gates


def parity_dnf(n: int) -> list[tuple[int, ...]]:
    """The DNF of parity: one AND term per odd-weight input (each term fixes all n bits)."""
    return [x for x in itertools.product((0, 1), repeat=n) if sum(x) % 2 == 1]


def parity_threshold_net(x) -> int:
    """One hidden layer of n threshold units: h_k = [sum(x) >= k], output [h_1 - h_2 + h_3 - ... >= 1]."""
    s = sum(x)
    h = [int(s >= k) for k in range(1, len(x) + 1)]
    return int(sum((-1) ** k * hk for k, hk in enumerate(h)) >= 1)


def parity_sigmoid_net(x, gain: float = 20.0) -> int:
    """The threshold net with each step replaced by a steep sigmoid: h_k = σ(gain (sum(x) - k + ½)), output
    σ(gain (h_1 - h_2 + h_3 - ... - ½)), read as 1 above ½. Every pre-activation is at least ½ away from 0."""
    s = sum(x)
    h = [sigmoid(gain * (s - k + 0.5)) for k in range(1, len(x) + 1)]
    return int(sigmoid(gain * (sum((-1) ** k * hk for k, hk in enumerate(h)) - 0.5)) > 0.5)


def _implicants_all_full(n: int) -> bool:
    """Every conjunction of literals that implies parity fixes all n variables (0/1 fixed, None free)."""
    inputs = list(itertools.product((0, 1), repeat=n))
    for term in itertools.product((0, 1, None), repeat=n):
        covered = [x for x in inputs if all(t is None or t == xi for t, xi in zip(term, x))]
        if all(sum(x) % 2 == 1 for x in covered) and None in term:
            return False
    return True


def circuits(ns=(2, 4, 8, 16, 32, 64), check: int = 8, brute: int = 4, gain: float = 20.0) -> Circuits:
    for n in range(1, check + 1):
        terms = set(parity_dnf(n))
        for x in itertools.product((0, 1), repeat=n):
            parity = sum(x) % 2
            value, depth, gates = xor_tree(x)
            assert value == parity and depth == math.ceil(math.log2(n)) and gates == n - 1
            assert int(x in terms) == parity and len(terms) == 2 ** (n - 1)
            assert parity_threshold_net(x) == parity and parity_sigmoid_net(x, gain) == parity
    for n in range(1, brute + 1):
        assert _implicants_all_full(n)
    rows = [CircuitRow(n, math.ceil(math.log2(n)), n - 1, 2 ** (n - 1), n) for n in ns]
    return Circuits(rows, check, brute, gain)


# --- what the slides print ----------------------------------------------------------------------------------------


def published() -> dict:
    """The numbers the slides print (shapes, counts, the init scale), from the code that uses them.

    Keys: W1, b1, W2, b2 (shapes in the 3-4-1 network), layers (layers with parameters, the input not counted),
    input_layer (the index of the layer whose activation is x), n2, init_scale, init_W1, init_b1 (the symmetry
    slide's shapes, which run correctly once the calls are fixed: rng.standard_normal((2, 2)), np.zeros((2, 1))),
    binary_nL, binary_dZ, binary_dA (the binary-cost slide: n[L] and the shapes of ∂J/∂Z[L] and ∂J/∂A[L], (1, m)).
    """
    two = two_layer()
    sym = symmetry(steps=1)
    binary = costs().binary
    by_layer = [two.X, two.A1, two.A2]  # a[0] = x, a[1], a[2]
    return {"W1": two.W1.shape, "b1": two.b1.shape, "W2": two.W2.shape, "b2": two.b2.shape,
            "layers": len(two.grads), "input_layer": next(l for l, a in enumerate(by_layer) if a is two.X),
            "n2": two.A2.shape[0], "init_scale": sym.scale,
            "init_W1": sym.small.W1_init.shape, "init_b1": np.zeros((2, 1)).shape,
            "binary_nL": binary.A.shape[0], "binary_dZ": binary.dZ.shape, "binary_dA": binary.dA.shape}


# --- figures the slides draw: the propagation chains and the deep network ------------------------------------------

_BOX_W, _BOX_H, _GAP, _PAD = 430, 38, 30, 16
_FORWARD, _BACKWARD = "#1f5fa8", "#c0391b"


def chain_svg(steps, *, upward: bool, title: str) -> str:
    """Boxes stacked in a column, joined by arrows: downward for a forward pass, upward for a backward pass.

    steps: the text of each box, top to bottom (plain text; each fits one line of about 50 characters).
    Deterministic: the same steps give the same bytes.
    """
    from html import escape

    if not steps:
        raise ValueError("steps: expected at least one box, got none")
    colour = _BACKWARD if upward else _FORWARD
    marker = "head-" + hashlib.sha1(title.encode()).hexdigest()[:8]  # unique per figure on a page
    width = _BOX_W + 2 * _PAD
    height = 2 * _PAD + len(steps) * _BOX_H + (len(steps) - 1) * _GAP
    parts = [f'<defs><marker id="{marker}" viewBox="0 0 10 10" refX="9" refY="5" '
             f'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
             f'<path d="M0,0 L10,5 L0,10 z" fill="{colour}"/></marker></defs>']
    for k, text in enumerate(steps):
        top = _PAD + k * (_BOX_H + _GAP)
        parts.append(f'<rect x="{_PAD}" y="{top}" width="{_BOX_W}" height="{_BOX_H}" rx="6" fill="#ffffff" '
                     f'stroke="{colour}" stroke-width="1.5"/>')
        parts.append(f'<text x="{_PAD + _BOX_W / 2}" y="{top + _BOX_H / 2 + 5}" text-anchor="middle" '
                     f'fill="#1a1a1a">{escape(text)}</text>')
        if k:  # the arrow between box k - 1 and box k
            y_from, y_to = top - _GAP + 2, top - 2
            if upward:
                y_from, y_to = y_to, y_from
            parts.append(f'<line x1="{width / 2}" y1="{y_from}" x2="{width / 2}" y2="{y_to}" stroke="{colour}" '
                         f'stroke-width="2" marker-end="url(#{marker})"/>')
    body = "\n".join(parts)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
            f'height="{height}" role="img" aria-label="{escape(title)}" style="max-width:100%;height:auto" '
            f'font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif" font-size="15">\n'
            f'<title>{escape(title)}</title>\n{body}\n</svg>')


TWO_LAYER_FORWARD = (
    "A[0] = X  (n[0] × m)",
    "Z[1] = W[1] A[0] + b[1]",
    "A[1] = σ(Z[1])",
    "Z[2] = W[2] A[1] + b[2]",
    "A[2] = σ(Z[2]) = Ŷ",
    "J = (1/m) Σᵢ L(ŷ⁽ⁱ⁾, y⁽ⁱ⁾)",
)
TWO_LAYER_BACKWARD = (  # top to bottom; the arrows point up, from the loss back to layer 1
    "dW[1] = (1/m) dZ[1] Xᵀ,   db[1] = (1/m) Σ dZ[1]",
    "dZ[1] = W[2]ᵀ dZ[2] ⊙ σ′(Z[1])",
    "dW[2] = (1/m) dZ[2] A[1]ᵀ,   db[2] = (1/m) Σ dZ[2]",
    "dZ[2] = A[2] − Y",
)


def deep_blocks(L: int, *, backward: bool) -> tuple[str, ...]:
    """The per-layer blocks of an L-layer network, as the steps of chain_svg (forward: top to bottom)."""
    if L < 1:
        raise ValueError(f"L: expected at least 1 layer, got {L}")
    if not backward:
        return ("A[0] = X",) + tuple(
            f"layer {l}: A[{l - 1}] → Z[{l}], A[{l}]   cache A[{l - 1}], W[{l}], Z[{l}]" for l in range(1, L + 1)
        ) + ("J(A[L], Y)",)
    return tuple(
        f"layer {l}: dA[{l}] → dZ[{l}] → dA[{l - 1}], dW[{l}], db[{l}]" for l in range(1, L + 1)
    ) + ("dA[L] = −Y/A[L] + (1 − Y)/(1 − A[L])",)
