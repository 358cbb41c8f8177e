"""Math rendered at build (docs/hooks/mathrender.py): what the hook writes into a page, and how it fails."""

import logging
import re
import shutil

import pytest

import mathrender

pytestmark = pytest.mark.skipif(shutil.which("node") is None or not (mathrender.NODE_MODULES / "mathjax-full").is_dir(),
                                reason="needs Node.js and `make install` (npm ci)")
ARTICLE = '<article class="md-content__inner md-typeset">'


@pytest.fixture(autouse=True, scope="module")
def renderer():
    yield
    mathrender.on_shutdown()  # the Node.js process the hook started


class Page:
    class file:
        src_uri = "chapter.md"


def render(html: str) -> str:
    return mathrender.on_post_page(ARTICLE + html + "</article>", Page, None)


def test_inline_and_display_math_become_svg_with_mathml_and_tex():
    out = render(r'<p><span class="arithmatex">\(a^2 &lt; b\)</span></p><div class="arithmatex">\[\frac{1}{2}\]</div>')
    assert out.count("<mjx-container") == 2 and "\\(" not in out and "\\[" not in out
    assert '<annotation encoding="application/x-tex">a^2 &lt; b</annotation>' in out
    assert '<mo>&lt;</mo>' in out  # the MathML a screen reader reads
    assert out.index('id="MJX-SVG-global-cache"') < out.index("<mjx-container")  # glyphs defined in the article
    assert 'aria-hidden="true"' in out and "tabindex" not in out


def test_notebook_dollars_are_rendered_but_not_in_code():
    cell = ('<div class="jp-RenderedHTMLCommon jp-MarkdownOutput"><p>cost $x^2$ and</p><p>$$y = 1$$</p>'
            '<p><code>$HOME$</code></p></div>')
    out = render(cell)
    assert out.count("<mjx-container") == 2 and "<code>$HOME$</code>" in out
    assert '<span class="arithmatex arithmatex--display">' in out  # a block inside <p>, still valid HTML


def test_wide_display_math_is_a_keyboard_scrollable_region():
    wide = " + ".join(f"w_{{{i}}} x_{{{i}}}" for i in range(30))
    out = render(f'<div class="arithmatex">\\[{wide}\\]</div>')
    assert '<div class="arithmatex" tabindex="0">' in out


def test_a_formula_that_does_not_render_fails_the_strict_build(caplog):
    with caplog.at_level(logging.WARNING):
        render(r'<span class="arithmatex">\(\notamacro{x}\)</span>')
    assert [r.name for r in caplog.records] == ["mkdocs.hooks.mathrender"]  # "mkdocs." warnings fail --strict
    assert "notamacro" in caplog.text and "does not render" in caplog.text


def test_formulas_hold_their_size_off_screen():
    """Each formula carries its SVG's size (for content-visibility, site.css); an inline one also its SVG's vertical
    shift (its box's baseline is the SVG's bottom), a display one none (a flex box, where it would do nothing)."""
    out = render(r'<p><span class="arithmatex">\(x_1^2\)</span></p><div class="arithmatex">\[\frac{1}{2}\]</div>')
    for formula in re.findall(r"<mjx-container[^>]*><svg[^>]*>", out):
        width, height = re.search(r'<svg width="([\d.]+ex)" height="([\d.]+ex)"', formula).groups()
        assert f"contain-intrinsic-size: auto {width} auto {height};" in formula
        assert "<svg style" not in formula
    inline, display = re.findall(r"<mjx-container[^>]*>", out)
    assert re.search(r"vertical-align: -[\d.]+ex;", inline) and "vertical-align" not in display


def test_a_group_holding_one_glyph_and_a_transform_is_that_glyph_transformed():
    """MathJax wraps most glyphs in a <g transform>; the SVG keeps the glyph with the transform (pixel-identical,
    one element fewer each). Groups carrying anything else (colour, MathML node kinds CSS reads) stay."""
    out = render(r'<p><span class="arithmatex">\(x_{1}^{2} + \frac{a}{b}\)</span></p>')
    svg = re.search(r"<mjx-container.*?</svg>", out, re.S)[0]
    assert re.search(r'<use [^>]*transform="[^"]+"', svg)
    assert not re.search(r'<g transform="[^"]*">(<(use|g|rect|path)\b[^>]*>(</\2>)?)</g>', svg)
    assert '<g stroke="currentColor" fill="currentColor"' in svg


def formulas(*sources: str) -> dict:
    return {"formulas": [{"tex": source, "display": False} for source in sources]}


def test_a_formula_converted_for_an_earlier_page_is_reused_and_the_page_is_as_if_converted_alone():
    """The renderer converts each distinct formula once per build (mathrender.cjs): a page whose formulas were
    seen before gets exactly what a fresh renderer gives it, its hidden <svg> holding all the glyphs it uses."""
    shared = mathrender.mathjax
    shared.ask(formulas(r"\alpha_{reused} + \beta", r"\frac{\partial L}{\partial w}"))
    page = formulas(r"\gamma", r"\frac{\partial L}{\partial w}", r"\alpha_{reused} + \beta")
    fresh = mathrender.MathJax()
    try:
        assert shared.ask(page) == fresh.ask(page)
    finally:
        fresh.close()
    answer = shared.ask(page)
    used = set(re.findall(r'xlink:href="#([^"]+)"', "".join(answer["html"])))
    assert set(re.findall(r'<path id="([^"]+)"', answer["cache"])) == used and len(used) > 5


def test_a_macro_definition_makes_the_renderer_convert_every_formula_again():
    """TeX macros outlive their formula in MathJax; a formula reused from before a redefinition would be stale."""
    first = mathrender.mathjax.ask(formulas(r"\def\q{a}", r"\q"))
    second = mathrender.mathjax.ask(formulas(r"\def\q{b}", r"\q"))
    assert "<mi>a</mi>" in first["html"][1] and "<mi>b</mi>" in second["html"][1]
