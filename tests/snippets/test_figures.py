"""Figures printed into pages are byte-stable: the same figure gives the same SVG on every build."""

import xml.etree.ElementTree as ET

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from snippets.figures import svg_of  # noqa: E402


def draw():
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.plot([0, 1, 2], [0, 1, 4], label="x²")
    ax.legend()
    return fig


def test_same_figure_same_bytes():
    first, second = svg_of(draw()), svg_of(draw())
    assert first == second
    assert first.startswith("<svg") and "<dc:date>" not in first
    assert ET.fromstring(first).tag.endswith("svg")


def test_figure_is_closed():
    fig = draw()
    svg_of(fig)
    assert not plt.fignum_exists(fig.number)
