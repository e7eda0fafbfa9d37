// The browser WASI shim and run API (`window.labbook.run`, in the theme's exercise.js) with small
// WASI programs assembled by wasm.mjs, and the exercise block driven on a book-independent page.
//
//   node tests/browser/wasi.mjs <built site>
//
// Writes a throwaway site into a temp folder: the theme's exercise.js/css and labbook.css, taken
// from the `assets/` of a site labbook built with python exercises (exercise.js is joined from
// its parts by the build, see crates/labbook-exercises/src/lib.rs), with its python runtime, which
// grades the output of the other runtimes; a page
// with one exercise block (contract 4's HTML) whose runtime is `cat` (it prints the entry file,
// so stdout checks judge what was typed), and runtime assets in contract 4's format
// (gzip + base64 inside a .js file). Opens it from file:// in headless Chromium.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { Site, assert, check, checkNoRequestLeft, main, reloadUntil, until } from "./lib.mjs";
import { programs } from "./wasm.mjs";

/** The built asset `name` (`exercise.js`) of the site in `siteDir`: `assets/exercise.<hash>.js`. */
export function builtAsset(siteDir, name) {
  const dot = name.lastIndexOf(".");
  const pattern = new RegExp(`^${name.slice(0, dot)}\\.[0-9a-f]{10}\\${name.slice(dot)}$`);
  const found = fs.readdirSync(path.join(siteDir, "assets")).filter((f) => pattern.test(f));
  if (found.length !== 1) throw new Error(`${siteDir}/assets holds ${found.length} files named like ${name}`);
  return path.join(siteDir, "assets", found[0]);
}

/** The python runtime the site in `siteDir` ships: `runtime/python.<hash>.js`. */
function builtPythonRuntime(siteDir) {
  const found = fs.readdirSync(path.join(siteDir, "runtime")).filter((f) => /^python\.[0-9a-f]{10}\.js$/.test(f));
  if (found.length !== 1) throw new Error(`${siteDir}/runtime holds ${found.length} python runtimes`);
  return path.join(siteDir, "runtime", found[0]);
}

/** The python runtime's place in the throwaway site; it grades the output of the others. */
const CHECKS_SRC = "runtime/python.0123456789.js";

/** Contract 4's runtime asset. */
function runtimeAsset(name, bytes) {
  const wasm = zlib.gzipSync(bytes).toString("base64");
  return `(self.labbookRuntimes = self.labbookRuntimes || {})[${JSON.stringify(name)}] = {"encoding": "gzip+base64", "wasm": "${wasm}"};\n`;
}

