// A reader's progress in the bundled course, in headless Chromium from file://: quiz answers
// survive a reload; the sidebar ticks a lesson once its exercise is solved and its quizzes
// are answered right; the "Your progress" page counts them per chapter; a copy of the site
// in another folder finds the same progress (storage is keyed by the book's id, not its
// path); and "Download my progress" / "Load progress" carry it to a fresh browser.
//
// usage: node progress.mjs <course-site>   (the site's parent folder must be writable)
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Site, assert, check, main, press, setCode, reloadUntil, siteDirFromArgs, until } from "./lib.mjs";

const copy = path.join("moved", "course-copy");
const LESSON = "ml/softmax.html";
const at = (root, rel) => path.join(root, rel).split(path.sep).join("/");

/** Ticks the correct choices of every quiz on the page and checks them; returns how many. */
async function answerAll(page) {
  const quizzes = page.locator(".quiz");
  const n = await quizzes.count();
  for (let i = 0; i < n; i++) {
    const quiz = quizzes.nth(i);
    const right = quiz.locator('.quiz-choice[data-correct="true"] input');
    for (let k = 0; k < (await right.count()); k++) await right.nth(k).check();
    await quiz.locator(".quiz-check").click();
    assert(await quiz.evaluate((q) => q.classList.contains("quiz-passed")), `quiz ${i + 1} should pass`);
  }
  return n;
}

/** The sidebar mark of the lesson's link: "done", "partial" or "". */
async function mark(page, rel) {
  return page.$eval(`#sidebar .toc a[data-url="${rel}"]`, (a) => {
    const m = a.querySelector(".toc-progress");
    return !m ? "" : m.classList.contains("toc-done") ? "done" : "partial";
  });
}

/** The progress page's row for a lesson: [exercises, quizzes, last activity]. */
async function row(page, rel) {
  return page.$eval(`#progress-report tr[data-path="${rel}"]`, (tr) =>
    [".progress-exercises", ".progress-quizzes", ".progress-last"].map((c) => tr.querySelector(c).textContent),
  );
}

