"""The exercise widget's renderer (docs/hooks/exercises.py): what it writes into the page, and what it refuses."""

import re
from typing import NamedTuple

import numpy as np
import pytest

import exercises
from verified import ROOT


class Number(NamedTuple):
    x: float
    v: np.ndarray
    answer: float
    tolerance: float


class Choice(NamedTuple):
    n: int
    options: tuple[str, ...]
    answer: int


def number(seed):
    return Number(x=seed / 4, v=np.array([seed, -0.0001]), answer=seed * 0.1 + 1 / 3, tolerance=5e-4)


def choice(seed):
    return Choice(n=seed, options=("<a>", f"({seed}, 2)"), answer=1)


def render(make=number, **kw):
    args = {"question": "Q {{x:.2f}} and $v = {{v:.3f}}$", "hint": "H", "solution": "S {{answer:.4f}}"} | kw
    return exercises.exercise("demo-one", make, **args)


def test_number_exercise_embeds_each_variant_answer_and_tolerance():
    html = render()
    answers = re.findall(r'data-answer="([^"]+)" data-tolerance="([^"]+)"', html)
    assert [(float(a), float(t)) for a, t in answers] == [(number(s).answer, 5e-4) for s in exercises.SEEDS]
    assert float(answers[0][0]) == number(1).answer  # repr: the full float, no rounding on the way
    assert f'data-source="{number.__module__}:number"' in html  # so the browser test can recompute the answers


def test_only_the_first_variant_is_shown_and_every_hint_starts_hidden():
    html = render()
    variants = re.findall(r'<div class="exercise-variant" data-variant="(\d)" data-seed="(\d)"( hidden)?', html)
    assert variants == [("0", "1", ""), ("1", "2", " hidden"), ("2", "3", " hidden")]
    assert re.findall(r'class="exercise-hint" id="demo-one-\d-hint"( hidden)?', html) == [" hidden"] * 3
    assert "Set 1 of 3" in html


def test_fields_have_labels_and_live_feedback():
    html = render()
    for i in (1, 2, 3):
        assert f'<label for="demo-one-{i}-input">' in html and f'id="demo-one-{i}-input"' in html
        assert f'id="demo-one-{i}-feedback" role="status" aria-live="polite"' in html


def test_templates_are_filled_from_the_variant():
    html = render()
    assert "Q 0.25 and $v = \\begin{bmatrix} 1.000 & 0.000 \\end{bmatrix}$" in html  # -0.000 printed as 0.000
    assert "S 0.4333" in html
    assert '??? success "Worked solution"\n\n    S 0.4333' in html  # the solution collapsed, indented under ???


def test_choice_exercise_escapes_options_and_points_at_the_right_one():
    html = render(choice, question="Pick", solution="because")
    assert "&lt;a&gt;" in html and "<a>" not in html
    assert html.count('data-kind="choice" data-answer="1"') == 3
    assert html.count("<legend>Pick one</legend>") == 3


def test_unknown_field_is_named():
    with pytest.raises(KeyError, match="nope"):
        render(question="{{nope}}")


def test_bad_input_is_refused_with_the_argument_named():
    with pytest.raises(ValueError, match="name"):
        exercises.exercise("Bad Name", number, question="", hint="", solution="")
    with pytest.raises(ValueError, match="seeds"):
        exercises.exercise("ok", number, question="", hint="", solution="", seeds=(1,))
    with pytest.raises(ValueError, match="tolerance"):
        exercises.exercise("ok", lambda s: number(s)._replace(tolerance=0.0), question="", hint="", solution="")
    with pytest.raises(ValueError, match="answer"):
        exercises.exercise("ok", lambda s: choice(s)._replace(answer=2), question="", hint="", solution="")


def test_a_solution_that_never_reaches_the_answer_fails_the_build():
    with pytest.raises(ValueError, match="never reaches its answer"):
        render(solution="S {{x:.4f}}")


def test_every_exercise_page_is_the_last_page_of_its_chapter():
    nav = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    sections = re.split(r"\n  - ", nav.split("\nnav:\n", 1)[1])
    for chapter in ("padhai", "cs224n", "workbook", "mit6390", "lviv"):
        section = next(s for s in sections if f" {chapter}/" in s)
        pages = re.findall(r"(\S+\.(?:md|ipynb))", section)
        assert pages[-1] == f"{chapter}/exercises.md", f"{chapter}: exercises are not the section's last page"


def test_tolerance_is_stated_as_a_plain_decimal():
    html = render(lambda s: number(s)._replace(tolerance=5e-5))
    assert "Your answer (right within ±0.00005)" in html and "±5e-05" not in html
