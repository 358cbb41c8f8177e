"""The author's loop, measured: how long until an edit shows while `make serve` runs, and a cold build.

    .venv/bin/python benchmarks/author_loop.py            # serve-loop figures and the cold build
    .venv/bin/python benchmarks/author_loop.py --fresh-clone   # also `make test` on a fresh clone (minutes)

Targets (issue "The author's loop in seconds"): a prose edit visible in <= 2 s, an edit to a `snippets/examples`
module rebuilt in <= 5 s, a cold build <= 10 s, `make test` on a fresh clone <= 150 s. Every edit is reverted.
Run it on an idle machine: the figures are wall-clock times.
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin"
CHAPTER = ROOT / "docs" / "padhai" / "light-math.md"
CHAPTER_URL = "padhai/light-math/"
MODULE = ROOT / "snippets" / "examples" / "padhai.py"
BUILT = re.compile(r"Documentation built in")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`mkdocs serve` in the background, with its log read line by line."""

    def __init__(self) -> None:
        self.port = free_port()
        env = {**os.environ, "SITE_URL": f"http://127.0.0.1:{self.port}/", "NO_MKDOCS_2_WARNING": "1"}
        env.pop("CI", None)  # the loop is a local one: the execution cache is on
        self.process = subprocess.Popen(
            [str(BIN / "mkdocs"), "serve", "--dirty", "--dev-addr", f"127.0.0.1:{self.port}"],  # as `make serve`
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.builds = 0
        self.ready = threading.Event()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            if BUILT.search(line):
                self.builds += 1
            if "Serving on" in line:
                self.ready.set()

    def page(self, path: str) -> str:
        """The served page, or '' while the server is busy rebuilding."""
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/{path}", timeout=10) as response:
                return response.read().decode("utf-8")
        except OSError:
            return ""

    def wait_for_build(self, after: int, timeout: float = 300) -> None:
        end = time.monotonic() + timeout
        while self.builds <= after:
            if time.monotonic() > end:
                raise TimeoutError("no rebuild")
            time.sleep(0.02)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def edit_and_time(server: Server, path: Path, new_text: str, visible) -> float:
    """Seconds from writing ``new_text`` to ``visible()`` being true; the file is restored afterwards."""
    original = path.read_text(encoding="utf-8")
    before = server.builds
    start = time.monotonic()
    path.write_text(new_text, encoding="utf-8")
    try:
        while not visible(before):
            if time.monotonic() - start > 300:
                raise TimeoutError(f"edit to {path} never showed")
            time.sleep(0.02)
        return time.monotonic() - start
    finally:
        before = server.builds
        path.write_text(original, encoding="utf-8")
        server.wait_for_build(before)


def serve_loop() -> dict[str, float]:
    server = Server()
    try:
        server.ready.wait(600)
        server.wait_for_build(0)
        figures = {}
        marker = f"Sentence added at {time.time():.0f}."
        text = CHAPTER.read_text(encoding="utf-8")
        figures["prose edit visible (s)"] = edit_and_time(
            server, CHAPTER, text + f"\n{marker}\n", lambda before: marker in server.page(CHAPTER_URL))
        code = MODULE.read_text(encoding="utf-8")
        figures["examples module edit rebuilt (s)"] = edit_and_time(
            server, MODULE, code + "\n# edited by benchmarks/author_loop.py\n",
            lambda before: server.builds > before)
        return figures
    finally:
        server.stop()


def cold_build() -> float:
    with tempfile.TemporaryDirectory() as site:
        env = {**os.environ, "BACKPROP_CACHE": "off", "NO_MKDOCS_2_WARNING": "1"}
        start = time.monotonic()
        subprocess.run([str(BIN / "mkdocs"), "build", "--strict", "-q", "--site-dir", site], cwd=ROOT, env=env,
                       check=True, capture_output=True)
        return time.monotonic() - start


def fresh_clone_make_test() -> float:
    with tempfile.TemporaryDirectory() as where:
        clone = Path(where) / "clone"
        subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
        start = time.monotonic()
        subprocess.run(["make", "test"], cwd=clone, check=True, capture_output=True)
        return time.monotonic() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--fresh-clone", action="store_true", help="also time `make test` on a fresh clone")
    args = parser.parse_args()
    figures = {"cold build (s)": cold_build(), **serve_loop()}
    if args.fresh_clone:
        figures["make test, fresh clone (s)"] = fresh_clone_make_test()
    for name, seconds in figures.items():
        print(f"{name:36} {seconds:7.2f}")


if __name__ == "__main__":
    sys.exit(main())
