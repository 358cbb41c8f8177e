"""MkDocs hook: every chapter page that shows code is also offered as a Jupyter notebook a reader can run anywhere.

The notebook of a page holds, in page order, its prose and math as Markdown cells and its visible code as code
cells, exactly as the copy buttons copy it (taken from the rendered page, so hidden lines are already gone and
included snippets already in), without outputs. Blocks whose source the page does not show are left out.
Links become absolute URLs of the site. The first cell installs the package from the site's own wheel unless
that version is already installed. The page gets a visible download link under its title; the workbook
notebook's download gets the same first cell. ``tests/reader/test_notebooks_end_to_end.py`` runs every notebook
the way a reader would and compares its outputs with the pages.
"""

from __future__ import annotations

import html as html_lib
import logging
import posixpath
import re
import textwrap
from pathlib import Path
from urllib.parse import urljoin

import nbformat
from mkdocs.utils import get_relative_url

import downloads

log = logging.getLogger("mkdocs.hooks.chapter_notebooks")  # warnings under "mkdocs." fail `mkdocs build --strict`

FENCE = re.compile(
    r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>[^\n]*)\n(?P<body>.*?)^(?P=indent)(?P=fence)[ \t]*$",
    re.S | re.M,
)
CODE = "@@notebook-code-{}@@"
CODE_LINE = re.compile(r"^.*@@notebook-code-(\d+)@@.*$", re.M)
# Material admonitions (!!! open, ??? collapsed) and content tabs: a header line, then a body indented 4 more.
CONTAINER = re.compile(r'^(?P<indent>[ \t]*)(?P<kind>!!!|\?\?\?\+?|===\+?)[ \t]*(?P<type>[\w-]*)[ \t]*(?:"(?P<title>[^"]*)")?[ \t]*$')
MARKDOWN_DIV = re.compile(r"^\s*<div\b[^>]*\bmarkdown\b[^>]*>\s*$")
HEADING_ATTRS = re.compile(r"^(#{1,6}[ \t].*?)[ \t]*\{:?[ \t]*[#.][^}\n]*\}[ \t]*$", re.M)
LINK_ATTRS = re.compile(r"(\]\([^)\n]*\))\{[^}\n]*\}")
BLOCK_ATTRS = re.compile(r"^[ \t]*\{:[^}\n]*\}[ \t]*\n?", re.M)
LINK = re.compile(r"(?P<head>\]\(\s*<?)(?P<target>[^)\s>]+)")
REFERENCE = re.compile(r"^(?P<head>[ \t]*\[[^\]\n]+\]:[ \t]*<?)(?P<target>\S+?)(?=>?(?:\s|$))", re.M)
HTML_LINK = re.compile(r"(?P<head>\b(?:href|src)=\")(?P<target>[^\"]+)")
EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.I)
DIV_TAG = re.compile(r"<div\b(?P<attrs>[^>]*)>|</div\s*>")
CLASS = re.compile(r'\bclass="([^"]*)"')
CODE_ELEMENT = re.compile(r"<code\b[^>]*>(?P<code>.*?)</code>", re.S)
ANY_TAG = re.compile(r"<[^>]+>")
# A whole-file include of pymdownx.snippets (paths relative to the repository, its base_path).
INCLUDE = re.compile(r'^(?P<indent>[ \t]*)-+8<-+[ \t]+"(?P<path>[^":]+)"[ \t]*$', re.M)

INSTALL = '''\
# This notebook is the page {page_url}
# of "Backprop, executed". Its code imports `snippets`, from the package {name} {version}.
# This cell installs that version from the book's site; it does nothing when the version is already installed.
import importlib.metadata

if "{version}" not in {{d.version for d in importlib.metadata.distributions(name="{name}")}}:
    %pip install --quiet "{name}[figures] @ {wheel_url}"
'''
LINK_HTML = (
    '<p class="notebook-download"><a href="{href}" download>Download this page as a notebook</a> '
    "(Jupyter, Colab: its first cell installs the <a href=\"{install}\">package</a>)</p>"
)

_dist: dict[str, downloads.Distribution] = {}


def on_pre_build(config) -> None:
    _dist["current"] = downloads.planned(downloads.sources_key())  # the names; downloads.py builds the files


def notebook_name(page) -> str:
    """``padhai/light-math/`` -> ``padhai-light-math.ipynb``: a file name that says which page it came from."""
    return (page.url.strip("/").replace("/", "-") or "index") + ".ipynb"


