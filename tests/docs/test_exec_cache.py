"""The execution cache is exact: a warm build shows what a cold build shows, and re-runs only what an edit affects.

A scratch site of three pages uses a scratch `snippets` package: page a imports snippets.alpha, page b imports
snippets.beta, page c imports nothing. One process builds it several times, as `make serve` does, with edits in
between; a separate process with the cache off builds it cold. Every page must be byte-identical to the cold
build, and the log must show which pages ran.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml

from verified import ROOT

HOOKS = ROOT / "docs" / "hooks"

PAGE = """# Page {name}

```python exec="on" session="{name}" source="block" result="text"
{code}
```
"""
PAGES = {
    "a": "from snippets import alpha\nprint('alpha says', alpha.value())",
    "b": "from snippets import beta\nprint('beta says', beta.value())",
    "c": "print('c says', 3)",
}

# Builds in one process like `mkdocs serve`, running the steps given on the command line between builds; with
# "dirty", like `make serve` (`mkdocs serve --dirty`): one site directory, rebuilt in place. Prints, per build,
# the pages executed and the pages written.
SERVE = textwrap.dedent("""
    import json, logging, sys
    from pathlib import Path
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    scratch, dirty = Path(sys.argv[1]), sys.argv[3] == "dirty"
    sys.path.insert(0, str(scratch))
    ran, written = [], []

    class Record(logging.Handler):
        def emit(self, record):
            message = record.getMessage()
            if message.startswith("executing: "):
                ran[-1].append(message.removeprefix("executing: "))
            if message.startswith("Building page "):
                written[-1].append(message.removeprefix("Building page "))

    for name, level in (("mkdocs.hooks.exec_cache", logging.INFO), ("mkdocs.commands.build", logging.DEBUG)):
        logging.getLogger(name).setLevel(level)
        logging.getLogger(name).addHandler(Record())
    for number, step in enumerate(json.loads(sys.argv[2])):
        exec(step, {"scratch": scratch})
        ran.append([])
        written.append([])
        config = load_config(str(scratch / "mkdocs.yml"), site_dir=str(scratch / ("site" if dirty else f"site{number}")))
        if number == 0:
            config.plugins.on_startup(command="serve", dirty=dirty)
        build(config, dirty=dirty)
    print(json.dumps([ran, written]))
""")


def scratch_site(where: Path) -> Path:
    (where / "docs").mkdir(parents=True)
    (where / "snippets").mkdir()
    (where / "snippets" / "__init__.py").write_text("")
    (where / "snippets" / "alpha.py").write_text("def value():\n    return 1\n")
    (where / "snippets" / "beta.py").write_text("def value():\n    return 2\n")
    for name, code in PAGES.items():
        (where / "docs" / f"{name}.md").write_text(PAGE.format(name=name, code=code))
    (where / "docs" / "includes").mkdir()
    (where / "docs" / "includes" / "note.md").write_text("An included note.\n")
    (where / "docs" / "d.md").write_text('# Page d\n\n--8<-- "docs/includes/note.md"\n')
    config = {
        "site_name": "scratch",
        "hooks": [str(HOOKS / name) for name in ("isolation.py", "replay.py")],
        "plugins": ["markdown-exec"],
        "markdown_extensions": ["pymdownx.superfences", "pymdownx.snippets"],
        "exclude_docs": "includes/",
        "strict": True,  # as the site's mkdocs.yml: a warning fails a build, also a dirty one during `make serve`
    }
    (where / "mkdocs.yml").write_text(yaml.safe_dump(config))
    return where


def with_notebook(scratch: Path) -> Path:
    """The scratch site plus a notebook page, e.ipynb, whose kernel imports snippets.beta (mkdocs-jupyter as the
    site's mkdocs.yml configures it)."""
    import nbformat

    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "from snippets import beta\nprint('e says', beta.value())")])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, scratch / "docs" / "e.ipynb")
    config = yaml.safe_load((scratch / "mkdocs.yml").read_text())
    config["plugins"].append({"mkdocs-jupyter": {"execute": True, "allow_errors": False, "kernel_name": "python3",
                                                 "include": ["*.ipynb"], "ignore": ["*.md"]}})
    (scratch / "mkdocs.yml").write_text(yaml.safe_dump(config))
    return scratch


def serve(scratch: Path, steps: list[str], *, dirty: bool = False) -> list[list[str]]:
    """Build once per step (after running it) in one process; returns the pages executed by each build (and, when
    ``dirty``, also the pages written by each)."""
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "BACKPROP_CACHE")}
    env["PYTHONPATH"] = str(scratch)  # a notebook's kernel imports the scratch package too
    done = subprocess.run([sys.executable, "-c", SERVE, str(scratch), json.dumps(steps), "dirty" if dirty else ""],
                          capture_output=True, text=True, cwd=scratch, env=env, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    ran, written = json.loads(done.stdout.strip().splitlines()[-1])
    return (ran, written) if dirty else ran


def cold_build(scratch: Path, site: str) -> Path:
    env = {**os.environ, "BACKPROP_CACHE": "off", "PYTHONPATH": str(scratch)}
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "--site-dir", site], capture_output=True,
                          text=True, cwd=scratch, env=env, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return scratch / site


