"""MIT 6.390 explanatory notes, sections 7.X (matrix derivatives) and 7.6 (training), executed.

The notes lay out every derivative ∂(output)/∂(input) with one row per input component and one column per
output component ("denominator layout"): ∂s/∂v is a column like v, ∂w/∂s is a row, ∂w/∂v is (m × n) for
v of size m and w of size n, ∂M/∂s has the transposed shape of M and ∂s/∂M the shape of M. Their first-order
rule is Δ(output) ≈ (∂ output/∂ input)ᵀ Δ(input).

``snippets.gradcheck.numerical_jacobian`` returns the other layout (numerator layout: output axes first), so
every function here computes the finite-difference Jacobian and moves the input axes to the front.

Their layer is z = Wᵀa + w0 with W of shape (m, n): m inputs, n neurons. The package's layer is
Z = W A + b with W of shape (n_out, n_in), i.e. the notes' Wᵀ.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from snippets.activations import activation_backward, derivative, sigmoid
from snippets.gradcheck import numerical_gradient, numerical_jacobian, relative_error
from snippets.layers import layer_forward
from snippets.losses import FUSED_PAIRS, cost_gradient, dZ_from_logits
from snippets import network
from snippets.network import Params, forward_backward
from snippets.training import init_gaussian, init_zeros, sgd_step_gradients

STEPS = (1e-1, 1e-2, 1e-3)  # sizes t of the steps Δx = t · direction used to test the first-order rule


# --- 7.X introduction: (7.58)–(7.60) and Concept 18 ---------------------------------------------------


class Intro(NamedTuple):
    """The three examples that open 7.X.

    w, x: shape (m,), m = 4; products: w * x, the m multiplications wᵀx does at once; wtx: their sum (7.58);
    point: (x1, x2) = (1, 3) for f(x) = 5 x1² − 5 x2; gradient: (∂f/∂x1, ∂f/∂x2) there by centred differences,
    the notes' (10, −5) (7.59); nudged: f(x1 + 0.01, x2) − f(x1, x2) > 0 (increasing x1 increases f);
    gradient_elsewhere: the same derivative at (−1, 3), (−10, −5): derivatives are local (7.X.2);
    shape_error: numpy's message for an (a × b)(c × d) product with b ≠ c (7.60).
    """

    w: np.ndarray
    x: np.ndarray
    products: np.ndarray
    wtx: float
    point: np.ndarray
    gradient: np.ndarray
    nudged: float
    gradient_elsewhere: np.ndarray
    shape_error: str


def intro_f(x):
    """f(x1, x2) = 5 x1² − 5 x2: ∂f/∂x1 = 10 x1, ∂f/∂x2 = −5."""
    return 5 * x[0] ** 2 - 5 * x[1]


def intro() -> Intro:
    """wᵀx as m products at once, a gradient of (10, −5) at (1, 3), and a shape mismatch (7.58–7.60)."""
    w = np.array([0.5, -1.0, 2.0, 3.0])
    x = np.array([2.0, 1.0, 0.25, -1.0])
    point = np.array([1.0, 3.0])
    try:
        np.ones((2, 3)) @ np.ones((2, 3))
        shape_error = ""
    except ValueError as error:
        shape_error = str(error)
    return Intro(
        w=w,
        x=x,
        products=w * x,
        wtx=float(w @ x),
        point=point,
        gradient=numerical_gradient(intro_f, point),
        nudged=float(intro_f(point + [0.01, 0.0]) - intro_f(point)),
        gradient_elsewhere=numerical_gradient(intro_f, np.array([-1.0, 3.0])),
        shape_error=shape_error,
    )


class TwoMovements(NamedTuple):
    """"Combining two movements" (7.X.6) for s(v) = v1² v2 at v = (1, 2), step (t·dv1, t·dv2), dv = (0.5, 0.5).

    steps: t, shape (k,); actual: s(v + Δv) − s(v) (the same whichever order the two moves are made);
    first_then_second, second_then_first: the change predicted move by move, each move's derivative taken
    where that move starts; planar: both moves with the derivatives at v, ∂s/∂v1 Δv1 + ∂s/∂v2 Δv2 (7.70);
    order_gap: |first_then_second − second_then_first|: shrinks like t³ here; planar_error: |actual − planar|,
    which shrinks like t².
    """

    steps: np.ndarray
    actual: np.ndarray
    first_then_second: np.ndarray
    second_then_first: np.ndarray
    planar: np.ndarray
    order_gap: np.ndarray
    planar_error: np.ndarray


TWO_V = np.array([1.0, 2.0])
TWO_DV = np.array([0.5, 0.5])


def two_s(v):
    """s(v) = v1² v2."""
    return v[0] ** 2 * v[1]


def two_movements() -> TwoMovements:
    """The two orders of two moves, against the planar prediction, for shrinking steps."""
    grad = lambda v: numerical_gradient(two_s, np.asarray(v, dtype=np.float64))  # noqa: E731
    steps = np.array([1.0, 0.1, 0.01])
    rows = []
    for t in steps:
        d1, d2 = np.array([t * TWO_DV[0], 0.0]), np.array([0.0, t * TWO_DV[1]])
        actual = two_s(TWO_V + d1 + d2) - two_s(TWO_V)
        first = grad(TWO_V) @ d1 + grad(TWO_V + d1) @ d2
        second = grad(TWO_V) @ d2 + grad(TWO_V + d2) @ d1
        planar = grad(TWO_V) @ (d1 + d2)
        rows.append((actual, first, second, planar))
    actual, first, second, planar = (np.array(c) for c in zip(*rows))
    return TwoMovements(steps, actual, first, second, planar, np.abs(first - second), np.abs(actual - planar))


# --- 7.X.6 planar approximation: the notes' f(x) = x² example ---------------------------------------


class PlanarSquare(NamedTuple):
    """f(x) = x² near x = 1.

    fprime_1, fprime_2, fprime_101: f′ at 1, 2 and 1.01 (the notes' 2, 4 and 2.02);
    steps: step sizes h, shape (k,); change: f(1 + h) − f(1); linear: f′(1) h; error: change − linear (= h²);
    fprime_change: f′(1 + h) − f′(1) (= 2h): the derivative moves less and less as the step shrinks.
    """

    fprime_1: float
    fprime_2: float
    fprime_101: float
    steps: np.ndarray
    change: np.ndarray
    linear: np.ndarray
    error: np.ndarray
    fprime_change: np.ndarray


def planar_square() -> PlanarSquare:
    """The notes' example of 7.X.6 and the error of the tangent-line prediction for shrinking steps."""

    def f(x):
        return x**2

    def fprime(x):
        return float(numerical_gradient(lambda v: f(v[0]), np.array([x]))[0])

    steps = np.array([1.0, 1e-1, 1e-2, 1e-3])
    change = f(1.0 + steps) - f(1.0)
    linear = fprime(1.0) * steps
    return PlanarSquare(
        fprime_1=fprime(1.0),
        fprime_2=fprime(2.0),
        fprime_101=fprime(1.01),
        steps=steps,
        change=change,
        linear=linear,
        error=change - linear,
        fprime_change=np.array([fprime(1.0 + h) for h in steps]) - fprime(1.0),
    )


# --- the five cases: scalar/vector, vector/scalar, vector/vector, matrix/scalar, scalar/matrix -------


class LayoutCase(NamedTuple):
    """One derivative ∂(output)/∂(input), by finite differences, in the notes' layout.

    x: the point (input); y: f(x);
    full: the derivative with the input's axes first, then the output's, shape x.shape + y.shape;
    notes: the matrix the notes print (column for ∂s/∂v, row for ∂w/∂s, (m × n) for ∂w/∂v,
           (r × k) for ∂M/∂s with M (k × r), (k × r) for ∂s/∂M);
    jacobian: the same numbers in numerator layout (output axes first), as numerical_jacobian returns them;
    exact: the closed form, same shape as ``notes``;
    direction: Δx for a step of size 1, shape x.shape;
    steps: step sizes t, shape (k,);
    actual: f(x + t·direction) − f(x) for each t, shape (k,) + y.shape;
    predicted: (∂y/∂x)ᵀ (t·direction), the first-order rule, same shape as actual;
    error: the largest |actual − predicted| for each t, shape (k,): it shrinks like t².
    """

    x: np.ndarray
    y: np.ndarray
    full: np.ndarray
    notes: np.ndarray
    jacobian: np.ndarray
    exact: np.ndarray
    direction: np.ndarray
    steps: np.ndarray
    actual: np.ndarray
    predicted: np.ndarray
    error: np.ndarray


def _case(f: Callable, x, direction, exact, *, notes_transposed: bool = False) -> LayoutCase:
    x = np.asarray(x, dtype=np.float64)
    direction = np.asarray(direction, dtype=np.float64)
    y = np.asarray(f(x), dtype=np.float64)
    jacobian = numerical_jacobian(f, x)  # shape y.shape + x.shape
    order = tuple(range(y.ndim, y.ndim + x.ndim)) + tuple(range(y.ndim))
    full = np.transpose(jacobian, order)  # shape x.shape + y.shape: the notes' order of axes
    if x.ndim == 1 and y.ndim == 0:
        notes = full.reshape(-1, 1)  # a column, like v
    elif x.ndim == 0 and y.ndim == 1:
        notes = full.reshape(1, -1)  # a row
    elif notes_transposed:
        notes = full.T  # ∂M/∂s: rows ↔ columns of M, columns ↔ rows of M
    else:
        notes = full
    steps = np.array(STEPS)
    actual = np.array([f(x + t * direction) - y for t in steps])
    predicted = np.array([np.tensordot(t * direction, full, axes=x.ndim) for t in steps])
    error = np.array([np.max(np.abs(a - p)) for a, p in zip(actual, predicted)])
    exact = np.asarray(exact, dtype=np.float64)
    assert exact.shape == notes.shape
    return LayoutCase(x, y, full, notes, jacobian, exact, direction, steps, actual, predicted, error)


def scalar_vector() -> LayoutCase:
    """s(v) = v1² v2 + sin v3 at v = (1, 2, 0.5): ∂s/∂v is a (3 × 1) column (Definition 26)."""
    v = np.array([1.0, 2.0, 0.5])
    exact = np.array([[2 * v[0] * v[1]], [v[0] ** 2], [np.cos(v[2])]])
    return _case(lambda v: v[0] ** 2 * v[1] + np.sin(v[2]), v, [1.0, -1.0, 2.0], exact)


def vector_scalar() -> LayoutCase:
    """w(s) = (s², sin s, 3s) at s = 0.5: ∂w/∂s is a (1 × 3) row (Definition 28)."""
    s = np.array(0.5)
    exact = np.array([[2 * s, np.cos(s), 3.0]])
    return _case(lambda s: np.array([s**2, np.sin(s), 3 * s]), s, 1.0, exact)


def vector_vector() -> LayoutCase:
    """w(v) = (v1 v2, v1², sin v2) at v = (1, 2): ∂w/∂v is (2 × 3), row i ↔ v_i, column j ↔ w_j (7.99)."""
    v = np.array([1.0, 2.0])
    exact = np.array([[v[1], 2 * v[0], 0.0], [v[0], 0.0, np.cos(v[1])]])
    return _case(lambda v: np.array([v[0] * v[1], v[0] ** 2, np.sin(v[1])]), v, [1.0, -2.0], exact)


def matrix_scalar() -> LayoutCase:
    """M(s) = [[s, s², 1], [2s, 0, s³]] (k × r = 2 × 3) at s = 0.5: ∂M/∂s is (3 × 2), Mᵀ's shape (Def. 34)."""
    s = np.array(0.5)
    exact = np.array([[1.0, 2.0 * s, 0.0], [2.0, 0.0, 3 * s**2]]).T
    return _case(
        lambda s: np.array([[s, s**2, 1.0], [2 * s, 0.0, s**3]]), s, 1.0, exact, notes_transposed=True
    )


def scalar_matrix() -> LayoutCase:
    """s(M) = M11 M23 + ½ Σ M_ij² at M = [[1, −1, 0.5], [2, 0, −0.5]]: ∂s/∂M is (2 × 3), M's shape (Def. 35)."""
    M = np.array([[1.0, -1.0, 0.5], [2.0, 0.0, -0.5]])
    exact = M.copy()
    exact[0, 0] += M[1, 2]
    exact[1, 2] += M[0, 0]
    direction = np.array([[1.0, 0.0, -1.0], [0.5, 2.0, 1.0]])
    return _case(lambda M: M[0, 0] * M[1, 2] + 0.5 * np.sum(M**2), M, direction, exact)


# --- 7.X.19 – 7.X.23: the derivatives a layer needs, on one layer z = Wᵀa + w0, a_out = sigmoid(z) ------

LAYER_A = np.array([1.0, -2.0, 0.5])  # A^{ℓ−1}: m = 3 inputs
LAYER_W = np.array([[0.2, -0.5], [0.4, 0.1], [-0.3, 0.8]])  # W^ℓ, shape (m, n) = (3, 2): n = 2 neurons
LAYER_W0 = np.array([0.1, -0.2])  # W_0^ℓ, shape (n,)
LAYER_Y = np.array([1.0, 0.0])  # target; loss L = Σ_k (a_k − y_k)², the package's squared loss


class Layer(NamedTuple):
    """One layer in the notes' convention, every derivative by finite differences in the notes' layout.

    Shapes (m = 3 inputs, n = 2 neurons): a_prev (m,); W (m, n); w0 (n,); z, a, y (n,); loss a float.
    dZ_dW_tensor: ∂z_i/∂W_jk as an array [i, j, k], shape (n, m, n) (a 3-tensor);
    dZ_dW_blocks: the notes' block matrix (7.128): blocks[i, k] = ∂z_i/∂W_k (column k of W), shape (n, n, m);
    dZ_dW_condensed: what is left after dropping the zero blocks and the repeats (7.130): shape (m,), = a_prev;
    dZ_dA: ∂z/∂a_prev, shape (m, n) (= W, 7.X.21); dA_dZ: ∂a/∂z, shape (n, n), diagonal (7.144);
    fprime: its diagonal, sigmoid′(z), shape (n,); dL_dA: 2(a − y), shape (n,);
    dL_dZ_matrix: dA_dZ @ dL_dA; dL_dZ_elementwise: fprime * dL_dA (same numbers, 7.146);
    broadcast: dA_dZ * dL_dA with the full diagonal matrix, shape (n, n): not the answer;
    dL_dW: a_prev (∂L/∂z)ᵀ, shape (m, n); dL_dW_numeric: the same by finite differences on L;
    dL_dw0: ∂L/∂z; dL_dA_prev: W ∂L/∂z, shape (m,);
    package_dW: the package's gradient for its W = notes' Wᵀ, shape (n, m); package_cost: its cost;
    Wta: Wᵀa without the bias, shape (n,); z_sum_to_n: Σ_{j=1}^{n} W_ji a_j (the notes' 7.121 limit): differs;
    line32_error: the message numpy gives for the pseudocode's A^{ℓ−1} * ∂L/∂Z^ℓ read as a matrix product
        (the pseudocode's ``*`` on that line), without a transpose: (m × 1) @ (n × 1) is undefined.
    """

    a_prev: np.ndarray
    W: np.ndarray
    w0: np.ndarray
    z: np.ndarray
    a: np.ndarray
    y: np.ndarray
    loss: float
    dZ_dW_tensor: np.ndarray
    dZ_dW_blocks: np.ndarray
    dZ_dW_condensed: np.ndarray
    dZ_dA: np.ndarray
    dA_dZ: np.ndarray
    fprime: np.ndarray
    dL_dA: np.ndarray
    dL_dZ_matrix: np.ndarray
    dL_dZ_elementwise: np.ndarray
    broadcast: np.ndarray
    dL_dW: np.ndarray
    dL_dW_numeric: np.ndarray
    dL_dw0: np.ndarray
    dL_dA_prev: np.ndarray
    package_dW: np.ndarray
    package_cost: float
    Wta: np.ndarray
    z_sum_to_n: np.ndarray
    line32_error: str


def layer() -> Layer:
    """The layer derivatives of 7.X.19–7.X.23 and the chain rule they build, checked against the package."""
    a_prev, W, w0, y = LAYER_A, LAYER_W, LAYER_W0, LAYER_Y
    m, n = W.shape
    z = W.T @ a_prev + w0
    a = sigmoid(z)
    loss = float(np.sum((a - y) ** 2))

    tensor = numerical_jacobian(lambda W_: W_.T @ a_prev + w0, W)  # [i, j, k] = ∂z_i/∂W_jk
    blocks = np.transpose(tensor, (0, 2, 1))  # [i, k, :] = ∂z_i/∂W_k
    condensed = blocks[np.arange(n), np.arange(n)][0]  # one diagonal block; every diagonal block is equal
    dZ_dA = numerical_jacobian(lambda a_: W.T @ a_ + w0, a_prev).T  # notes' layout: rows ↔ a_j
    dA_dZ = numerical_jacobian(sigmoid, z).T
    fprime = derivative("sigmoid", z)
    dL_dA = 2 * (a - y)
    dL_dZ = fprime * dL_dA

    def loss_of(W_):
        return float(np.sum((sigmoid(W_.T @ a_prev + w0) - y) ** 2))

    package_cost, grads = forward_backward(
        [(W.T, w0.reshape(-1, 1))], a_prev.reshape(-1, 1), y.reshape(-1, 1), activations=["sigmoid"], loss="squared"
    )
    try:
        a_prev.reshape(-1, 1) @ dL_dZ.reshape(-1, 1)
        line32_error = ""
    except ValueError as error:
        line32_error = str(error)
    return Layer(
        a_prev=a_prev,
        W=W,
        w0=w0,
        z=z,
        a=a,
        y=y,
        loss=loss,
        dZ_dW_tensor=tensor,
        dZ_dW_blocks=blocks,
        dZ_dW_condensed=condensed,
        dZ_dA=dZ_dA,
        dA_dZ=dA_dZ,
        fprime=fprime,
        dL_dA=dL_dA,
        dL_dZ_matrix=dA_dZ @ dL_dA,
        dL_dZ_elementwise=dL_dZ,
        broadcast=dA_dZ * dL_dA,
        dL_dW=np.outer(a_prev, dL_dZ),
        dL_dW_numeric=numerical_gradient(loss_of, W),
        dL_dw0=dL_dZ,
        dL_dA_prev=W @ dL_dZ,
        package_dW=grads[0][0],
        package_cost=package_cost,
        Wta=W.T @ a_prev,
        z_sum_to_n=np.array([sum(W[j, i] * a_prev[j] for j in range(n)) for i in range(n)]),
        line32_error=line32_error,
    )


# --- 7.6 training: SGD-NEURAL-NET on a small seeded dataset ------------------------------------------


def notes_order_gradients(params: Params, x, y, *, activations, loss: str, eta: float) -> Params:
    """The gradients SGD-NEURAL-NET uses when, as printed, it updates each layer inside the backward loop.

    The notes' lines 37–42 are indented under "for every layer in reversed order", so layer ℓ + 1 is updated
    before ∂L/∂A^ℓ is linked through W^{ℓ+1}: every layer below the last is linked through an already-updated
    weight matrix. Returns [(dW, db), ...] shaped like params; the step the notes take is W − η dW with these.
    x: shape (n_x, 1); y: shape (n_L, 1). Same fused last layer as ``sgd_step_gradients``.
    """
    params = [(W.copy(), b.copy()) for W, b in params]
    A, caches = x, []
    for (W, b), name in zip(params, activations):
        A, cache = layer_forward(A, W, b, name)
        caches.append(cache)
    if (activations[-1], loss) in FUSED_PAIRS:
        dZ = dZ_from_logits(loss, caches[-1].activation.Z, y, activations[-1])
    else:
        dZ = activation_backward(cost_gradient(loss, A, y), caches[-1].activation)
    grads: Params = []
    for layer in reversed(range(len(params))):
        if layer < len(params) - 1:
            W_next = params[layer + 1][0]  # already updated: the notes' ordering
            dZ = activation_backward(W_next.T @ dZ, caches[layer].activation)
        A_prev = caches[layer].dense.A_prev
        dW, db = dZ @ A_prev.T, dZ
        W, b = params[layer]
        params[layer] = (W - eta * dW, b - eta * db)  # lines 37–42, inside the loop
        grads.append((dW, db))
    grads.reverse()
    return grads


class Run(NamedTuple):
    """One SGD run. params: the trained [(W, b), ...]; initial: where it started; picks: the example index
    used at each step t = 1 … T, shape (T,); steps: the t at which the cost was recorded, shape (k,);
    costs: the cost on the whole dataset at those steps, costs[0] before any step."""

    params: Params
    initial: Params
    picks: np.ndarray
    steps: np.ndarray
    costs: np.ndarray


TRAIN_SEED = 6390  # the data
PICK_SEED = 6391  # the sequence of examples, shared by every run
INIT_SEED = 6392  # the Gaussian starting weights
TRAIN_N = 60
TRAIN_SIZES = (2, 6, 1)
TRAIN_T = 3000
TRAIN_ETA = 0.2
TRAIN_RECORD = 50
ETAS = (0.05, 0.1, 0.2, 0.4)  # step sizes at which the notes' ordering is compared with the gradient


def training_data(seed: int = TRAIN_SEED) -> tuple[np.ndarray, np.ndarray]:
    """X: shape (2, 60), uniform in [−1, 1]²; Y: shape (1, 60), 1 where x1 x2 > 0 (an XOR pattern)."""
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1.0, 1.0, size=(2, TRAIN_N))
    return X, (X[0] * X[1] > 0).astype(np.float64).reshape(1, -1)


