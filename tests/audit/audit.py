"""`make audit`: the built site as a phone gets it, measured. Exit status 1 if any page misses a bar.

- Lighthouse (mobile defaults: simulated slow 4G and a 4x slower CPU) on every page, served with gzip like
  GitHub Pages (tests/audit/serve.py): performance >= 95, accessibility, best practices and SEO 100. Each page is
  measured LIGHTHOUSE_RUNS times (default 3); the median run by performance counts (lighthouse.mjs).
- The Nu HTML checker (vnu.jar, Java) on every page: no error in the site's own markup. Errors in markup the
  theme writes and this site does not override are listed apart (THEME_MARKUP) and do not fail.
  (axe-core runs in the browser test, tests/browser/test_site.py, on every page in both colour schemes.)

Writes site-audit.json (per page: scores, bytes transferred, failing audits) next to the site.
Usage: python tests/audit/audit.py SITE_DIR [PAGE ...]
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).parent))
from serve import serving  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
BARS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
# Markup of Material's own base.html / toc.html, which the site does not override: two hidden checkboxes
# with autocomplete="off", and the table of contents' label whose checkbox sits in another template.
THEME_MARKUP = re.compile(r'class="md-toggle" data-md-toggle="(drawer|search)"|<label class="md-nav__title" for="__toc">')


def pages(site: Path) -> list[str]:
    return sorted("" if p.parent == site else p.parent.relative_to(site).as_posix() + "/"
                  for p in site.rglob("index.html") if "assets" not in p.relative_to(site).parts)


def lighthouse(site: Path, paths: list[str]) -> list[dict]:
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    with serving(site) as base:
        done = subprocess.run(["node", str(Path(__file__).parent / "lighthouse.mjs"), base, *paths],
                              capture_output=True, text=True, env=env, cwd=ROOT, timeout=3600)
    if done.returncode != 0:
        raise SystemExit(f"lighthouse failed:\n{done.stderr[-3000:]}")
    return [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]


def nu_checker(site: Path, paths: list[str]) -> tuple[list[str], list[str]]:
    """(errors in the site's own markup, errors in the theme's markup), as 'page:line: message'."""
    java = shutil.which("java")
    if java is None:
        raise SystemExit("the Nu HTML checker needs Java: apt-get install default-jre-headless")
    files = [str(site / path / "index.html") for path in paths]
    done = subprocess.run([java, "-jar", str(VNU), "--errors-only", "--format", "json", *files],
                          capture_output=True, text=True, timeout=600)
    own, theme = [], []
    for message in json.loads(done.stderr or '{"messages": []}')["messages"]:
        page = Path(urlparse(message["url"]).path).parent.relative_to(site.resolve()).as_posix()
        where = f"{page}:{message.get('lastLine')}"
        entry = f"{where}: {message['message']}"
        (theme if THEME_MARKUP.search(message.get("extract", "")) else own).append(entry)
    return own, theme


def main(argv: list[str]) -> int:
    site = Path(argv[0]).resolve()
    paths = [p if p in ("", "/") or p.endswith("/") else p + "/" for p in argv[1:]] or pages(site)
    paths = ["" if p == "/" else p for p in paths]
    rows = lighthouse(site, paths)
    failures = []
    print(f"{'page':40} {'perf':>5} {'a11y':>5} {'bp':>5} {'seo':>5} {'KiB':>7}  perf of each run")
    for row in rows:
        print(f"{row['path'] or '/':40} " + " ".join(f"{row[c]!s:>5}" for c in BARS) + f" {row['bytes'] / 1024:7.1f}"
              f"  {row['runs']}")
        for category, bar in BARS.items():
            if row[category] is None or row[category] < bar:
                failures.append(f"{row['path'] or '/'}: {category} {row[category]} < {bar} "
                                f"({', '.join(row['failing'][category])})")
    own, theme = nu_checker(site, paths)
    print(f"Nu HTML checker: {len(own)} errors in the site's markup, {len(theme)} in the theme's own markup")
    failures += [f"HTML: {e}" for e in own]
    (site.parent / "site-audit.json").write_text(json.dumps({"lighthouse": rows, "html_errors": own,
                                                             "theme_html_errors": theme}, indent=1))
    for failure in failures:
        print("FAIL", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
