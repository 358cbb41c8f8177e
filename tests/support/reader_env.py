"""A reader's clean Python environment: a new virtual environment outside the repository with only the package.

The package comes from the wheel the built site offers (``site/downloads/*.whl``), as a file (copy test) or over HTTP
from the served site (reader's end-to-end test); it is installed alone or with a declared extra and nothing else
(plus ipykernel where notebooks run), so a page whose code imports something undeclared fails here as it would for a
reader.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import venv
from pathlib import Path

from built_site import ROOT

# Runs blocks one after another in one namespace, like a reader pasting them into a fresh session, and reports each
# block's printed output; stops at the first block that raises and says which.
RUNNER = r"""
import contextlib, io, json, sys, traceback
outputs, namespace = [], {"__name__": "__main__"}
for number, code in enumerate(json.load(sys.stdin), start=1):
    buffer = io.StringIO()
    try:
        with contextlib.redirect_stdout(buffer):
            exec(compile(code, f"<block {number}>", "exec"), namespace)
    except BaseException:
        print(json.dumps({"outputs": outputs, "failed": number, "error": traceback.format_exc(limit=-3)}))
        break
    outputs.append(buffer.getvalue())
else:
    print(json.dumps({"outputs": outputs, "failed": None, "error": ""}))
"""


def clean_environ(home: Path) -> dict[str, str]:
    """A minimal environment: no PYTHONPATH, no virtualenv of ours, a throwaway HOME.

    OPENBLAS_* settings are kept: on some processors this machine needs them for numpy to compute correctly.
    """
    keep = {k: v for k, v in os.environ.items() if k.startswith("OPENBLAS_") or k in ("LANG", "LC_ALL", "TMPDIR")}
    return {**keep, "PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": str(home), "PYTHONHASHSEED": "0"}


def constraints_file(dest: Path) -> Path:
    """requirements.lock as pip constraints (hash lines dropped: pip refuses hashes in a constraints file)."""
    lines = []
    for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].rstrip(" \\").strip()
        if line and not line.startswith("--"):
            lines.append(line)
    path = dest / "constraints.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def the_wheel(site: Path) -> Path:
    """The wheel the built site offers under downloads/ (docs/hooks/downloads.py puts it there)."""
    offered = sorted((site / "downloads").glob("*.whl"))
    assert len(offered) == 1, f"expected one wheel in {site / 'downloads'}, found {[p.name for p in offered]}"
    return offered[0]


def create(where: Path, requirement: str, *more: str) -> Path:
    """A new virtual environment at ``where`` with ``requirement`` (and ``more``) installed; returns its python."""
    venv.create(where, with_pip=True, clear=True)
    python = where / "bin" / "python"
    done = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", requirement, *more,
         "-c", str(constraints_file(where))],
        capture_output=True, text=True, env={**clean_environ(where), "PIP_CACHE_DIR": _pip_cache()},
    )
    assert done.returncode == 0, f"installing {requirement} {' '.join(more)} failed:\n{done.stderr[-3000:]}"
    return python


def register_kernel(python: Path, name: str) -> Path:
    """Registers the environment's ipykernel as Jupyter kernel ``name`` inside the environment; returns the folder
    that holds its kernel spec (give it to a KernelSpecManager: nothing is written outside the environment)."""
    prefix = python.parent.parent
    subprocess.run([str(python), "-m", "ipykernel", "install", "--prefix", str(prefix), "--name", name],
                   check=True, capture_output=True, text=True, env=clean_environ(prefix))
    return prefix / "share" / "jupyter" / "kernels"


def _pip_cache() -> str:
    return os.environ.get("PIP_CACHE_DIR", str(Path.home() / ".cache" / "pip"))


def run_blocks(python: Path, blocks: list[str], cwd: Path, *, show_figures: bool = False) -> dict:
    """Run ``blocks`` in one fresh interpreter in ``cwd``; returns {"outputs", "failed", "error", "stderr"}.

    show_figures: ``plt.show()`` prints each figure it would show as SVG (tests/support/shown_figures.py, copied
    alone into ``cwd/figure-backend`` and put on PYTHONPATH), so a block's figure is compared with the page's.
    """
    env = clean_environ(cwd)
    if show_figures:
        backend = cwd / "figure-backend"
        backend.mkdir()
        shutil.copy(Path(__file__).with_name("shown_figures.py"), backend)
        env.update(MPLBACKEND="module://shown_figures", PYTHONPATH=str(backend))
    done = subprocess.run([str(python), "-c", RUNNER], input=json.dumps(blocks), capture_output=True, text=True,
                          cwd=cwd, env=env, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return {**json.loads(done.stdout.strip().splitlines()[-1]), "stderr": done.stderr}
