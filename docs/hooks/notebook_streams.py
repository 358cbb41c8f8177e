"""MkDocs hook: a notebook's printed output is shown as one block per cell, whatever the kernel's timing.

A kernel sends what a cell prints in chunks, cut wherever its flush timer fires, so one `print` can arrive as two
stream outputs and be drawn as two boxes on one build and one box on the next. nbconvert merges adjacent stream
outputs only before executing (its CoalesceStreamsPreprocessor runs ahead of ExecutePreprocessor); mkdocs-jupyter
runs its own SubCell preprocessor after execution, so the merge is added there. `tests/docs/test_page_order.py`
compares two builds of the notebook page and fails if the split comes back.
"""

from __future__ import annotations

from mkdocs_jupyter import nbconvert2
from nbconvert.preprocessors import CoalesceStreamsPreprocessor


class SubCellThenCoalesce(nbconvert2.SubCell):
    def preprocess(self, nb, resources):
        nb, resources = super().preprocess(nb, resources)
        return CoalesceStreamsPreprocessor().preprocess(nb, resources)


nbconvert2.SubCell = SubCellThenCoalesce  # nb2html builds its preprocessor list from this module-level name
