"""The math-heavy PadhAI chapter: the vectorized rules on the light-math 4-4-2 network, checked three ways."""

import numpy as np
import pytest

from snippets.examples import padhai, padhai_vectorized as pv
from snippets.gradcheck import numerical_gradient, relative_error


@pytest.fixture(scope="module")
def mh():
    return pv.math_heavy()


def test_forward_pass_is_the_light_math_one(mh):
    bw = mh.ce.backward
    # a1 = W1 x = [0.2+1.5+2.4−1.2, −0.6−1+1.5+1.5, −0.6+0+1.5+1.2, 0.4+2.5−2.7+2.1] = [2.9 1.4 2.1 2.3]
    np.testing.assert_allclose(bw.a[0].ravel(), [2.9, 1.4, 2.1, 2.3], atol=1e-12)
    np.testing.assert_allclose(bw.y_hat.ravel(), [0.77033599, 0.22966401], atol=1e-8)
    np.testing.assert_allclose(bw.y_hat, padhai.light_math().exact.forward.y_hat, atol=1e-15)
    assert bw.loss == pytest.approx(-np.log(0.77033599), abs=1e-8)  # −log ŷ1 = 0.2609


def test_output_gradient_indicator_vector_chain_and_numeric_agree(mh):
    out = mh.output
    assert out.l == 1 and out.a.shape == (2,)
    for name in ("quotient_first", "quotient_second", "dyhat_l_da", "chain", "indicator_form", "vector_form"):
        assert getattr(out, name).shape == (2,)
    # quotient rule: first − second is row l of diag(ŷ) − ŷŷᵀ = [ŷ1(1 − ŷ1), −ŷ1ŷ2] = [0.1769, −0.1769]
    np.testing.assert_allclose(out.dyhat_l_da, out.jacobian_row, atol=1e-15)
    np.testing.assert_allclose(out.dyhat_l_da, [0.17691845, -0.17691845], atol=1e-8)
    assert out.dL_dyhat_l == pytest.approx(-1 / 0.77033599, abs=1e-7)  # −1/ŷ1 = −1.298
    # (−1/ŷ1)(ŷ1 − ŷ1², −ŷ1ŷ2) = (−(1 − ŷ1), ŷ2) = ŷ − y
    np.testing.assert_allclose(out.chain, out.indicator_form, atol=1e-15)
    np.testing.assert_allclose(out.indicator_form, out.vector_form, atol=1e-15)
    np.testing.assert_allclose(out.vector_form, [-0.22966401, 0.22966401], atol=1e-8)
    assert out.relative_error < 1e-8


def test_notes_scenario_k4_l2():
    sc = pv.notes_scenario()
    assert sc.a.shape == (4,) and sc.l == 2
    np.testing.assert_array_equal(sc.e_l, [0, 1, 0, 0])
    # entry 2 is −(1 − ŷ2); the others are −(0 − ŷ_i) = ŷ_i
    assert sc.vector_form[1] == pytest.approx(-(1 - sc.y_hat[1]), abs=1e-15)
    np.testing.assert_allclose(sc.vector_form[[0, 2, 3]], sc.y_hat[[0, 2, 3]], atol=1e-15)
    assert sc.vector_form.sum() == pytest.approx(0.0, abs=1e-15)  # Σ ŷ − Σ y = 1 − 1
    assert sc.relative_error < 1e-8


def test_output_gradient_rejects_bad_class_index():
    with pytest.raises(ValueError, match="l: expected"):
        pv.output_gradient([0.0, 1.0], l=0)


def test_hidden_layer_sum_equals_matrix_form(mh):
    bw = mh.ce.backward
    assert mh.hidden_sums.shape == (4, 1) and bw.grad_h[0].shape == (4, 1)
    np.testing.assert_allclose(mh.hidden_sums, padhai.W2.T @ bw.grad_a[1], atol=1e-15)
    assert mh.hidden_sums_error < 1e-15
    # ∂L/∂h11 = 0.5(ŷ1 − 1) + 0.5 ŷ2 = 0.5(ŷ1 + ŷ2 − 1) = 0 (up to round-off): w211 = w221
    assert abs(bw.grad_h[0][0, 0]) < 1e-15
    # ∇a1 = ∇h1 ⊙ h1(1 − h1)
    h1 = bw.h[1]
    np.testing.assert_allclose(bw.grad_a[0], bw.grad_h[0] * h1 * (1 - h1), atol=1e-15)


def test_weight_and_bias_gradients_are_outer_products(mh):
    bw = mh.ce.backward
    for (W, b), gW, gb in zip(pv.params_442(), bw.grad_W, bw.grad_b):
        assert gW.shape == W.shape and gb.shape == b.shape
    np.testing.assert_allclose(bw.grad_W[1], bw.grad_a[1] @ bw.h[1].T, atol=1e-15)
    np.testing.assert_allclose(bw.grad_W[0], bw.grad_a[0] @ padhai.X.T, atol=1e-15)
    np.testing.assert_array_equal(bw.grad_b[0], bw.grad_a[0])


