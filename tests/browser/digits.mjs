// The digits model's "Try it" widget in headless Chromium from file://: each digit 0–9 is
// drawn with the mouse as a person would (strokes on the large canvas), the widget reduces
// the drawing to the 8×8 inputs of the UCI digits set and runs the model in the browser.
// At least 8 of the 10 drawings must be read as the digit drawn.
//
// usage: node digits.mjs <course-site>
import { Site, assert, check, main, siteDirFromArgs, until } from "./lib.mjs";

const TAU = 2 * Math.PI;
/** Points along a parametric curve, t from a to b (in turns), in the unit square. */
const curve = (f, a, b, n = 24) => Array.from({ length: n + 1 }, (_, i) => f(TAU * (a + ((b - a) * i) / n)));
/** An elliptical arc around (cx, cy), angles in turns, 0 = right, 0.25 = down (screen y). */
const arc = (cx, cy, rx, ry, a, b, n) => curve((t) => [cx + rx * Math.cos(t), cy + ry * Math.sin(t)], a, b, n);
const line = (...points) => points;

/**
 * One way of writing each digit, as strokes in the unit square (y down), written the
 * way a person does: in their usual stroke order and with a margin around the digit.
 */
const DIGITS = {
  0: [arc(0.5, 0.5, 0.24, 0.36, -0.25, 0.77, 36)],
  1: [line([0.4, 0.26], [0.55, 0.12], [0.55, 0.88])],
  2: [[...arc(0.5, 0.32, 0.21, 0.19, 0.55, 1.05, 16), [0.62, 0.5], [0.3, 0.86], [0.74, 0.86]]],
  3: [[...arc(0.48, 0.31, 0.2, 0.17, 0.6, 1.2, 16), ...arc(0.48, 0.67, 0.23, 0.2, -0.23, 0.36, 18)]],
  4: [line([0.58, 0.12], [0.26, 0.6], [0.78, 0.6]), line([0.62, 0.36], [0.62, 0.88])],
  5: [line([0.72, 0.14], [0.34, 0.14], [0.31, 0.46]), arc(0.5, 0.64, 0.23, 0.22, -0.4, 0.33, 20)],
  6: [[[0.66, 0.13], [0.5, 0.2], [0.38, 0.32], [0.31, 0.5], ...arc(0.5, 0.68, 0.2, 0.19, 0.5, -0.5, 24)]],
  7: [line([0.26, 0.14], [0.76, 0.14], [0.42, 0.88])],
  8: [curve((t) => [0.5 + 0.2 * Math.sin(2 * t), 0.5 - 0.37 * Math.cos(t)], 0, 1, 48)],
  9: [[...arc(0.5, 0.33, 0.2, 0.19, 0, -1, 28), [0.7, 0.33], [0.64, 0.88]]],
};

/** Draws `strokes` (unit square) on the widget's canvas with the mouse. */
async function draw(page, strokes) {
  const box = await page.locator(".model-canvas").boundingBox();
  const at = ([x, y]) => [box.x + x * box.width, box.y + y * box.height];
  for (const stroke of strokes) {
    await page.mouse.move(...at(stroke[0]));
    await page.mouse.down();
    for (const point of stroke.slice(1)) await page.mouse.move(...at(point), { steps: 2 });
    await page.mouse.up();
  }
}


/** Draws each digit and counts how many the model reads right. */
export async function run(browser, args) {
  const site = new Site(browser, siteDirFromArgs("digits.mjs", args));
  await check(site, "digits drawn with the mouse are read by the model", async () => {
    const page = await site.open("models/digits-mlp/index.html");
    await page.waitForSelector(".model-widget-live:not([hidden])");
    assert(await page.evaluate(() => !!(window.labbook && window.labbook.run)), "the page has the python runtime");
    const runs = async () => Number((await page.getAttribute(".model-widget", "data-runs")) || 0);
    const idle = async () => !(await page.$eval(".model-widget", (s) => s.classList.contains("model-busy")));
    const read = [];
    for (let digit = 0; digit <= 9; digit++) {
      await page.click(".model-widget-live button.secondary"); // Clear
      const before = await runs();
      await draw(page, DIGITS[digit]);
      await until(async () => (await runs()) > before && (await idle()), `digit ${digit}: the drawing ran`, 60000);
      // The reduced image is what the model was given: values 0–16 whose ink spans the rows.
      const seen = await page.$eval(".model-canvas-preview", (c) => {
        const d = c.getContext("2d").getImageData(0, 0, 8, 8).data;
        const rows = new Set();
        for (let i = 0; i < 64; i++) if (d[i * 4] < 250) rows.add(Math.floor(i / 8));
        return rows.size;
      });
      assert(seen >= 7, `digit ${digit}: the 8×8 image is scaled to fill its height (${seen} rows inked)`);
      const top = await page.$eval(".model-live-output tr th", (th) => th.textContent);
      const score = await page.$eval(".model-live-output tr td:last-child", (td) => td.textContent);
      read.push(`${digit}→${top} (${score})`);
      if (process.env.LABBOOK_SCREENSHOTS) await site.screenshot(page, `digits-drawn-${digit}`);
    }
    const right = read.filter((r) => r[0] === r[2]).length;
    console.log(`digits recognised: ${right} of 10: ${read.join(", ")}`);
    assert(right >= 8, `only ${right} of 10 drawn digits recognised: ${read.join(", ")}`);
    return `${right} of 10 recognised`;
  });
}

await main(import.meta.url, "digits.mjs", run);
