"""requirements.lock pins every package with its sha256 hashes, matches pyproject.toml, and is what
`make install` installs (nothing else, nothing unhashed)."""

import re
import tomllib

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from verified import ROOT


def locked():
    """{canonical name: (version, [sha256 hashes])} from requirements.lock (continuation lines joined)."""
    text = re.sub(r"\\\n", " ", (ROOT / "requirements.lock").read_text())
    pins = {}
    for line in text.splitlines():
        line = line.split(" #")[0].strip()
        if line and not line.startswith("#"):
            match = re.fullmatch(r"([A-Za-z0-9._-]+)==(\S+)((?:\s+--hash=sha256:[0-9a-f]{64})*)", line)
            assert match, f"not an exact pin with sha256 hashes: {line}"
            name, version, hashes = match.groups()
            pins[canonicalize_name(name)] = (version, hashes.split())
    return pins


def declared():
    """Every requirement pyproject.toml declares: dependencies, each extra, the build backend."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    extras = project["project"]["optional-dependencies"].values()
    lines = [*project["project"]["dependencies"], *(r for extra in extras for r in extra),
             *project["build-system"]["requires"]]
    return [Requirement(line) for line in lines]


def test_every_locked_package_is_pinned_with_its_hashes():
    pins = locked()
    assert len(pins) > 50
    assert [name for name, (_, hashes) in pins.items() if not hashes] == []


def test_the_lock_satisfies_every_requirement_of_pyproject():
    """Fails when pyproject.toml changes (a Dependabot bump, a new package) until `make lock` is rerun."""
    pins = locked()
    stale = [str(req) for req in declared()
             if canonicalize_name(req.name) not in pins
             or not req.specifier.contains(pins[canonicalize_name(req.name)][0], prereleases=True)]
    assert stale == [], "run `make lock`"


def test_make_install_installs_the_lock_with_hashes_required_then_only_the_project():
    recipe = (ROOT / "Makefile").read_text().split("\n$(STAMP):")[1].split("\n\n")[0]
    installs = [line.split("pip install", 1)[1].split() for line in recipe.splitlines() if "pip install" in line]
    assert installs == [["--quiet", "--require-hashes", "--only-binary", ":all:", "-r", "requirements.lock"],
                        ["--quiet", "--no-deps", "--no-build-isolation", "-e", "."]]
