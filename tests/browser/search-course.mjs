// Search in the bundled course, in headless Chromium from file:// (run by tests/browser.rs):
// typo tolerance, one result per place in a page, maths in excerpts, the filter chips,
// clean result links, API results at their object's anchor, examples ranked below lessons,
// and focus kept inside the search dialog.
//
//   node tests/browser/search-course.mjs <site-dir>
//
// Prints one line per check; exits 0 when all pass, 1 when one fails.
import { Site, assert, check, main, siteDirFromArgs, until } from "./lib.mjs";

/** Opens the search dialog on `page` (if closed), types `query`, waits for its results. */
async function search(page, query, { kind = null } = {}) {
  if (!(await page.$(".search-dialog:not([hidden])"))) {
    await page.keyboard.press("/");
    await page.waitForSelector(".search-dialog:not([hidden])", { timeout: 3000 });
  }
  if (kind !== null) {
    // Filters apply to the query on screen; set the kind first, then type.
    await page.fill("#search-input", query);
    await page.waitForSelector(`.search-filters button[data-field="kind"][data-value="${kind}"]`, { timeout: 3000 });
    await page.click(`.search-filters button[data-field="kind"][data-value="${kind}"]`);
    await until(
      () => page.$eval(`.search-filters button[data-value="${kind}"]`, (b) => b.getAttribute("aria-pressed") === "true"),
      `the ${kind} filter did not turn on`,
    );
  }
  // An empty box clears the list, so what shows next belongs to `query`.
  await page.fill("#search-input", "");
  await until(
    () => page.evaluate(() => !document.querySelector(".search-results li") && !document.querySelector(".search-status").textContent),
    "the result list did not clear",
  );
  if (query === "") {
    await page.waitForSelector(".search-filters:not([hidden]) button", { timeout: 3000 });
    return [];
  }
  await page.fill("#search-input", query);
  return until(
    () =>
      page.evaluate((q) => {
        const input = document.getElementById("search-input");
        const status = document.querySelector(".search-status").textContent;
        const items = [...document.querySelectorAll(".search-results a.search-hit-link")];
        if (input.value !== q || (!items.length && status !== "No results.")) return null;
        return items.map((a) => ({ href: a.getAttribute("href"), excerpt: a.querySelector(".search-excerpt").textContent }));
      }, query),
    `no results rendered for \`${query}\``,
    5000,
  );
}