def train(X, Y, params: Params, picks, *, hidden: str, eta: float = TRAIN_ETA, notes_order: bool = False) -> Run:
    """SGD on the examples ``picks`` in that order; the update after back-propagation (or, with
    ``notes_order``, inside it as the notes print it). The cost on all examples is recorded every 50 steps."""
    activations, loss = [hidden, "sigmoid"], "binary_cross_entropy"
    initial = [(W.copy(), b.copy()) for W, b in params]

    def cost(p):
        return forward_backward(p, X, Y, activations=activations, loss=loss)[0]

    steps, costs = [0], [cost(params)]
    for t, i in enumerate(picks, start=1):
        x, y = X[:, [i]], Y[:, [i]]
        if notes_order:
            grads = notes_order_gradients(params, x, y, activations=activations, loss=loss, eta=eta)
        else:
            grads = sgd_step_gradients(params, x, y, activations=activations, loss=loss)
        params = [(W - eta * dW, b - eta * db) for (W, b), (dW, db) in zip(params, grads)]
        if t % TRAIN_RECORD == 0:
            steps.append(t)
            costs.append(cost(params))
    return Run(params, initial, np.asarray(picks), np.array(steps), np.array(costs))


class Training(NamedTuple):
    """Four runs of SGD on the same data and the same sequence of examples ``picks``.

    X: shape (2, N) points in [−1, 1]²; Y: shape (1, N), 1 where x1 x2 > 0;
    gaussian: tanh hidden layer, Gaussian start, update after back-propagation (the correct order);
    notes_order: the same start, updating each layer inside the backward loop as the notes print it;
    zeros_tanh, zeros_sigmoid: all-zero starts with a tanh or a sigmoid hidden layer;
    base_cost: the cost of always predicting the fraction of positive labels (the best constant);
    accuracy: fraction of points the Gaussian-started network classifies correctly (threshold 0.5);
    zeros_tanh_max_weight: the largest |weight| of the zero-started tanh network after training (exactly 0);
    zeros_sigmoid_row_spread: the largest difference between two hidden units' incoming weights (exactly 0);
    first_true, first_notes: layer-1 dW of the first step, true and in the notes' ordering, shape (6, 2);
    first_error: their relative error; first_error_last: the same for the last layer (0: it is computed first);
    etas: step sizes, shape (4,); eta_errors: the relative error of layer 1's dW on the first step in the notes'
    order for each; eta_ratios: eta_errors / etas, nearly constant: the error is proportional to η.
    """

    X: np.ndarray
    Y: np.ndarray
    picks: np.ndarray
    gaussian: Run
    notes_order: Run
    zeros_tanh: Run
    zeros_sigmoid: Run
    base_cost: float
    accuracy: float
    zeros_tanh_max_weight: float
    zeros_sigmoid_row_spread: float
    first_true: np.ndarray
    first_notes: np.ndarray
    first_error: float
    first_error_last: float
    etas: np.ndarray
    eta_errors: np.ndarray
    eta_ratios: np.ndarray


