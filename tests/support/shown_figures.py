"""matplotlib backend for the copy test: a reader's `plt.show()` prints the figures it would show, as SVG text.

The reader's venv runs the copied code with MPLBACKEND=module://shown_figures (this file alone on PYTHONPATH),
so the figure a reader's `plt.show()` displays can be compared, word for word, with the one the page shows:
both are drawn by the package's `svg_of`, described by the figure's `label` or its titles, as the build does
(docs/hooks/page_figures.py).
"""

from matplotlib._pylab_helpers import Gcf
from matplotlib.backend_bases import FigureManagerBase
from matplotlib.backends.backend_agg import FigureCanvasAgg

from snippets.figures import svg_of

FigureCanvas = FigureCanvasAgg
FigureManager = FigureManagerBase


def show(*args, **kwargs) -> None:
    for manager in Gcf.get_all_fig_managers():
        figure = manager.canvas.figure
        print(svg_of(figure, figure.get_label() or None))
