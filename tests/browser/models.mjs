// Model pages in headless Chromium from file://: the catalogue's facet filters, text filter,
// sorting and URL-hash state on the `models` fixture; the plain list with JavaScript off;
// and on the bundled course the "Try it" widgets (run in the browser when the build
// ships the python runtime, otherwise a clear message).
//
// usage: node models.mjs <fixture-site> <course-site>
import fs from "node:fs";
import path from "node:path";
import { Site, assert, check, main, until } from "./lib.mjs";


/** Ids of the visible catalogue items, in page order. */
const visible = (page) =>
  page.$$eval(".catalogue-item", (items) => items.filter((li) => !li.hidden).map((li) => li.dataset.id));
/** The count shown beside one facet value. */
const count = (page, facet, value) =>
  page.$eval(`input[name="${facet}"][value="${value}"]`, (box) => box.closest("label").querySelector(".facet-count").textContent);
const hash = (page) => page.evaluate(() => location.hash);

export async function run(browser, args) {
  const [fixtureDir, courseDir] = args;
  if (!fixtureDir || !courseDir || !fs.existsSync(path.join(fixtureDir, "models/index.html"))) {
    console.error("usage: node models.mjs <fixture-site> <course-site> (both built, with models/index.html)");
    process.exit(2);
  }
  const fixture = new Site(browser, fixtureDir);
  const course = new Site(browser, courseDir);
  await check(fixture, "catalogue facets", async () => {
    const page = await fixture.open("models/index.html");
    await page.waitForSelector(".catalogue-filters:not([hidden])");
    assert((await visible(page)).length === 3, "all three models at first");
    assert((await page.textContent(".catalogue-count")) === "3 models", "count line");

    await page.check('input[name="task"][value="text-generation"]');
    assert(JSON.stringify(await visible(page)) === '["story-writer"]', `task filter: ${await visible(page)}`);
    assert((await hash(page)) === "#task=text-generation", `hash ${await hash(page)}`);
    // Counts of other facets follow the filter; the facet's own values keep theirs (OR).
    assert((await count(page, "library", "transformers")) === "1", "transformers 1");
    assert((await count(page, "library", "tinyml")) === "0", "tinyml 0 under the task filter");
    assert((await count(page, "task", "tabular-classification")) === "1", "own facet counts ignore its selection");

    await page.check('input[name="task"][value="tabular-classification"]');
    assert((await visible(page)).length === 2, "OR within a facet");
    await page.check('input[name="license"][value="apache-2.0"]');
    assert(JSON.stringify(await visible(page)) === '["tiny-linear"]', "AND across facets");
    assert((await hash(page)) === "#task=tabular-classification,text-generation&license=apache-2.0", `hash ${await hash(page)}`);

    await page.fill('input[name="q"]', "story");
    assert((await visible(page)).length === 0, "text filter ANDs with facets");
    assert(!(await page.isHidden(".catalogue-empty")), "the empty message shows");
    await page.click(".catalogue-clear");
    assert((await visible(page)).length === 3, "clear shows everything");
    assert((await hash(page)) === "", "and empties the hash");
    await fixture.screenshot(page, "models-catalogue");
    return "task OR, licence AND, text, clear";
  });

  await check(fixture, "catalogue state from the URL hash and sorting", async () => {
    // Opened with the hash already there: the state comes from the URL at load.
    const page = await (await fixture.context()).newPage();
    await page.goto(`${fixture.url("models/index.html")}#language=fr,de&sort=params-desc`);
    await page.waitForSelector(".catalogue-filters:not([hidden])");
    const ids = await visible(page);
    assert(JSON.stringify(ids.sort()) === '["digit-sketch","story-writer"]', `languages fr OR de: ${ids}`);
    assert((await page.inputValue('select[name="sort"]')) === "params-desc", "sort restored");
    assert(await page.isChecked('input[name="language"][value="de"]'), "checkbox restored");
    await page.evaluate(() => { location.hash = "#dataset=fixture/points"; });
    await until(async () => JSON.stringify(await visible(page)) === '["tiny-linear"]', "hashchange applies");
    await page.evaluate(() => { location.hash = ""; });
    await until(async () => (await visible(page)).length === 3, "an empty hash clears");
    await page.selectOption('select[name="sort"]', "params-desc");
    const order = await visible(page);
    assert(order[0] === "tiny-linear", `most parameters first: ${order}`);
    await page.selectOption('select[name="sort"]', "name");
    assert(JSON.stringify(await visible(page)) === '["digit-sketch","story-writer","tiny-linear"]', "by name");
  });

  await check(fixture, "catalogue without JavaScript is a plain list", async () => {
    const page = await fixture.open("models/index.html", { javaScriptEnabled: false });
    const items = await page.$$eval(".catalogue-item a.catalogue-name", (a) => a.map((x) => x.getAttribute("href")));
    assert(items.length === 3, `three links: ${items}`);
    assert(items.includes("tiny-linear/index.html"), "relative links to the model pages");
    assert(!(await page.isVisible(".catalogue-filters")), "no filter form without JS");
  });

  await check(fixture, "model page without JavaScript shows the static examples", async () => {
    const page = await fixture.open("models/tiny-linear/index.html", { javaScriptEnabled: false });
    assert(await page.isVisible(".model-examples"), "examples are listed");
    const scores = await page.$$eval(".model-scores th", (th) => th.map((x) => x.textContent));
    assert(JSON.stringify(scores) === '["left","middle","right"]', `expected scores: ${scores}`);
    assert((await page.textContent(".model-tensors caption")).includes("9 parameters"), "tensor table");
  });

  for (const [id, kind] of [["iris-softmax", "tabular"], ["digits-mlp", "image"], ["names-bigram", "text"]]) {
    await check(course, `Try it on ${id}`, async () => {
      const page = await course.open(`models/${id}/index.html`);
      await page.waitForSelector(".model-widget-live:not([hidden])");
      const data = JSON.parse(await page.textContent(".model-widget-data"));
      assert(data.kind === kind, `kind ${data.kind}`);
      if (kind === "image") {
        // Drawing inks the canvas.
        await page.click(".model-widget-live button.secondary"); // Clear
        const box = await page.locator(".model-canvas").boundingBox();
        await page.mouse.move(box.x + box.width / 2, box.y + 10);
        await page.mouse.down();
        await page.mouse.move(box.x + box.width / 2, box.y + box.height - 10, { steps: 12 });
        await page.mouse.up();
        // Lifting the pen reduces the drawing to the model's 8×8 input, shown beside it.
        const inked = await page.$eval(".model-canvas-preview", (c) => {
          const d = c.getContext("2d").getImageData(0, 0, 8, 8).data;
          let dark = 0;
          for (let i = 0; i < d.length; i += 4) if (d[i] < 128) dark += 1;
          return dark;
        });
        assert(inked >= 6, `a vertical stroke inks a column (${inked} dark pixels)`);
      }
      const hasRuntime = data.runtime && (await page.evaluate(() => !!(window.labbook && window.labbook.run)));
      if (!hasRuntime) {
        await page.click(".model-run");
        await until(async () => (await page.textContent(".model-live-status")).length > 0, "a status message");
        const status = await page.textContent(".model-live-status");
        assert(/runtime/.test(status), `explains the missing runtime: ${status}`);
        return "skip: this build has no python runtime (runtime/python.<hash>.js); checked the message instead";
      }
      // Lifting the pen ran the drawing; let that run finish first, so the output read
      // below is the example's and not the stroke's.
      const runs = async () => Number(await page.getAttribute(".model-widget", "data-runs"));
      if (kind === "image") await until(async () => (await runs()) >= 1, "the drawing ran", 60000);
      const before = await runs();
      // The first example, run in the browser, gives the card's stated output.
      await page.click(".model-live-examples button");
      await until(async () => (await runs()) >= before + 1, "the model ran", 60000);
      const example = data.examples[0];
      if (kind === "text") {
        const text = await page.textContent(".model-live-output pre");
        assert(text === example.output.text, `sampled ${JSON.stringify(text)}, card says ${JSON.stringify(example.output.text)}`);
      } else {
        const rows = await page.$$eval(".model-live-output tr", (tr) => tr.map((r) => [r.querySelector("th").textContent, Number(r.lastChild.textContent)]));
        for (const { label, score } of example.output) {
          const row = rows.find((r) => r[0] === label);
          assert(row && Math.abs(row[1] - score) <= 2e-4, `${label}: ${row && row[1]} vs ${score}`);
        }
      }
      await course.screenshot(page, `model-${id}`);
      return "ran in the browser";
    });
  }
}

await main(import.meta.url, "models.mjs", run);
