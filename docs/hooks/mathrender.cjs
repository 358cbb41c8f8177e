// Renders TeX to SVG with MathJax 3 for the MkDocs hook mathrender.py: one long-lived process per build.
//
// Protocol, one JSON object per line on stdin and stdout:
//   request  {"formulas": [{"tex": "a^2", "display": false}, ...]}   (the formulas of one page)
//   response {"html": ["<mjx-container ...>", ...], "cache": "<svg ...>", "errors": [[index, message], ...]}
// `cache` holds the glyph paths shared by the page's formulas (fontCache "global": each glyph is drawn once
// per page and <use>d by every formula). A request {"css": true} answers {"css": "..."}, the stylesheet the
// SVG output needs.
"use strict";

const readline = require("readline");
const { mathjax } = require("mathjax-full/js/mathjax.js");
const { TeX } = require("mathjax-full/js/input/tex.js");
const { SVG } = require("mathjax-full/js/output/svg.js");
const { liteAdaptor } = require("mathjax-full/js/adaptors/liteAdaptor.js");
const { RegisterHTMLHandler } = require("mathjax-full/js/handlers/html.js");
const { AssistiveMmlHandler } = require("mathjax-full/js/a11y/assistive-mml.js");
const { AllPackages } = require("mathjax-full/js/input/tex/AllPackages.js");

const adaptor = liteAdaptor();
AssistiveMmlHandler(RegisterHTMLHandler(adaptor));

// Without noerrors/noundefined, a TeX error or an unknown macro throws instead of being drawn in red:
// the hook turns it into a build warning, which fails `mkdocs build --strict`.
const packages = AllPackages.filter((name) => !["noerrors", "noundefined", "autoload", "require"].includes(name));
const tex = new TeX({ packages, formatError: (jax, err) => { throw err; } });
const svg = new SVG({ fontCache: "global" });
const doc = mathjax.document("", { InputJax: tex, OutputJax: svg });

const escapeXml = (text) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

// MathJax's assistive MathML, with the TeX source kept as an annotation (screen readers read the MathML;
// the annotation lets a reader or a tool recover the TeX).
function annotate(html, source) {
  return html.replace(/(<math\b[^>]*>)([\s\S]*)(<\/math>)/, (all, open, body, close) =>
    `${open}<semantics><mrow>${body}</mrow><annotation encoding="application/x-tex">${escapeXml(source)}</annotation></semantics>${close}`);
}

// MathJax's SVG carries attributes for its own browser-side tools (menu, explorer), which a static page never
// runs: drop them, and the <g> wrappers left without attributes, so that pages stay light. What CSS still needs
// stays: data-mml-node on tables (their rules are drawn by CSS) and on error nodes.
const KEEP_NODE = new Set(["mtable", "merror"]);
function slim(node) {
  if (!node.children) return [node];
  node.children = node.children.flatMap(slim);
  node.children.forEach((child) => { child.parent = node; });
  const attributes = node.attributes || {};
  delete attributes["data-c"];
  delete attributes["data-mjx-texclass"];
  delete attributes.focusable;
  if (attributes["data-mml-node"] && !KEEP_NODE.has(attributes["data-mml-node"])) delete attributes["data-mml-node"];
  if (node.kind === "svg") {
    delete attributes["xmlns:xlink"];  // xlink:href stays (Material rewrites plain href attributes it finds);
    delete attributes.xmlns;            // the HTML parser puts both in their namespaces by itself
    delete attributes.role;  // aria-hidden: the assistive MathML beside it is what a screen reader reads
  }
  if (node.kind === "g" && Object.keys(attributes).length === 0) return node.children;
  return [foldTransform(node)];
}

// A <g> holding one shape or group and nothing but a transform (MathJax wraps most glyphs so) is that child with
// the transform: the same drawing with one element fewer. On a page of hundreds of formulas that is an eighth of its
// elements, each of which a phone styles and lays out.
const TAKES_TRANSFORM = new Set(["use", "g", "rect", "path"]);
function foldTransform(node) {
  const attributes = node.attributes || {};
  const [child] = node.children || [];
  if (node.kind !== "g" || node.children.length !== 1 || !TAKES_TRANSFORM.has(child.kind)
      || Object.keys(attributes).join() !== "transform") return node;
  const inner = (child.attributes || {}).transform;
  child.attributes = { ...child.attributes, transform: inner ? `${attributes.transform} ${inner}` : attributes.transform };
  child.parent = node.parent;
  return child;
}

