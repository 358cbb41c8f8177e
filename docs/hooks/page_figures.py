"""matplotlib backend for the build: `plt.show()` in a page's code puts the open figures on the page.

A reader's `plt.show()` opens a window, or draws inline in Jupyter; on the site the same line prints each open
figure as an SVG (`snippets.figures.shown_as_svg`: described by the figure's `label`, else its titles) into the
output of the code block that called it, which markdown-exec renders (`html="true"`). isolation.py selects this
backend (`module://docs.hooks.page_figures`) for every page.
"""

from __future__ import annotations

import sys

from matplotlib.backend_bases import FigureManagerBase
from matplotlib.backends.backend_agg import FigureCanvasAgg

FigureCanvas = FigureCanvasAgg
FigureManager = FigureManagerBase


def show(*args, **kwargs) -> None:
    """Print every open figure, oldest first, into the calling block's output (and close them)."""
    from snippets.figures import shown_as_svg  # imported here: isolation.py purges `snippets` before each page

    page_print = _code_block_print()
    for svg in shown_as_svg():
        page_print(svg)


def _code_block_print():
    """The `print` markdown-exec gave the block that is running (it captures output through that global only)."""
    frame = sys._getframe(1)
    while frame is not None:
        if frame.f_code.co_filename.startswith("<code block: "):
            return frame.f_globals["print"]
        frame = frame.f_back
    raise RuntimeError("plt.show() during the build, outside a page's code block: nothing would show the figure")
