"""MkDocs hook: one rule of Material's palette stylesheet made every page restyle all its elements on load.

While it applies a palette, Material's bundle sets `data-md-color-switching` on <body> and removes it a moment
later, on every page load as well as on every switch of the toggle; the theme's rule
`[data-md-color-switching] *, … :after, … :before { transition: none !important }` depends on that attribute, so each
set and each removal invalidates the style of every element of the page, and the bundle's next layout read recomputes
it all. On a phone (Lighthouse's 4x slower CPU) that was ~0.4-0.7 s of blocking time on a page of formulas
(lviv/backprop-in-detail: style recalculation 1.4-1.8 s -> 1.1-1.35 s). The rule is removed from the built site's copy of
the stylesheet; what it did (no colour transitions during a switch) is cosmetic: without it, the few elements Material
animates fade to the new scheme in 125-250 ms. `tests/docs/test_theme_css.py` checks the built site.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

log = logging.getLogger("mkdocs.hooks.theme_css")  # warnings under "mkdocs." fail `mkdocs build --strict`

SWITCHING = re.compile(r"\[data-md-color-switching\] \*,\[data-md-color-switching\] :after,"
                       r"\[data-md-color-switching\] :before\{[^}]*\}")


def on_post_build(config) -> None:
    sheets = sorted((Path(config["site_dir"]) / "assets" / "stylesheets").glob("palette.*.min.css"))
    if len(sheets) != 1:
        log.warning(f"theme_css: expected one palette.*.min.css in the built site, found {len(sheets)}")
        return
    css = sheets[0].read_text(encoding="utf-8")
    trimmed, found = SWITCHING.subn("", css)
    if found == 0 and "data-md-color-switching" in css:  # Material changed the rule: look at it again
        log.warning(f"theme_css: {sheets[0].name} has a data-md-color-switching rule this hook does not recognise")
    elif found:
        sheets[0].write_text(trimmed, encoding="utf-8")
