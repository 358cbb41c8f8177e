"""MkDocs hook: every formula is rendered to SVG when the site is built, so no page runs a typesetting script.

MathJax 3 (npm `mathjax-full`, pinned in package.json, installed by `make install` with `npm ci`) runs in ONE
long-lived Node.js process (`mathrender.cjs`), sent one page's formulas at a time. Each formula becomes an
`<mjx-container>` holding an SVG (hidden from screen readers) and MathJax's assistive MathML with the TeX kept
as an `application/x-tex` annotation. The glyph outlines a page uses are drawn once, in a hidden `<svg>` at the
top of the article (MathJax's "global" font cache), so a page with 500 formulas stays light and needs no font.

Math regions: pymdownx.arithmatex's generic output (`<span class="arithmatex">\\(..\\)</span>`,
`<div class="arithmatex">\\[..\\]</div>`) and, on notebook pages, `$..$` / `$$..$$` in markdown cells.
A formula MathJax cannot render is logged as a warning, which fails `mkdocs build --strict`.

Pipelined: MkDocs converts every page's Markdown first (where the page's code runs), then renders the templates.
Each page's formulas are sent to Node.js as soon as its Markdown is converted (`on_page_content`) and collected
when its template is rendered (`on_post_page`), so MathJax works on the second core while the pages' code runs.
"""

from __future__ import annotations

import html
import json
import logging
import queue
import re
import shutil
import subprocess
import threading
from pathlib import Path

from mkdocs.structure.files import File

log = logging.getLogger("mkdocs.hooks.mathrender")  # warnings under "mkdocs." fail `mkdocs build --strict`

HERE = Path(__file__).parent
RENDERER = HERE / "mathrender.cjs"
NODE_MODULES = HERE.parent.parent / "node_modules"
CSS_URI = "assets/mathjax-svg.css"  # listed in mkdocs.yml extra_css

ARITHMATEX = re.compile(r'<(span|div) class="arithmatex">(.*?)</\1>', re.S)
DELIMITED = re.compile(r"\A\\[(\[](.*)\\[)\]]\Z", re.S)
NOTEBOOK_MARKDOWN = re.compile(r'<div class="[^"]*\bjp-MarkdownOutput\b[^"]*"[^>]*>')
# $$..$$ first, then $..$ (not $ followed by a space, so prices and shell prompts are left alone)
DOLLARS = re.compile(r"\$\$(.+?)\$\$|\$(?![\s$])((?:[^$\\\n]|\\.)+?)\$", re.S)
CODE = re.compile(r"<(code|pre)\b.*?</\1>", re.S)
ARTICLE = re.compile(r'<article class="md-content__inner[^"]*">')
# A display formula wider than this (in ex, MathJax's unit) scrolls sideways in a 390 px phone's column, so
# its box must be reachable by keyboard to scroll: it gets tabindex="0". Narrower formulas are no tab stops.
# The column is 358 px, less Material's 0.8rem padding each side of a display formula; an ex of the page's font
# is 8.45 px (measured in Chromium). assets/a11y.js does the same in the browser at any width.
SCROLLS_ON_A_PHONE_EX = (358 - 2 * 12.8) / 8.45 - 0.5
WIDTH_EX = re.compile(r'<svg [^>]*?width="([\d.]+)ex"')