export async function run(browser, args) {
  const siteDir = fs.realpathSync(siteDirFromArgs("progress.mjs", args));
  // The Site is rooted one level up, so the original and its copy are both "inside the site".
  const parent = path.dirname(siteDir);
  const original = path.basename(siteDir);
  const site = new Site(browser, parent);
  let context;
  let downloaded = null;
  await check(site, "a page with nothing to complete loads progress.js only once the reader keeps something", async () => {
    const fresh = await site.context();
    const page = await fresh.newPage();
    await page.goto(site.url(at(original, "index.html")));
    await page.waitForSelector("#sidebar .toc a");
    await page.waitForFunction(() => document.readyState === "complete");
    const loaded = () =>
      page.evaluate(
        () => [...document.scripts].some((s) => /\/assets\/progress\.[0-9a-f]+\.js$/.test(s.src)) || !!(window.labbook && window.labbook.progress),
      );
    assert(!(await loaded()), "a fresh visit to a page without exercises or quizzes loads no progress.js");
    assert(await page.locator(".progress-link").isVisible(), "the top bar links the progress page all the same");
    // Another tab of the book keeps a quiz answer: this page loads progress.js and ticks the lesson.
    const other = await fresh.newPage();
    await other.goto(site.url(at(original, LESSON)));
    await other.waitForSelector(".quiz .quiz-check");
    await answerAll(other);
    await until(loaded, "progress.js loads when another tab keeps something");
    await until(async () => (await mark(page, LESSON)) === "partial", "the sidebar marks the lesson started");
    // A later visit, with something kept, loads it at once.
    // Under load, Chromium may open the reloaded file:// page before the other tab's writes
    // reach it (see reloadUntil): read it again until they have.
    await page.reload();
    await page.waitForSelector("#sidebar .toc a");
    await reloadUntil(page, async () => (await mark(page, LESSON)) === "partial", "the mark is there after a reload");
    await fresh.close();
  });
  await check(site, "a page without progress.js looks for kept progress when its tab is shown again", async () => {
    const fresh = await site.context();
    const page = await fresh.newPage();
    await page.goto(site.url(at(original, "index.html")));
    await page.waitForFunction(() => document.readyState === "complete");
    const loaded = () => page.evaluate(() => [...document.scripts].some((s) => /\/assets\/progress\.[0-9a-f]+\.js$/.test(s.src)));
    assert(!(await loaded()), "a fresh visit loads no progress.js");
    // Something is kept without a storage event reaching this page (a page's own writes
    // fire none in it, as a frozen background tab gets none from other tabs).
    await page.evaluate(() => localStorage.setItem(`labbook:${document.documentElement.dataset.book || "book"}:kept`, "1"));
    assert(!(await loaded()), "no storage event reached the page, so progress.js is not loaded yet");
    await page.evaluate(() => document.dispatchEvent(new Event("visibilitychange")));
    await until(loaded, "progress.js loads when the tab is shown again");
    await fresh.close();
  });
  await check(site, "quiz answers survive a reload", async () => {
    context = await site.context();
    const page = await context.newPage();
    await page.goto(site.url(at(original, LESSON)));
    const first = page.locator(".quiz").first();
    // A wrong answer first: it is kept as wrong.
    await first.locator('.quiz-choice[data-correct="false"] input').first().check();
    await first.locator(".quiz-check").click();
    assert(await first.evaluate((q) => q.classList.contains("quiz-failed")), "the wrong answer fails");
    await page.reload();
    await page.waitForSelector("#sidebar .toc a");
    await reloadUntil(page, () => first.evaluate((q) => q.classList.contains("quiz-failed")), "after a reload the wrong answer is shown as checked and wrong");
    assert(await first.locator('.quiz-choice[data-correct="false"] input').first().isChecked(), "the chosen answer is ticked again");
    const n = await answerAll(page);
    await page.reload();
    await page.waitForSelector("#sidebar .toc a");
    const right = () => page.$$eval(".quiz", (qs) => qs.filter((q) => q.classList.contains("quiz-passed")).length);
    await reloadUntil(page, async () => (await right()) === n, `${await right()} of ${n} quizzes shown as right after a reload`);
    assert((await mark(page, LESSON)) === "partial", `the lesson is only started (its exercise is not solved): ${await mark(page, LESSON)}`);
    await page.close();
    return `${n} quizzes`;
  });

  await check(site, "a solved exercise and right quizzes tick the lesson in the sidebar", async () => {
    const page = await context.newPage();
    await page.goto(site.url(at(original, LESSON)));
    const block = page.locator("section.lb-exercise").first();
    await block.locator(".lb-ed-input").waitFor();
    const data = await block.locator("script.lb-exercise-data").evaluate((s) => JSON.parse(s.textContent));
    await setCode(page, block, data.solution);
    const summary = await press(block, "Check");
    assert(/passed/.test(summary) && !/of/.test(summary), `the solution passes: ${summary}`);
    await until(async () => (await mark(page, LESSON)) === "done", "the sidebar ticks the lesson without a reload");
    // Other pages see it too.
    await page.goto(site.url(at(original, "index.html")));
    await page.waitForSelector("#sidebar .toc a");
    await reloadUntil(page, async () => (await mark(page, LESSON)) === "done", "the tick shows on every page");
    await page.close();
  });

  await check(site, "the progress page counts per chapter", async () => {
    const page = await context.newPage();
    await page.goto(site.url(at(original, "progress.html")));
    await page.waitForSelector("#progress-report:not([hidden])");
    // The lesson's page was closed just before this one opened (see reloadUntil).
    await reloadUntil(
      page,
      async () => (await page.locator("#progress-report:not([hidden])").count()) > 0 && (await row(page, LESSON))[0] === "1 of 1",
      "the progress page never counts the solved exercise",
    );
    const [exercises, quizzes, last] = await row(page, LESSON);
    assert(exercises === "1 of 1", `exercises solved: ${exercises}`);
    assert(quizzes === "3 of 3", `quizzes right: ${quizzes}`);
    assert(last !== "—" && /\d/.test(last), `last activity: ${last}`);
    const other = await row(page, "ml/gradient-descent.html");
    assert(other[0] === "0 of 1" && other[2] === "—", `an untouched chapter: ${other}`);
    const summary = await page.textContent(".progress-summary");
    assert(/You solved 1 of \d+ exercises and answered 3 of \d+ quizzes right/.test(summary), summary);
    await site.screenshot(page, "progress-page");
    await page.close();
    return summary;
  });

  await check(site, "a copy of the site in another folder keeps the progress", async () => {
    fs.rmSync(path.join(parent, copy), { recursive: true, force: true });
    fs.cpSync(siteDir, path.join(parent, copy), { recursive: true });
    const page = await context.newPage();
    await page.goto(site.url(at(copy, LESSON)));
    await page.waitForSelector("#sidebar .toc a");
    await reloadUntil(page, async () => (await mark(page, LESSON)) === "done", "the copy ticks the lesson");
    const passed = await page.$$eval(".quiz", (qs) => qs.filter((q) => q.classList.contains("quiz-passed")).length);
    assert(passed === 3, `quiz answers in the copy: ${passed} of 3`);
    const block = page.locator("section.lb-exercise").first();
    assert(await block.evaluate((s) => s.classList.contains("lb-exercise-solved")), "the exercise is solved in the copy");
    await page.close();
  });

  await check(site, "Download my progress saves a JSON file", async () => {
    const page = await context.newPage();
    await page.goto(site.url(at(copy, "progress.html")));
    await page.waitForSelector("#progress-report:not([hidden])");
    const [download] = await Promise.all([page.waitForEvent("download"), page.click(".progress-download")]);
    const file = path.join(os.tmpdir(), `labbook-progress-${process.pid}.json`);
    await download.saveAs(file);
    downloaded = JSON.parse(fs.readFileSync(file, "utf8"));
    fs.rmSync(file);
    assert(downloaded.format === "labbook-progress" && downloaded.book === "tiny-models-big-ideas", `file header: ${downloaded.format} ${downloaded.book}`);
    assert(downloaded.items["exercise:softmax"] && downloaded.items["exercise:softmax"].passed === true, "the solved exercise is in the file");
    const quizzes = Object.keys(downloaded.items).filter((k) => k.startsWith("quiz:"));
    assert(quizzes.length === 3, `three quiz answers in the file: ${quizzes}`);
    assert(/^tiny-models-big-ideas-progress\.json$/.test(download.suggestedFilename()), download.suggestedFilename());
    await page.close();
    return `${Object.keys(downloaded.items).length} items`;
  });

  await check(site, "Load progress restores it in a fresh browser", async () => {
    const fresh = await site.context();
    const page = await fresh.newPage();
    await page.goto(site.url(at(copy, "progress.html")));
    await page.waitForSelector("#progress-report:not([hidden])");
    assert(/^Nothing yet/.test(await page.textContent(".progress-summary")), "a fresh browser has no progress");
    // A file for another book is refused, and changes nothing.
    const foreign = { ...downloaded, book: "another-book", title: "Another book" };
    await page.setInputFiles(".progress-file", { name: "other.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(foreign)) });
    await until(async () => /another book/i.test(await page.textContent(".progress-status")), "the foreign file is refused");
    await page.setInputFiles(".progress-file", { name: "mine.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(downloaded)) });
    await until(async () => /^Loaded \d+ items/.test(await page.textContent(".progress-status")), "the file is loaded");
    const [exercises, quizzes] = await row(page, LESSON);
    assert(exercises === "1 of 1" && quizzes === "3 of 3", `after loading: ${exercises}, ${quizzes}`);
    await page.goto(site.url(at(copy, LESSON)));
    await page.waitForSelector("#sidebar .toc a");
    await reloadUntil(page, async () => (await mark(page, LESSON)) === "done", "the loaded progress ticks the lesson");
    const passed = await page.$$eval(".quiz", (qs) => qs.filter((q) => q.classList.contains("quiz-passed")).length);
    assert(passed === 3, `loaded quiz answers: ${passed} of 3`);
    await page.close();
  });
}

await main(import.meta.url, "progress.mjs", run);
