// Runnable lesson code on the bundled course's bigram lesson, in headless Chromium from file://:
//
//   node tests/browser/runnable.mjs <site-dir>
//
// The page's nine ```python runnable``` blocks get a Run button. Run one by one, three
// dependent blocks (the names, the counts from them, the probabilities from the counts) and
// the three after them share their state: the sampling block prints the lesson's names. Run
// first, the eighth block fails for want of the blocks above and offers "Run all above", which
// runs them all in order. The last block counts the model from the census names, which it
// loads with `load_dataset` (the split the build put beside it), and prints the perplexity
// its `# expect:` line says. With JavaScript off the blocks are plain highlighted code.
import { Site, assert, check, main, siteDirFromArgs, until, RUN_TIMEOUT } from "./lib.mjs";

const PAGE = "ml/bigram-names.html";

/** Clicks block `i`'s Run button and waits for its run to end; returns its output's text. */
async function runBlock(page, i) {
  const block = page.locator("div.lb-runnable").nth(i);
  await block.locator(".lb-run-button").click();
  await until(async () => (await block.getAttribute("aria-busy")) === "false", `block ${i + 1}: still running after ${RUN_TIMEOUT} ms`, RUN_TIMEOUT);
  return outputOf(page, i);
}

async function outputOf(page, i) {
  const out = page.locator("div.lb-runnable").nth(i).locator(".lb-run-output");
  return (await out.isHidden()) ? null : (await out.textContent()).trim();
}

export async function run(browser, args) {
  const site = new Site(browser, siteDirFromArgs("runnable.mjs", args));
  console.log(`site: ${site.dir}`);
  try {
    await check(site, "three dependent blocks run one by one share their state", async () => {
      const page = await site.open(PAGE);
      const blocks = page.locator("div.lb-runnable");
      assert((await blocks.count()) === 9, `9 runnable blocks, found ${await blocks.count()}`);
      assert((await page.locator(".lb-run-button").count()) === 9, "one Run button per block");
      // NAMES, then count_bigrams(NAMES)'s definition, then normalise: each uses the one before.
      for (const i of [0, 1, 2]) {
        const out = await runBlock(page, i);
        assert(out === "(no output)", `block ${i + 1} defines names and prints nothing, got ${JSON.stringify(out)}`);
      }
      const check1 = await page.evaluate(() => document.querySelectorAll(".lb-run-above").length);
      assert(check1 === 0, "blocks run in order offer no 'Run all above'");
      for (const i of [3, 4]) await runBlock(page, i);
      const names = await runBlock(page, 5);
      assert(names.startsWith("eliabah\nozwmivia\nsuvfdjbxvara"), `the sampling block prints the lesson's names, got ${JSON.stringify(names)}`);
      // A block that needs the state of the blocks before it, in a later run.
      await runBlock(page, 6);
      const nll = await runBlock(page, 7);
      assert(nll === "1.799 6.04", `the eighth block uses the model of blocks 1-6, got ${JSON.stringify(nll)}`);
      // The census names: both splits of the book's dataset, counted with the blocks' functions.
      const census = await runBlock(page, 8);
      assert(census === "4131 1032 10.41", `the census block, as its # expect: line, got ${JSON.stringify(census)}`);
      return "blocks 1-9 each run alone, in order";
    });

    await check(site, "a later block run first offers Run all above", async () => {
      const page = await site.open(PAGE);
      const last = page.locator("div.lb-runnable").nth(7);
      const out = await runBlock(page, 7);
      assert(out.includes("NameError"), `run first, the last block misses average_nll: ${JSON.stringify(out)}`);
      assert(out.includes("7 blocks above have not run yet"), `it says why: ${JSON.stringify(out)}`);
      await last.getByRole("button", { name: "Run all above", exact: true }).click();
      await until(async () => (await last.getAttribute("aria-busy")) === "false" && (await outputOf(page, 7)) === "1.799 6.04", "Run all above runs every block in order", RUN_TIMEOUT);
      const names = await outputOf(page, 5);
      assert(names && names.startsWith("eliabah"), `each block's output is under it: ${JSON.stringify(names)}`);
      assert((await page.locator(".lb-run-error").count()) === 0, "no error left after Run all above");
      await site.screenshot(page, "runnable-run-all-above");
      return "8 blocks in one run";
    });

    await check(site, "with JavaScript off the blocks are highlighted code", async () => {
      const page = await site.open(PAGE, { javaScriptEnabled: false });
      assert((await page.locator(".lb-run-button").count()) === 0, "no Run button without JavaScript");
      const code = await page.locator("div.lb-runnable pre.code").first().textContent();
      assert(code.startsWith("import math"), `the block's code is shown: ${JSON.stringify(code.slice(0, 40))}`);
      assert((await page.locator("div.lb-runnable pre.code span").count()) > 10, "the code is highlighted");
    });
  } finally {
    await site.close();
  }
}

await main(import.meta.url, "runnable.mjs", run);
