"""MkDocs hook: small fixes to the HTML a reader receives, so every page is light, valid and accessible.

- Notebook pages read like the chapters: nbconvert's 570 KB of inlined JupyterLab CSS is dropped (the site's
  own `assets/site.css` styles the few notebook classes left), prompts ("In [3]:") and mkdocs-jupyter's own
  copy button are removed, code cells
  become Material code blocks (same highlighting, copy button and colour scheme as a chapter), text outputs
  are shown like a chapter's printed output, and cells are no longer tab stops.
- What a markdown-exec block printed (`result="text"`: a text block in the `result` div after its source) is
  marked `exec-output` (and `no-copy`: output is not code to paste), so CSS shows it as output, visibly distinct
  from code (in a chapter, inside the frame Material draws under its source); so is a notebook cell's text output.
- A figure's smallest text stays readable: a figure too wide for a phone's column gets a full-size view.
- An empty table header cell is no header: it becomes a plain cell; a header cell holding only a formula is
  named by the formula's TeX (axe rule empty-table-header).
"""

from __future__ import annotations

import re

NOTEBOOK_STYLE = re.compile(r"<style[^>]*>(?:(?!</style>).)*?(?:jupyter|jp-|linenos)(?:(?!</style>).)*</style>", re.S)
PROMPT = re.compile(r'<div class="jp-(?:Input|Output)Prompt[^"]*">[^<]*</div>')
# mkdocs-jupyter's own copy button (invalid markup), its scripts and the text it copies: Material's button does it
NOTEBOOK_COPY = re.compile(r'<div class="zeroclipboard-container">.*?</clipboard-copy>\s*</div>'
                           r'|<div class="clipboard-copy-txt"[^>]*>.*?</div>'
                           r'|<script>(?:(?!</script>).)*clipboard-copy(?:(?!</script>).)*</script>', re.S)
CELL_TABSTOP = re.compile(r'(<div class="jp-Cell-inputWrapper") tabindex="0"')
NOTEBOOK_CODE = re.compile(r'<div class="highlight-ipynb hl-(\w+)"><pre><span></span>(.*?)</pre></div>', re.S)
# a notebook cell's plain-text output
NOTEBOOK_TEXT = re.compile(r'<div class="jp-RenderedText jp-OutputArea-output" data-mime-type="text/plain"[^>]*>\s*'
                           r'<pre>(.*?)</pre>\s*</div>', re.S)
# what a markdown-exec block printed as text: the block in the `result` div right after its source code block
EXEC_OUTPUT = re.compile(r'(</code></pre></div>\s*<div class="result">\s*<div class="language-text highlight)(">)')
EMPTY_HEADER = re.compile(r"<th([^>]*)>\s*</th>")
ARIA_LABEL = re.compile(r'<svg\b[^>]*?\baria-label="([^"]*)"')
FIGURE = re.compile(r'<svg\b[^>]*\brole="img"[^>]*>.*?</svg>', re.S)
VIEWBOX_WIDTH = re.compile(r'viewBox="[-\d.]+ [-\d.]+ ([\d.]+) ')
FONT_SIZE = re.compile(r'font-size(?:="|:\s*)([\d.]+)|font:\s*(?:\w+\s+)*?([\d.]+)px')
# Smallest text a figure may show, in CSS px: at a desktop's width and on a phone; a phone's column (390 px screen).
MIN_TEXT_DESKTOP, MIN_TEXT_PHONE, PHONE_COLUMN = 10, 8, 358
HEADER = re.compile(r"(<th\b[^>]*>)(.*?)(</th>)", re.S)
FORMULA = re.compile(r"<mjx-container.*?</mjx-container>", re.S)
TEX = re.compile(r'<math([^>]*)>(.*?<annotation encoding="application/x-tex">(.*?)</annotation>)', re.S)


def on_post_page(output: str, page, config) -> str:
    if page.file.src_uri.endswith(".ipynb"):
        output = notebook_as_chapter(output)
    output = EXEC_OUTPUT.sub(r"\1 exec-output no-copy\2", output)
    output = readable_figures(unique_figure_ids(output))
    output = HEADER.sub(name_formula_headers, output)
    return EMPTY_HEADER.sub(r"<td\1></td>", output)


