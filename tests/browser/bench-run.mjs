// Times the Run button in headless Chromium from file://, for benches/exercise.rs:
// - the first Run of a fresh page (load, compile and run the runtime), clicked as soon as the
//   editor shows, on `samples` fresh pages (the idle warm-up may have begun by then, as for a
//   reader);
// - the same with the idle warm-up held back (no requestIdleCallback), so the click itself
//   loads, compiles and runs the runtime: the worst case, a reader who clicks at once;
// - a warm Run after the first (median of 5);
// - the first Run after the runtime was preloaded while the reader was idle (the editor focused
//   first).
//
// Each is timed inside the page, from the click to the first frame that shows the result; the
// harness's own clock around the first Run (`coldWall`) is printed too.
//
// usage: node bench-run.mjs <page.html> <runtime> [samples]
// prints one JSON line of milliseconds: {cold: [...], clicked: [...], coldWall: [...], warm,
// preloaded}, the lists sorted
import { pathToFileURL } from "node:url";
import { launch } from "./lib.mjs";

const [file, runtime, samples = "5"] = process.argv.slice(2);
const url = pathToFileURL(file).href;
const browser = await launch();

/** A fresh page (no cache shared with the previous one) and its first block on `runtime`. */
async function open({ idle = true } = {}) {
  const context = await browser.newContext();
  // main.js falls back to a timer without requestIdleCallback; one that never calls back holds
  // the warm-up until the reader's own focus or click.
  if (!idle) await context.addInitScript(() => (window.requestIdleCallback = () => 0));
  const page = await context.newPage();
  await page.goto(url);
  const block = page.locator(`section.lb-exercise[data-runtime="${runtime}"]`).first();
  await block.locator(".lb-ed-input").waitFor();
  return { context, block };
}

/**
 * Clicks Run and waits for the block to finish. Two figures in milliseconds: `page`, what the
 * reader waits, timed inside the page from the click event (its timeStamp: when the browser got
 * the click, so a busy main thread counts) to the first frame after the block is no longer busy;
 * and `wall`, the harness's clock around Playwright's click and waits, which adds their round
 * trips to the browser (tens to hundreds of ms on a loaded machine).
 */
async function run(block) {
  const section = await block.elementHandle();
  await section.evaluate((el) => {
    window.__labbookRun = null;
    let clickedAt = null;
    const onClick = (event) => {
      if (clickedAt === null && event.target.closest(".lb-ex-run")) clickedAt = event.timeStamp;
    };
    el.addEventListener("click", onClick, { capture: true });
    const observer = new MutationObserver(() => {
      if (clickedAt === null || el.getAttribute("aria-busy") !== "false") return;
      observer.disconnect();
      el.removeEventListener("click", onClick, { capture: true });
      requestAnimationFrame(() => (window.__labbookRun = performance.now() - clickedAt));
    });
    observer.observe(el, { attributes: true, attributeFilter: ["aria-busy"] });
  });
  const started = Date.now();
  await block.getByRole("button", { name: "Run", exact: true }).click();
  await block.locator(".lb-ex-summary").waitFor({ timeout: 120000 });
  await block.page().waitForFunction((el) => el.getAttribute("aria-busy") === "false", section, { timeout: 120000 });
  const wall = Date.now() - started;
  const page = await (await block.page().waitForFunction(() => window.__labbookRun, null, { timeout: 120000 })).jsonValue();
  return { page: Math.round(page), wall };
}

const sorted = (list) => list.sort((a, b) => a - b);
const cold = [];
const clicked = [];
const coldWall = [];
let warm = [];
for (let i = 0; i < +samples; i++) {
  const first = await open();
  const time = await run(first.block);
  cold.push(time.page);
  coldWall.push(time.wall);
  if (i === 0) for (let k = 0; k < 5; k++) warm.push((await run(first.block)).page);
  await first.context.close();
  const held = await open({ idle: false });
  clicked.push((await run(held.block)).page);
  await held.context.close();
}
warm = sorted(warm);

const idle = await open();
await idle.block.locator(".lb-ed-input").focus();
// The preload compiles the module and makes one empty run; a reader reads for longer than this.
await idle.block.page().waitForTimeout(8000);
const preloaded = (await run(idle.block)).page;
await idle.context.close();
await browser.close();
console.log(JSON.stringify({ cold: sorted(cold), clicked: sorted(clicked), coldWall: sorted(coldWall), warm: warm[2], preloaded }));
