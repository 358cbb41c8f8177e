"""A real reader's browser: every page of the built site in headless Chromium, served on 127.0.0.1.

All math rendered as served (no typesetting script; also after Material's instant navigation), no MathJax
error, no console error, and no request to any other host.
"""

import functools
import http.server
import os
import re
import shutil
import socketserver
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest

from verified import ROOT

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--disable-quic"]
# Math is rendered to SVG at build (docs/hooks/mathrender.py): nothing to wait for, the page as served must
# hold every formula drawn, each glyph it uses defined on the page, and no typesetting script.
CHECK_MATH = """() => {
  const regions = [...document.querySelectorAll('.arithmatex')];
  const containers = [...document.querySelectorAll('mjx-container')];
  const rawDollar = [...document.querySelectorAll('.jp-MarkdownOutput')]
      .filter(el => /\\$[^$\\s][^$]*\\$/.test(el.innerText));
  const rawTeX = regions.filter(el => !el.querySelector('mjx-container svg') || /\\\\[()\\[\\]]/.test(el.innerText));
  // each glyph is a <use> of a path in the page's glyph cache: a missing path draws nothing
  const blank = containers.filter(c => [...c.querySelectorAll('use')]
      .some(u => !document.getElementById(u.getAttribute('xlink:href').slice(1))));
  const scripts = [...document.scripts].map(s => s.src).filter(src => /mathjax|tex-/i.test(src));
  return {
    blank: blank.map(c => c.parentElement.textContent.slice(0, 80)),
    regions: regions.length,
    typeset: containers.length,
    untypeset: rawTeX.map(el => el.textContent.slice(0, 80)),
    rawDollar: rawDollar.map(el => el.innerText.slice(0, 80)),
    errors: [...document.querySelectorAll('[data-mml-node=merror], mjx-merror')].map(el => el.textContent),
    tabStops: containers.filter(c => c.tabIndex >= 0 || c.querySelector('[tabindex]')).length,
    unannotated: containers.filter(c => !c.querySelector('annotation[encoding="application/x-tex"]')).length,
    scripts: scripts.concat(window.MathJax === undefined ? [] : ['window.MathJax']),
  };
}"""


def site_dir() -> Path:
    site = Path(os.environ.get("SITE_DIR", ROOT / "site"))
    if not site.is_absolute():
        site = ROOT / site
    if not (site / "index.html").exists():
        pytest.fail(f"no built site in {site}: run `make test` (it builds first) or `make build`")
    return site


def pages(site: Path) -> list[str]:
    """Every HTML page of the site, as a path below the root."""
    found = []
    for html in sorted(site.rglob("index.html")):
        rel = html.parent.relative_to(site).as_posix()
        if not rel.startswith("assets"):
            found.append("" if rel == "." else rel + "/")
    return found


