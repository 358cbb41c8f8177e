"""Draw a :mod:`snippets.graph` computation graph as a standalone, deterministic SVG string.

The picture is made from the graph the code evaluated: call ``root.backward()`` first, then
``to_svg(root)``. Each box shows a node's forward value (blue) and gradient (vermilion); each
arrow parent -> child carries its local gradient d(child)/d(parent) (grey).

Layout: a node's level is the longest path from an input (inputs sit one level before their first user).
The levels run left to right ("across") or top to bottom ("down", inputs at the top): ``to_svg`` draws
across when that fits the page's column (``MAX_WIDTH``) and down otherwise, since a graph is usually far
deeper than it is wide; down, a row too wide for the column hands boxes to the row below while
that stays tidy (see ``_narrow``). Edges that skip levels pass through reserved slots, so arrows
never cross a box. The title and the legend wrap to the drawing's width.
"""

import hashlib
from html import escape
from math import isfinite

from snippets.graph import Value, trace

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
FORWARD, GRADIENT, LOCAL, INK, ACCENT = "#1f5fa8", "#c0391b", "#555555", "#333333", "#e69f00"
OPS = {"*": "×", "-": "−", "/": "÷", "neg": "−(·)", "sigmoid": "σ"}  # how ops are shown
CHAR_W, BOX_H, ROW_GAP, SLOT_H, COL_GAP, PAD = 7.6, 44, 28, 22, 96, 16
NODE_GAP, SLOT_W, LEVEL_GAP = 16, 14, 64  # the "down" layout: between boxes of a row, a passing edge, rows
TITLE_CHAR_W, LEGEND_CHAR_W, LINE_H = 8.6, 7.0, 17  # estimated widths of a 15 px bold and a 12 px character
# Widest drawing (in SVG units) that fits a phone's column (about 358 CSS px) with its 12-unit labels at 8 px
# or more; on a desktop's column (about 650 px) it is drawn at full size.
MAX_WIDTH = 537  # = 358 px × 12 / 8 px
DIRECTIONS = ("auto", "across", "down")


def fmt(x):
    """Up to 4 significant digits, no trailing zeros: 6, 2, 0.5, 0.1966, 12350, 1.5e-5."""
    x = float(x)
    if not isfinite(x):
        return str(x)
    if x == 0:
        return "0"                      # also turns -0.0 into "0"
    s = f"{x:.4g}"
    if "e" in s:
        mantissa, exponent = s.split("e")
        if 4 <= int(exponent) < 16:     # large numbers in plain digits, rounded to 4 significant
            return f"{float(s):.0f}"
        return f"{mantissa}e{int(exponent)}"
    return s


def node_text(node, root_name="f"):
    """The two lines a box shows: ("y = 2", "∂f/∂y = 5"). Prose can quote the same strings."""
    op = OPS.get(node.op, node.op)
    name = (f"{node.label} ({op})" if node.op else node.label) if node.label else op
    top = f"{name} = {fmt(node.data)}" if name else fmt(node.data)  # unnamed constants: just "2"
    grad = f"∂{root_name}/∂{node.label}" if node.label else "grad"
    return top, f"{grad} = {fmt(node.grad)}"


def to_svg(root, *, title=None, highlight=(), direction="auto"):
    """SVG of root's graph. ``highlight``: Values and/or (parent, child) pairs to draw in orange.

    ``direction``: "across" (levels left to right), "down" (levels top to bottom, inputs at the top) or
    "auto" (the default): across if that drawing is at most ``MAX_WIDTH`` wide, else whichever is narrower.
    """
    if not isinstance(root, Value):
        raise ValueError(f"to_svg: expected a Value, got {type(root).__name__} {root!r}")
    if direction not in DIRECTIONS:
        raise ValueError(f"to_svg: direction must be one of {', '.join(map(repr, DIRECTIONS))}, got {direction!r}")
    nodes, edges = trace(root)
    root_name = root.label or "f"
    texts = {id(n): node_text(n, root_name) for n in nodes}
    width_of = {id(n): max(len(t) for t in texts[id(n)]) * CHAR_W + 12 for n in nodes}
    if direction == "auto":
        across, down = (_arrange(nodes, edges, width_of, d) for d in ("across", "down"))
        direction = "across" if across.graph_w <= MAX_WIDTH or across.graph_w <= down.graph_w else "down"
    lay = _arrange(nodes, edges, width_of, direction)
    return _draw(root, nodes, edges, texts, width_of, lay, title, highlight)


