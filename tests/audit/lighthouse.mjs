// Lighthouse (mobile, simulated throttling: its defaults) on each page of a served site, one Chromium for all.
// Performance varies from run to run (the same page gave 74 and 79 minutes apart on an idle machine): each page is
// measured LIGHTHOUSE_RUNS times (default 3) and the run with the median performance score is reported, as
// Lighthouse's documentation recommends.
// Usage: node tests/audit/lighthouse.mjs BASE_URL PATH... ; prints one JSON line per page:
//   {"path": ..., "performance": 0..100, "accessibility": ..., "best-practices": ..., "seo": ...,
//    "bytes": total bytes transferred, "failing": {category: [audit ids below full score]}}
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";

const [base, ...paths] = process.argv.slice(2);
const CATEGORIES = ["performance", "accessibility", "best-practices", "seo"];
const RUNS = Number(process.env.LIGHTHOUSE_RUNS || 3);
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH || "/usr/bin/chromium",
  chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run"],
});
try {
  for (const path of paths) {
    const runs = [];
    for (let run = 0; run < RUNS; run++) {
      const { lhr } = await lighthouse(base + path, { port: chrome.port, logLevel: "error", output: "json",
                                                       onlyCategories: CATEGORIES });
      runs.push(lhr);
    }
    runs.sort((a, b) => a.categories.performance.score - b.categories.performance.score);
    const lhr = runs[Math.floor(runs.length / 2)];
    const row = { path, runs: runs.map((r) => Math.round(r.categories.performance.score * 100)),
                  bytes: lhr.audits["total-byte-weight"]?.numericValue ?? null, failing: {} };
    for (const id of CATEGORIES) {
      const category = lhr.categories[id];
      row[id] = category.score === null ? null : Math.round(category.score * 100);
      row.failing[id] = category.auditRefs
        .filter((ref) => ref.weight > 0 && lhr.audits[ref.id].score !== null && lhr.audits[ref.id].score < 1)
        .map((ref) => `${ref.id}=${lhr.audits[ref.id].score}`);
    }
    if (lhr.runtimeError) row.error = lhr.runtimeError.message;
    process.stdout.write(JSON.stringify(row) + "\n");
  }
} finally {
  await chrome.kill();
}
