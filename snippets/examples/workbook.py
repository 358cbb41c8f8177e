"""Backprop Workbook 01 (backprop to the output layer), computed in the workbook's own convention.

The workbook writes one example as a row vector and multiplies weights on the right:

    z1 = x  W1 + b1,   h1 = relu(z1)        x: (1024,)   W1: (1024, 512)   b1: (512,)
    z2 = h1 W2 + b2,   h2 = relu(z2)                     W2: (512, 256)    b2: (256,)
    z3 = h2 W3 + b3,   h3 = softmax(z3)                  W3: (256, 10)     b3: (10,)
    CE(h3, y) = -Σ_i y_i log h3_i           y: (10,), one-hot at the true class y*

so z3_j = Σ_k h2_k W3[k, j] + b3_j. The workbook does not name the hidden activations; ReLU is used
here (it also produces the exact zeros of h2 that one of its questions asks about).

The package (snippets.layers, snippets.network) keeps examples as columns: a layer's W is
(n_out, n_in) and z = W h + b with b of shape (n_out, 1). Going from one to the other is a transpose:
W_package = W_workbook.T and b_package = b_workbook[:, None]; ``to_package`` does it.
"""

from typing import NamedTuple

import numpy as np

from snippets.activations import relu, softmax

SIZES = (1024, 512, 256, 10)  # input, first hidden layer, second hidden layer, classes


# --- the calculus warm-ups ------------------------------------------------------------------


class Derivative(NamedTuple):
    """A function of one variable and the derivative the workbook gives for it."""

    question: str
    f: object  # callable float -> float
    claimed: object  # callable float -> float, the workbook's answer


CALCULUS = (
    Derivative("1. d/dx log x = 1/x", np.log, lambda x: 1 / x),
    Derivative("2. d/dx e^x = e^x", np.exp, np.exp),
    Derivative("3. d/dx e^(x^2) = 2x e^(x^2)", lambda x: np.exp(x**2), lambda x: 2 * x * np.exp(x**2)),
    Derivative("4. d/dx log(x^2) = 2/x", lambda x: np.log(x**2), lambda x: 2 / x),
    Derivative("5. d/dx 2 log x = 2/x", lambda x: 2 * np.log(x), lambda x: 2 / x),
)

SAMPLE_POINTS = (0.5, 1.3, 2.0)  # where the warm-up answers are checked (x > 0, where log x exists)


def log_rules(a: float = 2.5, b: float = 0.7) -> dict[str, tuple[float, float]]:
    """Question 6: each log rule as (left side, right side) at a sample a, b > 0."""
    return {
        "log ab = log a + log b": (np.log(a * b), np.log(a) + np.log(b)),
        "log a^b = b log a": (np.log(a**b), b * np.log(a)),
        "log a/b = log a - log b": (np.log(a / b), np.log(a) - np.log(b)),
    }


def chain_rule(f, f_prime, g, g_prime):
    """Question 7: the derivative of x -> f(g(x)) is x -> f'(g(x)) g'(x)."""
    return lambda x: f_prime(g(x)) * g_prime(x)


def product(x: np.ndarray) -> float:
    """The workbook's example f(x1, x2) = x1 x2; x: shape (2,)."""
    return float(x[0] * x[1])


def product_gradient(x: np.ndarray) -> np.ndarray:
    """∇f = (∂f/∂x1, ∂f/∂x2) = (x2, x1); shape (2,)."""
    return np.array([x[1], x[0]], dtype=np.float64)


# --- the network, row-vector convention -----------------------------------------------------


class Network(NamedTuple):
    """One example through the 1024-512-256-10 network, with every intermediate value (1-D rows)."""

    x: np.ndarray  # (1024,)
    y: np.ndarray  # (10,), one-hot
    y_star: int  # the true class
    W1: np.ndarray  # (1024, 512)
    b1: np.ndarray  # (512,)
    W2: np.ndarray  # (512, 256)
    b2: np.ndarray  # (256,)
    W3: np.ndarray  # (256, 10)
    b3: np.ndarray  # (10,)
    z1: np.ndarray  # (512,)
    h1: np.ndarray  # (512,)
    z2: np.ndarray  # (256,)
    h2: np.ndarray  # (256,)
    z3: np.ndarray  # (10,)
    h3: np.ndarray  # (10,)
    ce: float


