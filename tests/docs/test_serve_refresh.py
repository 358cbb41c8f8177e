"""During `make serve`, editing `snippets` must refresh the executed results, not only the shown source.

`mkdocs serve` rebuilds in the same Python process, where `snippets` stays imported and markdown-exec keeps
each session's globals. The site hook forgets both before every build; this test builds a one-page site
twice in one process, editing the package in between, and checks the page shows the new result.
"""

import subprocess
import sys
import textwrap

import pytest
import yaml

from verified import ROOT

SCRIPT = textwrap.dedent("""
    import sys
    from pathlib import Path
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    scratch = Path(sys.argv[1])
    sys.path.insert(0, str(scratch))
    package = scratch / "snippets" / "__init__.py"
    for value in ("41", "42"):
        package.write_text(f"ANSWER = {value}\\n")
        build(load_config(str(scratch / "mkdocs.yml")))  # what `mkdocs serve` runs on each change
        html = (scratch / "site" / "index.html").read_text()
        print("answer-" + value, "shown" if f"answer is {value}" in html else "STALE")
""")

PAGE = """# Scratch

```python exec="on" session="scratch" result="text"
import snippets
print(f"answer is {snippets.ANSWER}")
```
"""


@pytest.mark.slow
def test_editing_snippets_refreshes_results(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "snippets").mkdir()
    (tmp_path / "docs" / "index.md").write_text(PAGE)
    config = {
        "site_name": "scratch",
        "hooks": [str(ROOT / "docs" / "hooks" / "site.py")],
        "plugins": ["markdown-exec"],
        "markdown_extensions": ["pymdownx.superfences"],
    }
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config))
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path)], capture_output=True, text=True,
                          cwd=tmp_path, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.split() == ["answer-41", "shown", "answer-42", "shown"]


def test_serve_watches_the_package():
    config = (ROOT / "mkdocs.yml").read_text()
    watch = config.split("\nwatch:\n")[1].split("\n\n")[0]
    assert "- snippets" in watch
