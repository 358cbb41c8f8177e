"""Property-based tests: random shapes, dtypes and values thrown at the public functions.

For every input, a public function of the package must do one of two things:
* return the numbers of the independent reference (numpy_reference.py), finite, in the right dtype;
* raise a ValueError whose message starts with the name of an argument the reader passed.
Never another exception, a warning (warnings are errors in this suite), or a silent inf or nan.

Hypothesis draws the inputs; ``derandomize=True`` makes the draws the same on every run, so the
suite stays deterministic.
"""

import re

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import numpy_reference as ref
from snippets import activations as act
from snippets import layers, losses
from snippets.network import forward_backward

ACTIVATIONS = act.ACTIVATIONS
LOSSES = losses.LOSSES
LOG_LOSSES = ("binary_cross_entropy", "cross_entropy", "multilabel")
FUSED = set(losses.FUSED_PAIRS)

PROPERTY = settings(
    derandomize=True, database=None, deadline=None, max_examples=100,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)

# The start of a message: an argument's name, then a colon.
NETWORK_ARGUMENT = re.compile(r"^(X|Y|loss|activations(\[\d+\])?|params(\[\d+\]( W| b)?)?): ")


def compute_dtype(*arrays):
    """The rule the package states: float32 if every array is float32, float64 otherwise."""
    return np.float32 if all(np.asarray(a).dtype == np.float32 for a in arrays) else np.float64


def tolerance(dtype):
    return 1e-9 if dtype == np.float64 else 1e-3


def as_dtype(values, dtype):
    """values (float64) in ``dtype``; 1e300 becomes inf in float32, which the package must refuse."""
    with np.errstate(over="ignore"):
        return np.asarray(values).astype(dtype)


# --- strategies ------------------------------------------------------------------------------

DTYPES = st.sampled_from([np.float64, np.float32, np.int64])


@st.composite
def arrays(draw, shape, dtype, wild=False):
    """An array of ``shape``: small integers for int dtypes, floats in [-3, 3] otherwise; when
    ``wild``, sometimes scaled up to 1e150 or 1e300, and sometimes holding a nan or ±inf."""
    if np.dtype(dtype).kind == "i":
        return draw(hnp.arrays(dtype, shape, elements=st.integers(-3, 3)))
    values = draw(hnp.arrays(np.float64, shape, elements=st.floats(-3, 3)))
    if wild and values.size:
        values = values * draw(st.sampled_from([1.0, 1.0, 1e150, 1e300]))
        if draw(st.integers(0, 5)) == 0:
            values.flat[draw(st.integers(0, values.size - 1))] = draw(st.sampled_from([np.nan, np.inf, -np.inf]))
    return as_dtype(values, dtype)


@st.composite
def targets(draw, loss, shape, dtype):
    n, m = shape
    if loss in ("squared", "absolute"):
        return draw(arrays(shape, dtype))
    if loss == "cross_entropy":
        return np.eye(n, dtype=dtype)[:, draw(hnp.arrays(np.int64, m, elements=st.integers(0, n - 1)))]
    if loss == "multilabel":
        return draw(hnp.arrays(np.int64, shape, elements=st.integers(0, 1))).astype(dtype)
    return as_dtype(draw(hnp.arrays(np.float64, shape, elements=st.floats(0, 1))), dtype)


@st.composite
def networks(draw, wild=False):
    """(params, X, Y, activations, loss) for a network of 1 to 3 layers of 1 to 4 units."""
    depth = draw(st.integers(1, 3))
    sizes = draw(st.lists(st.integers(1, 4), min_size=depth + 1, max_size=depth + 1))
    m = draw(st.integers(1, 4))
    loss = draw(st.sampled_from(LOSSES))
    last = draw(st.sampled_from(("sigmoid", "softmax") if loss in LOG_LOSSES else ACTIVATIONS))
    names = draw(st.lists(st.sampled_from(ACTIVATIONS), min_size=depth - 1, max_size=depth - 1)) + [last]
    params = [
        (draw(arrays((n_out, n_in), draw(DTYPES), wild)), draw(arrays((n_out, 1), draw(DTYPES), wild)))
        for n_in, n_out in zip(sizes[:-1], sizes[1:])
    ]
    X = draw(arrays((sizes[0], m), draw(DTYPES), wild))
    Y = draw(targets(loss, (sizes[-1], m), draw(DTYPES)))
    return params, X, Y, names, loss


