// Shared helpers for the headless-Chromium checks of a built labbook site.
//
// A `Site` opens pages of one built site from file:// and watches everything they do:
// every request must stay inside the site folder (or be data:/blob:), no request may fail,
// and no console error or uncaught page error may happen. `check()` runs one named check,
// prints one line for it, and charges any of those problems to the check that caused them.
//
// Every script has the same frame, written once here: it exports `run(browser, args)` and ends
// with `main(import.meta.url, "<name>.mjs", run)`. Started with `node <name>.mjs args…`, it
// runs alone in its own Chromium; `suite.mjs` imports several scripts and runs them in one.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

/** Flags that keep Chromium quiet, offline and runnable as root in a container. */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** The Chromium binary: env CHROMIUM, else Debian's. */
export function chromiumPath() {
  return process.env.CHROMIUM || "/usr/bin/chromium";
}

/** Starts headless Chromium. */
export async function launch() {
  const executablePath = chromiumPath();
  if (!fs.existsSync(executablePath)) {
    throw new Error(`Chromium not found at ${executablePath} (set CHROMIUM=/path/to/chromium)`);
  }
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS });
}

/** Everything a site's pages did that a check should fail on. */
class Problems {
  constructor() {
    this.list = [];
    this.reported = 0;
  }
  add(kind, text) {
    this.list.push(`${kind}: ${text}`);
  }
  /**
   * Problems not yet charged to a check, each once with a count; marks them charged.
   * Anything that happened between two checks goes to the next one, so nothing is lost.
   */
  take() {
    const fresh = this.list.slice(this.reported);
    this.reported = this.list.length;
    const counts = new Map();
    for (const problem of fresh) counts.set(problem, (counts.get(problem) || 0) + 1);
    return [...counts].map(([problem, n]) => (n > 1 ? `${problem} (${n} times)` : problem));
  }
}

/** One built site, opened in one browser. */
export class Site {
  /**
   * @param {import("playwright-core").Browser} browser
   * @param {string} dir the built site folder
   */
  constructor(browser, dir) {
    this.browser = browser;
    this.dir = fs.realpathSync(path.resolve(dir));
    this.problems = new Problems();
    this.requests = [];
    this.contexts = [];
    this.shotDir = process.env.LABBOOK_SCREENSHOTS || "";
    if (this.shotDir) fs.mkdirSync(this.shotDir, { recursive: true });
  }

  /** file:// URL of a file of the site, e.g. `url("ml/loss.html")`. */
  url(rel = "index.html") {
    return pathToFileURL(path.join(this.dir, rel)).href;
  }

  /** Path of a page relative to the site folder, from its file:// URL (null if outside). */
  relative(url) {
    const u = new URL(url);
    if (u.protocol !== "file:") return null;
    u.hash = "";
    u.search = "";
    const file = path.resolve(fileURLToPath(u));
    if (file !== this.dir && !file.startsWith(this.dir + path.sep)) return null;
    return path.relative(this.dir, file).split(path.sep).join("/");
  }

  /** True when a request to `url` is allowed: inside the site folder, data: or blob:. */
  allowed(url) {
    if (url.startsWith("data:") || url.startsWith("blob:")) return true;
    try {
      return this.relative(url) !== null;
    } catch {
      return false;
    }
  }

  /**
   * A fresh browser context (own storage) watched for stray requests and errors.
   * @param {import("playwright-core").BrowserContextOptions} options
   */
  async context(options = {}) {
    const context = await this.browser.newContext({ colorScheme: "light", viewport: { width: 1280, height: 800 }, ...options });
    this.contexts.push(context);
    // Anything that is not a file of the site is recorded and never reaches the network.
    await context.route(
      (url) => !this.allowed(url.href),
      (route) => route.abort("blockedbyclient"),
    );
    context.on("request", (request) => {
      const url = request.url();
      this.requests.push(url);
      if (!this.allowed(url)) this.problems.add("request outside the site", url);
    });
    context.on("requestfailed", (request) => {
      const url = request.url();
      const failure = request.failure()?.errorText || "failed";
      // A navigation that replaces a page still loading aborts its requests: not a fault.
      if (failure.includes("ERR_ABORTED")) return;
      if (!this.allowed(url)) return; // already reported as outside the site
      this.problems.add("request failed", `${url} (${failure})`);
    });
    context.on("page", (page) => this.watch(page));
    return context;
  }

