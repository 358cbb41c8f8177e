"""Tests for the scalar computation graph (snippets.graph) and its SVG drawing (snippets.graph_svg)."""

import itertools
import xml.etree.ElementTree as ET

import numpy as np
import pytest

from snippets.graph import Value, exp, log, maximum, relu, sigmoid, tanh, trace
from snippets.graph_svg import MAX_WIDTH, fmt, node_text, to_svg

SVG = "{http://www.w3.org/2000/svg}"


def cs224n():
    """f = (x + y) * max(y, z) at x = 1, y = 2, z = 0, after backward()."""
    x, y, z = Value(1, "x"), Value(2, "y"), Value(0, "z")
    f = ((x + y).named("q") * maximum(y, z).named("m")).named("f")
    f.backward()
    return f, x, y, z


# --- the CS224N example ------------------------------------------------------------------


def test_cs224n_example_values_and_gradients_exactly():
    f, x, y, z = cs224n()
    assert f.data == 6.0
    assert (x.grad, y.grad, z.grad) == (2.0, 5.0, 0.0)  # y is used twice: 2 + 3 = 5
    assert all(type(v.data) is float and type(v.grad) is float for v in trace(f)[0])


def test_upstream_times_local_is_downstream_on_every_edge():
    f, *_ = cs224n()
    nodes, edges = trace(f)
    for node in nodes:
        if node is f:
            assert node.grad == 1.0
            continue
        downstream = [e.local * e.child.grad for e in edges if e.parent is node]  # one per use
        assert node.grad == sum(downstream)
    locals_ = {(e.parent.label, e.child.label): e.local for e in edges}
    assert locals_ == {("x", "q"): 1, ("y", "q"): 1, ("y", "m"): 1, ("z", "m"): 0, ("q", "f"): 2, ("m", "f"): 3}


def test_trace_is_topological_with_one_edge_per_use():
    a = Value(3.0, "a")
    sq = a * a
    nodes, edges = trace(sq)
    assert nodes == [a, sq]
    assert [(e.parent, e.child, e.local) for e in edges] == [(a, sq, 3.0), (a, sq, 3.0)]
    f, *_ = cs224n()
    nodes, edges = trace(f)
    index = {id(n): i for i, n in enumerate(nodes)}
    assert all(index[id(e.parent)] < index[id(e.child)] for e in edges)
    assert len(nodes) == 6 and len(edges) == 6


# --- branching, repeated backward, ties --------------------------------------------------


def test_a_value_used_twice_accumulates():
    a = Value(3.0)
    (a * a).backward()
    assert a.grad == 6.0
    x = Value(5.0)
    (x + x).backward()
    assert x.grad == 2.0
    w = Value(2.0)
    (w * w * w).backward()
    assert w.grad == 12.0


def test_backward_twice_gives_the_same_grads():
    f, x, y, z = cs224n()
    f.backward()
    assert (x.grad, y.grad, z.grad, f.grad) == (2.0, 5.0, 0.0, 1.0)


def test_max_routes_the_gradient_to_the_larger_input_and_the_first_at_a_tie():
    a, b = Value(1.0), Value(1.0)
    m = maximum(a, b)
    m.backward()
    assert (m.data, a.grad, b.grad) == (1.0, 1.0, 0.0)
    a, b = Value(1.0), Value(4.0)
    maximum(a, b).backward()
    assert (a.grad, b.grad) == (0.0, 1.0)
    r = Value(0.0)
    relu(r).backward()
    assert r.grad == 0.0  # relu'(0) is taken to be 0


def test_python_numbers_mix_in_as_constant_leaves():
    v = Value(3.0, "v")
    out = 2 * v + 1 - v / 4 + (1 - v) + 6 / v
    out.backward()
    assert out.data == pytest.approx(2 * 3 + 1 - 0.75 + (1 - 3) + 2)
    assert v.grad == pytest.approx(2 - 0.25 - 1 - 6 / 9)
    constants = [n for n in trace(out)[0] if not n.parents and n is not v]
    assert sorted(c.data for c in constants) == [1.0, 1.0, 2.0, 4.0, 6.0]
    assert all(c.label == "" and c.op == "" for c in constants)