def test_cross_entropy_gradients_checked(mh):
    ce = mh.ce
    assert ce.gradcheck_error < 1e-7
    assert ce.package_error < 1e-12
    # ∂L/∂a13 = (0.2·(−0.2297) + 0.3·0.2297) · h13(1 − h13) = 0.02297 · 0.0972 = 0.002232; · x1 = 2
    assert ce.dL_dw131 == pytest.approx(0.0044644, abs=1e-7)
    # ∂L/∂w212 = (ŷ1 − 1) · h12 = −0.22966 · 0.80218
    assert ce.dL_dw212 == pytest.approx(-0.22966401 * 0.80218389, abs=1e-8)
    # reuse: ∂L/∂w13k = ∂L/∂a13 · x_k, x = [2 5 3 3]
    np.testing.assert_allclose(ce.w13_row, ce.backward.grad_a[0][2, 0] * np.array([2, 5, 3, 3]), atol=1e-15)
    np.testing.assert_allclose(ce.w13_row, ce.backward.grad_W[0][2], atol=1e-15)


def test_squared_error_matches_the_light_math_chapter(mh):
    se = mh.se
    assert se.gradcheck_error < 1e-7 and se.package_error < 1e-12
    assert mh.light_math_error < 1e-12 and mh.light_math_da2_error < 1e-12
    # ∇ŷ = 2(ŷ − y) = [−0.4593 0.4593]; ∇a2 = Jᵀ∇ŷ = [−0.1625 0.1625]
    np.testing.assert_allclose(se.backward.grad_y_hat.ravel(), [-0.45932802, 0.45932802], atol=1e-8)
    np.testing.assert_allclose(se.backward.grad_a[1].ravel(), [-0.16252721, 0.16252721], atol=1e-8)
    assert se.dL_dw131 == pytest.approx(0.0031594, abs=1e-7)
    # the notes' printed 0.001595 is about half: they keep one of the two softmax terms per path
    assert mh.notes_dL_dw131 == pytest.approx(0.001595, abs=1e-6)
    assert se.dL_dw131 / mh.notes_dL_dw131 == pytest.approx(1.98, abs=0.01)


def test_the_two_losses_give_different_gradients(mh):
    assert not np.allclose(mh.ce.backward.grad_W[0], mh.se.backward.grad_W[0])
    assert mh.ce_over_se_w131 == pytest.approx(0.0044644 / 0.0031594, abs=1e-4)


def test_responsibility_story_442(mh):
    steps = mh.ce.backward.steps
    assert [s.number for s in steps] == list(range(1, 8))  # 1 + 3 · 2 layers
    assert steps[0].speaker == "the loss" and steps[-1].speaker == "the parameters W1, b1"
    np.testing.assert_array_equal(steps[1].value.ravel(), [-1 / mh.ce.backward.y_hat[0, 0], 0.0])
    assert not np.signbit(steps[1].value[1, 0])


def test_deeper_network_ten_steps():
    d = pv.deeper()
    assert len(d.backward.steps) == 10  # the notes' story: loss down to W1, b1 over three layers
    assert d.gradcheck_error < 1e-7 and d.package_error < 1e-12
    assert [g.shape for g in d.backward.grad_W] == [(3, 4), (3, 3), (2, 3)]


def test_unknown_loss_is_rejected():
    with pytest.raises(ValueError, match="loss: expected"):
        pv.vectorized_backward(pv.params_442(), padhai.X, padhai.Y, loss="hinge")


def test_gradcheck_catches_a_missing_activation_derivative():
    """Forgetting ⊙ g′(a1) (using ∇h1 as ∇a1) is caught by centred differences."""
    params = pv.params_442()
    bw = pv.vectorized_backward(params, padhai.X, padhai.Y, loss="cross_entropy")
    wrong_dW1 = bw.grad_h[0] @ padhai.X.T

    def loss_of(W1):
        return pv.vectorized_backward([(W1, params[0][1]), params[1]], padhai.X, padhai.Y, loss="cross_entropy").loss

    numeric = numerical_gradient(loss_of, params[0][0])
    assert relative_error(bw.grad_W[0], numeric) < 1e-7
    assert relative_error(wrong_dW1, numeric) > 0.5


def test_parameter_steps_show_weight_and_bias_gradients():
    d = pv.deeper()
    parameter_steps = [s for s in d.backward.steps if s.speaker.startswith("the parameters")]
    assert [s.number for s in parameter_steps] == [4, 7, 10]  # the notes' steps for W3, b3; W2, b2; W1, b1
    for step, layer in zip(parameter_steps, (2, 1, 0)):
        np.testing.assert_array_equal(step.value, d.backward.grad_W[layer])
        np.testing.assert_array_equal(step.bias, d.backward.grad_b[layer])
        assert step.bias.shape == d.params[layer][1].shape
    assert all(s.bias is None for s in d.backward.steps if s not in parameter_steps)