def unique_figure_ids(output: str) -> str:
    """The same figure drawn twice on a page would define its ids twice: the later copy's ids get a suffix."""
    seen: set[str] = set()

    def rename(match: re.Match) -> str:
        svg = match[0]
        ids = set(re.findall(r'\bid="([^"]+)"', svg))
        clash = ids & seen
        seen.update(ids)
        for n, name in enumerate(sorted(clash, key=len, reverse=True), start=1):
            new = f"{name}-{len(seen)}-{n}"
            seen.add(new)
            svg = re.sub(rf'(\bid="|url\(#|href="#){re.escape(name)}([)"])', rf"\g<1>{new}\2", svg)
        return svg

    return FIGURE.sub(rename, output)


def readable_figures(output: str) -> str:
    """A figure is never shrunk so far that its smallest text falls below 10 px (8 px on a phone), unseen.

    The SVG scales with the column. One that would have to shrink below 8 px text in a phone's column
    (PHONE_COLUMN) also gets a "Full size" button: the figure's box is a popover (no script: the button's
    `popovertarget` opens it, Esc or its Close button shuts it) that, closed, is shown in the page as usual
    (site.css), and open fills the screen with the SVG at its own size or larger (its text at 10 px or more),
    panned by scrolling.
    """
    count = 0

    def box(match: re.Match) -> str:
        nonlocal count
        svg = match[0]
        width = VIEWBOX_WIDTH.search(svg)
        sizes = [float(a or b) for a, b in FONT_SIZE.findall(svg)]
        if width is None or not sizes or float(width[1]) * MIN_TEXT_PHONE / min(sizes) <= PHONE_COLUMN:
            # a <span> (shown as a block): the SVG may sit inside a <p>, where a <div> may not
            return f'<span class="figure-box">{svg}</span>'
        count += 1
        name = f"figure-full-{count}"
        full = float(width[1]) * MIN_TEXT_DESKTOP / min(sizes)  # open: its text at 10 px or more
        return (f'<span class="figure-box figure-zoom" id="{name}" popover style="--full-width: {full:.0f}px">{svg}'
                f'<button type="button" class="figure-close" popovertarget="{name}" '
                f'popovertargetaction="hide">Close</button></span>'
                f'<button type="button" class="figure-open" popovertarget="{name}"{_names(svg)}>Full size</button>')

    return FIGURE.sub(box, output)


def _names(svg: str) -> str:
    """The button's accessible name: its visible text, then which figure it opens (the SVG's own label)."""
    label = ARIA_LABEL.search(svg)
    return f' aria-label="Full size: {label[1]}"' if label else ""


def name_formula_headers(match: re.Match) -> str:
    """A header cell holding only a formula is named by its TeX (axe rule empty-table-header).

    Its MathML is hidden from sight and its SVG from screen readers; tools that cannot read MathML see no text.
    """
    open_tag, body, close_tag = match.groups()
    if "<mjx-container" not in body or re.sub(r"<[^>]+>|\s", "", FORMULA.sub("", body)):
        return match[0]
    return open_tag + TEX.sub(r'<math\1 aria-label="\3">\2', body) + close_tag


def notebook_as_chapter(output: str) -> str:
    output = NOTEBOOK_STYLE.sub("", output)
    output = PROMPT.sub("", output)
    output = NOTEBOOK_COPY.sub("", output)
    output = CELL_TABSTOP.sub(r"\1", output)
    output = output.replace('<a class="anchor-link" href=', '<a class="headerlink" href=')  # Material's ¶
    output = NOTEBOOK_TEXT.sub(r'<div class="highlight exec-output no-copy"><pre><span></span><code>\1</code></pre></div>', output)
    return NOTEBOOK_CODE.sub(r'<div class="language-\1 highlight"><pre><span></span><code>\2</code></pre></div>', output)
