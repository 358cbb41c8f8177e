"""MkDocs hook: replay a page's recorded outputs when nothing they depend on has changed (see exec_cache.py).

Listed after isolation.py: a page's imports are recorded from a clean import cache.
"""

from __future__ import annotations

import logging

import exec_cache

log = logging.getLogger("mkdocs.hooks.replay")


class _DirtyBuildNotice(logging.Filter):
    """MkDocs warns on every dirty build that links may be off, which fails a strict site (mkdocs.yml). The pages
    an edit affects are rebuilt here and the others keep their titles (on_nav); the notice is logged as info."""

    PREFIX = "A 'dirty' build is being performed"

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno == logging.WARNING and record.getMessage().startswith(self.PREFIX):
            log.info("dirty build: only the pages an edit affects are rebuilt (restart `make serve` after "
                     "changing the nav, templates or mkdocs.yml)")
            return False
        return True


def on_startup(command, dirty) -> None:
    exec_cache.serving_dirty = command == "serve" and dirty
    build_log = logging.getLogger("mkdocs.commands.build")
    if exec_cache.serving_dirty and not any(isinstance(f, _DirtyBuildNotice) for f in build_log.filters):
        build_log.addFilter(_DirtyBuildNotice())


def on_files(files, config):
    """In `mkdocs serve --dirty`, also rebuild the pages an edit to the package or an include affects. Notebooks
    start executing now, beside the pages (exec_cache.start_notebooks)."""
    if exec_cache.serving_dirty:
        forced = exec_cache.rebuild_stale(files, config)
        if forced:
            log.info(f"rebuilding what the edit affects: {', '.join(forced)}")
    exec_cache.start_notebooks(files, config)
    return files


def on_nav(nav, config, files):
    """In a dirty build, read the source of the pages it skips, so that links to them keep their titles (MkDocs
    takes a page's title from its first heading, which it reads only for the pages it rebuilds)."""
    if exec_cache.serving_dirty:
        for page in nav.pages:
            if not page.file.is_modified():
                page.read_source(config)
    return nav


def on_config(config):
    exec_cache.configure(config)
    return config


def on_page_markdown(markdown: str, page, config, files) -> str:
    exec_cache.begin_page(page.file.src_uri, markdown)
    return markdown


def on_page_content(html: str, page, config, files) -> str:
    exec_cache.end_page()
    return html
