// Exercises of a built labbook site in headless Chromium, from file://, with the real Python
// runtime (runtime/python.<hash>.js):
//
//   node tests/browser/exercise.mjs <site-dir>
//
// Every exercise's own solution (from its block's data) is put in the editor and must pass every
// check. On the fixture book tests/fixtures/exercise-browser (exercises `softmax` and `greet`) it also
// types code with the keyboard, sees a failing check's message, an error line marked in the
// editor, an endless loop stopped at the time limit, the code restored after a reload, hints one
// at a time and the Solution button following `show-solution`. Prints the first-run and later-run
// timings. Set LABBOOK_SCREENSHOTS=<dir> for screenshots (light, dark, phone).
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { Site, assert, check, checkNoRequestLeft, main, press, reloadUntil, setCode, siteDirFromArgs, until } from "./lib.mjs";

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

/** Every page with exercise blocks: [{page, ids}]. */
function exercisePages(site) {
  const out = [];
  for (const rel of site.files(".html")) {
    if (rel === "print.html") continue;
    const html = fs.readFileSync(path.join(site.dir, rel), "utf8");
    const ids = [...html.matchAll(/<section class="lb-exercise"[^>]*data-exercise="([^"]+)"/g)].map((m) => m[1]);
    if (ids.length) out.push({ page: rel, ids });
  }
  return out;
}

/** The block's data (contract 4's JSON). */
function blockData(locator) {
  return locator.locator("script.lb-exercise-data").evaluate((s) => JSON.parse(s.textContent));
}

async function checkItems(block) {
  return block.locator(".lb-ex-check-item").evaluateAll((items) =>
    items.map((li) => ({
      passed: li.classList.contains("lb-ex-pass"),
      name: li.querySelector(".lb-ex-check-name").textContent.replace(/^(Passed|Failed): /, ""),
      message: li.querySelector(".lb-ex-check-message")?.textContent || "",
    })),
  );
}

function runtimeSizes(site) {
  const dir = path.join(site.dir, "runtime");
  if (!fs.existsSync(dir)) return null;
  const out = [];
  for (const file of fs.readdirSync(dir)) {
    const text = fs.readFileSync(path.join(dir, file), "utf8");
    const m = /"wasm":\s*"([^"]*)"/.exec(text);
    if (!m) continue;
    const gz = Buffer.from(m[1], "base64");
    const raw = /gzip/.test(text) ? zlib.gunzipSync(gz) : gz;
    const mb = (n) => `${(n / 1048576).toFixed(2)} MB`;
    out.push(`${file}: ${mb(text.length)} script, ${mb(gz.length)} gzipped wasm, ${mb(raw.length)} wasm, ${mb(zlib.gzipSync(text).length)} script gzipped over HTTP`);
  }
  return out.join("; ");
}

