"""The Lviv slides' formulas, executed: each checked against snippets.network, finite differences or a closed form."""

import itertools
import math

import numpy as np
import pytest

from snippets.activations import softmax
from snippets.examples import lviv
from snippets.graph import trace


@pytest.fixture(scope="module")
def two():
    return lviv.two_layer()


@pytest.fixture(scope="module")
def graphs():
    return lviv.graphs()


# --- notation, dimensions, loop vs broadcast -----------------------------------------------------------------


def test_two_layer_shapes_are_the_slides(two):
    # "W[1] ((4,3) matrix), b[1] ((4,1) matrix); W[2] is a (1,4) matrix, b[2] is a (1,1) matrix"
    assert two.W1.shape == (4, 3) and two.b1.shape == (4, 1)
    assert two.W2.shape == (1, 4) and two.b2.shape == (1, 1)
    # Z[1] is (n[1], m); A[2] = Y-hat is (n[2], m) with n[2] = 1
    assert two.Z1.shape == (4, two.m) and two.A2.shape == (1, two.m)
    assert two.n_params == 4 * 3 + 4 + 1 * 4 + 1 == 21


def test_loop_equals_broadcast(two):
    assert two.loop_max_diff < 1e-15
    np.testing.assert_array_equal(two.Z1_loop.shape, two.Z1.shape)


def test_two_layer_backward_matches_network_and_finite_differences(two):
    assert two.err_network < 1e-13
    assert two.err_numeric < 1e-7
    for (dW, db), (W, b) in zip([(two.dW1, two.db1), (two.dW2, two.db2)], [(two.W1, two.b1), (two.W2, two.b2)]):
        assert dW.shape == W.shape and db.shape == b.shape


def test_the_two_meanings_of_dZ_differ_by_m(two):
    # slides part 1: dZ2 = A2 - Y;  detailed part: dJ/dZ2 = (A2 - Y)/m;  same dW2 either way
    np.testing.assert_allclose(two.dZ2, two.A2 - two.Y)
    np.testing.assert_allclose(two.dJ_dZ2 * two.m, two.dZ2)
    np.testing.assert_allclose(two.dJ_dZ2 @ two.A1.T, two.dW2)


def test_deep_dimension_table_and_backward_steps():
    d = lviv.deep()
    n = d.sizes
    for l in range(1, len(n)):
        s = d.shapes[l]
        assert s["W"] == (n[l], n[l - 1]) and s["b"] == (n[l], 1)
        assert s["Z"] == s["A"] == s["dZ"] == s["dA"] == (n[l], d.m)
        assert s["dW"] == s["W"] and s["db"] == s["b"]
    assert d.shapes[0]["A"] == (n[0], d.m)
    assert d.shapes[-1]["A"] == d.Y.shape  # the A column is the activations' own shape, not a copy of Z's
    assert d.err_network < 1e-13 and d.err_numeric < 1e-6
    # what the forward step caches is enough for the backward step: A_prev, W, Z (b is never read)
    assert all(set(c) == {"A_prev", "W", "Z"} for c in d.caches)


# --- symmetry ----------------------------------------------------------------------------------------------------


def test_zero_init_keeps_hidden_units_identical():
    s = lviv.symmetry()
    assert max(s.zero.row_gap) == 0.0 and max(s.zero.unit_gap) == 0.0      # exactly equal, every step
    assert s.zero.W1[0, 0] == s.zero.W1[1, 0] and s.zero.W1[0, 1] == s.zero.W1[1, 1]
    # first step from zero: W2 = 0 blocks dW1; A1 = 0.5 everywhere gives dW2 two equal entries
    # dW2 = (1/5) sum_i (0.5 - y_i) 0.5 = (1/5)(0.5*5 - 2) 0.5 = 0.05
    np.testing.assert_array_equal(s.zero_first_dW1, np.zeros((2, 2)))
    np.testing.assert_allclose(s.zero_first_dW2, [[0.05, 0.05]], rtol=1e-12)
    assert s.small.row_gap[0] > 0 and min(s.small.row_gap) > 0              # 0.01 N(0,1) breaks the tie
    assert s.larger.cost_final < 0.01 < 0.6 < s.zero.cost_final             # larger weights learn the task
    assert abs(s.zero.cost_final - s.small.cost_final) < 1e-6                # 0.01 weights still near the saddle


# --- the fully indexed derivation --------------------------------------------------------------------------------


def test_indexed_sums_equal_vectorized_and_network():
    r = lviv.indexed()
    assert r.max_diff < 1e-15
    assert r.err_network < 1e-13
    assert r.jacobian_symmetric
    for key in r.loops:
        assert r.loops[key].shape == r.vectorized[key].shape


# --- computation graphs ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu_pos", "relu_neg", "softmax"])
def test_every_graph_node_matches_the_slides_and_finite_differences(graphs, name):
    g = getattr(graphs, name)
    assert set(g.notes) == set(g.nodes)          # every node has the slides' formula
    assert g.worst_notes < 1e-15
    assert g.worst_numeric < 1e-9
    assert len(trace(g.root)[0]) >= len(g.nodes)


