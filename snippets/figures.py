"""Matplotlib figures as inline SVG, byte-stable from build to build (no date, fixed element ids)."""

from __future__ import annotations

import io


def svg_of(fig) -> str:
    """The figure as an ``<svg>…</svg>`` string to print into a page; the figure is closed afterwards."""
    try:
        import matplotlib
        import matplotlib.pyplot as plt
    except ModuleNotFoundError as missing:  # the figures extra is optional: say how to get it
        raise ModuleNotFoundError(
            'drawing figures needs matplotlib, which the "figures" extra installs: '
            'pip install "backprop-executed[figures]"'
        ) from missing

    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": "fixed"}):  # ids derive from the salt, not from randomness
        fig.savefig(buffer, format="svg", metadata={"Date": None}, bbox_inches="tight")
    plt.close(fig)
    text = buffer.getvalue()
    return text[text.index("<svg"):]
