"""Stochastic gradient descent: the update rule and mini-batches.

One step moves every parameter a little against its gradient: θ_new = θ_old − α ∂C/∂θ.
"Stochastic": C is the mean cost of a random mini-batch of examples rather than of the whole set.
"""

import numpy as np

from snippets import _validate


def sgd_step(params, grads, lr):
    """New params [(W − lr dW, b − lr db), ...]; ``params`` is not modified. Shapes must match."""
    lr = _validate.check_positive("lr", lr)
    if len(params) != len(grads):
        raise ValueError(f"grads: expected {len(params)} (dW, db) pairs to match params, got {len(grads)}")
    new = []
    for i, ((W, b), (dW, db)) in enumerate(zip(params, grads)):
        W, b = _validate.as_array(f"params[{i}] W", W), _validate.as_array(f"params[{i}] b", b)
        dW, db = _validate.as_array(f"grads[{i}] dW", dW), _validate.as_array(f"grads[{i}] db", db)
        _validate.check_same_shape(f"grads[{i}] dW", dW, "W", W)
        _validate.check_same_shape(f"grads[{i}] db", db, "b", b)
        new.append((W - lr * dW, b - lr * db))
    return new


def minibatches(m: int, batch_size: int, rng: np.random.Generator):
    """Shuffled column indices of m examples, cut into batches of ``batch_size`` (the last may be smaller)."""
    if not isinstance(rng, np.random.Generator):
        raise ValueError(f"rng: expected a numpy Generator from np.random.default_rng(seed), got {rng!r}")
    if batch_size < 1 or m < 1:
        raise ValueError(f"batch_size, m: expected positive integers, got {batch_size!r}, {m!r}")
    order = rng.permutation(m)
    return [order[i:i + batch_size] for i in range(0, m, batch_size)]
