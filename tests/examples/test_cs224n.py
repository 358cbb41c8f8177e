"""The CS224N chapter's worked examples: shapes the notes derive, gradients checked, numbers pinned."""

import numpy as np
import pytest

from snippets import graph
from snippets.examples import cs224n
from snippets.activations import softmax, softmax_jacobian
from snippets.gradcheck import numerical_gradient, numerical_jacobian, relative_error
from snippets.losses import cost
from snippets.optim import minibatches, sgd_step


@pytest.fixture(scope="module")
def ch():
    return cs224n.chapter()


# --- §2 window classifier ---------------------------------------------------------------------------------

def test_window_shapes(ch):
    w = ch["window"]
    n, m = 3, 20  # 3 hidden units; 5 words × 4 dimensions
    assert w.x.shape == (m, 1) and w.W.shape == (n, m) and w.h.shape == (n, 1)  # h: a vector, not a matrix
    assert w.delta.shape == (1, n)  # uᵀ f′(z): a row
    assert w.J.shape == (n, n)
    assert w.dW.shape == (n, m) == w.W.shape  # δᵀ xᵀ: (n, 1)(1, m)
    assert w.db.shape == (n, 1) == w.b.shape  # δᵀ
    # x is the 5 word vectors stacked: entries 4..7 are the second word ("in")
    np.testing.assert_array_equal(w.x[4:8, 0], w.word_vectors[:, 1])


def test_window_gradients(ch):
    w = ch["window"]
    np.testing.assert_allclose(w.J_numeric, w.J, atol=1e-9)  # numerically diagonal
    assert w.J_offdiag_max == 0.0  # h_i does not move at all when z_j (j ≠ i) moves
    np.testing.assert_allclose(w.delta.T, w.u * w.fprime)  # δᵀ = u ⊙ f′(z)
    np.testing.assert_allclose(w.dW, np.outer(w.u * w.fprime, w.x))
    assert max(w.rel_err_W, w.rel_err_b, w.rel_err_u) < 1e-8
    assert w.s == pytest.approx((w.u.T @ w.h).item())


def test_descent_step_lowers_the_loss(ch):
    st = ch["step"]
    assert st.dC_ds == pytest.approx(1 / (1 + np.exp(-st.s)) - 1)  # σ(s) − 1
    assert st.rel_err_W < 1e-8
    assert st.C_new < st.C and st.s_new > st.s  # a step against the gradient raises the score of a true window
    assert st.C == pytest.approx(np.log1p(np.exp(-st.s)))


def test_sgd_step_and_minibatches():
    params = [(np.ones((2, 3)), np.zeros((2, 1)))]
    grads = [(np.full((2, 3), 0.5), np.ones((2, 1)))]
    new = sgd_step(params, grads, 0.1)
    np.testing.assert_allclose(new[0][0], 0.95)  # 1 − 0.1·0.5
    np.testing.assert_allclose(new[0][1], -0.1)
    np.testing.assert_array_equal(params[0][0], 1.0)  # not modified
    batches = minibatches(10, 4, np.random.default_rng(0))
    assert [len(b) for b in batches] == [4, 4, 2]
    assert sorted(np.concatenate(batches).tolist()) == list(range(10))
    with pytest.raises(ValueError, match="dW"):
        sgd_step(params, [(np.ones((3, 2)), np.ones((2, 1)))], 0.1)
    with pytest.raises(ValueError, match="lr"):
        sgd_step(params, grads, -1.0)


# --- §3 computation graphs -----------------------------------------------------------------------------

def test_graph_example(ch):
    g = ch["graph"]
    # forward: a = 1 + 2 = 3, b = max(2, 0) = 2, f = 3·2 = 6
    assert (g.a, g.b, g.f) == (3.0, 2.0, 6.0)
    # backward: ∂f/∂x = b = 2; ∂f/∂y = b·1 + a·1 = 2 + 3 = 5; ∂f/∂z = a·0 = 0
    assert (g.df_dx, g.df_dy, g.df_dz) == (2.0, 5.0, 0.0)
    assert (g.db_dy, g.db_dz) == (1.0, 0.0)
    assert g.path_y_via_a + g.path_y_via_b == g.df_dy
    assert g.rel_err < 1e-8
    assert g.notes_product_rule_literal == 2.0  # the formula as printed misses the 3


