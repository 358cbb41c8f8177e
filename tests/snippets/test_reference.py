"""forward_backward against an independent plain-numpy reference; dtypes; the mixed-dtype rule.

The reference (numpy_reference.py) pins the numbers: every activation × loss × depth on seeded
inputs, float64 gradients equal to 1e-12 of the largest entry. The package computed exactly these
numbers before it was made fast (validation once per call, no gradient for X, float32 kept), and
this test is what keeps them.
"""

import numpy as np
import pytest

import numpy_reference as ref
from snippets.activations import ACTIVATIONS
from snippets.losses import LOSSES
from snippets.network import forward, forward_backward

LOG_LOSSES = ("binary_cross_entropy", "cross_entropy", "multilabel")
CASES = [
    ([hidden] * depth + [last], loss)
    for loss in LOSSES
    for last in ACTIVATIONS
    if loss not in LOG_LOSSES or last in ("sigmoid", "softmax")
    for hidden in ACTIVATIONS
    for depth in (0, 1, 2)
    if depth > 0 or hidden == last  # depth 0: one layer, listed once
]


def targets(loss, n, m, rng, dtype=np.float64):
    if loss in ("squared", "absolute"):
        Y = rng.standard_normal((n, m))
    elif loss == "binary_cross_entropy":
        Y = rng.uniform(0.0, 1.0, (n, m))
    elif loss == "cross_entropy":
        Y = np.eye(n)[:, rng.integers(0, n, m)]
    else:
        Y = rng.integers(0, 2, (n, m)).astype(float)
    return Y.astype(dtype)


def problem(activations, loss, seed, dtype=np.float64, m=7):
    """Seeded params, X, Y. Weights of scale 0.5 keep the outputs well inside (0, 1), where the
    unfused log-loss gradient 1 / (1 - a) is well conditioned: two correct formulas then agree to
    1e-12 (near a = 1 the subtraction 1 - a alone can cost eight digits)."""
    rng = np.random.default_rng(seed)
    sizes = [4] + [5] * (len(activations) - 1) + [3]
    params = [
        ((0.5 * rng.standard_normal((n_out, n_in))).astype(dtype), (0.5 * rng.standard_normal((n_out, 1))).astype(dtype))
        for n_in, n_out in zip(sizes[:-1], sizes[1:])
    ]
    return params, rng.standard_normal((4, m)).astype(dtype), targets(loss, 3, m, rng, dtype)


def test_every_activation_and_loss_is_covered():
    assert len(CASES) == 18 * (1 + 2 * 6)
    assert {a[-1] for a, _ in CASES} == set(ACTIVATIONS) and {loss for _, loss in CASES} == set(LOSSES)


@pytest.mark.parametrize(("activations", "loss"), CASES, ids=[f"{'-'.join(a)}-{loss}" for a, loss in CASES])
def test_float64_numbers_equal_the_reference_to_1e_12(activations, loss):
    for seed in (0, 1):
        params, X, Y = problem(activations, loss, seed)
        cost, grads = forward_backward(params, X, Y, activations=activations, loss=loss)
        ref_cost, ref_grads = ref.forward_backward(params, X, Y, activations, loss)
        assert type(cost) is float and cost == pytest.approx(ref_cost, rel=1e-12, abs=1e-300)
        for (dW, db), (rW, rb) in zip(grads, ref_grads, strict=True):
            assert dW.dtype == db.dtype == np.float64
            assert ref.close(dW, rW, 1e-12) and ref.close(db, rb, 1e-12)


@pytest.mark.parametrize(("activations", "loss"), CASES[::7])
def test_float32_in_float32_math_and_gradients_out(activations, loss):
    params, X, Y = problem(activations, loss, seed=2, dtype=np.float32)
    cost, grads = forward_backward(params, X, Y, activations=activations, loss=loss)
    assert type(cost) is float
    assert all(dW.dtype == db.dtype == np.float32 for dW, db in grads)
    A_L, caches = forward(params, X, activations=activations)
    assert A_L.dtype == np.float32 and all(c.activation.Z.dtype == np.float32 for c in caches)
    # float32 math: the reference run in float32 agrees to float32 round-off, not float64's
    ref_cost, ref_grads = ref.forward_backward(params, X, Y, activations, loss)
    assert cost == pytest.approx(ref_cost, rel=1e-5, abs=1e-6)
    for (dW, db), (rW, rb) in zip(grads, ref_grads):
        assert ref.close(dW, rW, 1e-4) and ref.close(db, rb, 1e-4)


def test_the_mixed_dtype_rule():
    """float32 only when X and every W and b are float32; else float64. Y follows X and params."""
    params32, X32, Y32 = problem(["tanh", "softmax"], "cross_entropy", seed=3, dtype=np.float32)
    kw = dict(activations=["tanh", "softmax"], loss="cross_entropy")

    def grad_dtypes(params, X, Y):
        return {array.dtype.type for pair in forward_backward(params, X, Y, **kw)[1] for array in pair}

    assert grad_dtypes(params32, X32, Y32) == {np.float32}
    assert grad_dtypes(params32, X32, Y32.astype(np.float64)) == {np.float32}  # Y does not decide
    assert grad_dtypes(params32, X32, Y32.astype(int)) == {np.float32}
    assert grad_dtypes(params32, X32.astype(np.float64), Y32) == {np.float64}  # one float64 input
    mixed = [params32[0], (params32[1][0], params32[1][1].astype(np.float64))]
    assert grad_dtypes(mixed, X32, Y32) == {np.float64}
    assert grad_dtypes(params32, X32.astype(np.float16), Y32) == {np.float64}  # float16 is not kept
    lists = [(W.tolist(), b.tolist()) for W, b in params32]
    assert grad_dtypes(lists, X32.tolist(), Y32.tolist()) == {np.float64}  # lists and ints: float64


def test_the_first_layer_gradient_does_not_need_X_gradient():
    """Only (dW, db) per layer come back: the gradient with respect to X is neither returned nor needed."""
    params, X, Y = problem(["relu", "sigmoid"], "squared", seed=4)
    _, grads = forward_backward(params, X, Y, activations=["relu", "sigmoid"], loss="squared")
    assert [len(pair) for pair in grads] == [2, 2]


def test_inputs_are_not_modified_or_copied_into_the_caches():
    params, X, Y = problem(["relu", "identity"], "squared", seed=5)
    before = [(W.copy(), b.copy()) for W, b in params], X.copy(), Y.copy()
    forward_backward(params, X, Y, activations=["relu", "identity"], loss="squared")
    np.testing.assert_array_equal(X, before[1])
    np.testing.assert_array_equal(Y, before[2])
    for (W, b), (W0, b0) in zip(params, before[0]):
        np.testing.assert_array_equal(W, W0) and np.testing.assert_array_equal(b, b0)
    _, caches = forward(params, X, activations=["relu", "identity"])
    assert caches[0].dense.A_prev is X and caches[0].dense.W is params[0][0]  # no copies of float64 input
