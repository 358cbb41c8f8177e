"""The exercises as a reader meets them: the built pages in headless Chromium, answers typed and checked.

For every exercise on every chapter's exercises page, and for each of its seeded variants: the answer the page
embeds is the package's answer for that seed; a wrong answer (typed and submitted with the Enter key, or a
wrong option picked) gets "wrong" feedback in the live region and reveals the hint; the right answer, typed the
way a reader would (rounded within the stated tolerance), or the right option, gets "right"; then "New numbers"
shows the next variant and only that one. Also: every field has a label, no console error, no request to another
host, no sideways scrolling on a 390 px phone, and the widget takes its colours from the dark scheme.
"""

import importlib
import math
import re

import pytest
from tests.browser.test_site import Watch, browser, server  # noqa: F401  (fixtures shared with the site test)

pytestmark = pytest.mark.browser

CHAPTERS = ["padhai", "cs224n", "workbook", "mit6390", "lviv"]
MIN_EXERCISES = 4

EXERCISES = """() => [...document.querySelectorAll('.exercise')].map(ex => ({
  name: ex.dataset.exercise,
  source: ex.dataset.source,
  variants: [...ex.querySelectorAll(':scope > .exercise-variant')].map(v => {
    const form = v.querySelector('form.exercise-form');
    return {seed: Number(v.dataset.seed), kind: form.dataset.kind, answer: form.dataset.answer,
            tolerance: form.dataset.tolerance, options: form.querySelectorAll('input[type=radio]').length};
  }),
}))"""


def generator(source):
    module, _, name = source.partition(":")
    return getattr(importlib.import_module(module), name)


def typed(answer, tolerance):
    """The answer as a reader would type it: rounded to the decimals the tolerance allows."""
    digits = max(0, math.ceil(-math.log10(2 * tolerance)))
    return f"{answer:.{digits}f}".replace("-", "\u2212")  # and with a typographic minus, as copied from a page


def shown(page, exercise):
    return page.evaluate(f"""() => [...document.querySelectorAll('#{exercise}-exercise > .exercise-variant')]
        .map(v => !v.hidden)""")


