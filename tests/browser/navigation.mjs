// Headless-Chromium checks of a built labbook site opened from file://.
//
//   node tests/browser/navigation.mjs <site-dir>
//
// Prints one line per check and exits 0 when all pass, 1 when one fails, 2 on bad usage.
// Set LABBOOK_SCREENSHOTS=<dir> to save screenshots (desktop and phone, light and dark).
// Set CHROMIUM=<path> to use another Chromium than /usr/bin/chromium.
import fs from "node:fs";
import path from "node:path";
import { Site, assert, check, checkNoRequestLeft, main, reloadUntil, siteDirFromArgs, until } from "./lib.mjs";

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

/** In the page: is the element `selector` laid out, visible and at least partly inside the viewport? */
function onScreen(selector) {
  const el = document.querySelector(selector);
  if (!el) return false;
  const style = getComputedStyle(el);
  if (style.display === "none" || style.visibility === "hidden" || Number(style.opacity) === 0) return false;
  const r = el.getBoundingClientRect();
  return r.width > 0 && r.height > 0 && r.right > 0 && r.bottom > 0 && r.left < innerWidth && r.top < innerHeight;
}

async function isOnScreen(page, selector) {
  return page.evaluate(onScreen, selector);
}

async function theme(page) {
  return page.evaluate(() => document.documentElement.dataset.theme);
}

/** Clicks the theme toggle and waits until data-theme changes. */
async function toggleTheme(page) {
  const before = await theme(page);
  await page.click("#theme-toggle");
  return until(async () => {
    const now = await theme(page);
    return now !== before && now;
  }, `data-theme stayed "${before}" after clicking #theme-toggle`);
}

/** Waits until the URL of `page`, without its #fragment, equals `url` without its fragment. */
async function landedOn(page, url, what) {
  const strip = (u) => u.split("#")[0];
  await until(() => strip(page.url()) === strip(url), `${what}: expected ${strip(url)}, at ${page.url()}`, 5000);
  await page.waitForLoadState("load");
}

