"""The exercise widget: one exercise, several seeded variants, answers checked in the reader's browser.

A page calls ``exercise(...)`` from a markdown-exec block whose source is hidden and prints the Markdown it
returns. Each variant is one call of the exercise's generator (``snippets/examples/<note>_exercises.py``) with
its own seed: the question, an answer form, a hint and the worked solution, written from templates whose
``{{field:format}}`` slots are filled from the generator's NamedTuple, so no number on the page is typed by
hand. The expected answer and its tolerance go into data attributes of the form; ``docs/assets/exercises.js``
compares what the reader types with them. Only the first variant is shown; "New numbers" shows the next.
A worked solution that never prints a number within the tolerance of its answer fails the build.

A generator returns a NamedTuple with ``answer`` and either ``tolerance`` (a number to type, right when it is
within the tolerance of ``answer``) or ``options`` (strings to pick from, ``answer`` the index of the right one).

Site machinery, not teaching code: it lives beside the MkDocs hooks, out of the ``snippets`` package.
"""

from __future__ import annotations

import html
import re
import textwrap
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

SEEDS = (1, 2, 3)  # the variants every exercise offers; "New numbers" cycles through them
# {{name}}, {{name:.3f}}, {{name[1]:.2f}}, {{W[0][1]:.2f}}: a field of the variant, formatted.
SLOT = re.compile(r"\{\{\s*(?P<name>\w+)(?P<index>(?:\[-?\d+\])*)\s*(?::(?P<format>[^}]*))?\}\}")
INDEX = re.compile(r"\[(-?\d+)\]")
NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
PRINTED = re.compile(r"-?\d+\.\d+(?:e-?\d+)?")


def exercise(
    name: str,
    generate: Callable[[int], Any],
    *,
    question: str,
    hint: str,
    solution: str,
    seeds: Sequence[int] = SEEDS,
) -> str:
    """The Markdown (with raw HTML for the form) of one exercise in all its variants.

    name: a page-unique id made of lowercase words and hyphens (the element ids derive from it).
    generate: seed -> NamedTuple with ``answer`` and ``tolerance`` or ``options``.
    question, hint, solution: Markdown templates; ``{{field:format}}`` is replaced by the variant's field.
    """
    if not NAME.fullmatch(name):
        raise ValueError(f"name: expected lowercase words joined by hyphens, got {name!r}")
    if len(seeds) < 2:
        raise ValueError(f"seeds: expected at least two seeds so that 'New numbers' has somewhere to go, got {seeds!r}")
    variants = [_variant(name, i, seed, generate(seed), question, hint, solution) for i, seed in enumerate(seeds)]
    source = f"{generate.__module__}:{generate.__qualname__}"  # lets a test recompute the answers it finds
    return "\n".join([
        f'<div class="exercise" id="{name}-exercise" data-exercise="{name}" data-source="{source}" markdown>',
        "",
        *variants,
        '<p class="exercise-switch">'
        f'<button type="button" class="md-button exercise-new" aria-controls="{name}-exercise">New numbers</button> '
        f'<span class="exercise-set" aria-live="polite">Set 1 of {len(seeds)}</span></p>',
        "",
        "</div>",
        "",
    ])


def fill(template: str, values: Any) -> str:
    """``template`` with each ``{{field:format}}`` replaced by that field of ``values`` (a NamedTuple)."""

    def one(match: re.Match) -> str:
        if not hasattr(values, match["name"]):
            raise KeyError(f"template asks for {match['name']!r}, which {type(values).__name__} does not have")
        value = getattr(values, match["name"])
        for index in INDEX.findall(match["index"]):
            value = value[int(index)]
        return _format(value, match["format"] or "")

    return SLOT.sub(one, textwrap.dedent(template).strip())


def _format(value: Any, spec: str) -> str:
    """A number with a format spec; an array as a LaTeX bmatrix with each entry so formatted."""
    if isinstance(value, np.ndarray):
        rows = value.reshape(1, -1) if value.ndim == 1 else value
        body = r" \\ ".join(" & ".join(_format(x, spec) for x in row) for row in rows)
        return rf"\begin{{bmatrix}} {body} \end{{bmatrix}}"
    if isinstance(value, (float, np.floating)):
        text = format(float(value), spec)
        return text.lstrip("-") if float(text) == 0 else text  # never print -0.000
    return format(value, spec)


def _plain(number: float) -> str:
    """0.00005 rather than 5e-05: how a tolerance reads in a sentence."""
    return np.format_float_positional(number, trim="-")


def _variant(name: str, i: int, seed: int, values: Any, question: str, hint: str, solution: str) -> str:
    uid = f"{name}-{i + 1}"
    hidden = " hidden" if i else ""
    form = _form(uid, values)  # checks the answer and tolerance first
    worked = fill(solution, values)
    if not hasattr(values, "options") and not any(
        abs(float(n) - values.answer) <= values.tolerance for n in PRINTED.findall(worked)
    ):
        raise ValueError(f"solution: the worked solution of {name} (seed {seed}) never reaches its answer "
                         f"{values.answer!r} within {values.tolerance!r}")
    return "\n".join([
        f'<div class="exercise-variant" data-variant="{i}" data-seed="{seed}"{hidden} markdown>',
        "",
        fill(question, values),
        "",
        form,
        "",
        f'<div class="exercise-hint" id="{uid}-hint" hidden markdown>',
        "",
        "**Hint.** " + fill(hint, values),
        "",
        "</div>",
        "",
        '??? success "Worked solution"',
        "",
        textwrap.indent(worked, "    "),
        "",
        "</div>",
        "",
    ])


def _form(uid: str, values: Any) -> str:
    """The answer form: a text field for a number, radio buttons for options. One line per tag, no blank line."""
    feedback = f'<p class="exercise-feedback" id="{uid}-feedback" role="status" aria-live="polite"></p>'
    check = '<button type="submit" class="md-button md-button--primary">Check</button>'
    if hasattr(values, "options"):
        if not 0 <= values.answer < len(values.options):
            raise ValueError(f"answer: expected an index into the {len(values.options)} options, got {values.answer!r}")
        radios = "\n".join(
            f'<label class="exercise-option"><input type="radio" name="{uid}" value="{k}"> '
            f"{html.escape(option)}</label>"
            for k, option in enumerate(values.options)
        )
        return "\n".join([
            f'<form class="exercise-form" data-kind="choice" data-answer="{values.answer}" '
            f'aria-describedby="{uid}-feedback">',
            '<fieldset><legend>Pick one</legend>',
            radios,
            "</fieldset>",
            f'<div class="exercise-row">{check}</div>',
            feedback,
            "</form>",
        ])
    answer, tolerance = float(values.answer), float(values.tolerance)
    if not (np.isfinite(answer) and tolerance > 0):
        raise ValueError(
            f"answer, tolerance: expected a finite answer and a positive tolerance, got {answer!r}, {tolerance!r}"
        )
    return "\n".join([
        f'<form class="exercise-form" data-kind="number" data-answer="{answer!r}" data-tolerance="{tolerance!r}">',
        f'<label for="{uid}-input">Your answer (right within ±{_plain(tolerance)})</label>',
        f'<div class="exercise-row"><input id="{uid}-input" name="answer" type="text" autocomplete="off" '
        f'spellcheck="false" aria-describedby="{uid}-feedback"> {check}</div>',
        feedback,
        "</form>",
    ])
