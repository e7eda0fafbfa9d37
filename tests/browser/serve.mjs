// Headless-Chromium checks of `labbook serve`: live reload, kept scroll position, the error
// overlay and stylesheet swaps, on a book that this script edits on disk.
//
//   node tests/browser/serve.mjs <server-url> <book-root>
//
// The book must use a theme folder `themes/custom` (tests/fixtures/theme-override does).
// Prints one line per check; exits 0 when all pass, 1 when one fails, 2 on bad usage.
import fs from "node:fs";
import path from "node:path";
import { Site, assert, check, main, until } from "./lib.mjs";

/** A site served over HTTP: requests must stay on the server, nothing else changes. */
export class ServedSite extends Site {
  constructor(browser, base, root) {
    super(browser, root);
    this.base = base;
  }
  url(rel = "index.html") {
    return new URL(rel, this.base).href;
  }
  allowed(url) {
    return url.startsWith("data:") || url.startsWith("blob:") || url.startsWith(this.base);
  }
}

const write = (file, text) => fs.writeFileSync(file, text);
const WAIT = 15000;

/** Marks the window; the mark is gone once the page has reloaded. */
const mark = (page) => page.evaluate(() => (window.__labbookMark = true));
const marked = (page) => page.evaluate(() => window.__labbookMark === true);
const text = (page) => page.evaluate(() => document.body.innerText);
/** Waits until the page's live-reload stream is open, so that no event is missed. */
const listening = (page) =>
  until(
    () => page.evaluate(() => document.documentElement.dataset.labbookLive === "open"),
    "the page never opened its live-reload stream",
    WAIT,
  );
const overlay = (page) =>
  page.evaluate(() => {
    const box = document.getElementById("labbook-serve-errors");
    return box ? box.innerText : null;
  });

export async function run(browser, args) {
  const [base, root] = args;
  if (!base || !root) {
    console.error("usage: node serve.mjs <server-url> <book-root>");
    process.exit(2);
  }
  const index = path.join(root, "content/index.md");
  const original = fs.readFileSync(index, "utf8");
  const site = new ServedSite(browser, base, root);
  let page = null;
  try {
    await check(site, "the page opens with the live-reload script", async () => {
      page = await site.open("index.html");
      const scripts = await page.evaluate(() => [...document.scripts].map((s) => s.getAttribute("src")));
      assert(scripts.includes("/__labbook/live.js"), `no live.js among ${scripts.join(", ")}`);
      // The event stream is open before the first edit.
      await listening(page);
    });

    await check(site, "an edit reloads the page with the new text", async () => {
      await listening(page);
      await mark(page);
      const filler = Array.from({ length: 120 }, (_, i) => `Paragraph ${i} of filler text.`).join("\n\n");
      write(index, `${original}\n${filler}\n\nEdited while served: one.\n`);
      await until(async () => (await text(page)).includes("Edited while served: one."), "the new text never showed", WAIT);
      await page.waitForLoadState("load");
      assert(!(await marked(page)), "the page changed without a reload?");
    });

    await check(site, "the scroll position survives the reload", async () => {
      await listening(page);
      await page.evaluate(() => window.scrollTo(0, 1500));
      const before = await page.evaluate(() => window.scrollY);
      assert(before > 1000, `the page is too short to scroll (${before})`);
      await mark(page);
      const now = fs.readFileSync(index, "utf8");
      write(index, now.replace("Edited while served: one.", "Edited while served: two."));
      await until(async () => (await text(page)).includes("Edited while served: two."), "the second edit never showed", WAIT);
      await until(async () => Math.abs((await page.evaluate(() => window.scrollY)) - before) < 50,
        `scrollY did not come back to ${before}`, WAIT);
      return `scrollY ${before}`;
    });

    await check(site, "a broken link shows an overlay with file:line, a fix hides it", async () => {
      await listening(page);
      const now = fs.readFileSync(index, "utf8");
      write(index, `${now}\n[broken](nowhere.md)\n`);
      const shown = await until(overlay.bind(null, page), "no error overlay appeared", WAIT);
      assert(/content\/index\.md:\d+:\d+: .*nowhere\.md/.test(shown), `overlay says: ${shown}`);
      write(index, now);
      await until(async () => (await overlay(page)) === null, "the overlay stayed after the fix", WAIT);
    });

    await check(site, "the overlay can be dismissed", async () => {
      await listening(page);
      const now = fs.readFileSync(index, "utf8");
      write(index, `${now}\n[broken](nowhere.md)\n`);
      await until(overlay.bind(null, page), "no error overlay appeared", WAIT);
      await page.click('#labbook-serve-errors button[aria-label="Dismiss"]');
      assert((await overlay(page)) === null, "the overlay is still there");
      // The fix reloads the page.
      await mark(page);
      write(index, now);
      await until(async () => !(await marked(page)), "the page did not reload after the fix", WAIT);
    });

    await check(site, "a stylesheet change applies without a reload", async () => {
      await listening(page);
      await mark(page);
      const css = path.join(root, "themes/custom/static/labbook.css");
      write(css, "body { border-top: 7px solid rgb(1, 2, 3); }\n");
      await until(
        () => page.evaluate(() => getComputedStyle(document.body).borderTopColor === "rgb(1, 2, 3)"),
        "the new stylesheet never applied",
        WAIT,
      );
      assert(await marked(page), "the page reloaded instead of swapping the stylesheet");
    });
  } finally {
    write(index, original);
  }
}

await main(import.meta.url, "serve.mjs", run);
