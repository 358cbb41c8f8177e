"""matplotlib backend for the copy test: a reader's `plt.show()` prints the figures it would show, as SVG text.

The reader's venv runs the copied code with MPLBACKEND=module://shown_figures (this file alone on PYTHONPATH),
so the figure a reader's `plt.show()` displays can be compared, word for word, with the one the page shows:
both come from the package's `shown_as_svg`, as in the build (docs/hooks/page_figures.py).
"""

from matplotlib.backend_bases import FigureManagerBase
from matplotlib.backends.backend_agg import FigureCanvasAgg

from snippets.figures import shown_as_svg

FigureCanvas = FigureCanvasAgg
FigureManager = FigureManagerBase


def show(*args, **kwargs) -> None:
    for svg in shown_as_svg():
        print(svg)