def well_conditioned(params, X, Y, names, loss):
    """False where two correct formulas may disagree in many digits, so no reference can judge:
    an unfused log loss with outputs within 1e-6 of 0 or 1 (1 - a cancels), or |a - y| near the
    kink of the absolute loss."""
    dtype = compute_dtype(X, *(a for pair in params for a in pair))
    A = as_dtype(X, dtype)
    with np.errstate(all="ignore"):
        for (W, b), name in zip(params, names):
            A = ref.activation(name, as_dtype(W, dtype) @ A + as_dtype(b, dtype))
    if not np.all(np.isfinite(A)):
        return False
    if loss in LOG_LOSSES and (names[-1], loss) not in FUSED:
        return bool(np.all((A > 1e-6) & (A < 1 - 1e-6)))
    if loss == "absolute":
        return bool(np.all(np.abs(A - as_dtype(Y, dtype)) > 1e-6))
    return True


# --- the network -----------------------------------------------------------------------------


def check_network_result(params, X, Y, names, loss, compare):
    """Call forward_backward: a ValueError naming an argument, or finite numbers (equal to the
    reference's when ``compare``)."""
    try:
        cost, grads = forward_backward(params, X, Y, activations=names, loss=loss)
    except ValueError as error:
        assert NETWORK_ARGUMENT.match(str(error)), str(error)
        return None
    dtype = compute_dtype(X, *(a for pair in params for a in pair))
    assert type(cost) is float and np.isfinite(cost)
    assert len(grads) == len(params)
    for (W, b), (dW, db) in zip(params, grads):
        assert dW.shape == np.shape(W) and db.shape == np.shape(b)
        assert dW.dtype == db.dtype == dtype
        assert np.all(np.isfinite(dW)) and np.all(np.isfinite(db))
    if compare:
        cast = [(as_dtype(W, dtype), as_dtype(b, dtype)) for W, b in params]
        ref_cost, ref_grads = ref.forward_backward(cast, as_dtype(X, dtype), as_dtype(Y, dtype), names, loss)
        if np.isfinite(ref_cost):
            tol = tolerance(dtype)
            assert cost == pytest.approx(ref_cost, rel=tol, abs=tol)
            for (dW, db), (rW, rb) in zip(grads, ref_grads):
                assert ref.close(dW, rW, tol, floor=1.0) and ref.close(db, rb, tol, floor=1.0)
    return cost


@PROPERTY
@given(networks())
def test_forward_backward_on_valid_networks_matches_the_reference(network):
    params, X, Y, names, loss = network
    compare = well_conditioned(*network)
    cost = check_network_result(params, X, Y, names, loss, compare)
    if compare:  # valid, well-conditioned inputs are never refused
        assert cost is not None


@st.composite
def broken_networks(draw):
    """A network with extreme values, or with one argument broken in one of many ways."""
    params, X, Y, names, loss = draw(networks(wild=True))
    what = draw(st.sampled_from(["none", "X", "Y", "params", "activations", "loss"]))
    if what == "X":
        X = draw(st.sampled_from([X[:-1], X.T, X.ravel(), X[None], "X", None, [[1.0, 2.0], [3.0]], X.astype(complex)]))
    elif what == "Y":
        Y = draw(st.sampled_from([Y[:, :-1], Y.ravel(), Y + 0.5, -Y, Y * np.nan, [["a"]], None]))
    elif what == "params":
        i = draw(st.integers(0, len(params) - 1))
        W, b = params[i]
        broken = draw(st.sampled_from([(W,), W, (W, b, b), (W.ravel(), b), (W, b.ravel()), (W[:, :-1], b), (W, b[:-1]), None, "W"]))
        params = draw(st.sampled_from([params[:i] + [broken] + params[i + 1:], params[0], tuple(params[0]), {}, []]))
    elif what == "activations":
        names = draw(st.sampled_from([names[:-1], names + ["relu"], "relu", None, [n.upper() for n in names], [1] * len(names)]))
    elif what == "loss":
        loss = draw(st.sampled_from(["mse", None, 3, loss.upper()]))
    return params, X, Y, names, loss


