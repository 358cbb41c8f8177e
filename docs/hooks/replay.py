"""MkDocs hook: replay a page's recorded outputs when nothing they depend on has changed (see exec_cache.py).

Listed after isolation.py: a page's imports are recorded from a clean import cache.
"""

from __future__ import annotations

import exec_cache


def on_config(config):
    exec_cache.configure(config)
    return config


def on_page_markdown(markdown: str, page, config, files) -> str:
    exec_cache.begin_page(page.file.src_uri, markdown)
    return markdown


def on_page_content(html: str, page, config, files) -> str:
    exec_cache.end_page()
    return html
