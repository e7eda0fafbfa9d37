// A course in several languages, in headless Chromium from file:// (run by tests/browser.rs):
// the root page picks the browser's language, the language menu keeps the page, an untranslated
// page shows the fallback banner, a stale translation its banner (the i18n fixture), Arabic
// lays out right to left with code left to right, the theme speaks the page's language, its
// scripts write numbers the page's way, and searching in Chinese finds Chinese pages and in
// French French ones, and "Search all languages" finds the other languages' pages from
// file://, each once.
//
//   node tests/browser/i18n.mjs <course-site-dir> <i18n-fixture-site-dir>
//
// Prints one line per check; exits 0 when all pass, 1 when one fails.
import { Site, assert, check, main, press, setCode, until } from "./lib.mjs";

/** Opens the search dialog on `page`, types `query`, returns the result links' hrefs and titles. */
async function search(page, query) {
  await page.keyboard.press("/");
  await page.waitForSelector(".search-dialog:not([hidden])", { timeout: 3000 });
  await page.fill("#search-input", query);
  return until(
    () =>
      page.evaluate((q) => {
        const input = document.getElementById("search-input");
        const items = [...document.querySelectorAll(".search-results a.search-hit-link")];
        if (input.value !== q || !items.length) return null;
        return items.map((a) => ({ href: a.getAttribute("href"), title: (a.querySelector(".search-title") || a).textContent.trim() }));
      }, query),
    `no results for \`${query}\``,
    5000,
  );
}

