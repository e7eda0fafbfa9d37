// axe-core on every kind of page of the bundled course, in headless Chromium from file://,
// in the light and the dark theme (run by tests/browser.rs), and on the states a reader brings
// pages into: an exercise after a failed Check and after a Python error, kept quiz answers with
// the sidebar's ticks, runnable lesson code after "Run all above", a notebook page, and the
// progress page with progress. axe-core is pinned in
// package.json and injected from node_modules, never from a CDN. Every page must have
// zero violations.
//
//   node tests/browser/a11y.mjs <site-dir>   (the whole course: en/, fr/, zh-CN/, ar/)
//
// Prints one line per page and theme, then `axe counts: {...}` (violations per page and
// theme, the nodes of each rule summed), and exits 0 when all pages are clean, 1 otherwise.
import { createRequire } from "node:module";
import { Site, assert, check, main, press, setCode, reloadUntil, siteDirFromArgs, until } from "./lib.mjs";

const require = createRequire(import.meta.url);
const AXE = require.resolve("axe-core/axe.min.js");

/**
 * The pages to check: [name, path, what to do before axe runs]. A path of "" goes on with the
 * page of the entry before, in the state it was left in (no second load, no second compile of
 * the python runtime).
 */
const PAGES = [
  ["lesson with an exercise", "ml/softmax.html", async (page) => page.waitForSelector(".lb-exercise textarea, .lb-exercise [contenteditable]", { timeout: 10000 })],
  [
    "the same exercise after Check: a failed hidden check's feedback",
    "",
    async (page) => {
      const block = page.locator("section.lb-exercise").first();
      await press(block, "Check"); // the starter fails the hidden check on very negative scores
      await page.waitForSelector(".lb-ex-check-item.lb-ex-fail .lb-ex-check-message", { timeout: 3000 });
    },
  ],
  [
    "the same exercise after Run: a Python error with the runtime's note",
    "",
    async (page) => {
      const block = page.locator("section.lb-exercise").first();
      await setCode(page, block, "import pandas\n");
      await press(block, "Run");
      await page.waitForSelector(".lb-ex-error-note a", { timeout: 3000 });
    },
  ],
  ["quiz page", "ml/linear-models.html", async (page) => page.waitForSelector(".quiz", { timeout: 3000 })],
  [
    "the same quiz page with kept answers and sidebar ticks",
    "",
    async (page) => {
      // Answer every quiz right, then reload: the answers come back and the sidebar ticks the page.
      const quizzes = page.locator(".quiz");
      for (let i = 0; i < (await quizzes.count()); i++) {
        const right = quizzes.nth(i).locator('.quiz-choice[data-correct="true"] input');
        for (let k = 0; k < (await right.count()); k++) await right.nth(k).check();
        await quizzes.nth(i).locator(".quiz-check").click();
      }
      const kept = async () => (await page.$("#sidebar .toc-progress")) !== null && (await page.$(".quiz.quiz-passed")) !== null;
      // Every answer is graded and kept before the reload, so a missing tick afterwards is the
      // reload's doing, never a click the page had not handled yet.
      await until(
        () => page.evaluate(() => Array.from(document.querySelectorAll(".quiz")).every((q) => q.classList.contains("quiz-passed") && window.labbook.progress.get("quiz", q.id).passed === true)),
        "the answered quizzes were not all graded right and kept",
        10000,
      );
      await page.reload();
      await reloadUntil(page, kept, "after a reload the sidebar ticks and the kept answers never showed");
    },
  ],
  [
    "progress page, with progress",
    "progress.html",
    async (page) => {
      await page.waitForSelector("#progress-report:not([hidden])", { timeout: 3000 });
      // Something solved and answered, so the table has ticks, counts and times.
      await page.evaluate(() => {
        const { pages, progress } = window.labbook;
        const page = pages.find((p) => p.exercises.length && p.quizzes.length);
        progress.set("exercise", page.exercises[0], { passed: true });
        for (const id of page.quizzes) progress.set("quiz", id, { chosen: [], checked: true, passed: true });
      });
      await page.waitForSelector("#sidebar .toc-progress.toc-done", { timeout: 3000 });
      await page.waitForSelector("#progress-report tr.progress-complete", { timeout: 3000 });
    },
  ],
  ["notebook page: outputs, a folded cell, a traceback", "guide/notebook-example.html", async (page) => page.waitForSelector(".nb-output.nb-error", { timeout: 3000 })],
  [
    "runnable blocks after Run all above",
    "ml/bigram-names.html",
    async (page) => {
      const last = page.locator("div.lb-runnable").last();
      await last.locator(".lb-run-button").click(); // run first: an error and "Run all above"
      await last.getByRole("button", { name: "Run all above", exact: true }).click({ timeout: 60000 });
      await until(async () => (await last.getAttribute("aria-busy")) === "false" && (await page.$$(".lb-run-output:not([hidden])")).length === (await page.$$("div.lb-runnable")).length, "Run all above never showed every output", 60000);
    },
  ],
  ["model page", "models/iris-softmax/index.html", null],
  ["model catalogue", "models/index.html", null],
  ["dataset page: statistics and the rows viewer", "datasets/iris/index.html", async (page) => page.waitForSelector(".dataset-viewer[data-ready]", { timeout: 30000 })],
  ["dataset catalogue", "datasets/index.html", null],
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

// The course's English site is `en/` of the built site; its translations are beside it.
for (const entry of PAGES) if (entry[1]) entry[1] = `en/${entry[1]}`;
PAGES.push(
  ["translated lesson with quizzes, in French", "fr/ml/gradient-descent.html", async (page) => page.waitForSelector(".quiz .quiz-check", { timeout: 3000 })],
  ["untranslated page with the fallback banner, in Chinese", "zh-CN/ml/softmax.html", async (page) => page.waitForSelector(".translation-banner", { timeout: 3000 })],
  ["model page with its Try-it widget, in Arabic", "ar/models/iris-softmax/index.html", async (page) => page.waitForSelector(".model-widget-live:not([hidden]) .model-run", { timeout: 5000 })],
  ["dataset page with its row viewer, in French", "fr/datasets/iris/index.html", async (page) => page.waitForSelector(".dataset-viewer[data-ready]", { timeout: 5000 })],
  [
    "right-to-left page with the language menu open, in Arabic",
    "ar/index.html",
    async (page) => {
      await page.click(".language-switcher > summary");
      await page.waitForSelector(".language-list a", { state: "visible", timeout: 3000 });
    },
  ],
);

export async function axe(page) {
  if (!(await page.evaluate(() => !!window.axe))) await page.addScriptTag({ path: AXE });
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

export async function run(browser, args) {
  const dir = siteDirFromArgs("a11y.mjs", args);
  const site = new Site(browser, dir);
  console.log(`site: ${site.dir}`);
  const counts = {};
  for (const colorScheme of ["light", "dark"]) {
    let page = null;
    let at = "";
    for (const [i, [name, path, prepare]] of PAGES.entries()) {
      const rel = path || at;
      await check(site, `axe: ${name} (${rel}), ${colorScheme}`, async () => {
        if (path) {
          page = await site.open(rel, { colorScheme });
          at = rel;
          await page.waitForLoadState("load");
        }
        assert(page, `${name}: no page to go on with`);
        const theme = await page.evaluate(() => document.documentElement.dataset.theme);
        assert(theme === colorScheme, `the page is in the ${theme} theme`);
        if (prepare) await prepare(page);
        const violations = await axe(page);
        counts[`${colorScheme} ${name}`] = Object.fromEntries(violations.map((v) => [v.id, v.nodes]));
        const total = violations.reduce((n, v) => n + v.nodes, 0);
        assert(
          violations.length === 0,
          `${total} violations:\n` + violations.map((v) => `${v.id} ×${v.nodes} (${v.impact}): ${v.examples.join(" | ")}`).join("\n"),
        );
        return "0 violations";
      });
      // Closed once the entries that go on with it are done.
      if (page && !(PAGES[i + 1] && PAGES[i + 1][1] === "")) {
        await page.context().close();
        page = null;
      }
    }
  }
  console.log(`axe counts: ${JSON.stringify(counts)}`);
}

await main(import.meta.url, "a11y.mjs", run);
