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


def make_install_recipe() -> list[str]:
    """The lines of the recipe that makes .venv, continuation lines joined."""
    recipe = (ROOT / "Makefile").read_text().split("\n$(STAMP):")[1].split("\n\n")[0]
    return re.sub(r"\\\n\s*", " ", recipe).splitlines()


def test_make_install_installs_the_lock_with_hashes_required_then_only_the_project():
    """pip installs uv alone from its entry in the lock; uv installs the lock, hashes required; then the project."""
    installs = [line.split(" install", 1)[1].split() for line in make_install_recipe() if "pip install --" in line]
    assert installs == [
        ["--quiet", "--require-hashes", "--only-binary", ":all:", "--no-deps", "-r", "$(UV_PIN)"],
        ["--quiet", "--python", "$(BIN)/python", "--compile-bytecode", "--require-hashes", "--only-binary", ":all:",
         "-r", "requirements.lock"],
        ["--quiet", "--python", "$(BIN)/python", "--no-deps", "--no-build-isolation", "-e", "."],
    ]
    pip, uv, project = [line for line in make_install_recipe() if "pip install --" in line]
    assert "-m pip install" in pip and "$(BIN)/uv pip install" in uv and "$(BIN)/uv pip install" in project


def test_the_uv_that_make_install_bootstraps_is_the_locked_one_with_its_hashes(tmp_path):
    """The recipe's awk cuts uv's whole entry (its pin and every hash) out of requirements.lock, nothing more."""
    import subprocess

    extract = next(line for line in make_install_recipe() if line.strip().startswith("awk"))
    program = extract.split("'")[1].replace("$$", "$")  # make's escape for a dollar
    out = subprocess.run(["awk", program, str(ROOT / "requirements.lock")], capture_output=True, text=True,
                         check=True).stdout
    version, hashes = locked()["uv"]
    assert out.startswith(f"uv=={version} ") and out.count("--hash=sha256:") == len(hashes) > 0
    assert all(h.removeprefix("--hash=") in out for h in hashes) and "#" not in out
