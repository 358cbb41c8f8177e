"""The code a reader sees runs when pasted block by block into a fresh Python session, and prints what the page shows.

The page shows what markdown-exec printed when it ran each block in full, hidden lines included. So each page's
blocks are run twice in fresh interpreters, once as shown and once in full, and the outputs must be equal; hidden
lines may only assert.
"""

import json
import os
import re
import subprocess
import sys
import textwrap

import pytest

import verified
from verified import ROOT

FENCE = re.compile(
    r"^(?P<indent>[ \t]*)(?P<fence>`{3,})python[ \t]+(?P<opts>[^\n]*)\n(?P<code>.*?)^(?P=indent)(?P=fence)[ \t]*$",
    re.S | re.M,
)
HIDE = "markdown-exec: hide"

RUNNER = """
import contextlib, io, json, sys
outputs, namespace = [], {"__name__": "__main__"}
for number, code in enumerate(json.load(sys.stdin), start=1):
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        exec(compile(code, f"<block {number}>", "exec"), namespace)
    outputs.append(buffer.getvalue())
print(json.dumps(outputs))
"""


def _dedent(indent, code):
    return "\n".join(line[len(indent):] if line.startswith(indent) else line for line in code.split("\n"))


def page_blocks(path):
    text = path.read_text(encoding="utf-8")
    return [
        (m["opts"], _dedent(m["indent"], m["code"]))
        for m in FENCE.finditer(text)
        if re.search(r'exec="(on|1|true|yes)"', m["opts"])
    ]


PAGES = [p.path for p in verified.chapter_pages(ROOT / "docs") if page_blocks(p.path)]


def run(blocks):
    env = {**os.environ, "MPLBACKEND": "Agg"}
    done = subprocess.run([sys.executable, "-c", RUNNER], input=json.dumps(blocks), capture_output=True,
                          text=True, cwd=ROOT, env=env, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def _id(path):
    return path.relative_to(ROOT / "docs").as_posix()


@pytest.mark.slow
@pytest.mark.parametrize("path", PAGES, ids=_id)
def test_visible_code_prints_what_the_page_shows(path):
    blocks = page_blocks(path)
    full = [code for _, code in blocks]
    visible = ["\n".join(line for line in code.split("\n") if HIDE not in line) for code in full]
    assert mask_measurements(run(visible)) == mask_measurements(run(full))


def mask_measurements(outputs):
    """A line marked "(measured)" prints a timing: its digits differ on every run, the rest must not."""
    return [re.sub(r"^(.*\(measured\).*)$", lambda m: re.sub(r"\d", "#", m[1]), out, flags=re.M)
            for out in outputs]


@pytest.mark.parametrize("path", PAGES, ids=_id)
def test_hidden_lines_only_assert(path):
    for _, code in page_blocks(path):
        for line in code.split("\n"):
            if HIDE in line:
                assert line.strip().startswith("assert "), f"hidden setup is not copy-runnable: {line.strip()}"


@pytest.mark.parametrize("path", PAGES, ids=_id)
def test_one_session_per_page(path):
    sessions = {re.search(r'session="([^"]+)"', opts) and re.search(r'session="([^"]+)"', opts)[1]
                for opts, _ in page_blocks(path)}
    assert len(sessions) == 1 and None not in sessions, f"sessions on the page: {sessions}"


def test_sessions_are_not_shared_between_pages():
    owner = {}
    for path in PAGES:
        for opts, _ in page_blocks(path):
            session = re.search(r'session="([^"]+)"', opts)[1]
            assert owner.setdefault(session, path) == path, f"session {session} is used on two pages"
