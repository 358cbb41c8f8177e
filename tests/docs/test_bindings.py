"""Every number a page quotes is the number the code computes; no other decimal may appear in prose or math."""

import pytest

import verified
from verified import ROOT

PAGES = verified.chapter_pages(ROOT / "docs")
BOUND = [p for p in PAGES if p.bindings]


def _id(page):
    return page.path.relative_to(ROOT / "docs").as_posix()


@pytest.mark.parametrize("page", BOUND, ids=_id)
def test_bound_numbers_match_the_code(page):
    assert verified.mismatches(page) == []


@pytest.mark.parametrize("page", PAGES, ids=_id)
def test_no_unverified_decimal(page):
    assert verified.unverified_numbers(page) == []


@pytest.mark.parametrize("page", PAGES, ids=_id)
def test_declared_inputs_appear_on_the_page(page):
    """A declared input that the page no longer uses is stale: it would let a wrong number slip through."""
    text = verified.prose(page.body)
    found = {verified.normalise(m.group(0)) for m in verified.DECIMAL.finditer(text)}
    declared = {verified.normalise(str(x)) for x in page.meta.get("inputs", []) + page.meta.get("labels", [])}
    assert declared - found == set()


def test_the_site_quotes_numbers():
    assert sum(len(p.bindings) for p in PAGES) > 50


def test_binding_precision_is_the_printed_precision():
    assert verified.formats_as(-0.06517, "−0.065")
    assert not verified.formats_as(-0.06517, "-0.0651")
    assert verified.formats_as(0.0016, "1.6e-3") and not verified.formats_as(0.0017, "1.6e-3")
    assert verified.formats_as(0.3556, "36%") and verified.formats_as(2.0, "2")
    assert verified.formats_as(-0.00001, "0.000")


def test_lint_sees_decimals_in_prose_and_math_but_not_in_code():
    body = ("---\ninputs: []\n---\nprose 0.5 and $x = 1.25$ and `0.75`\n```python\nx = 0.125\n```\n[[0.3 : k]]\n"
            "!!! note\n    ```python\n    y = 0.25\n    ```\n")
    page = verified.Page(ROOT / "x.md", {}, body)
    assert [p.split(": ")[1].split(" ")[0] for p in verified.unverified_numbers(page)] == ["0.5", "1.25"]