export async function run(browser, args) {
  const dir = siteDirFromArgs("exercise.mjs", args);
  const site = new Site(browser, dir);
  const pages = exercisePages(site);
  console.log(`site: ${site.dir}`);
  console.log(`exercise pages: ${pages.map((p) => `${p.page} [${p.ids.join(", ")}]`).join("; ") || "none"}`);
  const fixture = pages.find((p) => p.ids.includes("softmax") && p.ids.includes("greet"));

  await check(site, "the site has exercise blocks and a runtime asset", async () => {
    assert(pages.length > 0, 'no page has a <section class="lb-exercise">');
    return runtimeSizes(site) || "no runtime/ folder";
  });

  await check(site, "cold first run and later runs through window.labbook.run", async () => {
    if (!pages.length) return "skip: no exercises";
    const p = await site.open(pages[0].page);
    const timing = await p.evaluate(async () => {
      const block = document.querySelector("section.lb-exercise");
      const data = JSON.parse(block.querySelector("script.lb-exercise-data").textContent);
      const entry = data.request.entry || "main.py";
      const code = typeof data.solution === "string" ? data.solution : data.starter;
      const run = () => window.labbook.run({ runtime: data.runtime, src: block.dataset.runtimeSrc, request: { ...data.request, files: { ...data.request.files, [entry]: code } }, limits: data.limits });
      const t0 = performance.now();
      const first = await run();
      const firstMs = performance.now() - t0;
      const later = [];
      for (let i = 0; i < 3; i++) {
        const t = performance.now();
        await run();
        later.push(Math.round(performance.now() - t));
      }
      const m = (name) => Math.round(performance.getEntriesByName(name)[0].duration);
      return { id: data.id, stopped: first.stopped, first: Math.round(firstMs), script: m("labbook:runtime-script"), gunzip: m("labbook:runtime-decode"), compile: m("labbook:runtime-compile"), later };
    });
    await p.context().close();
    assert(!timing.stopped, `${timing.id}: the first run was stopped: ${timing.stopped}`);
    return `${timing.id}: first run ${timing.first} ms (script ${timing.script}, base64+gunzip ${timing.gunzip}, compile ${timing.compile}, the rest running), later runs ${timing.later.join(", ")} ms`;
  });

  await check(site, "every exercise's solution passes all its checks", async () => {
    if (!pages.length) return "skip: no exercises";
    const notes = [];
    for (const { page: rel, ids } of pages) {
      const p = await site.open(rel);
      for (const id of ids) {
        const block = p.locator(`section.lb-exercise[data-exercise="${id}"]`);
        await until(() => block.locator(".lb-ed-input").isVisible(), `${rel}#${id}: no editor`);
        const data = await blockData(block);
        if (data.show_solution === "never") {
          // A solution the page never shows is not in the page: nothing to paste.
          assert(data.solution == null, `${rel}#${id}: show-solution is never, yet the page holds the solution`);
          notes.push(`${id}: no solution in the page`);
          continue;
        }
        await setCode(p, block, data.solution);
        const label = (data.request.checks || []).length ? "Check" : "Run";
        const summary = await press(block, label);
        const items = await checkItems(block);
        const failed = items.filter((c) => !c.passed);
        assert(failed.length === 0 && !/Stopped|raised/.test(summary), `${rel}#${id}: "${summary}"; failing: ${JSON.stringify(failed)}`);
        if (label === "Check") assert(items.length === data.request.checks.length, `${rel}#${id}: ${items.length} results for ${data.request.checks.length} checks`);
      }
      await p.context().close();
    }
    return notes.join("; ");
  });

  if (!fixture) {
    console.log("skip  fixture scenarios: the site is not tests/fixtures/exercise-browser");
  } else {
    const rel = fixture.page;
    let page = null;

    await check(site, "softmax: typing, a failing check's message, Hint and a locked Solution", async () => {
      page = await site.open(rel, { colorScheme: "light" });
      page.on("dialog", (d) => d.accept());
      const block = page.locator("#exercise-softmax");
      await until(() => block.locator(".lb-ed-input").isVisible(), "no editor");
      assert(!(await block.locator(".lb-exercise-static").isVisible()), "the static starter is still shown beside the editor");
      const solution = block.getByRole("button", { name: "Solution" });
      assert(await solution.isDisabled(), "Solution is enabled before any attempt (show-solution: after-attempt)");

      // Typed with the keyboard: Enter keeps (and after a colon adds) indentation.
      const area = block.locator(".lb-ed-input");
      await area.click();
      await page.keyboard.press("Control+A");
      await page.keyboard.press("Delete");
      await page.keyboard.type("import tinyml\n\ndef softmax(xs):\nreturn tinyml.exp(xs)\n");
      await page.keyboard.press("Shift+Tab");
      await page.keyboard.type("print(softmax([1.0, 2.0, 3.0]))");
      const typed = await area.inputValue();
      const want = "import tinyml\n\ndef softmax(xs):\n    return tinyml.exp(xs)\nprint(softmax([1.0, 2.0, 3.0]))";
      assert(typed === want, `typed ${JSON.stringify(typed)}, expected ${JSON.stringify(want)}`);
      const summary = await press(block, "Check");
      assert(/of 3 checks passed/.test(summary), `summary: ${summary}`);
      const items = await checkItems(block);
      const sums = items.find((c) => c.name === "sums to one");
      assert(sums && !sums.passed && sums.message.includes("softmax should sum to 1"), `"sums to one": ${JSON.stringify(sums)}`);
      // A failed hidden check shows its author's feedback, never its own message or code.
      const hidden = items.find((c) => /^hidden check 1$/.test(c.name));
      assert(hidden && hidden.message === "Try your function on very large scores.", `hidden check: ${JSON.stringify(hidden)}`);
      const shown = await block.locator(".lb-ex-checks").textContent();
      assert(!/subtract the largest|1000\.0/.test(shown), `the hidden check gives itself away: ${shown}`);
      const out = await block.locator(".lb-ex-stdout pre").textContent();
      assert(/2\.71828/.test(out), `the output panel shows ${JSON.stringify(out)}`);
      assert(!(await solution.isDisabled()), "Solution stays disabled after a first Check");

      const hint = block.locator(".lb-ex-hint");
      await hint.click();
      let titles = await block.locator(".lb-ex-hint-item .lb-ex-panel-title").allTextContents();
      assert(titles.join("|") === "Hint 1 of 3", `after one press: ${titles}`);
      await hint.click();
      titles = await block.locator(".lb-ex-hint-item .lb-ex-panel-title").allTextContents();
      assert(titles.join("|") === "Hint 1 of 3|Hint 2 of 3", `after two presses: ${titles}`);
      await block.scrollIntoViewIfNeeded();
      await site.screenshot(page, "exercise-light-failing");
      return summary;
    });

    await check(site, "softmax: an error marks its line in the editor", async () => {
      const block = page.locator("#exercise-softmax");
      await setCode(page, block, "import tinyml\n\nprint(undefined_name)\n");
      const summary = await press(block, "Run");
      assert(/NameError/.test(summary) && /line 3/.test(summary), `summary: ${summary}`);
      const marked = await block.locator(".lb-ed-gutter .lb-ed-error").textContent();
      assert(marked === "3", `gutter marks line ${marked}`);
      assert((await block.locator(".lb-ed-highlight .lb-ed-error").count()) === 1, "the line itself is not marked");
      await block.scrollIntoViewIfNeeded();
      await site.screenshot(page, "exercise-light-error");
      await block.locator(".lb-ed-input").focus();
      await page.keyboard.press("End");
      await page.keyboard.type(" ");
      assert((await block.locator(".lb-ed-gutter .lb-ed-error").count()) === 0, "the mark stays after an edit");
    });

    await check(site, "greet: an endless loop is stopped at the time limit", async () => {
      const block = page.locator("#exercise-greet");
      await block.locator(".lb-ed-input").click();
      await page.keyboard.press("Control+A");
      await page.keyboard.press("Delete");
      await page.keyboard.type("while True:\npass");
      assert((await block.locator(".lb-ed-input").inputValue()) === "while True:\n    pass", "auto-indent after a colon");
      await block.locator(".lb-ed-input").press("Control+Enter");
      await until(async () => /Running/.test(await block.locator(".lb-ex-status").textContent()), "no running state with elapsed time", 10000);
      await until(async () => (await block.getAttribute("aria-busy")) === "false", "still running 30 s after the 1 s limit", 30000);
      const summary = (await block.locator(".lb-ex-summary").textContent()).trim();
      assert(summary.startsWith("Stopped: time limit of 1 s exceeded"), `summary: ${summary}`);
      assert((await block.getByRole("button", { name: "Solution" }).count()) === 0, "greet says show-solution: never, yet has a Solution button");
      assert((await block.locator(".lb-ex-hint").count()) === 0, "greet has no hints, yet a Hint button");
      // Its solution (known to this test, not to the page) passes.
      await setCode(page, block, 'print("Hello, world!")\n');
      const passed = await press(block, "Check");
      assert(passed.startsWith("The check passed."), `greet's solution: ${passed}`);
      return summary;
    });

    await check(site, "softmax: code, attempts and hints survive a reload; Solution and Reset", async () => {
      const block = page.locator("#exercise-softmax");
      const before = await block.locator(".lb-ed-input").inputValue();
      await page.reload();
      await reloadUntil(
        page,
        async () => (await block.locator(".lb-ed-input").isVisible()) && (await block.locator(".lb-ed-input").inputValue()) === before,
        "after reloads the editor never showed the saved code",
      );
      const after = await block.locator(".lb-ed-input").inputValue();
      assert(after === before, `after reload the editor holds ${JSON.stringify(after)}, expected ${JSON.stringify(before)}`);
      assert((await block.locator(".lb-ex-hint-item").count()) === 2, "the two revealed hints are not restored");
      const solution = block.getByRole("button", { name: "Solution" });
      assert(!(await solution.isDisabled()), "the attempt is not remembered: Solution is disabled again");
      await solution.click();
      const data = await blockData(block);
      const shown = await block.locator(".lb-ex-solution-code").innerText();
      assert(shown.trim() === data.solution.trim(), "the solution panel does not show the solution");
      await block.locator(".lb-ex-solution").scrollIntoViewIfNeeded();
      await site.screenshot(page, "exercise-light-solution");
      await block.getByRole("button", { name: "Copy into the editor" }).click();
      assert((await block.locator(".lb-ed-input").inputValue()) === data.solution, "Copy into the editor");
      const summary = await press(block, "Check");
      assert(summary.startsWith("All 3 checks passed"), `with the solution: ${summary}`);
      await block.getByRole("button", { name: "Reset" }).click();
      assert((await block.locator(".lb-ed-input").inputValue()) === data.starter, "Reset did not bring the starter back");
      await page.context().close();
    });

    await check(site, "screenshots: dark and phone", async () => {
      for (const [name, options] of [["exercise-dark", { colorScheme: "dark" }], ["exercise-phone-light", { ...PHONE, colorScheme: "light" }], ["exercise-phone-dark", { ...PHONE, colorScheme: "dark" }]]) {
        const p = await site.open(rel, options);
        const block = p.locator("#exercise-softmax");
        await until(() => block.locator(".lb-ed-input").isVisible(), "no editor");
        await setCode(p, block, "import tinyml\n\ndef softmax(xs):\n    return tinyml.exp(xs)  # not yet\n\nprint(softmax([1.0, 2.0, 3.0]))\n");
        await press(block, "Check");
        await block.locator(".lb-ex-hint").click();
        const overflow = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert(overflow <= 0, `${name}: the page scrolls sideways by ${overflow}px`);
        await block.scrollIntoViewIfNeeded();
        await site.screenshot(p, name, { fullPage: true });
        await p.context().close();
      }
    });
  }

  await checkNoRequestLeft(site);
}

await main(import.meta.url, "exercise.mjs", run);
