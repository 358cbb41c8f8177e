"""Gradient checking: compare an analytic gradient with finite differences.

Nudge one entry of x by a small h, see how much f changes, divide by h — for every entry.
That is slow (two evaluations of f per entry) but needs no calculus, so it catches mistakes
in a hand-written backward pass.

* central (two-sided): (f(x + h) - f(x - h)) / 2h, error O(h²);
* forward (one-sided): (f(x + h) - f(x)) / h,      error O(h).

Smaller h is not always better: f is only known to about 1e-16 relative, and dividing that
round-off by h makes it grow as h shrinks. h = 1e-6 with central differences is a good
compromise in float64.

Why every check here runs in float64, whatever the dtype of the caller's arrays: the error of a
central difference is about h² (the formula) plus ε/h (round-off of f, divided by the step). In
float64, ε ≈ 1e-16, so h = 1e-6 gives 1e-12 + 1e-10: ten good digits. In float32, ε ≈ 6e-8: the
same h gives a round-off error of about 0.06, and no h brings the total below about 1e-5 (at
h ≈ 4e-3, where h² and ε/h meet), too coarse to tell a right gradient from a slightly wrong one.
So the inputs are converted to float64 copies, and a float32 network is checked in float64.
"""

from collections.abc import Callable, Sequence

import numpy as np

from snippets import _validate
from snippets.network import forward_backward

_METHODS = ("central", "forward")


def _scalar(f_value) -> float:
    value = np.asarray(f_value, dtype=np.float64)
    if value.size != 1:
        raise ValueError(f"f: expected a function returning one number, got an array of shape {value.shape}")
    return float(value.reshape(()))


def numerical_gradient(f: Callable[[np.ndarray], float], x, *, h: float = 1e-6, method: str = "central") -> np.ndarray:
    """Finite-difference gradient of a scalar function f at x; returns an array shaped like x.

    f: takes an array shaped like x and returns a number. The caller's x is never changed:
    the nudges are made on a float64 copy (float64 even for a float32 x, see the module's
    docstring), and each entry is restored before the next one.
    """
    h = _validate.check_positive("h", h)
    _validate.check_choice("method", method, _METHODS)
    x = _validate.as_array("x", x).astype(np.float64)  # a copy, in float64
    grad = np.zeros_like(x)
    f_x = _scalar(f(x.copy())) if method == "forward" else None
    for index in np.ndindex(x.shape):
        original = x[index]
        x[index] = original + h
        f_plus = _scalar(f(x.copy()))
        x_plus = x[index]
        if method == "central":
            x[index] = original - h
            f_minus = _scalar(f(x.copy()))
            # Divide by the step actually taken: x ± h is rounded, so it can differ from 2h.
            grad[index] = (f_plus - f_minus) / (x_plus - x[index])
        else:
            grad[index] = (f_plus - f_x) / (x_plus - original)
        x[index] = original
    return grad


def numerical_jacobian(f: Callable[[np.ndarray], np.ndarray], x, *, h: float = 1e-6) -> np.ndarray:
    """Central-difference Jacobian of an array-valued f at x.

    Returns J of shape f(x).shape + x.shape, with J[i..., j...] = ∂f(x)[i...] / ∂x[j...].
    For f: (n,) → (n,) that is the usual n × n matrix, row i holding the gradient of output i.
    x is nudged in a float64 copy, like in numerical_gradient.
    """
    h = _validate.check_positive("h", h)
    x = _validate.as_array("x", x).astype(np.float64)  # a copy, in float64
    out_shape = np.shape(f(x.copy()))
    J = np.zeros(out_shape + x.shape)
    for index in np.ndindex(x.shape):
        original = x[index]
        x[index] = original + h
        f_plus = np.asarray(f(x.copy()), dtype=np.float64)
        x_plus = x[index]
        x[index] = original - h
        f_minus = np.asarray(f(x.copy()), dtype=np.float64)
        J[(Ellipsis,) + index] = (f_plus - f_minus) / (x_plus - x[index])
        x[index] = original
    return J


def relative_error(analytic, numeric) -> float:
    """max |a - n| / max(|a| + |n|) over all entries: one number for the whole array.

    Scaling by the largest entry (not entry by entry) keeps round-off in entries that are
    almost 0 from looking like a large error. If both arrays are all zeros the error is 0.

    Rough guide (CS231n), in float64 with central differences:
    < 1e-7 good; 1e-7 to 1e-4 suspicious; > 1e-2 the gradient is almost surely wrong.
    Kinks spoil the comparison: if a nudge of ±h crosses the kink of relu at 0, of |x| at 0
    or the jump of step, the finite difference measures a slope that is not there.
    """
    a = _validate.as_array("analytic", analytic).astype(np.float64, copy=False)
    n = _validate.as_array("numeric", numeric).astype(np.float64, copy=False)
    _validate.check_same_shape("numeric", n, "analytic", a)
    if a.size == 0:
        return 0.0
    tiny = np.finfo(np.float64).tiny  # avoids 0 / 0 when both gradients are exactly 0
    return float(np.max(np.abs(a - n)) / max(float(np.max(np.abs(a) + np.abs(n))), tiny))


def check_network_gradients(
    params: Sequence[tuple[np.ndarray, np.ndarray]],
    X,
    Y,
    *,
    activations: Sequence[str],
    loss: str,
    h: float = 1e-6,
) -> float:
    """Largest relative error between forward_backward's grads and central differences.

    Every entry of every W and b is nudged in turn and the cost recomputed; the relative error
    is computed per array (each W, each b) and the largest is returned. Params, X and Y are
    converted to float64 first (see the module's docstring): a float32 network is checked in
    float64, which is the mathematics its float32 run approximates.
    """
    forward_backward(params, X, Y, activations=activations, loss=loss)  # any bad input: its clear error
    params = [(np.asarray(W, dtype=np.float64), np.asarray(b, dtype=np.float64)) for W, b in params]
    X, Y = np.asarray(X, dtype=np.float64), np.asarray(Y, dtype=np.float64)
    _, grads = forward_backward(params, X, Y, activations=activations, loss=loss)
    worst = 0.0
    for layer, (W, b) in enumerate(params):
        for position, (array, grad) in enumerate(((W, grads[layer][0]), (b, grads[layer][1]))):

            def cost_with(value, layer=layer, position=position):
                changed = list(params)
                pair = list(changed[layer])
                pair[position] = value
                changed[layer] = tuple(pair)
                return forward_backward(changed, X, Y, activations=activations, loss=loss)[0]

            numeric = numerical_gradient(cost_with, array, h=h)
            worst = max(worst, relative_error(grad, numeric))
    return worst