# --- every op against centred finite differences -----------------------------------------

OPS = {
    "add": (2, lambda a, b: a + b, None),
    "sub": (2, lambda a, b: a - b, None),
    "mul": (2, lambda a, b: a * b, None),
    "div": (2, lambda a, b: a / b, lambda a, b: abs(b) > 0.3),
    "neg": (1, lambda a: -a, None),
    "pow3": (1, lambda a: a**3, None),
    "pow2.5": (1, lambda a: a**2.5, lambda a: a > 0.2),
    "pow-1.5": (1, lambda a: a**-1.5, lambda a: a > 0.2),
    "exp": (1, exp, None),
    "log": (1, log, lambda a: a > 0.2),
    "maximum": (2, maximum, lambda a, b: abs(a - b) > 0.1),
    "relu": (1, relu, lambda a: abs(a) > 0.1),
    "sigmoid": (1, sigmoid, None),
    "tanh": (1, tanh, None),
    "constants": (1, lambda a: 3 / a - 2 * a + (1 - a) ** 2, lambda a: abs(a) > 0.3),
    "sigmoid_by_nodes": (1, lambda a: 1 / (1 + exp(-a)), None),
    "softmax_0": (3, lambda a, b, c: exp(a) / (exp(a) + exp(b) + exp(c)), None),
    "cs224n": (3, lambda x, y, z: (x + y) * maximum(y, z), lambda x, y, z: abs(y - z) > 0.1),
}


@pytest.mark.parametrize("name", OPS)
@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_gradients_match_centred_finite_differences(name, seed):
    arity, op, valid = OPS[name]
    rng = np.random.default_rng(seed)
    point = rng.uniform(-2, 2, arity)
    while valid is not None and not valid(*point):  # stay away from kinks and poles
        point = rng.uniform(-2, 2, arity)
    inputs = [Value(float(p)) for p in point]
    out = op(*inputs)
    out.backward()

    def f(*args):
        return op(*(Value(float(a)) for a in args)).data

    h = 1e-6
    for i, v in enumerate(inputs):
        up, down = point.copy(), point.copy()
        up[i] += h
        down[i] -= h
        numeric = (f(*up) - f(*down)) / (2 * h)
        assert abs(v.grad - numeric) <= 1e-7 * max(abs(v.grad), abs(numeric)), (name, i, v.grad, numeric)


# --- agreement with plain numpy and with snippets.network -------------------------------


def test_single_neuron_matches_numpy():
    rng = np.random.default_rng(7)
    w, x, b = rng.standard_normal(2), rng.standard_normal(2), float(rng.standard_normal())
    w1, w2 = Value(w[0], "w1"), Value(w[1], "w2")
    x1, x2, vb = Value(x[0], "x1"), Value(x[1], "x2"), Value(b, "b")
    a = sigmoid(w1 * x1 + w2 * x2 + vb)
    a.backward()

    s = 1 / (1 + np.exp(-(w @ x + b)))
    slope = s * (1 - s)
    assert a.data == pytest.approx(s, rel=1e-14)
    np.testing.assert_allclose([w1.grad, w2.grad], slope * x, rtol=1e-13)
    np.testing.assert_allclose([x1.grad, x2.grad], slope * w, rtol=1e-13)
    assert vb.grad == pytest.approx(slope, rel=1e-13)