/** `ml/x.html?q=a%20b#s` -> {path: "ml/x.html", q: "a b", hash: "s"}. */
function parts(href) {
  const url = new URL(href, "file:///site/");
  return { path: url.pathname.replace(/^\/site\//, ""), q: url.searchParams.get("q"), hash: decodeURIComponent(url.hash.slice(1)) };
}

export async function run(browser, args) {
  const dir = siteDirFromArgs("search-course.mjs", args);
  const site = new Site(browser, dir);
  console.log(`site: ${site.dir}`);
  const page = await site.open("index.html");
  await page.waitForLoadState("load");

  for (const [typo, expected] of [
    ["grdient", "ml/gradient-descent.html"],
    ["softmx", "ml/softmax.html"],
  ]) {
    await check(site, `the misspelt \`${typo}\` finds ${expected}`, async () => {
      const hits = await search(page, typo);
      const paths = hits.map((h) => parts(h.href).path);
      assert(paths.slice(0, 3).includes(expected), `\`${typo}\` gave ${JSON.stringify(paths)}`);
      return paths.slice(0, 3).join(", ");
    });
  }

  await check(site, "a misspelt word ranks below an exact one: `softmax` and `softmx` agree on the top result", async () => {
    const exact = await search(page, "softmax");
    const typo = await search(page, "softmx");
    assert(parts(exact[0].href).path === parts(typo[0].href).path, `${exact[0].href} vs ${typo[0].href}`);
    // The corrected word, not the typo, travels to the page (where it is highlighted).
    assert(parts(typo[0].href).q === "softmax", `typo result links with q=${parts(typo[0].href).q}`);
  });

  await check(site, "one place in a page gives one result (`gradient descent`)", async () => {
    const hits = await search(page, "gradient descent");
    const places = hits.map((h) => `${parts(h.href).path}#${parts(h.href).hash}`);
    assert(new Set(places).size === places.length, `a place twice: ${JSON.stringify(places)}`);
    const excerpts = hits.map((h) => h.excerpt.trim());
    assert(new Set(excerpts).size === excerpts.length, `the same text twice: ${JSON.stringify(excerpts, null, 1)}`);
    const exercise = hits.find((h) => parts(h.href).hash === "exercise-gradient-step");
    assert(exercise, `no result for the gradient-step exercise: ${JSON.stringify(places)}`);
    assert(parts(exercise.href).path === "ml/gradient-descent.html", `exercise link ${exercise.href}`);
    return places.join(" ");
  });

  await check(site, "maths in excerpts reads as text, not flattened MathML", async () => {
    const hits = await search(page, "gradient descent");
    const all = hits.map((h) => h.excerpt).join("\n");
    assert(!/∂ L ∂ w/.test(all), `flattened maths in: ${all}`);
    assert(all.includes("∂L/∂w"), `no readable ∂L/∂w in: ${all}`);
  });

  await check(site, "result links carry only the query's words", async () => {
    for (const query of ["softmax", "learning rate", "grdient"]) {
      const hits = await search(page, query);
      assert(hits.length > 0, `no results for ${query}`);
      const expected = query === "grdient" ? "gradient" : query;
      for (const h of hits) assert(parts(h.href).q === expected, `\`${query}\`: ${h.href}`);
    }
  });

  await check(site, "an API result lands on its object's anchor", async () => {
    const hits = await search(page, "softmax", { kind: "api" });
    const first = parts(hits[0].href);
    assert(first.path === "api/tinyml.html" && first.hash === "tinyml.softmax", `API result ${hits[0].href}`);
    await page.keyboard.press("Enter");
    await until(() => page.url().includes("api/tinyml.html"), `Enter did not open the API page: ${page.url()}`, 5000);
    await page.waitForLoadState("load");
    const landed = await page.evaluate(() => {
      const el = document.getElementById(decodeURIComponent(location.hash.slice(1)));
      if (!el) return `no element #${location.hash}`;
      const r = el.getBoundingClientRect();
      return r.top >= 0 && r.top < innerHeight ? true : `#${el.id} is at y=${Math.round(r.top)}`;
    });
    assert(landed === true, landed);
    await page.goto(site.url("index.html"));
    await page.waitForLoadState("load");
  });

  await check(site, "`learning rate`: the course first, the guide's examples of it after", async () => {
    const hits = await search(page, "learning rate");
    const paths = hits.map((h) => parts(h.href).path);
    assert(paths[0] === "ml/gradient-descent.html" && parts(hits[0].href).hash === "learning-rate", `first: ${hits[0].href}`);
    // The guide only shows the words in examples (a heading-id table, a template, a demo quiz).
    const firstGuide = paths.findIndex((p) => p.startsWith("guide/"));
    const lastOther = paths.reduce((last, p, i) => (p.startsWith("guide/") ? last : i), -1);
    assert(firstGuide < 0 || firstGuide > lastOther, `a guide page before the course's pages: ${JSON.stringify(paths)}`);
    return paths.join(", ");
  });

  await check(site, "filter chips: the kinds and the top tags, the rest behind \"more\", none clipped", async () => {
    await search(page, "");
    const bar = () =>
      page.$eval(".search-filters", (el) => {
        const box = el.getBoundingClientRect();
        const tags = [...el.querySelectorAll('button[data-field="tag"]')].filter((b) => b.dataset.value);
        const clipped = [...el.querySelectorAll("button")].filter((b) => {
          const r = b.getBoundingClientRect();
          return r.bottom > box.bottom + 0.5 || r.right > box.right + 0.5 || r.height === 0;
        });
        return {
          kinds: el.querySelectorAll('button[data-field="kind"]').length,
          tags: tags.length,
          more: el.querySelector(".search-more-tags")?.textContent || null,
          clipped: clipped.map((b) => b.textContent),
          scrolls: el.scrollHeight > el.clientHeight + 1,
        };
      });
    const before = await bar();
    assert(before.kinds >= 3, `kind chips: ${before.kinds}`);
    assert(before.tags > 0 && before.tags <= 8, `tag chips before "more": ${before.tags}`);
    assert(before.more && /more/.test(before.more), `no "more" button: ${JSON.stringify(before)}`);
    assert(before.clipped.length === 0 && !before.scrolls, `clipped: ${JSON.stringify(before)}`);
    await page.click(".search-more-tags");
    const after = await until(async () => {
      const b = await bar();
      return b.tags > before.tags && b;
    }, "\"more\" showed no more tags");
    assert(after.clipped.length === 0 && !after.scrolls, `clipped after "more": ${JSON.stringify(after)}`);
    return `${before.tags} tags, then ${after.tags}`;
  });

  await check(site, "Tab keeps focus inside the open search dialog (60 presses, both directions)", async () => {
    await search(page, "softmax");
    for (const key of ["Tab", "Shift+Tab"]) {
      for (let i = 0; i < 60; i++) {
        await page.keyboard.press(key);
        const inside = await page.evaluate(() => {
          const a = document.activeElement;
          return a && a.closest(".search-dialog") ? true : `${a ? a.tagName + "#" + a.id + "." + a.className : "nothing"}`;
        });
        assert(inside === true, `after ${i + 1} × ${key} focus is on ${inside}`);
      }
    }
    await page.keyboard.press("Escape");
  });
}

await main(import.meta.url, "search-course.mjs", run);
