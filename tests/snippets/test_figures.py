"""Figures printed into pages are byte-stable: the same figure gives the same SVG on every build."""

import re
import xml.etree.ElementTree as ET

import matplotlib
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from snippets.figures import shown_as_svg, svg_of  # noqa: E402


def draw():
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.plot([0, 1, 2], [0, 1, 4], label="x²")
    ax.legend()
    return fig


def test_same_figure_same_bytes():
    first, second = svg_of(draw(), "Parabola"), svg_of(draw(), "Parabola")
    assert first == second
    assert first.startswith("<svg") and "<dc:date>" not in first
    assert ET.fromstring(first).tag.endswith("svg")


def test_figure_is_closed():
    fig = draw()
    svg_of(fig, "Parabola")
    assert not plt.fignum_exists(fig.number)


def test_figure_has_a_text_alternative_and_no_metadata():
    svg = svg_of(draw(), "Parabola x² through three points")
    root = ET.fromstring(svg)
    assert root.get("role") == "img" and root.get("aria-label") == "Parabola x² through three points"
    assert root.find("{http://www.w3.org/2000/svg}title").text == "Parabola x² through three points"
    assert "<metadata>" not in svg and "rdf:" not in svg


def test_a_figure_without_labels_needs_a_description():
    fig, ax = plt.subplots()
    with pytest.raises(ValueError, match="description"):
        svg_of(fig)
    fig, ax = plt.subplots()
    ax.set_title("Loss")
    ax.set_xlabel("step")
    assert 'aria-label="Figure: Loss (x: step)"' in svg_of(fig)


def test_ids_differ_between_figures_and_references_follow():
    def other():
        fig, ax = plt.subplots(figsize=(3, 2))
        ax.plot([0, 1, 2], [4, 1, 0], "o-")
        return fig

    first, second = svg_of(draw(), "first"), svg_of(other(), "second")
    ids = [set(re.findall(r'\bid="([^"]+)"', svg)) for svg in (first, second)]
    assert ids[0] and ids[1] and not ids[0] & ids[1]
    for svg, own in zip((first, second), ids):
        refs = set(re.findall(r'(?:url\(#|href="#)([^)"]+)', svg))
        assert refs <= own, f"references to ids the figure does not define: {refs - own}"


def test_a_plot_is_marked_as_one():
    """Pages and tests tell matplotlib figures (images in Jupyter) from the package's other drawings by the class."""
    assert ET.fromstring(svg_of(draw(), "Parabola")).get("class") == "plot"


def test_shown_as_svg_gives_each_open_figure_by_its_label_and_closes_them():
    plt.close("all")
    first = draw()
    first.set_label("A parabola through three points")
    draw().axes[0].set_title("Second")
    svgs = shown_as_svg()
    assert [ET.fromstring(s).get("aria-label") for s in svgs] == ["A parabola through three points", "Figure: Second"]
    assert plt.get_fignums() == []
