"""Draw a small fully connected network as a standalone SVG string (deterministic: same input, same bytes).

Used for the figures the source notes refer to but the text extractions lost: the network, with the weights
a derivation follows drawn thick and labelled.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

Edge = tuple[int, int, int]  # (layer of the target, target unit, source unit), all 1-based like w_ijk

COLUMN_GAP, ROW_GAP, RADIUS, MARGIN = 166, 64, 22, 40  # 3 gaps: 626 wide, 14 px labels ≥ 8 px in 358 px
HIGHLIGHT = ("#c0391b", "#1f5fa8", "#2e7d32", "#8e44ad")


def network_svg(
    layer_sizes: Sequence[int],
    *,
    node_labels: Sequence[Sequence[str]],
    highlight: Sequence[Sequence[Edge]] = (),
    edge_labels: dict[Edge, str] | None = None,
    title: str,
) -> str:
    """An SVG of a network with ``layer_sizes`` units per layer (inputs first).

    node_labels: one label per unit, layer by layer (e.g. "x1", "h11", "ŷ1").
    highlight: groups of edges (layer i, unit j, input k), each group drawn in its own colour, e.g. the
        weights on the paths of one derivative.
    edge_labels: text written on an edge, e.g. {(2, 1, 2): "w212"}.
    """
    if len(node_labels) != len(layer_sizes) or any(
        len(labels) != n for labels, n in zip(node_labels, layer_sizes)
    ):
        raise ValueError(f"node_labels: expected {list(layer_sizes)} labels per layer, "
                         f"got {[len(labels) for labels in node_labels]}")
    edge_labels = edge_labels or {}
    tallest = max(layer_sizes)
    width = 2 * MARGIN + COLUMN_GAP * (len(layer_sizes) - 1) + 2 * RADIUS
    height = 2 * MARGIN + ROW_GAP * (tallest - 1) + 2 * RADIUS

    def centre(layer: int, unit: int) -> tuple[float, float]:  # 0-based layer (0 = inputs), 1-based unit
        offset = (tallest - layer_sizes[layer]) * ROW_GAP / 2
        return MARGIN + RADIUS + layer * COLUMN_GAP, MARGIN + RADIUS + offset + (unit - 1) * ROW_GAP

    colour = {edge: HIGHLIGHT[g % len(HIGHLIGHT)] for g, group in enumerate(highlight) for edge in group}
    plain, bold, texts = [], [], []
    for layer in range(1, len(layer_sizes)):
        for j in range(1, layer_sizes[layer] + 1):
            for k in range(1, layer_sizes[layer - 1] + 1):
                (x1, y1), (x2, y2) = centre(layer - 1, k), centre(layer, j)
                edge = (layer, j, k)
                line = f'<line x1="{x1 + RADIUS}" y1="{y1}" x2="{x2 - RADIUS}" y2="{y2}"'
                if edge in colour:
                    bold.append(f'{line} stroke="{colour[edge]}" stroke-width="3"/>')
                else:
                    plain.append(f'{line} stroke="#b0b7c3" stroke-width="1"/>')
                if edge in edge_labels:
                    # label a third of the way along, where edges into one unit are still apart
                    lx, ly = x1 + RADIUS + (x2 - x1 - 2 * RADIUS) / 3, y1 + (y2 - y1) / 3
                    ty = ly - 7 if y2 < y1 else ly + 17  # above a rising edge, below a flat or falling one
                    texts.append(f'<text x="{lx:.1f}" y="{ty:.1f}" fill="{colour.get(edge, "#333")}" '
                                 f'font-weight="bold" text-anchor="middle">{escape(edge_labels[edge])}</text>')
    nodes = []
    for layer, labels in enumerate(node_labels):
        for unit, label in enumerate(labels, start=1):
            x, y = centre(layer, unit)
            nodes.append(f'<circle cx="{x}" cy="{y}" r="{RADIUS}" fill="#ffffff" stroke="#37474f" '
                         f'stroke-width="1.5"/><text x="{x}" y="{y + 5}" text-anchor="middle">'
                         f'{escape(label)}</text>')
    body = "\n".join(plain + bold + nodes + texts)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
            f'height="{height}" role="img" aria-label="{escape(title)}" style="max-width:100%;height:auto" '
            f'font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif" font-size="14">\n'
            f'<title>{escape(title)}</title>\n'
            f'<rect width="100%" height="100%" rx="6" fill="#ffffff"/>\n'  # its own light ground, in dark mode too
            f'{body}\n</svg>')