def test_small_network_matches_snippets_network():
    network = pytest.importorskip("snippets.network")
    rng = np.random.default_rng(3)
    W1, b1 = rng.standard_normal((2, 2)), rng.standard_normal((2, 1))
    W2, b2 = rng.standard_normal((1, 2)), rng.standard_normal((1, 1))
    X, Y = rng.standard_normal((2, 3)), rng.uniform(0, 1, (1, 3))
    cost, grads = network.forward_backward(
        [(W1, b1), (W2, b2)], X, Y, activations=["tanh", "sigmoid"], loss="squared"
    )

    V = [np.vectorize(Value, otypes=[object])(P) for P in (W1, b1, W2, b2)]
    total = 0
    for k in range(X.shape[1]):  # the same network, one scalar at a time
        h = [tanh(sum(V[0][j, i] * X[i, k] for i in range(2)) + V[1][j, 0]) for j in range(2)]
        out = sigmoid(sum(V[2][0, j] * h[j] for j in range(2)) + V[3][0, 0])
        total = total + (out - Y[0, k]) ** 2
    value_cost = total / X.shape[1]
    value_cost.backward()

    assert value_cost.data == pytest.approx(cost, rel=1e-12)
    expected = [g for pair in grads for g in pair]
    for P, G in zip(V, expected):
        got = np.vectorize(lambda v: v.grad, otypes=[float])(P)
        np.testing.assert_allclose(got, G, rtol=1e-11, atol=1e-14)


# --- bad inputs --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: log(Value(-1.0)), "log: expected a positive input, got -1.0"),
        (lambda: log(0), "log: expected a positive input, got 0.0"),
        (lambda: Value(float("nan")), "Value: expected a finite number, got nan"),
        (lambda: Value(float("inf")), "Value: expected a finite number, got inf"),
        (lambda: Value("2"), "Value: expected a real number, got str '2'"),
        (lambda: Value(True), "Value: expected a real number, got bool True"),
        (lambda: Value(1.0) + "a", "+: expected a Value or a real number, got str 'a'"),
        (lambda: [1.0] * Value(1.0), "*: expected a Value or a real number, got list [1.0]"),
        (lambda: maximum(Value(1.0), None), "max: expected a Value or a real number, got NoneType None"),
        (lambda: Value(2.0) ** Value(2.0), "**: expected a constant int or float exponent, got Value"),
        (lambda: Value(-2.0) ** 0.5, "**: expected a non-negative base for exponent 0.5, got -2.0"),
        (lambda: Value(0.0) ** -1, "**: expected a non-zero base"),
        (lambda: Value(1e200) ** 2, "**: expected a result within float range"),
        (lambda: Value(1.0) / 0, "/: expected a non-zero divisor, got 0.0"),
        (lambda: exp(Value(1000.0)), "exp: expected an input below ~709.78"),
        (lambda: Value(1e308) * 10, "*: expected inputs with a finite result, got inf"),
        (lambda: trace(3.0), "trace: expected a Value, got float 3.0"),
        (lambda: to_svg(None), "to_svg: expected a Value, got NoneType None"),
    ],
)
def test_bad_inputs_raise_clear_value_errors(make, message):
    with pytest.raises(ValueError) as info:
        make()
    assert str(info.value).startswith(message)


# --- number formatting -------------------------------------------------------------------


@pytest.mark.parametrize(
    "x, text",
    [(6.0, "6"), (2, "2"), (0.5, "0.5"), (0.19661193, "0.1966"), (-0.0, "0"), (0, "0"), (-1.25, "-1.25"),
     (1 / 3, "0.3333"), (12346.0, "12350"), (1.5e-5, "1.5e-5"), (2.0000000001, "2"), (1e20, "1e20")],
)
def test_fmt(x, text):
    assert fmt(x) == text


# --- the SVG -----------------------------------------------------------------------------


def svg_texts(root):
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def test_svg_is_well_formed_deterministic_and_labelled():
    f, x, y, z = cs224n()
    svg = to_svg(f, title="f = (x + y) · max(y, z)")
    assert svg == to_svg(f, title="f = (x + y) · max(y, z)")
    assert svg == to_svg(cs224n()[0], title="f = (x + y) · max(y, z)")  # a fresh, equal graph: same bytes
    root = ET.fromstring(svg)
    assert root.get("role") == "img" and root.get("aria-label")
    assert root.find(f"{SVG}title").text.startswith("f = (x + y) · max(y, z)")
    assert len(root.get("viewBox").split()) == 4
    texts = svg_texts(root)
    nodes, edges = trace(f)
    for node in nodes:
        top, grad = node_text(node)
        assert top in texts and grad in texts
    for wanted in ["x = 1", "y = 2", "z = 0", "∂f/∂x = 2", "∂f/∂y = 5", "∂f/∂z = 0", "m (max) = 2", "f (×) = 6"]:
        assert wanted in texts
    arrows = [p for p in root.iter(f"{SVG}path") if p.get("class") == "edge"]
    assert len(arrows) == len(edges)
    locals_ = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "local"]
    assert sorted(locals_) == sorted(fmt(e.local) for e in edges)


