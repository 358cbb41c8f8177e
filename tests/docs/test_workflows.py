"""The GitHub workflows are valid (the schemas check-jsonschema ships) and keep the project's CI policy.

zizmor (tests/docs/test_zizmor.py) audits their security; the tests here pin down what is particular to this
project: CI runs .ci/run and nothing else, the Pages deploy builds strictly and cold from the lock, the browser
rule lives in one place, and Dependabot watches every ecosystem.
"""

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from verified import ROOT

GITHUB = ROOT / ".github"
WORKFLOWS = sorted((GITHUB / "workflows").glob("*.yml"))
CHECKER = Path(sys.executable).parent / "check-jsonschema"
SHA_PINNED = re.compile(r"^\s*(?:- )?uses: [\w.-]+/[\w./-]+@[0-9a-f]{40}  # v\d+(?:\.\d+)*$")


def validate(path, schema="vendor.github-workflows"):
    return subprocess.run([str(CHECKER), "--builtin-schema", schema, str(path)],
                          capture_output=True, text=True, timeout=120)


def load(name):
    return yaml.safe_load((GITHUB / "workflows" / name).read_text())


def steps(workflow):
    return [step for job in workflow["jobs"].values() for step in job["steps"]]


def uses(workflow, action):
    return [step for step in steps(workflow) if step.get("uses", "").startswith(action + "@")]


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_matches_the_schema(path):
    done = validate(path)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_schema_check_rejects_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text("name: broken\non: push\njobs:\n  test:\n    steps: []\n")  # no runs-on, no steps
    assert validate(broken).returncode != 0


def test_ci_runs_the_ci_entry_point_on_every_push_and_pull_request():
    ci = load("ci.yml")
    assert {"push", "pull_request"} <= set(ci[True])  # YAML reads the key `on` as True
    assert [s["run"] for s in steps(ci) if "run" in s] == ["bash .ci/run"]
    assert (ROOT / ".ci" / "run").read_text().rstrip().split("\n")[-1].split("#")[0].strip() == "make check"


def test_pages_deploys_the_strict_build_from_main():
    pages = load("pages.yml")
    assert pages[True]["push"]["branches"] == ["main"]
    assert [s["run"] for s in steps(pages) if "run" in s] == ["make build"]
    assert "--strict" in (ROOT / "Makefile").read_text().split("\nbuild:")[1].split("\n\n")[0]
    assert pages["concurrency"] == {"group": "pages", "cancel-in-progress": False}


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_action_is_pinned_to_a_commit_with_its_version_beside_it(path):
    lines = [line for line in path.read_text().splitlines() if re.match(r"^\s*(- )?uses:", line)]
    assert lines and [line for line in lines if not SHA_PINNED.match(line)] == []


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_jobs_get_only_the_permissions_they_need_and_a_timeout(path):
    workflow = yaml.safe_load(path.read_text())
    assert workflow["permissions"] == {}
    for name, job in workflow["jobs"].items():
        assert job["timeout-minutes"] <= 30, name
        writes = {scope for scope, access in job["permissions"].items() if access == "write"}
        deploys = (path.name, name) == ("pages.yml", "deploy")
        assert writes == ({"pages", "id-token"} if deploys else set()), name


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_checkout_leaves_no_credentials_behind(path):
    checkouts = uses(yaml.safe_load(path.read_text()), "actions/checkout")
    assert checkouts and all(step["with"]["persist-credentials"] is False for step in checkouts)


def test_ci_caches_are_keyed_on_the_lockfiles_and_node_waits_for_its_lock():
    ci = load("ci.yml")
    [python] = uses(ci, "actions/setup-python")
    assert python["with"]["cache"] == "pip" and python["with"]["cache-dependency-path"] == "requirements.lock"
    [node] = uses(ci, "actions/setup-node")
    assert node["with"]["cache"] == "npm" and node["with"]["cache-dependency-path"] == "package-lock.json"
    assert node["if"] == "hashFiles('package-lock.json') != ''"


def test_the_published_build_uses_no_cache():
    assert all("cache" not in step.get("with", {}) for step in steps(load("pages.yml")))


def test_ci_finds_chromium_by_the_browser_tests_rule():
    """One rule, in tests/browser/test_site.py: $CHROMIUM, else /usr/bin/chromium. .ci/run installs the
    browser at that path when it is missing; no workflow overrides it."""
    browser_test = (ROOT / "tests" / "browser" / "test_site.py").read_text()
    [default] = re.findall(r'os\.environ\.get\("CHROMIUM", "([^"]+)"\)', browser_test)
    assert f'[ -x "${{CHROMIUM:-{default}}}" ] || need_apt+=(chromium)' in (ROOT / ".ci" / "run").read_text()
    assert not any(re.search(r"^\s*CHROMIUM:", path.read_text(), re.M) for path in WORKFLOWS)  # no env override


def test_dependabot_watches_pip_npm_and_the_actions_weekly_in_groups():
    path = GITHUB / "dependabot.yml"
    done = validate(path, "vendor.dependabot")
    assert done.returncode == 0, done.stdout + done.stderr
    updates = {u["package-ecosystem"]: u for u in yaml.safe_load(path.read_text())["updates"]}
    assert set(updates) == {"pip", "npm", "github-actions"}
    for ecosystem, update in updates.items():
        assert update["directory"] == "/" and update["schedule"]["interval"] == "weekly", ecosystem
        assert update["groups"], ecosystem