def test_graph_svg_is_drawn_from_the_evaluated_graph():
    from snippets.graph_svg import to_svg
    f, _ = cs224n.build_graph()
    svg = to_svg(f)
    assert "∂f/∂y = 5" in svg and "f (×) = 6" in svg


def test_engine_matches_network(ch):
    e = ch["engine"]
    assert e.cost_engine == pytest.approx(e.cost_network, rel=1e-12)
    assert e.max_abs_diff < 1e-12
    assert e.n_edges <= 2 * e.n_ops  # every op has at most two parents


def test_engine_matches_finite_differences():
    x0 = np.array([0.3, -0.7, 1.1])

    def f_np(v):
        return float(np.log(1 + np.exp(v[0] * v[1])) * np.tanh(v[2]) + v[1] ** 2)

    xs = [graph.Value(v) for v in x0]
    out = graph.log(1 + graph.exp(xs[0] * xs[1])) * graph.tanh(xs[2]) + xs[1] ** 2
    out.backward()
    assert out.data == pytest.approx(f_np(x0))
    assert relative_error(np.array([v.grad for v in xs]), numerical_gradient(f_np, x0)) < 1e-8


def test_operation_counts(ch):
    c = ch["counts"]
    # 784·256 + 256·256 + 256·256 + 256·10 = 334 336 multiply-adds per example
    assert c.forward == 334_336 * 64
    assert c.backward == (2 * 334_336 - 784 * 256) * 64
    assert 1 <= c.ratio <= 2
    assert c.cache_floats == (784 + 256 + 256 + 256 + 256 + 256 + 256 + 10) * 64
    assert c.ratio_no_cache > c.ratio


# --- §3.4 gradient checking ----------------------------------------------------------------------------

def test_gradient_check_slopes(ch):
    g = ch["gc"]
    assert g.slope_one == pytest.approx(1.0, abs=0.05)
    assert g.slope_two == pytest.approx(2.0, abs=0.05)
    assert g.floor_two < g.floor_one < 1e-8
    assert 1e-10 < g.h_best_one < 1e-7 and 1e-7 < g.h_best_two < 1e-4
    assert g.err_small_h_one > 100 * g.floor_one  # below the best h, round-off takes over
    # the single best grid point is a lucky rounding: the typical floor near it is over 10 times higher
    assert g.err_one.min() < g.floor_one / 10 and g.err_two.min() < g.floor_two / 10
    near = (g.h >= g.window_one[0] * 0.999) & (g.h <= g.window_one[1] * 1.001)
    assert near.sum() == 9 and g.floor_one == np.median(g.err_one[near])


def test_network_check_and_kink(ch):
    n = ch["net"]
    assert n.rel_err_two < 1e-7 < n.rel_err_one < 1e-4
    assert n.kink_numeric == pytest.approx(0.55)  # (relu(1.1e-6) − relu(0)) / 2e-6


# --- §4 general tricks ---------------------------------------------------------------------------------

def test_regularization_example(ch):
    r = ch["reg"]
    assert r.l1 == pytest.approx(0.1 * np.abs(r.W).sum())
    assert r.l2 == pytest.approx(0.1 * (r.W ** 2).sum())
    assert max(r.rel_err_l1, r.rel_err_l2) < 1e-8


def test_vectorization_equal(ch):
    assert ch["vec"].max_abs_diff < 1e-12
    W, b, X = np.arange(6.0).reshape(2, 3), np.array([[1.0], [-1.0]]), np.arange(12.0).reshape(3, 4)
    np.testing.assert_array_equal(cs224n.dense_forward_loop(W, b, X), cs224n.dense_forward_matrix(W, b, X))


def test_activations_and_derivatives(ch):
    t = ch["act"].at
    assert t["sigmoid"][:2] == (0.5, 0.25) and t["tanh"][:2] == (0.0, 1.0)
    z = np.array([-1.7, -0.4, 0.3, 1.4])
    num = np.array([numerical_gradient(lambda v: cs224n.hard_tanh(v).sum(), np.array([zi]))[0] for zi in z])
    np.testing.assert_allclose(cs224n.hard_tanh_derivative(z), num, atol=1e-9)
    for name, f in (("sigmoid", cs224n._sig), ("tanh", np.tanh)):
        d = numerical_gradient(lambda v: float(f(v).sum()), np.array([2.0]))[0]
        assert t[name][3] == pytest.approx(d, rel=1e-7)


