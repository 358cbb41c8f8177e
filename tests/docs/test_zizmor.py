"""zizmor, the GitHub Actions security linter, finds nothing in .github/ and does find an unsafe workflow.

Run offline (no GitHub API), with no configuration file and no inline ignore comments honoured, so nothing
can be silenced; the persona is zizmor's default, the one the issue counted 11 findings with.
"""

import json
import subprocess
import sys
from pathlib import Path

from verified import ROOT

ZIZMOR = Path(sys.executable).parent / "zizmor"
UNSAFE = ROOT / "tests" / "fixtures" / "zizmor" / "unsafe-workflow.yml"


def findings(*inputs):
    """zizmor's findings on the inputs (workflows, actions, dependabot.yml) as (audit id, flagged text) pairs."""
    done = subprocess.run(
        [str(ZIZMOR), "--offline", "--no-config", "--no-ignores", "--no-progress", "--format", "json",
         "--collect=workflows,actions,dependabot", *map(str, inputs)],
        capture_output=True, text=True, timeout=120)
    # 0: no finding; 10-14: findings, by highest severity; anything else: zizmor itself failed
    assert done.returncode == 0 or 10 <= done.returncode <= 14, done.stderr
    return [(f["ident"], f["locations"][0]["concrete"]["feature"]) for f in json.loads(done.stdout)]


def test_zizmor_finds_nothing_in_the_workflows_and_dependabot_config():
    assert (ROOT / ".github" / "dependabot.yml").exists()
    assert findings(ROOT / ".github") == []


def test_zizmor_reports_each_flaw_of_an_unsafe_workflow():
    found = findings(UNSAFE)
    idents = sorted(ident for ident, _ in found)
    # three actions by tag, pages and id-token granted to both jobs, one checkout keeping its credentials
    assert idents == ["artipacked", "excessive-permissions", "excessive-permissions",
                      "unpinned-uses", "unpinned-uses", "unpinned-uses"], found
