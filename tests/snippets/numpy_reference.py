"""An independent reference for the package's numbers, written for the tests only.

Plain numpy, written from the formulas rather than from the package's code: the textbook sigmoid
with both branches evaluated, the softmax backward pass through the explicit n × n Jacobian of each
column, the fused log losses through max(-z, 0) + log1p(e^-|z|) instead of np.logaddexp. It makes
no checks and computes in the dtype it is given. Warnings are silenced here (and only here): a
reference that overflows just returns inf or nan, which the tests treat as "no reference value".
"""

import numpy as np

FUSED = {("softmax", "cross_entropy"), ("sigmoid", "binary_cross_entropy"), ("sigmoid", "multilabel")}


def activation(name, Z):
    with np.errstate(all="ignore"):
        if name == "identity":
            return Z.copy()
        if name == "step":
            return np.where(Z > 0, 1, 0).astype(Z.dtype)
        if name == "relu":
            return np.where(Z > 0, Z, 0).astype(Z.dtype)
        if name == "sigmoid":
            return np.where(Z >= 0, 1 / (1 + np.exp(-Z)), np.exp(Z) / (1 + np.exp(Z))).astype(Z.dtype)
        if name == "tanh":
            return np.tanh(Z)
        if name == "softmax":
            e = np.exp(Z - Z.max(axis=0))
            return e / e.sum(axis=0)
    raise AssertionError(name)


def activation_backward(name, Z, A, dA):
    """dZ from dA; softmax column by column through its Jacobian diag(a) - a aᵀ."""
    with np.errstate(all="ignore"):
        if name == "softmax":
            dZ = np.empty_like(dA)
            for j in range(A.shape[1]):
                a = A[:, j]
                dZ[:, j] = (np.diag(a) - np.outer(a, a)) @ dA[:, j]
            return dZ
        slope = {
            "identity": np.ones_like(Z),
            "step": np.zeros_like(Z),
            "relu": np.where(Z > 0, 1, 0).astype(Z.dtype),
            "sigmoid": A * (1 - A),
            "tanh": 1 - A * A,
        }[name]
        return slope * dA


def _y_times(values, Y):
    """Y * values with the Y = 0 terms exactly 0 (the limit of y log a as y → 0)."""
    return np.where(Y == 0, 0, Y * values)


def losses(name, A, Y):
    """Per-example losses, shape (m,)."""
    with np.errstate(all="ignore"):
        if name == "squared":
            return ((A - Y) ** 2).sum(axis=0)
        if name == "absolute":
            return np.abs(A - Y).sum(axis=0)
        if name == "cross_entropy":
            return -_y_times(np.log(A), Y).sum(axis=0)
        return -(_y_times(np.log(A), Y) + _y_times(np.log(1 - A), 1 - Y)).sum(axis=0)


def cost_gradient(name, A, Y):
    m = A.shape[1]
    with np.errstate(all="ignore"):
        if name == "squared":
            return 2 * (A - Y) / m
        if name == "absolute":
            return np.sign(A - Y) / m
        if name == "cross_entropy":
            return -_y_times(1 / A, Y) / m
        return (_y_times(1 / (1 - A), 1 - Y) - _y_times(1 / A, Y)) / m


def _softplus(z):
    """log(1 + e^z) = max(z, 0) + log1p(e^-|z|), finite for every finite z."""
    return np.maximum(z, 0) + np.log1p(np.exp(-np.abs(z)))


def cost_from_logits(name, Z, Y, last):
    with np.errstate(all="ignore"):
        if last == "softmax":
            shifted = Z - Z.max(axis=0)  # log-softmax as shifted - log Σ exp(shifted): adding the shift back
            log_softmax = shifted - np.log(np.exp(shifted).sum(axis=0))  # would absorb log Σ when |Z| ~ 1e150
            per_example = -(Y * log_softmax).sum(axis=0)
        else:  # -log σ(z) = softplus(-z), -log(1 - σ(z)) = softplus(z)
            per_example = (Y * _softplus(-Z) + (1 - Y) * _softplus(Z)).sum(axis=0)
        return float(per_example.mean())


def forward_backward(params, X, Y, activations, loss):
    """(cost, [(dW, db), ...]) for the network, in the dtype of the arrays given."""
    with np.errstate(all="ignore"):
        inputs, Zs, As = [], [], []
        A = X
        for (W, b), name in zip(params, activations):
            inputs.append(A)
            Zs.append(W @ A + b)
            A = activation(name, Zs[-1])
            As.append(A)
        m = X.shape[1]
        if (activations[-1], loss) in FUSED:
            total = cost_from_logits(loss, Zs[-1], Y, activations[-1])
            dZ = (A - Y) / m
        else:
            total = float(losses(loss, A, Y).mean())
            dZ = activation_backward(activations[-1], Zs[-1], A, cost_gradient(loss, A, Y))
        grads = [None] * len(params)
        for i in reversed(range(len(params))):
            W = params[i][0]
            grads[i] = (dZ @ inputs[i].T, dZ.sum(axis=1, keepdims=True))
            if i > 0:
                dZ = activation_backward(activations[i - 1], Zs[i - 1], As[i - 1], W.T @ dZ)
        return total, grads


def close(actual, expected, rtol, floor=0.0):
    """True if every entry is within rtol × the largest entry of ``expected`` (or × ``floor`` if that
    is larger: a gradient that is 0 in exact arithmetic comes out as round-off of either sign)."""
    actual, expected = np.asarray(actual, dtype=np.float64), np.asarray(expected, dtype=np.float64)
    scale = max(float(np.max(np.abs(expected), initial=0.0)), floor, np.finfo(np.float64).tiny)
    return actual.shape == expected.shape and bool(np.all(np.abs(actual - expected) <= rtol * scale))