class _Arrangement:
    """Where each node and each passing edge sits: its level, and its centre along the level (``pos``)."""

    def __init__(self, direction, level, levels, routes, pos, thickness, gap, span):
        self.direction, self.level, self.levels, self.routes, self.pos = direction, level, levels, routes, pos
        self.thickness, self.gap = thickness, gap      # per level: its depth (box width or height); between levels
        self.span = span                               # extent of the widest level, along the levels
        depth = sum(thickness) + gap * (len(thickness) - 1)
        self.graph_w = 2 * PAD + (depth if direction == "across" else span)
        self.graph_h = span if direction == "across" else depth


def _arrange(nodes, edges, width_of, direction):
    # Levels: inputs at 0, others at 1 + deepest parent; then every input (a weight, a constant) moves down to
    # the level just before its first user, so it is drawn next to the operation that takes it in.
    level = {}
    for n in nodes:
        level[id(n)] = 1 + max((level[id(p)] for p in n.parents), default=-1)
    users = {}
    for e in edges:
        users.setdefault(id(e.parent), []).append(e.child)
    for n in nodes:
        if not n.parents and id(n) in users:
            level[id(n)] = min(level[id(c)] for c in users[id(n)]) - 1

    if direction == "down":
        narrowed = _narrow(nodes, edges, dict(level), width_of)
        # Kept only while tidy: past two passing-edge slots per edge, a tall bundle of lines is harder to
        # follow than the wide drawing (which the page then offers full size).
        if sum(max(0, narrowed[id(e.child)] - narrowed[id(e.parent)] - 1) for e in edges) <= 2 * len(edges):
            level = narrowed

    # Each level is a list of items: a node, or a reserved slot ("edge index", level) for a long edge.
    nlevels = max(level.values()) + 1
    levels = [[] for _ in range(nlevels)]
    for n in nodes:
        levels[level[id(n)]].append(("node", id(n)))
    routes = []  # per edge: the items it passes through, parent first
    for i, e in enumerate(edges):
        route = [("node", id(e.parent))]
        for c in range(level[id(e.parent)] + 1, level[id(e.child)]):
            levels[c].append(("slot", (i, c)))
            route.append(("slot", (i, c)))
        routes.append(route + [("node", id(e.child))])
    neighbours = {}
    for route in routes:
        for a, b in zip(route, route[1:]):
            neighbours.setdefault(a, ([], []))[1].append(b)
            neighbours.setdefault(b, ([], []))[0].append(a)

    if direction == "across":  # along a level is vertical
        def extent(item):
            return BOX_H + ROW_GAP if item[0] == "node" else SLOT_H
    else:                      # along a level is horizontal
        def extent(item):
            return width_of[item[1]] + NODE_GAP if item[0] == "node" else SLOT_W

    def place():
        pos = {}
        for items in levels:
            sizes = [extent(item) for item in items]
            at = -sum(sizes) / 2
            for item, size in zip(items, sizes):
                pos[item] = at + size / 2
                at += size
        return pos

    # Order within levels by the barycentre heuristic (a few sweeps), ties kept in creation order.
    for sweep in range(4):
        pos = place()
        side = sweep % 2  # 0: order by parents (first level to last), 1: by children (last to first)
        order = range(1, nlevels) if side == 0 else range(nlevels - 2, -1, -1)
        for c in order:
            def key(item):
                ps = [pos[o] for o in neighbours.get(item, ([], []))[side]]
                return sum(ps) / len(ps) if ps else pos[item]
            levels[c].sort(key=key)
            pos = place()
    pos = place()
    span = max(sum(extent(item) for item in items) for items in levels)
    if direction == "across":
        thickness = [max([width_of[i] for k, i in items if k == "node"], default=0) for items in levels]
        return _Arrangement(direction, level, levels, routes, pos, thickness, COL_GAP, span)
    return _Arrangement(direction, level, levels, routes, pos, [BOX_H] * nlevels, LEVEL_GAP, span - NODE_GAP)


