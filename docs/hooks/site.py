"""MkDocs hooks: keep `make serve` fresh, check bindings at build, drop nbconvert's CDN loaders.

Kept tiny on purpose (plain MkDocs hook functions, no plugin class) so the site can move to another
generator without rewriting its machinery.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path


import bindings
import exec_cache
import verified

log = logging.getLogger("mkdocs.hooks.site")  # warnings under "mkdocs." fail `mkdocs build --strict`

COUNT = re.compile(r"\{\{\s*verified\.(\w+)\s*\}\}")
# nbconvert's notebook template loads MathJax 2 from a CDN; notebook math is rendered at build (mathrender.py).
NOTEBOOK_MATHJAX = re.compile(r"<!-- Load mathjax -->.*?<!-- End of mathjax configuration -->", re.S)
# ...and a loader that would import Mermaid from a CDN if a notebook ever held a diagram: none of ours do.
NOTEBOOK_MERMAID = re.compile(r'<script type="module">(?:(?!</script>).)*?mermaid(?:(?!</script>).)*</script>', re.S)

counts: dict[str, int] = {}
checker: bindings.Checker | None = None


def on_pre_build(config) -> None:
    """Forget the previous build, so that editing `snippets` during `make serve` refreshes every result."""
    exec_cache.forget_snippets()
    try:  # markdown-exec keeps each session's globals for the life of the process
        from markdown_exec._internal.formatters import python as exec_python

        exec_python._sessions_globals.clear()
    except (ImportError, AttributeError):
        log.warning("markdown-exec changed: cannot reset its sessions between builds")
    verified.clear_cache()
    counts.clear()
    counts.update(verified.site_counts(Path(config["docs_dir"])))
    # the bound numbers are checked in a second process while the pages run (bindings.py); reported at the end
    global checker
    stale = [page for page in verified.chapter_pages(Path(config["docs_dir"])) if page.bindings
             and not exec_cache.check_is_fresh(_name(page, config), bindings.bindings_key(page))]
    checker = bindings.Checker(stale, cwd=Path(config.config_file_path).parent)


def on_files(files, config):
    """In `mkdocs serve --dirty`, a page quoting the site's counts is rebuilt when the counts change."""
    if exec_cache.serving_dirty and exec_cache.previous.get("counts", counts) != counts:
        for file in files.documentation_pages():
            if file.src_uri.endswith(".md") and COUNT.search(Path(file.abs_src_path).read_text(encoding="utf-8")):
                exec_cache.force_rebuild(file)
    exec_cache.previous["counts"] = dict(counts)
    return files


def _name(page: verified.Page, config) -> str:
    return page.path.resolve().relative_to(Path(config["docs_dir"]).resolve()).as_posix()


def on_page_markdown(markdown: str, page, config, files) -> str:
    """Check each bound number against the code, then show the reader the literal alone."""
    if page.file.src_uri.endswith(".md"):
        source = verified.read_page(Path(page.file.abs_src_path))
        for problem in verified.unverified_numbers(source):
            log.warning(problem)

    def count(match: re.Match) -> str:
        if match[1] not in counts:
            log.warning(f"{page.file.src_uri}: unknown count {match[0]}")
            return match[0]
        return str(counts[match[1]])

    return COUNT.sub(count, verified.render(markdown))


def on_post_build(config) -> None:
    """Report what the second process found in the bound numbers; keep the clean checks for the next build."""
    for page, problems, modules in checker.results() if checker is not None else []:
        for problem in problems:
            log.warning(problem)
        if not problems:
            exec_cache.record_check(_name(page, config), bindings.bindings_key(page), modules)


def on_post_page(output: str, page, config) -> str:
    if page.file.src_uri.endswith(".ipynb"):
        output = NOTEBOOK_MERMAID.sub("", NOTEBOOK_MATHJAX.sub("", output))
    return output
