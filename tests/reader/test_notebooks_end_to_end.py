"""A reader takes the book home: installs the package from the site and runs every chapter as a notebook.

Everything comes over HTTP from the built site served on 127.0.0.1, nothing from the repository: the install
command is read from the Install page, the wheel it names is installed (with its figures extra, and ipykernel to
run notebooks) into a new virtual environment, and each chapter's notebook is downloaded through the link on its
page and executed top to bottom by nbclient in a kernel of that environment. Each code cell must be exactly the code
the page's copy button copies, in page order, and print what the page shows under that block. The first cell, the
install cell, must name the site's wheel and do nothing here, since that version is already installed.
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from urllib.parse import urljoin

import nbformat
import pytest
from nbclient import NotebookClient

import built_site
import reader_env
import verified
from verified import ROOT

pytestmark = pytest.mark.slow

KERNEL = "reader"
# The one command on the Install page: pip install "<name>[figures] @ <wheel URL>".
INSTALL = re.compile(r'pip install "(?P<name>[\w.-]+)\[figures\] @ (?P<url>\S+\.whl)"')
# A link target in a notebook's Markdown that is not an absolute URL.
RELATIVE_LINK = re.compile(r'\]\((?!https?://|mailto:)[^)\s]+\)|\b(?:href|src)="(?!https?://|mailto:)[^"]+"')


def _pages() -> list[str]:
    """Every page that shows code a reader can copy, and every notebook page (none before a build: see below)."""
    if not built_site.is_built():
        return []
    site = built_site.site_path()
    found = []
    for page in built_site.page_paths(site):
        html = built_site.page_html(site, page)
        if built_site.is_notebook_page(html) or any(b.copyable for b in built_site.python_blocks(html)):
            found.append(page)
    return found


PAGES = _pages()


@pytest.fixture(scope="module")
def site():
    """(base URL of the served site, the URL the build was configured with)."""
    built = built_site.site_dir()
    with built_site.serve(built) as base:
        configured = built_site.configured_url(built_site.fetch(base).decode())
        yield base, configured


def served(url: str, site) -> str:
    """A URL of the configured site, on the server of this test."""
    base, configured = site
    assert url.startswith(configured), f"{url} is not a URL of the site ({configured})"
    return base + url[len(configured):]


@pytest.fixture(scope="module")
def install_command(site):
    html = built_site.fetch(site[0] + "install/").decode()
    found = INSTALL.search(built_site.article(html).get_text())
    assert found, "the Install page gives no `pip install \"<name>[figures] @ <wheel URL>\"` command"
    return found


@pytest.fixture(scope="module")
def kernel_specs(site, install_command, tmp_path_factory):
    """A reader's fresh environment: the wheel installed over HTTP from the served site, and a kernel for it."""
    where = tmp_path_factory.mktemp("reader-notebooks")
    wheel = served(install_command["url"], site)
    python = reader_env.create(where / "venv", f"{install_command['name']}[figures] @ {wheel}", "ipykernel")
    return reader_env.register_kernel(python, KERNEL)


def _url(source: Path) -> str:
    """docs/cs224n/graphs.md -> cs224n/graphs/ (the built page's path; a notebook page likewise)."""
    rel = source.relative_to(ROOT / "docs").with_suffix("").as_posix()
    return "" if rel == "index" else rel.removesuffix("index") if rel.endswith("/index") else rel + "/"


def test_every_chapter_with_code_is_checked():
    """PAGES comes from the built site: every source page that shows code, and every notebook, must be among it."""
    built_site.site_dir()
    shows_code = re.compile(r"^[ \t]*`{3,}python(?![^\n]*exec=)|^[ \t]*`{3,}python[^\n]*source=", re.M)
    sources = [p.path for p in verified.chapter_pages(ROOT / "docs") if shows_code.search(p.path.read_text())]
    sources += sorted((ROOT / "docs").rglob("*.ipynb"))
    missing = {_url(path) for path in sources} - set(PAGES)
    assert sources and not missing, f"pages that show code but offer no checked notebook: {missing}"


def test_install_page_gives_the_served_wheel(site, install_command):
    wheel = built_site.fetch(served(install_command["url"], site))
    assert wheel[:2] == b"PK", "the Install page's wheel URL does not serve a wheel"


