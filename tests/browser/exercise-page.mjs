// What a page loads for exercises, and how the keyboard reaches them, in headless Chromium from
// file:// on a built site with exercises (the fixture tests/fixtures/exercise-browser):
//
//   node tests/browser/exercise-page.mjs <site-dir>
//
// - exercise.js is loaded only by pages with an exercise (or a model's Try-it widget);
// - a page with an exercise fetches its runtime once it is idle, before any click or focus;
// - skip links at the top of the page lead to each exercise: Tab, Tab, Enter, Tab reaches the
//   editor.
import fs from "node:fs";
import path from "node:path";
import { Site, assert, check, main, siteDirFromArgs, until } from "./lib.mjs";

const scriptsOf = (html) => [...html.matchAll(/<script src="([^"]+)"/g)].map((m) => m[1].replace(/^(\.\.\/)*/, ""));

export async function run(browser, args) {
  const dir = siteDirFromArgs("exercise-page.mjs", args);
  const site = new Site(browser, dir);
  console.log(`site: ${site.dir}`);
  const withExercise = site.findPage(/<section class="lb-exercise"/);
  assert(withExercise, "the site has no page with an exercise");

  await check(site, "exercise.js is loaded by the pages with an exercise and by no other", async () => {
    const loaders = [];
    for (const rel of site.files(".html")) {
      if (rel === "print.html") continue; // the book for printing shows the static code only
      const html = fs.readFileSync(path.join(site.dir, rel), "utf8");
      const loads = scriptsOf(html).some((s) => /^assets\/exercise\.[0-9a-f]{10}\.js$/.test(s));
      const needs = html.includes('<section class="lb-exercise"') || html.includes('class="model-widget"');
      assert(loads === needs, `${rel} ${loads ? "loads" : "does not load"} exercise.js but ${needs ? "has" : "has no"} exercise or widget`);
      if (loads) loaders.push(rel);
    }
    const page = await site.open("index.html");
    const api = await page.evaluate(() => typeof (window.labbook && window.labbook.run));
    assert(api === "undefined", "the run API is defined on a page without exercises");
    return `loaded by ${loaders.join(", ")}`;
  });

  await check(site, "a page with an exercise fetches its runtime once idle, before any click", async () => {
    const before = site.requests.length;
    const page = await site.open(withExercise);
    await until(
      () => site.requests.slice(before).some((url) => /\/runtime\/python\.[0-9a-f]{10}\.js$/.test(url)),
      "the runtime was not requested within 10 s of opening the page",
      10000,
    );
    const focused = await page.evaluate(() => document.activeElement === document.body);
    assert(focused, "something took the focus, so the runtime may have been loaded by focus, not idleness");
    // The compiled module is ready for the first Run.
    await until(() => page.evaluate(() => performance.getEntriesByName("labbook:runtime-compile").length > 0), "the runtime was not compiled within 20 s", 20000);
  });

  await check(site, "the idle warm-up makes one empty run per runtime module, not one per exercise", async () => {
    const context = await site.context();
    // Count the run workers the page starts (every run gets a fresh Worker).
    await context.addInitScript(() => {
      const Base = window.Worker;
      window.__labbookWorkers = 0;
      window.Worker = class extends Base {
        constructor(...args) {
          super(...args);
          window.__labbookWorkers += 1;
        }
      };
    });
    const page = await context.newPage();
    await page.goto(site.url(withExercise));
    // The modules the page's blocks run on: runtime, script and memory cap (one compiled module each).
    const { blocks, modules } = await page.evaluate(() => {
      const keys = [...document.querySelectorAll("section.lb-exercise")].map((section) => {
        const data = JSON.parse(section.querySelector("script.lb-exercise-data").textContent);
        return `${data.runtime || section.dataset.runtime} ${section.dataset.runtimeSrc} ${(data.limits || {}).memory_bytes || 0}`;
      });
      return { blocks: keys.length, modules: new Set(keys).size };
    });
    assert(blocks > modules, `the page's ${blocks} exercises run on ${modules} modules: the check needs two blocks on one module`);
    // Every block's warm-up starts from the same compiled module the moment it is ready, so by the
    // time the first empty run has ended, any other would have started its worker long before.
    await until(() => page.evaluate(() => performance.getEntriesByName("labbook:run").length > 0), "no warm-up run ended within 60 s of opening the page", 60000);
    const workers = await page.evaluate(() => window.__labbookWorkers);
    const focused = await page.evaluate(() => document.activeElement === document.body);
    assert(focused, "something took the focus: the runs may not be the idle warm-up's");
    assert(workers === modules, `the idle warm-up started ${workers} run workers for ${blocks} exercises on ${modules} module(s)`);
    return `${blocks} exercises, ${workers} warm-up run`;
  });

  await check(site, "skip links lead from the top of the page to each exercise's editor", async () => {
    const page = await site.open(withExercise);
    const links = await page.$$eval("a.skip-link", (all) => all.map((a) => [a.textContent, a.getAttribute("href")]));
    const sections = await page.$$eval("section.lb-exercise", (all) => all.map((s) => [s.id, s.querySelector(".lb-exercise-title")?.textContent.trim()]));
    assert(links[0] && links[0][1] === "#content", `the first skip link is ${JSON.stringify(links[0])}, not to the content`);
    const want = sections.map(([id, title]) => [`Skip to exercise: ${title}`, `#${id}`]);
    assert(JSON.stringify(links.slice(1)) === JSON.stringify(want), `skip links ${JSON.stringify(links.slice(1))}, expected ${JSON.stringify(want)}`);
    // The keyboard: Tab to the first exercise's link, Enter, Tab: the editor has the focus.
    for (let i = 0; i < sections.length; i++) {
      await page.evaluate(() => {
        document.activeElement && document.activeElement.blur();
        window.scrollTo(0, 0);
      });
      await page.goto(site.url(withExercise));
      await page.locator(".lb-ed-input").first().waitFor();
      let presses = 0;
      for (; presses < 2 + i; presses++) await page.keyboard.press("Tab");
      const label = await page.evaluate(() => document.activeElement.textContent);
      assert(label === want[i][0], `after ${presses} Tabs the focus is on ${JSON.stringify(label)}, not the skip link ${JSON.stringify(want[i][0])}`);
      const linkVisible = await page.evaluate(() => document.activeElement.getBoundingClientRect().top >= 0);
      assert(linkVisible, "the focused skip link is not on screen");
      await page.keyboard.press("Enter");
      await page.keyboard.press("Tab");
      const inEditor = await page.evaluate((id) => {
        const a = document.activeElement;
        return a.classList.contains("lb-ed-input") && a.closest("section.lb-exercise").id === id;
      }, sections[i][0]);
      assert(inEditor, `Enter on "${want[i][0]}" then Tab does not reach that exercise's editor`);
    }
    return `${sections.length} exercises, editor reached in ${sections.length + 3} keys or fewer`;
  });
}

await main(import.meta.url, "exercise-page.mjs", run);