@pytest.fixture(scope="module")
def server():
    site = site_dir()
    handler = functools.partial(QuietHandler, directory=str(site))
    with socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler) as httpd:
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        yield f"http://127.0.0.1:{httpd.server_address[1]}/", site
        httpd.shutdown()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site; the sitemap is rewritten to this server's origin.

    Material's instant navigation only intercepts links the sitemap lists, and the sitemap carries the
    configured site_url (http://127.0.0.1:8000/ for `make serve`), while this server runs on a free port.
    """

    def do_GET(self):
        if self.path.split("?")[0] != "/sitemap.xml":
            return super().do_GET()
        body = (Path(self.directory) / "sitemap.xml").read_bytes()
        origin = f"http://{self.headers['Host']}/".encode()
        body = re.sub(rb"<loc>https?://[^/<]+/", b"<loc>" + origin, body)
        self.send_response(200)
        self.send_header("Content-Type", "application/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def browser():
    if not (shutil.which(CHROMIUM) or Path(CHROMIUM).exists()):
        if os.environ.get("CI"):
            pytest.fail(f"Chromium not found at {CHROMIUM}: CI must install it (apt-get install -y chromium)")
        pytest.skip(f"Chromium not found at {CHROMIUM}: install it (apt-get install chromium) to run this test")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield chromium
        chromium.close()


class Watch:
    """Console errors, page errors and requests to other hosts seen by one browser page."""

    def __init__(self, page, base):
        self.errors, self.foreign = [], []
        host = urlparse(base).netloc
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("request", lambda r: urlparse(r.url).netloc not in ("", host)
                and not r.url.startswith(("data:", "blob:", "about:")) and self.foreign.append(r.url))


def check_math(page, where):
    math = page.evaluate(CHECK_MATH)
    assert math["scripts"] == [], f"{where}: a typesetting script runs in the browser {math['scripts']}"
    assert math["errors"] == [], f"{where}: MathJax errors {math['errors']}"
    assert math["untypeset"] == [], f"{where}: math left as text {math['untypeset'][:3]}"
    assert math["rawDollar"] == [], f"{where}: notebook math left as text {math['rawDollar'][:3]}"
    assert math["typeset"] >= math["regions"]
    assert math["blank"] == [], f"{where}: math whose glyphs are missing from the page {math['blank'][:3]}"
    assert math["unannotated"] == 0, f"{where}: formulas without their TeX annotation"
    assert math["tabStops"] == 0, f"{where}: formulas that are tab stops"
    return math


def test_site_has_pages(server):
    base, site = server
    assert len(pages(site)) >= 5


def test_every_page(server, browser):
    base, site = server
    context = browser.new_context()
    seen = {}
    for path in pages(site):
        page = context.new_page()
        watch = Watch(page, base)
        page.goto(base + path, wait_until="load")
        seen[path] = check_math(page, path)
        page.wait_for_load_state("networkidle")
        assert watch.errors == [], f"{path}: console errors {watch.errors}"
        assert watch.foreign == [], f"{path}: requests to other hosts {watch.foreign}"
        page.close()
    context.close()
    assert sum(m["typeset"] for m in seen.values()) > 100, "hardly any math was typeset across the site"


@pytest.mark.parametrize("target, min_math", [("padhai/light-math/", 50), ("workbook/backprop-to-output/", 50)])
def test_math_after_instant_navigation(server, browser, target, min_math):
    """Material swaps pages without reloading: the new content's math must be drawn, its glyphs swapped in too."""
    base, site = server
    page = browser.new_page()
    watch = Watch(page, base)
    page.goto(base, wait_until="load")
    check_math(page, "home")
    page.evaluate("window.sameDocument = true")  # survives an instant navigation, not a reload
    page.click(f"article a[href$='{target}']")
    page.wait_for_url(f"**/{target}")
    page.wait_for_function(f"document.querySelectorAll('mjx-container').length > {min_math}")  # the swap
    check_math(page, f"{target} after instant navigation")
    assert page.evaluate("window.sameDocument === true"), "the page was reloaded: not an instant navigation"
    assert page.evaluate("location.pathname").endswith(target)
    assert watch.errors == [] and watch.foreign == []
    page.close()


# Rendered size of the smallest text in each figure (an SVG with role="img"), in CSS px: the font size times
# the scale at which the SVG is drawn (its rendered width over its viewBox width). A figure's box must not
# scroll sideways; a figure with a full-size view (its box a popover, docs/hooks/reader_html.py) is measured open.
FIGURE_TEXT = """() => [...document.querySelectorAll('article svg[role=img]')].map(svg => {
  const box = svg.viewBox.baseVal;
  const scale = box && box.width ? svg.getBoundingClientRect().width / box.width : 1;
  const sizes = [...svg.querySelectorAll('text')].map(t => parseFloat(getComputedStyle(t).fontSize));
  const frame = svg.closest('.figure-box');
  return {name: (svg.getAttribute('aria-label') || '').slice(0, 60), smallest: sizes.length ? Math.min(...sizes) * scale : null,
          named: !!(svg.getAttribute('aria-label') && svg.querySelector('title')),
          scrolls: !!frame && frame.scrollWidth > frame.clientWidth + 1,
          full: frame && frame.matches('[popover]') ? frame.id : null};
})"""
# Each formula's drawn width over the width MathJax gave it (svg.width in px, ex converted by the browser). Display
# formulas are drawn at their size and scroll in their box; an inline formula may be narrowed to the line. Formulas
# not shown (a closed answer) are left out.
MATH_SCALE = """() => [...document.querySelectorAll('article mjx-container > svg')].filter(svg => svg.checkVisibility()).map(svg => ({
  tex: svg.parentElement.querySelector('annotation').textContent.slice(0, 60),
  display: svg.parentElement.getAttribute('display') === 'true',
  scale: svg.getBoundingClientRect().width / svg.width.baseVal.value,
}))"""
MATH_FONT_PX = 16  # the article's text size, at which MathJax draws a formula at scale 1
# Inline formulas off screen are skipped by style and layout (content-visibility, docs/hooks/mathrender.cjs) at the
# size they hold: the article's blocks must stand where they stand once every formula is drawn.
BLOCK_HEIGHTS = "() => [...document.querySelectorAll('article > *')].map(e => e.getBoundingClientRect().height)"
DRAW_ALL_MATH = """() => { const s = document.createElement('style'); s.id = 'draw-all-math';
  s.textContent = 'mjx-container { content-visibility: visible !important; }'; document.head.append(s); }"""
# A code block's copy button sits above its first line of code (site.css), never on it.
COVERED_CODE = """() => [...document.querySelectorAll('article pre > .md-code__nav')].filter(nav => {
  const code = nav.parentElement.querySelector(':scope > code');
  const firstLine = code.getBoundingClientRect().top + parseFloat(getComputedStyle(code).paddingTop);
  return nav.getBoundingClientRect().bottom > firstLine + 0.5;
}).map(nav => nav.parentElement.textContent.trim().slice(0, 60))"""
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


@pytest.mark.parametrize("width, min_text", [(390, 8), (1280, 10)])
def test_phone_and_desktop_widths(server, browser, width, min_text):
    """No page or figure scrolls sideways; every figure is named and its smallest text stays readable: in the
    column, or in its full-size view, opened by its button and shut with Esc. Every display formula is drawn at its
    size (wide ones scroll in their box), and an inline one narrowed to the line keeps text of min_text px. No copy
    button covers code."""
    base, site = server
    context = browser.new_context(viewport={"width": width, "height": 844})
    page = context.new_page()
    problems, opened = [], 0
    for path in pages(site):
        page.goto(base + path, wait_until="load")
        scroll, client = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        if scroll > client:
            problems.append(f"{path}: scrolls sideways ({scroll} > {client} px)")
        for figure in page.evaluate(FIGURE_TEXT):
            if not figure["named"]:
                problems.append(f"{path}: a figure without <title> and aria-label")
            if figure["scrolls"]:
                problems.append(f"{path}: figure {figure['name']!r} scrolls sideways in its box")
            smallest = figure["smallest"]
            if figure["full"]:
                page.click(f"button[popovertarget='{figure['full']}']:not([popovertargetaction])")
                is_open = f"document.getElementById('{figure['full']}').matches(':popover-open')"
                shown = page.evaluate(is_open)
                smallest = next(f["smallest"] for f in page.evaluate(FIGURE_TEXT) if f["full"] == figure["full"])
                page.keyboard.press("Escape")
                opened += 1
                if not shown or page.evaluate(is_open):
                    problems.append(f"{path}: the full-size view of {figure['name']!r} does not open and close")
                    continue
            if smallest is not None and smallest < min_text - 0.05:
                problems.append(f"{path}: figure {figure['name']!r} has text of {smallest:.1f} px")
        for code in page.evaluate(COVERED_CODE):
            problems.append(f"{path}: the copy button covers the first line of {code!r}")
        held = page.evaluate(BLOCK_HEIGHTS)
        page.evaluate(DRAW_ALL_MATH)
        moved = [(a, b) for a, b in zip(held, page.evaluate(BLOCK_HEIGHTS)) if abs(a - b) > 1]
        if moved:
            problems.append(f"{path}: {len(moved)} blocks change height when their formulas are drawn: {moved[:3]}")
        for formula in page.evaluate(MATH_SCALE):
            if formula["display"] and abs(formula["scale"] - 1) > 0.01:
                problems.append(f"{path}: display formula {formula['tex']!r} drawn at {formula['scale']:.2f} of its size")
            if formula["scale"] * MATH_FONT_PX < min_text - 0.05:
                problems.append(f"{path}: formula {formula['tex']!r} drawn with {formula['scale'] * MATH_FONT_PX:.1f} px text")
    context.close()
    assert problems == []
    assert opened > 0, "no figure offers a full-size view: the test of that view tested nothing"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violation(server, browser, scheme):
    """axe-core (from node_modules, `make install`) on every page, on a phone, in both colour schemes."""
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `make install` (npm ci)")
    base, site = server
    context = browser.new_context(viewport={"width": 390, "height": 844}, color_scheme=scheme)
    page = context.new_page()
    found = {}
    for path in pages(site):
        page.goto(base + path, wait_until="load")
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        for violation in result["violations"]:
            found[f"{path} {violation['id']}"] = [node["target"] for node in violation["nodes"][:3]]
    context.close()
    assert found == {}
