"""Proof that the checks bite: each edit below, made in a scratch copy of the repository, fails the suite.

Changing a quoted number, adding an unchecked decimal, or changing a constant or a formula in `snippets` must
all turn `make test` red. Each case copies the repository, makes one edit, runs the checks that guard it, and
asserts that they fail, and fail where expected.
"""

import os
import shutil
import subprocess
import sys

import pytest

from verified import ROOT

SKIP = shutil.ignore_patterns(".venv", "site", ".git", ".cache", ".pytest_cache", "__pycache__", "node_modules")
CHECKS = ["tests/docs/test_bindings.py", "tests/docs/test_published.py", "tests/examples/test_padhai.py",
          "tests/snippets/test_network.py"]
CHAPTER = "docs/padhai/light-math.md"
SELECT = "light-math or 003 or test_padhai or test_network"  # the checks that guard the edits below

# (name, file, text before, text after, a test that must fail)
MUTATIONS = [
    ("quoted number", CHAPTER, "[[-0.1304 : r.true.dL_dw212]]", "[[-0.1305 : r.true.dL_dw212]]",
     "test_bound_numbers_match_the_code[padhai/light-math.md]"),
    ("unbound decimal", CHAPTER, "## Takeaways {#takeaways}", "## Takeaways {#takeaways}\n\nRoughly 0.42.\n",
     "test_no_unverified_decimal[padhai/light-math.md]"),
    ("constant in a worked example", "snippets/examples/padhai.py", "ETA = 1.0", "ETA = 0.5",
     "test_bound_numbers_match_the_code[padhai/light-math.md]"),
    ("formula: sigmoid derivative", "snippets/activations.py", '"sigmoid": lambda Z, A: A * (1.0 - A),',
     '"sigmoid": lambda Z, A: 1.0 - A,', "test_printed_number"),
    ("formula: softmax in a worked example", "snippets/examples/padhai.py", "jac = np.diag(y_hat) - np.outer(y_hat, y_hat)",
     "jac = np.diag(y_hat)", "test_sum_over_all_four_paths_is_the_true_derivative"),
    ("formula: squared-loss gradient", "snippets/losses.py", "dA = 2.0 * (A - Y)", "dA = A - Y",
     "test_printed_number"),
]


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    copy = tmp_path_factory.mktemp("scratch") / "repo"
    shutil.copytree(ROOT, copy, ignore=SKIP)
    return copy


def run_checks(copy):
    # PYTHONPATH puts the copy's `snippets` ahead of the editable install of the original.
    env = {**os.environ, "PYTHONPATH": str(copy), "MPLBACKEND": "Agg"}
    which = subprocess.run([sys.executable, "-c", "import snippets; print(snippets.__file__)"],
                           capture_output=True, text=True, env=env, cwd=copy)
    assert which.stdout.startswith(str(copy)), f"the scratch run would test the original: {which.stdout}"
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rf", "-k", SELECT, *CHECKS],
                          capture_output=True, text=True, env=env, cwd=copy, timeout=600)


@pytest.mark.slow
def test_unedited_copy_passes(scratch):
    done = run_checks(scratch)
    assert done.returncode == 0, done.stdout[-3000:]


@pytest.mark.slow
@pytest.mark.parametrize("name, path, before, after, must_fail", MUTATIONS, ids=[m[0] for m in MUTATIONS])
def test_edit_fails_the_suite(scratch, name, path, before, after, must_fail):
    target = scratch / path
    original = target.read_text(encoding="utf-8")
    assert original.count(before) == 1, f"the mutation no longer applies to {path}: update this test"
    target.write_text(original.replace(before, after), encoding="utf-8")
    try:
        done = run_checks(scratch)
    finally:
        target.write_text(original, encoding="utf-8")
    assert done.returncode != 0, f"{name}: the suite still passes"
    failed = [line for line in done.stdout.splitlines() if line.startswith("FAILED")]
    assert any(must_fail in line for line in failed), "\n".join(failed) or done.stdout[-2000:]