def training(seed: int = TRAIN_SEED) -> Training:
    """Train a 2-6-1 network (hidden tanh or sigmoid, sigmoid output, binary cross-entropy) with SGD."""
    X, Y = training_data(seed)
    picks = np.random.default_rng(PICK_SEED).integers(TRAIN_N, size=TRAIN_T)
    start = init_gaussian(TRAIN_SIZES, np.random.default_rng(INIT_SEED))
    gaussian = train(X, Y, start, picks, hidden="tanh")
    notes = train(X, Y, start, picks, hidden="tanh", notes_order=True)
    zeros_tanh = train(X, Y, init_zeros(TRAIN_SIZES), picks, hidden="tanh")
    zeros_sigmoid = train(X, Y, init_zeros(TRAIN_SIZES), picks, hidden="sigmoid")
    p = float(np.mean(Y))
    base_cost = -(p * np.log(p) + (1 - p) * np.log(1 - p))
    (W1, b1), (W2, b2) = gaussian.params
    prediction = sigmoid(W2 @ np.tanh(W1 @ X + b1) + b2) > 0.5
    W1_sig = zeros_sigmoid.params[0][0]
    x, y = X[:, [picks[0]]], Y[:, [picks[0]]]
    kwargs = {"activations": ["tanh", "sigmoid"], "loss": "binary_cross_entropy"}
    true = sgd_step_gradients(start, x, y, **kwargs)
    noted = notes_order_gradients(start, x, y, eta=TRAIN_ETA, **kwargs)
    eta_errors = np.array(
        [relative_error(notes_order_gradients(start, x, y, eta=eta, **kwargs)[0][0], true[0][0]) for eta in ETAS]
    )
    return Training(
        X=X,
        Y=Y,
        picks=picks,
        gaussian=gaussian,
        notes_order=notes,
        zeros_tanh=zeros_tanh,
        zeros_sigmoid=zeros_sigmoid,
        base_cost=float(base_cost),
        accuracy=float(np.mean(prediction == (Y > 0.5))),
        zeros_tanh_max_weight=float(max(np.max(np.abs(W)) for W, _ in zeros_tanh.params)),
        zeros_sigmoid_row_spread=float(np.max(W1_sig.max(axis=0) - W1_sig.min(axis=0))),
        first_true=true[0][0],
        first_notes=noted[0][0],
        first_error=float(relative_error(noted[0][0], true[0][0])),
        first_error_last=float(relative_error(noted[1][0], true[1][0])),
        etas=np.array(ETAS),
        eta_errors=eta_errors,
        eta_ratios=eta_errors / np.array(ETAS),
    )