@PROPERTY
@given(broken_networks())
def test_forward_backward_on_any_input_gives_the_numbers_or_names_the_argument(network):
    params, X, Y, names, loss = network
    compare = False
    try:
        compare = well_conditioned(params, X, Y, names, loss)
    except Exception:  # noqa: BLE001  the inputs are too broken to evaluate: nothing to compare with
        pass
    check_network_result(params, X, Y, names, loss, compare)


def test_overflow_from_finite_inputs_names_the_layer_or_the_loss():
    W, b = np.array([[1e200]]), np.zeros((1, 1))
    with pytest.raises(ValueError, match=r"^params\[1\]: .* layer 2 .* overflowed to inf"):
        forward_backward([(W, b), (W, b)], [[1.0]], [[0.0]], activations=["identity", "identity"], loss="squared")
    with pytest.raises(ValueError, match=r"^loss: expected a finite cost of 'squared', but it overflowed to inf"):
        forward_backward([(np.ones((1, 1)), b)], [[1e300]], [[-1e300]], activations=["identity"], loss="squared")
    with pytest.raises(ValueError, match=r"^loss: expected a finite cost of 'binary_cross_entropy'"):
        # softmax over one row is exactly 1, and log(1 - 1) = -inf where Y is 0
        forward_backward([(np.ones((1, 1)), b)], [[0.5]], [[0.0]], activations=["softmax"], loss="binary_cross_entropy")
    # a finite cost of 1, but dW of layer 2 = dZ (= 2) times the layer's input (1e308) overflows
    params = [(np.ones((1, 1)), b), (np.array([[1e-308]]), b)]
    with pytest.raises(ValueError, match=r"^params\[1\]: expected a gradient that stays finite .* in layer 2"):
        forward_backward(params, [[1e308]], [[0.0]], activations=["identity", "identity"], loss="squared")


# --- activations, losses and layers one at a time -------------------------------------------------

ELEMENTWISE = ("identity", "step", "relu", "sigmoid", "tanh")


def expect(call, argument_names, reference=None, dtype=None):
    """call(): a ValueError naming one of ``argument_names``, or finite numbers equal to reference()."""
    try:
        result = call()
    except ValueError as error:
        assert re.match(rf"^({'|'.join(map(re.escape, argument_names))}): ", str(error)), str(error)
        return
    for array in result if isinstance(result, tuple) else (result,):
        assert np.all(np.isfinite(array))
        if dtype is not None and isinstance(array, np.ndarray):  # a cost is a Python float
            assert array.dtype == dtype
    if reference is not None:
        expected = reference()
        if all(np.all(np.isfinite(e)) for e in (expected if isinstance(expected, tuple) else (expected,))):
            tol = tolerance(dtype or np.float64)
            pairs = zip(result, expected) if isinstance(result, tuple) else [(result, expected)]
            for got, want in pairs:
                assert ref.close(got, want, tol, floor=1.0), (got, want)


@st.composite
def any_arrays(draw, max_dims=3):
    shape = draw(hnp.array_shapes(min_dims=0, max_dims=max_dims, min_side=0, max_side=4))
    return draw(arrays(shape, draw(DTYPES), wild=True))


@PROPERTY
@given(st.sampled_from(ACTIVATIONS), any_arrays())
def test_activation_functions(name, Z):
    dtype = compute_dtype(Z)
    reference = None
    if Z.ndim == 2 and Z.size or name != "softmax":
        reference = lambda: ref.activation(name, as_dtype(Z, dtype))  # noqa: E731
    expect(lambda: getattr(act, name)(Z), ["Z"], reference, dtype)
    if name in ELEMENTWISE:
        expect(lambda: act.derivative(name, Z), ["Z"])


@PROPERTY
@given(st.sampled_from(ACTIVATIONS), st.data())
def test_activation_forward_and_backward(name, data):
    shape = data.draw(hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=4))
    Z = data.draw(arrays(shape, data.draw(DTYPES), wild=True))
    dA = data.draw(st.one_of(arrays(shape, data.draw(DTYPES), wild=True), any_arrays()))
    try:
        A, cache = act.activation_forward(Z, name)
    except ValueError as error:
        assert str(error).startswith("Z: ")
        return
    dtype = compute_dtype(Z, dA)
    reference = lambda: ref.activation_backward(name, cache.Z, A, as_dtype(dA, dtype))  # noqa: E731
    expect(lambda: act.activation_backward(dA, cache), ["dA"], reference if Z.dtype == dtype else None, dtype)