def _narrow(nodes, edges, level, width_of):
    """The levels (updated in place and returned) once rows wider than the column (down layout) have handed
    nodes to the row below, until each fits or holds one box.

    A moved node takes its users down with it where they would meet it, so arrows still point down; the
    node moved is the one that drags the fewest others, the last created among those. Deterministic.
    """
    budget = MAX_WIDTH - 2 * PAD
    children = {}
    for e in edges:
        children.setdefault(id(e.parent), []).append(id(e.child))

    def moved_by(node_id, to, into):  # the levels after moving node_id to level ``to``
        if into.get(node_id, level[node_id]) < to:
            into[node_id] = to
            for child in children.get(node_id, []):
                moved_by(child, to + 1, into)
        return into

    def rows(at):
        width, count = {}, {}
        for n in nodes:
            c = at.get(id(n), level[id(n)])
            width[c] = width.get(c, -NODE_GAP) + width_of[id(n)] + NODE_GAP
            count[c] = count.get(c, 0) + 1
        for e in edges:
            for c in range(at.get(id(e.parent), level[id(e.parent)]) + 1, at.get(id(e.child), level[id(e.child)])):
                width[c] = width.get(c, -NODE_GAP) + SLOT_W + NODE_GAP
        return width, count

    for _ in range(len(nodes) ** 2):  # each step moves nodes down only; the bound is a safety net
        width, count = rows({})
        wide = [c for c in sorted(width) if width[c] > budget and count.get(c, 0) > 1]
        if not wide:
            break
        c = wide[0]
        members = [n for n in nodes if level[id(n)] == c]
        best = min(reversed(members), key=lambda n: len(moved_by(id(n), c + 1, {})))
        level.update(moved_by(id(best), c + 1, {}))
    return level


