// Several browser test scripts on the same site in one Chromium, one after the other, so a
// Rust test that runs three scripts starts the browser once, not three times.
//
//   node tests/browser/suite.mjs editor.mjs,highlight.mjs,exercise-page.mjs <site-dir>
//
// Each script gets the arguments after the list, as if it had been started alone; the output
// and exit code are those of the scripts run one by one (see `runScripts` in lib.mjs).
import { runScripts } from "./lib.mjs";

const [list, ...args] = process.argv.slice(2);
if (!list) {
  console.error("usage: node suite.mjs <script.mjs>[,<script.mjs>...] <args for each>");
  process.exit(2);
}
const scripts = [];
for (const name of list.split(",")) {
  const { run } = await import(new URL(name, import.meta.url).href);
  if (typeof run !== "function") throw new Error(`${name} exports no run(browser, args)`);
  scripts.push({ name, run, args });
}
await runScripts(scripts);
