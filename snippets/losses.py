"""Loss functions, the cost of a batch, and the gradient of the cost.

A: network outputs, shape (n, m); Y: targets, same shape; one column per example.
The per-example loss sums over the n rows; the cost is the mean of the m per-example losses,
so ``cost_gradient`` carries the factor 1/m.

* ``squared``:              Σ_k (a_k - y_k)²                      (no ½)
* ``absolute``:             Σ_k |a_k - y_k|                       gradient sign(a - y), 0 at a = y
* ``binary_cross_entropy``: -Σ_k [y_k log a_k + (1 - y_k) log(1 - a_k)],  y in [0, 1]
* ``cross_entropy``:        -Σ_k y_k log a_k,                      Y one-hot per column
* ``multilabel``:           like binary_cross_entropy, with y in {0, 1} for each of n labels

The log losses need A in [0, 1] (the output of sigmoid or softmax). A term with y = 0 is 0
even where its log is -inf (the limit of y log a). a = 0 with y = 1 is genuinely infinite: rather
than return inf, the functions raise a ValueError saying where, and so they do whenever a cost or a
gradient overflows (e.g. squared differences beyond 1e308) — never a numpy warning.

float32 A and Y give float32 results; any float64 input makes the computation float64.

Computing A first and then log(A) loses everything once A rounds to 0 or 1. The fused forms
``cost_from_logits`` / ``dZ_from_logits`` start from the pre-activations Z instead.
"""

import numpy as np

from snippets import _validate
from snippets.activations import _sigmoid, _softmax

LOSSES = ("squared", "absolute", "binary_cross_entropy", "cross_entropy", "multilabel")

# (activation of the last layer, loss) pairs whose cost and dZ have a stable fused form.
FUSED_PAIRS = (
    ("softmax", "cross_entropy"),
    ("sigmoid", "binary_cross_entropy"),
    ("sigmoid", "multilabel"),
)

_LOG_LOSSES = ("binary_cross_entropy", "cross_entropy", "multilabel")


# --- validation -------------------------------------------------------------------------


def _check_targets(name: str, Y: np.ndarray) -> None:
    """Check that Y holds the kind of targets the loss ``name`` expects."""
    if name == "binary_cross_entropy":
        _validate.check_in_range("Y", Y, 0.0, 1.0, "target probabilities")
    elif name == "cross_entropy":
        _validate.check_one_hot("Y", Y)
    elif name == "multilabel":
        _validate.check_binary("Y", Y)


def _validated(name: str, A, Y) -> tuple[np.ndarray, np.ndarray]:
    _validate.check_choice("loss", name, LOSSES)
    A, Y = _same_dtype(_validate.as_matrix("A", A), _validate.as_matrix("Y", Y))
    _validate.check_same_shape("Y", Y, "A", A)
    if name in _LOG_LOSSES:
        check_probabilities("A", A)
    _check_targets(name, Y)
    return A, Y