class MathJax:
    """The Node.js process that renders TeX; started on first use, kept for the whole `mkdocs serve` session.

    Requests are answered in the order they were sent. A thread reads the answers as they come, so that many
    requests can be in flight without either side blocking on a full pipe.
    """

    def __init__(self) -> None:
        self.process: subprocess.Popen | None = None
        self.answers: queue.Queue = queue.Queue()
        self.in_flight: list[str] = []  # the keys of the requests sent and not yet received, oldest first

    def send(self, key: str, request: dict) -> None:
        if self.process is None or self.process.poll() is not None:
            self.process = self.start()
            self.answers, self.in_flight = queue.Queue(), []
            self.reader = threading.Thread(target=self._read, args=(self.process, self.answers), daemon=True)
            self.reader.start()
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        self.in_flight.append(key)

    def receive(self, key: str) -> dict:
        """The answer to the request sent under ``key``; answers to older requests are kept in `received`."""
        while self.in_flight:
            sent = self.in_flight.pop(0)
            line = self.answers.get()
            if line is None:
                self.in_flight.clear()
                raise RuntimeError(f"the MathJax renderer stopped: {self.process.stderr.read()}")
            received[sent] = json.loads(line)
            if sent == key:
                return received.pop(key)
        raise KeyError(key)

    def ask(self, request: dict) -> dict:
        key = json.dumps(request, sort_keys=True)
        if key not in self.in_flight:
            self.send(key, request)
        return self.receive(key)

    @staticmethod
    def _read(process: subprocess.Popen, answers: queue.Queue) -> None:
        for line in process.stdout:
            answers.put(line)
        answers.put(None)  # the process ended

    @staticmethod
    def start() -> subprocess.Popen:
        node = shutil.which("node")
        if node is None or not (NODE_MODULES / "mathjax-full").is_dir():
            raise RuntimeError("math is rendered at build by MathJax under Node.js: install Node.js and run "
                               "`make install` (it runs `npm ci`)")
        return subprocess.Popen([node, str(RENDERER)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, encoding="utf-8", cwd=NODE_MODULES.parent)

    def close(self) -> None:
        if self.process is not None:
            self.process.stdin.close()  # it ends when its input does; the reading thread sees the end
            self.process.wait(timeout=10)
            self.reader.join(timeout=10)
            self.process.stdout.close()
            self.process.stderr.close()
        self.process = None


mathjax = MathJax()
# What MathJax answered for a page's formulas, kept for the process: during `make serve` an edit that leaves a
# page's math alone re-renders none of it (the answer depends on the formulas alone).
rendered: dict[str, dict] = {}
received: dict[str, dict] = {}  # answers read while waiting for a later one, not yet collected


def request_for(regions) -> tuple[str, dict]:
    request = {"formulas": [{"tex": tex, "display": display} for _, _, tex, display, _ in regions]}
    return json.dumps(request, sort_keys=True), request


def on_files(files, config):
    try:
        css = mathjax.ask({"css": True})["css"]
    except RuntimeError as error:
        log.warning(str(error))
        css = ""
    files.append(File.generated(config, CSS_URI, content=css))
    return files


def on_page_content(html: str, page, config, files) -> str:
    """Send the page's formulas now; on_post_page collects the answer (the same formulas, in the same order)."""
    regions = find_math(html)
    if regions:
        key, request = request_for(regions)
        if key not in rendered and key not in received and key not in mathjax.in_flight:
            try:
                mathjax.send(key, request)
            except RuntimeError:
                pass  # reported by on_post_page, which asks again
    return html


def on_post_page(output: str, page, config) -> str:
    regions = find_math(output)
    if not regions:
        return output
    key, request = request_for(regions)
    try:
        if key in rendered:
            answer = rendered[key]
        elif key in received:
            answer = received.pop(key)
        else:
            answer = mathjax.ask(request)
    except RuntimeError as error:
        log.warning(f"{page.file.src_uri}: {error}")
        return output
    if not answer["errors"]:
        rendered[key] = answer
    for index, message in answer["errors"]:
        log.warning(f"{page.file.src_uri}: formula {regions[index][2]!r} does not render: {message}")
    pieces, end = [], 0
    for (start, stop, tex, display, wrap), svg in zip(regions, answer["html"]):
        pieces += [output[end:start], wrap(svg, display) if svg is not None else output[start:stop]]
        end = stop
    pieces.append(output[end:])
    output = "".join(pieces)
    # the glyphs every formula of the page <use>s; inside the article, so instant navigation swaps it too
    return ARTICLE.sub(lambda m: m[0] + answer["cache"], output, count=1)


def on_shutdown() -> None:
    mathjax.close()


def find_math(output: str) -> list[tuple[int, int, str, bool, callable]]:
    """Every formula of a page: (start, stop, TeX, display?, how to wrap the rendered SVG), in page order."""
    regions = []
    for match in ARITHMATEX.finditer(output):
        inner = DELIMITED.match(html.unescape(match[2]).strip())
        if inner is None:
            log.warning(f"unexpected arithmatex content {match[2][:80]!r}")
            continue
        regions.append((match.start(), match.end(), inner[1].strip(), match[1] == "div", arithmatex_box))
    for start, stop in notebook_markdown(output):
        skip = [m.span() for m in CODE.finditer(output, start, stop)]
        for match in DOLLARS.finditer(output, start, stop):
            if any(a <= match.start() < b for a, b in skip):
                continue
            display = match[1] is not None
            tex = html.unescape(match[1] if display else match[2]).strip()
            regions.append((match.start(), match.end(), tex, display, notebook_box))
    return sorted(regions, key=lambda region: region[0])


def notebook_markdown(output: str):
    """(start, stop) of each rendered markdown cell of a notebook page (a <div> that may hold nested <div>s)."""
    for match in NOTEBOOK_MARKDOWN.finditer(output):
        depth, position = 1, match.end()
        tags = re.compile(r"<(/?)div\b")
        while depth:
            tag = tags.search(output, position)
            if tag is None:
                break
            depth += -1 if tag[1] else 1
            position = tag.end()
        yield match.end(), position


def arithmatex_box(svg: str, display: bool) -> str:
    if not display:
        return f'<span class="arithmatex">{svg}</span>'
    return f'<div class="arithmatex"{scroll_attributes(svg)}>{svg}</div>'


def notebook_box(svg: str, display: bool) -> str:
    # a notebook's $$..$$ sits inside a <p>, where a <div> may not: a block-displayed <span> instead
    return f'<span class="arithmatex arithmatex--display"{scroll_attributes(svg)}>{svg}</span>' if display else svg


def scroll_attributes(svg: str) -> str:
    width = WIDTH_EX.search(svg)
    if width and float(width[1]) > SCROLLS_ON_A_PHONE_EX:
        return ' tabindex="0"'
    return ""
