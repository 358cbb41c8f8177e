"""L1 and L2 penalties on parameters, and their gradients.

A regularized cost adds a penalty to the data cost, ``C = cost + penalty(θ)``, so the gradient of each
parameter array gains the penalty's gradient. The convention here (stated, since sources differ):

* L1: ``λ Σ_k |θ_k|``, gradient ``λ sign(θ)``; at θ_k = 0, where |θ| has a kink, the subgradient 0 is used.
* L2: ``λ Σ_k θ_k²``, gradient ``2 λ θ`` (no ½; many texts write ``(λ/2) Σ θ²`` to get ``λ θ``).

``thetas`` is one array or a list of arrays (for example the W's of a network; biases are usually left out);
the penalty is summed over all of them and the gradient has the structure of ``thetas``.
"""

import numpy as np

from snippets import _validate

_KINDS = ("l1", "l2")


def _arrays(thetas) -> tuple[list[np.ndarray], bool]:
    if isinstance(thetas, (list, tuple)):
        if len(thetas) == 0:
            raise ValueError("thetas: expected an array or a non-empty list of arrays, got an empty list")
        return [_validate.as_array(f"thetas[{i}]", t) for i, t in enumerate(thetas)], True
    return [_validate.as_array("thetas", thetas)], False


def _lam(lam) -> float:
    if isinstance(lam, bool) or not isinstance(lam, (int, float, np.integer, np.floating)):
        raise ValueError(f"lam: expected a number >= 0, got {lam!r}")
    lam = float(lam)
    if not (np.isfinite(lam) and lam >= 0):
        raise ValueError(f"lam: expected a finite number >= 0, got {lam!r}")
    return lam


def penalty(kind: str, thetas, lam) -> float:
    """λ Σ|θ| (kind "l1") or λ Σθ² (kind "l2"), summed over every entry of every array."""
    _validate.check_choice("kind", kind, _KINDS)
    arrays, _ = _arrays(thetas)
    lam = _lam(lam)
    if kind == "l1":
        return lam * float(sum(np.abs(t).sum() for t in arrays))
    return lam * float(sum((t * t).sum() for t in arrays))


def penalty_gradient(kind: str, thetas, lam):
    """∂penalty/∂θ: λ sign(θ) (l1, 0 at θ = 0) or 2λθ (l2). Same structure and shapes as ``thetas``."""
    _validate.check_choice("kind", kind, _KINDS)
    arrays, is_list = _arrays(thetas)
    lam = _lam(lam)
    grads = [lam * np.sign(t) if kind == "l1" else 2.0 * lam * t for t in arrays]
    return grads if is_list else grads[0]


def l1_penalty(thetas, lam) -> float:
    """λ Σ_k |θ_k|."""
    return penalty("l1", thetas, lam)


def l1_gradient(thetas, lam):
    """λ sign(θ), with 0 at θ = 0."""
    return penalty_gradient("l1", thetas, lam)


def l2_penalty(thetas, lam) -> float:
    """λ Σ_k θ_k²."""
    return penalty("l2", thetas, lam)


def l2_gradient(thetas, lam):
    """2 λ θ."""
    return penalty_gradient("l2", thetas, lam)
