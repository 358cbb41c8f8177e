// Material builds a code block's buttons and a table's scroll box in the browser (also after instant
// navigation). Two accessibility fixes to what it builds, kept as the page changes:
// - each code block's button bar is a <nav>: dozens of unnamed landmarks on a page. It is a plain group of
//   buttons (role "none"; the buttons keep their names).
// - a code block, table or display formula that scrolls sideways must be reachable by keyboard: tabindex 0. Material
//   does this for code only on devices with a hover pointer; phones with a keyboard need it too.
// Checked once per frame at most, however many changes Material makes: each check reads the layout, and on a page
// of hundreds of formulas a layout read after every change is what makes a phone stall.
(() => {
  const SCROLLERS = ".md-typeset pre > code, .md-typeset .md-typeset__scrollwrap, .md-typeset div.arithmatex, " +
                    ".md-typeset .arithmatex--display";
  let pending = false;
  function fix() {
    pending = false;
    for (const nav of document.querySelectorAll("nav.md-code__nav:not([role])")) nav.setAttribute("role", "none");
    const boxes = [...document.querySelectorAll(SCROLLERS)].filter((box) => !box.hasAttribute("tabindex"));
    const scrolling = boxes.filter((box) => box.scrollWidth > box.clientWidth);  // all reads, then all writes
    for (const box of scrolling) box.setAttribute("tabindex", "0");
  }
  function later() {
    if (!pending) requestAnimationFrame(fix);
    pending = true;
  }
  new MutationObserver(later).observe(document.body, { childList: true, subtree: true, attributes: true,
                                                        attributeFilter: ["tabindex"] });
  addEventListener("resize", later);
  later();
})();