def test_init_example(ch):
    i = ch["init"]
    assert i.xavier_target == 2 / 400 and i.he_target == 2 / 300
    for emp, target in ((i.xavier_normal, i.xavier_target), (i.xavier_uniform, i.xavier_target),
                        (i.he_normal, i.he_target), (i.he_uniform, i.he_target)):
        assert emp == pytest.approx(target, rel=0.02)
    assert i.depth_std["small"][-1] < 1e-6 < i.depth_std["xavier"][-1] < i.depth_std["large"][-1]


def test_learning_rates(ch):
    lr = ch["lr"]
    small, good, near, over = lr.alphas
    assert near < lr.alpha_crit < over
    assert lr.final[over] > lr.curves[over][0]  # diverges
    assert lr.final[near] < lr.final[good] < lr.final[small] < lr.curves[small][0]
    assert all(len(c) == lr.steps + 1 for c in lr.curves.values())
    assert min(lr.final.values()) >= lr.optimum - 1e-12


# --- §6 appendix ---------------------------------------------------------------------------------------

def test_softmax_route(ch):
    s = ch["app"].softmax
    np.testing.assert_allclose(s.dZ_jacobian, s.dZ_shortcut, atol=1e-15)  # Jᵀ(−y/(mŷ)) = (ŷ − y)/m
    assert s.rel_err < 1e-8
    assert s.row_sums_max < 1e-15  # Σ_k ∂ŷ_j/∂z_k = 0: the notes' "everything together" bracket
    row = s.notes_product[s.j0]
    np.testing.assert_allclose(row, s.Y_hat[:, 0] - s.Y[:, 0], atol=1e-15)  # whole row j, not one entry
    assert np.count_nonzero(np.abs(s.notes_product) > 1e-12) == 4
    assert np.all(s.jacobians != 0)  # each softmax output depends on every score of its example, not on z_ij alone


@pytest.mark.parametrize("one_hot", [True, False])
def test_case_by_case_sum_of_products_is_the_chain_rule(one_hot):
    # the notes' §6.4 case-by-case lines, entry j: the bracket of the first expression is a Jacobian row sum (0);
    # the sum of products −[y_j(1 − ŷ_j) − ŷ_j Σ_{k≠j} y_k] is ∂L/∂z_j = ŷ_j − y_j for any y summing to 1;
    # the product of two sums is not
    rng = np.random.default_rng(3)
    for _ in range(50):
        c = int(rng.integers(3, 8))  # with c = 2 each sum over k ≠ j has one term and the two forms agree
        z = rng.standard_normal(c)
        y = np.eye(c)[rng.integers(c)] if one_hot else rng.random(c)
        y = y / y.sum()
        p = softmax(z[:, None])[:, 0]
        J = softmax_jacobian(z)
        np.testing.assert_array_equal(J, J.T)
        chain = J.T @ (-y / p)
        np.testing.assert_allclose(chain, p - y, rtol=0, atol=1e-14)
        for j in range(c):
            rest = np.arange(c) != j
            assert abs(p[j] * (1 - p[j]) - p[j] * p[rest].sum()) < 1e-15
            sum_of_products = -(y[j] * (1 - p[j]) - p[j] * y[rest].sum())
            assert sum_of_products == pytest.approx(p[j] - y[j], abs=1e-15)
            product_of_sums = -(y[j] * (1 - p[j]) - (y[rest] / p[rest]).sum() * p[j] * p[rest].sum())
            if not one_hot or y[j] == 0:  # a one-hot y at its true class j: both sums vanish
                assert abs(product_of_sums - (p[j] - y[j])) > 1e-6


def test_notes_sum_over_examples_is_not_a_bias_gradient(ch):
    s = ch["app"].softmax
    # the notes' (1/m) Σ_i (ŷ_{j_i i} − 1): one number, each example at its own true class
    assert s.notes_sum == pytest.approx(np.mean([s.Y_hat[j, i] - 1 for i, j in enumerate(s.Y.argmax(axis=0))]))
    # a bias b (c, 1) added to every column of Z: its gradient, by central differences, is Σ_i column i of dL/dZ
    numeric = numerical_gradient(lambda b: cost("cross_entropy", softmax(s.Z + b[:, None]), s.Y), np.zeros(4))
    np.testing.assert_allclose(s.bias_grad, numeric, atol=1e-9)
    assert not np.any(np.isclose(s.bias_grad, s.notes_sum))  # it matches no entry of the bias gradient


