"""Every answer of Backprop Workbook 01 (snippets.examples.workbook), checked.

Derivatives are checked against centred differences in float64; the network's shapes, the step-by-step
derivation of ∇z3 CE, ∇W3 as an outer product, ∇b3 and the translation to the package's column
convention are each asserted. A wrong answer in the module (or in the notebook that imports it) fails here.
"""

import numpy as np
import pytest

from snippets.examples import workbook as wb
from snippets.gradcheck import numerical_gradient, relative_error
from snippets.layers import dense_backward, dense_forward
from snippets.network import forward, forward_backward


@pytest.fixture(scope="module")
def book():
    return wb.workbook()


# --- calculus ----------------------------------------------------------------------------------


@pytest.mark.parametrize("item", wb.CALCULUS, ids=lambda d: d.question)
@pytest.mark.parametrize("x", wb.SAMPLE_POINTS)
def test_calculus_answers(item, x):
    numeric = numerical_gradient(lambda v: item.f(v[0]), np.array([x]))[0]
    assert abs(item.claimed(x) - numeric) <= 1e-7 * max(1.0, abs(numeric))


def test_log_of_square_holds_for_negative_x_too():
    # log(x²) exists for x < 0 (log x does not); its derivative is still 2/x: at x = -1.5, 2/x = -4/3.
    numeric = numerical_gradient(lambda v: np.log(v[0] ** 2), np.array([-1.5]))[0]
    assert numeric == pytest.approx(-4 / 3, rel=1e-8)


def test_log_rules():
    for rule, (left, right) in wb.log_rules().items():
        assert left == pytest.approx(right, rel=1e-12), rule


def test_chain_rule_gives_question_3():
    # f = exp, g = x², f'(g(x)) g'(x) = e^(x²) · 2x
    composed = wb.chain_rule(np.exp, np.exp, lambda x: x**2, lambda x: 2 * x)
    for x in wb.SAMPLE_POINTS:
        assert composed(x) == pytest.approx(2 * x * np.exp(x**2), rel=1e-12)
        numeric = numerical_gradient(lambda v: np.exp(v[0] ** 2), np.array([x]))[0]
        assert composed(x) == pytest.approx(numeric, rel=1e-7)


def test_gradient_of_the_product():
    x = np.array([3.0, -2.0])
    assert wb.product(x) == -6.0
    assert np.array_equal(wb.product_gradient(x), [-2.0, 3.0])  # (x2, x1)
    assert relative_error(wb.product_gradient(x), numerical_gradient(wb.product, x)) < 1e-9


# --- the network and the shapes ----------------------------------------------------------------


def test_shapes(book):
    net = book.net
    assert wb.SIZES == (1024, 512, 256, 10)
    assert net.x.shape == (1024,) and net.W1.shape == (1024, 512) and net.W2.shape == (512, 256)
    assert net.W3.shape == (256, 10) and net.b3.shape == (10,)
    assert net.h2.shape == (256,) and net.z3.shape == (10,) and net.h3.shape == (10,)
    assert book.grad_W3_shape == (256, 10) == net.W3.shape
    assert book.grad_z3_shape == (10,) == book.grad_b3_shape


def test_forward_pass_pinned(book):
    net = book.net
    assert net.y_star == 3 and net.y.sum() == 1.0 and net.y[3] == 1.0
    assert net.h3.sum() == pytest.approx(1.0, abs=1e-15)
    # CE = -log h3[3] = -log 0.033729 = 3.3894
    assert net.h3[3] == pytest.approx(0.0337288, abs=1e-7)
    assert net.ce == pytest.approx(3.3894038, abs=1e-7)
    assert len(book.grads.zero_rows) == 135  # ReLU switched off 135 of the 256 units of h2


def test_entry_of_grad_W3_is_the_effect_of_nudging_that_weight(book):
    net, grads = book.net, book.grads
    i, j, eps = int(np.flatnonzero(net.h2 > 0)[0]), 7, 1e-6
    W3 = net.W3.copy()
    W3[i, j] += eps
    assert (wb.ce_of_W3(W3, net) - net.ce) / eps == pytest.approx(grads.grad_W3[i, j], rel=1e-4)


