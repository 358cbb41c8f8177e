"""Weight initialization: Xavier (Glorot) and He, seeded.

Every function returns a W of shape (n_out, n_in), the package's layout, drawn with the numpy Generator
it is given (``np.random.default_rng(seed)``), never the global state. Biases start at 0.

* Xavier/Glorot: Var(W_ij) = 2 / (n_in + n_out), which keeps the variance of the signal roughly steady both
  forward (which wants 1/n_in) and backward (which wants 1/n_out) for tanh-like units.
  Normal: std = √(2 / (n_in + n_out)). Uniform(−r, r): r = √(6 / (n_in + n_out)) (a uniform on [−r, r]
  has variance r²/3).
* He (Kaiming): Var(W_ij) = 2 / n_in, for ReLU units, which zero half of their inputs on average.
  Normal: std = √(2 / n_in). Uniform: r = √(6 / n_in).
"""

import math

import numpy as np

_SCHEMES = ("xavier", "he")
_DISTRIBUTIONS = ("normal", "uniform")


def _check(n_out, n_in, rng) -> None:
    for name, n in (("n_out", n_out), ("n_in", n_in)):
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
            raise ValueError(f"{name}: expected a positive integer, got {n!r}")
    if not isinstance(rng, np.random.Generator):
        raise ValueError(f"rng: expected a numpy Generator from np.random.default_rng(seed), got {rng!r}")


def target_variance(scheme: str, n_out: int, n_in: int) -> float:
    """2 / (n_in + n_out) for "xavier", 2 / n_in for "he"."""
    if scheme not in _SCHEMES:
        raise ValueError(f"scheme: expected one of he, xavier, got {scheme!r}")
    return 2.0 / (n_in + n_out) if scheme == "xavier" else 2.0 / n_in


def init_weight(scheme: str, n_out: int, n_in: int, rng: np.random.Generator, distribution: str = "normal") -> np.ndarray:
    """A (n_out, n_in) weight matrix with variance ``target_variance(scheme, n_out, n_in)``."""
    _check(n_out, n_in, rng)
    var = target_variance(scheme, n_out, n_in)
    if distribution == "normal":
        return math.sqrt(var) * rng.standard_normal((n_out, n_in))
    if distribution == "uniform":
        r = math.sqrt(3.0 * var)
        return rng.uniform(-r, r, size=(n_out, n_in))
    raise ValueError(f"distribution: expected one of normal, uniform, got {distribution!r}")


def xavier(n_out: int, n_in: int, rng: np.random.Generator, distribution: str = "normal") -> np.ndarray:
    """Xavier/Glorot: Var = 2 / (n_in + n_out). Shape (n_out, n_in)."""
    return init_weight("xavier", n_out, n_in, rng, distribution)


def he(n_out: int, n_in: int, rng: np.random.Generator, distribution: str = "normal") -> np.ndarray:
    """He: Var = 2 / n_in. Shape (n_out, n_in)."""
    return init_weight("he", n_out, n_in, rng, distribution)


def init_params(layer_sizes, rng: np.random.Generator, scheme: str = "xavier", distribution: str = "normal"):
    """[(W, b), ...] for layer sizes [n_x, n_1, ..., n_L]; W by ``scheme``, b = 0 of shape (n_out, 1)."""
    sizes = list(layer_sizes)
    if len(sizes) < 2:
        raise ValueError(f"layer_sizes: expected at least two sizes, got {layer_sizes!r}")
    return [(init_weight(scheme, n_out, n_in, rng, distribution), np.zeros((n_out, 1)))
            for n_in, n_out in zip(sizes[:-1], sizes[1:])]
