"""MIT 6.390 notes, section 7.5: the worked examples of snippets/examples/mit6390_backprop.py.

Every derivative is checked against centred differences (float64), shapes are asserted where the chapter
states them, and the numbers the chapter quotes are pinned with the hand arithmetic beside them.
"""

import math

import numpy as np
import pytest

from snippets.examples import mit6390_backprop as bp
from snippets.gradcheck import numerical_gradient, relative_error
from snippets.network import forward_backward


@pytest.fixture(scope="module")
def ch():
    return bp.chapter()


# --- 7.5.4 forward pass ------------------------------------------------------------------------


def test_forward_pass_f_g_h(ch):
    fp = ch.forward
    assert fp.f == 12.0  # 10 + 2
    assert fp.g == 36.0  # 3 · 12
    assert fp.h == pytest.approx(math.sin(36.0))  # radians: -0.99178
    assert f"{fp.h:.4f}" == "-0.9918"
    assert fp.dh_dx == pytest.approx(3 * math.cos(36.0))  # cos(36) · 3 · 1
    assert relative_error(np.array([fp.dh_dx]), np.array([fp.dh_dx_numeric])) < 1e-7


def test_forward_pass_graph_matches():
    h = bp.forward_pass_graph()
    x = h.parents[0].parents[1].parents[0]  # h <- g <- (3, f) ; f <- (x, 2)
    assert h.data == pytest.approx(math.sin(36.0))
    assert x.label == "x" and x.grad == pytest.approx(3 * math.cos(36.0))


def test_graph_sin_local_derivative():
    v = bp.sin(0.3)
    assert v.data == pytest.approx(math.sin(0.3)) and v.local_grads == (pytest.approx(math.cos(0.3)),)


# --- 7.5.2-7.5.5 the logistic neuron ------------------------------------------------------------


def test_logistic_gradient_three_ways(ch):
    llc = ch.llc
    assert llc.x.shape == llc.w.shape == llc.grad_w.shape == (3,)
    # the chain rule 7.10 collapses to (a - y) x for sigmoid + NLL
    np.testing.assert_allclose(llc.grad_w, (llc.a - llc.y) * llc.x, rtol=1e-12)
    assert llc.rel_error < 1e-7
    assert relative_error(np.array([llc.grad_w0]), np.array([llc.grad_w0_numeric])) < 1e-7
    np.testing.assert_allclose(llc.grad_w_package, llc.grad_w, rtol=1e-12)


def test_logistic_printed_sign_is_the_ascent_direction(ch):
    llc = ch.llc
    # 7.3 has no minus sign, so 7.7 is the gradient of the log-likelihood: (y - a) x = -grad
    np.testing.assert_allclose(llc.printed_grad_w, -llc.grad_w, rtol=1e-12)
    assert llc.printed_dL_dg == pytest.approx(-llc.dL_da)
    assert llc.loss_after_descent < llc.loss < llc.loss_after_ascent
    assert (f"{llc.loss:.4f}", f"{llc.loss_after_descent:.4f}", f"{llc.loss_after_ascent:.4f}") == (
        "0.5177", "0.5162", "0.5192")


def test_zero_start_learns(ch):
    zs = ch.zero
    np.testing.assert_array_equal(zs.a_before, [0.5, 0.5])  # σ(0) for every input
    # gradient at 0 is the mean of (σ(0) - y) x over the two columns:
    # (σ(0) - 1)·(1, 2) + (σ(0) - 0)·(-1, 0.5) = (-0.5 - 0.5, -1 + 0.25) = (-1, -0.75); / 2 = (-0.5, -0.375)
    np.testing.assert_allclose(zs.grad_w, [-0.5, -0.375])

    def mean_nll(w):  # the page says the gradient is that of the MEAN loss over the two examples
        a = 1 / (1 + np.exp(-(w @ zs.X)))
        return float(np.mean(-(zs.Y * np.log(a) + (1 - zs.Y) * np.log(1 - a))))

    assert relative_error(zs.grad_w, numerical_gradient(mean_nll, np.zeros(2))) < 1e-8
    assert zs.a_after[0] != zs.a_after[1]
    assert zs.costs[0] == pytest.approx(math.log(2))  # -log 0.5
    assert np.all(np.diff(zs.costs) < 0)


# --- 7.5.7-7.5.11 chains of neurons and the recipe -------------------------------------------------