class DirectDZ(NamedTuple):
    """Concept 50 on one sigmoid output with binary cross-entropy: ∂L/∂z two ways (all floats).

    z, y: the pre-activation and the label; a = sigmoid(z); dL_da = −y/a + (1 − y)/(1 − a);
    da_dz = a(1 − a); chained = dL_da · da_dz; direct = a − y (the same number, in one step).
    """

    z: float
    y: float
    a: float
    dL_da: float
    da_dz: float
    chained: float
    direct: float


def direct_dz(z: float = 0.8, y: float = 1.0) -> DirectDZ:
    """∂L/∂z for L = −[y log a + (1 − y) log(1 − a)], a = sigmoid(z): through ∂L/∂a, and directly."""
    a = float(sigmoid(np.array(z)))
    dL_da = -y / a + (1 - y) / (1 - a)
    da_dz = a * (1 - a)
    return DirectDZ(z=z, y=y, a=a, dL_da=dL_da, da_dz=da_dz, chained=dL_da * da_dz, direct=a - y)


def training_page() -> dict:
    """Every value the training page binds, by name (init_scale: the default scale of
    ``snippets.network.init_params``, which the page quotes)."""
    scale = inspect.signature(network.init_params).parameters["scale"].default
    return {"run": training(), "direct": direct_dz(), "eta": TRAIN_ETA, "init_scale": scale}