def _download_notebook(page: str, site) -> tuple[str, object]:
    """The page's HTML and the notebook its download link serves, both over HTTP."""
    page_url = site[0] + page
    html = built_site.fetch(page_url).decode()
    href = built_site.notebook_link(html)
    assert href, f"{page}: no 'Download this page as a notebook' link"
    notebook = nbformat.reads(built_site.fetch(urljoin(page_url, href)).decode(), as_version=4)
    nbformat.validate(notebook)
    return html, notebook


def _execute(notebook, kernel_specs, cwd, monkeypatch) -> float:
    """Runs the notebook in place in the reader's kernel; returns the seconds it took."""
    monkeypatch.setenv("JUPYTER_PATH", str(kernel_specs.parent))  # where nbclient's kernel manager finds KERNEL
    client = NotebookClient(notebook, kernel_name=KERNEL, timeout=600, allow_errors=True)
    start = time.perf_counter()
    client.execute(cwd=str(cwd), env=reader_env.clean_environ(cwd))
    return time.perf_counter() - start


def _printed(cell) -> tuple[str, list[str], int]:
    """What a cell printed to stdout, anything else it produced (errors, warnings, displayed values), and how
    many images it displayed (a figure's ``plt.show()``)."""
    printed, other, images = [], [], 0
    for output in cell.outputs:
        if output.output_type == "stream" and output.name == "stdout":
            printed.append(output.text)
        elif output.output_type == "display_data" and any(kind.startswith("image/") for kind in output.data):
            images += 1
        elif output.output_type == "error":
            other.append(f"{output.ename}: {output.evalue}")
        elif output.output_type == "stream":
            other.append(f"stderr: {output.text[:500]}")
        else:
            other.append(f"{output.output_type}: {str(output.get('data', ''))[:200]}")
    return "".join(printed), other, images


@pytest.mark.parametrize("page", PAGES)
def test_notebook_runs_and_prints_what_the_page_shows(page, site, install_command, kernel_specs, tmp_path,
                                                      monkeypatch):
    html, notebook = _download_notebook(page, site)
    install, *cells = notebook.cells
    assert install.cell_type == "code" and "%pip install" in install.source, f"{page}: the first cell does not install"
    assert f"{install_command['name']}[figures] @ {install_command['url']}" in install.source, \
        f"{page}: the install cell does not name the Install page's wheel"
    for cell in cells:
        if cell.cell_type == "markdown":
            assert not RELATIVE_LINK.search(cell.source), f"{page}: a link that is not absolute: {cell.source[:300]}"

    # What the page shows, block by block, and the notebook's code cells that must match it.
    shown = built_site.notebook_code_cells(html) if built_site.is_notebook_page(html) else \
        [b for b in built_site.python_blocks(html) if b.copyable]
    code = [c for c in cells if c.cell_type == "code"]
    assert [c.source.rstrip("\n") for c in code] == [b.code.rstrip("\n") for b in shown], \
        f"{page}: the notebook's code cells are not the page's copyable code, in page order"
    assert all(c.outputs == [] and c.execution_count is None for c in code), f"{page}: outputs not stripped"

    seconds = _execute(notebook, kernel_specs, tmp_path, monkeypatch)
    print(f"{page}: {len(code)} code cells ran in {seconds:.1f} s")
    assert _printed(install) == ("", [], 0), f"{page}: the install cell ran pip although the version is installed"
    for cell, block in zip(code, shown):
        printed, other, images = _printed(cell)
        where = f"{page} code cell {block.number}:\n{block.code}"
        assert not other, f"{where}\nproduced something the page does not show: {other}"
        assert images == block.plots, f"{where}\ndrew {images} figures, the page shows {block.plots}"
        if block.plots:  # the figures are images in Jupyter: the rest of the output must match
            assert built_site.rendered_words(printed) == block.words_beside_plots, f"{where}\nprints something else"
        elif block.kind == "rendered":
            assert built_site.rendered_words(printed) == block.output, f"{where}\nprints something else than the page"
        else:
            assert built_site.mask_measurements(printed).rstrip("\n") == \
                built_site.mask_measurements(block.output).rstrip("\n"), f"{where}\nprints something else than the page"
