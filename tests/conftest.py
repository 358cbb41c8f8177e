"""Shared test setup: the site machinery in docs/hooks is importable, and the repository root is known."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "docs" / "hooks"))
