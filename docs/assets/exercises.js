// Exercises: check the reader's answer against the one computed at build (data attributes written by
// docs/hooks/exercises.py), show a hint after a wrong try, and switch to the next seeded variant on
// "New numbers". No library, no network. Listeners sit on the document, so pages that Material's instant
// navigation swaps in work without any set-up.
(() => {
  "use strict";

  // "-0.25", "−0.25" (unicode minus), "0,25", "1.5e-3", "3/8": the number, or NaN.
  const parse = (text) => {
    const clean = text.trim().replace(/[\u2212\u2013]/g, "-").replace(/\s+/g, "").replace(/^(-?\d*),(\d+)$/, "$1.$2");
    const fraction = clean.match(/^(-?\d+(?:\.\d+)?)\/(\d+(?:\.\d+)?)$/);
    if (fraction) return Number(fraction[1]) / Number(fraction[2]);
    return /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(clean) ? Number(clean) : NaN;
  };

  const say = (form, state, message) => {
    form.dataset.state = state;
    form.querySelector(".exercise-feedback").textContent = message;
    const hint = form.closest(".exercise-variant").querySelector(".exercise-hint");
    if (state === "wrong") hint.hidden = false;
  };

  const check = (form) => {
    if (form.dataset.kind === "choice") {
      const picked = form.querySelector("input[type=radio]:checked");
      if (!picked) return say(form, "empty", "Pick one of the options first.");
      return picked.value === form.dataset.answer
        ? say(form, "right", "✓ Right.")
        : say(form, "wrong", "✗ Not this one. A hint is below; try again.");
    }
    const input = form.querySelector("input[name=answer]");
    const value = parse(input.value);
    if (Number.isNaN(value)) {
      return say(form, "empty", "Type a number, such as -0.25 or 1.5e-3.");
    }
    const answer = Number(form.dataset.answer);
    const tolerance = Number(form.dataset.tolerance);
    // the stated tolerance, plus room for the binary rounding of a typed decimal
    const right = Math.abs(value - answer) <= tolerance * (1 + 1e-9);
    input.setAttribute("aria-invalid", right ? "false" : "true");
    return right
      ? say(form, "right", `✓ Right: ${input.value.trim()} is within ±${tolerance} of the answer.`)
      : say(form, "wrong",
        `✗ Not yet: ${input.value.trim()} is more than ${tolerance} away. A hint is below; try again.`);
  };

  const nextVariant = (exercise) => {
    const variants = [...exercise.querySelectorAll(":scope > .exercise-variant")];
    const current = variants.findIndex((v) => !v.hidden);
    const next = (current + 1) % variants.length;
    variants.forEach((v, i) => { v.hidden = i !== next; });
    const fresh = variants[next];  // a clean start, even if this set was tried before
    fresh.querySelectorAll("form.exercise-form").forEach((form) => {
      form.reset();
      delete form.dataset.state;
      form.querySelector(".exercise-feedback").textContent = "";
      form.querySelectorAll("[aria-invalid]").forEach((el) => el.removeAttribute("aria-invalid"));
    });
    fresh.querySelector(".exercise-hint").hidden = true;
    exercise.querySelector(".exercise-set").textContent = `New numbers: set ${next + 1} of ${variants.length}`;
  };

  document.addEventListener("submit", (event) => {
    const form = event.target.closest && event.target.closest("form.exercise-form");
    if (!form) return;
    event.preventDefault();
    check(form);
  });

  document.addEventListener("click", (event) => {
    const button = event.target.closest && event.target.closest(".exercise-new");
    if (button) nextVariant(button.closest(".exercise"));
  });
})();
