// The classroom loop in headless Chromium from file:// (run by tests/browser.rs):
//
//   node classroom.mjs handin <student-site> <download-dir> <softmax-solution.py>
//     In the student edition of the bundled course: the pages carry no answer; renaming
//     tinyml.softmax (`from tinyml import softmax as sm`) fails the softmax exercise's `forbid`
//     check with the rule's message; the softmax exercise is solved, the k-NN one wrongly; every
//     quiz on those two pages is answered (first choice) and saved; "Hand in my work" asks for
//     the name and downloads `<book>-<student>.labbook-work.json` into <download-dir>; axe finds
//     nothing on the hand-in page.
//
//   node classroom.mjs feedback <folder> <feedback-page>
//     The feedback page `labbook grade --work` wrote (relative to <folder>) opens from file://,
//     shows the score, the checks and the quiz answers, loads nothing, and axe finds nothing.
import fs from "node:fs";
import path from "node:path";
import { Site, assert, check, main, press, reloadUntil, setCode, until } from "./lib.mjs";
import { axe } from "./a11y.mjs";

const STUDENT = "Ada Lovelace";
const WRONG_KNN = "def distance(a, b):\n    return 0.0\n\ndef knn_predict(train_X, train_y, x, k=3):\n    return train_y[0]\n";
const TRICK = "from tinyml import softmax as sm\n\ndef softmax(scores):\n    return sm(scores)\n\nprint(softmax([2.0, 1.0, 0.1]))\n";

async function answerQuizzes(page) {
  const quizzes = page.locator(".quiz");
  const n = await quizzes.count();
  for (let i = 0; i < n; i++) {
    const quiz = quizzes.nth(i);
    await quiz.locator(".quiz-choice input").first().check();
    await quiz.locator(".quiz-check").click();
    await until(async () => (await quiz.locator(".quiz-result").textContent()).includes("Answer saved"), `quiz ${i + 1}: no "Answer saved"`);
  }
  return n;
}

async function noViolations(page) {
  const violations = await axe(page);
  assert(violations.length === 0, `axe: ${JSON.stringify(violations)}`);
}