export async function run(browser, args) {
  const dir = siteDirFromArgs("navigation.mjs", args);
  const site = new Site(browser, dir);
  const codePage = site.findPage(/<pre class="code"[^>]*>[\s\S]*?<span class="l/);
  const mathPage = site.findPage(/<math[\s>]/);
  const quizPage = site.findPage(/<div class="quiz"[\s>]/); // a real element, not one quoted in code
  console.log(`site: ${site.dir}`);
  console.log(`pages: code=${codePage} math=${mathPage} quiz=${quizPage}`);

  let page = null;
  let chapterUrl = null;

  await check(site, "index.html opens from file:// and has a title", async () => {
    page = await site.open("index.html");
    const title = await page.title();
    assert(title.trim().length > 0, "empty <title>");
    await site.screenshot(page, "desktop-light-index");
    return title;
  });

  await check(site, "toc.js fills the sidebar and marks the current page active", async () => {
    const links = await page.$$eval("#sidebar .toc a[href]", (as) => as.length);
    assert(links > 0, "no links in #sidebar (toc.js did not insert the table of contents)");
    const active = await page.$$eval("#sidebar a.active", (as) => as.map((a) => a.href));
    assert(active.length === 1, `expected exactly one a.active in the sidebar, found ${active.length}`);
    assert(active[0].split("#")[0] === page.url().split("#")[0], `a.active points to ${active[0]}, not to this page ${page.url()}`);
    return `${links} links`;
  });

  await check(site, "clicking the first chapter link in the sidebar opens it", async () => {
    const here = page.url().split("#")[0];
    const link = page.locator("#sidebar .toc a[href]").filter({ visible: true });
    const count = await link.count();
    let target = null;
    for (let i = 0; i < count; i++) {
      const href = await link.nth(i).evaluate((a) => a.href);
      if (href.split("#")[0] !== here) {
        target = link.nth(i);
        break;
      }
    }
    assert(target, "no visible sidebar link to another page");
    const href = await target.evaluate((a) => a.href);
    await target.click();
    await landedOn(page, href, "after the click");
    chapterUrl = page.url();
    const active = await page.$$eval("#sidebar a.active", (as) => as.map((a) => a.href));
    assert(active.length === 1 && active[0].split("#")[0] === chapterUrl.split("#")[0], `on ${chapterUrl} the active sidebar link is ${active.join(", ") || "missing"}`);
    return site.relative(chapterUrl);
  });

  await check(site, "every sidebar link on a nested page points to a file of the site", async () => {
    // A page in a subfolder that the table of contents lists, so toc.js must prefix its links.
    await page.goto(site.url("index.html"));
    const listed = await page.$$eval("#sidebar .toc a[href]", (as) => as.map((a) => a.href));
    const nested = listed.map((href) => site.relative(href)).find((rel) => rel && rel.includes("/"));
    if (!nested) return "skip: the table of contents lists no page in a subfolder";
    await page.goto(site.url(nested));
    const hrefs = await page.$$eval("#sidebar .toc a[href]", (as) => as.map((a) => a.href));
    assert(hrefs.length > 0, `no sidebar links on ${nested}`);
    const broken = hrefs.filter((href) => {
      const rel = site.relative(href);
      return rel === null || !fs.existsSync(path.join(site.dir, rel));
    });
    assert(broken.length === 0, `sidebar links on ${nested} that lead nowhere: ${broken.slice(0, 5).join(", ")}`);
    const active = await page.$$eval("#sidebar a.active", (as) => as.map((a) => a.href));
    assert(active.length === 1 && site.relative(active[0]) === nested, `on ${nested} the active sidebar link is ${active.join(", ") || "missing"}`);
    return `${nested}, ${hrefs.length} links`;
  });

  await check(site, "ArrowRight follows rel=next and ArrowLeft comes back", async () => {
    // Start from the first page that has a next page: the chapter opened above, or index.html.
    await page.goto(chapterUrl || site.url("index.html"));
    if (!(await page.$('a[rel~="next"]'))) await page.goto(site.url("index.html"));
    const start = page.url();
    const next = await page.$eval('a[rel~="next"]', (a) => a.href).catch(() => null);
    assert(next, `${site.relative(start)} has no a[rel=next]`);
    await page.keyboard.press("ArrowRight");
    await landedOn(page, next, "ArrowRight");
    const prev = await page.$eval('a[rel~="prev"]', (a) => a.href).catch(() => null);
    assert(prev && prev.split("#")[0] === start.split("#")[0], `${site.relative(next)}: a[rel=prev] is ${prev}, expected ${start}`);
    await page.keyboard.press("ArrowLeft");
    await landedOn(page, start, "ArrowLeft");
    return `${site.relative(start)} -> ${site.relative(next)} -> back`;
  });
  if (page) await page.context().close();

  await check(site, "theme toggle flips light/dark and the choice survives a reload", async () => {
    const p = await site.open("index.html", { colorScheme: "light" });
    assert((await theme(p)) === "light", `with a light system theme and no choice, data-theme is "${await theme(p)}"`);
    assert((await toggleTheme(p)) === "dark", "the toggle did not switch to dark");
    const stored = await p.evaluate(() => localStorage.getItem("labbook-theme"));
    assert(stored === "dark", `localStorage labbook-theme is ${JSON.stringify(stored)} after choosing dark`);
    await p.reload();
    await reloadUntil(p, async () => (await theme(p)) === "dark", "after choosing dark and reloading: data-theme never became dark within 10 s of reloads");
    await site.screenshot(p, "desktop-dark-index");
    assert((await toggleTheme(p)) === "light", "the toggle did not switch back to light");
    await p.reload();
    await reloadUntil(p, async () => (await theme(p)) === "light", "after choosing light and reloading: data-theme never became light within 10 s of reloads");
    await p.context().close();

    // The other way round: a dark system, the reader chooses light.
    const q = await site.open("index.html", { colorScheme: "dark" });
    assert((await theme(q)) === "dark", `with a dark system theme and no choice, data-theme is "${await theme(q)}"`);
    assert((await toggleTheme(q)) === "light", "the toggle did not switch to light");
    await q.reload();
    await reloadUntil(q, async () => (await theme(q)) === "light", "after choosing light on a dark system and reloading: data-theme never became light within 10 s of reloads");
    const storedLight = await q.evaluate(() => localStorage.getItem("labbook-theme"));
    assert(storedLight === "light", `localStorage labbook-theme is ${JSON.stringify(storedLight)} after choosing light`);
    await q.context().close();
  });

  await check(site, "highlighted code changes colour with the theme", async () => {
    if (!codePage) throw new Error('no page has <pre class="code"> with coloured spans');
    const p = await site.open(codePage, { colorScheme: "light" });
    const colours = () =>
      p.$$eval('pre.code span[class]', (spans) => spans.slice(0, 400).map((s) => getComputedStyle(s).color));
    const base = await p.$eval("pre.code", (pre) => getComputedStyle(pre).color);
    const light = await colours();
    assert(light.length > 0, `${codePage}: no pre.code span[class]`);
    assert(light.some((c) => c !== base), `${codePage}: every highlighted span has the plain text colour ${base} in the light theme`);
    await p.locator("pre.code").first().scrollIntoViewIfNeeded();
    await site.screenshot(p, "desktop-light-code");
    await toggleTheme(p);
    const dark = await colours();
    const changed = light.filter((c, i) => c !== dark[i]).length;
    assert(changed > 0, `${codePage}: the ${light.length} highlighted spans keep their colours in the dark theme`);
    await site.screenshot(p, "desktop-dark-code");
    await p.context().close();
    return `${codePage}: ${changed}/${light.length} spans change`;
  });

  await check(site, "math renders as MathML", async () => {
    if (!mathPage) throw new Error("no page has a <math> element");
    const p = await site.open(mathPage, { colorScheme: "dark" });
    const info = await p.evaluate(() => {
      // Formulas inside something hidden (a quiz explanation not yet shown) have no box.
      const maths = Array.from(document.querySelectorAll("math")).filter((m) => m.checkVisibility());
      const laidOut = maths.filter((m) => {
        const r = m.getBoundingClientRect();
        return r.width > 0 && r.height > 0;
      }).length;
      const display = maths.filter((m) => m.getAttribute("display") === "block").length;
      const withTokens = maths.filter((m) => m.querySelector("mi, mn, mo, mrow, mfrac, msup, msub")).length;
      // Raw TeX left in the prose means a formula was not converted.
      const article = document.querySelector("article") || document.body;
      const clone = article.cloneNode(true);
      for (const n of clone.querySelectorAll("pre, code, math, script")) n.remove();
      const raw = /\$\$|\\frac|\\sum|\\begin\{/.exec(clone.textContent);
      return { count: maths.length, laidOut, display, withTokens, raw: raw ? raw[0] : null };
    });
    assert(info.count > 0, `${mathPage}: no <math> element`);
    assert(info.withTokens === info.count, `${mathPage}: ${info.count - info.withTokens} <math> elements have no MathML children`);
    assert(info.laidOut === info.count, `${mathPage}: ${info.count - info.laidOut} <math> elements have no size (not rendered)`);
    assert(!info.raw, `${mathPage}: raw TeX "${info.raw}" left in the text`);
    const first = p.locator('math[display="block"]').first();
    if (await first.count()) await first.scrollIntoViewIfNeeded();
    await site.screenshot(p, "desktop-dark-math");
    await p.context().close();
    return `${mathPage}: ${info.count} formulas, ${info.display} display`;
  });

  await check(site, "quizzes can be answered", async () => {
    if (!quizPage) throw new Error('no page has a <div class="quiz">');
    const p = await site.open(quizPage);
    const quizzes = p.locator(".quiz");
    const count = await quizzes.count();
    const notes = [];
    for (let q = 0; q < count; q++) {
      const quiz = quizzes.nth(q);
      const name = `${quizPage} quiz ${q + 1}`;
      await quiz.scrollIntoViewIfNeeded();
      const result = quiz.locator(".quiz-result");
      const checkButton = quiz.locator(".quiz-check");
      const wrong = quiz.locator('.quiz-choice:not([data-correct="true"])');
      const right = quiz.locator('.quiz-choice[data-correct="true"]');
      assert((await right.count()) > 0, `${name}: no correct choice`);
      const explains = quiz.locator(".quiz-explain");
      for (let i = 0; i < (await explains.count()); i++) {
        assert(!(await explains.nth(i).isVisible()), `${name}: an explanation is visible before answering`);
      }

      let wrongText = null;
      if ((await wrong.count()) > 0) {
        await wrong.first().locator("label").click();
        await checkButton.click();
        wrongText = await until(async () => (await result.textContent()).trim(), `${name}: no result after checking a wrong answer`);
        await wrong.first().locator("input").uncheck().catch(() => {});
      }
      for (let i = 0; i < (await right.count()); i++) await right.nth(i).locator("label").click();
      await checkButton.click();
      const rightText = await until(async () => {
        const t = (await result.textContent()).trim();
        return t && t !== wrongText && t;
      }, `${name}: no new result after checking the correct answer`);
      const explained = right.first().locator(".quiz-explain");
      if (await explained.count()) assert(await explained.isVisible(), `${name}: the chosen answer's explanation stays hidden`);
      notes.push(`${wrongText ? `wrong -> "${wrongText}", ` : ""}right -> "${rightText}"`);
    }
    assert(count > 0, `${quizPage}: no .quiz element`);
    await p.mouse.move(0, 0); // no hover styles in the picture
    await site.screenshot(p, "desktop-light-quiz");
    await p.context().close();
    return `${quizPage}: ${count} quizzes; ${notes.join("; ")}`;
  });

  await check(site, '"On this page" follows the reader after jumps (scrollTo, Home)', async () => {
    const rel = mathPage || codePage;
    if (!rel) return "skip: no long page";
    const p = await site.open(rel);
    const count = await p.locator(".page-toc a").count();
    if (count < 3) return `skip: ${rel} lists ${count} sections`;
    const active = () => p.evaluate(() => document.querySelector(".page-toc a.active")?.getAttribute("href") || null);
    const hrefs = await p.$$eval(".page-toc a", (as) => as.map((a) => a.getAttribute("href")));
    const settle = (want, what) =>
      until(async () => (await active()) === want, what, 2000).catch(async () => {
        throw new Error(`${rel}: after ${what}, "On this page" highlights ${await active()} instead of ${want}`);
      });
    // Jump (no smooth scrolling) into the middle of a long section: its heading is above the
    // screen and the next one below the middle, so no heading crosses the viewport on the way.
    const jump = await p.evaluate((ids) => {
      const bar = document.querySelector(".topbar");
      const line = (bar ? bar.getBoundingClientRect().bottom : 0) + 32;
      const tops = ids.map((id) => document.getElementById(decodeURIComponent(id.slice(1))).getBoundingClientRect().top + window.scrollY);
      for (let i = 1; i + 1 < tops.length; i++) {
        const gap = tops[i + 1] - tops[i];
        if (gap > 0.5 * window.innerHeight) {
          const d = line + (gap - 0.45 * window.innerHeight) / 2;
          return { index: i, top: Math.round(tops[i] - line + d) };
        }
      }
      return null;
    }, hrefs);
    if (!jump) return `skip: ${rel} has no section longer than half a screen`;
    await p.evaluate((top) => window.scrollTo({ top, behavior: "instant" }), jump.top);
    await settle(hrefs[jump.index], `a jump into the middle of ${hrefs[jump.index]}`);
    await p.keyboard.press("Home");
    await settle(hrefs[0], "Home");
    await p.evaluate((top) => window.scrollTo({ top, behavior: "instant" }), jump.top);
    await settle(hrefs[jump.index], `a second jump into ${hrefs[jump.index]}`);
    await p.context().close();
    return `${rel}: ${hrefs.length} sections`;
  });

  await check(site, "print.html opens cleanly", async () => {
    if (!fs.existsSync(path.join(site.dir, "print.html"))) throw new Error("no print.html");
    const p = await site.open("print.html");
    const headings = await p.$$eval("h1", (hs) => hs.length);
    assert(headings > 1, `print.html has ${headings} <h1>, expected one per chapter`);
    await p.context().close();
    return `${headings} chapters`;
  });

  await check(site, "phone (390x844): menu button shown, sidebar hidden until toggled", async () => {
    const p = await site.open("index.html", { ...PHONE, colorScheme: "light" });
    assert(await isOnScreen(p, "#sidebar-toggle"), "the menu button #sidebar-toggle is not visible");
    await until(async () => !(await isOnScreen(p, "#sidebar")), "the sidebar is visible before the menu button is pressed");
    const overflow = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert(overflow <= 0, `the page scrolls sideways by ${overflow}px on a phone`);
    await site.screenshot(p, "phone-light-index");
    await p.click("#sidebar-toggle");
    await until(() => isOnScreen(p, "#sidebar"), "the sidebar did not appear after pressing the menu button");
    // Wait for the slide-in to finish, then make sure the links are on top (not under a scrim).
    await until(
      () =>
        p.evaluate(() => {
          const a = document.querySelector("#sidebar a.active") || document.querySelector("#sidebar .toc a");
          if (!a) return false;
          const r = a.getBoundingClientRect();
          const hit = document.elementFromPoint(r.left + Math.min(r.width / 2, 20), r.top + r.height / 2);
          return !!hit && a.contains(hit);
        }),
      "the sidebar links are covered or off-screen after opening the drawer",
    );
    await site.screenshot(p, "phone-light-drawer");
    await p.click("#sidebar-toggle", { force: true }).catch(() => p.keyboard.press("Escape"));
    await until(async () => !(await isOnScreen(p, "#sidebar")), "the sidebar did not hide again");
    await p.context().close();
  });

  await check(site, "phone (390x844): dark code page fits the screen", async () => {
    const rel = codePage || "index.html";
    const p = await site.open(rel, { ...PHONE, colorScheme: "dark" });
    assert((await theme(p)) === "dark", "a dark system theme did not give data-theme=dark");
    const overflow = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert(overflow <= 0, `${rel} scrolls sideways by ${overflow}px on a phone`);
    if (codePage) await p.locator("pre.code").first().scrollIntoViewIfNeeded();
    await site.screenshot(p, "phone-dark-code");
    await p.context().close();
    return rel;
  });

  await checkNoRequestLeft(site);
}

await main(import.meta.url, "navigation.mjs", run);
