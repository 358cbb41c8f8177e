"""How prose is bound to code: bindings, value lookup and the unverified-number lint.

A chapter writes a computed number as ``[[-0.065 : as_printed.dL_dw212]]``: the reader sees ``-0.065``, and the
build and the tests check that the value at ``as_printed.dL_dw212`` prints as ``-0.065`` at the same precision.
The page's front matter names where values come from (``values: snippets.examples.padhai:light_math``), which
numbers are inputs given by the notes (``inputs:``) and which decimals are labels such as section numbers
(``labels:``). Any other decimal in prose or math fails the lint.

Used by the MkDocs hooks (build-time check) and by the tests; it is site machinery, not teaching code.
"""

from __future__ import annotations

import functools
import importlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]  # the repository

# [[literal : key]] — the literal is what the reader sees; the key says where the value lives.
BINDING = re.compile(
    r"\[\[\s*(?P<literal>[-−+]?[\d.,]+(?:[eE][-+]?\d+)?%?)\s*:\s*(?P<key>(?:[\w.]|\[[^\]]*\])+)\s*\]\]"
)
# A decimal (2.9, −0.065, .5) or a number in e-notation (1e-7, 2.5e+03); integers are not linted.
DECIMAL = re.compile(r"(?<![\w.])[-−]?(?:\d+\.\d+|\.\d+|\d+(?:\.\d+)?[eE][-+]?\d+)(?!\w|\.\d)")
# Names that look like decimals on every page: MIT's course number.
SITE_LABELS = {"6.390"}
FRONT_MATTER = re.compile(r"\A---\n(?P<yaml>.*?)\n---\n", re.S)
# Regions whose numbers are code or machinery, not prose: fences, inline code, comments, link targets.
NOT_PROSE = [
    re.compile(r"^[ \t]*(?P<fence>`{3,}|~{3,}).*?^[ \t]*(?P=fence)\s*$", re.S | re.M),  # also in admonitions
    re.compile(r"`[^`\n]+`"),
    re.compile(r"<!--.*?-->", re.S),
    re.compile(r"\]\([^)]*\)"),
    re.compile(r"^--8<--.*$", re.M),
    re.compile(r"\{[#.][^}]*\}"),
]


@dataclass(frozen=True)
class Binding:
    literal: str
    key: str
    line: int


@dataclass(frozen=True)
class Page:
    path: Path
    meta: dict
    body: str

    @property
    def bindings(self) -> list[Binding]:
        return [
            Binding(m["literal"], m["key"], self.body.count("\n", 0, m.start()) + 1)
            for m in BINDING.finditer(self.body)
        ]


def read_page(path: Path) -> Page:
    text = Path(path).read_text(encoding="utf-8")
    match = FRONT_MATTER.match(text)
    meta = yaml.safe_load(match["yaml"]) or {} if match else {}
    return Page(Path(path), meta, text)


def normalise(literal: str) -> str:
    """Turn a printed number into Python's spelling: unicode minus to '-', thin spaces out."""
    return literal.replace("−", "-").replace("\u2009", "").replace(",", "").strip()


def formats_as(value: Any, literal: str) -> bool:
    """True when ``value`` printed at the precision of ``literal`` gives ``literal``.

    ``0.1771`` asks for 4 decimals, ``-0.065`` for 3, ``2`` for none, ``1.6e-3`` for one decimal in
    e-notation and ``12.5%`` for a fraction shown as a percentage.
    """
    return _canonical(printed(value, literal)) == _canonical(normalise(literal))


def _canonical(text: str) -> str:
    """One spelling per number: ``1.6e-03``, ``1.6e-3`` and ``1.6E-3`` are the same."""
    if "e" in text.lower() and not text.endswith("%"):
        mantissa, _, exponent = text.lower().partition("e")
        return f"{mantissa}e{int(exponent)}"
    return text


def printed(value: Any, literal: str) -> str:
    """``value`` printed the way ``literal`` is printed."""
    text = normalise(literal)
    number = float(value)
    if text.endswith("%"):
        return printed(number * 100, text[:-1]) + "%"
    if "e" in text.lower():
        mantissa = text.lower().partition("e")[0]
        digits = len(mantissa.partition(".")[2])
        return _canonical(f"{number:.{digits}e}")
    digits = len(text.partition(".")[2])
    out = f"{number:.{digits}f}"
    return out.lstrip("-") if float(out) == 0 else out  # -0.000 prints as 0.000


