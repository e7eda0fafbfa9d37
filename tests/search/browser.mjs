// Headless-Chromium checks of search in a built site opened from file:// (run by
// tests/search.rs on the tests/fixtures/search-basic book).
//
//   node tests/search/browser.mjs <site-dir>      (from tests/browser, for playwright-core)
//
// Prints one line per check; exits 0 when all pass, 1 when one fails.
import { Site, assert, check, main, siteDirFromArgs, until } from "../browser/lib.mjs";

export async function run(browser, args) {
  const dir = siteDirFromArgs("search/browser.mjs", args);
  const site = new Site(browser, dir);
  console.log(`site: ${site.dir}`);
  let page = null;

  await check(site, "the search button shows with JavaScript", async () => {
    page = await site.open("index.html");
    await page.waitForLoadState("load");
    assert(await page.isVisible("#search-open"), "#search-open is not visible");
  });

  // Search loads lazily: a page the reader does not search loads neither search.js,
  // search.css nor any file of the index (every script and style sheet is a tag in the page,
  // those the theme adds later too).
  const searchFiles = () =>
    page.evaluate(() =>
      [...document.querySelectorAll("script[src], link[rel=stylesheet]")]
        .map((e) => e.src || e.href)
        .filter((n) => /\/assets\/search\.[0-9a-f]+\.(js|css)$|\/search\//.test(n)),
    );
  await check(site, "the page itself links the theme's other files", async () => {
    const all = await page.evaluate(() => [...document.querySelectorAll("script[src]")].map((e) => e.src));
    assert(all.some((n) => /\/assets\/labbook\.[0-9a-f]+\.js$/.test(n)), `no labbook.js among ${all}`);
  });
  await check(site, "a page loads no search file until the reader searches", async () => {
    const files = await searchFiles();
    assert(files.length === 0, `loaded before any search: ${files.join(", ")}`);
  });

  await check(site, "/ opens the search box with the input focused", async () => {
    await page.keyboard.press("/");
    await page.waitForSelector(".search-dialog:not([hidden])", { timeout: 3000 });
    const focused = await page.evaluate(() => document.activeElement && document.activeElement.id);
    assert(focused === "search-input", `focus is on #${focused}`);
    const files = (await searchFiles()).map((n) => n.replace(/.*\//, ""));
    assert(files.some((n) => /^search\.[0-9a-f]+\.js$/.test(n)), `search.js did not load: ${files}`);
    assert(files.some((n) => /^search\.[0-9a-f]+\.css$/.test(n)), `search.css did not load: ${files}`);
  });

  await check(site, "results appear as you type, the best one selected", async () => {
    await page.keyboard.type("learning ra", { delay: 30 });
    const first = await until(
      () => page.evaluate(() => {
        const a = document.querySelector('.search-results [role=option][aria-selected="true"]');
        return a && a.getAttribute("href");
      }),
      "no selected result for `learning ra`",
    );
    assert(first.startsWith("ml/gradient-descent.html?q="), `first result links to ${first}`);
    assert(first.endsWith("#learning-rate"), `first result is not the section: ${first}`);
    // Results come as you type: wait for those of the whole query (`learning` alone marks one word).
    const marks = await until(
      () =>
        page.$$eval(".search-results li:first-child mark", (ms) => {
          const words = ms.map((m) => m.textContent.toLowerCase());
          return words.includes("learning") && words.includes("rate") && words;
        }),
      "the first result's excerpt does not mark both `learning` and `rate`",
    );
    await site.screenshot(page, "search-results");
    return first;
  });

  await check(site, "arrow keys move the selection", async () => {
    const count = await page.$$eval(".search-results a.search-hit-link", (items) => items.length);
    const selected = () => page.$eval('.search-results [role=option][aria-selected="true"]', (li) => li.id);
    const before = await selected();
    await page.keyboard.press("ArrowDown");
    const after = await selected();
    assert(count < 2 || after !== before, `selection stayed on ${before}`);
    await page.keyboard.press("ArrowUp");
    assert((await selected()) === before, "ArrowUp did not come back");
  });

  await check(site, "Enter opens the result and the terms are highlighted there", async () => {
    await page.keyboard.press("Enter");
    await until(() => page.url().includes("ml/gradient-descent.html"), `still at ${page.url()}`, 5000);
    await page.waitForLoadState("load");
    const url = new URL(page.url());
    assert(url.hash === "#learning-rate", `landed without the section anchor: ${page.url()}`);
    const marks = await until(
      () => page.$$eval("article mark.search-hit", (ms) => ms.map((m) => m.textContent.toLowerCase())),
      "no highlighted terms on the landing page",
    );
    assert(marks.length > 0 && marks.some((m) => m.startsWith("learn")), `marks: ${marks}`);
    await site.screenshot(page, "search-landing");
    return `${marks.length} marks`;
  });

  await check(site, "Ctrl+K opens search, Escape closes it", async () => {
    await page.keyboard.press("Control+k");
    await page.waitForSelector(".search-dialog:not([hidden])", { timeout: 3000 });
    await page.keyboard.press("Escape");
    await page.waitForSelector(".search-dialog", { state: "hidden", timeout: 3000 });
  });

  await check(site, "a quoted phrase drops pages with the words apart", async () => {
    await page.keyboard.press("/");
    await page.waitForSelector("#search-input", { state: "visible", timeout: 3000 });
    await page.fill("#search-input", '"cross entropy"');
    // Wait for this query's results, not the previous query's (also one result).
    const hrefs = await until(
      () =>
        page.$$eval(".search-results li a.search-hit-link", (as) => {
          const list = as.map((a) => a.getAttribute("href"));
          return list.some((h) => h.includes("loss.html")) && list;
        }),
      "phrase query did not find loss.html",
    );
    assert(hrefs.length === 1, `phrase results: ${hrefs}`);
    const href = hrefs[0];
    // Links are relative to the page the dialog is on (ml/gradient-descent.html).
    assert(href.startsWith("../ml/loss.html?q=") && href.endsWith("#cross-entropy"), `phrase result: ${href}`);
  });

  await check(site, "tag filters narrow the results and show counts", async () => {
    await page.fill("#search-input", "loss");
    await until(() => page.$$eval(".search-results li", (li) => li.length >= 2), "`loss` should match two pages");
    await page.click('.search-filters button[data-field="tag"][data-value="classification"]');
    await until(
      () => page.$$eval(".search-results li a.search-hit-link", (as) => as.length === 1 && as[0].getAttribute("href").startsWith("../ml/loss.html")),
      "the classification filter should leave loss.html alone",
    );
    const count = await page.$eval('.search-filters button[data-value="classification"] .search-count', (c) => c.textContent);
    assert(count === "1", `classification count for loss: ${count}`);
  });

  await check(site, "without JavaScript the search button is hidden", async () => {
    const plain = await site.open("index.html", { javaScriptEnabled: false });
    assert(!(await plain.isVisible("#search-open")), "#search-open is visible without JavaScript");
  });
}

await main(import.meta.url, "search/browser.mjs", run);