/** Contract 4's exercise block for the `cat` runtime. */
function exerciseSection(data) {
  const json = JSON.stringify(data).replace(/<\//g, "<\\/");
  return `<section class="lb-exercise" id="exercise-${data.id}" data-exercise="${data.id}" data-runtime="${data.runtime}" data-runtime-src="runtime/${data.runtime}.0123456789.js" data-checks-src="${CHECKS_SRC}">
<h3 class="lb-exercise-title">${data.title}</h3>
<div class="lb-exercise-instructions"><p>Make the program print <code>hello</code>.</p></div>
<div class="lb-exercise-static"><pre class="code"><code>${data.starter}</code></pre></div>
<script type="application/json" class="lb-exercise-data">${json}</script>
</section>`;
}

export const CAT_EXERCISE = {
  id: "echo",
  title: "Say hello",
  runtime: "cat",
  starter: "goodbye\n",
  solution: "hello\nworld 0.5 1.25\n",
  show_solution: "after-attempt",
  hints: ["<p>Start with <code>hello</code>.</p>", "<p>Then <code>world</code> and two numbers.</p>", "<p>The numbers are 0.5 and 1.25.</p>"],
  limits: { time_ms: 1000, memory_bytes: 16 << 20, output_bytes: 4096 },
  request: {
    files: { "notes.txt": "not read\n" },
    entry: "main.py",
    checks: [
      { name: "starts with hello", stdout_regex: "^hello\\n", hidden: false },
      { name: "prints two numbers", stdout_numbers: [0.5, 1.25], tolerance: 0.001, hidden: false },
      { name: "says world", stdout_regex: "world", hidden: true },
    ],
    seed: 0,
  },
  checks: [
    { name: "starts with hello", hidden: false },
    { name: "prints two numbers", hidden: false },
    { name: "says world", hidden: true },
  ],
};

/** Writes the throwaway site into `dir`. */
export function writeSite(dir, builtSite) {
  fs.mkdirSync(path.join(dir, "assets"), { recursive: true });
  fs.mkdirSync(path.join(dir, "runtime"), { recursive: true });
  // ui.js carries window.labbook.t, and exercise.js its own words, as on a built page.
  for (const file of ["ui.js", "exercise.js", "exercise.css", "labbook.css"]) fs.copyFileSync(builtAsset(builtSite, file), path.join(dir, "assets", file));
  for (const [name, build] of Object.entries(programs)) fs.writeFileSync(path.join(dir, "runtime", `${name}.0123456789.js`), runtimeAsset(name, build()));
  fs.copyFileSync(builtPythonRuntime(builtSite), path.join(dir, CHECKS_SRC));
  fs.writeFileSync(
    path.join(dir, "index.html"),
    `<!DOCTYPE html>
<html lang="en" data-root="" data-theme="light" class="js">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>WASI shim</title>
<script src="assets/ui.js"></script>
<link rel="stylesheet" href="assets/labbook.css"><link rel="stylesheet" href="assets/exercise.css"></head>
<body><main class="main"><div class="main-inner"><article class="content">
<h1>WASI shim</h1>
${exerciseSection(CAT_EXERCISE)}
</article></div></main>
<script src="assets/exercise.js" defer></script>
</body></html>
`,
  );
}

/** Runs `program` through window.labbook.run in `page`. */
function runIn(page, runtime, request, limits) {
  return page.evaluate(
    ({ runtime, request, limits, checksSrc }) => window.labbook.run({ runtime, src: `runtime/${runtime}.0123456789.js`, checksSrc, request, limits }),
    { runtime, request, limits, checksSrc: CHECKS_SRC },
  );
}

export async function run(browser, args) {
  const builtSite = args[0];
  if (!builtSite) throw new Error("usage: node wasi.mjs <a site labbook built with python exercises>");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "labbook-wasi-"));
  writeSite(dir, builtSite);
  const site = new Site(browser, dir);
  console.log(`site: ${site.dir}`);
  try {
    const page = await site.open("index.html");

    await check(site, "a WASI command reads its preopened files; writes, escapes, sockets and unknown imports are refused", async () => {
      const result = await runIn(page, "cat", { files: { "main.py": "hello from main.py\n" }, entry: "main.py", checks: [] }, { time_ms: 2000, output_bytes: 4096 });
      const want = "hello from main.py\ncreate: read-only\nescape: refused\nsocket: unsupported\nunknown import: ENOSYS\n";
      assert(result.stdout === want, `stdout is ${JSON.stringify(result.stdout)}, expected ${JSON.stringify(want)}`);
      assert(result.error === null && result.passed === true && !result.stopped, `unexpected result ${JSON.stringify(result)}`);
      return `${result.duration_ms} ms`;
    });

    await check(site, "fd_readdir lists the in-memory directory, subfolders included", async () => {
      const files = { "main.py": "", "notes.txt": "n\n", "data/x.csv": "1,2\n" };
      const result = await runIn(page, "ls", { files, entry: "main.py", checks: [] }, {});
      assert(result.stdout === ".\n..\ndata\nmain.py\nnotes.txt\n", `ls printed ${JSON.stringify(result.stdout)}`);
    });

    await check(site, "a foreign runtime's stdout checks are graded by the python runtime (exact, regex, numbers with tolerance)", async () => {
      const checks = [
        { name: "exact", stdout: "a 1.0005\n", hidden: false },
        { name: "exact wrong", stdout: "b\n", hidden: false },
        { name: "regex", stdout_regex: "^a \\d", hidden: false },
        { name: "numbers", stdout_numbers: [1], tolerance: 0.001, hidden: true },
        { name: "numbers wrong", stdout_numbers: [1], hidden: false },
        { name: "numbers count", stdout_numbers: [1, 2], hidden: false },
      ];
      // `cat` then prints its report lines, which hold no digits; the exact checks see them too.
      const result = await runIn(page, "cat", { files: { "main.py": "a 1.0005\n" }, entry: "main.py", checks }, {});
      const verdict = Object.fromEntries(result.checks.map((c) => [c.name, c.passed]));
      const expected = { exact: false, "exact wrong": false, regex: true, numbers: true, "numbers wrong": false, "numbers count": false };
      assert(JSON.stringify(verdict) === JSON.stringify(expected), `verdicts ${JSON.stringify(verdict)}, expected ${JSON.stringify(expected)}`);
      const message = (name) => result.checks.find((c) => c.name === name).message;
      // The same messages as labbook's wasmtime host: both are labbook-checks.
      assert(message("numbers count") === "expected 2 number(s) in the output, found 1", `count message: ${message("numbers count")}`);
      assert(message("numbers wrong") === "number 1 of the output is 1.0005, expected 1 (tolerance 0.000001)", `value message: ${message("numbers wrong")}`);
      assert(message("exact wrong") === 'line 1 of the output is "a 1.0005", expected "b"', `exact message: ${message("exact wrong")}`);
      assert(result.passed === false, "passed with failing checks");
      assert(result.checks.find((c) => c.name === "numbers").hidden === true, "hidden flag lost");
    });

    await check(site, "an endless loop is terminated at the time limit", async () => {
      const result = await runIn(page, "spin", { files: {}, entry: "main.py", checks: [{ name: "anything", stdout_regex: ".", hidden: false }] }, { time_ms: 1500 });
      assert(result.stopped === "time limit of 1.5 s exceeded", `stopped: ${JSON.stringify(result.stopped)}`);
      assert(result.passed === false, "passed after being stopped");
      assert(result.checks.length === 1 && result.checks[0].passed === false && result.checks[0].message === `stopped: ${result.stopped}`, `checks: ${JSON.stringify(result.checks)}`);
      assert(result.stdout === "spinning\n", `output before the kill is kept: ${JSON.stringify(result.stdout)}`);
      // The first run of a module has a grace period for lazy compilation; the second has none.
      const again = await runIn(page, "spin", { files: {}, entry: "main.py", checks: [] }, { time_ms: 1500 });
      assert(again.stopped === "time limit of 1.5 s exceeded", `second run stopped: ${JSON.stringify(again.stopped)}`);
      return `first run stopped after ${result.duration_ms} ms, the next after ${again.duration_ms} ms`;
    });

    await check(site, "a run can be cancelled (the Stop button's AbortSignal)", async () => {
      const result = await page.evaluate(() => {
        const stop = new AbortController();
        setTimeout(() => stop.abort(), 300);
        return window.labbook.run({ runtime: "spin", src: "runtime/spin.0123456789.js", request: { files: {}, entry: "main.py", checks: [] }, limits: { time_ms: 20000 }, signal: stop.signal });
      });
      assert(result.stopped === "cancelled by the reader" && result.passed === false, `cancelled run: ${JSON.stringify(result)}`);
    });

    await check(site, "output is capped and a flood is stopped", async () => {
      const result = await runIn(page, "flood", { files: {}, entry: "main.py", checks: [] }, { time_ms: 5000, output_bytes: 1000 });
      assert(result.stopped === "output limit of 1000 bytes exceeded", `stopped: ${JSON.stringify(result.stopped)}`);
      assert(result.stdout.length === 1000 && result.truncated === true, `stdout ${result.stdout.length} bytes, truncated ${result.truncated}`);
    });

    await check(site, "the memory limit caps the module's own memory", async () => {
      const capped = await runIn(page, "grow", { files: {}, entry: "main.py", checks: [] }, { memory_bytes: 16 << 20 });
      assert(capped.stdout === "grow: refused\n", `with a 16 MB limit: ${JSON.stringify(capped.stdout)}`);
      const free = await runIn(page, "grow", { files: {}, entry: "main.py", checks: [] }, { memory_bytes: 128 << 20 });
      assert(free.stdout === "grow: allowed\n", `with a 128 MB limit: ${JSON.stringify(free.stdout)}`);
    });

    await check(site, "a non-zero exit is an error that fails every check", async () => {
      const result = await runIn(page, "fail", { files: {}, entry: "main.py", checks: [{ name: "x", stdout: "", hidden: false }] }, {});
      assert(result.error && /exited with status 3/.test(result.error.message), `error: ${JSON.stringify(result.error)}`);
      assert(result.stderr === "something went wrong\n", `stderr: ${JSON.stringify(result.stderr)}`);
      assert(result.checks[0].passed === false && /your program failed: the program exited with status 3/.test(result.checks[0].message), `checks: ${JSON.stringify(result.checks)}`);
    });

    await check(site, "a runtime script is loaded once; one compile per runtime and memory limit", async () => {
      const count = await page.evaluate(() => ({
        scripts: document.querySelectorAll('script[src*="runtime/cat."]').length,
        compiles: performance.getEntriesByName("labbook:runtime-compile").length,
      }));
      assert(count.scripts === 1, `${count.scripts} script tags for runtime/cat`);
      // One per runtime and memory limit: cat, ls, spin, flood, fail, grow twice, python (which
      // graded cat's output), and cat with the exercise block's memory limit, which the page
      // compiled once idle, for the block's first Run.
      assert(count.compiles === 9, `${count.compiles} compiles, expected 9`);
    });
    await page.context().close();

    await check(site, "the exercise block: edit, Check, hints, solution, reload restores", async () => {
      const p = await site.open("index.html");
      p.on("dialog", (d) => d.accept());
      const ex = p.locator("#exercise-echo");
      await until(() => ex.locator(".lb-ed-input").isVisible(), "no editor");
      assert(!(await ex.locator(".lb-exercise-static").isVisible()), "the static starter stays visible");
      const area = ex.locator(".lb-ed-input");
      assert((await area.inputValue()) === "goodbye\n", `editor starts with ${JSON.stringify(await area.inputValue())}`);
      const solution = ex.getByRole("button", { name: "Solution" });
      assert(await solution.isDisabled(), "Solution is enabled before the first attempt");

      await ex.getByRole("button", { name: "Check" }).click();
      const summary = ex.locator(".lb-ex-summary");
      await until(async () => /0 of 3 checks passed/.test(await summary.textContent()), "no summary after Check");
      const msg = await ex.locator(".lb-ex-check-message").first().textContent();
      assert(msg === "the output does not match /^hello\\n/", `first check's message: ${msg}`);
      const hiddenName = await ex.locator(".lb-ex-hidden-check .lb-ex-check-name").textContent();
      assert(/hidden check 1/.test(hiddenName), `hidden check shown as ${hiddenName}`);
      assert((await ex.locator(".lb-ex-hidden-check .lb-ex-check-message").count()) === 0, "a hidden check shows its message");
      assert(!(await solution.isDisabled()), "Solution stays disabled after an attempt");

      // Hints: one per press.
      const hint = ex.locator(".lb-ex-hint");
      await hint.click();
      await hint.click();
      const titles = await ex.locator(".lb-ex-hint-item .lb-ex-panel-title").allTextContents();
      assert(JSON.stringify(titles) === JSON.stringify(["Hint 1 of 3", "Hint 2 of 3"]), `hints shown: ${titles}`);

      // Type the answer with the keyboard: Enter keeps indentation, Tab indents.
      await area.click();
      await p.keyboard.press("Control+A");
      await p.keyboard.type("hello");
      await p.keyboard.press("Enter");
      await p.keyboard.press("Tab");
      await p.keyboard.type("world 0.5 1.2501");
      assert((await area.inputValue()) === "hello\n    world 0.5 1.2501", `typed text is ${JSON.stringify(await area.inputValue())}`);
      await p.keyboard.press("Shift+Tab");
      // A selection of several lines indents and dedents as a whole; undo restores the text.
      await p.keyboard.press("Control+A");
      await p.keyboard.press("Tab");
      assert((await area.inputValue()) === "    hello\n    world 0.5 1.2501", `indenting the selection gave ${JSON.stringify(await area.inputValue())}`);
      await p.keyboard.press("Shift+Tab");
      assert((await area.inputValue()) === "hello\nworld 0.5 1.2501", `dedenting the selection gave ${JSON.stringify(await area.inputValue())}`);
      await p.keyboard.press("Control+Z");
      assert((await area.inputValue()) === "    hello\n    world 0.5 1.2501", `undo gave ${JSON.stringify(await area.inputValue())}`);
      await p.keyboard.press("Shift+Tab");
      // Esc, then Tab, leaves the editor for the buttons.
      await p.keyboard.press("Escape");
      await p.keyboard.press("Tab");
      const focused = await p.evaluate(() => document.activeElement && document.activeElement.textContent);
      assert(focused === "Run", `after Esc and Tab the focus is on ${JSON.stringify(focused)}, expected the Run button`);
      await area.focus();
      // A final newline keeps the last number apart from what `cat` prints next.
      await p.keyboard.press("Control+End");
      await p.keyboard.press("Enter");
      await p.keyboard.press("Control+Shift+Enter");
      await until(async () => /All 3 checks passed/.test(await summary.textContent()), "Ctrl+Shift+Enter did not check, or the checks failed");
      const hl = await ex.locator(".lb-ed-highlight").textContent();
      assert(hl.includes("world 0.5 1.2501"), `the highlight layer shows ${JSON.stringify(hl)}`);
      await site.screenshot(p, "wasi-exercise-passed");

      await p.reload();
      await reloadUntil(
        p,
        async () => (await ex.locator(".lb-ed-input").isVisible()) && (await ex.evaluate((s) => s.classList.contains("lb-exercise-solved"))),
        "after reloads the editor never showed the saved code",
      );
      const restored = await ex.locator(".lb-ed-input").inputValue();
      assert(restored === "hello\nworld 0.5 1.2501\n", `after reload the editor holds ${JSON.stringify(restored)}`);
      assert((await ex.locator(".lb-ex-hint-item").count()) === 2, "revealed hints are not restored");
      assert(!(await ex.getByRole("button", { name: "Solution" }).isDisabled()), "attempts are not restored");
      assert(await ex.evaluate((s) => s.classList.contains("lb-exercise-solved")), "the solved mark is not restored");

      await ex.getByRole("button", { name: "Solution" }).click();
      const shown = await ex.locator(".lb-ex-solution-code").textContent();
      assert(shown.includes("world 0.5 1.25"), `solution panel shows ${JSON.stringify(shown)}`);
      await ex.getByRole("button", { name: "Reset" }).click();
      assert((await ex.locator(".lb-ed-input").inputValue()) === "goodbye\n", "Reset did not restore the starter");
      await p.context().close();
    });

    await check(site, "the editor highlights Python: keywords, names, strings over lines, comments, numbers, builtins", async () => {
      const p = await site.open("index.html");
      const area = p.locator("#exercise-echo .lb-ed-input");
      await area.click();
      await p.keyboard.press("Control+A");
      await p.keyboard.insertText('@cache\ndef f(x):  # it\'s "fine"\n    s = f"""a\nb""" + r\'\\d\'\n    return len(x) * 1.5e3 + 0x1F\n');
      const spans = await p.$$eval("#exercise-echo .lb-ed-highlight span", (all) => all.map((s) => `${s.className.replace("lb-t-", "")}:${s.textContent}`));
      // The token kinds of the build-time grammar (highlight.mjs checks their colours): the
      // decorator's name, parameters, operators, string prefixes, a raw string as a regex.
      const want = ["dec:cache", "kw:def", "fn:f", "param:x", "com:# it's \"fine\"", "op:=", "pre:f", 'str:"""a', 'str:b"""', "op:+", "pre:r", "str:'", "const:\\d", "str:'", "kw:return", "bi:len", "op:*", "num:1.5e3", "op:+", "num:0x1F"];
      assert(JSON.stringify(spans) === JSON.stringify(want), `highlighted ${JSON.stringify(spans)}, expected ${JSON.stringify(want)}`);
      const lines = await p.$$eval("#exercise-echo .lb-ed-gutter > div", (all) => all.length);
      assert(lines === 6, `${lines} line numbers for 5 lines and the empty one after the last newline`);
      await p.context().close();
    });

    await checkNoRequestLeft(site);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main(import.meta.url, "wasi.mjs", run);
