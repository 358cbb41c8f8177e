"""MkDocs hook: every page executes as if it were alone, like a reader's fresh Python session.

markdown-exec runs all pages in the one build process, so anything global a page changes (numpy print options,
the legacy random state, matplotlib rcParams, the working directory, warning filters, module-level caches in
`snippets`) would reach the pages built after it and make a page's output depend on build order. Before each
page this hook puts all of that back to the state the build started with; `tests/docs/test_page_order.py`
builds the site in reverse order and checks every page comes out the same.
"""

from __future__ import annotations

import os
import random
import sys
import warnings

import matplotlib
import numpy as np

import exec_cache
import verified

# `plt.show()` in a page's code prints the figures into the page (docs/hooks/page_figures.py).
FIGURE_BACKEND = "module://docs.hooks.page_figures"
matplotlib.use(FIGURE_BACKEND)


class _Snapshot:
    """The global state a fresh interpreter starts with, taken once when the hook is loaded."""

    def __init__(self) -> None:
        self.cwd = os.getcwd()
        here = os.path.dirname(os.path.abspath(__file__))  # MkDocs puts the hooks folder on sys.path while loading
        self.sys_path = [p for p in sys.path if os.path.abspath(p or ".") != here]
        self.warning_filters = list(warnings.filters)
        self.print_options = np.get_printoptions()
        self.float_errors = np.geterr()
        self.numpy_random = np.random.get_state()
        self.python_random = random.getstate()

    def restore(self) -> None:
        os.chdir(self.cwd)
        sys.path[:] = self.sys_path
        warnings.filters[:] = self.warning_filters
        np.set_printoptions(**self.print_options)
        np.seterr(**self.float_errors)
        np.random.set_state(self.numpy_random)
        random.setstate(self.python_random)
        _reset_matplotlib()
        exec_cache.forget_snippets()
        verified.clear_cache()  # example results are recomputed, so a page that mutates one cannot leak it


def _reset_matplotlib() -> None:
    """Close every figure and restore the rc settings a new session reads from matplotlibrc."""
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")
    matplotlib.rc_file_defaults()  # keeps the backend
    matplotlib.use(FIGURE_BACKEND)  # a page may have chosen another one


_start = _Snapshot()


def on_pre_page(page, config, files):
    _start.restore()
    return page