def boxes(svg):
    root = ET.fromstring(svg)
    rects = [g.find(f"{SVG}rect") for g in root.iter(f"{SVG}g") if g.get("class") == "node"]
    return root, [tuple(float(r.get(k)) for k in ("x", "y", "width", "height")) for r in rects]


def test_svg_boxes_do_not_overlap_and_fit_the_view_for_a_twenty_node_graph():
    rng = np.random.default_rng(0)
    xs = [Value(float(v), f"x{i}") for i, v in enumerate(rng.uniform(0.5, 2, 4))]
    h1 = tanh(xs[0] * xs[1] + 1)
    h2 = sigmoid(xs[2] - xs[3] / 2)
    h3 = maximum(h1, h2) * xs[0]
    out = (log(h3 + exp(-xs[3])) + h1 * h2 + relu(xs[1] - 0.5)).named("L")
    out.backward()
    nodes, _ = trace(out)
    assert 18 <= len(nodes) <= 30
    root, rects = boxes(to_svg(out))
    assert len(rects) == len(nodes)
    _, _, width, height = (float(v) for v in root.get("viewBox").split())
    for (x1, y1, w1, h1_), (x2, y2, w2, h2_) in itertools.combinations(rects, 2):
        assert x1 + w1 <= x2 or x2 + w2 <= x1 or y1 + h1_ <= y2 or y2 + h2_ <= y1
    assert all(x >= 0 and y >= 0 and x + w <= width and y + h <= height for x, y, w, h in rects)


def test_svg_highlight_and_single_node():
    f, x, y, z = cs224n()
    q = next(e.child for e in trace(f)[1] if e.parent is x)
    plain, marked = to_svg(f), to_svg(f, highlight={y, (x, q)})
    assert plain != marked
    root = ET.fromstring(marked)
    hot = [p for p in root.iter(f"{SVG}path") if p.get("class") == "edge" and "hot" in p.get("marker-end")]
    assert len(hot) == 1
    lone = Value(0.5, "w")
    lone.backward()
    texts = svg_texts(ET.fromstring(to_svg(lone)))
    assert "w = 0.5" in texts and "∂w/∂w = 1" in texts


def test_svg_ids_differ_between_graphs_so_two_figures_can_share_a_page():
    f, *_ = cs224n()
    g = sigmoid(Value(0.5, "z")).named("s")
    g.backward()
    ids = [ET.fromstring(to_svg(r)).find(f"{SVG}defs")[0].get("id") for r in (f, g)]
    assert ids[0] != ids[1]


# --- deep graphs ----------------------------------------------------------------------------


def recursive_trace_order(root):
    """The order of the textbook recursive walk (micrograd's build_topo), for small graphs."""
    nodes, seen = [], set()

    def visit(node):
        if id(node) not in seen:
            seen.add(id(node))
            for parent in node.parents:
                visit(parent)
            nodes.append(node)

    visit(root)
    return nodes


def test_trace_lists_nodes_in_the_order_of_the_recursive_walk():
    f, *_ = cs224n()
    assert trace(f)[0] == recursive_trace_order(f)
    x, w = Value(0.5, "x"), Value(-1.5, "w")
    g = sigmoid(x * w + tanh(x) * (w - 2.0)) * relu(x + w * w) + x / (1 + exp(w))
    assert trace(g)[0] == recursive_trace_order(g)