def test_max_of_vectors_has_a_diagonal_zero_one_jacobian():
    # §3.2: "a vector or matrix of 1" for vector inputs; the element-wise max's Jacobian is diag(1(y > z))
    y, z = np.array([2.0, -1.0, 0.5]), np.array([0.0, 3.0, 0.1])
    J = numerical_jacobian(lambda v: np.maximum(v, z), y)
    np.testing.assert_allclose(J, np.diag([1.0, 0.0, 1.0]), atol=1e-9)


def test_sigmoid_route(ch):
    g = ch["app"].sigmoid
    np.testing.assert_allclose(g.dZ_chain, g.dZ_shortcut, atol=1e-15)
    assert g.rel_err < 1e-8
    assert g.dZ_chain.shape == g.z.shape == (1, 4)
    # with only −Σ y log ŷ on sigmoid outputs, entries with y = 0 get 0, not ŷ
    assert np.count_nonzero(g.ce_only_grad) == 1
    assert not np.allclose(g.ce_only_grad, g.ce_only_yhat_minus_y)


def test_notes_sigmoid_line(ch):
    n = ch["app"].notes_sigmoid
    assert n.true == pytest.approx(n.y_hat - 1)  # −(1/ŷ)·ŷ(1 − ŷ)
    assert n.notes_line == pytest.approx(-np.exp(-0.5) * (1 + np.exp(-0.5)))
    assert n.notes_trick_rhs == pytest.approx(np.exp(-0.5))  # −(1 − (1 + e^{−z})) = e^{−z}
    # the slip is the middle step: without the factor (1 + e^{−z})^{−2} the line is the true value divided by it
    assert n.dropped_factor == pytest.approx((1 + np.exp(-0.5)) ** -2)
    assert n.notes_line == pytest.approx(n.true / n.dropped_factor)
    assert ch["app"].formula_6_4_literal == pytest.approx(1.0)
    assert n.denominator_power == pytest.approx(1.0)  # −e^{−z}/(1 + e^{−z})^1; the notes print the power −1


# --- issue 10: the gradient wrt x, the max tie, L1, the output bias, Xavier, the learning rate ------------------

def test_gradient_wrt_the_word_vectors(ch):
    w = ch["window"]
    assert w.dx.shape == w.x.shape == (20, 1)
    np.testing.assert_allclose(w.dx, w.W.T @ (w.u * w.fprime))  # Wᵀ δᵀ
    assert w.rel_err_x < 1e-8
    # split per word: column i of dx_words is the slice of dx that belongs to word i
    np.testing.assert_array_equal(w.dx_words[:, 2], w.dx[8:12, 0])  # "Paris"


def test_window_figure_draws_the_shapes():
    import matplotlib

    matplotlib.use("Agg")
    from snippets.figures import svg_of

    svg = svg_of(cs224n.window_figure())
    assert "(20, 1)" in svg and "(3, 20)" in svg and "Paris" in svg


def test_max_tie_gives_a_valid_subgradient(ch):
    t = ch["tie"]
    assert t.engine_db == (1.0, 0.0)  # the first argument wins a tie
    assert sum(t.engine_db) == 1.0 and sum(t.rule_db) == 0.0  # (0, 0) is no subgradient of max
    assert t.right_dy == pytest.approx(5.0, abs=1e-5) and t.left_dy == pytest.approx(2.0, abs=1e-5)  # a kink
    assert t.engine_df_dy == pytest.approx(t.right_dy, abs=1e-5)
    assert t.both_up == pytest.approx(t.engine_both) and t.rule_both != pytest.approx(t.both_up)
    assert (t.swapped_df_dy, t.swapped_df_dz) == (2.0, 3.0)  # argument order decides who gets it


def test_graph_maximum_tie_rule():
    a, b = graph.Value(1.5), graph.Value(1.5)
    m = graph.maximum(a, b)
    m.backward()
    assert (a.grad, b.grad) == (1.0, 0.0)


def test_topological_order_visits_parents_first(ch):
    f, n = cs224n.build_graph()
    nodes, _ = graph.trace(f)
    position = {id(v): k for k, v in enumerate(nodes)}
    assert all(position[id(p)] < position[id(v)] for v in nodes for p in v.parents)
    assert nodes[-1] is f


