"""MkDocs hooks for notebook pages: fold each answer's checks into the answer; point links at the site.

Answers. A notebook answer is a markdown cell holding ``<details><summary>Answer</summary>…</details>``; the code
cells that check it follow it, tagged ``answer-check`` (and collapsed in Jupyter by their ``jupyter`` metadata).
nbconvert renders each cell as its own block, so left alone the checks and their printed results would sit open
under the folded answer and give it away. Here each tagged cell is moved inside the ``<details>`` of the answer
before it.

Links. A notebook is also read outside the site (downloaded, opened in Jupyter), where a relative link such as
``../../errata/`` leads nowhere, so notebooks link to the site with absolute URLs that start with ``NOTEBOOK_SITE``
(the default ``site_url`` of mkdocs.yml, the address of ``make serve``). The page built from the notebook gets
relative links instead (it works on any host and offline), and the copy of the notebook offered for download gets
the configured ``site_url``, so that its links reach the site it came from.
"""

from __future__ import annotations

import logging
from pathlib import Path
from posixpath import relpath

from bs4 import BeautifulSoup

log = logging.getLogger("mkdocs.hooks.notebooks")  # warnings under "mkdocs." fail `mkdocs build --strict`

NOTEBOOK_SITE = "http://127.0.0.1:8000/"  # tests/docs/test_notebooks.py checks it equals mkdocs.yml's default
CHECK_TAG = "answer-check"


def fold_checks(soup: BeautifulSoup) -> int:
    """Move every cell tagged ``answer-check`` into the ``<details>`` of the nearest answer above it; how many."""
    moved = 0
    for cell in soup.select(f"div.jp-Cell.celltag_{CHECK_TAG}"):
        if cell.find_parent("div", class_=f"celltag_{CHECK_TAG}"):  # the template nests two divs per cell
            continue
        for toolbar in cell.select(".celltoolbar"):  # the tag's name is machinery, not for the reader
            toolbar.decompose()
        answer = cell.find_previous_sibling("div", class_="jp-MarkdownCell")
        details = answer.find_all("details")[-1] if answer is not None and answer.find("details") else None
        if details is None:
            log.warning(f"a cell tagged {CHECK_TAG!r} follows no answer: {cell.get_text()[:60]!r}")
            continue
        details.append(cell.extract())
        moved += 1
    return moved


def relative_links(soup: BeautifulSoup, page_url: str) -> None:
    """Turn links to ``NOTEBOOK_SITE``… into links relative to the page at ``page_url`` (e.g. "workbook/x/")."""
    for a in soup.find_all("a", href=True):
        if a["href"].startswith(NOTEBOOK_SITE):
            target = a["href"][len(NOTEBOOK_SITE):]
            path, sep, fragment = target.partition("#")
            rel = relpath("/" + path, "/" + page_url)
            if path == "" or path.endswith("/"):  # directory URLs keep their trailing slash
                rel += "/"
            a["href"] = rel + sep + fragment


def on_post_page(output: str, page, config) -> str:
    if not page.file.src_uri.endswith(".ipynb"):
        return output
    # leave the <head> exactly as the theme wrote it; the parser closes <body> itself, so hand it the end tag too
    start, end = output.index("<body"), output.rindex("</body>") + len("</body>")
    body = BeautifulSoup(output[start:end], "html.parser")  # parsed once (a notebook page is large): ~0.4 s
    fold_checks(body)
    relative_links(body, page.url)
    return output[:start] + str(body) + output[end:]


def on_post_build(config) -> None:
    """The downloadable copies of the notebooks link to this build's site_url."""
    site_url = config["site_url"] or NOTEBOOK_SITE
    for path in Path(config["site_dir"]).rglob("*.ipynb"):
        text = path.read_text(encoding="utf-8")
        if NOTEBOOK_SITE in text and site_url != NOTEBOOK_SITE:
            path.write_text(text.replace(NOTEBOOK_SITE, site_url), encoding="utf-8")
