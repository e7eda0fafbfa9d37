// Bytes a reader's browser loads on a dataset page from file:// (run by benches/datasets.rs):
//
//   node benches/browser/datasets-bytes.mjs <site>/datasets/<id>/index.html <filter word>
//
// From a fresh page each time: (1) until the viewer shows its first page of rows, (2) until it
// shows the first page of rows matching the filter word. Every file:// request is counted
// with its size on disk (the page, style sheets, scripts, shards), and split three ways: the
// viewer's files (viewer/), the dataset page's own files (the page, datasets.js and
// datasets.css, the viewer's files), and the rest, the theme's files every page of the site
// loads. Prints a JSON line {first, filtered, own, viewer, status, files}. No assertions:
// this reports.
import fs from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { launch } from "../../tests/browser/lib.mjs";

const [file, word] = process.argv.slice(2);

async function measure(browser, filter) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const seen = new Map();
  page.on("request", (request) => {
    const url = request.url();
    if (!url.startsWith("file://")) return;
    const path = fileURLToPath(url.split(/[?#]/)[0]);
    if (fs.existsSync(path)) seen.set(path, fs.statSync(path).size);
  });
  await page.goto(pathToFileURL(file).href);
  const ready = (n) =>
    page.waitForFunction((n) => {
      const root = document.querySelector(".dataset-viewer");
      return Number(root.dataset.ready || 0) >= n && !root.hasAttribute("aria-busy");
    }, n, { timeout: 60000 });
  await ready(1);
  let status = await page.$eval(".dataset-status", (s) => s.textContent);
  if (filter) {
    await page.fill('input[name="filter"]', filter);
    await ready(2);
    status = await page.$eval(".dataset-status", (s) => s.textContent);
  }
  await context.close();
  const sum = (keep) => [...seen].filter(([p]) => keep(p)).reduce((a, [, n]) => a + n, 0);
  const bytes = sum(() => true);
  const viewer = sum((p) => p.includes("/viewer/"));
  const own = sum((p) => p.includes("/datasets/") || /\/assets\/datasets\.[0-9a-f]+\.(js|css)$/.test(p));
  return { bytes, own, viewer, status, files: seen.size };
}

const browser = await launch();
const first = await measure(browser, null);
const filtered = await measure(browser, word);
await browser.close();
console.log(`first page: ${first.files} files, ${first.bytes} bytes, the page's own ${first.own}, viewer files ${first.viewer} (${first.status})`);
console.log(`filtered:   ${filtered.files} files, ${filtered.bytes} bytes, the page's own ${filtered.own}, viewer files ${filtered.viewer} (${filtered.status})`);
console.log(
  JSON.stringify({
    first: first.bytes,
    filtered: filtered.bytes,
    own: [first.own, filtered.own],
    viewer: [first.viewer, filtered.viewer],
    status: filtered.status,
    files: [first.files, filtered.files],
  }),
);