def _wrap(words, limit):
    """Greedy lines of at most ``limit`` characters (a longer word gets a line of its own)."""
    lines = []
    for word in words.split(" "):
        if lines and len(lines[-1]) + 1 + len(word) <= limit:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def _draw(root, nodes, edges, texts, width_of, lay, title, highlight):
    across = lay.direction == "across"
    root_name = root.label or "f"
    hi_nodes = {id(h) for h in highlight if isinstance(h, Value)}
    hi_pairs = {(id(h[0]), id(h[1])) for h in highlight if isinstance(h, tuple)}
    legend_parts = [(FORWARD, "blue: forward value"), (GRADIENT, f"red: gradient ∂{root_name}/∂·"),
                    (LOCAL, "grey on arrows: local gradient ∂child/∂parent")]

    # Width: the graph's, or wider (up to MAX_WIDTH) for the title and legend; they wrap to fit.
    natural_text = max(len(title or "") * TITLE_CHAR_W, sum(len(t) for _, t in legend_parts) * LEGEND_CHAR_W + 36)
    total_w = max(lay.graph_w, min(MAX_WIDTH, natural_text + 2 * PAD))
    title_lines = _wrap(title, int((total_w - 2 * PAD) / TITLE_CHAR_W)) if title else []
    legend_lines = [[]]
    for part in legend_parts:
        line = legend_lines[-1] + [part]
        if legend_lines[-1] and sum(len(t) * LEGEND_CHAR_W + 18 for _, t in line) > total_w - 2 * PAD:
            legend_lines.append([part])
        else:
            legend_lines[-1] = line
    top = PAD + (LINE_H + 3) * len(title_lines) + (10 if title_lines else 0)
    total_h = top + lay.graph_h + (13 if across else 24) + LINE_H * len(legend_lines) + 4

    # Geometry. Level c starts at start[c] (x across, y down); ``along`` turns a position in a level into x or y.
    start = [PAD if across else top]
    for t in lay.thickness[:-1]:
        start.append(start[-1] + t + lay.gap)
    origin = top + lay.graph_h / 2 if across else total_w / 2

    def along(item):
        return origin + lay.pos[item]

    def box(node_id):  # x, y, width of a node's box
        c, w = lay.level[node_id], width_of[node_id]
        if across:
            return start[c] + lay.thickness[c] / 2 - w / 2, along(("node", node_id)) - BOX_H / 2, w
        return along(("node", node_id)) - w / 2, start[c], w

    # Ports: several edges leaving or entering one box are spread along its side (across) or bottom/top (down).
    out_port, in_port = {}, {}
    for i, e in enumerate(edges):
        out_port.setdefault(id(e.parent), []).append(i)
        in_port.setdefault(id(e.child), []).append(i)
    for ports, neighbour in ((out_port, 1), (in_port, -2)):  # sorted by where the other end is: fewer crossings
        for idx in ports.values():
            idx.sort(key=lambda i: (along(lay.routes[i][neighbour]), i))

    def port(node_id, i, ports):
        idx = ports[node_id]
        x, y, w = box(node_id)
        side = w if not across else BOX_H
        offset = (idx.index(i) + 1) / (len(idx) + 1) * side
        return (x + offset) if not across else (y + offset)

    # marker ids: a letter first (an XML name), then a digest of the graph, so two graphs never share one
    key = "g" + hashlib.sha1(repr([(n.label, n.op, n.data, n.grad) for n in nodes]).encode()).hexdigest()[:8]
    out, labels, placed = [], [], []
    for i, e in enumerate(edges):
        hot = (id(e.parent), id(e.child)) in hi_pairs
        px, py, pw = box(id(e.parent))
        cx_, cy_, cw = box(id(e.child))
        slots = [("slot", (i, c)) for c in range(lay.level[id(e.parent)] + 1, lay.level[id(e.child)])]
        if across:  # right side of the parent, through the slots' centres, to the left side of the child
            pts = [(px + pw, port(id(e.parent), i, out_port))]
            pts += [(start[c] + lay.thickness[c] / 2, along(s)) for s in slots for c in [s[1][1]]]
            pts.append((cx_ - 2, port(id(e.child), i, in_port)))
            segments = [(a, b, "curve") for a, b in zip(pts, pts[1:])]
        else:       # bottom of the parent, straight down through each slot, to the top of the child
            pts = [(port(id(e.parent), i, out_port), py + BOX_H)]
            for s in slots:
                c = s[1][1]
                pts += [(along(s), start[c]), (along(s), start[c] + BOX_H)]
            pts.append((port(id(e.child), i, in_port), cy_ - 2))
            segments = [(a, b, "curve" if k % 2 == 0 else "line") for k, (a, b) in enumerate(zip(pts, pts[1:]))]
        d = f"M{_n(pts[0][0])},{_n(pts[0][1])}"
        for (x1, y1), (x2, y2), kind in segments:
            if kind == "line":
                d += f" L{_n(x2)},{_n(y2)}"
            else:
                c1, c2 = _controls((x1, y1), (x2, y2), across)
                d += f" C{_n(c1[0])},{_n(c1[1])} {_n(c2[0])},{_n(c2[1])} {_n(x2)},{_n(y2)}"
        colour, w = (ACCENT, 2.5) if hot else (INK, 1.3)
        out.append(f'<path class="edge" d="{d}" fill="none" stroke="{colour}" stroke-width="{w}" '
                   f'marker-end="url(#{key}-{"hot" if hot else "arrow"})"/>')
        # Local-gradient label on the last segment, at the first spot along it that is free.
        p0, p3 = pts[-2], pts[-1]
        p1, p2 = _controls(p0, p3, across)
        text = fmt(e.local)
        lw = len(text) * CHAR_W * 0.95 + 6
        for t in (0.5, 0.38, 0.62, 0.28, 0.72, 0.2, 0.8):
            bx, by = (sum(b * p[k] for b, p in zip(_bernstein(t), (p0, p1, p2, p3))) for k in (0, 1))
            spot = (bx - lw / 2, by - 9, bx + lw / 2, by + 9)
            if not any(a[0] < spot[2] and spot[0] < a[2] and a[1] < spot[3] and spot[1] < a[3] for a in placed):
                break
        placed.append(spot)
        labels.append(f'<rect x="{_n(spot[0])}" y="{_n(spot[1] + 1)}" width="{_n(lw)}" height="16" rx="3" fill="#ffffff"/>'
                      f'<text class="local" x="{_n(bx)}" y="{_n(by + 4)}" text-anchor="middle" fill="{LOCAL}" '
                      f'font-size="12">{escape(text)}</text>')

    boxes = []
    for n in nodes:
        top_line, grad_line = texts[id(n)]
        x, y, w = box(id(n))
        hot = id(n) in hi_nodes
        fill = "#eef4fb" if not n.parents else "#ffffff"
        stroke, sw = (ACCENT, 2.5) if hot else (INK, 1.2)
        cx = _n(x + w / 2)
        boxes.append(
            f'<g class="node"><rect x="{_n(x)}" y="{_n(y)}" width="{_n(w)}" height="{BOX_H}" rx="6" '
            f'fill="{fill}" stroke="{stroke}" stroke-width="{sw}"/>'
            f'<text class="value" x="{cx}" y="{_n(y + 18)}" text-anchor="middle" fill="{FORWARD}">{escape(top_line)}</text>'
            f'<text class="grad" x="{cx}" y="{_n(y + 36)}" text-anchor="middle" fill="{GRADIENT}">{escape(grad_line)}</text></g>')

    desc = title or f"Computation graph of {root_name} = {fmt(root.data)}"
    desc += f": {len(nodes)} nodes, {len(edges)} edges; boxes show forward values and gradients ∂{root_name}/∂·, arrows show local gradients."
    first_legend = total_h - 12 - LINE_H * (len(legend_lines) - 1)
    legend = [f'<text x="{PAD}" y="{_n(first_legend + LINE_H * k)}" font-size="12">' + "".join(
        f'<tspan dx="{0 if j == 0 else 18}" fill="{c}">{escape(t)}</tspan>' for j, (c, t) in enumerate(line)
    ) + "</text>" for k, line in enumerate(legend_lines)]
    marker = ('<marker id="{k}-{name}" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" '
              'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{c}"/></marker>')
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_n(total_w)} {_n(total_h)}" '
        f'width="{_n(total_w)}" height="{_n(total_h)}" role="img" aria-label="{escape(desc)}" '
        f'font-family="{FONT}" font-size="13" style="max-width:100%;height:auto">',
        f"<title>{escape(desc)}</title>",
        "<defs>" + marker.format(k=key, name="arrow", c=INK) + marker.format(k=key, name="hot", c=ACCENT) + "</defs>",
        '<rect width="100%" height="100%" fill="#ffffff"/>',
    ]
    parts += [f'<text x="{PAD}" y="{PAD + 14 + (LINE_H + 3) * k}" font-size="15" font-weight="600" fill="{INK}">'
              f"{escape(line)}</text>" for k, line in enumerate(title_lines)]
    return "\n".join(parts + out + boxes + labels + legend + ["</svg>"]) + "\n"


def _controls(p0, p3, across):
    """The inner control points of an arrow's curve: it leaves and arrives along the direction of the levels."""
    (x1, y1), (x2, y2) = p0, p3
    if across:
        mx = (x1 + x2) / 2
        return (mx, y1), (mx, y2)
    my = (y1 + y2) / 2
    return (x1, my), (x2, my)


def _bernstein(t):
    return (1 - t) ** 3, 3 * (1 - t) ** 2 * t, 3 * (1 - t) * t * t, t ** 3


def _n(v):
    """Coordinates with one decimal and no trailing '.0', so output is short and byte-stable."""
    s = f"{v:.1f}"
    return s[:-2] if s.endswith(".0") else s
