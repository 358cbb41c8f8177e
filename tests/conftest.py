"""Shared test setup: the site machinery (docs/hooks) and the test helpers (tests/support) are importable."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "docs" / "hooks"))
sys.path.insert(0, str(ROOT / "tests" / "support"))  # reading the built site, a reader's clean environment