def test_l1_subgradient_never_reaches_zero_but_proximal_does(ch):
    r = ch["l1"]
    assert r.exact_zeros == 6 == r.proximal_zeros
    assert r.subgradient_zeros == 0
    np.testing.assert_array_equal(r.proximal == 0, r.exact == 0)
    assert r.subgradient_small_max < r.lr * r.lam * 2  # it hovers within about one step of 0
    assert r.proximal_max_diff < 1e-4


def test_output_bias(ch):
    o = ch["bias"]
    assert o.logit_mean == pytest.approx(np.log(o.mean / (1 - o.mean)))
    assert abs(o.grad_sigmoid_at_logit) < 1e-12 and abs(o.grad_linear_at_mean) < 1e-12
    assert o.grad_sigmoid_at_mean == pytest.approx(1 / (1 + np.exp(-o.mean)) - o.mean)  # σ(b) − ȳ at b = ȳ
    assert o.cost_sigmoid_at_logit < o.cost_sigmoid_at_zero < o.cost_sigmoid_at_mean


def test_xavier_spread_shrinks_slowly(ch):
    d = ch["init"].depth_std["xavier"]
    assert all(a > b for a, b in zip(d, d[1:]))  # never constant: it keeps falling
    assert d[0] == pytest.approx(0.63, abs=0.005) and d[9] == pytest.approx(0.23, abs=0.005)
    assert 0.9 < ch["init"].xavier_last_ratio < 1
    assert ch["init"].xavier_numerator == pytest.approx(2.0)


def test_large_stable_rate_is_slower_at_first(ch):
    lr = ch["lr"]
    fast, good = lr.curves[lr.alphas[2]], lr.curves[lr.alphas[1]]
    assert all(fast[k] > good[k] for k in range(1, lr.slower_until + 1))
    assert all(fast[k] < good[k] for k in range(lr.slower_until + 1, lr.steps + 1))
    assert lr.slower_until == 25
    # the steep direction keeps more of its error per step with the large rate, the flat one less
    assert lr.factors[2][2] > lr.factors[1][2] and lr.factors[2][0] < lr.factors[1][0]


def test_window_graph_figure_labels_every_gradient_with_its_shape():
    import matplotlib

    matplotlib.use("Agg")
    from snippets.figures import svg_of

    svg = svg_of(cs224n.window_graph_figure())
    for label in ("Wᵀδᵀ (20, 1)", "δᵀxᵀ (3, 20)", "δᵀ = u ⊙ f′(z) (3, 1)", "W (3, 20)", "s = uᵀh (1, 1)"):
        assert label in svg


def test_a_word_used_twice_gets_the_sum_of_its_pieces(ch):
    # the window "Paris in Paris are amazing": word 0 and word 2 share one vector (one trained parameter)
    w = ch["window"]
    vectors = {"Paris": w.word_vectors[:, 2], "in": w.word_vectors[:, 1], "are": w.word_vectors[:, 3],
               "amazing": w.word_vectors[:, 4]}
    words = ("Paris", "in", "Paris", "are", "amazing")

    def s_of(paris):
        x = np.concatenate([paris if word == "Paris" else vectors[word] for word in words]).reshape(-1, 1)
        return cs224n.score(w.W, w.b, w.u, x)

    x = np.concatenate([vectors[word] for word in words]).reshape(-1, 1)
    h = 1 / (1 + np.exp(-(w.W @ x + w.b)))
    pieces = (w.W.T @ (w.u * h * (1 - h))).reshape(5, 4)
    numeric = numerical_gradient(s_of, vectors["Paris"])
    assert relative_error(pieces[0] + pieces[2], numeric) < 1e-8


def test_l1_subgradient_steps_jump_across_zero(ch):
    r = ch["l1"]
    A = ch["reg"].W
    theta, signs = A.copy(), []
    for _ in range(r.steps):
        theta = theta - r.lr * ((theta - A) + r.lam * np.sign(theta))
        signs.append(np.sign(theta))
    small = r.exact == 0
    flips = sum(np.sum((a != b)[small]) for a, b in zip(signs[-20:], signs[-19:]))
    assert flips > 0  # in the last 20 steps the small entries keep changing sign
    np.testing.assert_array_equal(theta, r.subgradient)