def absolute(target: str, page, config, files) -> str:
    """A link of the page made absolute: .md and .ipynb sources map to their pages, the rest to the page's URL."""
    if EXTERNAL.match(target):
        return target
    page_url = urljoin(config["site_url"], page.url)
    if target.startswith("#"):
        return page_url + target
    path, _, anchor = target.partition("#")
    if path.endswith((".md", ".ipynb")):
        src = posixpath.normpath(posixpath.join(posixpath.dirname(page.file.src_uri), path))
        found = files.get_file_from_path(src)
        if found is not None and found.is_documentation_page():
            return urljoin(config["site_url"], found.url) + (f"#{anchor}" if anchor else "")
    return urljoin(page_url, target)


def rewrite_links(text: str, page, config, files) -> str:
    def fix(match: re.Match) -> str:
        return match["head"] + absolute(match["target"], page, config, files)

    for pattern in (LINK, REFERENCE, HTML_LINK):
        text = pattern.sub(fix, text)
    return text


def containers_to_markdown(text: str) -> str:
    """Admonitions become block quotes (collapsed ones <details>), tabs a bold title: Jupyter has neither."""
    lines, out, i = text.split("\n"), [], 0
    while i < len(lines):
        head = CONTAINER.match(lines[i])
        if not head:
            out.append(lines[i])
            i += 1
            continue
        indent, body = head["indent"], []
        i += 1
        while i < len(lines) and (not lines[i].strip() or lines[i].startswith(indent + "    ")):
            body.append(lines[i])
            i += 1
        while body and not body[-1].strip():
            i -= 1  # trailing blank lines belong to what follows
            body.pop()
        inner = containers_to_markdown(textwrap.dedent("\n".join(body))).split("\n")
        title = head["title"] if head["title"] is not None else head["type"].capitalize()
        if head["kind"].startswith("???"):
            out += [f"{indent}<details><summary>{title}</summary>", ""]
            out += [f"{indent}{line}" if line else "" for line in inner] + ["", f"{indent}</details>"]
        elif head["kind"].startswith("==="):
            out += [f"{indent}**{title}**", ""] + [f"{indent}{line}" if line else "" for line in inner]
        else:
            out += [f"{indent}> **{title}**", f"{indent}>"] if title else []
            out += [f"{indent}> {line}".rstrip() for line in inner]
    return "\n".join(out)


def expand_includes(text: str, config) -> str:
    """``--8<-- "docs/includes/x.md"`` replaced by the file, as pymdownx.snippets does when it renders the page."""
    root = Path(config["config_file_path"]).parent

    def include(match: re.Match) -> str:
        path = root / match["path"]
        if not path.is_file():
            return match[0]  # left as it is: the check in chapter_notebook reports it
        lines = path.read_text(encoding="utf-8").rstrip("\n").split("\n")
        return "\n".join(match["indent"] + line if line else "" for line in lines)

    return INCLUDE.sub(include, text)


def strip_attr_lists(text: str) -> str:
    """attr_list's ``{#id .class}`` after headings and links, and ``{: ...}`` lines: Jupyter would print them."""
    return BLOCK_ATTRS.sub("", LINK_ATTRS.sub(r"\1", HEADING_ATTRS.sub(r"\1", text)))


def unwrap_markdown_divs(text: str) -> str:
    """``<div class="..." markdown>`` wrappers (md_in_html) dropped, their content kept."""
    out, open_divs = [], 0
    for line in text.split("\n"):
        if MARKDOWN_DIV.match(line):
            open_divs += 1
        elif open_divs and line.strip() == "</div>":
            open_divs -= 1
        else:
            out.append(line)
    return "\n".join(out)


def prose_and_placeholders(markdown: str, page, config) -> tuple[str, int]:
    """The page's Markdown with each shown Python block replaced by a placeholder line; the count of them."""
    shown = 0
    page_url = urljoin(config["site_url"], page.url)

    def replace(match: re.Match) -> str:
        nonlocal shown
        info = match["info"].strip()
        if not re.match(r"\{?\s*\.?(python|py)\b", info):
            return match[0]
        runs = re.search(r'exec="(on|1|true|yes)"', info)
        if runs and "source=" not in info:  # source not shown: not in the notebook
            return f"{match['indent']}*Here the page shows a figure drawn by code it does not display: " \
                   f"[see it on the site]({page_url}).*" \
                if re.search(r'html="(on|1|true|yes)"', info) else ""
        shown += 1
        return match["indent"] + CODE.format(shown - 1)

    return FENCE.sub(replace, markdown), shown