def test_two_neuron_recipe_equals_717_package_and_numeric(ch):
    t = ch.two
    r = t.recipe
    assert [s.layer for s in r.steps] == [2, 1]
    s2, s1 = r.steps
    a0, a1, a2 = r.activations_out
    # 7.11: ∂L/∂w² = ∂L/∂a² · ∂a²/∂z² · ∂z²/∂w² with ∂z²/∂w² = a¹
    assert s2.grad_w == pytest.approx(r.dL_daL * a2 * (1 - a2) * a1)
    # 7.14: ∂L/∂a¹ = ∂L/∂a² · ∂a²/∂z² · w²
    assert s2.dL_da_prev == pytest.approx(r.dL_daL * a2 * (1 - a2) * t.ws[1])
    assert s1.dL_da == s2.dL_da_prev
    np.testing.assert_allclose(s1.grad_w, t.grad_w1_717, rtol=1e-12)  # 7.16 = 7.17
    assert s1.grad_w.shape == (2,)
    np.testing.assert_allclose(r.grad_w[0], t.package_grad_w[0], rtol=1e-12)
    assert r.grad_w[1] == pytest.approx(t.package_grad_w[1], rel=1e-12)
    assert t.rel_error < 1e-7


def test_many_layers_recipe(ch):
    m = ch.many
    r = m.recipe
    assert [s.layer for s in r.steps] == [4, 3, 2, 1]
    assert r.steps[-1].dz_da_prev is None  # no link below layer 1
    for upper, lower in zip(r.steps, r.steps[1:]):
        assert lower.dL_da == upper.dL_da_prev == pytest.approx(upper.dL_dz * upper.dz_da_prev)
    for s in r.steps:
        assert s.dL_dz == pytest.approx(s.dL_da * s.da_dz)
        assert s.grad_w == pytest.approx(s.dL_dz * s.dz_dw)
    assert m.rel_error < 1e-7
    assert m.package_error < 1e-12
    np.testing.assert_allclose(r.grad_w0, m.package_grad_w0, rtol=1e-12)


def test_identities_730_733(ch):
    for ident in ch.many.identities:
        assert ident.da_dz == pytest.approx(ident.da_dz_numeric, rel=1e-7)
        assert ident.dz_da_prev == pytest.approx(ident.dz_da_prev_numeric, rel=1e-7)
        assert ident.dz_dw == pytest.approx(ident.dz_dw_numeric, rel=1e-7)


def test_734_as_printed_is_wrong(ch):
    m = ch.many
    # with w^(L-1) in the layer L-1 factor the product is the true ∂L/∂w²
    assert m.grad_w2_734_fixed == pytest.approx(m.recipe.grad_w[1], rel=1e-12)
    assert m.grad_w2_734_fixed == pytest.approx(m.numeric_grad_w[1], rel=1e-6)
    # as printed (w^L twice) it is off by the factor w^L / w^(L-1)
    assert m.grad_w2_734_printed == pytest.approx(m.grad_w2_734_fixed * m.ws[3] / m.ws[2], rel=1e-12)
    assert f"{m.grad_w2_734_printed:.4f}" != f"{m.grad_w2_734_fixed:.4f}"


def test_recipe_bad_loss_name():
    with pytest.raises(KeyError):
        bp.recipe_backprop([1.0], [0.0], 1.0, 1.0, ["tanh"], "hinge")


# --- 7.5.12-7.5.13 catalogues --------------------------------------------------------------------


@pytest.mark.parametrize("name", ["step", "relu", "sigmoid", "identity", "tanh"])
def test_activation_derivatives_gradchecked(ch, name):
    e = ch.act.entries[name]
    assert e.z.shape == e.notes.shape == e.numeric.shape == (12,)
    assert not np.any(e.z == 0)  # no test point on a kink
    assert e.error < 1e-7
    np.testing.assert_allclose(e.notes, e.package, atol=1e-15)


def test_sigmoid_two_forms_agree(ch):
    assert ch.act.sigmoid_forms_error < 1e-15


def test_step_has_no_derivative_at_zero(ch):
    s = ch.act.step_at_zero
    np.testing.assert_allclose(s.slopes, 1 / (2 * s.hs))  # (1 - 0) / 2h: grows without bound
    n = ch.act.step_neuron
    assert set(np.unique(n.loss)) == {0.0, 1.0}
    assert np.all(n.grad == 0.0)  # nothing for gradient descent to follow
    assert n.w_jump == 0.5  # w x + w0 = 0 at w = 0.5 / 1
    assert np.all(n.loss[n.w_grid < n.w_jump] == 1.0) and np.all(n.loss[n.w_grid >= n.w_jump] == 0.0)