def cross_entropy(h3: np.ndarray, y: np.ndarray) -> float:
    """CE(h3, y) = -Σ_i y_i log h3_i; h3, y: shape (10,). Terms with y_i = 0 count 0 (0 · log h is 0)."""
    support = y != 0
    return float(-np.sum(y[support] * np.log(h3[support])))


def ce_of_z3(z3: np.ndarray, y: np.ndarray) -> float:
    """The loss as a function of z3 alone (question z3.4): -z3_{y*} + log Σ_j exp(z3_j).

    The log-sum-exp is shifted by max z3 so that exp cannot overflow; y: one-hot, shape (10,).
    """
    top = np.max(z3)
    return float(-np.dot(y, z3) + top + np.log(np.sum(np.exp(z3 - top))))


def ce_of_W3(W3: np.ndarray, net: Network) -> float:
    """The loss as a function of W3 alone, the rest of the network fixed; W3: (256, 10)."""
    return ce_of_z3(net.h2 @ W3 + net.b3, net.y)


def ce_of_b3(b3: np.ndarray, net: Network) -> float:
    """The loss as a function of b3 alone; b3: (10,)."""
    return ce_of_z3(net.h2 @ net.W3 + b3, net.y)


def make_network(seed: int = 0, y_star: int = 3) -> Network:
    """Seeded random weights (He scale sqrt(2 / n_in)), small random biases, a random input x.

    Everything is float64 and drawn from np.random.default_rng(seed).
    """
    rng = np.random.default_rng(seed)
    weights = []
    for n_in, n_out in zip(SIZES[:-1], SIZES[1:]):
        W = rng.standard_normal((n_in, n_out)) * np.sqrt(2.0 / n_in)
        b = 0.1 * rng.standard_normal(n_out)
        weights += [W, b]
    W1, b1, W2, b2, W3, b3 = weights
    x = rng.standard_normal(SIZES[0])
    y = np.zeros(SIZES[-1])
    y[y_star] = 1.0
    z1 = x @ W1 + b1
    h1 = relu(z1)
    z2 = h1 @ W2 + b2
    h2 = relu(z2)
    z3 = h2 @ W3 + b3
    h3 = softmax(z3)
    return Network(x, y, y_star, W1, b1, W2, b2, W3, b3, z1, h1, z2, h2, z3, h3, cross_entropy(h3, y))


# --- backprop to z3, step by step (the workbook's section "Backpropagation to z3") ------------


class ZSteps(NamedTuple):
    """Each intermediate formula of the derivation of ∇z3 CE, evaluated. Vectors have shape (10,)."""

    ce_dot: float  # Q1: -(log h3) · y, the cross-entropy
    ce_expanded: float  # Q1: -log Σ_i y_i exp(z3_i) / Σ_j exp(z3_j), the workbook's expansion
    ce_one_term: float  # Q2: -log( exp(z3_{y*}) / Σ_j exp(z3_j) )
    ce_difference: float  # Q4: -z3_{y*} + log Σ_j exp(z3_j)
    first_term_grad: np.ndarray  # Q5: ∂(-z3_{y*})/∂z3_i: -1 at y*, 0 elsewhere
    sum_exp: float  # S = Σ_j exp(z3_j)
    dsum_exp: np.ndarray  # Q8: ∂S/∂z3_i = exp(z3_i)
    second_term_grad: np.ndarray  # Q7-Q9: (1/S) ∂S/∂z3_i = exp(z3_i)/S = h3_i
    grad_z3: np.ndarray  # Q11-Q12: first + second = h3 - y