def python_blocks(html: str) -> list[tuple[str, bool]]:
    """Each Python code block of the rendered page: the text its copy button copies, and whether it has one.

    Material gives a ``pre > code`` a copy button unless an ancestor has the class ``no-copy``; the button copies
    the code's text. A scan of the ``<div>`` tags is enough to know the ancestors (the blocks and their wrappers
    are divs) and is many times faster than parsing pages full of SVG; the reader's test checks the result
    against a full HTML parse of the built page.
    """
    blocks, open_divs = [], []
    for tag in DIV_TAG.finditer(html):
        if tag["attrs"] is None:  # </div>
            if open_divs:
                open_divs.pop()
            continue
        found = CLASS.search(tag["attrs"])
        open_divs.append(found[1].split() if found else [])
        if {"language-python", "highlight"} <= set(open_divs[-1]):
            code = CODE_ELEMENT.search(html, tag.end())
            text = html_lib.unescape(ANY_TAG.sub("", code["code"]))
            blocks.append((text, not any("no-copy" in classes for classes in open_divs)))
    return blocks


def markdown_cell(text: str):
    return nbformat.v4.new_markdown_cell(textwrap.dedent(text).strip("\n"))


def install_cell(page, config):
    facts = _dist["current"].facts(config["site_url"], config.get("repo_url"))
    source = INSTALL.format(page_url=urljoin(config["site_url"], page.url), **facts)
    return nbformat.v4.new_code_cell(source.rstrip("\n"))


def new_notebook(cells, page, config):
    """A notebook with stable cell ids (the same page gives the same file on every build)."""
    for number, cell in enumerate(cells):
        cell["id"] = f"cell-{number}"
    notebook = nbformat.v4.new_notebook(cells=cells, metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"},
        "backprop_executed": {"page": urljoin(config["site_url"], page.url)},
    })
    nbformat.validate(notebook)
    return notebook


def chapter_notebook(page, html: str, config, files):
    """The notebook of a Markdown page, or None when the page shows no code a reader can copy."""
    text, shown = prose_and_placeholders(expand_includes(page.markdown, config), page, config)
    blocks = python_blocks(html)
    if len(blocks) != shown:
        log.warning(f"{page.file.src_uri}: {shown} Python blocks in the Markdown but {len(blocks)} in the page; "
                    "the notebook would not match the page")
        return None
    if not any(copyable for _, copyable in blocks):
        return None
    text = strip_attr_lists(unwrap_markdown_divs(containers_to_markdown(text)))
    text = rewrite_links(text, page, config, files)
    if "--8<--" in text:
        log.warning(f"{page.file.src_uri}: a snippet include the notebook cannot expand would reach it raw")
    cells, start = [install_cell(page, config)], 0
    for match in CODE_LINE.finditer(text):
        if prose := text[start:match.start()].strip("\n"):
            cells.append(markdown_cell(prose))
        code, copyable = blocks[int(match[1])]
        code = code.rstrip("\n")
        # An excerpt without a copy button is shown, not run.
        cells.append(nbformat.v4.new_code_cell(code) if copyable else markdown_cell(f"```python\n{code}\n```"))
        start = match.end()
    if prose := text[start:].strip("\n"):
        cells.append(markdown_cell(prose))
    return new_notebook(cells, page, config)


def workbook_notebook(page, config, files):
    """A notebook page's own notebook with the install cell first and its links made absolute."""
    source = nbformat.read(page.file.abs_src_path, as_version=4)
    for cell in source.cells:
        if cell.cell_type == "markdown":
            cell.source = rewrite_links(cell.source, page, config, files)
    cells = [install_cell(page, config), *source.cells]
    notebook = new_notebook(cells, page, config)
    notebook.metadata = {**source.metadata, **notebook.metadata}
    return notebook


_pending: dict[str, tuple[Path, object]] = {}


def on_page_content(html: str, page, config, files) -> str:
    if page.file.src_uri.endswith(".ipynb"):
        # mkdocs-jupyter copies the notebook next to the page under its own name; ours replaces that copy.
        name = Path(page.file.src_uri).name
        notebook = workbook_notebook(page, config, files)
    else:
        name = notebook_name(page)
        notebook = chapter_notebook(page, html, config, files)
    if notebook is None:
        return html
    _pending[page.file.src_uri] = (Path(page.file.abs_dest_path).parent / name, notebook)
    install = files.get_file_from_path("install.md")
    link = LINK_HTML.format(href=name, install=get_relative_url(install.url if install else "", page.url))
    return html.replace("</h1>", "</h1>" + link, 1) if "</h1>" in html else link + html


def on_post_page(output: str, page, config) -> str:
    """Written after the plugins' on_post_page, so it replaces mkdocs-jupyter's plain copy of a notebook page."""
    if page.file.src_uri in _pending:
        path, notebook = _pending.pop(page.file.src_uri)
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(notebook, path)
    return output