def test_backward_through_a_graph_of_100_000_nodes():
    """A chain 100,000 nodes deep: far past Python's recursion limit of about 1,000."""
    x, w = Value(0.0, "x"), Value(1.0, "w")
    out = x
    for _ in range(100_000):
        out = out + w  # each sum is one node deeper than the last
    nodes, edges = trace(out)
    assert len(nodes) == 100_002 and len(edges) == 200_000  # x, w and the sums; two edges per sum
    assert nodes[:2] == [x, w] and nodes[-1] is out
    out.backward()
    assert out.data == 100_000.0
    assert (x.grad, w.grad) == (1.0, 100_000.0)  # w is used by every sum: its gradients add up


# --- laid out for the column ------------------------------------------------------------------------------


def site_graphs():
    """The graphs the chapters draw from the package (the cost graphs of lviv/backprop-in-detail are built on
    the page; the browser test measures those)."""
    from snippets.examples import lviv
    from snippets.examples import mit6390_backprop as bp

    g, two = lviv.graphs(), bp.two_neuron()
    return {"cs224n": cs224n()[0], "logistic": bp.logistic_graph(), "forward pass": bp.forward_pass_graph(),
            "two neurons": bp.chain_graph(two.ws, two.w0s, two.x, two.y, ["sigmoid", "sigmoid"], "nll"),
            "relu": g.relu_pos.root, "sigmoid": g.sigmoid.root, "tanh": g.tanh.root, "softmax": g.softmax.root,
            "softmax backward": g.softmax_backward.root}


def view_width(svg):
    return float(ET.fromstring(svg).get("viewBox").split()[2])


def path_points(d, steps=24):
    """Points along an SVG path of M, L and C commands (absolute), the curves sampled at ``steps`` points."""
    tokens = d.replace(",", " ").split()
    points, i = [], 0
    while i < len(tokens):
        command = tokens[i][0]
        numbers = [tokens[i][1:]] + tokens[i + 1:]
        if command in "ML":
            points.append((float(numbers[0]), float(numbers[1])))
            i += 2
        else:
            (x0, y0), ctrl = points[-1], [float(v) for v in numbers[:6]]
            (x1, y1), (x2, y2), (x3, y3) = ctrl[0:2], ctrl[2:4], ctrl[4:6]
            for k in range(1, steps + 1):
                t = k / steps
                b = ((1 - t) ** 3, 3 * (1 - t) ** 2 * t, 3 * (1 - t) * t * t, t ** 3)
                points.append((b[0] * x0 + b[1] * x1 + b[2] * x2 + b[3] * x3, b[0] * y0 + b[1] * y1 + b[2] * y2 + b[3] * y3))
            i += 6
    return points


def on_side(point, rect, tolerance=2.5):
    """The point lies on the rectangle's outline (within ``tolerance``)."""
    (px, py), (x, y, w, h) = point, rect
    inside_grown = x - tolerance <= px <= x + w + tolerance and y - tolerance <= py <= y + h + tolerance
    inside_shrunk = x + tolerance < px < x + w - tolerance and y + tolerance < py < y + h - tolerance
    return inside_grown and not inside_shrunk


@pytest.mark.parametrize("direction", ["across", "down"])
@pytest.mark.parametrize("name", ["cs224n", "logistic", "two neurons", "tanh", "softmax", "softmax backward"])
def test_layout_boxes_apart_arrows_from_box_to_box_never_through_one(name, direction):
    root = site_graphs()[name]
    svg = to_svg(root, title=name, direction=direction)
    assert svg == to_svg(site_graphs()[name], title=name, direction=direction)  # deterministic
    _, rects = boxes(svg)
    nodes, edges = trace(root)
    assert len(rects) == len(nodes)
    for (x1, y1, w1, h1), (x2, y2, w2, h2) in itertools.combinations(rects, 2):
        assert x1 + w1 <= x2 or x2 + w2 <= x1 or y1 + h1 <= y2 or y2 + h2 <= y1
    arrows = [p.get("d") for p in ET.fromstring(svg).iter(f"{SVG}path") if p.get("class") == "edge"]
    assert len(arrows) == len(edges)
    for d in arrows:
        points = path_points(d)
        starts = [r for r in rects if on_side(points[0], r)]
        ends = [r for r in rects if on_side(points[-1], r)]
        assert len(starts) == 1 and len(ends) == 1 and starts != ends, f"an arrow's ends are not on two boxes: {d}"
        for px, py in points[1:-1]:
            assert not any(x + 1 < px < x + w - 1 and y + 1 < py < y + h - 1 for x, y, w, h in rects), \
                f"the arrow {d} passes through a box at ({px:.1f}, {py:.1f})"


