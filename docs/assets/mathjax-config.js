// MathJax 3, served from this site (assets/mathjax/), configured for pymdownx.arithmatex (generic mode)
// and for notebook pages, whose markdown cells keep $...$ delimiters.
window.MathJax = {
  tex: {
    inlineMath: [["\\(", "\\)"], ["$", "$"]],
    displayMath: [["\\[", "\\]"], ["$$", "$$"]],
    processEscapes: true,
    processEnvironments: true,
  },
  options: {
    // typeset only math regions: arithmatex spans/divs and notebook markdown cells. Every element with a
    // class is ignored with its subtree unless it is one of those; an element without a class inherits, so
    // the plain <p> inside a notebook cell is typeset and the one in an ordinary page is not.
    ignoreHtmlClass: ".+",
    processHtmlClass: "arithmatex|jp-MarkdownOutput",
  },
};

// Material's instant navigation swaps the page without reloading scripts: typeset each new page. The first
// page is typeset by MathJax's startup; clearing the output cache then would drop the CSS of every glyph it
// drew, leaving blank math. On later pages the cache must be cleared, because the glyph CSS added for the
// previous page is gone with it.
let firstPage = true;
document$.subscribe(() => {
  if (firstPage) {
    firstPage = false;
    return;
  }
  MathJax.startup.promise.then(() => {
    MathJax.startup.output.clearCache();
    MathJax.typesetClear();
    MathJax.texReset();
    return MathJax.typesetPromise();
  });
});