// A page of hundreds of formulas makes a phone's style and layout slow (each glyph is a <use>). Off-screen formulas
// are skipped by style and layout (content-visibility), held at the size MathJax measured, so their box must be
// exactly their SVG's size (site.css): an inline formula is an inline flex box (at most the line's width, as the SVG
// is) whose baseline is the SVG's bottom edge whether drawn or skipped, so the SVG's vertical shift moves to the box
// and the line looks as before; a display formula is a flex box the SVG's height and at least the column's width
// (the SVG centred in it by auto margins), which scrolls in its div when wider.
function skippedOffScreen(node, display) {
  const picture = adaptor.firstChild(node);
  const width = adaptor.getAttribute(picture, "width");
  const height = adaptor.getAttribute(picture, "height");
  if (!/ex$/.test(width) || !/ex$/.test(height)) return;  // e.g. a tagged equation, 100% wide
  adaptor.setStyle(node, "contain-intrinsic-size", `auto ${width} auto ${height}`);
  if (!display) adaptor.setStyle(node, "vertical-align", adaptor.getStyle(picture, "vertical-align") || "baseline");
  adaptor.setStyle(picture, "vertical-align", "");  // in a flex box it would do nothing
  if (!adaptor.getAttribute(picture, "style")) adaptor.removeAttribute(picture, "style");
}

// Formulas repeat across pages (x, W^{[1]}, ...): about half of a build's are repeats. Each distinct formula is
// converted once per process, with the ids and outlines of the glyphs it uses, so that each page's hidden <svg>
// still holds exactly its formulas' glyphs, in the order they are first used (the page is byte for byte what
// converting all of it would give). A formula that can change TeX's state (a macro, a label) is converted every
// time and makes every other one be converted again, as their rendering could depend on that state.
const CHANGES_STATE =
  /\\(?:[gex]?def|let|futurelet|(?:re|provide)?newcommand|DeclareMathOperator|(?:re)?newenvironment|definecolor|label|ref|eqref|require)(?![a-zA-Z])/;
const converted = new Map();  // display + "\n" + TeX -> { html, glyphs: [glyph id, ...] }
const outlines = new Map();   // glyph id -> its path (the "d" attribute)

function convert(source, display) {
  const key = `${display}\n${source}`;
  const reusable = !CHANGES_STATE.test(source);
  if (!reusable) converted.clear();
  if (converted.has(key)) return converted.get(key);
  svg.fontCache.clearCache();
  const node = doc.convert(source, { display, em: 16, ex: 8, containerWidth: 80 * 16 });
  slim(adaptor.firstChild(node));
  skippedOffScreen(node, display);
  const glyphs = [...svg.fontCache.cache.keys()];
  glyphs.forEach((id) => outlines.set(id, svg.fontCache.cache.get(id)));
  const result = { html: annotate(adaptor.outerHTML(node), source), glyphs };
  if (reusable) converted.set(key, result);
  return result;
}

function render(formulas) {
  const html = [];
  const errors = [];
  const glyphs = new Set();
  formulas.forEach(({ tex: source, display }, index) => {
    try {
      const formula = convert(source, display);
      formula.glyphs.forEach((id) => glyphs.add(id));
      html.push(formula.html);
    } catch (err) {
      errors.push([index, String(err.message || err)]);
      html.push(null);
    }
  });
  const defs = svg.svg("defs", {}, [...glyphs].map((id) => svg.svg("path", { id, d: outlines.get(id) })));
  const cache = adaptor.outerHTML(svg.svg("svg", { id: "MJX-SVG-global-cache", style: { display: "none" } }, [defs]));
  return { html, cache, errors };
}

// MathJax's stylesheet for SVG output, its glyph stroke rule rewritten for the slimmed SVG (no data-c).
// (How formulas sit in the page, and which are skipped off screen, is in docs/assets/site.css.)
function stylesheet() {
  return adaptor.textContent(svg.styleSheet(doc))
    .replace(/mjx-container\[jax="SVG"\] path\[data-c\], mjx-container\[jax="SVG"\] use\[data-c\]/,
             'mjx-container[jax="SVG"] use, #MJX-SVG-global-cache path');
}

const lines = readline.createInterface({ input: process.stdin, terminal: false });
lines.on("line", (line) => {
  const request = JSON.parse(line);
  const answer = request.css ? { css: stylesheet() } : render(request.formulas);
  process.stdout.write(JSON.stringify(answer) + "\n");
});