def test_down_layout_puts_inputs_on_top_and_each_arrow_goes_down():
    f, x, y, z = cs224n()
    svg = to_svg(f, direction="down")
    tops = {t: float(r.get("y")) for g in ET.fromstring(svg).iter(f"{SVG}g") if g.get("class") == "node"
            for r, t in [(g.find(f"{SVG}rect"), g.find(f"{SVG}text").text)]}
    assert tops["x = 1"] == tops["y = 2"] == tops["z = 0"] < tops["q (+) = 3"] < tops["f (×) = 6"]
    for p in ET.fromstring(svg).iter(f"{SVG}path"):
        if p.get("class") == "edge":
            points = path_points(p.get("d"))
            assert points[-1][1] > points[0][1]


@pytest.mark.parametrize("name", ["cs224n", "logistic", "forward pass", "two neurons", "relu", "sigmoid", "tanh",
                                  "softmax", "softmax backward"])
def test_site_graphs_fit_a_phone_column_with_every_text_and_the_title(name):
    """At most MAX_WIDTH wide: drawn in a phone's 358 px column, the 12-unit labels are 8 px or more."""
    root = site_graphs()[name]
    title = "Binary cost, m = 2: J = u5 = −(1/m) Σ (y log a + (1 − y) log(1 − a))"
    svg = to_svg(root, title=title)
    width = view_width(svg)
    assert width <= MAX_WIDTH and 358 / width * 12 >= 8
    texts = svg_texts(ET.fromstring(svg))
    for node in trace(root)[0]:
        assert set(node_text(node, root.label or "f")) <= set(texts)
    title_lines = [t.text for t in ET.fromstring(svg).iter(f"{SVG}text") if t.get("font-size") == "15"]
    assert len(title_lines) > 1 and " ".join(title_lines) == title  # wrapped, every word kept
    assert "grey on arrows: local gradient ∂child/∂parent" in "".join(texts)


def test_auto_keeps_a_graph_across_when_it_fits_and_picks_the_narrower_drawing_otherwise():
    lone = Value(0.5, "w")
    lone.backward()
    assert to_svg(lone) == to_svg(lone, direction="across")
    inputs = [Value(float(k), f"an_input_whose_name_is_far_too_long_for_any_column_of_a_phone_{k}") for k in range(4)]
    wide = (inputs[0] * inputs[1] + inputs[2] * inputs[3]).named("s")  # no row can hold even one of its inputs
    wide.backward()
    for root in list(site_graphs().values()) + [wide]:
        across, down = to_svg(root, direction="across"), to_svg(root, direction="down")
        chosen = to_svg(root)
        if view_width(across) <= MAX_WIDTH:
            assert chosen == across
        else:
            assert view_width(chosen) == min(view_width(across), view_width(down))
    assert view_width(to_svg(wide)) > MAX_WIDTH  # one box per row is as narrow as it gets: the page's full-size view


def test_a_wide_row_hands_boxes_down_and_arrows_still_point_down():
    root = site_graphs()["logistic"]  # six inputs: three would not fit one row
    svg = to_svg(root, direction="down")
    assert view_width(svg) <= MAX_WIDTH
    for p in ET.fromstring(svg).iter(f"{SVG}path"):
        if p.get("class") == "edge":
            points = path_points(p.get("d"))
            assert points[-1][1] > points[0][1]


def test_direction_must_be_known():
    with pytest.raises(ValueError, match="to_svg: direction must be one of 'auto', 'across', 'down', got 'up'"):
        to_svg(cs224n()[0], direction="up")
