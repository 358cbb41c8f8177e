"""The package tests share one helper module, numpy_reference.py, beside this file."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