@functools.cache
def compute(spec: str) -> Any:
    """The value of ``module:function`` (called once per process; clear_cache forgets)."""
    module_name, _, func_name = spec.partition(":")
    return getattr(importlib.import_module(module_name), func_name)()


def value_specs(meta: dict) -> list[str]:
    """The ``module:function`` names a page's ``values:`` gives (none, one, or one per root)."""
    spec = meta.get("values")
    return [] if spec is None else [spec] if isinstance(spec, str) else list(spec.values())


def page_values(meta: dict) -> Any:
    """The object a page's keys are looked up in (``values:`` in the front matter, one or several roots)."""
    spec = meta.get("values")
    if spec is None:
        return None
    if isinstance(spec, str):
        return compute(spec)
    return {name: compute(s) for name, s in spec.items()}


def clear_cache() -> None:
    compute.cache_clear()


_STEP = re.compile(r"\.?([A-Za-z_]\w*)|\[([^\]]+)\]")


def lookup(root: Any, key: str) -> Any:
    """Follow ``exact.a1[0]`` or ``W[2, 0]`` through attributes, mapping keys and indexes."""
    node = root
    pos = 0
    for match in _STEP.finditer(key):
        if match.start() != pos:
            raise KeyError(f"cannot parse key {key!r} at {key[pos:]!r}")
        pos = match.end()
        name, index = match.groups()
        if name is not None:
            node = node[name] if isinstance(node, dict) else getattr(node, name)
        else:
            idx = tuple(int(i) for i in index.split(","))
            node = node[idx if len(idx) > 1 else idx[0]]
    if pos != len(key):
        raise KeyError(f"cannot parse key {key!r} at {key[pos:]!r}")
    return node


def mismatches(page: Page) -> list[str]:
    """Every binding on the page whose value does not print as its literal (or whose key is unknown)."""
    problems = []
    bindings = page.bindings
    if bindings and "values" not in page.meta:
        return [f"{page.path}: has bindings but no 'values:' in its front matter"]
    root = page_values(page.meta) if bindings else None
    for b in bindings:
        try:
            value = lookup(root, b.key)
        except (KeyError, AttributeError, IndexError, TypeError) as error:
            problems.append(f"{page.path}:{b.line}: key {b.key!r} not found ({error})")
            continue
        if not formats_as(value, b.literal):
            problems.append(
                f"{page.path}:{b.line}: prose says {b.literal} for {b.key}, code gives {printed(value, b.literal)}"
            )
    return problems


def prose(body: str) -> str:
    """The page without front matter, code, comments, link targets and bindings: what the lint reads."""
    text = FRONT_MATTER.sub("", body)
    for pattern in [*NOT_PROSE, BINDING]:
        text = pattern.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    return text


def unverified_numbers(page: Page) -> list[str]:
    """Decimals in prose or math that are neither bound to code nor declared as inputs or labels."""
    allowed = SITE_LABELS | {normalise(str(x)) for x in page.meta.get("inputs", []) + page.meta.get("labels", [])}
    text = prose(page.body)
    return [
        f"{page.path}:{text.count(chr(10), 0, m.start()) + 1}: {m.group(0)} is neither bound to code "
        f"([[{m.group(0)} : key]]) nor declared in 'inputs:' or 'labels:'"
        for m in DECIMAL.finditer(text)
        if normalise(m.group(0)) not in allowed
    ]


def render(body: str) -> str:
    """What the reader sees: each binding replaced by its literal."""
    return BINDING.sub(lambda m: m["literal"], body)


def chapter_pages(docs_dir: Path) -> list[Page]:
    return [read_page(p) for p in sorted(Path(docs_dir).rglob("*.md")) if "hooks" not in p.parts]


def published_tables(root: Path) -> list[dict]:
    """The numbers each source note prints, kept in tests/published/*.yml."""
    return [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(Path(root).glob("*.yml"))]


def site_counts(docs_dir: Path) -> dict[str, int]:
    """Figures the home page quotes, computed at build time from the pages and the published tables."""
    pages = chapter_pages(docs_dir)
    tables = published_tables(Path(docs_dir).parent / "tests" / "published")
    numbers = [n for t in tables for n in t["numbers"]]
    return {
        "quoted_numbers": sum(len(p.bindings) for p in pages),
        "pages_with_bindings": sum(1 for p in pages if p.bindings),
        "published_numbers": len(numbers),
        "published_errata": sum(1 for n in numbers if n.get("erratum")),
        "sources": len({t["source"] for t in tables}),
    }
