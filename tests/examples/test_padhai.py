"""The PadhAI light-math worked example, pinned with the hand arithmetic beside the asserts."""

import numpy as np
import pytest

from snippets.examples import padhai
from snippets.gradcheck import numerical_gradient, relative_error

R = padhai.light_math()


def test_forward_pass_with_zero_bias():
    # a1 = W1 x: 0.1·2 + 0.3·5 + 0.8·3 − 0.4·3 = 2.9, and so on
    np.testing.assert_allclose(R.exact.forward.a1.ravel(), [2.9, 1.4, 2.1, 2.3], atol=1e-12)
    assert R.exact.forward.a1.shape == (4, 1) and R.exact.forward.y_hat.shape == (2, 1)
    assert R.exact.forward.y_hat.sum() == pytest.approx(1.0)


def test_notes_arithmetic_is_reproduced_exactly():
    w = R.as_printed.w212
    assert w.dL_dyhat1 == pytest.approx(-0.46)  # −2 (1 − 0.77)
    assert w.dyhat1_da21 == pytest.approx(0.1771)  # 0.77 · 0.23
    assert w.dL_dw212 == pytest.approx(-0.46 * 0.1771 * 0.8)
    assert w.w212_new == pytest.approx(0.865)  # 0.8 − 1 · (−0.065)
    g = R.as_printed.w131
    assert g.paths[0] == pytest.approx(-0.46 * 0.1771 * 0.2 * 0.0979 * 2)
    assert g.paths[1] == pytest.approx(0.46 * 0.1771 * 0.3 * 0.0979 * 2)
    assert g.w131_new == pytest.approx(-0.3 - g.dL_dw131)


def test_true_gradients_are_backprop_and_finite_differences():
    assert R.true.relative_error < 1e-7
    assert R.true.dW1.shape == padhai.W1.shape and R.true.dW2.shape == padhai.W2.shape
    assert R.true.dL_dw212 == pytest.approx(R.true.numeric_dL_dw212, rel=1e-7)
    assert R.true.dL_dw131 == pytest.approx(R.true.numeric_dL_dw131, rel=1e-6)


def test_the_notes_chains_are_exactly_half_the_truth():
    # two classes: L = 2 (y1 − ŷ1)², and the notes differentiate one of the two equal halves
    assert R.true.ratio_w212 == pytest.approx(2.0, abs=1e-12)
    assert R.true.ratio_w131 == pytest.approx(2.0, abs=1e-12)


def test_sum_over_all_four_paths_is_the_true_derivative():
    p = padhai.paths_w131()
    assert len(p.paths) == 4
    assert p.total == pytest.approx(R.true.dL_dw131, rel=1e-12)
    assert p.notes_total == pytest.approx(R.exact.w131.dL_dw131, rel=1e-12)


def test_softmax_gradient_sums_to_zero_so_h11_gets_none():
    assert R.true.dL_da2.sum() == pytest.approx(0.0, abs=1e-15)
    np.testing.assert_allclose(R.true.dW1[0], 0.0, atol=1e-15)  # w211 = w221 = 0.5


def test_stated_bias_changes_every_number():
    np.testing.assert_allclose(R.stated_bias.a1.ravel(), [3.4, 1.9, 2.6, 2.8], atol=1e-12)
    assert R.implied_bias == (0.0, 0.0)


def test_stated_bias_read_as_output_vector_keeps_a1_but_not_a2():
    # b1 = 0: a1 and h1 are the printed ones; a2 = W2 h1 + [0.5, 0.3] moves by exactly the bias
    np.testing.assert_array_equal(R.output_bias.a1, R.exact.forward.a1)
    np.testing.assert_allclose(R.output_bias.a2 - R.exact.forward.a2, [[0.5], [0.3]], atol=1e-15)
    assert round(R.output_bias.y_hat[0, 0], 2) != round(R.exact.forward.y_hat[0, 0], 2)


def test_per_layer_output_bias_cannot_change_y_hat():
    # softmax(a + c) = softmax(a): the same b2 on both outputs changes a2 only
    assert R.b2_effect < 1e-15
    assert not np.allclose(R.stated_bias.a2, padhai.forward(b1=0.5).a2)


def test_deeper_network_paths_and_single_path():
    net = padhai.deeper_network()
    W1, W2, W3, x = net.W1, net.W2, net.W3, net.x
    sig = lambda z: 1 / (1 + np.exp(-z))  # noqa: E731
    h1 = sig(W1 @ x)
    h2 = sig(W2 @ h1)
    y_hat = sig(W3 @ h2)[0, 0]
    d_out = -2 * (net.y[0, 0] - y_hat) * y_hat * (1 - y_hat)
    paths = [d_out * W3[0, m] * h2[m, 0] * (1 - h2[m, 0]) * W2[m, 1] * h1[1, 0] * (1 - h1[1, 0]) * x[0, 0]
             for m in range(3)]
    assert sum(paths) == pytest.approx(net.dL_dw121, rel=1e-12)
    assert net.dL_dw121 == pytest.approx(net.numeric_dL_dw121, rel=1e-6)
    single = d_out * W3[0, 1] * h2[1, 0] * (1 - h2[1, 0]) * h1[1, 0]
    assert single == pytest.approx(net.dL_dw222, rel=1e-12)
    assert net.dL_dw222 == pytest.approx(net.numeric_dL_dw222, rel=1e-6)
    assert [dW.shape for dW, _ in net.grads] == [(3, 3), (3, 3), (1, 3)]


def test_deeper_figure_highlights_and_rejects_unknown_weight():
    assert "w121" in padhai.deeper_figure("w121") and "w222" in padhai.deeper_figure("w222")
    with pytest.raises(ValueError, match="weight"):
        padhai.deeper_figure("w999")


@pytest.mark.parametrize("name", ["exp_x2", "exp_exp_x2", "inv_exp_x2"])
def test_warm_up_derivatives(name):
    w = getattr(padhai.warm_ups(), name)
    assert w.relative_error < 1e-7


def test_warm_up_notes_form_is_wrong():
    w = padhai.warm_ups()
    x = w.x0
    assert w.exp_exp_x2.chain_rule == pytest.approx(2 * x * np.exp(x**2) * np.exp(np.exp(x**2)))
    assert w.notes_over_true < 0.5


def test_updates_use_the_learning_rate():
    assert R.true.w212_new == pytest.approx(padhai.W2[0, 1] - padhai.ETA * R.true.dL_dw212)
    grad = numerical_gradient(lambda w: padhai._loss_of(padhai.W1, w), padhai.W2)
    assert relative_error(R.true.dW2, grad) < 1e-7


def test_network_figure_is_deterministic_svg():
    import xml.etree.ElementTree as ET

    svg = padhai.network_figure()
    assert svg == padhai.network_figure()
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    assert svg.count("<line") == 4 * 4 + 4 * 2
    for label in ("w212", "w131", "h13", "ŷ2"):
        assert label in svg