def z3_steps(net: Network) -> ZSteps:
    z3, y, s = net.z3, net.y, net.y_star
    S = float(np.sum(np.exp(z3)))  # z3 is small here (|z3| < 20), so exp does not overflow
    dS = np.exp(z3)
    first = 0.0 - y  # derivative of -z3_{y*} = -Σ_i y_i z3_i (0.0 - y: no negative zeros)
    second = dS / S
    return ZSteps(
        ce_dot=float(-np.log(net.h3) @ y),
        ce_expanded=float(-np.log(np.sum(y * np.exp(z3) / S))),
        ce_one_term=float(-np.log(np.exp(z3[s]) / S)),
        ce_difference=float(-z3[s] + np.log(S)),
        first_term_grad=first,
        sum_exp=S,
        dsum_exp=dS,
        second_term_grad=second,
        grad_z3=first + second,
    )


# --- backprop to W3 and b3 --------------------------------------------------------------------


class OutputGrads(NamedTuple):
    """Gradients of CE at the output layer, workbook convention."""

    grad_z3: np.ndarray  # (10,)   h3 - y
    grad_W3: np.ndarray  # (256, 10)   outer(h2, h3 - y)
    grad_W3_entrywise: np.ndarray  # (256, 10)   h2_i (h3 - y)_j, one entry at a time (W3 Q10)
    grad_b3: np.ndarray  # (10,)   ∂z3_j/∂b3_j · (h3 - y)_j = (h3 - y)_j
    zero_rows: np.ndarray  # indices i with h2_i = 0 (ReLU switched off)


def output_grads(net: Network) -> OutputGrads:
    delta = net.h3 - net.y
    entrywise = np.empty((SIZES[2], SIZES[3]))
    for i in range(SIZES[2]):
        for j in range(SIZES[3]):
            entrywise[i, j] = net.h2[i] * delta[j]
    return OutputGrads(
        grad_z3=delta,
        grad_W3=np.outer(net.h2, delta),
        grad_W3_entrywise=entrywise,
        grad_b3=1.0 * delta,
        zero_rows=np.flatnonzero(net.h2 == 0),
    )


# --- the translation to the package's column convention ----------------------------------------


def to_package(net: Network) -> tuple[list[tuple[np.ndarray, np.ndarray]], np.ndarray, np.ndarray]:
    """(params, X, Y) for snippets.network: W (n_out, n_in) = W_workbook.T, b (n_out, 1), X (1024, 1), Y (10, 1)."""
    params = [(W.T.copy(), b[:, None].copy()) for W, b in ((net.W1, net.b1), (net.W2, net.b2), (net.W3, net.b3))]
    return params, net.x[:, None].copy(), net.y[:, None].copy()


# --- erratum evidence: the log must stay inside the sum --------------------------------------


def soft_label_example() -> dict[str, np.ndarray | float]:
    """CE = -Σ y_i log h_i versus the workbook's -log Σ y_i h_i, for a soft and a one-hot label.

    h: a softmax output over 3 classes. They agree exactly when h is constant on the support of y (Jensen's
    inequality for the strictly concave log): always for a one-hot y ("one_hot"), and for the soft label "tied"
    with the prediction "tied_h", but not for "soft".
    """
    h = np.array([0.2, 0.5, 0.3])
    soft = np.array([0.1, 0.6, 0.3])
    one_hot = np.array([0.0, 1.0, 0.0])
    tied, tied_h = np.array([0.5, 0.5, 0.0]), np.array([0.3, 0.3, 0.4])
    return {
        "tied": tied,
        "tied_h": tied_h,
        "tied_true": cross_entropy(tied_h, tied),
        "tied_workbook": float(-np.log(np.sum(tied * tied_h))),
        "h": h,
        "soft": soft,
        "one_hot": one_hot,
        "soft_true": float(-np.sum(soft * np.log(h))),
        "soft_workbook": float(-np.log(np.sum(soft * h))),
        "one_hot_true": float(-np.sum(one_hot * np.log(h))),
        "one_hot_workbook": float(-np.log(np.sum(one_hot * h))),
    }


# --- everything a page or a test quotes --------------------------------------------------------


class Workbook(NamedTuple):
    net: Network
    steps: ZSteps
    grads: OutputGrads
    grad_W3_shape: tuple[int, int]
    grad_z3_shape: tuple[int]
    grad_b3_shape: tuple[int]
    soft: dict
    dz3_dW3: float  # ∂z3_j/∂W3_ij = h2_i for a sample (i, j) with h2_i > 0, divided by h2_i: 1
    dz3_db3: float  # ∂z3_j/∂b3_j = 1
    constants: dict  # the other constants the workbook prints, each measured (see ``workbook``)


