// axe-core on every kind of page of the bundled course, in headless Chromium from file://,
// in the light and the dark theme (run by tests/browser.rs). axe-core is pinned in
// package.json and injected from node_modules, never from a CDN. Every page must have
// zero violations.
//
//   node tests/browser/a11y.mjs <site-dir>
//
// Prints one line per page and theme, then `axe counts: {...}` (violations per page and
// theme, the nodes of each rule summed), and exits 0 when all pages are clean, 1 otherwise.
import { createRequire } from "node:module";
import { Site, assert, check, launch, results, siteDirFromArgs, until } from "./lib.mjs";

const require = createRequire(import.meta.url);
const AXE = require.resolve("axe-core/axe.min.js");

/** The pages to check: [name, path, what to do before axe runs]. */
const PAGES = [
  ["lesson with an exercise", "ml/softmax.html", async (page) => page.waitForSelector(".lb-exercise textarea, .lb-exercise [contenteditable]", { timeout: 10000 })],
  ["quiz page", "ml/linear-models.html", async (page) => page.waitForSelector(".quiz", { timeout: 3000 })],
  ["model page", "models/iris-softmax/index.html", null],
  ["model catalogue", "models/index.html", null],
  ["API page", "api/tinyml.html", null],
  [
    "search dialog open",
    "ml/gradient-descent.html",
    async (page) => {
      await page.keyboard.press("/");
      await page.waitForSelector(".search-dialog:not([hidden])", { timeout: 3000 });
      await page.fill("#search-input", "gradient descent");
      await until(() => page.$$eval(".search-results a.search-hit-link", (li) => li.length > 0), "no search results", 5000);
      await page.waitForSelector(".search-filters:not([hidden]) button", { timeout: 3000 });
    },
  ],
];

async function axe(page) {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    // No preload: it would fetch the stylesheets with XHR, which file:// refuses.
    const out = await window.axe.run(document, { resultTypes: ["violations"], preload: false });
    return out.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      nodes: v.nodes.length,
      examples: v.nodes.slice(0, 3).map((n) => `${n.target.join(" ")}: ${(n.failureSummary || "").split("\n").slice(1, 2).join(" ").trim()}`),
    }));
  });
}

async function main() {
  const dir = siteDirFromArgs("a11y.mjs");
  const browser = await launch();
  const site = new Site(browser, dir);
  console.log(`site: ${site.dir}`);
  const counts = {};
  try {
    for (const colorScheme of ["light", "dark"]) {
      for (const [name, rel, prepare] of PAGES) {
        await check(site, `axe: ${name} (${rel}), ${colorScheme}`, async () => {
          const page = await site.open(rel, { colorScheme });
          await page.waitForLoadState("load");
          const theme = await page.evaluate(() => document.documentElement.dataset.theme);
          assert(theme === colorScheme, `the page is in the ${theme} theme`);
          if (prepare) await prepare(page);
          const violations = await axe(page);
          counts[`${colorScheme} ${name}`] = Object.fromEntries(violations.map((v) => [v.id, v.nodes]));
          await page.close();
          const total = violations.reduce((n, v) => n + v.nodes, 0);
          assert(
            violations.length === 0,
            `${total} violations:\n` + violations.map((v) => `${v.id} ×${v.nodes} (${v.impact}): ${v.examples.join(" | ")}`).join("\n"),
          );
          return "0 violations";
        });
      }
    }
  } finally {
    await site.close();
    await browser.close();
  }
  console.log(`axe counts: ${JSON.stringify(counts)}`);
  console.log(`${results.passed} passed, ${results.failed} failed`);
  process.exit(results.failed ? 1 : 0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
