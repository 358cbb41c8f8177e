"""The Nu HTML checker finds no error in the site's own markup (pages, figures, notebook HTML, overridden
templates). Needs the built site (`make test` builds it) and Java (`.ci/run` installs a JRE)."""

import os
import shutil

import pytest

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import audit  # noqa: E402
from verified import ROOT  # noqa: E402

pytestmark = pytest.mark.slow


def test_no_html_error_in_the_sites_own_markup():
    site = ROOT / os.environ.get("SITE_DIR", "site")
    if not (site / "index.html").exists():
        pytest.fail(f"no built site in {site}: run `make test` (it builds first)")
    if shutil.which("java") is None or not audit.VNU.exists():
        if os.environ.get("CI"):
            pytest.fail("the Nu HTML checker needs Java and `make install` (npm ci)")
        pytest.skip("needs Java (apt-get install default-jre-headless) and `make install`")
    own, theme = audit.nu_checker(site.resolve(), audit.pages(site.resolve()))
    assert own == []
