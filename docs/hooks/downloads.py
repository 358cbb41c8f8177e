"""MkDocs hook: the package a reader installs, built once per build and served under ``downloads/``.

``python -m build`` makes the wheel and the sdist of this checkout (without build isolation: the pinned hatchling
is in the docs extra, so an offline `make serve` still builds). It runs beside the pages (a second process, started
when the build starts; the pages need only the files' names, which follow from the project's name and version) and
is waited for before the site's files are written (on_env). The result is kept in ``.cache/downloads/<key>/``,
where the key hashes every file that goes into the distributions, so a rebuild after editing a chapter reuses it
and a rebuild after editing `snippets` makes a new one. Pages quote the install commands as
``{{ downloads.wheel_url }}`` and friends; the URLs come from ``site_url`` and ``repo_url``, never typed.
"""

from __future__ import annotations

import concurrent.futures
import hashlib
import logging
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path

from mkdocs.structure.files import File

log = logging.getLogger("mkdocs.hooks.downloads")  # warnings under "mkdocs." fail `mkdocs build --strict`

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / ".cache" / "downloads"
FOLDER = "downloads"  # the stable path of the site the files are served under
# What goes into the wheel or the sdist (pyproject.toml's [tool.hatch.build] says the same).
SOURCES = ("pyproject.toml", "README.md", "LICENSE")
PACKAGE = "snippets"
PLACEHOLDER = re.compile(r"\{\{\s*downloads\.(\w+)\s*\}\}")


@dataclass(frozen=True)
class Distribution:
    """The built files and the facts pages quote about them."""

    name: str  # the distribution name readers install, e.g. backprop-executed
    version: str
    wheel: Path
    sdist: Path

    def facts(self, site_url: str, repo_url: str | None) -> dict[str, str]:
        base = site_url.rstrip("/") + f"/{FOLDER}/"
        facts = {
            "name": self.name,
            "version": self.version,
            "wheel": self.wheel.name,
            "sdist": self.sdist.name,
            "wheel_url": base + self.wheel.name,
            "sdist_url": base + self.sdist.name,
        }
        # The one install command: PEP 508's "name[extra] @ URL" (a bare URL cannot carry the extra).
        facts["pip_wheel"] = f'pip install "{self.name}[figures] @ {facts["wheel_url"]}"'
        if repo_url:
            facts["repo_url"] = repo_url.rstrip("/")
            facts["pip_git"] = f'pip install "{self.name}[figures] @ git+{facts["repo_url"]}"'
        return facts


def sources_key() -> str:
    """A hash of every file the distributions are made from (bytecode caches left out)."""
    digest = hashlib.sha256()
    files = [ROOT / name for name in SOURCES]
    files += sorted(p for p in (ROOT / PACKAGE).rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    for path in files:
        digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def build(key: str) -> Path:
    """The folder holding the wheel and sdist for ``key``, built with ``python -m build`` unless already there."""
    done = CACHE / key
    if list(done.glob("*.whl")) and list(done.glob("*.tar.gz")):
        return done
    with tempfile.TemporaryDirectory(prefix="downloads-") as tmp:
        result = subprocess.run(
            [sys.executable, "-m", "build", "--no-isolation", "--outdir", tmp, str(ROOT)],
            capture_output=True, text=True,
        )
        if result.returncode != 0:
            raise RuntimeError(f"python -m build failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
        staged = Path(tmp) / "done"
        staged.mkdir()
        for built in Path(tmp).glob("*.*"):
            shutil.move(built, staged / built.name)
        CACHE.mkdir(parents=True, exist_ok=True)
        if not done.exists():  # a concurrent build of the same sources may have finished first
            shutil.move(staged, done)
    for older in CACHE.iterdir():  # one cached build is enough
        if older != done:
            shutil.rmtree(older, ignore_errors=True)
    return done


def planned(key: str) -> Distribution:
    """Where build(key) puts the files: names as the build backend writes them (name normalised, PEP 427/625)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    stem = f"{re.sub(r'[-_.]+', '_', project['name']).lower()}-{project['version']}"
    return Distribution(project["name"], project["version"], CACHE / key / f"{stem}-py3-none-any.whl",
                        CACHE / key / f"{stem}.tar.gz")


def check_built(dist: Distribution) -> None:
    """Fail if the build did not write the files under the planned names."""
    for path in (dist.wheel, dist.sdist):
        if not path.is_file():
            built = ", ".join(p.name for p in path.parent.glob("*")) or "nothing"
            raise RuntimeError(f"the package build made {built}, not {path.name}")


_current: dict[str, Distribution] = {}
_building: dict[str, concurrent.futures.Future] = {}
_builder = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="package build")


def current() -> Distribution:
    """The distribution of the build under way (planned in on_pre_build; its files exist from on_env on)."""
    return _current["dist"]


def facts(config) -> dict[str, str]:
    return current().facts(config["site_url"] or "/", config.get("repo_url"))


def on_pre_build(config) -> None:
    key = sources_key()
    _current["dist"] = planned(key)
    _building["files"] = _builder.submit(build, key)


def on_env(env, config, files):
    """The files must exist before MkDocs copies them into the site: wait for the package build (a failure raises
    here, on the build's thread)."""
    _building.pop("files").result()
    check_built(current())
    return env


def on_files(files, config):
    dist = current()
    for path in (dist.wheel, dist.sdist):
        files.append(File.generated(config, f"{FOLDER}/{path.name}", abs_src_path=str(path)))
    return files


# The header's repository link stays, but Material would also ask GitHub's API for the repository's stars and
# forks: a request to another host on every first visit. Without this attribute its script leaves the link alone.
SOURCE_FACTS = ' data-md-component="source"'


def on_post_page(output: str, page, config) -> str:
    return output.replace(SOURCE_FACTS, "")


def on_page_markdown(markdown: str, page, config, files) -> str:
    """``{{ downloads.wheel_url }}`` etc. replaced by the facts of this build; an unknown name fails the build."""
    known = facts(config)

    def fill(match: re.Match) -> str:
        if match[1] not in known:
            log.warning(f"{page.file.src_uri}: unknown {match[0]} (known: {', '.join(sorted(known))})")
            return match[0]
        return known[match[1]]

    return PLACEHOLDER.sub(fill, markdown)
