"""What a reader copies runs, and prints what the page shows.

The test reads the BUILT site, not the Markdown: for each page it takes exactly the text the copy button of each
Python code block copies, in page order, runs it in a fresh interpreter outside the repository, in a clean virtual
environment where only the package and its declared reader extras are installed, and compares each block's printed
output with the output block the page shows after it (lines marked "(measured)" compared with digits masked). A figure the code
shows with ``plt.show()`` is printed as SVG by a test backend and compared with the page's by its words.
Code a reader cannot see (a block whose source is hidden) is never run, so visible code that depends on it fails.
Python blocks without a copy button must be marked as excerpts that say where the full code is.

The source-level checks at the end keep hidden lines to asserts and give each page its own session.
"""

from __future__ import annotations

import re

import pytest

import built_site
import reader_env
import verified
from verified import ROOT

# Where a non-copyable excerpt must point: a file of the package.
EXCERPT_SOURCE = re.compile(r"snippets/[\w/]+\.py")


def _pages_with_code() -> list[str]:
    """Pages of the built site that show Python code (none when the site is not built: see the guard test)."""
    if not built_site.is_built():
        return []
    site = built_site.site_path()
    # a quick look at the markup (pymdownx.highlight's class) keeps collection fast; the tests parse the pages
    return [p for p in built_site.page_paths(site) if "language-python" in built_site.page_html(site, p)]


@pytest.fixture(scope="session")
def reader_pythons(tmp_path_factory):
    """python of two fresh venvs holding only the site's wheel: bare, and with the declared `figures` extra."""
    where = tmp_path_factory.mktemp("reader")
    wheel = reader_env.the_wheel(built_site.site_dir())
    return {
        "": reader_env.create(where / "bare", str(wheel)),
        "figures": reader_env.create(where / "figures", f"{wheel}[figures]"),
    }


PAGES = _pages_with_code()


@pytest.mark.slow
def test_every_page_that_shows_code_is_checked():
    """PAGES comes from the built site; every chapter whose source shows executed code must be among them."""
    built_site.site_dir()
    showing = {_url(path) for path in SOURCES if any("source=" in opts for opts, _ in exec_blocks(path))}
    assert showing and showing <= set(PAGES), f"pages that show code but were not found in the site: {showing - set(PAGES)}"


def _url(path) -> str:
    """docs/cs224n/graphs.md -> cs224n/graphs/ (the built page's path)."""
    rel = path.relative_to(ROOT / "docs").with_suffix("").as_posix()
    return "" if rel == "index" else (rel.removesuffix("/index") + "/" if rel.endswith("/index") else rel + "/")


@pytest.mark.slow
@pytest.mark.parametrize("page", PAGES)
def test_copied_code_prints_what_the_page_shows(page, reader_pythons, tmp_path):
    """Run in the bare package unless the page tells the reader to install the `figures` extra."""
    html = built_site.page_html(built_site.site_dir(), page)
    blocks = built_site.python_blocks(html)
    copied = [b for b in blocks if b.copyable]
    figures = built_site.asks_for_figures_extra(html)
    result = reader_env.run_blocks(reader_pythons["figures" if figures else ""], [b.code for b in copied], cwd=tmp_path,
                                   show_figures=figures)
    if result["failed"] is not None:
        block = copied[result["failed"] - 1]
        pytest.fail(f"{page}: copied block {block.number} raised when run after the blocks before it:\n"
                    f"{block.code}\n{result['error']}")
    assert not result["stderr"], f"{page}: a reader's session prints warnings the page does not show:\n{result['stderr']}"
    for block, printed in zip(copied, result["outputs"]):
        where = f"{page} block {block.number}: a reader's session prints something else than the page shows"
        if block.kind == "rendered":
            assert built_site.rendered_words(printed) == block.output, where
        else:
            assert built_site.mask_measurements(printed).rstrip("\n") == \
                built_site.mask_measurements(block.output).rstrip("\n"), where