export async function run(browser, args) {
  const [courseDir, fixtureDir] = args;
  if (!courseDir || !fixtureDir) throw new Error("usage: node i18n.mjs <course-site-dir> <i18n-fixture-site-dir>");
  const site = new Site(browser, courseDir);
  console.log(`site: ${site.dir}`);

  await check(site, "the root page sends a French browser to the French site", async () => {
    const page = await site.open("index.html", { locale: "fr-FR" });
    await page.waitForURL(/\/fr\/index\.html$/, { timeout: 5000 });
    assert((await page.getAttribute("html", "lang")) === "fr", "the French index is not lang=fr");
    await page.context().close();
  });

  await check(site, "the root page lists every language for readers without JavaScript", async () => {
    const page = await site.open("index.html", { javaScriptEnabled: false });
    const links = await page.$$eval("main a", (as) => as.map((a) => a.getAttribute("href")));
    for (const code of ["en", "fr", "zh-CN", "ar"]) assert(links.includes(`${code}/index.html`), `no link to ${code}: ${links}`);
    await page.context().close();
  });

  await check(site, "switching language keeps the page", async () => {
    const page = await site.open("en/ml/linear-models.html");
    const go = async (code) => {
      await page.click(".language-switcher > summary");
      await page.click(`.language-list a[data-language="${code}"]`);
      await page.waitForURL(new RegExp(`/${code}/ml/linear-models\\.html$`), { timeout: 5000 });
      assert((await page.getAttribute("html", "lang")) === code, `the page is not lang=${code}`);
    };
    await go("zh-CN");
    assert((await page.textContent("h1")).includes("线性模型与损失"), "the Chinese page shows no Chinese title");
    await go("fr");
    assert((await page.textContent("h1")).includes("Modèles linéaires et perte"), "the French page shows no French title");
    await go("en");
    await page.context().close();
    return "en → zh-CN → fr → en, same page";
  });

  await check(site, "an untranslated page shows the fallback banner, in the reader's language", async () => {
    const page = await site.open("fr/ml/softmax.html");
    const banner = page.locator(".translation-banner.translation-fallback");
    assert(await banner.isVisible(), "no visible fallback banner");
    const text = await banner.textContent();
    assert(text.includes("pas encore traduite") && text.includes("English"), `banner: ${text}`);
    assert((await page.getAttribute("article.content", "lang")) === "en", "the English article is not marked lang=en");
    // The theme speaks French around the English article.
    assert((await page.textContent(".search-open-label")).trim() === "Rechercher", "the search button is not in French");
    await page.context().close();
    return text.trim();
  });

  await check(site, "a translated page speaks French around its quizzes", async () => {
    const page = await site.open("fr/ml/gradient-descent.html");
    await page.waitForSelector(".quiz .quiz-check", { timeout: 3000 });
    const label = (await page.textContent(".quiz .quiz-check")).trim();
    assert(label === "Vérifier", `the quiz button says ${label}`);
    // Checking an unanswered quiz answers in French.
    await page.click(".quiz .quiz-check");
    const result = (await page.textContent(".quiz .quiz-result")).trim();
    assert(result.startsWith("Choisissez"), `the quiz says ${result}`);
    await page.context().close();
    // Without JavaScript the build's own words are French too: the button and "Show answer".
    const still = await site.open("fr/ml/gradient-descent.html", { javaScriptEnabled: false });
    const words = await still.evaluate(() => ({
      check: document.querySelector(".quiz .quiz-check").textContent.trim(),
      answer: document.querySelector(".quiz .quiz-answer summary").textContent.trim(),
    }));
    assert(words.check === "Vérifier" && words.answer === "Voir la réponse", `without JavaScript: ${JSON.stringify(words)}`);
    await still.context().close();
    return `${label} / ${result} / ${words.answer}`;
  });

  await check(site, "the exercise editor speaks French on a French page", async () => {
    const page = await site.open("fr/ml/gradient-descent.html");
    const block = page.locator("section.lb-exercise").first();
    await block.locator(".lb-ex-run").waitFor({ timeout: 5000 });
    const words = await block.evaluate((section) => ({
      run: section.querySelector(".lb-ex-run").textContent,
      check: section.querySelector(".lb-ex-check").textContent,
      reset: section.querySelector(".lb-ex-reset").textContent,
      hint: section.querySelector(".lb-ex-hint") && section.querySelector(".lb-ex-hint").textContent,
      keys: section.querySelector(".lb-ed-keys").textContent,
      editor: section.querySelector("textarea").getAttribute("aria-label"),
      checkTitle: section.querySelector(".lb-ex-check").title,
    }));
    assert(words.run === "Exécuter" && words.check === "Vérifier" && words.reset === "Réinitialiser", JSON.stringify(words));
    assert(words.keys.startsWith("Tab indente") && words.editor.startsWith("Code de l'exercice"), JSON.stringify(words));
    assert(/ses \d+ vérifications/.test(words.checkTitle), `the Check button's title: ${words.checkTitle}`);
    // The starter fails the checks: the verdict is French, the checks' names are the exercise's.
    await block.locator(".lb-ex-check").click();
    const verdict = await until(
      () => block.evaluate((section) => {
        const status = section.querySelector(".lb-ex-status").textContent;
        const summary = section.querySelector(".lb-ex-summary");
        return summary && !/…/.test(status) ? { status, summary: summary.textContent } : null;
      }),
      "no verdict",
      60000,
    );
    assert(["Pas encore", "Erreur"].includes(verdict.status), `status ${verdict.status}`);
    assert(/vérification|Votre code a levé/.test(verdict.summary), `summary ${verdict.summary}`);
    // A program that never ends is stopped at the time limit: why, and how long it ran, in French.
    await block.locator(".lb-ed-input").fill("while True:\n    pass\n");
    await block.locator(".lb-ex-run").click();
    const stopped = await until(
      () => block.evaluate((section) => {
        const summary = section.querySelector(".lb-ex-summary");
        return summary && /Arrêté/.test(summary.textContent) ? summary.textContent : null;
      }),
      "the endless loop was not stopped",
      60000,
    );
    assert(/^Arrêté : limite de temps de [\d,\u202f]+ (s|ms) dépassée\. \([\d,\u202f]+ (s|ms)\)$/.test(stopped), `stopped: ${stopped}`);
    await page.context().close();
    return `${words.run} · ${words.check} · ${verdict.status}: ${verdict.summary} · ${stopped}`;
  });

  await check(site, "why a check failed is said in French: wrong numbers, a forbidden name, the forbid check's name, a runtime fault, the note on a missing module", async () => {
    // labbook's own words about a failed check travel as a code and arguments
    // (labbook_checks::Reason) and are said in the page's language; the English message is
    // what the hand-in keeps.
    const page = await site.open("fr/ml/softmax.html");
    const block = page.locator("section.lb-exercise").first();
    await block.locator(".lb-ex-run").waitFor({ timeout: 5000 });
    await setCode(page, block, "import tinyml\nsoftmax = tinyml.softmax\nprint(0.5)\n");
    await press(block, "Vérifier");
    const items = await until(
      () => block.evaluate((section) => {
        const list = [...section.querySelectorAll(".lb-ex-check-item")];
        return list.length ? list.map((li) => ({ name: li.querySelector(".lb-ex-check-name").textContent, why: [...li.querySelectorAll(".lb-ex-check-message")].map((m) => m.textContent) })) : null;
      }),
      "no check results",
      60000,
    );
    const numbers = items.find((i) => i.why.some((w) => w.startsWith("nombres attendus")));
    assert(numbers && numbers.why.includes("nombres attendus dans la sortie : 3, trouvés : 1"), JSON.stringify(items));
    const forbid = items.find((i) => i.name.endsWith("n'utilise pas `tinyml.softmax`"));
    assert(forbid, `no forbid check named in French: ${JSON.stringify(items)}`);
    assert(
      forbid.why.includes("ligne 2 : `softmax` utilise `tinyml.softmax`, que cet exercice interdit (forbid: tinyml.softmax)"),
      JSON.stringify(forbid),
    );
    assert(!JSON.stringify(items).includes("expected"), `an English message is left: ${JSON.stringify(items)}`);
    // A runtime that is not a WASI command (a wasm module with nothing in it) fails in the
    // worker; the page says so in French, and the error keeps its English message.
    const fault = await page.evaluate(async () => {
      window.labbookRuntimes = window.labbookRuntimes || {};
      window.labbookRuntimes.empty = { wasm: btoa("\0asm\x01\0\0\0"), encoding: "base64" };
      const result = await window.labbook.run({ runtime: "empty", python: false, src: "empty.js", request: { files: {}, entry: "main", checks: [] }, limits: { time_ms: 2000 } });
      return { message: result.error.message, code: result.error.reason && result.error.reason.code, said: window.labbook.faultText(result.error) };
    });
    assert(fault.code === "not_wasi" && fault.message.startsWith("the runtime is not a WASI command"), JSON.stringify(fault));
    assert(fault.said === "l'environnement d'exécution n'est pas une commande WASI (il n'exporte pas de mémoire ou pas de _start)", JSON.stringify(fault));
    // The runtime's note on a module it does not have, in French, before the guide's link.
    await setCode(page, block, "import pandas\n");
    await press(block, "Exécuter");
    const note = (await block.locator(".lb-ex-error-note").textContent()).trim();
    assert(note.startsWith("Le Python de ce cours s'exécute dans la page et n'a pas `pandas` : les tableaux sont des listes de lignes"), `note: ${note}`);
    await page.context().close();
    return `${numbers.why[0]} · ${forbid.name}: ${forbid.why[0]} · ${fault.said} · ${note.slice(0, 60)}…`;
  });

  await check(site, "the progress page and the sidebar's ticks speak French", async () => {
    const page = await site.open("fr/progress.html");
    await page.waitForSelector("#progress-report:not([hidden])", { timeout: 5000 });
    const path = await page.evaluate(() => {
      const { pages, progress } = window.labbook;
      const done = pages.find((p) => p.exercises.length && p.quizzes.length);
      progress.set("exercise", done.exercises[0], { passed: true });
      for (const id of done.quizzes) progress.set("quiz", id, { chosen: [], checked: true, passed: true });
      return done.path;
    });
    const seen = await until(
      () => page.evaluate((path) => {
        const tr = document.querySelector(`#progress-report tr[data-path="${path}"]`);
        const mark = document.querySelector(`#sidebar .toc a[data-url="${path}"] .toc-progress`);
        return tr && mark ? { cell: tr.querySelector(".progress-exercises").textContent, label: mark.getAttribute("aria-label") } : null;
      }, path),
      "no row or tick for the page with progress",
      5000,
    );
    assert(/^\d+ sur \d+$/.test(seen.cell), `the table's cell: ${seen.cell}`);
    assert(/^(terminé|commencé) : exercices résolus : \d+ sur \d+, quiz réussis : \d+ sur \d+$/.test(seen.label), `the tick's label: ${seen.label}`);
    await page.context().close();
    return `${seen.cell} · ${seen.label}`;
  });

  await check(site, "the features' words are French on French pages: runnable code, the API reference", async () => {
    // The bigram lesson is not translated: an English article in a French site, whose
    // runnable blocks' buttons speak French.
    const page = await site.open("fr/ml/bigram-names.html");
    await page.locator("div.lb-runnable .lb-run-button").first().waitFor({ timeout: 5000 });
    const run = await page.evaluate(() => {
      const button = document.querySelector("div.lb-runnable .lb-run-button");
      return { text: button.textContent, label: button.getAttribute("aria-label") };
    });
    assert(run.text === "Exécuter" && /^Exécuter le bloc de code 1 sur \d+$/.test(run.label), JSON.stringify(run));
    await page.goto(site.url("fr/api/tinyml.html"));
    const api = await page.evaluate(() => ({
      titles: [...document.querySelectorAll(".api-section-title")].map((p) => p.textContent),
      headers: [...document.querySelectorAll(".api-params th")].map((th) => th.textContent),
    }));
    assert(api.titles.includes("Paramètres") && api.headers.includes("Nom") && api.headers.includes("Description"), JSON.stringify(api).slice(0, 300));
    assert(!api.headers.includes("Name"), "an English header is left");
    await page.context().close();
    return `${run.text} · ${api.titles[0]}`;
  });

  await check(site, "the model and dataset pages speak the page's language: catalogue, widget, viewer", async () => {
    const page = await site.open("fr/models/index.html");
    await page.waitForSelector(".catalogue-filters:not([hidden])", { timeout: 5000 });
    const catalogue = await page.evaluate(() => ({
      count: document.querySelector(".catalogue-count").textContent,
      legends: [...document.querySelectorAll(".catalogue-facet legend")].map((l) => l.textContent),
      sidebar: [...document.querySelectorAll("#sidebar .part-title, #sidebar li")].map((e) => e.textContent.trim()).join(" | "),
    }));
    assert(/^\d+ modèles$/.test(catalogue.count), `the count says ${catalogue.count}`);
    assert(catalogue.legends.includes("Tâches") && !catalogue.legends.includes("Tasks"), JSON.stringify(catalogue.legends));
    assert(catalogue.sidebar.includes("Catalogue des modèles"), "the sidebar has no French model catalogue");
    // The dataset viewer's status and caption, written by datasets.js.
    await page.goto(site.url("fr/datasets/iris/index.html"));
    await page.waitForSelector(".dataset-viewer[data-ready]", { timeout: 5000 });
    const viewer = await page.evaluate(() => ({
      status: document.querySelector(".dataset-status").textContent,
      caption: document.querySelector(".dataset-caption").textContent,
      next: document.querySelector(".dataset-next").textContent,
    }));
    assert(/^Lignes 1–\d+ sur \d+ \(page 1 sur \d+\)$/.test(viewer.status), `the viewer says ${viewer.status}`);
    assert(viewer.caption === "Lignes dans l'ordre du fichier." && viewer.next === "Suivant", JSON.stringify(viewer));
    // The Arabic Try-it widget, right to left, runs and reports in Arabic.
    await page.goto(site.url("ar/models/iris-softmax/index.html"));
    const run = page.locator(".model-widget-live .model-run");
    await run.waitFor({ timeout: 5000 });
    assert((await run.textContent()) === "تشغيل", `the run button says ${await run.textContent()}`);
    await run.click();
    const status = await until(
      () => page.evaluate(() => { const s = document.querySelector(".model-live-status").textContent; return /ملّي ثانية/.test(s) ? s : null; }),
      "the widget did not report a run in Arabic",
      30000,
    );
    const dir = await page.evaluate(() => getComputedStyle(document.querySelector(".model-widget")).direction);
    assert(dir === "rtl", `the widget runs ${dir}`);
    await page.context().close();
    return `${catalogue.count} · ${viewer.status} · ${status}`;
  });

  await check(site, "Arabic lays out right to left, code left to right", async () => {
    const page = await site.open("ar/index.html");
    const layout = await page.evaluate(() => {
      const box = (sel) => document.querySelector(sel).getBoundingClientRect();
      const style = (sel) => getComputedStyle(document.querySelector(sel));
      return {
        dir: style("html").direction,
        sidebar: box("#sidebar").left,
        main: box("#content").left,
        heading: style("article h1").textAlign,
        note: style(".admonition").borderRightWidth,
        code: style("article code").direction,
      };
    });
    assert(layout.dir === "rtl", `direction ${layout.dir}`);
    assert(layout.sidebar > layout.main, `the sidebar (x=${layout.sidebar}) is not right of the content (x=${layout.main})`);
    assert(layout.note === "4px", `the admonition's right border is ${layout.note}`);
    assert(layout.code === "ltr", `code runs ${layout.code}`);
    // The fallback pages of the Arabic site are right to left around an English article.
    await page.goto(site.url("ar/ml/softmax.html"));
    const article = await page.evaluate(() => getComputedStyle(document.querySelector("article.content")).direction);
    assert(article === "ltr", `the English article in the Arabic site runs ${article}`);
    await page.context().close();
    return JSON.stringify(layout);
  });

  await check(site, "searching in Chinese finds Chinese pages", async () => {
    const page = await site.open("zh-CN/index.html");
    const hits = await search(page, "梯度下降");
    assert(hits[0].href.startsWith("ml/gradient-descent.html"), `top result ${hits[0].href}`);
    assert(/[\u4e00-\u9fff]/.test(hits[0].title), `the top result's title is not Chinese: ${hits[0].title}`);
    await page.context().close();
    return `${hits[0].href} (${hits[0].title})`;
  });

  await check(site, "searching in French finds French pages", async () => {
    const page = await site.open("fr/ml/linear-models.html");
    const hits = await search(page, "erreur quadratique moyenne");
    assert(hits[0].href.startsWith("../ml/linear-models.html"), `top result ${hits[0].href}`);
    assert(hits[0].title.includes("Modèles linéaires"), `the top result is not the French page: ${hits[0].title}`);
    // French stemming: the plural finds the singular.
    const stems = await search(page, "descentes");
    assert(stems.some((h) => h.href.startsWith("../ml/gradient-descent.html")), `\`descentes\` gave ${JSON.stringify(stems.map((h) => h.href))}`);
    await page.context().close();
    return `${hits[0].href} (${hits[0].title})`;
  });

  await check(site, "the search-all-languages toggle searches the other languages' indexes too", async () => {
    const page = await site.open("fr/index.html");
    await page.keyboard.press("/");
    await page.waitForSelector(".search-dialog:not([hidden])", { timeout: 3000 });
    const toggle = page.locator(".search-all-languages");
    assert(!(await toggle.isChecked()), "the toggle starts on");
    const label = (await page.textContent(".search-scope label")).trim();
    assert(label === "Rechercher dans toutes les langues", `the toggle says ${label}`);
    // By default the French site's index only: no Chinese page (the guide, which quotes the
    // query, is the one French-site result).
    await page.fill("#search-input", "梯度下降");
    const own = await until(
      () =>
        page.evaluate(() => {
          const status = document.querySelector(".search-status").textContent;
          const items = [...document.querySelectorAll(".search-results a.search-hit-link")];
          return status ? items.map((a) => a.getAttribute("href")) : null;
        }),
      "no answer from the French index",
      5000,
    );
    assert(!own.some((href) => href.includes("zh-CN")), `the French index found Chinese pages: ${own}`);
    await toggle.check();
    const hits = await until(
      () =>
        page.evaluate(() => {
          const items = [...document.querySelectorAll(".search-results a.search-hit-link")];
          if (!items.some((a) => a.hreflang)) return null;
          return items.map((a) => ({ href: a.getAttribute("href"), hreflang: a.getAttribute("hreflang"), badge: (a.querySelector(".search-language") || {}).textContent }));
        }),
      "no results from the other languages",
      5000,
    );
    const chinese = hits.find((h) => h.href.startsWith("../zh-CN/ml/gradient-descent.html?q="));
    assert(chinese, `no Chinese gradient-descent page: ${hits.map((h) => h.href)}`);
    assert(chinese.hreflang === "zh-CN" && chinese.badge === "简体中文", `the result does not say its language: ${JSON.stringify(chinese)}`);
    // A page the French site shows untranslated is one result, the French site's, marked English.
    await page.fill("#search-input", "softmax");
    const softmax = await until(
      () =>
        page.evaluate(() => {
          const items = [...document.querySelectorAll(".search-results a.search-hit-link")];
          if (!items.length || !items.every((a) => /softmax/i.test(a.textContent))) return null;
          return items.map((a) => ({ href: a.getAttribute("href").split("?")[0], badge: (a.querySelector(".search-language") || {}).textContent || "" }));
        }),
      "no results for softmax in every language",
      5000,
    );
    const hrefs = softmax.map((h) => h.href);
    assert(hrefs.includes("ml/softmax.html"), `the French site's softmax page is missing: ${hrefs}`);
    assert(!hrefs.includes("../en/ml/softmax.html"), `the English copy of an untranslated page is shown too: ${hrefs}`);
    assert(softmax.find((h) => h.href === "ml/softmax.html").badge === "English", "the untranslated page is not marked English");
    // Following a result of another language lands on that language's page.
    await page.fill("#search-input", "梯度下降");
    await until(() => page.evaluate(() => document.querySelector(".search-results a[hreflang='zh-CN']") !== null || null), "no Chinese result again", 5000);
    await page.click(".search-results a[hreflang='zh-CN']");
    await page.waitForURL(/\/zh-CN\/ml\/gradient-descent\.html\?q=/, { timeout: 5000 });
    // The choice is kept: the next page's dialog starts with every language.
    await page.keyboard.press("/");
    await until(() => page.evaluate(() => {
      const box = document.querySelector(".search-dialog:not([hidden]) .search-all-languages");
      return (box && box.checked) || null;
    }), "the toggle was not kept on the next page", 5000);
    await page.context().close();
    return `${hits.length} results for 梯度下降 from fr/, ${hrefs.length} for softmax`;
  });

  const fixture = new Site(browser, fixtureDir);
  await check(fixture, "a stale translation shows the staleness banner", async () => {
    const page = await fixture.open("fr/lessons/gradient.html");
    const banner = page.locator(".translation-banner.translation-stale");
    assert(await banner.isVisible(), "no visible staleness banner");
    const text = await banner.textContent();
    assert(text.includes("English") && text.includes("a changé"), `banner: ${text}`);
    assert((await banner.locator("a").getAttribute("href")) === "https://example.org/edit/content/fr/lessons/gradient.md", "no link to the translation");
    await page.goto(fixture.url("fr/lessons/loss.html"));
    assert((await page.$(".translation-banner")) === null, "an up-to-date translation shows a banner");
    await page.context().close();
    return text.trim();
  });

  await check(fixture, "scripts write numbers the page's way, as the build does", async () => {
    const page = await fixture.open("fr/index.html");
    // Each script brings its own words: the search's come with search.js, which loads when
    // the reader points at the search button. A line number is passed as a string, as the
    // exercise editor passes it (`exercise_at_line`), to stay ungrouped.
    const said = async () => {
      await page.hover("#search-open");
      await page.waitForFunction(() => window.__labbookSearch && window.__labbookSearch.ui);
      return page.evaluate(() => {
        window.labbook.ui.test_at_line = "line {line}";
        return {
          count: window.labbook.t("search_pages", { count: 1234 }),
          number: window.labbook.number(1234567.5),
          line: window.labbook.t("test_at_line", { line: "1234" }),
        };
      });
    };
    const fr = await said();
    assert(fr.count.includes("1\u202f234") && fr.number === "1\u202f234\u202f567,5", JSON.stringify(fr));
    assert(fr.line.includes("1234"), `a line number is grouped: ${fr.line}`);
    await page.goto(fixture.url("en/index.html"));
    const en = await said();
    assert(en.count.includes("1,234") && en.number === "1,234,567.5", JSON.stringify(en));
    await page.context().close();
    return `${fr.count} · ${en.count}`;
  });

  await check(fixture, "an Arabic page's exercise editor and search dialog lay out right to left, code left to right", async () => {
    const page = await fixture.open("ar/index.html");
    const block = page.locator("section.lb-exercise");
    await block.locator(".lb-ex-toolbar button").first().waitFor({ timeout: 5000 });
    const editor = await page.evaluate(() => {
      const section = document.querySelector("section.lb-exercise");
      const box = (el) => el.getBoundingClientRect();
      const gutter = section.querySelector(".lb-ed-gutter");
      const input = section.querySelector(".lb-ed-input");
      const buttons = [...section.querySelectorAll(".lb-ex-toolbar button")].filter((b) => !b.hidden && box(b).width > 0);
      return {
        block: getComputedStyle(section).direction,
        code: getComputedStyle(input).direction,
        gutterLeftOfCode: box(gutter).right <= box(input).left + 1,
        firstButtonRightmost: box(buttons[0]).left > box(buttons[buttons.length - 1]).left,
        title: section.querySelector(".lb-exercise-title").textContent,
        label: getComputedStyle(section.querySelector(".lb-exercise-title"), "::before").content,
        run: buttons[0].textContent,
      };
    });
    assert(editor.block === "rtl" && editor.code === "ltr", JSON.stringify(editor));
    assert(editor.gutterLeftOfCode, "the line numbers are not left of the code");
    assert(editor.firstButtonRightmost, "the toolbar does not run right to left");
    assert(editor.title === "ضاعف عددًا" && editor.label === '"تمرين"', `title ${editor.title}, label ${editor.label}`);
    // The search dialog: right to left, and Arabic finds the Arabic page.
    await page.locator(".lb-ed-input").blur();
    await page.keyboard.press("/");
    await page.waitForSelector(".search-dialog:not([hidden])", { timeout: 3000 });
    await page.fill("#search-input", "الخسارة");
    const hits = await until(
      () => page.evaluate(() => {
        const links = [...document.querySelectorAll(".search-results a.search-hit-link")];
        if (!links.length) return null;
        const panel = document.querySelector(".search-panel").getBoundingClientRect();
        const title = links[0].querySelector(".search-title").getBoundingClientRect();
        return {
          hrefs: links.map((a) => a.getAttribute("href")),
          panel: getComputedStyle(document.querySelector(".search-panel")).direction,
          input: getComputedStyle(document.getElementById("search-input")).direction,
          // A right-to-left title ends at the panel's right side.
          titleRight: panel.right - title.right < 40,
        };
      }),
      "no results for الخسارة",
      5000,
    );
    assert(hits.panel === "rtl" && hits.input === "rtl" && hits.titleRight, JSON.stringify(hits));
    assert(hits.hrefs.some((h) => h.startsWith("index.html")), `the Arabic index is not found: ${hits.hrefs}`);
    await page.context().close();
    return `${editor.label} ${editor.title} · ${hits.hrefs.length} results`;
  });
}

await main(import.meta.url, "i18n.mjs", run);
