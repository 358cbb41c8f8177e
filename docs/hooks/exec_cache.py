"""Execute only what changed, and never show a stale result (the hook docs/hooks/replay.py drives it).

Executing every page on every edit makes `make serve` slow. This hook keeps, per page, what its code printed,
under a key that covers everything that can change it:

- the page's executed code blocks, in order, with their options;
- the source of every `snippets` module the page imported while it ran (recorded at execution, not guessed:
  the isolation hook empties the import cache before each page, so what is imported afterwards is the page's);
- the locked dependency versions (requirements.lock), the Python version, and the site machinery itself.

A page whose key matches is replayed: markdown-exec gets the recorded output of each block instead of running
it, and renders it exactly as before. Anything else runs for real and is recorded, unless a block failed. The
bound numbers of a page (verified.mismatches, checked by bindings.py) are cached the same way, keyed on its
bindings and the modules their values imported. A notebook page is executed by a kernel, another process: an
IPython startup file the build gives that kernel (`KERNEL_RECORDER`) records the `snippets` modules it imported, and
the notebook's entry is keyed on its file, the converter's options and those modules.

`make serve` runs `mkdocs serve --dirty`, which rebuilds only the pages whose Markdown changed; `rebuild_stale`
adds the pages whose result can change although their Markdown did not: a page or notebook whose code's recorded
modules changed (or whose entry is missing), and a page that includes (`--8<--`) a changed file. Other pages keep
what the previous build wrote, which that build made from the same inputs.

An unreadable, corrupted or foreign entry is ignored and rewritten. The cache is off when CI=true or
BACKPROP_CACHE=off (CI builds cold); `tests/docs/test_exec_cache.py` proves a warm build equals a cold one.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import hashlib
import json
import logging
import os
import platform
import re
import sys
import tempfile
import threading
from pathlib import Path

log = logging.getLogger("mkdocs.hooks.exec_cache")
FORMAT = 1
# An executed fence: its options line and its code (fences may be indented inside admonitions and tabs).
EXEC_FENCE = re.compile(
    r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<opts>[^\n]*\bexec=\"(?:on|1|true|yes)\"[^\n]*)\n"
    r"(?P<code>.*?)^(?P=indent)(?P=fence)[ \t]*$",
    re.S | re.M,
)
HOOKS = Path(__file__).resolve().parent
INCLUDE = re.compile(r'^[ \t]*-{2}8<-{2}[ \t]+"([^"]+)"', re.M)

# Set by replay.py when `mkdocs serve --dirty` starts: each rebuild then redoes only what an edit affects.
serving_dirty = False
# What the previous build of this serve session saw (this module is imported once; hook modules are reloaded).
previous: dict[str, object] = {}


def enabled() -> bool:
    return os.environ.get("BACKPROP_CACHE", "on") != "off" and os.environ.get("CI", "").lower() not in ("true", "1")


def _sha(*parts: str | bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part if isinstance(part, bytes) else part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()


class Cache:
    """Entries in one directory, one JSON file per page and purpose, written atomically."""

    def __init__(self, root: Path, base: str) -> None:
        self.root = root
        self.base = base  # lock file, Python, the machinery: a change to any of them invalidates everything

    def load(self, name: str, key: str) -> dict | None:
        """The entry stored under ``name`` if it was made for ``key`` and its recorded modules are unchanged."""
        try:
            entry = json.loads((self.root / f"{_sha(name)}.json").read_text(encoding="utf-8"))
            fresh = (entry["format"] == FORMAT and entry["base"] == self.base and entry["name"] == name
                     and entry["key"] == key and all(module_hash(p) == h for p, h in entry["modules"].items()))
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None  # missing, unreadable, corrupted or of another shape: run again and rewrite
        return entry if fresh else None

    def store(self, name: str, key: str, modules: dict[str, str], **data) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        entry = {"format": FORMAT, "base": self.base, "name": name, "key": key, "modules": modules, **data}
        path = self.root / f"{_sha(name)}.json"
        scratch = path.with_suffix(f".{os.getpid()}.tmp")
        scratch.write_text(json.dumps(entry), encoding="utf-8")
        os.replace(scratch, path)


def module_hash(path: str) -> str:
    return _sha(Path(path).read_bytes())


def is_snippets(name: str) -> bool:
    return name == "snippets" or name.startswith("snippets.")


def forget_snippets() -> None:
    """Drop `snippets` from the import cache: the next import runs its modules afresh, as a new session would."""
    for name in [m for m in sys.modules if is_snippets(m)]:
        del sys.modules[name]


def imported_snippets() -> dict[str, str]:
    """Every `snippets` module imported right now, as {source file: hash of its source}."""
    found = {}
    for name, module in list(sys.modules.items()):
        if is_snippets(name) and getattr(module, "__file__", None):
            found[module.__file__] = module_hash(module.__file__)
    return found


def all_snippets(package_dir: Path) -> dict[str, str]:
    return {str(p): module_hash(str(p)) for p in sorted(package_dir.rglob("*.py"))}


def page_code_key(markdown: str) -> str:
    """Every executed block of the page, in order, with its options."""
    return _sha(*(f"{m['opts'].strip()}\n{m['code']}" for m in EXEC_FENCE.finditer(markdown)))


class PageRun:
    """What one page's blocks print: replayed from the cache, or run and recorded."""

    def __init__(self, name: str, key: str, replay: dict | None) -> None:
        self.name, self.key = name, key
        self.replaying = replay is not None
        self.recorded: list[list[str]] = [] if replay is None else replay["outputs"]
        self.cursor = 0
        self.failed = False

    def run(self, real_run, code: str, session: str | None, args, kwargs) -> str:
        if self.replaying:
            kept_session, kept_code, output = self.recorded[self.cursor]
            self.cursor += 1
            if (kept_session, kept_code) == (session, code):
                return output
            log.warning(f"{self.name}: execution cache out of step at block {self.cursor}; rebuild with BACKPROP_CACHE=off")
            return output
        try:
            output = real_run(code, *args, session=session, **kwargs)
        except BaseException:
            self.failed = True
            raise
        self.recorded.append([session, code, output])
        return output


