// Content and polish of the bundled course, in headless Chromium from file:// (run by
// tests/browser.rs): no stale "coming" promises, one sidebar entry per title, chapter 4 named
// alike in the front page's table and the sidebar, the model catalogue in the sidebar and
// written for readers, its filter and sort controls, the iris card's two parameter counts
// explained, the API example's real tensor key, and print.html keeping code text as written.
//
//   node tests/browser/polish.mjs <site-dir>
//
// Prints one line per check; exits 0 when all pass, 1 when one fails.
import { Site, assert, check, main, siteDirFromArgs, until } from "./lib.mjs";

export async function run(browser, args) {
  const dir = siteDirFromArgs("polish.mjs", args);
  const site = new Site(browser, dir);
  console.log(`site: ${site.dir}`);
  const open = async (rel) => {
    const page = await site.open(rel);
    await page.waitForLoadState("load");
    return page;
  };
  /** The sidebar's entries once toc.js filled it: [{text, href}] and the part titles. */
  const sidebar = (page) =>
    until(
      () =>
        page.evaluate(() => {
          const links = [...document.querySelectorAll(".toc a")].map((a) => ({
            text: a.textContent.replace(/^\s*[\d.]+\s+/, "").trim(),
            href: a.getAttribute("href"),
          }));
          const parts = [...document.querySelectorAll(".toc-part-title")].map((p) => p.textContent.trim());
          return links.length && { links, parts };
        }),
      "the sidebar has no links",
    );
  await check(site, "no page promises exercises or models as \"coming\"", async () => {
    for (const rel of ["index.html", "ml/learning-from-data.html", "ml/linear-models.html"]) {
      const page = await open(rel);
      const text = await page.$eval("main", (m) => m.innerText);
      const stale = text.match(/[^.]*\bare coming\b[^.]*\./i);
      assert(!stale, `${rel}: "${stale && stale[0].trim()}"`);
      await page.close();
    }
  });

  await check(site, "the sidebar names each entry once; chapter 4 is named as in the front page's table", async () => {
    const page = await open("index.html");
    const { links, parts } = await sidebar(page);
    const titles = [...links.map((l) => l.text), ...parts];
    const twice = titles.filter((t, i) => titles.indexOf(t) !== i);
    assert(twice.length === 0, `named twice in the sidebar: ${JSON.stringify(twice)}`);
    const inTable = await page.$eval('main table a[href="ml/softmax.html"]', (a) => a.textContent.trim());
    const inSidebar = links.find((l) => l.href.endsWith("ml/softmax.html"));
    assert(inSidebar && inSidebar.text === inTable, `table: "${inTable}", sidebar: "${inSidebar && inSidebar.text}"`);
    await page.close();
  });

  await check(site, "the model catalogue and each model are in the sidebar", async () => {
    const page = await open("ml/softmax.html");
    const { links, parts } = await sidebar(page);
    assert(parts.includes("Models"), `parts: ${JSON.stringify(parts)}`);
    const catalogue = links.find((l) => l.href.endsWith("models/index.html"));
    assert(catalogue, `no link to the catalogue: ${JSON.stringify(links.map((l) => l.href))}`);
    assert(links.some((l) => l.href.endsWith("models/iris-softmax/index.html")), "no link to the iris model");
    await page.click(`.toc a[href="${catalogue.href}"]`);
    await until(() => page.url().endsWith("models/index.html"), `the sidebar link went to ${page.url()}`, 5000);
    await page.close();
  });

  await check(site, "the catalogue: an intro for readers, a whole placeholder, a styled sort control", async () => {
    const page = await open("models/index.html");
    const intro = await page.$eval(".catalogue-intro", (el) => el.innerText);
    assert(!/cargo run|labbook-train|tools\/train/.test(intro), `the intro addresses the maintainer: ${intro}`);
    assert(/try it/i.test(intro), `the intro does not tell readers what they can do: ${intro}`);
    await page.waitForSelector(".catalogue-search input", { state: "visible", timeout: 3000 });
    const fit = await page.$eval(".catalogue-search input", (input) => {
      const style = getComputedStyle(input);
      const context = document.createElement("canvas").getContext("2d");
      context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
      const text = context.measureText(input.placeholder).width;
      const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      return { text: Math.ceil(text), room: Math.floor(room), placeholder: input.placeholder };
    });
    assert(fit.text <= fit.room, `placeholder "${fit.placeholder}" needs ${fit.text}px, has ${fit.room}px`);
    const select = await page.$eval(".catalogue-toolbar select", (el) => {
      const style = getComputedStyle(el);
      return { appearance: style.appearance, radius: parseFloat(style.borderTopLeftRadius), border: style.borderTopStyle };
    });
    assert(select.appearance === "none" && select.radius > 0 && select.border === "solid", `sort control: ${JSON.stringify(select)}`);
    await site.screenshot(page, "catalogue");
    await page.close();
  });

  await check(site, "the iris card says what its 23 parameters count, against the course's 15", async () => {
    const page = await open("models/iris-softmax/index.html");
    const text = await page.$eval("main", (m) => m.innerText);
    assert(/\b23\b/.test(text) && /15 trained parameters/.test(text), "the card does not explain 23 against 15");
    await page.close();
    const home = await open("index.html");
    const homeText = await home.$eval("main", (m) => m.innerText);
    assert(/15 trained parameters/.test(homeText), "the front page does not say its 15 are trained parameters");
    await home.close();
  });

  await check(site, "the API example loads a tensor by its real key", async () => {
    const page = await open("api/tinyml.html");
    const text = await page.$eval("#tinyml\\.load_safetensors", (h) => h.closest("section, .api-function, div").innerText);
    assert(!text.includes("linear.weight"), "the example still uses weights[\"linear.weight\"]");
    assert(text.includes('weights["weight"]'), `no weights["weight"] in: ${text.slice(0, 400)}`);
    await page.close();
  });

  await check(site, "print.html keeps the text of code exactly as the pages show it", async () => {
    const codes = async (rel, scope) => {
      const page = await open(rel);
      const list = await page.$$eval(`${scope} code`, (cs) => cs.map((c) => c.textContent));
      await page.close();
      return list;
    };
    for (const rel of ["guide/theming.html", "guide/writing-content.html"]) {
      const own = await codes(rel, "main");
      const id = "page-" + rel.replace(/\.html$/, "").replace(/\//g, ""); // print_id: the slug of the path
      const printed = await codes("print.html", `#${id}`);
      assert(printed.length === own.length, `${rel}: ${own.length} code elements, ${printed.length} in print.html (#${id})`);
      const changed = own.filter((c, i) => printed[i] !== c);
      assert(changed.length === 0, `${rel}: code rewritten in print.html: ${JSON.stringify(changed.slice(0, 2))} became ${JSON.stringify(printed.filter((c, i) => own[i] !== c).slice(0, 2))}`);
    }
  });
}

await main(import.meta.url, "polish.mjs", run);
