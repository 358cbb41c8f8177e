"""Reading the built site the way a reader receives it: pages, the code their copy buttons copy, the output shown.

Used by the copy-runnable test, the page-order test and the reader's end-to-end test. It reads only the HTML
in the site directory, never the Markdown sources, and serves the site on 127.0.0.1 the way a reader downloads it.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import http.server
import os
import re
import socketserver
import threading
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag

ROOT = Path(__file__).resolve().parents[2]
# The note (docs/includes/figures-extra.md) a page shows when its code needs the package's `figures` extra.
FIGURES_NOTE = "Plots on this page need matplotlib"
# A line that prints a timing says "(measured)": its digits change on every run, the rest of the line must not.
MEASURED = re.compile(r"^(.*\(measured\).*)$", re.M)


def site_path() -> Path:
    """Where the built site is (``SITE_DIR``, default ``site/``), built or not."""
    site = Path(os.environ.get("SITE_DIR", ROOT / "site"))
    return site if site.is_absolute() else ROOT / site


def is_built() -> bool:
    return (site_path() / "index.html").exists()


def site_dir() -> Path:
    """The built site; fails the test when nothing has been built yet."""
    site = site_path()
    if not is_built():
        pytest.fail(f"no built site in {site}: run `make test` (it builds first) or `make build`")
    return site


@functools.lru_cache(maxsize=64)
def page_html(site: Path, page: str) -> str:
    return (site / page / "index.html").read_text(encoding="utf-8")


def page_paths(site: Path) -> list[str]:
    """Every HTML page of the site, as its URL path below the root ('' for the home page)."""
    found = []
    for html in sorted(site.rglob("index.html")):
        rel = html.parent.relative_to(site).as_posix()
        if not rel.startswith(("assets", "downloads")):
            found.append("" if rel == "." else rel + "/")
    return found


@functools.lru_cache(maxsize=32)
def article(html: str) -> Tag:
    """The page's own content (no header, navigation or footer). Parsed once per page and shared: read only."""
    soup = BeautifulSoup(html, "html.parser")
    found = soup.select_one("article.md-content__inner")
    assert found is not None, "no <article class='md-content__inner'> in the page"
    return found


def asks_for_figures_extra(html: str) -> bool:
    return FIGURES_NOTE in article(html).get_text()


def mask_measurements(text: str) -> str:
    """Numbers on "(measured)" lines replaced by '#' (5,706 and 19,224 alike), the rest compared exactly."""
    return MEASURED.sub(lambda m: re.sub(r"\d[\d,.]*", "#", m[1]), text)


@dataclass(frozen=True)
class CodeBlock:
    """One Python code block as a reader meets it.

    ``code`` is exactly what the block's copy button copies. ``output`` is what the page shows as the block's
    result (markdown-exec's ``source="block"`` puts it in the ``div.result`` right after the code): ``kind`` is
    "text" (a plain-text output block, compared exactly), "rendered" (HTML the output became: a table, a figure;
    compared by its text) or "none" (no result shown). ``plots`` counts the matplotlib figures in a rendered output
    (``svg.plot``, from ``plt.show()``: Jupyter draws them as images), and ``words_beside_plots`` is the rest of
    its text.
    """

    number: int  # 1-based position among the page's Python blocks
    code: str
    copyable: bool
    kind: str
    output: str
    plots: int = 0
    words_beside_plots: str = ""


def python_blocks(html: str) -> list[CodeBlock]:
    """The page's Python code blocks in page order (pymdownx.highlight marks each with ``language-python``).

    Material gives every ``pre > code`` a copy button unless an ancestor has the class ``no-copy``; the button
    copies the code element's text.
    """
    if is_notebook_page(html):
        return notebook_code_cells(html)
    blocks = []
    for number, block in enumerate(article(html).select("div.language-python.highlight"), start=1):
        result = block.find_next_sibling()
        if not (isinstance(result, Tag) and "result" in result.get("class", [])):
            kind, output = "none", ""
        elif (text := result.select_one(":scope > div.language-text pre > code")) is not None:
            kind, output = "text", text.get_text()
        else:  # the page's buttons (a figure's "Full size") are not part of what the code printed
            kind, output = "rendered", _words_leaving_out(result, "button")
        plots = len(result.select("svg.plot")) if kind == "rendered" else 0
        blocks.append(CodeBlock(number, block.select_one("pre > code").get_text(),
                                copyable=block.find_parent(class_="no-copy") is None, kind=kind, output=output,
                                plots=plots, words_beside_plots=_words_leaving_out(result, "button, svg.plot") if plots else ""))
    return blocks


def _words_leaving_out(result: Tag, selector: str) -> str:
    rest = copy.copy(result)  # the parsed page is shared (article() is cached): never edit it
    for element in rest.select(selector):
        element.extract()
    return words(rest)


def words(element: Tag) -> str:
    """The text of rendered HTML with white space folded: what a table or a figure says, not how it is laid out."""
    return " ".join(element.get_text(" ").split())


def rendered_words(printed: str) -> str:
    """The words of what a block printed, once rendered the way markdown-exec renders it (HTML or Markdown)."""
    import markdown

    html = printed if printed.lstrip().startswith("<") else markdown.markdown(printed, extensions=["tables"])
    return words(BeautifulSoup(html, "html.parser"))


# ---- The site as served: what a reader's browser, pip and Jupyter download --------------------------------------


@contextlib.contextmanager
def serve(site: Path) -> Iterator[str]:
    """Serves ``site`` on 127.0.0.1 at a free port for the duration; yields the base URL (ending in '/')."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    with socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler) as httpd:
        thread = threading.Thread(target=httpd.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{httpd.server_address[1]}/"
        finally:
            httpd.shutdown()
            thread.join()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=60) as response:
        return response.read()


def configured_url(html: str) -> str:
    """The page's URL as the build was configured (its canonical link, from ``site_url``)."""
    link = BeautifulSoup(html, "html.parser").select_one('link[rel="canonical"]')
    assert link is not None, "the page has no canonical link (is site_url set?)"
    return link["href"]


def notebook_link(html: str) -> str | None:
    """The href of the page's "Download this page as a notebook" link (docs/hooks/notebooks.py), if it has one."""
    link = article(html).select_one("p.notebook-download a[download]")
    return link["href"] if link is not None else None


def is_notebook_page(html: str) -> bool:
    """A page mkdocs-jupyter rendered from a stored .ipynb."""
    return article(html).select_one("div.jp-Notebook") is not None


def notebook_code_cells(html: str) -> list[CodeBlock]:
    """The code cells of a notebook page in order: their code, and the text of the outputs the page shows."""
    cells = []
    # The template nests each cell's div in another of the same classes; some cells sit inside folded answers.
    found = article(html).select("div.jp-Notebook div.jp-CodeCell")
    outermost = [cell for cell in found if cell.find_parent("div", class_="jp-CodeCell") is None]
    for number, cell in enumerate(outermost, start=1):
        # docs/hooks/reader_html.py gives notebook code the chapters' markup (language-python, exec-output)
        code = cell.select_one("div.language-python pre > code") or cell.select_one(".highlight-ipynb pre")
        # HTML drops a newline right after <pre>; the parser keeps it
        outputs = [out.get_text().removeprefix("\n") for out in cell.select(".jp-OutputArea-child pre")]
        cells.append(CodeBlock(number, code.get_text(), copyable=code.find_parent(class_="no-copy") is None,
                               kind="text" if outputs else "none", output="".join(outputs)))
    return cells