_cache: Cache | None = None
_page: PageRun | None = None


def configure(config) -> None:
    """Open the cache for this build (or none when it is off) and route execution through it."""
    global _cache
    _install()  # with the cache off, the runners run everything (notebooks still start early)
    if not enabled():
        _cache = None
        return
    root = Path(config.config_file_path).resolve().parent
    lock = root / "requirements.lock"
    machinery = [p.read_bytes() for p in sorted(HOOKS.glob("*.py"))]
    base = _sha(str(FORMAT), platform.python_version(), lock.read_bytes() if lock.exists() else b"", *machinery)
    _cache = Cache(root / ".cache" / "exec", base)


def begin_page(src_uri: str, markdown: str) -> None:
    """Before markdown-exec runs a page: replay it if its entry is fresh, else run and record."""
    global _page
    _page = None
    if _cache is not None and src_uri.endswith(".md") and EXEC_FENCE.search(markdown):  # a page with code
        name, key = f"page:{src_uri}", page_code_key(markdown)
        _page = PageRun(name, key, _cache.load(name, key))
        log.info(f"{'replayed' if _page.replaying else 'executing'}: {src_uri}")


def end_page() -> None:
    """After the page is rendered: keep what it printed, with the `snippets` modules it imported."""
    global _page
    if _cache is not None and _page is not None and not _page.replaying and not _page.failed and _page.recorded:
        _cache.store(_page.name, _page.key, imported_snippets(), outputs=_page.recorded)
    _page = None


def check_is_fresh(name: str, key: str) -> bool:
    """True when a clean check of ``key`` is recorded and the `snippets` modules it imported are unchanged."""
    return _cache is not None and _cache.load(f"check:{name}", key) is not None


