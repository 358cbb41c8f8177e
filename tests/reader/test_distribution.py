"""The package as the site serves it: a wheel and an sdist the package index would accept, with complete metadata.

Reads the files under the built site's downloads/ (docs/hooks/downloads.py builds them with `python -m build`).
"""

from __future__ import annotations

import re
import subprocess
import sys
import tarfile
import zipfile
from email.parser import Parser

import pytest

import built_site

@pytest.fixture(scope="module")
def offered():
    folder = built_site.site_dir() / "downloads"
    wheels, sdists = sorted(folder.glob("*.whl")), sorted(folder.glob("*.tar.gz"))
    assert len(wheels) == 1 and len(sdists) == 1, f"expected one wheel and one sdist in {folder}"
    return wheels[0], sdists[0]


@pytest.fixture(scope="module")
def metadata(offered):
    with zipfile.ZipFile(offered[0]) as wheel:
        name = next(n for n in wheel.namelist() if n.endswith(".dist-info/METADATA"))
        return Parser().parsestr(wheel.read(name).decode())


@pytest.mark.slow  # needs the built site
def test_twine_check_passes(offered):
    done = subprocess.run([sys.executable, "-m", "twine", "check", "--strict", *map(str, offered)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.slow  # needs the built site
def test_metadata_is_complete(metadata):
    assert metadata["Name"] == "backprop-executed"
    assert metadata["Summary"] and metadata["Description-Content-Type"] == "text/markdown"
    assert metadata["License-Expression"] == "MIT" and metadata["License-File"] == "LICENSE"
    assert metadata["Requires-Python"] == ">=3.11"
    urls = dict(value.split(", ", 1) for value in metadata.get_all("Project-URL"))
    assert {"Documentation", "Source"} <= set(urls), urls
    assert any(c.startswith("Programming Language :: Python :: 3.11") for c in metadata.get_all("Classifier"))
    assert "figures" in metadata.get_all("Provides-Extra")
    assert any(re.match(r"matplotlib\b.*; extra == ['\"]figures['\"]", r) for r in metadata.get_all("Requires-Dist"))


@pytest.mark.slow  # needs the built site
def test_wheel_holds_the_package_and_the_license(offered):
    with zipfile.ZipFile(offered[0]) as wheel:
        names = wheel.namelist()
    assert "snippets/__init__.py" in names and "snippets/examples/padhai.py" in names
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    assert not [n for n in names if n.startswith(("tests/", "docs/"))], "the book's sources are not the package"


@pytest.mark.slow  # needs the built site
def test_sdist_holds_only_the_package_and_what_describes_it(offered):
    with tarfile.open(offered[1]) as sdist:
        top = {name.split("/", 2)[1] for name in sdist.getnames() if name.count("/") >= 1}
    assert top <= {"snippets", "README.md", "LICENSE", "pyproject.toml", "PKG-INFO", ".gitignore"}, top
    assert {"snippets", "LICENSE", "pyproject.toml"} <= top


def test_figures_without_matplotlib_say_how_to_install_them(monkeypatch):
    from snippets.figures import svg_of

    monkeypatch.setitem(sys.modules, "matplotlib", None)  # as if the figures extra were not installed
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    with pytest.raises(ModuleNotFoundError, match=r'pip install "backprop-executed\[figures\]"'):
        svg_of(object())