@PROPERTY
@given(st.sampled_from(LOSSES), st.data())
def test_loss_functions(loss, data):
    shape = data.draw(hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=4))
    A = data.draw(st.one_of(arrays(shape, data.draw(DTYPES), wild=True),
                            hnp.arrays(np.float64, shape, elements=st.floats(0, 1)), any_arrays()))
    Y = data.draw(st.one_of(targets(loss, shape, data.draw(DTYPES)), any_arrays()))
    dtype = compute_dtype(A, Y)
    A_, Y_ = np.asarray(A), np.asarray(Y)
    fine = A_.shape == Y_.shape == shape and (loss not in LOG_LOSSES or np.all((A_ > 1e-6) & (A_ < 1 - 1e-6)))
    if loss == "absolute" and fine:
        fine = bool(np.all(np.abs(A_ - Y_) > 1e-6))
    a, y = (as_dtype(A, dtype), as_dtype(Y, dtype)) if fine else (None, None)
    expect(lambda: losses.losses(loss, A, Y), ["A", "Y"], (lambda: ref.losses(loss, a, y)) if fine else None, dtype)
    expect(lambda: losses.cost(loss, A, Y), ["A", "Y"], (lambda: ref.losses(loss, a, y).mean()) if fine else None, dtype)
    expect(lambda: losses.cost_gradient(loss, A, Y), ["A", "Y"],
           (lambda: ref.cost_gradient(loss, a, y)) if fine else None, dtype)


@PROPERTY
@given(st.sampled_from(sorted(FUSED)), st.data())
def test_fused_loss_functions(pair, data):
    last, loss = pair
    shape = data.draw(hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=4))
    Z = data.draw(st.one_of(arrays(shape, data.draw(DTYPES), wild=True), any_arrays()))
    Y = data.draw(st.one_of(targets(loss, shape, data.draw(DTYPES)), any_arrays()))
    dtype = compute_dtype(Z, Y)
    fine = np.shape(Z) == np.shape(Y) == shape
    z, y = (as_dtype(Z, dtype), as_dtype(Y, dtype)) if fine else (None, None)
    expect(lambda: losses.cost_from_logits(loss, Z, Y, last), ["Z", "Y"],
           (lambda: ref.cost_from_logits(loss, z, y, last)) if fine else None, dtype)
    expect(lambda: losses.dZ_from_logits(loss, Z, Y, last), ["Z", "Y"],
           (lambda: (ref.activation(last, z) - y) / shape[1]) if fine else None, dtype)


@PROPERTY
@given(st.sampled_from(ACTIVATIONS), st.data())
def test_dense_and_layer_functions(name, data):
    n_in, n_out, m = (data.draw(st.integers(1, 4)) for _ in range(3))
    A_prev = data.draw(st.one_of(arrays((n_in, m), data.draw(DTYPES), wild=True), any_arrays()))
    W = data.draw(st.one_of(arrays((n_out, n_in), data.draw(DTYPES), wild=True), any_arrays()))
    b = data.draw(st.one_of(arrays((n_out, 1), data.draw(DTYPES), wild=True), any_arrays()))
    upstream = data.draw(st.one_of(arrays((n_out, m), data.draw(DTYPES), wild=True), any_arrays()))
    dtype = compute_dtype(A_prev, W, b)
    fine = np.shape(A_prev) == (n_in, m) and np.shape(W) == (n_out, n_in) and np.shape(b) == (n_out, 1)
    ref_Z = (lambda: as_dtype(W, dtype) @ as_dtype(A_prev, dtype) + as_dtype(b, dtype)) if fine else None
    expect(lambda: layers.dense_forward(A_prev, W, b)[0], ["A_prev", "W", "b"], ref_Z, dtype)
    expect(lambda: layers.layer_forward(A_prev, W, b, name)[0], ["A_prev", "W", "b"],
           (lambda: ref.activation(name, ref_Z())) if fine else None, dtype)
    try:
        _, cache = layers.layer_forward(A_prev, W, b, name)
    except ValueError:
        return
    expect(lambda: layers.dense_backward(upstream, cache.dense), ["dZ"])
    expect(lambda: layers.layer_backward(upstream, cache), ["dA", "dZ"])
