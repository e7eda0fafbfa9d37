// The dataset viewer of the bundled course in headless Chromium from file:// (run by
// tests/browser.rs): the census names' train split pages, sorts and filters, loading only the
// shards a view needs; the filter splits and hashes words as viewer.rs does; with JavaScript
// off the page shows the first 100 rows as a plain table; the catalogue filters by facet.
// And `tinyml.load_dataset` in the page: the iris lesson's runnable block prints what its
// `# expect:` line says (which `labbook test` checks under wasmtime), sending the split the
// block names, which loads (a script under runtime/data/) only when the reader runs code; the
// knn-digits exercise's page does not carry the digits, and its solution, which loads them,
// passes.
//
//   node tests/browser/datasets.mjs <site-dir>
//
// Prints one line per check; exits 0 when all pass, 1 when one fails.
import { Site, assert, check, main, press, setCode, siteDirFromArgs, until, RUN_TIMEOUT } from "./lib.mjs";

const PAGE = "datasets/census-1990-given-names/index.html";

export async function run(browser, args) {
  const dir = siteDirFromArgs("datasets.mjs", args);
  const site = new Site(browser, dir);
  console.log(`site: ${site.dir}`);

  /** The first split's viewer once it drew a view: its status and the rows' first cells. */
  const view = (page, ready) =>
    until(
      () =>
        page.evaluate((ready) => {
          const root = document.querySelector(".dataset-viewer");
          if (!root.dataset.ready || Number(root.dataset.ready) < ready || root.hasAttribute("aria-busy")) return null;
          const rows = [...root.querySelectorAll("tbody tr")].map((tr) => [...tr.children].map((c) => c.textContent.trim()));
          return { status: root.querySelector(".dataset-status").textContent, rows, ready: Number(root.dataset.ready) };
        }, ready),
      "the viewer did not draw",
      20000,
    );
  /** The files of the first split (the train split) the page loaded, in order. */
  const loaded = (page) => page.evaluate(() => window.__labbookData.loaded.filter((f) => f.startsWith("viewer/0/")));
  /** The first split's viewer meta (rows per row file: `shard`). */
  const metaOf = (page) => page.evaluate(() => JSON.parse(document.querySelector(".dataset-viewer-data").textContent));
  const shardOf = (meta, row) => `viewer/0/r-${Math.floor(row / meta.shard)}.js`;

  await check(site, "the viewer pages through the rows, 25 at a time, from the page's own rows, then from the shards", async () => {
    const page = await site.open(PAGE);
    const meta = await metaOf(page);
    let v = await view(page, 1);
    assert(v.status === "Rows 1–25 of 4,131 (page 1 of 166)", `status: ${v.status}`);
    assert(v.rows.length === 25 && v.rows[0][0] === "0" && v.rows[0][1] === "aaron", `first row: ${JSON.stringify(v.rows[0])}`);
    // The first 100 rows are in the page: its first four pages load nothing.
    assert(JSON.stringify(await loaded(page)) === "[]", `loaded: ${await loaded(page)}`);
    await page.click(".dataset-next");
    v = await view(page, 2);
    assert(v.status === "Rows 26–50 of 4,131 (page 2 of 166)", `status: ${v.status}`);
    assert(v.rows[0][0] === "25", `first row number: ${v.rows[0][0]}`);
    assert(JSON.stringify(await loaded(page)) === "[]", `loaded: ${await loaded(page)}`);
    for (let n = 3; n <= 5; n++) {
      await page.click(".dataset-next");
      v = await view(page, n);
    }
    assert(v.status === "Rows 101–125 of 4,131 (page 5 of 166)", `status: ${v.status}`);
    assert(v.rows[0][0] === "100" && v.rows.length === 25, `page 5: ${JSON.stringify(v.rows[0])}`);
    const want = [...new Set([100, 124].map((r) => shardOf(meta, r)))];
    assert(JSON.stringify(await loaded(page)) === JSON.stringify(want), `loaded: ${await loaded(page)}, want ${want}`);
    // Rows drawn from a shard look like the page's own.
    const own = await page.evaluate(() => document.querySelector(".dataset-table tbody tr").outerHTML);
    assert(/^<tr><th scope="row">100<\/th><td>[a-z]+<\/td><td>(both|female|male)<\/td><\/tr>$/.test(own), `row: ${own}`);
    for (let n = 6; n <= 9; n++) {
      await page.click(".dataset-prev");
      v = await view(page, n);
    }
    assert(v.rows[0][0] === "0", "back on the first page");
    await page.close();
  });

  await check(site, "a column header sorts descending, ascending and back, loading its order file", async () => {
    const page = await site.open(PAGE);
    await view(page, 1);
    const header = 'th[data-col="0"] button';
    await page.click(header);
    let v = await view(page, 2);
    const asc = await page.$eval('th[data-col="0"]', (th) => th.getAttribute("aria-sort"));
    assert(asc === "ascending", `aria-sort: ${asc}`);
    assert(v.rows[0][1] === "aaron", `ascending starts with ${v.rows[0][1]}`);
    await page.click(header);
    v = await view(page, 3);
    assert(v.rows[0][1] === "zulma" || v.rows[0][1] > v.rows[1][1], `descending starts with ${v.rows[0][1]}`);
    const names = v.rows.map((r) => r[1]);
    assert(names.every((n, i) => i === 0 || names[i - 1] >= n), `not descending: ${names.join(" ")}`);
    const files = await loaded(page);
    // A split of at most 5,000 rows has one order file per column.
    assert(files.includes("viewer/0/o-0-0.js") && !files.includes("viewer/0/o-0-1.js"), `the order file of column 0: ${files}`);
    // The rows of a sorted page come from the shards those rows are in.
    const lastRow = Number(v.rows[0][0]);
    const meta = await metaOf(page);
    assert(files.includes(shardOf(meta, lastRow)), `row ${lastRow}'s shard: ${files}`);
    await page.click('th[data-col="1"] button');
    v = await view(page, 4);
    assert(v.rows[0][2] === "both", `sorted by lists: ${JSON.stringify(v.rows[0])}`);
    await page.close();
  });

  await check(site, "the filter finds rows by word and loads only their shards", async () => {
    const page = await site.open(PAGE);
    await view(page, 1);
    await page.fill('input[name="filter"]', "Both");
    let v = await view(page, 2);
    assert(/^Rows 1–25 of 261 matching “Both” \(page 1 of 11\)$/.test(v.status), `status: ${v.status}`);
    assert(v.rows.every((r) => r[2] === "both"), `a row without "both": ${JSON.stringify(v.rows.find((r) => r[2] !== "both"))}`);
    const files = await loaded(page);
    // "both" is in 261 rows: a dictionary file, and its first postings file, which carries
    // the first page's rows too: no row file.
    assert(files.filter((f) => /^viewer\/0\/t-\d+\.js$/.test(f)).length === 1 && files.filter((f) => /^viewer\/0\/p-\d+-\d+\.js$/.test(f)).length === 1, `${files}`);
    assert(!files.some((f) => /r-\d+\.js$/.test(f)), `the first filtered page loaded row files: ${files}`);
    // The next page: the word's next postings file, and only the row files its rows are in.
    await page.click(".dataset-next");
    v = await view(page, 3);
    assert(/^Rows 26–50 of 261 matching/.test(v.status) && v.rows.every((r) => r[2] === "both"), `page 2: ${v.status}`);
    const meta = await metaOf(page);
    const later = await loaded(page);
    assert(later.filter((f) => /^viewer\/0\/p-\d+-1\.js$/.test(f)).length === 1, `page 2's postings: ${later}`);
    const shards = later.filter((f) => /r-\d+\.js$/.test(f));
    const needed = new Set(v.rows.map((r) => shardOf(meta, Number(r[0]))));
    assert(shards.length > 0 && shards.every((f) => needed.has(f)), `loaded shards no row of the view is in: ${shards.filter((f) => !needed.has(f))}`);
    await page.fill('input[name="filter"]', "both emma");
    v = await view(page, 4);
    assert(v.status.startsWith("No rows") || v.rows.every((r) => r[1] === "emma"), `status: ${v.status}`);
    await page.fill('input[name="filter"]', "emma");
    v = await view(page, 5);
    assert(v.rows.length === 1 && v.rows[0][1] === "emma" && /of 1 matching/.test(v.status), `emma: ${JSON.stringify(v)}`);
    await page.fill('input[name="filter"]', "");
    v = await view(page, 6);
    assert(v.status.startsWith("Rows 1–25 of 4,131"), `cleared: ${v.status}`);
    await page.close();
  });

  await check(site, "the page splits and hashes filter words as viewer.rs does", async () => {
    const page = await site.open(PAGE);
    await view(page, 1);
    const got = await page.evaluate(() => ({
      words: window.__labbookData.words("Hello, wörld-42!"),
      hash: window.__labbookData.fnv("setosa"),
    }));
    // The same cases as viewer::tests::filter_words_come_from_label_names.
    assert(JSON.stringify(got.words) === JSON.stringify(["hello", "wörld", "42"]), `words: ${got.words}`);
    assert(got.hash === 0x1cc479dc, `fnv: ${got.hash.toString(16)}`);
    await page.close();
  });

  await check(site, "with JavaScript off: the first 100 rows as a plain table, no viewer controls", async () => {
    const page = await site.open(PAGE, { javaScriptEnabled: false });
    const got = await page.evaluate(() => {
      const table = document.querySelector(".dataset-table");
      return {
        rows: table.querySelectorAll("tbody tr").length,
        first: table.querySelector("tbody tr td").textContent,
        caption: table.querySelector("caption").textContent.trim(),
        controls: getComputedStyle(document.querySelector(".dataset-controls")).display,
        charts: document.querySelectorAll(".dataset-columns svg").length,
      };
    });
    assert(got.rows === 100 && got.first === "aaron", `rows: ${got.rows}, first: ${got.first}`);
    assert(got.caption.startsWith("The first 100 of 4,131 rows"), `caption: ${got.caption}`);
    assert(got.controls === "none", `controls shown: ${got.controls}`);
    assert(got.charts >= 2, `charts: ${got.charts}`);
    await page.close();
  });

  await check(site, "the catalogue filters datasets by task", async () => {
    const page = await site.open("datasets/index.html");
    await page.waitForSelector(".catalogue-filters:not([hidden])", { timeout: 10000 });
    await page.check('input[name="task"][value="text-generation"]');
    const shown = await until(
      () => page.$$eval(".catalogue-item:not([hidden])", (items) => items.map((li) => li.dataset.id)),
      "no item shown",
    );
    assert(JSON.stringify(shown) === JSON.stringify(["census-1990-given-names"]), `shown: ${shown}`);
    assert(page.url().endsWith("#task=text-generation"), `url: ${page.url()}`);
    await page.close();
  });

  await check(site, "load_dataset in a runnable block prints what labbook test checks", async () => {
    const page = await site.open("ml/learning-from-data.html");
    const block = page.locator("div.lb-runnable", { hasText: 'load_dataset("iris", split="train")' });
    assert((await block.count()) === 1, `one block loads iris, found ${await block.count()}`);
    const files = await block.locator("script.lb-runnable-files").evaluate((s) => JSON.parse(s.textContent));
    assert(JSON.stringify(Object.keys(files)) === JSON.stringify(["datasets/iris/train.json"]), `files: ${Object.keys(files)}`);
    const named = files["datasets/iris/train.json"];
    assert(/^\.\.\/runtime\/data\/iris-default-train\.[0-9a-f]+\.js$/.test(named.script), `the block names the split's script: ${JSON.stringify(named)}`);
    const dataScripts = () => page.evaluate(() => [...document.scripts].filter((s) => s.src.includes("/runtime/data/")).map((s) => s.src));
    assert((await dataScripts()).length === 0, "the split loads before the reader runs code");
    const code = await block.locator("pre").textContent();
    const expected = code
      .split("\n")
      .filter((l) => l.startsWith("# expect: "))
      .map((l) => l.slice("# expect: ".length))
      .join("\n");
    assert(expected === "150 [5.1, 3.5, 1.4, 0.2] 0 1 2", `the block's expect line: ${JSON.stringify(expected)}`);
    await block.locator(".lb-run-button").click();
    await until(async () => (await block.getAttribute("aria-busy")) === "false", "the iris block still runs", RUN_TIMEOUT);
    const out = (await block.locator(".lb-run-output").textContent()).trim();
    assert(out === expected, `printed ${JSON.stringify(out)}, labbook test expects ${JSON.stringify(expected)}`);
    const loaded = await dataScripts();
    assert(loaded.length === 1 && loaded[0].endsWith(named.script.slice(2)), `the run loaded the split's script once: ${loaded}`);
    await page.close();
    return out;
  });

  await check(site, "the knn-digits exercise loads the digits split in the page and its solution passes", async () => {
    const page = await site.open("ml/nearest-neighbours.html");
    const block = page.locator('section.lb-exercise[data-exercise="knn-digits"]');
    await until(() => block.locator(".lb-ed-input").isVisible(), "no editor");
    const data = await block.locator("script.lb-exercise-data").evaluate((s) => JSON.parse(s.textContent));
    const named = data.request.files["datasets/digits/train.json"];
    assert(named && /^\.\.\/runtime\/data\/digits-default-train\.[0-9a-f]+\.js$/.test(named.script), `the request names the split: ${JSON.stringify(named)}`);
    const size = await page.evaluate(() => document.documentElement.outerHTML.length);
    assert(size < 100000, `the page is ${size} characters: the digits travel inside it`);
    const kept = () => page.evaluate((key) => (window.__labbookRuntimeData || {})[key], named.key);
    assert((await kept()) === undefined, "the digits load before the reader runs code");
    await setCode(page, block, data.solution);
    const summary = await press(block, "Check");
    assert(summary.startsWith("All 5 checks passed"), `summary: ${summary}`);
    const split = JSON.parse(await kept());
    assert(split.columns.length === 65 && split.columns[64][0] === "label" && split.columns[64][1].length === 1797, "the run loaded the digits split");
    await page.close();
    return summary;
  });
}

await main(import.meta.url, "datasets.mjs", run);
