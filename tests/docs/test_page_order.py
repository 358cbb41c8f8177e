"""A page shows the same whatever was built before it: the site built in reverse order equals the site as built.

MkDocs executes pages one after another in one process (in the order of its file list). The isolation hook
(docs/hooks/isolation.py) resets global state before each page; this test builds the whole site again with the
file list reversed, so every page that ran late now runs early and the other way round, and compares each page's
content (the <article>, so navigation is not in the comparison) with the normal build.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

import built_site
from built_site import ROOT

REVERSED_BUILD = textwrap.dedent("""
    import sys
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.structure.files import Files

    in_order = Files.documentation_pages
    Files.documentation_pages = lambda self, *args, **kwargs: list(reversed(in_order(self, *args, **kwargs)))
    build(load_config("mkdocs.yml", site_dir=sys.argv[1], strict=True))
""")


@pytest.fixture(scope="module")
def reversed_site(tmp_path_factory):
    site = tmp_path_factory.mktemp("reversed") / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run([sys.executable, "-c", REVERSED_BUILD, str(site)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    return site


def _content(site, page: str) -> str:
    return built_site.mask_measurements(str(built_site.article(built_site.page_html(site, page))))


@pytest.mark.slow
def test_every_page_is_the_same_built_in_reverse_order(reversed_site):
    site = built_site.site_dir()
    pages = built_site.page_paths(site)
    assert pages == built_site.page_paths(reversed_site)
    differ = [page or "(home)" for page in pages if _content(site, page) != _content(reversed_site, page)]
    assert not differ, f"pages whose content depends on build order: {differ}"