def test_changing_one_weight_changes_one_logit_and_every_probability(book):
    net = book.net
    i, j = int(np.flatnonzero(net.h2 > 0)[0]), 7
    W3 = net.W3.copy()
    W3[i, j] += 0.1
    z3 = net.h2 @ W3 + net.b3
    assert np.flatnonzero(z3 != net.z3).tolist() == [j]
    assert np.all(wb.softmax(z3) != net.h3)


# --- backprop to z3 ----------------------------------------------------------------------------


def test_each_form_of_the_loss_is_the_same_number(book):
    s = book.steps
    for form in (s.ce_dot, s.ce_expanded, s.ce_one_term, s.ce_difference):
        assert form == pytest.approx(book.net.ce, rel=1e-13)
    assert wb.ce_of_z3(book.net.z3, book.net.y) == pytest.approx(book.net.ce, rel=1e-13)


def test_every_logit_matters(book):
    numeric = numerical_gradient(lambda z: wb.ce_of_z3(z, book.net.y), book.net.z3)
    assert np.all(numeric != 0)


def test_first_and_second_term(book):
    net, s = book.net, book.steps
    first = numerical_gradient(lambda z: -z[net.y_star], net.z3)
    assert np.allclose(first, s.first_term_grad, atol=1e-9)
    assert s.first_term_grad[net.y_star] == -1.0 and np.count_nonzero(s.first_term_grad) == 1
    second = numerical_gradient(lambda z: np.log(np.sum(np.exp(z))), net.z3)
    assert relative_error(s.second_term_grad, second) < 1e-8
    assert np.allclose(s.dsum_exp / s.sum_exp, net.h3, rtol=1e-14)  # Q9: the second term is h3
    # Q10: the second term does not depend on the true class
    other = wb.z3_steps(wb.make_network(seed=0, y_star=5))
    assert np.array_equal(other.second_term_grad, s.second_term_grad)


def test_grad_z3_is_h3_minus_y(book):
    net, s = book.net, book.steps
    assert np.allclose(s.grad_z3, net.h3 - net.y, rtol=1e-14, atol=1e-16)
    numeric = numerical_gradient(lambda z: wb.ce_of_z3(z, net.y), net.z3)
    assert relative_error(s.grad_z3, numeric) < 1e-8


def test_signs(book):
    g, s = book.grads.grad_z3, book.net.y_star
    assert g[s] < 0 and np.all(np.delete(g, s) > 0)
    assert abs(g.sum()) < 1e-15  # h3 sums to 1 and y sums to 1


# --- backprop to W3 ----------------------------------------------------------------------------


def test_grad_W3_is_the_outer_product(book):
    net, grads = book.net, book.grads
    assert np.array_equal(grads.grad_W3, grads.grad_W3_entrywise)
    assert np.array_equal(grads.grad_W3, net.h2[:, None] * grads.grad_z3[None, :])
    numeric = numerical_gradient(lambda W: wb.ce_of_W3(W, net), net.W3)
    assert relative_error(grads.grad_W3, numeric) < 1e-7


def test_zero_activation_gives_zero_row(book):
    rows = book.grads.zero_rows
    assert len(rows) > 0 and np.all(book.net.h2[rows] == 0)
    assert np.all(book.grads.grad_W3[rows] == 0)
    live = np.setdiff1d(np.arange(256), rows)
    assert np.all(np.any(book.grads.grad_W3[live] != 0, axis=1))


def test_zero_upstream_gives_zero_column(book):
    net = book.net
    # with softmax + CE, (h3 - y)_j is never exactly 0: every h3_j lies strictly between 0 and 1
    assert np.all((net.h3 > 0) & (net.h3 < 1))
    # so the case is shown with an upstream gradient that has a zero in column j = 4
    dz = book.grads.grad_z3.copy()
    dz[4] = 0.0
    _, dW, _ = dense_backward(dz[:, None], dense_forward(net.h2[:, None], net.W3.T, net.b3[:, None])[1])
    assert np.all(dW.T[:, 4] == 0) and np.all(np.any(dW.T[:, :4] != 0, axis=0))


