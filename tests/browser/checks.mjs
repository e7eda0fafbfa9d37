// The table of check cases (crates/labbook-checks/tests/cases.json) in headless Chromium, from
// file://, through the python runtime's "check this stdout" request: the same verdicts and
// messages as the native test of labbook-checks. Then the exercise block of a foreign runtime,
// whose output the page grades with that same request.
//
//   node tests/browser/checks.mjs <site-dir> <cases.json>
//
// <site-dir> is the `exercises` fixture book built by labbook (tests/browser.rs does it): its
// exercise `cat` runs on the foreign runtime `evil` (a WASI `cat`) and has checks, so the page
// carries `data-checks-src`, the python runtime that grades it.
import fs from "node:fs";
import { Site, assert, check, checkNoRequestLeft, main, until } from "./lib.mjs";

const RUN_TIMEOUT = 60000; // the first check request compiles 5 MB of wasm on a busy 2-core machine

export async function run(browser, args) {
  const [dir, casesPath] = args;
  if (!dir || !casesPath) throw new Error("usage: node tests/browser/checks.mjs <site-dir> <cases.json>");
  const cases = JSON.parse(fs.readFileSync(casesPath, "utf8"));
  const site = new Site(browser, dir);
  console.log(`site: ${site.dir}`);
  const page = await site.open("index.html");
  const block = page.locator("#exercise-cat");
  const checksSrc = await block.getAttribute("data-checks-src");

  await check(site, "an exercise on another runtime names the python runtime that grades it", async () => {
    assert(/^runtime\/python\.[0-9a-f]{10}\.js$/.test(checksSrc || ""), `data-checks-src is ${JSON.stringify(checksSrc)}`);
    assert(fs.existsSync(`${site.dir}/${checksSrc}`), `${checksSrc} is not in the site`);
  });

  await check(site, `the ${cases.length} cases of cases.json get their verdicts and messages from the python runtime`, async () => {
    assert(cases.length >= 40, `only ${cases.length} cases`);
    // One request per case: each is judged on its own output, as the native test does.
    const { verdicts, times } = await page.evaluate(
      async ({ cases, src }) => {
        const verdicts = [];
        const times = [];
        for (const c of cases) {
          const checks = [{ ...c.check, name: c.name }];
          const t0 = performance.now();
          verdicts.push((await window.labbook.checkStdout({ src, stdout: c.stdout, checks }))[0]);
          times.push(performance.now() - t0);
        }
        return { verdicts, times };
      },
      { cases, src: checksSrc },
    );
    const wrong = [];
    cases.forEach((c, i) => {
      const v = verdicts[i];
      if (!v || v.name !== c.name || v.passed !== c.passed || v.message !== c.message || v.hidden !== !!c.check.hidden) {
        wrong.push(`${JSON.stringify(c.name)}\n    got      ${JSON.stringify(v)}\n    expected passed=${c.passed} ${JSON.stringify(c.message)}`);
      }
    });
    assert(wrong.length === 0, `${wrong.length} of ${cases.length} cases differ:\n${wrong.join("\n")}`);
    const later = times.slice(1).sort((a, b) => a - b);
    const median = later[Math.floor(later.length / 2)];
    return `${cases.length} cases; first request ${Math.round(times[0])} ms (loads and compiles the runtime), then ${Math.round(median)} ms median`;
  });

  await check(site, "a foreign runtime's output is graded by the python runtime (run API)", async () => {
    const result = await page.evaluate(
      ({ src, checksSrc }) =>
        window.labbook.run({
          runtime: "evil",
          src,
          checksSrc,
          request: {
            files: { "answer.txt": "\u0663 42\n" },
            entry: "answer.txt",
            checks: [
              { name: "unicode digit", stdout_regex: "^\\d 42", hidden: false },
              { name: "numbers", stdout_numbers: [42], tolerance: 0.5, hidden: false },
              { name: "exact", stdout: "42\n", hidden: false },
            ],
          },
          limits: { time_ms: 2000, memory_bytes: 16 << 20, output_bytes: 4096 },
        }),
      { src: await block.getAttribute("data-runtime-src"), checksSrc },
    );
    assert(result.stdout === "\u0663 42\n" && result.error === null, `result ${JSON.stringify(result)}`);
    const got = result.checks.map((c) => [c.name, c.passed, c.message]);
    const want = [
      ["unicode digit", true, ""],
      ["numbers", true, ""],
      ["exact", false, 'line 1 of the output is "\u0663 42", expected "42"'],
    ];
    assert(JSON.stringify(got) === JSON.stringify(want), `checks ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
    assert(result.passed === false, "passed with a failing check");
  });

  await check(site, "the exercise block of a foreign runtime: Check grades the starter, then the solution", async () => {
    await until(() => block.locator(".lb-ed-input").isVisible(), "no editor");
    await block.getByRole("button", { name: "Check" }).click();
    const summary = block.locator(".lb-ex-summary");
    await until(async () => /checks passed|check failed/.test((await summary.count()) ? await summary.textContent() : ""), "no summary after Check", RUN_TIMEOUT);
    const first = await block.locator(".lb-ex-check-message").first().textContent();
    assert(first === 'line 1 of the output is "TODO", expected "42"', `first message: ${first}`);
    await block.locator(".lb-ed-input").fill("42\n");
    await block.getByRole("button", { name: "Check" }).click();
    await until(async () => /All 3 checks passed/.test(await summary.textContent()), "the solution does not pass", RUN_TIMEOUT);
  });

  await checkNoRequestLeft(site);
}

await main(import.meta.url, "checks.mjs", run);
