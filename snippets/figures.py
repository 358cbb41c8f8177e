"""Matplotlib figures as inline SVG: byte-stable from build to build, accessible, valid inside an HTML page."""

from __future__ import annotations

import hashlib
import io
import re
from html import escape

_ID = re.compile(r'\bid="([^"]+)"')
_METADATA = re.compile(r"<metadata>.*?</metadata>\s*", re.S)


def svg_of(fig, description: str | None = None) -> str:
    """The figure as an ``<svg>…</svg>`` string to print into a page; the figure is closed afterwards.

    description: what the figure shows, for readers who cannot see it (the SVG's ``<title>`` and
        ``aria-label``). Without one, it is made from the figure's titles and axis labels; a figure that has
        neither needs one (``ValueError``).

    Text stays text (selectable, read by the browser's fonts, light). Element ids get a prefix derived from
    the figure's content, so that several figures on one page never share an id.
    """
    try:
        import matplotlib
        import matplotlib.pyplot as plt
    except ModuleNotFoundError as missing:  # the figures extra is optional: say how to get it
        raise ModuleNotFoundError(
            'drawing figures needs matplotlib, which the "figures" extra installs: '
            'pip install "backprop-executed[figures]"'
        ) from missing

    description = description or _described_by_its_labels(fig)
    if not description:
        plt.close(fig)
        raise ValueError("description: expected a sentence saying what the figure shows (it has no title or "
                         "axis labels to make one from), got none")
    buffer = io.StringIO()
    # ids derive from the salt, not from randomness; text as <text>, not as glyph outlines
    with matplotlib.rc_context({"svg.hashsalt": "fixed", "svg.fonttype": "none"}):
        fig.savefig(buffer, format="svg", metadata={"Date": None}, bbox_inches="tight")
    plt.close(fig)
    text = buffer.getvalue()
    text = _METADATA.sub("", text[text.index("<svg"):])  # RDF metadata is not valid inside HTML
    text = _unique_ids(text)
    opening = text.index(">") + 1
    label = escape(description)
    # class "plot": what tells a matplotlib figure from the package's other drawings on a page
    return (f'{text[:opening - 1]} class="plot" role="img" aria-label="{label}">\n'
            f'<title>{label}</title>{text[opening:]}')


def shown_as_svg() -> list[str]:
    """What ``plt.show()`` would show, as text: every figure pyplot holds open, oldest first, through `svg_of`
    (described by the figure's ``label``, else by its titles), each then closed. The site's build prints these
    into the page; its tests print a reader's the same way to compare them."""
    from matplotlib._pylab_helpers import Gcf

    figures = [manager.canvas.figure for manager in Gcf.get_all_fig_managers()]
    return [svg_of(figure, figure.get_label() or None) for figure in figures]


def _described_by_its_labels(fig) -> str:
    """'Figure: title (x: label, y: label); …' from the figure's own text, or '' if it has none."""
    parts = []
    if fig.get_suptitle():
        parts.append(fig.get_suptitle())
    for ax in fig.get_axes():
        axes = [f"{axis}: {label}" for axis, label in (("x", ax.get_xlabel()), ("y", ax.get_ylabel())) if label]
        title = ax.get_title()
        if title or axes:
            parts.append(f"{title} ({', '.join(axes)})" if axes else title)
    return "Figure: " + "; ".join(parts) if parts else ""


def _unique_ids(svg: str) -> str:
    """Prefix every id (and every reference to one) with a key derived from the SVG's content."""
    key = "f" + hashlib.sha1(svg.encode()).hexdigest()[:8]
    ids = set(_ID.findall(svg))
    if not ids:
        return svg
    names = "|".join(sorted((re.escape(i) for i in ids), key=len, reverse=True))
    svg = re.sub(rf'\bid="({names})"', rf'id="{key}-\1"', svg)
    return re.sub(rf'(url\(#|href="#)({names})([)"])', rf"\g<1>{key}-\2\3", svg)
