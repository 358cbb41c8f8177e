"""The numbers a page's prose quotes, checked in a second process while the build runs the pages' code.

Computing the values a page's bindings name (`verified.mismatches`) runs its example modules: about as much work
as running the page itself, and independent of it. So site.py starts this file as a script when the build starts,
with every page to check, and reports what it found when the build ends (a warning fails `mkdocs build --strict`):
the checks run on the machine's second core beside the pages' code. Each `values:` function is computed once, with
a fresh import of `snippets` as the build gives each page, and its result serves every page that names it (four
CS224N pages and the errata share one). During `make serve`, a page whose bindings (and the modules their values
imported) are unchanged is not checked again (exec_cache).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

import exec_cache
import verified


def bindings_key(page: verified.Page) -> str:
    """What a page's check depends on besides the modules: where its values come from and what it quotes."""
    return json.dumps([page.meta.get("values"), [(b.literal, b.key) for b in page.bindings]])


class Checker:
    """The second process, started with the pages whose bindings need checking."""

    def __init__(self, pages: list[verified.Page], cwd: Path) -> None:
        self.pages = {str(page.path): page for page in pages}
        self.output = tempfile.TemporaryFile(mode="w+", encoding="utf-8")  # never a full pipe that stalls it
        self.process = subprocess.Popen([sys.executable, __file__], stdin=subprocess.PIPE, stdout=self.output,
                                        text=True, cwd=cwd) if pages else None
        if self.process is not None:
            self.process.stdin.write(json.dumps(list(self.pages)))
            self.process.stdin.close()

    def results(self) -> list[tuple[verified.Page, list[str], dict[str, str]]]:
        """(page, problems, modules its values imported) for each page; waits for the process to finish."""
        if self.process is None:
            return []
        code = self.process.wait()
        self.output.seek(0)
        lines = [json.loads(line) for line in self.output.read().splitlines()]
        self.output.close()
        found = [(self.pages[r["path"]], r["problems"], r["modules"]) for r in lines]
        missing = set(self.pages) - {r["path"] for r in lines}
        if code != 0 or missing:
            found += [(self.pages[path], [f"{path}: its bindings could not be checked (the checking process "
                                          f"exited with {code})"], {}) for path in sorted(missing)]
        return found


_modules_of: dict[str, dict[str, str]] = {}  # values spec -> the `snippets` modules computing it imported


def _check(path: str) -> dict:
    page = verified.read_page(Path(path))
    modules = {}
    try:
        for spec in verified.value_specs(page.meta):
            if spec not in _modules_of:
                exec_cache.forget_snippets()
                verified.compute(spec)  # kept by verified's cache for the next page that names it
                _modules_of[spec] = exec_cache.imported_snippets()
            modules.update(_modules_of[spec])
        problems = verified.mismatches(page)
    except Exception as error:  # a failing example module is a problem of the page, reported like the others
        problems = [f"{path}: computing its values failed: {type(error).__name__}: {error}"]
        modules.update(exec_cache.imported_snippets())
    return {"path": path, "problems": problems, "modules": modules}


if __name__ == "__main__":  # the second process: page paths on stdin, one JSON line per page on stdout
    for page_path in json.load(sys.stdin):
        print(json.dumps(_check(page_path)), flush=True)
