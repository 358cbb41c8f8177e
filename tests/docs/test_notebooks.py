"""Every notebook under docs/: stored without outputs, executes cleanly, no unverified decimal in its prose,
and every answer backed by code that checks it.

Notebook pages are not seen by the binding hook (it reads .md pages only), so a notebook's numbers must come
from its code cells' output. Its markdown cells are linted like a chapter's prose: a decimal that is not declared
in the notebook's metadata ``verified.inputs`` / ``verified.labels`` fails. An answer is a markdown cell with a
collapsed ``<details>`` block whose summary is "Answer"; the code cells right after it must contain an
``assert`` and print something when executed, so the answer shown is the answer computed.
"""

import re
from pathlib import Path

import nbformat
import pytest
import verified
from nbclient import NotebookClient
from verified import ROOT

DOCS = ROOT / "docs"
NOTEBOOKS = sorted(p for p in DOCS.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
ANSWER = re.compile(r"<details(?P<attrs>[^>]*)>\s*<summary>\s*Answer\s*</summary>", re.I)


def _id(path: Path) -> str:
    return path.relative_to(DOCS).as_posix()


def _read(path: Path):
    return nbformat.read(path, as_version=4)


def test_there_is_a_notebook():
    assert NOTEBOOKS, "expected at least one notebook under docs/"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_id)
def test_stored_without_outputs(path):
    nb = _read(path)
    nbformat.validate(nb)
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{_id(path)} cell {index}: committed outputs"
            assert cell.execution_count is None, f"{_id(path)} cell {index}: committed execution count"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_id)
def test_no_unverified_decimal_in_markdown(path):
    nb = _read(path)
    assert "verified" in nb.metadata, f"{_id(path)}: metadata needs a 'verified' entry (inputs, labels)"
    meta = nb.metadata["verified"]
    allowed = {verified.normalise(str(x)) for x in list(meta.get("inputs", [])) + list(meta.get("labels", []))}
    problems = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown":
            continue
        assert not verified.BINDING.search(cell.source), (
            f"{_id(path)} cell {index}: [[literal : key]] bindings are not processed in notebooks; print the number"
        )
        for match in verified.DECIMAL.finditer(verified.prose(cell.source)):
            if verified.normalise(match.group(0)) not in allowed:
                problems.append(f"{_id(path)} cell {index}: {match.group(0)} is typed in prose, not printed by code")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_id)
def test_answers_are_collapsed(path):
    for index, cell in enumerate(_read(path).cells):
        if cell.cell_type == "markdown":
            for match in ANSWER.finditer(cell.source):
                assert "open" not in match["attrs"].split(), f"{_id(path)} cell {index}: answer shown open"


def _answer_code(cells, index):
    """The code cells between the answer in markdown cell ``index`` and the next markdown cell."""
    block = []
    for cell in cells[index + 1 :]:
        if cell.cell_type == "markdown":
            break
        block.append(cell)
    return block


@pytest.fixture(scope="module")
def executed():
    """Each notebook run top to bottom in a fresh python3 kernel, in its own directory (as mkdocs-jupyter does)."""
    runs = {}
    for path in NOTEBOOKS:
        nb = _read(path)
        client = NotebookClient(
            nb, kernel_name="python3", timeout=300, resources={"metadata": {"path": str(path.parent)}}
        )
        client.execute()  # raises CellExecutionError on the first failing cell
        runs[path] = nb
    return runs


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_id)
def test_executes_and_every_answer_is_checked_by_code(path, executed):
    cells = executed[path].cells
    answers = [i for i, c in enumerate(cells) if c.cell_type == "markdown" and ANSWER.search(c.source)]
    assert answers, f"{_id(path)}: no answers found"
    for index in answers:
        code = _answer_code(cells, index)
        where = f"{_id(path)} answer in cell {index}"
        assert code, f"{where}: no code cell after it"
        assert any(re.search(r"^\s*assert\b", c.source, re.M) for c in code), f"{where}: no assert checks it"
        assert any(c.outputs for c in code), f"{where}: its code prints nothing"
        for c in code:
            errors = [o for o in c.outputs if o.output_type == "error"]
            assert not errors, f"{where}: {errors}"