def record_check(name: str, key: str, modules: dict[str, str]) -> None:
    """Keep a clean check (only clean ones: a problem is reported on every build until it is fixed)."""
    if _cache is not None:
        _cache.store(f"check:{name}", key, modules)


def rebuild_stale(files, config) -> list[str]:
    """Mark for rebuilding the pages a dirty build would skip although their result may change; returns them."""
    root = Path(config.config_file_path).resolve().parent
    options = notebook_options(config)
    forced = []
    for file in files.documentation_pages():
        if file.is_modified():
            continue
        source = Path(file.abs_src_path)
        if source.suffix == ".ipynb":
            stale = (_cache is None or options is None
                     or _cache.load(notebook_name(source), notebook_key(source, options)) is None)
        else:
            text = source.read_text(encoding="utf-8")
            built = Path(file.abs_dest_path).stat().st_mtime
            stale = any((root / included).stat().st_mtime > built for included in INCLUDE.findall(text)
                        if (root / included).exists())
            if not stale and EXEC_FENCE.search(text):
                stale = _cache is None or _cache.load(f"page:{file.src_uri}", page_code_key(text)) is None
        if stale:
            force_rebuild(file)
            forced.append(file.src_uri)
    return forced


def force_rebuild(file) -> None:
    file.is_modified = lambda: True  # what MkDocs asks of each page in a dirty build


def _install() -> None:
    """Route markdown-exec's Python runner and mkdocs-jupyter's converter through the cache (once per process)."""
    from markdown_exec._internal.formatters import python as exec_python
    from mkdocs_jupyter import convert

    if getattr(exec_python._run_python, "cached", False):
        return
    real_run = exec_python._run_python

    def run(code, *args, session=None, **kwargs):
        if _cache is None or _page is None:
            return real_run(code, *args, session=session, **kwargs)
        return _page.run(real_run, code, session, args, kwargs)

    real_nb2html = convert.nb2html

    def nb2html_started_early(nb_path, **options):
        started = _notebooks_started.pop(str(Path(nb_path).resolve()), None)
        if started is not None and started[0] == options:
            return started[1].result()  # a failure raises here, on the build's thread, as if run now
        if started is not None:  # mkdocs-jupyter passed other options than start_notebooks read from its config
            log.info(f"{Path(nb_path).name}: started early with other options; converting again")
        return nb2html(nb_path, **options)

    def nb2html(nb_path, **options):
        if _cache is None:
            return real_nb2html(nb_path, **options)
        name, key = notebook_name(Path(nb_path)), notebook_key(Path(nb_path), options)
        entry = _cache.load(name, key)
        log.info(f"{'replayed' if entry is not None else 'executing'}: {Path(nb_path).name}")
        if entry is not None:
            return entry["html"]
        with _kernel_imports_recorded() as imported:
            html = real_nb2html(nb_path, **options)
        _cache.store(name, key, imported or all_snippets(_package_dir()), html=html)  # unrecorded: any change
        return html

    run.cached = True
    exec_python._run_python = run  # _format_python looks the runner up by this name on each call
    convert.nb2html = nb2html_started_early  # the plugin calls convert.nb2html on each page render
    global _convert_notebook
    _convert_notebook = nb2html


# Notebooks run in their own kernel process: started when the build starts, one runs beside the pages' code instead
# of after it. The plugin's later call takes the result if it asks with the options the early start guessed.
_convert_notebook = None  # the cached converter, set by _install
_notebooks_started: dict[str, tuple[dict, concurrent.futures.Future]] = {}
_notebook_runner = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="notebook")