def workbook(seed: int = 0) -> Workbook:
    """Everything the workbook prints, computed on the seeded network (true class 3)."""
    net = make_network(seed)
    grads = output_grads(net)
    steps = z3_steps(net)
    i = int(np.flatnonzero(net.h2 > 0)[0])
    j = 0
    s = net.y_star
    # W3 Q4: an upstream gradient with a zero at column 4 gives a zero column of ∇W3 (outer product)
    planted = grads.grad_z3.copy()
    planted[4] = 0.0
    x0 = 1.3
    point = np.array([3.0, -2.0])
    constants = {
        # Calculus Q3: d/dx e^(x²) = 2x e^(x²): the factor 2, measured at x0
        "q3_factor": float(_slope(lambda x: np.exp(x**2), x0) / (x0 * np.exp(x0**2))),
        # Calculus Q4/Q5: d/dx log(x²) = 2/x: the numerator 2, measured at x0
        "q4_numerator": float(_slope(lambda x: np.log(x**2), x0) * x0),
        # Calculus Q5: log x² = 2 log x: the factor 2, as the ratio of the two logs at x0
        "q5_log_factor": float(np.log(x0**2) / np.log(x0)),
        # Calculus Q6: a/b = a b^(-1): the exponent p with log(a/b) = log a + p log b, at a = 2.5, b = 0.7
        "q6_quotient_exponent": float((np.log(2.5 / 0.7) - np.log(2.5)) / np.log(0.7)),
        # Concept Q0: f(x1, x2) = x1 x2 has "two derivatives you can take": the variables f responds to, each
        # found by nudging one coordinate of a sample point
        "concept0_partials": int(np.count_nonzero([_slope(lambda s: product(point + s * e), 0.0)
                                                    for e in np.eye(point.size)])),
        # z3 Q11: the partial at i = y* is -1.0 + h3_i
        "q11_offset": float(steps.grad_z3[s] - net.h3[s]),
        # z3 Q12: 1.0 is subtracted from exactly one entry of h3
        "q12_subtracted": float(net.h3[s] - steps.grad_z3[s]),
        "q12_entries_changed": int(np.count_nonzero(grads.grad_z3 != net.h3)),
        # the upper index of the workbook's sums over classes, Σ_{i=0}^{9}: classes − 1, counting from 0
        "last_class_index": int(net.h3.shape[0] - 1),
        # W3 Q4 and Q5: the zero column and the zero rows
        "zero_column_max": float(np.max(np.abs(np.outer(net.h2, planted)[:, 4]))),
        "zero_rows_max": float(np.max(np.abs(grads.grad_W3[grads.zero_rows]))),
    }
    return Workbook(
        net=net,
        steps=steps,
        grads=grads,
        grad_W3_shape=grads.grad_W3.shape,
        grad_z3_shape=grads.grad_z3.shape,
        grad_b3_shape=grads.grad_b3.shape,
        soft=soft_label_example(),
        dz3_dW3=float(_slope(lambda w: _z3_with_weight(net, i, j, w)[j], net.W3[i, j]) / net.h2[i]),
        dz3_db3=float(_slope(lambda c: (net.h2 @ net.W3 + _replace(net.b3, j, c))[j], net.b3[j])),
        constants=constants,
    )


def _replace(v: np.ndarray, j: int, value: float) -> np.ndarray:
    out = v.copy()
    out[j] = value
    return out


def _z3_with_weight(net: Network, i: int, j: int, value: float) -> np.ndarray:
    W3 = net.W3.copy()
    W3[i, j] = value
    return net.h2 @ W3 + net.b3


def _slope(f, x0: float, h: float = 1e-6) -> float:
    """Central difference (f(x0 + h) - f(x0 - h)) / 2h of a scalar function."""
    return (f(x0 + h) - f(x0 - h)) / (2 * h)