def test_graph_closed_forms(graphs):
    a = graphs.sigmoid.root.data
    assert a == pytest.approx(1 / (1 + math.exp(-0.5)))
    assert graphs.sigmoid.nodes["u0"].grad == pytest.approx(a * (1 - a), rel=1e-15)
    t = graphs.tanh.root.data
    assert t == pytest.approx(math.tanh(0.5), rel=1e-15)
    assert graphs.tanh.nodes["u0"].grad == pytest.approx(1 - t * t, rel=1e-14)
    assert graphs.relu_pos.nodes["u0"].grad == 1.0 and graphs.relu_neg.nodes["u0"].grad == 0.0
    aj = graphs.softmax.root.data
    assert graphs.softmax.nodes["u-1"].grad == pytest.approx(aj * (1 - aj), rel=1e-14)
    assert graphs.softmax.nodes["u-1"].grad == pytest.approx(graphs.softmax_package, rel=1e-14)


def test_softmax_backward_form(graphs):
    sb = graphs.softmax_backward
    assert sb.max_diff < 1e-15
    np.testing.assert_allclose(sb.jacobian_num, sb.jacobian_num.T, atol=1e-17)
    np.testing.assert_allclose(np.diag(sb.jacobian_num), sb.a * (1 - sb.a))
    h = 1e-6  # column j of the numerator-layout Jacobian: how every a_p moves when z_j is nudged
    numeric = np.column_stack([(softmax(sb.z + h * e) - softmax(sb.z - h * e)) / (2 * h) for e in np.eye(len(sb.z))])
    np.testing.assert_allclose(sb.jacobian_num, numeric, atol=1e-9)
    assert abs(sb.slides.sum()) < 1e-15           # softmax gradients sum to 0 over a column


# --- costs --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["binary", "multiclass", "multilabel"])
def test_every_cost_gives_A_minus_Y_over_m(name):
    c = getattr(lviv.costs(), name)
    assert c.err_formula < 1e-15
    assert c.err_numeric < 1e-8
    assert c.err_dA == 0.0
    assert c.dZ.shape == c.A.shape == c.Y.shape


# --- circuits -----------------------------------------------------------------------------------------------------


def test_parity_counts():
    c = lviv.circuits()
    by_n = {r.n: r for r in c.rows}
    assert by_n[8] == lviv.CircuitRow(8, 3, 7, 128, 8)
    assert by_n[64].dnf_terms == 2 ** 63
    assert c.checked_up_to == 8 and c.min_dnf_checked_up_to == 4


def test_parity_constructions_on_small_inputs():
    # odd n: the unpaired bit is carried up a level (depth 2, two gates for n = 3)
    value, depth, gates = lviv.xor_tree((0, 0, 1))
    assert value == 1 and depth == 2 and gates == 2
    assert lviv.parity_threshold_net((1, 1, 0)) == 0 and lviv.parity_threshold_net((1, 1, 1)) == 1


def test_fan_in_two_depth_is_needed_and_and_or_are_threshold_units():
    # depth d with two-input gates reaches at most 2**d inputs: the XOR tree's depth is the least possible
    for r in lviv.circuits().rows:
        assert 2 ** (r.tree_depth - 1) < r.n <= 2 ** r.tree_depth
    for n in range(1, 7):
        for bits in itertools.product((0, 1), repeat=n):
            assert int(sum(bits) >= n) == int(all(bits)) and int(sum(bits) >= 1) == int(any(bits))


# --- figures ------------------------------------------------------------------------------------------------------


def test_chain_figures_are_deterministic_and_have_unique_markers():
    up = lviv.chain_svg(lviv.TWO_LAYER_BACKWARD, upward=True, title="backward")
    down = lviv.chain_svg(lviv.TWO_LAYER_FORWARD, upward=False, title="forward")
    assert up == lviv.chain_svg(lviv.TWO_LAYER_BACKWARD, upward=True, title="backward")
    assert up.count("<rect") == len(lviv.TWO_LAYER_BACKWARD) and 'role="img"' in up
    marker = lambda svg: svg.split('marker id="')[1].split('"')[0]  # noqa: E731
    assert marker(up) != marker(down)
    with pytest.raises(ValueError, match="steps"):
        lviv.chain_svg((), upward=False, title="empty")


def test_deep_blocks_one_per_layer():
    forward = lviv.deep_blocks(3, backward=False)
    backward = lviv.deep_blocks(3, backward=True)
    assert len(forward) == 3 + 2 and len(backward) == 3 + 1
    assert "dA[3]" in backward[2] and "cache A[0]" in forward[1]
    with pytest.raises(ValueError, match="L"):
        lviv.deep_blocks(0, backward=False)


def test_indexed_exposes_its_parameters():
    r = lviv.indexed()
    (W1, b1), (W2, b2) = r.params
    assert W1.shape == (4, 3) and b1.shape == (4, 1) and W2.shape == (3, 4) and b2.shape == (3, 1)
