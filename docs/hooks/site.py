"""MkDocs hooks: keep `make serve` fresh, check bindings at build, serve MathJax locally.

Kept tiny on purpose (plain MkDocs hook functions, no plugin class) so the site can move to another
generator without rewriting its machinery.
"""

from __future__ import annotations

import logging
import re
import sys
from pathlib import Path

import mathjax  # django-static-mathjax: MathJax 3's files, installed from the package registry
from mkdocs.structure.files import File

import exec_cache
import verified

log = logging.getLogger("mkdocs.hooks.site")  # warnings under "mkdocs." fail `mkdocs build --strict`

MATHJAX_DIR = Path(mathjax.__file__).parent / "static" / "mathjax" / "es5"
# The one combined bundle we load, and the folders it fetches extensions and fonts from on demand.
MATHJAX_KEEP = ("tex-chtml.js", "input/", "output/chtml/", "a11y/", "ui/", "sre/", "adaptors/")
COUNT = re.compile(r"\{\{\s*verified\.(\w+)\s*\}\}")
# nbconvert's notebook template loads MathJax 2 from a CDN; the site's own MathJax 3 typesets notebooks.
NOTEBOOK_MATHJAX = re.compile(r"<!-- Load mathjax -->.*?<!-- End of mathjax configuration -->", re.S)
# ...and a loader that would import Mermaid from a CDN if a notebook ever held a diagram: none of ours do.
NOTEBOOK_MERMAID = re.compile(r'<script type="module">(?:(?!</script>).)*?mermaid(?:(?!</script>).)*</script>', re.S)

counts: dict[str, int] = {}


def on_pre_build(config) -> None:
    """Forget the previous build, so that editing `snippets` during `make serve` refreshes every result."""
    for name in [m for m in sys.modules if m == "snippets" or m.startswith("snippets.")]:
        del sys.modules[name]
    try:  # markdown-exec keeps each session's globals for the life of the process
        from markdown_exec._internal.formatters import python as exec_python

        exec_python._sessions_globals.clear()
    except (ImportError, AttributeError):
        log.warning("markdown-exec changed: cannot reset its sessions between builds")
    verified.clear_cache()
    counts.clear()
    counts.update(verified.site_counts(Path(config["docs_dir"])))


def on_files(files, config):
    for path in sorted(MATHJAX_DIR.rglob("*")):
        rel = path.relative_to(MATHJAX_DIR).as_posix()
        if path.is_file() and rel.startswith(MATHJAX_KEEP):
            files.append(File.generated(config, f"assets/mathjax/{rel}", abs_src_path=str(path)))
    return files


def on_page_markdown(markdown: str, page, config, files) -> str:
    """Check each bound number against the code, then show the reader the literal alone."""
    if page.file.src_uri.endswith(".md"):
        source = verified.read_page(Path(page.file.abs_src_path))
        # computing the bound values is the slow part of a rebuild: cached while the modules they import are unchanged
        for problem in exec_cache.checked(page.file.src_uri, source.body, lambda: verified.mismatches(source)):
            log.warning(problem)
        for problem in verified.unverified_numbers(source):
            log.warning(problem)

    def count(match: re.Match) -> str:
        if match[1] not in counts:
            log.warning(f"{page.file.src_uri}: unknown count {match[0]}")
            return match[0]
        return str(counts[match[1]])

    return COUNT.sub(count, verified.render(markdown))


def on_post_page(output: str, page, config) -> str:
    if page.file.src_uri.endswith(".ipynb"):
        output = NOTEBOOK_MERMAID.sub("", NOTEBOOK_MATHJAX.sub("", output))
    return output
