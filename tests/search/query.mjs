// Runs search queries against a built site's index the way a browser does, without one:
// the theme's search.js is evaluated in a Node vm context with a fake window and document,
// and every <script> tag it adds is answered by evaluating that file of the site.
//
//   node tests/search/query.mjs <site-dir> <query>...
//
// A query is plain text, or JSON {"q": "...", "kind": "...", "tag": "...", "limit": n, "offset": n}.
// Each query runs in a fresh context (a cold cache), and the output is one JSON array:
// [{query, total, results: [{title, url, anchor, kind, tags, excerpt}], loaded: [files], bytes}],
// where `bytes` is the size of every index file the query loaded (search.js itself excluded).
import fs from "node:fs";
import path from "node:path";
import vm from "node:vm";

const [dir, ...queries] = process.argv.slice(2);
if (!dir || queries.length === 0) {
  console.error("usage: node query.mjs <site-dir> <query>...");
  process.exit(2);
}
const assets = fs.readdirSync(path.join(dir, "assets"));
const searchJs = assets.find((name) => /^search\.[0-9a-f]+\.js$/.test(name));
if (!searchJs) {
  console.error(`no assets/search.<hash>.js in ${dir}`);
  process.exit(2);
}
const engine = fs.readFileSync(path.join(dir, "assets", searchJs), "utf8");

/** A fresh page: search.js evaluated with a document whose script tags load site files. */
function freshPage() {
  const loaded = [];
  let bytes = 0;
  const head = {
    appendChild(script) {
      const file = path.join(dir, script.src);
      setImmediate(() => {
        let code;
        try {
          code = fs.readFileSync(file, "utf8");
        } catch {
          script.onerror && script.onerror(new Error(`missing ${script.src}`));
          return;
        }
        loaded.push(script.src);
        bytes += Buffer.byteLength(code);
        vm.runInContext(code, context, { filename: script.src });
        script.onload && script.onload();
      });
    },
  };
  const document = {
    documentElement: { dataset: { root: "" } },
    head,
    createElement: () => ({}),
  };
  const context = vm.createContext({ document, Intl, URLSearchParams, console, setTimeout, clearTimeout });
  context.window = context;
  vm.runInContext(engine, context, { filename: searchJs });
  return { api: context.__labbookSearch, stats: () => ({ loaded: [...loaded], bytes }) };
}

const out = [];
for (const raw of queries) {
  const spec = raw.startsWith("{") ? JSON.parse(raw) : { q: raw };
  const page = freshPage();
  const found = await page.api.search(spec.q, { kind: spec.kind, tag: spec.tag, limit: spec.limit, offset: spec.offset });
  const stats = page.stats();
  out.push({
    query: spec.q,
    total: found.total,
    results: found.results.map((r) => ({
      title: r.title,
      url: r.url,
      anchor: r.anchor,
      kind: r.kind,
      tags: r.tags,
      excerpt: r.excerpt,
    })),
    loaded: stats.loaded,
    bytes: stats.bytes,
  });
}
console.log(JSON.stringify(out, null, 1));