@pytest.fixture(scope="module")
def page(browser):  # noqa: F811  (the fixture imported above)
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_exercise_answers_right_and_wrong(server, page, chapter):  # noqa: F811
    base, site = server
    watch = Watch(page, base)
    page.goto(f"{base}{chapter}/exercises/", wait_until="load")
    exercises = page.evaluate(EXERCISES)
    assert len(exercises) >= MIN_EXERCISES, f"{chapter}: only {len(exercises)} exercises"
    for ex in exercises:
        name, variants = ex["name"], ex["variants"]
        assert len(variants) >= 2, f"{name}: no other numbers to switch to"
        make = generator(ex["source"])
        for i, v in enumerate(variants):
            assert shown(page, name) == [j == i for j in range(len(variants))], f"{name}: set {i + 1} not alone"
            where = f"#{name}-exercise > .exercise-variant[data-variant='{i}']"
            expected = make(v["seed"])
            form = page.locator(f"{where} form.exercise-form")
            feedback = form.locator(".exercise-feedback")
            hint = page.locator(f"{where} .exercise-hint")
            assert feedback.get_attribute("aria-live") == "polite"
            assert hint.is_hidden(), f"{name}: hint shown before any try"
            if v["kind"] == "number":
                answer, tolerance = float(v["answer"]), float(v["tolerance"])
                assert answer == expected.answer and tolerance == expected.tolerance, f"{name}: stale answer"
                field = form.locator("input[name=answer]")
                assert page.evaluate("el => el.labels.length", field.element_handle()) == 1, f"{name}: no label"
                field.fill("not a number")
                field.press("Enter")
                assert "Type a number" in feedback.inner_text() and hint.is_hidden()
                field.fill(f"{answer + 3 * tolerance + 0.01 * abs(answer):.6g}")
                field.press("Enter")
                assert "Not yet" in feedback.inner_text(), f"{name} set {i + 1}: a wrong answer was accepted"
                assert hint.is_visible(), f"{name}: no hint after a wrong answer"
                field.fill(typed(answer, tolerance))
                field.press("Enter")
                assert "Right" in feedback.inner_text(), f"{name} set {i + 1}: {typed(answer, tolerance)} refused"
            else:
                right = int(v["answer"])
                assert right == expected.answer and v["options"] == len(expected.options), f"{name}: stale answer"
                assert form.locator("fieldset legend").count() == 1
                radios = form.locator("input[type=radio]")
                radios.nth((right + 1) % v["options"]).check()
                form.locator("button[type=submit]").click()
                assert "Not this one" in feedback.inner_text(), f"{name} set {i + 1}: a wrong option was accepted"
                assert hint.is_visible(), f"{name}: no hint after a wrong option"
                radios.nth(right).check()
                form.locator("button[type=submit]").press("Enter")  # the keyboard works too
                assert "Right" in feedback.inner_text(), f"{name} set {i + 1}: the right option was refused"
            page.locator(f"#{name}-exercise .exercise-new").click()
            following = (i + 1) % len(variants)
            assert page.locator(f"#{name}-exercise .exercise-set").inner_text().startswith(
                f"New numbers: set {following + 1} of {len(variants)}")
        assert shown(page, name)[0], f"{name}: 'New numbers' does not come back to the first set"
        first = page.locator(f"#{name}-exercise > .exercise-variant[data-variant='0']")
        assert first.locator(".exercise-feedback").inner_text() == "", f"{name}: old feedback left on a fresh set"
        assert first.locator(".exercise-hint").is_hidden()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, f"{chapter}: scrolls sideways at 390 px"
    assert watch.errors == [], f"{chapter}: console errors {watch.errors}"
    assert watch.foreign == [], f"{chapter}: requests to other hosts {watch.foreign}"


def test_dark_scheme_colours(server, page):  # noqa: F811
    """The widget draws with Material's colour variables, so it follows the scheme the reader picks."""
    base, site = server
    page.goto(f"{base}{CHAPTERS[0]}/exercises/", wait_until="load")
    colours = """() => {
      const field = document.querySelector('.exercise-form input[name=answer]');
      const style = getComputedStyle(field);
      return [style.color, style.backgroundColor, getComputedStyle(document.body).backgroundColor];
    }"""
    light = page.evaluate(colours)
    page.evaluate("document.body.setAttribute('data-md-color-scheme', 'slate')")
    dark = page.evaluate(colours)
    assert dark != light
    text, field, body = dark
    assert field == body and text != field


def test_works_after_instant_navigation_and_from_the_keyboard(server, browser):  # noqa: F811
    """Material swaps the page in without reloading scripts; the widget must work on the new content."""
    base, site = server
    tab = browser.new_page()
    watch = Watch(tab, base)
    tab.goto(f"{base}padhai/math-heavy/", wait_until="load")
    tab.evaluate("window.sameDocument = true")  # survives an instant navigation, not a reload
    tab.click("a.md-footer__link--next")
    tab.wait_for_url(re.compile(r".*/padhai/exercises/(#.*)?$"))  # Material may carry a section anchor
    assert tab.evaluate("window.sameDocument === true"), "the page was reloaded: not an instant navigation"
    exercise = tab.locator(".exercise").first
    exercise.locator("input[name=answer]").first.focus()
    tab.keyboard.type("12345")
    tab.keyboard.press("Enter")
    assert "Not yet" in exercise.locator(".exercise-feedback").first.inner_text()
    exercise.locator(".exercise-new").focus()
    tab.keyboard.press("Enter")
    assert exercise.locator(".exercise-variant").nth(1).is_visible()
    assert exercise.locator(".exercise-variant").first.is_hidden()
    assert "set 2 of" in exercise.locator(".exercise-set").inner_text()
    assert watch.errors == [] and watch.foreign == []
    tab.close()
