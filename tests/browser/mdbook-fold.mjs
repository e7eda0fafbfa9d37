// mdBook's `[output.html.fold]` in headless Chromium from file:// (run by tests/browser.rs), on
// mdBook's own `heading-nav-folded` test book built three ways: as written (`enable = true,
// level = 0`), with `level = 1`, and with `enable = false` (mdBook's default).
//
//   node tests/browser/mdbook-fold.mjs <site-level-0> <site-level-1> <site-off>
//
// Prints one line per check; exits 0 when all pass, 1 when one fails.
import { Site, assert, check, main, until } from "./lib.mjs";

/** The sidebar once toc.js filled it: each entry with children, by its title, folded or not. */
function folds(page) {
  return until(
    () =>
      page.evaluate(() => {
        const out = {};
        for (const list of document.querySelectorAll("#sidebar .toc .toc")) {
          const li = list.parentElement;
          const title = li.querySelector(":scope > .toc-row > a, :scope > .toc-row > span");
          out[title.textContent.replace(/^\s*[\d.]+\s+/, "").trim()] = {
            collapsed: li.classList.contains("collapsed"),
            button: Boolean(li.querySelector(":scope > .toc-row > .toc-toggle")),
          };
        }
        return Object.keys(out).length && out;
      }),
    "the sidebar has no nested lists",
  );
}

export async function run(browser, dirs) {
  if (dirs.length !== 3) {
    console.error("usage: node mdbook-fold.mjs <site-level-0> <site-level-1> <site-off>");
    process.exit(2);
  }
  const [level0, level1, off] = dirs.map((dir) => new Site(browser, dir));
  await check(level0, "level 0: every fold closed, with fold buttons", async () => {
    const state = await folds(await level0.open("next-main.html"));
    assert(state["Introduction"]?.collapsed && state["Introduction"].button, JSON.stringify(state));
    assert(state["Sub chapter"]?.collapsed && state["Sub chapter"].button, JSON.stringify(state));
  });

  await check(level0, "level 0: the current page's path is open; a fold button opens a section", async () => {
    const inner = await folds(await level0.open("sub/inner/index.html"));
    assert(!inner["Introduction"].collapsed && !inner["Sub chapter"].collapsed, JSON.stringify(inner));
    const page = await level0.open("next-main.html");
    await folds(page);
    await page.click("#sidebar li:has(> .toc-row > a[href$='intro.html']) > .toc-row > .toc-toggle");
    const opened = await folds(page);
    assert(!opened["Introduction"].collapsed && opened["Sub chapter"].collapsed, JSON.stringify(opened));
  });

  await check(level1, "level 1: top-level chapters open, deeper ones folded", async () => {
    const state = await folds(await level1.open("next-main.html"));
    assert(!state["Introduction"].collapsed && state["Introduction"].button, JSON.stringify(state));
    assert(state["Sub chapter"].collapsed, JSON.stringify(state));
  });

  await check(off, "folding off: every section open, no fold buttons", async () => {
    const state = await folds(await off.open("next-main.html"));
    for (const [title, s] of Object.entries(state)) {
      assert(!s.collapsed && !s.button, `${title}: ${JSON.stringify(s)}`);
    }
    return `${Object.keys(state).length} sections`;
  });
}

await main(import.meta.url, "mdbook-fold.mjs", run);