# --- the checks fold with their answer; links reach the site from anywhere ----------------------------------


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_id)
def test_answer_checks_are_tagged_to_fold_with_their_answer(path):
    import notebooks

    cells = _read(path).cells
    after_answer = set()
    for index, cell in enumerate(cells):
        if cell.cell_type == "markdown" and ANSWER.search(cell.source):
            after_answer |= {id(c) for c in _answer_code(cells, index)}
    for index, cell in enumerate(cells):
        if cell.cell_type != "code":
            continue
        tagged = notebooks.CHECK_TAG in cell.metadata.get("tags", [])
        assert tagged == (id(cell) in after_answer), f"{_id(path)} cell {index}: tag {notebooks.CHECK_TAG!r} wrong"
        if tagged:  # collapsed in Jupyter too
            assert cell.metadata.get("jupyter") == {"outputs_hidden": True, "source_hidden": True}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_id)
def test_links_are_absolute_so_they_work_outside_the_site(path):
    import notebooks

    for index, cell in enumerate(_read(path).cells):
        if cell.cell_type == "markdown":
            for target in re.findall(r"\]\(([^)]+)\)", cell.source):
                assert target.startswith((notebooks.NOTEBOOK_SITE, "#")), f"{_id(path)} cell {index}: link {target}"


def test_notebook_site_is_the_default_site_url():
    import notebooks

    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert f'site_url: !ENV [SITE_URL, "{notebooks.NOTEBOOK_SITE}"]' in text


def test_fold_checks_and_relative_links():
    import notebooks
    from bs4 import BeautifulSoup

    html = (
        '<div class="jp-Cell jp-MarkdownCell"><details><summary>Answer</summary><p>42</p></details></div>'
        '<div class="jp-Cell jp-CodeCell celltag_answer-check"><div class="jp-Cell jp-CodeCell celltag_answer-check">'
        '<div class="celltoolbar">answer-check</div><pre>assert 6 * 7 == 42</pre></div></div>'
        f'<p><a href="{notebooks.NOTEBOOK_SITE}errata/#workbook">e</a> <a href="{notebooks.NOTEBOOK_SITE}">home</a></p>'
    )
    soup = BeautifulSoup(html, "html.parser")
    assert notebooks.fold_checks(soup) == 1
    folded = str(soup)
    assert "<pre>assert 6 * 7 == 42</pre></div></div></details>" in folded and "celltoolbar" not in folded
    notebooks.relative_links(soup, "workbook/backprop-to-output/")
    linked = str(soup)
    assert 'href="../../errata/#workbook"' in linked and 'href="../../"' in linked


def test_built_page_folds_every_check_into_its_answer():
    import os

    from bs4 import BeautifulSoup

    site = Path(os.environ.get("SITE_DIR", ROOT / "site"))
    for path in NOTEBOOKS:
        page = site / path.relative_to(DOCS).with_suffix("") / "index.html"
        if not page.exists():
            pytest.skip(f"no built site at {site} (run `make build`)")
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        checks = [c for c in soup.select("div.jp-CodeCell") if "celltag_answer-check" in c.get("class", [])]
        assert checks, f"{page}: no checking cells found"
        for cell in checks:
            assert cell.find_parent("details") is not None, f"{page}: a checking cell sits outside its answer"
        assert not soup.select(".cell-tag"), f"{page}: a cell tag is shown to the reader"
        assert not [a["href"] for a in soup.find_all("a", href=True) if a["href"].startswith("http://127.0.0.1")]


def test_downloaded_notebook_links_to_the_configured_site(tmp_path):
    import notebooks

    copy = tmp_path / "workbook" / "book.ipynb"
    copy.parent.mkdir()
    copy.write_text(f'{{"source": ["[errata]({notebooks.NOTEBOOK_SITE}errata/#workbook)"]}}', encoding="utf-8")
    notebooks.on_post_build({"site_url": "https://pages.invalid/book/", "site_dir": str(tmp_path)})
    assert copy.read_text(encoding="utf-8") == '{"source": ["[errata](https://pages.invalid/book/errata/#workbook)"]}'
