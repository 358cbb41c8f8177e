"""The GitHub workflows are valid: checked against the workflow schema that check-jsonschema ships."""

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from verified import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
CHECKER = Path(sys.executable).parent / "check-jsonschema"


def validate(path):
    return subprocess.run([str(CHECKER), "--builtin-schema", "vendor.github-workflows", str(path)],
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_matches_the_schema(path):
    done = validate(path)
    assert done.returncode == 0, done.stdout + done.stderr


def test_ci_runs_make_test_on_every_push_and_pull_request():
    ci = yaml.safe_load((ROOT / ".github" / "workflows" / "ci.yml").read_text())
    assert {"push", "pull_request"} <= set(ci[True])  # YAML reads the key `on` as True
    steps = [s.get("run", "") for job in ci["jobs"].values() for s in job["steps"]]
    assert "make test" in steps


def test_pages_deploys_the_strict_build_from_main():
    pages = yaml.safe_load((ROOT / ".github" / "workflows" / "pages.yml").read_text())
    assert pages[True]["push"]["branches"] == ["main"]
    assert "--strict" in (ROOT / "Makefile").read_text().split("\nbuild:")[1].split("\n\n")[0]


def test_the_schema_check_rejects_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text("name: broken\non: push\njobs:\n  test:\n    steps: []\n")  # no runs-on, no steps
    assert validate(broken).returncode != 0