# --- 7.X.16 and Concept 37: counting axes -----------------------------------------------------------


class Axes(NamedTuple):
    """The axis counts 7.X.16 and Concept 37 print, each read off an array's ``ndim``.

    scalar, vector, matrix: the axes of s, v and M themselves (0, 1, 2, Definition 36);
    ds_dv, dv_ds, dw_dv, dM_ds, ds_dM: the axes of the five derivatives of 7.X.4–7.X.15 (1, 1, 2, 2, 2),
    from the finite-difference derivative with the input's axes first (``LayoutCase.full``);
    vector_matrix, matrix_vector, matrix_matrix: the derivatives 7.110 rules out (3, 3, 4): too many for a
    matrix. Every count equals Axes(output) + Axes(input) (7.111).
    """

    scalar: int
    vector: int
    matrix: int
    ds_dv: int
    dv_ds: int
    dw_dv: int
    dM_ds: int
    ds_dM: int
    vector_matrix: int
    matrix_vector: int
    matrix_matrix: int


def axes() -> Axes:
    """Count the axes of the objects and derivatives of 7.X.16, on the examples of this module."""
    L = layer()
    a, W = L.a_prev, L.W
    return Axes(
        scalar=np.ndim(scalar_vector().y),
        vector=np.ndim(a),
        matrix=np.ndim(W),
        ds_dv=scalar_vector().full.ndim,
        dv_ds=vector_scalar().full.ndim,
        dw_dv=vector_vector().full.ndim,
        dM_ds=matrix_scalar().full.ndim,
        ds_dM=scalar_matrix().full.ndim,
        vector_matrix=numerical_jacobian(lambda M: M.T @ a, W).ndim,  # ∂z/∂W
        matrix_vector=numerical_jacobian(lambda v: np.outer(v, v), a).ndim,  # ∂(v vᵀ)/∂v
        matrix_matrix=numerical_jacobian(lambda M: 2 * M, W).ndim,
    )


