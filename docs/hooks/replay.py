"""MkDocs hook: replay a page's recorded outputs when nothing they depend on has changed (see exec_cache.py).

Listed after isolation.py: a page's imports are recorded from a clean import cache.
"""

from __future__ import annotations

import logging
from pathlib import Path

import exec_cache

log = logging.getLogger("mkdocs.hooks.replay")


def on_startup(command, dirty) -> None:
    exec_cache.serving_dirty = command == "serve" and dirty


def on_files(files, config):
    """In `mkdocs serve --dirty`, also rebuild the pages an edit to the package or an include affects."""
    if exec_cache.serving_dirty:
        forced = exec_cache.rebuild_stale(files, Path(config.config_file_path).resolve().parent)
        if forced:
            log.info(f"rebuilding what the edit affects: {', '.join(forced)}")
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
