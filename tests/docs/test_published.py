"""The numbers the source notes print: reproduced at their printed precision, or listed as errata."""

import re

import pytest

import verified
from verified import ROOT

TABLES = verified.published_tables(ROOT / "tests" / "published")
ENTRIES = [(t, n) for t in TABLES for n in t["numbers"]]
ERRATA_PAGE = (ROOT / "docs" / "errata.md").read_text(encoding="utf-8")
ANCHORS = set(re.findall(r"\{#([\w-]+)\}", ERRATA_PAGE))
CHAPTERS = "\n".join(p.body for p in verified.chapter_pages(ROOT / "docs") if p.path.name != "errata.md")


def _id(entry):
    table, number = entry
    return f"{table['source'][:3]}:{number['where']}:{number['printed']}"


@pytest.mark.parametrize("entry", ENTRIES, ids=_id)
def test_printed_number(entry):
    table, number = entry
    root = verified.page_values({"values": table["values"]})
    true = verified.lookup(root, number["value"])
    printed = number["printed"]
    if "notes" in number:  # the notes' own arithmetic reproduces what they print
        assert verified.formats_as(verified.lookup(root, number["notes"]), printed)
    if "erratum" not in number:
        assert verified.formats_as(true, printed), f"code gives {verified.printed(true, printed)}"
        return
    assert not verified.formats_as(true, printed), "listed as an erratum but the printed value is right"
    assert verified.formats_as(true, number["correct"]), f"code gives {verified.printed(true, printed)}"
    assert number["erratum"] in ANCHORS, f"errata.md has no entry {{#{number['erratum']}}}"
    assert f"errata.md#{number['erratum']})" in CHAPTERS, "no chapter links to this erratum"


def test_every_table_names_its_source():
    seeds = {p.name for p in (ROOT.parent / "shared" / "seeds").glob("*.txt")}
    for table in TABLES:
        assert {"source", "title", "values", "numbers"} <= table.keys()
        if seeds:  # the notes sit beside the repository in the workplace, not in a clone elsewhere
            assert table["source"] in seeds