def matrix_derivatives() -> dict:
    """Every value the matrix-derivatives page binds, by name."""
    return {
        "intro": intro(),
        "two": two_movements(),
        "planar": planar_square(),
        "sv": scalar_vector(),
        "vs": vector_scalar(),
        "vv": vector_vector(),
        "ms": matrix_scalar(),
        "sm": scalar_matrix(),
        "layer": layer(),
        "axes": axes(),
    }



# --- figures (SVG, drawn at build time) ------------------------------------------------------------------


def _figure(draw: Callable, size=(6.4, 3.6)):
    """A new pyplot figure with draw(ax) done on it (in 9-point type); `plt.show()` displays it."""
    import matplotlib
    import matplotlib.pyplot as plt

    with matplotlib.rc_context({"font.size": 9}):
        fig, ax = plt.subplots(figsize=size)
        draw(ax)
        fig.tight_layout()
    return fig


def first_order_figure():
    """Log-log plot: the error of the first-order rule against the step size, for the five cases and x²."""
    cases = {"∂s/∂v": scalar_vector(), "∂w/∂s": vector_scalar(), "∂w/∂v": vector_vector(),
             "∂M/∂s": matrix_scalar(), "∂s/∂M": scalar_matrix()}
    p = planar_square()

    def draw(ax):
        for (label, c), marker in zip(cases.items(), "osD^v"):
            ax.loglog(c.steps, c.error, marker=marker, label=label)
        ax.loglog(p.steps, p.error, "k--", marker="x", label="x² at 1 (error = h²)")
        ax.set_xlabel("step size t (Δinput = t · direction)")
        ax.set_ylabel("max |actual change − first-order prediction|")
        ax.set_title("The first-order rule: error shrinks like t²")
        ax.legend(fontsize=8)
        ax.grid(True, which="major", alpha=0.3)

    return _figure(draw)