@pytest.mark.parametrize("key", ["squared_y1", "absolute_y1", "nll_y1", "nll_y0"])
def test_loss_derivatives_gradchecked(ch, key):
    e = ch.loss[key]
    assert e.error < 1e-7
    np.testing.assert_allclose(e.notes, e.package, rtol=1e-12)
    if e.name == "absolute":
        assert not np.any(e.a == e.y)  # |a - y| has no derivative at a = y


def test_notes_relu_and_sign_conventions_at_zero():
    assert bp.NOTES_ACTIVATION_DERIVATIVES["relu"](0.0) == 1.0  # the notes: step(0) = 1
    assert bp.notes_step(0.0) == 1.0


# --- 7.5.15-7.5.17 matrix form ---------------------------------------------------------------------


def test_matrix_chain_shapes(ch):
    mc = ch.matrix
    for ell, (m, n) in enumerate(zip(mc.sizes[:-1], mc.sizes[1:])):
        assert mc.W[ell].shape == (m, n)  # the notes' W^ℓ: (m^ℓ, n^ℓ)
        assert mc.dZ_dA[ell].shape == (m, n)
        assert mc.dA_dZ[ell].shape == (n, n)
        assert mc.dL_dZ[ell].shape == (n, 1)
        assert mc.dL_dW[ell].shape == (m, n)
        assert mc.package_dW[ell].shape == (n, m)  # snippets: the transpose
        assert mc.printed_shapes[ell] == (n, n)
    assert mc.dL_dAL.shape == (mc.sizes[-1], 1)


def test_matrix_chain_equals_package_and_numeric(ch):
    mc = ch.matrix
    assert mc.package_error < 1e-12
    assert mc.numeric_error < 1e-7
    for d, n in zip(mc.dZ_dA, mc.dZ_dA_numeric):
        np.testing.assert_allclose(n, d, atol=1e-8)
    for ell in range(len(mc.W)):
        np.testing.assert_allclose(mc.package_db[ell], mc.dL_dZ[ell], rtol=1e-12)  # ∂L/∂w0 = ∂L/∂Z


def test_matrix_chain_standard_form(ch):
    """The notes' reversed product equals the usual dZ^ℓ = f'(Z^ℓ) ⊙ (W^(ℓ+1) dZ^(ℓ+1)) in their layout."""
    mc = ch.matrix
    for ell in range(len(mc.W) - 1):
        expected = np.diag(mc.dA_dZ[ell])[:, None] * (mc.W[ell + 1] @ mc.dL_dZ[ell + 1])
        np.testing.assert_allclose(mc.dL_dZ[ell], expected, rtol=1e-12)


def test_matrix_chain_seeded_and_independent_of_batch_mean():
    a, b = bp.matrix_chain(), bp.matrix_chain()
    np.testing.assert_array_equal(a.W[0], b.W[0])
    # two copies of the example: the package's mean-cost gradient is unchanged
    X = np.hstack([a.x, a.x])
    Y = np.hstack([a.y, a.y])
    _, grads = forward_backward([(W.T, w0) for W, w0 in zip(a.W, a.w0)], X, Y, activations=a.activations,
                                loss="squared")
    np.testing.assert_allclose(grads[0][0].T, a.dL_dW[0], rtol=1e-12)


def test_z_squared(ch):
    zs = ch.zsq
    np.testing.assert_array_equal(zs.a, [1, 4, 9])  # 1, 2², 3²
    np.testing.assert_array_equal(zs.fprime, [2, 4, 6])  # 2·1, 2·2, 2·3
    np.testing.assert_array_equal(zs.jacobian, np.diag([2.0, 4.0, 6.0]))
    np.testing.assert_allclose(zs.jacobian_numeric, zs.jacobian, atol=1e-8)
    np.testing.assert_allclose(zs.matrix_product, zs.elementwise_product)  # (1, -4, 12)
    np.testing.assert_array_equal(zs.elementwise_product, [1.0, -4.0, 12.0])


def test_gradcheck_catches_the_printed_weight_formula(ch):
    """Notation 16 as printed cannot even be compared: wrong shape for W¹ (3, 4)."""
    mc = ch.matrix
    printed = mc.dL_dZ[0] @ mc.dL_dZ[0].T
    assert printed.shape != mc.W[0].shape
    assert numerical_gradient(lambda w: float(np.sum(w)), mc.W[0]).shape == mc.W[0].shape
