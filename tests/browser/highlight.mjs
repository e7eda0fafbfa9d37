// One Python highlighting: code typed in an exercise editor must look like the same code in the
// page's build-time highlighted blocks, in headless Chromium from file://:
//
//   node tests/browser/highlight.mjs <site-dir>
//
// On every lesson page with an exercise, each Python code block of the page (outside the
// exercise) is put into the page's first editor; then, character by character, the computed
// colour, weight and style of the static block and of the editor's highlighted overlay must be
// the same, in the light and the dark theme. It also names the token kinds it saw agree
// (keyword, string, comment, number, builtin, ...) and requires those five among them.
import { Site, assert, check, main, siteDirFromArgs } from "./lib.mjs";
import fs from "node:fs";
import path from "node:path";

/** For each character of the element's text: [char, "colour weight style", kind of the editor token or ""]. */
function styleMap(root) {
  const out = [];
  const walk = (node) => {
    if (node.nodeType === Node.TEXT_NODE) {
      const parent = node.parentElement;
      const s = getComputedStyle(parent);
      const look = `${s.color} ${s.fontWeight} ${s.fontStyle}`;
      const kind = [...parent.classList].find((c) => c.startsWith("lb-t-")) || "";
      for (const ch of node.data) out.push([ch, look, kind.slice(5)]);
      return;
    }
    const lines = node.classList && node.classList.contains("lb-ed-line");
    if (lines && out.length) out.push(["\n", "", ""]); // the editor has one <div> per line
    for (const child of node.childNodes) walk(child);
  };
  walk(root);
  return out;
}

export async function run(browser, args) {
  const dir = siteDirFromArgs("highlight.mjs", args);
  const site = new Site(browser, dir);
  console.log(`site: ${site.dir}`);
  const seen = new Map(); // kind -> characters compared
  const pages = site.files(".html").filter((rel) => {
    if (rel === "print.html") return false;
    const html = fs.readFileSync(path.join(site.dir, rel), "utf8");
    return html.includes('<section class="lb-exercise"') && html.includes('data-lang="python"');
  });
  assert(pages.length, "no page has both an exercise and a Python code block");
  for (const theme of ["light", "dark"]) {
    for (const rel of pages) {
      await check(site, `${rel} (${theme}): Python code looks the same in its blocks and in the editor`, async () => {
        const page = await site.open(rel, { colorScheme: theme });
        await page.evaluate((t) => {
          localStorage.setItem("labbook-theme", t);
          document.documentElement.dataset.theme = t;
        }, theme);
        const area = page.locator("section.lb-exercise .lb-ed-input").first();
        await area.waitFor();
        const blocks = page.locator('pre.code[data-lang="python"]:not(section.lb-exercise pre)');
        const count = await blocks.count();
        assert(count > 0, "the page shows no Python code block outside its exercises");
        let chars = 0;
        for (let b = 0; b < count; b++) {
          const block = blocks.nth(b);
          const code = await block.locator("code").evaluate((c) => c.textContent);
          await area.evaluate((a, text) => {
            a.value = text;
            a.dispatchEvent(new Event("input", { bubbles: true }));
          }, code);
          const fixed = await block.locator("code").evaluate(styleMap);
          const live = await page.locator("section.lb-exercise .lb-ed-highlight code").first().evaluate(styleMap);
          const text = (m) => m.map(([ch]) => ch).join("");
          assert(text(live) === code.replace(/\n$/, "") || text(live) === code, `block ${b + 1}: the editor shows other text than the block`);
          const wrong = [];
          for (let i = 0; i < fixed.length && i < live.length; i++) {
            const [ch, want] = fixed[i];
            const [, got, kind] = live[i];
            if (/\s/.test(ch)) continue;
            chars++;
            if (want === got) seen.set(kind || "plain", (seen.get(kind || "plain") || 0) + 1);
            else {
              const line = code.slice(0, i).split("\n").length;
              const word = code.slice(Math.max(0, i - 12), i + 12).replace(/\n/g, "⏎");
              wrong.push(`block ${b + 1} line ${line}: ${JSON.stringify(ch)} in ${JSON.stringify(word)} is ${want} in the block, ${got} in the editor (${kind || "plain"})`);
            }
          }
          assert(wrong.length === 0, `${wrong.length} characters differ:\n${wrong.slice(0, 12).join("\n")}`);
        }
        return `${count} blocks, ${chars} characters`;
      });
    }
  }
  await check(site, "the compared code covers keywords, strings, comments, numbers and builtins", async () => {
    const want = { kw: "a keyword", str: "a string", com: "a comment", num: "a number", bi: "a builtin" };
    for (const [kind, what] of Object.entries(want)) assert(seen.get(kind), `${what} (.lb-t-${kind}) was never compared`);
    return [...seen].map(([k, n]) => `${k} ${n}`).join(", ");
  });
}

await main(import.meta.url, "highlight.mjs", run);
