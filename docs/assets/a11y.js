// Material builds a code block's buttons and a table's scroll box in the browser (also after instant
// navigation). Two accessibility fixes to what it builds, kept as the page changes:
// - each code block's button bar is a <nav>: dozens of unnamed landmarks on a page. It is a plain group of
//   buttons (role "none"; the buttons keep their names).
// - a code block or table that scrolls sideways must be reachable by keyboard to scroll: tabindex 0. Material
//   does this for code only on devices with a hover pointer; phones with a keyboard need it too.
(() => {
  const SCROLLERS = ".md-typeset pre > code, .md-typeset .md-typeset__scrollwrap";
  function fix() {
    for (const nav of document.querySelectorAll("nav.md-code__nav:not([role])")) nav.setAttribute("role", "none");
    for (const box of document.querySelectorAll(SCROLLERS)) {
      if (box.scrollWidth > box.clientWidth && !box.hasAttribute("tabindex")) box.setAttribute("tabindex", "0");
    }
  }
  new MutationObserver(fix).observe(document.body, { childList: true, subtree: true, attributes: true,
                                                      attributeFilter: ["tabindex"] });
  addEventListener("resize", fix);
  fix();
})();