  /** Watches one page for console errors and uncaught exceptions. */
  watch(page) {
    page.on("console", (message) => {
      if (message.type() === "error") {
        const where = message.location()?.url ? ` [${message.location().url}]` : "";
        this.problems.add("console error", message.text() + where);
      }
    });
    page.on("pageerror", (error) => this.problems.add("page error", `${error.message}\n${error.stack || ""}`));
  }

  /** A new page in a new context, at `rel` (default index.html). */
  async open(rel = "index.html", options = {}) {
    const context = await this.context(options);
    const page = await context.newPage();
    await page.goto(this.url(rel));
    return page;
  }

  /** Saves a screenshot as `<LABBOOK_SCREENSHOTS>/<name>.png` when that env var is set. */
  async screenshot(page, name, options = {}) {
    if (!this.shotDir) return null;
    const file = path.join(this.shotDir, `${name}.png`);
    await page.screenshot({ path: file, ...options });
    return file;
  }

  /** Site-relative paths of every file of the site whose name ends with `ext`, sorted. */
  files(ext = ".html") {
    const out = [];
    const walk = (dir) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (entry.name.endsWith(ext)) out.push(path.relative(this.dir, full).split(path.sep).join("/"));
      }
    };
    walk(this.dir);
    return out.sort();
  }

  /** The first content page (not print/404/toc) whose HTML matches `pattern`, or null. */
  findPage(pattern) {
    const skip = new Set(["print.html", "404.html", "toc.html"]);
    for (const rel of this.files(".html")) {
      if (skip.has(rel)) continue;
      if (pattern.test(fs.readFileSync(path.join(this.dir, rel), "utf8"))) return rel;
    }
    return null;
  }

  async close() {
    for (const context of this.contexts) await context.close().catch(() => {});
    this.contexts = [];
  }
}

/** Counts of passed and failed checks, for the exit code. */
export const results = { passed: 0, failed: 0, skipped: 0 };

/**
 * Runs one named check and prints one line: `ok`, `FAIL` (with the reason) or `skip`.
 * A check fails when `fn` throws, or when the site reported problems (stray requests,
 * failed requests, console or page errors) since the previous check ended. `fn` may return a short note
 * to print after the name, or the string "skip: <why>" to skip.
 */
export async function check(site, name, fn) {
  let note = "";
  let error = null;
  try {
    note = (await fn()) || "";
  } catch (e) {
    error = e;
  }
  const problems = site.problems.take();
  if (!error && typeof note === "string" && note.startsWith("skip:")) {
    results.skipped += 1;
    console.log(`skip  ${name}: ${note.slice(5).trim()}`);
    return false;
  }
  if (!error && problems.length === 0) {
    results.passed += 1;
    console.log(`ok    ${name}${note ? ` (${note})` : ""}`);
    return true;
  }
  results.failed += 1;
  const reasons = [];
  if (error) reasons.push(error && error.message ? error.message : String(error));
  reasons.push(...problems);
  console.log(`FAIL  ${name}: ${reasons.map((r) => r.replace(/\n/g, "\n        ")).join("\n        ")}`);
  return false;
}

/** Throws `message` when `condition` is false. */
export function assert(condition, message) {
  if (!condition) throw new Error(message);
}