def test_pages_ask_for_the_figures_extra_with_the_shared_note():
    assert built_site.FIGURES_NOTE in (ROOT / "docs" / "includes" / "figures-extra.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("page", PAGES)
def test_a_page_asks_for_the_figures_extra_at_most_once(page):
    html = built_site.page_html(built_site.site_dir(), page)
    assert built_site.article(html).get_text().count(built_site.FIGURES_NOTE) <= 1


@pytest.mark.parametrize("page", PAGES)
def test_printed_output_is_marked_as_output_and_has_no_copy_button(page):
    """What a block printed is not code to paste: no copy button, and the class CSS sets it apart by
    (docs/hooks/reader_html.py)."""
    html = built_site.page_html(built_site.site_dir(), page)
    for block in built_site.article(html).select("div.language-python.highlight + div.result > div.language-text"):
        assert {"exec-output", "no-copy"} <= set(block.get("class", [])), f"{page}: {block.get_text()[:60]!r}"


@pytest.mark.parametrize("page", PAGES)
def test_code_without_a_copy_button_is_a_marked_excerpt(page):
    html = built_site.page_html(built_site.site_dir(), page)
    excerpts = built_site.article(html).select(".no-copy")
    for block in built_site.python_blocks(html):
        if block.copyable:
            continue
        holder = next((e for e in excerpts if block.code in e.get_text()), None)
        assert holder is not None and "excerpt" in holder.get("class", []), \
            f"{page} block {block.number}: code without a copy button must sit in an element of class 'excerpt'"
        assert EXCERPT_SOURCE.search(holder.get_text()), \
            f"{page} block {block.number}: an excerpt must say where the full code is (snippets/....py)"


# ---- Source-level rules: they keep the built pages honest ---------------------------------------------------

FENCE = re.compile(
    r"^(?P<indent>[ \t]*)(?P<fence>`{3,})python[ \t]+(?P<opts>[^\n]*)\n(?P<code>.*?)^(?P=indent)(?P=fence)[ \t]*$",
    re.S | re.M,
)
HIDE = "markdown-exec: hide"


def exec_blocks(path):
    text = path.read_text(encoding="utf-8")
    return [(m["opts"], m["code"]) for m in FENCE.finditer(text) if re.search(r'exec="(on|1|true|yes)"', m["opts"])]


SOURCES = [p.path for p in verified.chapter_pages(ROOT / "docs") if exec_blocks(p.path)]


def _id(path):
    return path.relative_to(ROOT / "docs").as_posix()


@pytest.mark.parametrize("path", SOURCES, ids=_id)
def test_hidden_lines_only_assert(path):
    for _, code in exec_blocks(path):
        for line in code.split("\n"):
            if HIDE in line:
                assert line.strip().startswith("assert "), f"hidden setup is not copy-runnable: {line.strip()}"


@pytest.mark.parametrize("path", SOURCES, ids=_id)
def test_shown_code_has_its_result_in_a_box(path):
    """source="block" puts the output in a div.result after the code: the reader sees which output is whose,
    and the copy test knows exactly what the page shows for each block."""
    for opts, _ in exec_blocks(path):
        shown = re.search(r'source="([^"]+)"', opts)
        assert shown is None or shown[1] == "block", f"use source=\"block\", not {shown[0]}"


@pytest.mark.parametrize("path", SOURCES, ids=_id)
def test_one_session_per_page(path):
    sessions = {(re.search(r'session="([^"]+)"', opts) or [None, None])[1] for opts, _ in exec_blocks(path)}
    assert len(sessions) == 1 and None not in sessions, f"sessions on the page: {sessions}"


def test_sessions_are_not_shared_between_pages():
    owner = {}
    for path in SOURCES:
        for opts, _ in exec_blocks(path):
            session = re.search(r'session="([^"]+)"', opts)[1]
            assert owner.setdefault(session, path) == path, f"session {session} is used on two pages"