async function handin(browser, [siteDir, downloads, solutionFile]) {
  const site = new Site(browser, siteDir);
  const solution = fs.readFileSync(solutionFile, "utf8");
  // A translated course is built into one folder per language: the English one is `en/`.
  const P = fs.existsSync(path.join(siteDir, "en", "handin.html")) ? "en/" : "";
  let context;
  let quizzes = 0;
  await check(site, "a student page carries no answer", async () => {
    context = await site.context({ acceptDownloads: true });
    const page = await context.newPage();
    await page.goto(site.url(`${P}ml/softmax.html`));
    await page.waitForSelector(".lb-exercise .lb-ed-input", { timeout: 10000 });
    assert((await page.locator("[data-correct]").count()) === 0, "a quiz choice is marked correct");
    assert((await page.locator(".quiz-explain, .quiz-answer").count()) === 0, "a quiz explains its answer");
    const data = JSON.parse(await page.locator("script.lb-exercise-data").first().textContent());
    assert(data.solution === null && data.edition === "student", `solution ${JSON.stringify(data.solution)}, edition ${data.edition}`);
    assert(data.request.checks.every((c) => !c.hidden), "the browser request carries a hidden check");
    assert((await page.locator(".lb-ex-solution-button, .lb-ex-hint").count()) === 0, "Solution or Hint buttons");
    await page.close();
  });
  await check(site, "renaming tinyml.softmax fails the forbid check (in the browser)", async () => {
    const page = await context.newPage();
    await page.goto(site.url(`${P}ml/softmax.html`));
    const block = page.locator("section.lb-exercise").first();
    await setCode(page, block, TRICK);
    await press(block, "Check");
    const item = block.locator(".lb-ex-check-item", { hasText: "does not use `tinyml.softmax`" });
    await until(async () => (await item.count()) === 1, "no forbid check in the results");
    assert(await item.evaluate((li) => li.classList.contains("lb-ex-fail")), "the forbid check passed");
    const message = await item.locator(".lb-ex-check-message").textContent();
    assert(message.includes("`from tinyml import softmax as sm` uses `tinyml.softmax`, which this exercise forbids (forbid: tinyml.softmax)"), message);
    await page.close();
    return message;
  });
  await check(site, "softmax solved, k-NN wrongly, every quiz on both pages answered", async () => {
    const page = await context.newPage();
    await page.goto(site.url(`${P}ml/softmax.html`));
    let block = page.locator("section.lb-exercise").first();
    await setCode(page, block, solution);
    const summary = await press(block, "Check");
    assert(/passed/.test(summary) && !/of/.test(summary), `softmax: ${summary}`);
    assert((await block.locator(".lb-ex-note", { hasText: "when your work is graded" }).count()) === 1, "no word about the hidden checks");
    quizzes += await answerQuizzes(page);
    await page.goto(site.url(`${P}ml/nearest-neighbours.html`));
    block = page.locator("section.lb-exercise").first();
    await setCode(page, block, WRONG_KNN);
    const wrong = await press(block, "Check");
    assert(/of .* checks passed|failed/.test(wrong), `k-NN: ${wrong}`);
    quizzes += await answerQuizzes(page);
    await page.close();
    return `${quizzes} quizzes`;
  });
  await check(site, "Hand in my work downloads the work file", async () => {
    const page = await context.newPage();
    await page.goto(site.url(`${P}index.html`));
    await page.locator("#sidebar a", { hasText: "Hand in my work" }).first().click();
    await page.waitForSelector("#handin:not([hidden])", { timeout: 5000 });
    // The pages that kept the work were closed just before this one opened (see reloadUntil).
    await reloadUntil(
      page,
      async () => (await page.locator("#handin:not([hidden]) .handin-summary").count()) > 0 && (await page.locator(".handin-summary").textContent()).includes(`answers to ${quizzes} of`),
      `the hand-in page never counts the ${quizzes} quiz answers`,
    );
    await page.fill("#handin-student", STUDENT);
    const [download] = await Promise.all([page.waitForEvent("download"), page.click(".handin-download")]);
    const name = download.suggestedFilename();
    assert(/^[a-z0-9._-]+-ada-lovelace\.labbook-work\.json$/.test(name), `file name ${name}`);
    fs.mkdirSync(downloads, { recursive: true });
    const file = path.join(downloads, name);
    await download.saveAs(file);
    const work = JSON.parse(fs.readFileSync(file, "utf8"));
    const hash = await page.locator("#handin").getAttribute("data-content-hash");
    assert(work.format === "labbook-work" && work.version === 1 && work.content_hash === hash && work.student === STUDENT, JSON.stringify({ ...work, exercises: "…" }));
    assert(work.exercises.softmax.code === solution, "the softmax code");
    assert(work.exercises["knn-digits"].code === WRONG_KNN, "the k-NN code");
    assert(work.exercises.softmax.last_run.checks.length > 0, "the last run's shown checks");
    assert(Object.keys(work.quizzes).length === quizzes, `${Object.keys(work.quizzes).length} quiz answers`);
    assert(Object.values(work.quizzes).every((q) => q.updated && q.saved && q.chosen[0] === 0), JSON.stringify(work.quizzes));
    // Asked once: the name is there on the next visit.
    await page.reload();
    await until(async () => (await page.inputValue("#handin-student")) === STUDENT, "the name is not kept");
    await noViolations(page);
    await page.close();
    return name;
  });
  await site.close();
}

async function feedback(browser, [folder, rel]) {
  const site = new Site(browser, folder);
  await check(site, "the feedback page opens alone and passes axe", async () => {
    const page = await site.open(rel);
    const text = await page.locator("main").textContent();
    assert(text.includes(`Feedback for ${STUDENT}`) && /Score: [\d.]+ of [\d.]+ points/.test(text), text.slice(0, 300));
    assert(text.includes("does not use `tinyml.softmax`") && text.includes("your answer"), "checks and quiz answers");
    await noViolations(page);
    assert(site.requests.length === 1, `the page loads nothing else: ${site.requests.join(", ")}`);
    await page.close();
  });
  await site.close();
}

export async function run(browser, [mode, ...args]) {
  if (mode === "handin") return handin(browser, args);
  if (mode === "feedback") return feedback(browser, args);
  throw new Error(`usage: node classroom.mjs handin <site> <downloads> <solution> | feedback <folder> <page>`);
}

main(import.meta.url, "classroom.mjs", run);
