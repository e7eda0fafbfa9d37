// A doc-builder folder built by labbook (tests/fixtures/docbuilder), in headless Chromium from
// file:// (run by tests/browser.rs): a quiz from the Hugging Face course's `<Question>`
// answers; the PyTorch/TensorFlow switch shows one version, is remembered across a reload and
// on another page, and works with JavaScript off; `<hfoptions>` tabs switch (fourteen of them
// too); `isExpanded: false` folds a section; axe finds nothing.
//
//   node tests/browser/docbuilder.mjs <site-dir>
//
// Prints one line per check; exits 0 when all pass, 1 when one fails.
import { createRequire } from "node:module";
import { Site, assert, check, main, reloadUntil, siteDirFromArgs, until } from "./lib.mjs";

const require = createRequire(import.meta.url);
const AXE = require.resolve("axe-core/axe.min.js");

/** Which framework versions of the page show. */
async function shown(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll(".hf-fw")].map((e) => `${e.dataset.fw}:${e.getBoundingClientRect().height > 0}`),
  );
}

export async function run(browser, args) {
  const site = new Site(browser, siteDirFromArgs("docbuilder.mjs", args));

  await check(site, "a course <Question> is a quiz that answers", async () => {
    const page = await site.open("chapter2/9.html");
    const quizzes = page.locator(".quiz");
    assert((await quizzes.count()) === 3, `expected 3 quizzes, found ${await quizzes.count()}`);
    const quiz = quizzes.first();
    const result = quiz.locator(".quiz-result");
    await quiz.locator('.quiz-choice:not([data-correct="true"]) label').first().click();
    await quiz.locator(".quiz-check").click();
    const wrong = await until(async () => (await result.textContent()).trim(), "no result after a wrong answer");
    await quiz.locator('.quiz-choice[data-correct="true"] label').first().click();
    await quiz.locator(".quiz-check").click();
    const right = await until(async () => {
      const t = (await result.textContent()).trim();
      return t && t !== wrong && t;
    }, "no new result after the right answer");
    const explain = quiz.locator('.quiz-choice[data-correct="true"] .quiz-explain');
    assert(await explain.isVisible(), "the right answer's explanation (the course's `explain`) stays hidden");
    // The third question has several right answers: a checkbox quiz.
    const multiple = quizzes.nth(2);
    assert((await multiple.getAttribute("data-multiple")) === "true", "question 3 is not multiple-choice");
    for (const choice of await multiple.locator('.quiz-choice[data-correct="true"] label').all()) await choice.click();
    await multiple.locator(".quiz-check").click();
    const all = await until(async () => (await multiple.locator(".quiz-result").textContent()).trim(), "no result on question 3");
    return `wrong -> "${wrong}", right -> "${right}", multiple -> "${all}"`;
  });

  await check(site, "the framework switch shows PyTorch, switches, and is remembered", async () => {
    const page = await site.open("chapter1/2.html");
    let state = await shown(page);
    assert(state.every((s) => s.startsWith("pt:") === s.endsWith(":true")), `at first: ${state}`);
    await page.locator(".hf-fw-switch label", { hasText: "TensorFlow" }).first().click();
    state = await until(async () => {
      const s = await shown(page);
      return s.every((x) => x.startsWith("tf:") === x.endsWith(":true")) && s;
    }, `TensorFlow not shown after choosing it: ${await shown(page)}`);
    const tfChecked = () =>
      page.evaluate(() => [...document.querySelectorAll(".hf-fw-switch input[value=tf]")].every((i) => i.checked));
    assert(await tfChecked(), "every switch of the page follows the choice");
    await page.reload();
    await reloadUntil(page, tfChecked, "the choice is not remembered after a reload");
    const other = await page.context().newPage();
    await other.goto(site.url("chapter2/9.html"));
    await until(
      () => other.evaluate(() => document.querySelector(".hf-fw-switch input[value=tf]")?.checked),
      "the choice is not remembered on another page",
    );
    return `${state.length} blocks`;
  });

  await check(site, "with JavaScript off, both versions are there, PyTorch shows, the switch still works", async () => {
    const page = await site.open("chapter1/2.html", { javaScriptEnabled: false });
    const state = await shown(page);
    assert(state.includes("pt:true") && state.includes("tf:false"), `at first: ${state}`);
    await page.locator(".hf-fw-switch label", { hasText: "TensorFlow" }).first().click();
    const after = await shown(page);
    assert(after.includes("tf:true") && !after.includes("pt:true"), `after choosing TensorFlow: ${after}`);
  });

  await check(site, "<hfoptions> tabs show one option at a time", async () => {
    const page = await site.open("chapter1/3.html");
    const visible = () =>
      page.evaluate(() => [...document.querySelectorAll('.hf-tabs[data-group="installation"] .hf-tab')].filter((t) => t.getBoundingClientRect().height > 0).map((t) => t.dataset.value));
    assert(JSON.stringify(await visible()) === '["pip"]', `at first: ${await visible()}`);
    await page.locator(".hf-tab-label", { hasText: "conda" }).click();
    await until(async () => JSON.stringify(await visible()) === '["conda"]', `after choosing conda: ${await visible()}`);
  });

  await check(site, "fourteen <hfoption>s: each shows alone, the last one too", async () => {
    const page = await site.open("chapter1/3.html");
    const group = page.locator('.hf-tabs[data-group="languages"]');
    const visible = () =>
      group.evaluate((g) => [...g.querySelectorAll(".hf-tab")].filter((t) => t.getBoundingClientRect().height > 0).map((t) => t.dataset.value));
    assert(JSON.stringify(await visible()) === '["l1"]', `at first: ${await visible()}`);
    for (const [label, value] of [["Thirteen", "l13"], ["Fourteen", "l14"], ["Two", "l2"]]) {
      await group.locator(".hf-tab-label", { hasText: new RegExp(`^\\s*${label}$`) }).click();
      await until(async () => JSON.stringify(await visible()) === `["${value}"]`, `after choosing ${label}: ${await visible()}`);
    }
    // The labels stay one bar above the panels.
    const [first, last, panel] = await Promise.all([
      group.locator(".hf-tab-label").first().boundingBox(),
      group.locator(".hf-tab-label").last().boundingBox(),
      group.locator('.hf-tab[data-value="l2"]').boundingBox(),
    ]);
    assert(panel.y > Math.max(first.y, last.y), `a panel above a label: ${JSON.stringify({ first, last, panel })}`);
  });

  await check(site, "the toctree's isExpanded: false starts folded; new/quiz/subtitle show", async () => {
    const page = await site.open("chapter2/9.html");
    const part = page.locator("#sidebar li.toc-part", { hasText: "1. Switches and tabs" });
    await until(async () => (await part.getAttribute("class")).includes("collapsed"), "the isExpanded: false part is open");
    assert(!(await page.locator("#sidebar a", { hasText: "Framework blocks" }).first().isVisible()), "its pages show");
    const other = page.locator("#sidebar li.toc-part", { hasText: "2. Using" });
    assert(!(await other.getAttribute("class")).includes("collapsed"), "a part without isExpanded starts open");
    assert(await page.locator("#sidebar .toc-badge", { hasText: "Quiz" }).isVisible(), "the quiz badge");
    await part.locator(".toc-part-title").first().click();
    await until(() => page.locator("#sidebar .toc-subtitle", { hasText: "Both frameworks" }).isVisible(), "unfolding shows the subtitle");
    // On one of its pages the section is open.
    const inside = await site.open("chapter1/3.html");
    const here = inside.locator("#sidebar li.toc-part", { hasText: "1. Switches and tabs" });
    await until(async () => !(await here.getAttribute("class")).includes("collapsed"), "the current page's section is folded");
  });

  await check(site, "search finds the pages", async () => {
    const page = await site.open("chapter1/3.html");
    await page.keyboard.press("/");
    await page.waitForSelector(".search-dialog:not([hidden])", { timeout: 3000 });
    const hits = {};
    for (const [query, want] of [["flash attention", "chapter1/1.html"], ["tokenizer", "chapter2/9.html"], ["conda", "chapter1/3.html"]]) {
      await page.fill("#search-input", query);
      const hrefs = await until(
        () =>
          page.evaluate((q) => {
            if (document.getElementById("search-input").value !== q) return null;
            const items = [...document.querySelectorAll(".search-results a.search-hit-link")].map((a) => a.getAttribute("href"));
            // Results of this query, not the one before (each link carries its query).
            const fresh = items.length && items.every((h) => h.includes(`q=${encodeURIComponent(q)}`));
            return fresh ? items : null;
          }, query),
        `no results for \`${query}\``,
      );
      assert(hrefs.some((h) => h.split("#")[0].split("?")[0].endsWith(want)), `\`${query}\` does not find ${want}: ${hrefs}`);
      hits[query] = hrefs.length;
    }
    return JSON.stringify(hits);
  });

  // The course excerpt goes from its title straight to `### 1. …` questions: the authors'
  // heading levels, which labbook keeps as written, so axe's heading-order rule is off there.
  for (const [rel, off] of [
    ["chapter1/1.html", []],
    ["chapter1/2.html", []],
    ["chapter1/3.html", []],
    ["chapter2/9.html", ["heading-order"]],
  ]) {
    await check(site, `axe: ${rel}`, async () => {
      const page = await site.open(rel);
      await page.addScriptTag({ path: AXE });
      const violations = await page.evaluate(async (off) => {
        const rules = Object.fromEntries(off.map((id) => [id, { enabled: false }]));
        const out = await window.axe.run(document, { resultTypes: ["violations"], preload: false, rules });
        return out.violations.map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
      }, off);
      assert(violations.length === 0, violations.join("; "));
    });
  }
  await site.close();
}

await main(import.meta.url, "docbuilder.mjs", run);