def _same_dtype(A: np.ndarray, Y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Both in float32 if both are float32, else both in float64 (numpy's promotion)."""
    dtype = np.result_type(A, Y)
    return A.astype(dtype, copy=False), Y.astype(dtype, copy=False)


def check_probabilities(name: str, A: np.ndarray) -> None:
    """The log losses take logs of A and 1 - A: refuse outputs outside [0, 1]."""
    _validate.check_in_range(name, A, 0.0, 1.0, "probabilities (outputs of sigmoid or softmax)")


def _finite_or_raise(name: str, value: np.ndarray, what: str, loss: str) -> None:
    """Raise if a cost or gradient computed from finite inputs came out as inf or nan.

    ``name`` is the argument to blame; ``what`` names the result (e.g. "cost").
    """
    value = np.asarray(value)
    if np.isfinite(value).all():
        return
    bad, index = _validate.first_non_finite(value)
    where = f"{bad} at index {index}" if value.ndim else bad
    if loss in _LOG_LOSSES:
        reason = (
            "a probability of 0 (or so close to 0 that y / a overflows) where the target is positive, "
            "or of 1 where the target is below 1; the fused forms from the logits (cost_from_logits, dZ_from_logits) "
            "stay finite"
        )
    else:
        reason = "outputs and targets too far apart for the float range"
    raise ValueError(f"{name}: expected inputs with a finite {what} for loss {loss!r}, got {where}: {reason}")


# --- safe pieces: y log a and y / a with the y = 0 terms set to 0 -------------------------


def _y_log_a(Y: np.ndarray, A: np.ndarray) -> np.ndarray:
    """y log a element-wise, with 0 where y = 0 (even if a = 0) and -inf where y > 0, a = 0."""
    log_A = np.full_like(A, -np.inf)
    np.log(A, out=log_A, where=A > 0)  # log is only evaluated where it is finite
    out = np.zeros_like(A)
    used = Y != 0  # skipping y = 0 avoids 0 · (-inf) = nan
    out[used] = Y[used] * log_A[used]
    return out


def _y_over_a(Y: np.ndarray, A: np.ndarray) -> np.ndarray:
    """y / a element-wise, with 0 where y = 0 (even if a = 0) and +inf where y > 0, a = 0."""
    used = Y != 0
    out = np.zeros(np.broadcast_shapes(Y.shape, A.shape), dtype=np.result_type(Y, A))
    out[used] = np.inf
    with np.errstate(over="ignore"):  # y / a for a tiny a: the caller reports the overflow
        np.divide(Y, A, out=out, where=used & (A > 0))
    return out


# --- losses, cost and its gradient -------------------------------------------------------


def losses(name: str, A, Y) -> np.ndarray:
    """Per-example losses: shape (m,), one per column of A and Y (both shape (n, m))."""
    A, Y = _validated(name, A, Y)
    per_example = _losses(name, A, Y)
    _finite_or_raise("A", per_example, "loss per example", name)
    return per_example


def _losses(name: str, A: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """Per-example losses, unchecked: may hold inf where the loss overflows (callers check)."""
    with np.errstate(over="ignore"):
        if name == "squared":
            return np.sum((A - Y) ** 2, axis=0)
        if name == "absolute":
            return np.sum(np.abs(A - Y), axis=0)
    if name == "cross_entropy":
        log_terms = _y_log_a(Y, A)
    else:  # binary_cross_entropy and multilabel share the formula; only Y's checks differ
        log_terms = _y_log_a(Y, A) + _y_log_a(1.0 - Y, 1.0 - A)
    # 0.0 - s rather than -s, so a perfect prediction prints as 0.0 and not -0.0.
    return 0.0 - np.sum(log_terms, axis=0)


def cost(name: str, A, Y) -> float:
    """The cost of the batch: the mean of the m per-example losses."""
    A, Y = _validated(name, A, Y)
    total = _cost(name, A, Y)
    _finite_or_raise("A", total, "cost", name)
    return total


def _cost(name: str, A: np.ndarray, Y: np.ndarray) -> float:
    with np.errstate(over="ignore"):  # a mean of huge losses can overflow: callers check
        return float(np.mean(_losses(name, A, Y)))


def cost_gradient(name: str, A, Y) -> np.ndarray:
    """dA = ∂cost/∂A, shape (n, m) like A; includes the 1/m of the mean."""
    A, Y = _validated(name, A, Y)
    dA = _cost_gradient(name, A, Y)
    _finite_or_raise("A", dA, "gradient", name)
    return dA


def _cost_gradient(name: str, A: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """dA, unchecked: may hold ±inf where the gradient overflows (callers check)."""
    m = A.shape[1]
    with np.errstate(over="ignore", invalid="ignore"):
        if name == "squared":
            dA = 2.0 * (A - Y)
        elif name == "absolute":
            dA = np.sign(A - Y)  # |x| has no derivative at 0; np.sign(0) = 0 is the convention
        elif name == "cross_entropy":
            dA = 0.0 - _y_over_a(Y, A)  # 0.0 - x, not -x, so vanishing terms are 0.0, not -0.0
        else:  # d/da of -[y log a + (1 - y) log(1 - a)]
            dA = _y_over_a(1.0 - Y, 1.0 - A) - _y_over_a(Y, A)
        dA = dA / m
    assert dA.shape == A.shape
    return dA


# --- fused, stable forms from the logits Z --------------------------------------------------


def _validated_logits(name: str, Z, Y, activation: str) -> tuple[np.ndarray, np.ndarray]:
    _validate.check_choice("loss", name, LOSSES)
    if (activation, name) not in FUSED_PAIRS:
        pairs = ", ".join(f"({a}, {l})" for a, l in FUSED_PAIRS)
        raise ValueError(
            f"activation, loss: expected one of the fused pairs {pairs}, got ({activation}, {name})"
        )
    Z, Y = _same_dtype(_validate.as_matrix("Z", Z), _validate.as_matrix("Y", Y))
    _validate.check_same_shape("Y", Y, "Z", Z)
    _check_targets(name, Y)
    return Z, Y


def _log_softmax(Z: np.ndarray) -> np.ndarray:
    """log softmax(Z) per column = z - max - log Σ e^(z - max): finite for any finite z."""
    shifted = Z - Z.max(axis=0, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=0, keepdims=True))


def cost_from_logits(name: str, Z, Y, activation: str) -> float:
    """The cost of ``activation`` followed by loss ``name``, computed from the logits Z.

    Z, Y: shape (n, m). Pairs: (softmax, cross_entropy), (sigmoid, binary_cross_entropy),
    (sigmoid, multilabel). The logs are taken analytically instead of on rounded probabilities:
    log softmax(z)_k = z_k - log Σ_j e^(z_j) (log-sum-exp, shifted by the max), and
    log σ(z) = -log(1 + e^(-z)), log(1 - σ(z)) = -log(1 + e^z) (np.logaddexp(0, ·)).
    So a true-class logit 1000 below another gives a loss of 1000, not inf.
    """
    Z, Y = _validated_logits(name, Z, Y, activation)
    total = _cost_from_logits(name, Z, Y, activation)
    if not np.isfinite(total):  # only for logits spanning more than the float range
        raise ValueError(f"Z: expected logits for which the cost of loss {name!r} is finite, got a cost of {total:g}")
    return total


def _cost_from_logits(name: str, Z: np.ndarray, Y: np.ndarray, activation: str) -> float:
    """The fused cost, unchecked: inf or nan only if the logits span more than the float range."""
    with np.errstate(over="ignore", invalid="ignore"):
        if activation == "softmax":
            per_example = 0.0 - np.sum(Y * _log_softmax(Z), axis=0)
        else:
            per_example = np.sum(Y * np.logaddexp(0.0, -Z) + (1.0 - Y) * np.logaddexp(0.0, Z), axis=0)
        return float(np.mean(per_example))


def dZ_from_logits(name: str, Z, Y, activation: str) -> np.ndarray:
    """dZ = ∂cost/∂Z = (A - Y) / m for the fused pairs, A = activation(Z); shape (n, m).

    The chain rule through the log and the activation collapses to A - Y, which never divides
    by a probability, so it is exact even when A has rounded to 0 or 1.
    """
    Z, Y = _validated_logits(name, Z, Y, activation)
    A = _softmax(Z) if activation == "softmax" else _sigmoid(Z)
    return _dZ_from_outputs(A, Y)


def _dZ_from_outputs(A: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """(A - Y) / m, from the fused pair's outputs A: both in [0, 1], so always finite."""
    return (A - Y) / A.shape[1]
