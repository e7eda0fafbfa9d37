// Times the Run button in headless Chromium from file://, for benches/exercise.rs: the first
// Run on a fresh page (load, compile and run the runtime), a warm Run after it, and the first
// Run after the runtime was preloaded while the reader was idle (the editor focused first).
//
// usage: node bench-run.mjs <page.html> <runtime>   (prints one JSON line of milliseconds)
import { pathToFileURL } from "node:url";
import { launch } from "./lib.mjs";

const [file, runtime] = process.argv.slice(2);
const url = pathToFileURL(file).href;
const browser = await launch();

/** A fresh page (no cache shared with the previous one) and its first block on `runtime`. */
async function open() {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(url);
  const block = page.locator(`section.lb-exercise[data-runtime="${runtime}"]`).first();
  await block.locator(".lb-ed-input").waitFor();
  return { context, block };
}

/** Clicks Run and waits for the block to finish; the milliseconds it took. */
async function run(block) {
  const started = Date.now();
  await block.getByRole("button", { name: "Run", exact: true }).click();
  await block.locator(".lb-ex-summary").waitFor({ timeout: 120000 });
  await block.page().waitForFunction((el) => el.getAttribute("aria-busy") === "false", await block.elementHandle(), { timeout: 120000 });
  return Date.now() - started;
}

const first = await open();
const cold = await run(first.block);
const warm = [];
for (let i = 0; i < 5; i++) warm.push(await run(first.block));
warm.sort((a, b) => a - b);
await first.context.close();

const idle = await open();
await idle.block.locator(".lb-ed-input").focus();
// The preload compiles the module and makes one empty run; a reader reads for longer than this.
await idle.block.page().waitForTimeout(8000);
const preloaded = await run(idle.block);
await idle.context.close();
await browser.close();
console.log(JSON.stringify({ cold, warm: warm[2], preloaded }));