/** Polls `fn` until it returns a truthy value or `timeout` ms pass; returns that value or throws `message`. */
export async function until(fn, message, timeout = 10000) {
  const start = Date.now();
  let last;
  for (;;) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    if (Date.now() - start > timeout) {
      const detail = last instanceof Error ? ` (${last.message})` : "";
      throw new Error(message + detail);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Waits until `seen()` holds on `page`, reloading it between tries, for up to 30 s. Under heavy
 * load Chromium can open a file:// document before the localStorage writes of the document it
 * replaces have reached it; a reader never reloads that fast, and reading again shows the saved
 * state. A state that never shows still fails with `message`.
 */
export async function reloadUntil(page, seen, message) {
  await until(
    async () => {
      if (await seen()) return true;
      await page.reload();
      await page.waitForLoadState("load");
      return false;
    },
    message,
    30000,
  );
}

/** How long one run of an exercise may take here: the first compiles 5 MB of wasm on a busy 2-core machine. */
export const RUN_TIMEOUT = 60000;

/** Replaces the text of an exercise block's editor the way a paste does (no auto-indent). */
export async function setCode(page, block, code) {
  const area = block.locator(".lb-ed-input");
  await area.click();
  await page.keyboard.press("Control+A");
  await page.keyboard.press("Delete");
  await page.keyboard.insertText(code);
  assert((await area.inputValue()) === code, "the editor does not hold the pasted code");
}

/** Clicks the block's button `name` (Run, Check) and waits for the run to end; returns the summary line. */
export async function press(block, name) {
  await block.getByRole("button", { name, exact: true }).click();
  await until(async () => (await block.getAttribute("aria-busy")) === "true" || (await block.locator(".lb-ex-summary").count()) > 0, `${name}: the block never showed it was running`, 5000);
  await until(async () => (await block.getAttribute("aria-busy")) === "false", `${name}: still running after ${RUN_TIMEOUT} ms`, RUN_TIMEOUT);
  return (await block.locator(".lb-ex-summary").textContent()).trim();
}

/** The check that every request the site's pages made stayed in its folder (or was data:/blob:). */
export function checkNoRequestLeft(site) {
  return check(site, "no request left the site folder", async () => {
    const outside = site.requests.filter((url) => !site.allowed(url));
    assert(outside.length === 0, `requests outside ${site.dir}: ${[...new Set(outside)].join(", ")}`);
    return `${site.requests.length} requests, all inside the site, data: or blob:`;
  });
}

/**
 * Runs scripts (`{ name, run, args }`, each `run(browser, args)`) one after the other in one
 * Chromium, closes it whatever happens, prints the tally and exits: 0 when every check
 * passed, 1 when one failed or a script crashed (its stack is printed; the next one still runs).
 */
export async function runScripts(scripts) {
  let crashed = 0;
  let browser = null;
  try {
    browser = await launch();
    for (const { name, run, args } of scripts) {
      if (scripts.length > 1) console.log(`== ${name} ${args.join(" ")}`);
      try {
        await run(browser, args);
      } catch (error) {
        crashed += 1;
        console.log(`FAIL  ${name} crashed: ${error && error.stack ? error.stack : error}`);
      }
      // A crashed script leaves its pages open; the next one starts clean.
      for (const context of browser.contexts()) await context.close().catch(() => {});
    }
  } catch (error) {
    crashed += 1;
    console.log(`FAIL  Chromium: ${error && error.stack ? error.stack : error}`);
  } finally {
    if (browser) await browser.close().catch(() => {});
  }
  const { passed, failed, skipped } = results;
  const bad = failed + crashed;
  console.log(`${bad ? "FAILED" : "passed"}: ${passed} ok, ${failed} failed, ${crashed} crashed, ${skipped} skipped`);
  process.exit(bad ? 1 : 0);
}

/** True when the module at `moduleUrl` is the script node was started with. */
function isEntry(moduleUrl) {
  if (!process.argv[1]) return false;
  try {
    return pathToFileURL(fs.realpathSync(process.argv[1])).href === moduleUrl;
  } catch {
    return false;
  }
}

/** A script's last line: runs `run` with the command line's arguments when node started this script. */
export async function main(moduleUrl, name, run) {
  if (isEntry(moduleUrl)) await runScripts([{ name, run, args: process.argv.slice(2) }]);
}

/** `<site-dir>`, the first of a script's arguments (default: the command line's), or exits with usage. */
export function siteDirFromArgs(script, args = process.argv.slice(2)) {
  const dir = args[0];
  if (!dir) {
    console.error(`usage: node ${script} <site-dir>`);
    process.exit(2);
  }
  if (!fs.existsSync(path.join(dir, "index.html"))) {
    console.error(`${script}: ${dir}/index.html does not exist: build the site first`);
    process.exit(2);
  }
  return dir;
}
