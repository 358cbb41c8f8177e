"""Draw a :mod:`snippets.graph` computation graph as a standalone, deterministic SVG string.

The picture is made from the graph the code evaluated: call ``root.backward()`` first, then
``to_svg(root)``. Each box shows a node's forward value (blue) and gradient (vermilion); each
arrow parent -> child carries its local gradient d(child)/d(parent) (grey).

Layout: column = longest path from an input (constants sit just left of their first user);
edges that skip columns pass through reserved slots, so arrows never cross a box.
"""

import hashlib
from html import escape
from math import isfinite

from snippets.graph import Value, trace

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
FORWARD, GRADIENT, LOCAL, INK, ACCENT = "#1f5fa8", "#c0391b", "#555555", "#333333", "#e69f00"
OPS = {"*": "×", "-": "−", "/": "÷", "neg": "−(·)", "sigmoid": "σ"}  # how ops are shown
CHAR_W, BOX_H, ROW_GAP, SLOT_H, COL_GAP, PAD = 7.6, 44, 28, 22, 96, 16


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


def to_svg(root, *, title=None, highlight=()):
    """SVG of root's graph. ``highlight``: Values and/or (parent, child) pairs to draw in orange."""
    if not isinstance(root, Value):
        raise ValueError(f"to_svg: expected a Value, got {type(root).__name__} {root!r}")
    nodes, edges = trace(root)
    root_name = root.label or "f"
    texts = {id(n): node_text(n, root_name) for n in nodes}
    hi_nodes = {id(h) for h in highlight if isinstance(h, Value)}
    hi_pairs = {(id(h[0]), id(h[1])) for h in highlight if isinstance(h, tuple)}

    # Columns: inputs at 0, others at 1 + deepest parent; constants pulled next to their user.
    col = {}
    for n in nodes:
        col[id(n)] = 1 + max((col[id(p)] for p in n.parents), default=-1)
    users = {}
    for e in edges:
        users.setdefault(id(e.parent), []).append(e.child)
    for n in nodes:
        if not n.parents and not n.label and id(n) in users:
            col[id(n)] = min(col[id(c)] for c in users[id(n)]) - 1

    # Each column is a list of items: a node, or a reserved slot ("edge index") for a long edge.
    ncols = max(col.values()) + 1
    columns = [[] for _ in range(ncols)]
    for n in nodes:
        columns[col[id(n)]].append(("node", id(n)))
    routes = []  # per edge: the items it passes through, parent first
    for i, e in enumerate(edges):
        route = [("node", id(e.parent))]
        for c in range(col[id(e.parent)] + 1, col[id(e.child)]):
            columns[c].append(("slot", (i, c)))
            route.append(("slot", (i, c)))
        routes.append(route + [("node", id(e.child))])
    neighbours = {}
    for route in routes:
        for a, b in zip(route, route[1:]):
            neighbours.setdefault(a, ([], []))[1].append(b)
            neighbours.setdefault(b, ([], []))[0].append(a)

    # Order rows by the barycentre heuristic (a few sweeps), ties kept in creation order.
    def place():
        pos = {}
        for items in columns:
            heights = [BOX_H + ROW_GAP if kind == "node" else SLOT_H for kind, _ in items]
            y = -sum(heights) / 2
            for item, h in zip(items, heights):
                pos[item] = y + h / 2
                y += h
        return pos, max(sum(BOX_H + ROW_GAP if k == "node" else SLOT_H for k, _ in c) for c in columns)

    for sweep in range(4):
        pos, _ = place()
        side = sweep % 2  # 0: order by parents (left to right), 1: by children (right to left)
        order = range(1, ncols) if side == 0 else range(ncols - 2, -1, -1)
        for c in order:
            def key(item):
                ys = [pos[o] for o in neighbours.get(item, ([], []))[side]]
                return sum(ys) / len(ys) if ys else pos[item]
            columns[c].sort(key=key)
            pos, _ = place()
    pos, height = place()

    # Geometry: column widths from the longest text; x grows left to right.
    width_of = {id(n): max(len(t) for t in texts[id(n)]) * CHAR_W + 20 for n in nodes}
    col_w = [max([width_of[i] for k, i in items if k == "node"], default=0) for items in columns]
    col_x = [PAD]
    for w in col_w[:-1]:
        col_x.append(col_x[-1] + w + COL_GAP)
    top = PAD + (30 if title else 0)
    total_w = col_x[-1] + col_w[-1] + PAD
    total_h = top + height + 34
    ycen = {item: top + height / 2 + y for item, y in pos.items()}

    # Ports: several edges leaving or entering one box are spread along its side.
    out_port, in_port = {}, {}
    for i, e in enumerate(edges):
        out_port.setdefault(id(e.parent), []).append(i)
        in_port.setdefault(id(e.child), []).append(i)
    for ports in (out_port, in_port):
        for key, idx in ports.items():  # sort by where the other end is, so arrows do not cross
            other = (lambda i: ycen[routes[i][-2]]) if ports is in_port else (lambda i: ycen[routes[i][1]])
            idx.sort(key=lambda i: (other(i), i))

    def port_y(node_id, i, ports):
        idx = ports[node_id]
        return ycen[("node", node_id)] + (idx.index(i) + 1) / (len(idx) + 1) * BOX_H - BOX_H / 2

    # marker ids: a letter first (an XML name), then a digest of the graph, so two graphs never share one
    key = "g" + hashlib.sha1(repr([(n.label, n.op, n.data, n.grad) for n in nodes]).encode()).hexdigest()[:8]
    out, labels, placed = [], [], []
    for i, e in enumerate(edges):
        hot = (id(e.parent), id(e.child)) in hi_pairs
        cp, cc = col[id(e.parent)], col[id(e.child)]
        pts = [(col_x[cp] + col_w[cp] / 2 + width_of[id(e.parent)] / 2, port_y(id(e.parent), i, out_port))]
        pts += [(col_x[c] + col_w[c] / 2, ycen[("slot", (i, c))]) for c in range(cp + 1, cc)]
        pts.append((col_x[cc] + col_w[cc] / 2 - width_of[id(e.child)] / 2 - 2, port_y(id(e.child), i, in_port)))
        d = f"M{_n(pts[0][0])},{_n(pts[0][1])}"
        for (x1, y1), (x2, y2) in zip(pts, pts[1:]):
            mx = (x1 + x2) / 2
            d += f" C{_n(mx)},{_n(y1)} {_n(mx)},{_n(y2)} {_n(x2)},{_n(y2)}"
        colour, w = (ACCENT, 2.5) if hot else (INK, 1.3)
        out.append(f'<path class="edge" d="{d}" fill="none" stroke="{colour}" stroke-width="{w}" '
                   f'marker-end="url(#{key}-{"hot" if hot else "arrow"})"/>')
        # Local-gradient label on the last segment, at the first spot along it that is free.
        (x1, y1), (x2, y2) = pts[-2], pts[-1]
        text = fmt(e.local)
        lw = len(text) * CHAR_W * 0.95 + 6
        for t in (0.5, 0.38, 0.62, 0.28, 0.72, 0.2, 0.8):
            bx = (1 - t) ** 3 * x1 + 3 * (1 - t) ** 2 * t * (x1 + x2) / 2 + 3 * (1 - t) * t * t * (x1 + x2) / 2 + t ** 3 * x2
            by = (1 - t) ** 3 * y1 + 3 * (1 - t) ** 2 * t * y1 + 3 * (1 - t) * t * t * y2 + t ** 3 * y2
            box = (bx - lw / 2, by - 9, bx + lw / 2, by + 9)
            if not any(a[0] < box[2] and box[0] < a[2] and a[1] < box[3] and box[1] < a[3] for a in placed):
                break
        placed.append(box)
        labels.append(f'<rect x="{_n(box[0])}" y="{_n(box[1] + 1)}" width="{_n(lw)}" height="16" rx="3" fill="#ffffff"/>'
                      f'<text class="local" x="{_n(bx)}" y="{_n(by + 4)}" text-anchor="middle" fill="{LOCAL}" '
                      f'font-size="12">{escape(text)}</text>')

    boxes = []
    for n in nodes:
        top_line, grad_line = texts[id(n)]
        c, w = col[id(n)], width_of[id(n)]
        x, y = col_x[c] + col_w[c] / 2 - w / 2, ycen[("node", id(n))] - BOX_H / 2
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
    legend_parts = [(FORWARD, "blue: forward value"), (GRADIENT, f"red: gradient ∂{root_name}/∂·"),
                    (LOCAL, "grey on arrows: local gradient ∂child/∂parent")]
    legend = f'<text x="{PAD}" y="{_n(total_h - 12)}" font-size="12">' + "".join(
        f'<tspan dx="{0 if k == 0 else 18}" fill="{c}">{escape(t)}</tspan>' for k, (c, t) in enumerate(legend_parts)
    ) + "</text>"
    legend_w = sum(len(t) for _, t in legend_parts) * CHAR_W * 0.92 + 36
    total_w = max(total_w, PAD * 2 + legend_w)  # room for the legend
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
    if title:
        parts.append(f'<text x="{PAD}" y="{PAD + 14}" font-size="15" font-weight="600" fill="{INK}">{escape(title)}</text>')
    return "\n".join(parts + out + boxes + labels + [legend, "</svg>"]) + "\n"


def _n(v):
    """Coordinates with one decimal and no trailing '.0', so output is short and byte-stable."""
    s = f"{v:.1f}"
    return s[:-2] if s.endswith(".0") else s
