"""MIT 6.390 matrix derivatives (7.X) and training (7.6): layouts, first-order rule, layer derivatives, training."""

from pathlib import Path

import numpy as np
import pytest

from snippets.examples import mit6390_matrix as mm
from snippets.gradcheck import numerical_gradient, relative_error

CASES = [mm.scalar_vector, mm.vector_scalar, mm.vector_vector, mm.matrix_scalar, mm.scalar_matrix]


def test_planar_square_reproduces_the_notes():
    p = mm.planar_square()
    # f(x) = x², f'(x) = 2x: 2 at 1, 4 at 2, 2.02 at 1.01 (7.X.6)
    assert f"{p.fprime_1:.0f}" == "2" and f"{p.fprime_2:.0f}" == "4" and f"{p.fprime_101:.2f}" == "2.02"
    # (1 + h)² − 1 − 2h = h²: the error shrinks 100× when h shrinks 10×; f' moves by 2h
    np.testing.assert_allclose(p.error, p.steps**2, rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(p.fprime_change, 2 * p.steps, rtol=1e-5, atol=1e-8)


@pytest.mark.parametrize("case", CASES, ids=lambda f: f.__name__)
def test_finite_differences_match_the_closed_form(case):
    c = case()
    assert relative_error(c.exact, c.notes) < 1e-9


@pytest.mark.parametrize("case", CASES, ids=lambda f: f.__name__)
def test_first_order_rule_error_shrinks_like_the_square_of_the_step(case):
    c = case()
    ratios = c.error[:-1] / c.error[1:]  # steps shrink 10× each time
    assert np.all(ratios > 80) and np.all(ratios < 125)
    assert c.actual.shape == (len(c.steps),) + c.y.shape == c.predicted.shape


def test_single_input_rule_is_first_order_only():
    # 7.79/7.81/Def. 28 write "=", but (s + t)² − s² = 2s·t + t²: the s² entry misses by exactly t², the largest
    # miss of the three entries (sin s misses by about sin(s)·t²/2, 3s not at all)
    vs = mm.vector_scalar()
    np.testing.assert_allclose(vs.error, vs.steps**2, rtol=1e-4)
    np.testing.assert_allclose(vs.actual[:, 0] - vs.predicted[:, 0], vs.steps**2, rtol=1e-4)
    assert f"{vs.error[1]:.1e}" == "1.0e-04"


def test_shapes_are_the_notes_layout():
    # rows ↔ input components, columns ↔ output components
    assert mm.scalar_vector().notes.shape == (3, 1)  # column, like v (Def. 26)
    assert mm.vector_scalar().notes.shape == (1, 3)  # row (Def. 28)
    assert mm.vector_vector().notes.shape == (2, 3)  # v (2×1), w (3×1): (2 × 3) as in 7.99
    ms = mm.matrix_scalar()
    assert ms.y.shape == (2, 3) and ms.notes.shape == (3, 2)  # transpose of M's shape (Def. 34)
    sm = mm.scalar_matrix()
    assert sm.x.shape == (2, 3) and sm.notes.shape == (2, 3)  # M's shape (Def. 35)
    # numerical_jacobian's numerator layout is the transpose of the notes' for vector/vector
    vv = mm.vector_vector()
    np.testing.assert_array_equal(vv.jacobian.T, vv.notes)


def test_vector_vector_values():
    vv = mm.vector_vector()
    # w = (v1 v2, v1², sin v2) at (1, 2): row v1 = (v2, 2 v1, 0) = (2, 2, 0); row v2 = (v1, 0, cos 2)
    np.testing.assert_allclose(vv.notes, [[2, 2, 0], [1, 0, np.cos(2.0)]], atol=1e-8)


def test_layer_forward_by_hand():
    L = mm.layer()
    # z1 = 0.2·1 + 0.4·(−2) − 0.3·0.5 + 0.1 = −0.65; z2 = −0.5 − 0.2 + 0.4 − 0.2 = −0.5
    np.testing.assert_allclose(L.z, [-0.65, -0.5])
    np.testing.assert_allclose(L.a, 1 / (1 + np.exp([0.65, 0.5])))
    assert L.loss == pytest.approx(L.package_cost)


def test_weight_derivative_tensor_condenses_to_a():
    L = mm.layer()
    m, n = L.W.shape
    assert L.dZ_dW_tensor.shape == (n, m, n) and L.dZ_dW_blocks.shape == (n, n, m)
    for i in range(n):
        for k in range(n):
            expected = L.a_prev if i == k else np.zeros(m)
            np.testing.assert_allclose(L.dZ_dW_blocks[i, k], expected, atol=1e-9)
    np.testing.assert_allclose(L.dZ_dW_condensed, L.a_prev, atol=1e-9)


def test_link_and_activation_derivatives():
    L = mm.layer()
    np.testing.assert_allclose(L.dZ_dA, L.W, atol=1e-9)  # ∂Z/∂A = W (7.X.21), shape (m, n)
    assert L.dZ_dA.shape == (3, 2)
    np.testing.assert_allclose(L.dA_dZ, np.diag(L.fprime), atol=1e-9)  # diagonal (7.144)
    np.testing.assert_allclose(L.dL_dZ_matrix, L.dL_dZ_elementwise, atol=1e-9)  # 7.146
    assert L.broadcast.shape == (2, 2)


def test_layer_gradients_by_finite_differences_and_package():
    L = mm.layer()

    def loss(W=L.W, a=L.a_prev, w0=L.w0):
        return float(np.sum((1 / (1 + np.exp(-(W.T @ a + w0))) - L.y) ** 2))

    assert relative_error(L.dL_dW, L.dL_dW_numeric) < 1e-7
    assert relative_error(L.dL_dA_prev, numerical_gradient(lambda a: loss(a=a), L.a_prev)) < 1e-7
    assert relative_error(L.dL_dw0, numerical_gradient(lambda w0: loss(w0=w0), L.w0)) < 1e-7
    assert relative_error(L.dL_dA, numerical_gradient(lambda a: float(np.sum((a - L.y) ** 2)), L.a)) < 1e-7
    assert L.dL_dW.shape == L.W.shape == (3, 2)
    np.testing.assert_allclose(L.package_dW, L.dL_dW.T, atol=1e-12)  # package W = notes' Wᵀ


def test_errata_evidence():
    L = mm.layer()
    # 7.121 summing j = 1 … n (n = 2) drops a3's term: −0.6 ≠ −0.75 and −0.7 ≠ −0.3
    np.testing.assert_allclose(L.z_sum_to_n, [0.2 - 0.8, -0.5 - 0.2])
    assert not np.allclose(L.z_sum_to_n, L.z - L.w0)
    # 7.X.21 calls W "a vector": it is (m × n), a row of n columns W_i, and z_i = W_iᵀa + w0_i column by column
    assert L.W.shape == (3, 2)
    np.testing.assert_allclose([L.W[:, i] @ L.a_prev + L.w0[i] for i in range(2)], L.z, rtol=0, atol=1e-15)
    assert "mismatch in its core dimension" in L.line32_error
    # the erratum quotes numpy's message for line 32 read as a matrix product
    errata = (Path(__file__).parents[2] / "docs" / "errata.md").read_text(encoding="utf-8")
    entry = errata.split("{#mit6390-md-pseudocode-transpose}")[1].split("\n### ")[0]
    quoted = entry.split('("')[1].split('")')[0]
    assert quoted.startswith("matmul: ") and quoted.rstrip(" …") in L.line32_error


def test_axes_add_up():
    ax = mm.axes()
    assert (ax.scalar, ax.vector, ax.matrix) == (0, 1, 2)
    assert (ax.ds_dv, ax.dv_ds, ax.dw_dv, ax.dM_ds, ax.ds_dM) == (1, 1, 2, 2, 2)
    assert (ax.vector_matrix, ax.matrix_vector, ax.matrix_matrix) == (3, 3, 4)
    # 7.111: Axes(∂y/∂x) = Axes(y) + Axes(x)
    assert ax.dw_dv == 2 * ax.vector and ax.ds_dM == ax.scalar + ax.matrix and ax.vector_matrix == ax.vector + ax.matrix


def test_scalar_by_matrix_rule_is_a_sum_not_a_product():
    """Δs ≈ Σ (∂s/∂m_ij) Δm_ij = tr((∂s/∂M)ᵀ ΔM); the plain product (∂s/∂M)ᵀ ΔM is an (r × r) matrix."""
    c = mm.scalar_matrix()
    for t, predicted in zip(c.steps, c.predicted):
        dM = t * c.direction
        assert np.isclose(predicted, np.sum(c.notes * dM), rtol=0, atol=1e-15)
        assert np.isclose(predicted, np.trace(c.notes.T @ dM), rtol=0, atol=1e-15)
    assert (c.notes.T @ c.direction).shape == (3, 3)


def test_training_demo():
    t = mm.training()
    assert t.gaussian.costs[-1] < 0.1 < t.base_cost  # learns the XOR pattern
    assert t.accuracy > 0.9
    assert t.zeros_tanh_max_weight == 0.0  # zero weights stay zero under tanh
    assert t.zeros_sigmoid_row_spread == 0.0  # hidden units stay identical
    assert t.zeros_tanh.costs[-1] > 0.6 and t.zeros_sigmoid.costs[-1] > 0.6
    assert t.gaussian.steps[-1] == mm.TRAIN_T and len(t.gaussian.costs) == mm.TRAIN_T // mm.TRAIN_RECORD + 1
    assert t.gaussian.costs[0] == mm.training().gaussian.costs[0]  # deterministic


def test_every_run_sees_the_same_examples_in_the_same_order():
    t = mm.training()
    runs = [t.gaussian, t.notes_order, t.zeros_tanh, t.zeros_sigmoid]
    assert all(np.array_equal(r.picks, t.picks) for r in runs) and len(t.picks) == mm.TRAIN_T
    # the Gaussian start comes from its own generator: the example order does not depend on it
    for W, b in t.gaussian.initial:
        assert np.any(W != 0) and np.any(b != 0)
    np.testing.assert_array_equal(t.gaussian.initial[0][0], t.notes_order.initial[0][0])


def test_the_notes_update_order_is_not_the_gradient():
    t = mm.training()
    X, Y, (W1, b1), (W2, b2) = t.X, t.Y, *t.gaussian.initial
    i = t.picks[0]
    x, y = X[:, [i]], Y[:, [i]]

    def loss(W1_):
        a1 = np.tanh(W1_ @ x + b1)
        a2 = 1 / (1 + np.exp(-(W2 @ a1 + b2)))
        return float(-(y * np.log(a2) + (1 - y) * np.log(1 - a2)).sum())

    numeric = numerical_gradient(loss, W1)
    assert relative_error(t.first_true, numeric) < 1e-7  # the correct order is the gradient
    assert relative_error(t.first_notes, numeric) > 1e-2  # the notes' order is 2 % off
    assert t.first_error_last == 0.0  # the last layer is computed before anything moves
    # the error grows in proportion to η: error / η constant to within 3 %
    assert np.ptp(t.eta_ratios) / np.mean(t.eta_ratios) < 0.03
    # notes' ordering, by hand: layer 1 linked through the already-stepped W2
    a1 = np.tanh(W1 @ x + b1)
    dZ2 = 1 / (1 + np.exp(-(W2 @ a1 + b2))) - y
    W2_new = W2 - mm.TRAIN_ETA * dZ2 @ a1.T
    np.testing.assert_allclose(t.first_notes, ((1 - a1**2) * (W2_new.T @ dZ2)) @ x.T, atol=1e-15)


def test_package_initialisers_the_training_page_describes():
    import inspect

    from snippets import init, network

    assert inspect.signature(network.init_params).parameters["scale"].default == 0.1  # fixed scale
    assert inspect.signature(init.init_params).parameters["scheme"].default == "xavier"
    assert init.target_variance("xavier", 6, 2) == 2 / (6 + 2)


def test_chained_dz_breaks_at_a_rounded_to_0_or_1_whatever_the_label():
    # The training page: through dL/da, a sigmoid output rounded to exactly 1 (z = 40) or 0 (z = -800) gives
    # 0/0 = NaN with the matching label and ±inf with the other one; the one-step form a - y stays finite.
    for z, y_match, y_other in ((40.0, 1.0, 0.0), (-800.0, 0.0, 1.0)):
        a = mm.sigmoid(np.array([z]))
        assert a[0] == y_match  # rounded exactly to the label it agrees with
        with np.errstate(divide="ignore", invalid="ignore"):
            assert np.isnan(-y_match / a + (1 - y_match) / (1 - a))[0]
            assert np.isinf(-y_other / a + (1 - y_other) / (1 - a))[0]
        assert np.isfinite(a - y_match).all() and np.isfinite(a - y_other).all()