def pages_of(site: Path) -> dict[str, str]:
    return {name: (site / name / "index.html").read_text() for name in [*PAGES, "d"]}


def entry_of(scratch: Path, page: str) -> Path:
    sys.path.insert(0, str(HOOKS))
    import exec_cache

    return scratch / ".cache" / "exec" / f"{exec_cache._sha(f'page:{page}.md')}.json"


@pytest.mark.slow
def test_an_edit_reruns_exactly_the_pages_that_imported_it(tmp_path):
    scratch = scratch_site(tmp_path / "scratch")
    ran = serve(scratch, [
        "",  # cold start: every page runs
        "",  # nothing changed: every page replayed
        "(scratch / 'snippets' / 'alpha.py').write_text('def value():\\n    return 10\\n')",
        "(scratch / 'docs' / 'c.md').write_text((scratch / 'docs' / 'c.md').read_text() + '\\nMore prose.\\n')",
        "(scratch / 'docs' / 'c.md').write_text((scratch / 'docs' / 'c.md').read_text().replace(', 3)', ', 4)'))",
    ])
    assert ran == [["a.md", "b.md", "c.md"], [], ["a.md"], [], ["c.md"]]
    warm = pages_of(scratch / "site4")
    assert "alpha says 10" in warm["a"] and "c says 4" in warm["c"] and "More prose." in warm["c"]
    assert warm == pages_of(cold_build(scratch, "cold")), "a warm build differs from a cold one"


@pytest.mark.slow
def test_make_serve_rewrites_exactly_the_pages_an_edit_affects(tmp_path):
    """`mkdocs serve --dirty` skips pages whose Markdown is unchanged; the hook adds those the edit affects."""
    scratch = scratch_site(tmp_path / "scratch")
    docs = "(scratch / 'docs' / {!r})"
    ran, written = serve(scratch, [
        "",  # first build: everything
        "",  # nothing changed: nothing rebuilt
        "(scratch / 'snippets' / 'alpha.py').write_text('def value():\\n    return 10\\n')",
        f"{docs.format('c.md')}.write_text({docs.format('c.md')}.read_text() + '\\nMore prose.\\n')",
        f"{docs.format('includes/note.md')}.write_text('An edited note.\\n')",
    ], dirty=True)
    assert ran == [["a.md", "b.md", "c.md"], [], ["a.md"], [], []]
    assert written == [["a.md", "b.md", "c.md", "d.md"], [], ["a.md"], ["c.md"], ["d.md"]]
    warm = pages_of(scratch / "site")
    assert "alpha says 10" in warm["a"] and "More prose." in warm["c"] and "An edited note." in warm["d"]
    assert warm == pages_of(cold_build(scratch, "cold")), "the served site differs from a cold build"


@pytest.mark.slow
def test_a_notebook_reruns_exactly_when_a_module_its_kernel_imported_changes(tmp_path):
    """The kernel records what it imported (exec_cache.KERNEL_RECORDER): an edit to another module leaves the
    notebook replayed; an edit to its module re-executes it, and it shows what a cold build shows."""
    scratch = with_notebook(scratch_site(tmp_path / "scratch"))
    ran, _ = serve(scratch, [
        "",
        "(scratch / 'snippets' / 'alpha.py').write_text('def value():\\n    return 10\\n')",
        "(scratch / 'snippets' / 'beta.py').write_text('def value():\\n    return 20\\n')",
    ], dirty=True)
    assert [sorted(pages) for pages in ran] == [["a.md", "b.md", "c.md", "e.ipynb"], ["a.md"], ["b.md", "e.ipynb"]]
    warm = (scratch / "site" / "e" / "index.html").read_text()
    assert "e says 20" in warm
    assert warm == (cold_build(scratch, "cold") / "e" / "index.html").read_text()


@pytest.mark.slow
def test_a_corrupted_or_foreign_entry_is_ignored_and_rebuilt(tmp_path):
    scratch = scratch_site(tmp_path / "scratch")
    corrupt_b = f"Path({str(entry_of(scratch, 'b'))!r}).write_text('{{not json')"
    a_as_c = f"Path({str(entry_of(scratch, 'c'))!r}).write_bytes(Path({str(entry_of(scratch, 'a'))!r}).read_bytes())"
    ran = serve(scratch, ["", "from pathlib import Path\n" + corrupt_b, "from pathlib import Path\n" + a_as_c, ""])
    assert ran == [["a.md", "b.md", "c.md"], ["b.md"], ["c.md"], []]
    assert json.loads(entry_of(scratch, "b").read_text())["name"] == "page:b.md", "the bad entry was not rewritten"
    assert pages_of(scratch / "site3") == pages_of(cold_build(scratch, "cold"))


def test_ci_builds_cold(monkeypatch):
    sys.path.insert(0, str(HOOKS))
    import exec_cache

    monkeypatch.setenv("CI", "true")
    assert not exec_cache.enabled()
    monkeypatch.delenv("CI")
    monkeypatch.setenv("BACKPROP_CACHE", "off")
    assert not exec_cache.enabled()
    monkeypatch.delenv("BACKPROP_CACHE")
    assert exec_cache.enabled()
