"""A page's load restyles no more than it must (docs/hooks/theme_css.py, the palette in mkdocs.yml)."""

from __future__ import annotations

import logging
import re

import yaml

import built_site
import theme_css
from built_site import ROOT

RULE = ("[data-md-color-switching] *,[data-md-color-switching] :after,[data-md-color-switching] :before"
        "{transition:none!important}")


def test_the_built_palette_sheet_has_no_rule_on_the_switching_attribute():
    sheets = list((built_site.site_dir() / "assets" / "stylesheets").glob("palette.*.min.css"))
    assert len(sheets) == 1
    css = sheets[0].read_text(encoding="utf-8")
    assert "data-md-color-switching" not in css
    assert "[data-md-color-scheme=slate]" in css  # the rest of the sheet is still there


def test_the_hook_removes_the_rule_and_warns_if_material_rewrites_it(tmp_path, caplog):
    sheets = tmp_path / "assets" / "stylesheets"
    sheets.mkdir(parents=True)
    sheet = sheets / "palette.0123abcd.min.css"
    sheet.write_text(f"a{{color:red}}{RULE}b{{color:blue}}", encoding="utf-8")
    theme_css.on_post_build({"site_dir": str(tmp_path)})
    assert sheet.read_text(encoding="utf-8") == "a{color:red}b{color:blue}"
    sheet.write_text("[data-md-color-switching] *{transition:none}", encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        theme_css.on_post_build({"site_dir": str(tmp_path)})
    assert [r.name for r in caplog.records] == ["mkdocs.hooks.theme_css"]  # fails `mkdocs build --strict`


def test_pages_are_sent_in_the_colours_the_palette_applies_on_load():
    """The first palette entry (follow the system) names the light and dark entries' colours: applying the palette
    when a page loads changes no attribute of <body> but the media it follows."""
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    automatic, *schemes = config["theme"]["palette"]
    for key in ("primary", "accent"):
        assert {scheme[key] for scheme in schemes} == {automatic[key]}
    body = re.search(r"<body [^>]*>", built_site.page_html(built_site.site_dir(), ""))[0]
    assert 'data-md-color-primary="indigo"' in body and 'data-md-color-accent="deep-orange"' in body
    assert automatic["primary"] == "indigo" and automatic["accent"] == "deep orange"