def notebook_options(config) -> dict | None:
    """The options mkdocs-jupyter's on_pre_page passes to convert.nb2html, read from its config (None without it)."""
    plugin = config.plugins.get("mkdocs-jupyter")
    if plugin is None:
        return None
    settings = plugin.config
    return {"execute": settings["execute"]} | {name: settings[name] for name in (
        "kernel_name", "theme", "allow_errors", "show_input", "no_input", "no_prompt", "remove_tag_config",
        "highlight_extra_classes", "include_requirejs", "custom_mathjax_url")}


def notebook_name(path: Path) -> str:
    return f"notebook:{path.resolve()}"


def notebook_key(path: Path, options: dict) -> str:
    """The notebook and how it is converted; the modules its kernel imported are checked beside it (Cache.load)."""
    return _sha(path.read_bytes(), repr(sorted(options.items())))


def start_notebooks(files, config) -> None:
    """Begin converting (executing) every notebook page, with the options mkdocs-jupyter's on_pre_page will pass."""
    options = notebook_options(config)
    if options is None or _convert_notebook is None:
        return
    _notebooks_started.clear()
    if config.plugins["mkdocs-jupyter"].config["execute_ignore"]:
        return
    for file in files.documentation_pages():
        if not file.src_uri.endswith(".ipynb"):
            continue
        if serving_dirty and not file.is_modified():
            continue  # a dirty build skips it
        path = str(Path(file.abs_src_path).resolve())
        _notebooks_started[path] = (options, _notebook_runner.submit(_convert_notebook, path, **options))


# A kernel runs the IPython startup files of its IPython directory. This one, given to the kernels the build starts,
# writes after every cell the `snippets` modules the kernel has imported, with the hash of each (as module_hash), to
# the file BACKPROP_KERNEL_IMPORTS names. It leaves no name in the notebook's namespace.
KERNEL_RECORDER = """\
def _record_snippets_imports():
    import hashlib, json, os, sys

    def record(*_):
        if "BACKPROP_KERNEL_IMPORTS" not in os.environ:  # a kernel not started by the build
            return
        found = {}
        for name, module in list(sys.modules.items()):
            if (name == "snippets" or name.startswith("snippets.")) and getattr(module, "__file__", None):
                with open(module.__file__, "rb") as source:
                    found[module.__file__] = hashlib.sha256(source.read() + b"\\0").hexdigest()
        with open(os.environ["BACKPROP_KERNEL_IMPORTS"], "w", encoding="utf-8") as out:
            json.dump(found, out)

    get_ipython().events.register("post_run_cell", record)


_record_snippets_imports()
del _record_snippets_imports
"""
_kernel_environment = threading.Lock()  # the variables are the process's: one notebook launches its kernel at a time


@contextlib.contextmanager
def _kernel_imports_recorded():
    """While a notebook converts, its kernel records its `snippets` imports; yields the dict they are put in when
    the block ends ({source file: hash}; empty if nothing was recorded)."""
    ipython_dir = _cache.root.parent / "ipython"
    startup = ipython_dir / "profile_default" / "startup" / "backprop_record_imports.py"
    startup.parent.mkdir(parents=True, exist_ok=True)
    if not startup.exists() or startup.read_text(encoding="utf-8") != KERNEL_RECORDER:
        startup.write_text(KERNEL_RECORDER, encoding="utf-8")
    with tempfile.TemporaryDirectory() as scratch, _kernel_environment:
        record = Path(scratch) / "imports.json"
        saved = {name: os.environ.get(name) for name in ("IPYTHONDIR", "BACKPROP_KERNEL_IMPORTS")}
        os.environ.update(IPYTHONDIR=str(ipython_dir), BACKPROP_KERNEL_IMPORTS=str(record))
        found: dict[str, str] = {}
        try:
            yield found
        finally:
            if record.exists():
                found.update(json.loads(record.read_text(encoding="utf-8")))
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value


def _package_dir() -> Path:
    """Where `import snippets` would load the package from (sys.path searched, sys.modules not consulted)."""
    import importlib.machinery

    return Path(importlib.machinery.PathFinder.find_spec("snippets").origin).parent