def test_dz3_dW3_is_h2(book):
    assert book.dz3_dW3 == pytest.approx(1.0, abs=1e-8)  # ∂z3_j/∂W3_ij / h2_i


# --- backprop to b3 ----------------------------------------------------------------------------


def test_grad_b3(book):
    net, grads = book.net, book.grads
    assert book.dz3_db3 == pytest.approx(1.0, abs=1e-8)
    assert np.array_equal(grads.grad_b3, grads.grad_z3)
    numeric = numerical_gradient(lambda b: wb.ce_of_b3(b, net), net.b3)
    assert relative_error(grads.grad_b3, numeric) < 1e-8


def test_batch_bias_gradient_is_the_mean_of_grad_z3_not_equal_to_it():
    params, _, _ = wb.to_package(wb.make_network())
    rng = np.random.default_rng(1)
    m = 4
    X = rng.standard_normal((1024, m))
    Y = np.eye(10)[:, [3, 0, 7, 3]]
    _, grads = forward_backward(params, X, Y, activations=["relu", "relu", "softmax"], loss="cross_entropy")
    A3, _ = forward(params, X, activations=["relu", "relu", "softmax"])
    dZ3 = (A3 - Y) / m
    assert dZ3.shape == (10, 4) and grads[2][1].shape == (10, 1)
    assert np.allclose(grads[2][1], dZ3.sum(axis=1, keepdims=True), rtol=1e-13, atol=1e-17)


# --- the translation to the package's convention -------------------------------------------------


def test_package_gives_the_transposes(book):
    net, grads = book.net, book.grads
    params, X, Y = wb.to_package(net)
    assert [W.shape for W, _ in params] == [(512, 1024), (256, 512), (10, 256)]
    z3, _ = dense_forward(net.h2[:, None], params[2][0], params[2][1])
    assert np.allclose(z3[:, 0], net.z3, rtol=1e-13, atol=1e-15)
    cost, pgrads = forward_backward(params, X, Y, activations=["relu", "relu", "softmax"], loss="cross_entropy")
    assert cost == pytest.approx(net.ce, rel=1e-13)
    assert np.allclose(pgrads[2][0], grads.grad_W3.T, rtol=1e-12, atol=1e-17)
    assert np.allclose(pgrads[2][1][:, 0], grads.grad_b3, rtol=1e-12, atol=1e-17)


# --- erratum: the log stays inside the sum ---------------------------------------------------------


def test_soft_label_example():
    s = wb.soft_label_example()
    # -(0.1 log 0.2 + 0.6 log 0.5 + 0.3 log 0.3) = 0.1609 + 0.4159 + 0.3612 = 0.9380
    assert s["soft_true"] == pytest.approx(0.938024, abs=1e-6)
    # -log(0.02 + 0.30 + 0.09) = -log 0.41 = 0.8916
    assert s["soft_workbook"] == pytest.approx(0.891598, abs=1e-6)
    # one-hot: both are -log 0.5 = 0.6931
    assert s["one_hot_true"] == s["one_hot_workbook"] == pytest.approx(np.log(2), rel=1e-15)


def test_log_outside_the_sum_agrees_exactly_when_h_is_constant_on_the_support():
    s = wb.soft_label_example()
    # y = (.5, .5, 0), h = (.3, .3, .4): h is 0.3 wherever y > 0, so both give -log 0.3
    assert s["tied_true"] == pytest.approx(-np.log(0.3), rel=1e-15)
    assert s["tied_workbook"] == pytest.approx(s["tied_true"], rel=1e-15)
    # Jensen: -log Σ y h <= -Σ y log h, strict when h varies on the support
    assert s["soft_workbook"] < s["soft_true"]
    rng = np.random.default_rng(0)
    for _ in range(200):
        y, h = rng.dirichlet(np.ones(5)), rng.dirichlet(np.ones(5))
        assert -np.log(y @ h) < wb.cross_entropy(h, y)
