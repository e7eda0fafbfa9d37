// The first Run a student feels, in headless Chromium from file://: click to output, on a page
// with an exercise, measured two ways (issue 14, "Speed a student feels"):
//
//   cargo build && target/debug/labbook build --root tests/fixtures/exercise-browser --out /tmp/ex
//   node benches/browser/first-run.mjs /tmp/ex [runs]
//
// - idle-warm: the page has been open for 2 s (it fetched and compiled the runtime while idle),
//   then Run is clicked;
// - cold: Run is clicked as soon as the editor is there, in a fresh browser context, so the
//   runtime's script is loaded, decoded, gunzipped and compiled after the click.
// Each is the time from the click to the output panel's summary, taken in the page
// (performance.now), over `runs` fresh contexts (default 7): median and worst. Targets from the
// issue, printed beside them: idle-warm < 300 ms, cold < 1 s. No assertions: this reports.
import { launch, Site, siteDirFromArgs } from "../../tests/browser/lib.mjs";

/** Clicks the first Run button and resolves to the milliseconds until the output summary shows. */
function clickToOutput(page) {
  return page.evaluate(
    () =>
      new Promise((resolve) => {
        const block = document.querySelector("section.lb-exercise");
        const output = block.querySelector(".lb-ex-output");
        const run = [...block.querySelectorAll("button")].find((b) => b.textContent === "Run");
        const t0 = performance.now();
        const done = () => {
          if (output.querySelector(".lb-ex-summary")) resolve(performance.now() - t0);
          else requestAnimationFrame(done);
        };
        run.click();
        done();
      }),
  );
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const dir = siteDirFromArgs("first-run.mjs");
  const runs = Number(process.argv[3] || 7);
  const browser = await launch();
  const site = new Site(browser, dir);
  const rel = site.findPage(/<section class="lb-exercise"/);
  const times = { "idle-warm": [], cold: [] };
  try {
    for (let i = 0; i < runs; i++) {
      for (const mode of ["cold", "idle-warm"]) {
        const page = await site.open(rel);
        await page.locator(".lb-ed-input").first().waitFor();
        if (mode === "idle-warm") await page.waitForTimeout(2000);
        times[mode].push(await clickToOutput(page));
        await site.close();
      }
    }
  } finally {
    await site.close();
    await browser.close();
  }
  console.log(`first Run, click to output, ${rel}, ${runs} fresh contexts each (Chromium ${browser.version()})`);
  const target = { "idle-warm": 300, cold: 1000 };
  for (const [mode, xs] of Object.entries(times)) {
    console.log(`  ${mode.padEnd(10)} median ${median(xs).toFixed(0).padStart(5)} ms, worst ${Math.max(...xs).toFixed(0).padStart(5)} ms   target < ${target[mode]} ms   [${xs.map((x) => x.toFixed(0)).join(", ")}]`);
  }
}

main().catch((error) => {
  console.error(`first-run.mjs crashed: ${error && error.stack ? error.stack : error}`);
  process.exit(1);
});
