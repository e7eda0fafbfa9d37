// labbook search: an offline index loaded piece by piece with <script> tags, so it works
// from file:// as well as over HTTP. No framework, no fetch.
//
// Files (written by `labbook build` into search/, see src/search/):
//   entry.js            -> entry({meta: "meta.<hash>.js"}) or entry(null) when search is off
//   meta.<hash>.js      -> meta({shards: [[firstKey, hash]...], pages, sections, avgLen, boost, stop,
//                                pageBucket, pageHashes: [hash of pages n*pageBucket.. each], ...})
//   shard-<n>.<hash>.js -> shard(n, {key: "postings[=stem]"}) for one range of keys
//   page-<n>.<hash>.js  -> page(n, {title, url, crumbs, kind, tags, sections: [[anchor, heading, text]]})
//   filters.<hash>.js   -> filters({kind: {name: pages}, tag: {name: pages}})
// The engine below is DOM-free (tests run it in Node); the UI at the end needs a page.
(function () {
  "use strict";

  const doc = document.documentElement;
  const root = (doc && doc.dataset && doc.dataset.root) || "";
  const BASE = root + "search/";
  const api = (window.__labbookSearch = window.__labbookSearch || {});

  /* ---------- loader: each file once, through a script tag ---------- */
  // One index per language of a translated book (`search/` of each `<root>/../<code>/`):
  // a file registers with the index whose loader added its script tag (`data-index`), so
  // two languages' `shard(0, ...)` never meet. The reader's own index answers files that
  // say nothing (a page without `document.currentScript`, as the Node tests run it).
  const indexes = new Map(); // base -> index
  /** The state of the index under `base`: its registry, files and caches. */
  function index(base) {
    if (indexes.has(base)) return indexes.get(base);
    const received = new Map(); // registry key -> data
    const loading = new Map(); // file name -> Promise of data
    const load = (file, key) => {
      if (loading.has(file)) return loading.get(file);
      const promise = new Promise((resolve, reject) => {
        const script = document.createElement("script");
        script.src = base + file;
        script.async = true;
        if (script.dataset) script.dataset.index = base;
        script.onload = () => (received.has(key) ? resolve(received.get(key)) : reject(new Error(`${file} did not register`)));
        script.onerror = () => {
          loading.delete(file);
          reject(new Error(`cannot load ${base + file}`));
        };
        api.loaded.push(file);
        (document.head || document.documentElement).appendChild(script);
      });
      loading.set(file, promise);
      return promise;
    };
    const ix = { base, received, load, shardKeys: new Map(), dictionaries: new Map(), metaPromise: null, filtersPromise: null };
    indexes.set(base, ix);
    return ix;
  }
  const own = index(BASE);
  const registry = () => {
    const script = document.currentScript;
    const base = script && script.dataset ? script.dataset.index : null;
    return ((base && indexes.get(base)) || own).received;
  };
  api.entry = (data) => registry().set("entry", data);
  api.meta = (data) => registry().set("meta", data);
  api.shard = (n, data) => registry().set("shard:" + n, data);
  api.page = (n, data) => registry().set("page:" + n, data);
  api.filters = (data) => registry().set("filters", data);
  api.words = (name, n, data) => registry().set(name + ":" + n, data);
  /** Files this page loaded, in order (tests and benchmarks read it). */
  api.loaded = [];
  const load = own.load;

  /** The meta data of index `ix` (the reader's by default), or null when search is off. */
  function meta(ix = own) {
    if (!ix.metaPromise) {
      ix.metaPromise = ix.load("entry.js", "entry").then((entry) =>
        entry
          ? ix.load(entry.meta, "meta").then((m) => {
              // The engine below takes the meta data; its index rides along with it.
              if (!m.$) Object.defineProperty(m, "$", { value: ix });
              return m;
            })
          : null,
      );
      ix.metaPromise.catch(() => (ix.metaPromise = null));
    }
    return ix.metaPromise;
  }
  api.ready = () => meta();

  /* ---------- text: the same splitting as src/search/tokenize.rs ---------- */
  const CJK = /[\u1100-\u11FF\u3040-\u30FF\u3130-\u318F\u3400-\u4DBF\u4E00-\u9FFF\uAC00-\uD7AF\uF900-\uFAFF\uFF66-\uFF9F\u{20000}-\u{2FA1F}]/u;
  const CJK_RUNS = new RegExp(`(${CJK.source}+)`, "u");
  const segmenter = typeof Intl !== "undefined" && Intl.Segmenter ? new Intl.Segmenter("en", { granularity: "word" }) : null;

  function normalize(word) {
    return word.toLowerCase().replace(/[\u2018\u2019]/g, "'");
  }

  /** Words of non-CJK text, Unicode word boundaries (UAX #29), as unicode_words() does. */
  function plainWords(text) {
    if (segmenter) {
      const out = [];
      for (const s of segmenter.segment(text)) if (s.isWordLike) out.push(normalize(s.segment));
      return out;
    }
    return (text.match(/[\p{L}\p{M}\p{N}_]+(?:['.][\p{L}\p{M}\p{N}_]+)*/gu) || []).map(normalize);
  }

  /**
   * `word` without an elided word glued to it by an apostrophe (French `l'erreur` is
   * `erreur`), as the index was built: `elisions` comes from its meta (`tokenize.rs`).
   */
  function unelide(word, elisions) {
    const at = word.indexOf("'");
    return at > 0 && at + 1 < word.length && elisions && elisions.includes(word.slice(0, at)) ? word.slice(at + 1) : word;
  }

  /**
   * Query words: [{word, cjk, end}] where `end` is the offset after the word in `text`.
   * A CJK run becomes its bigrams (or the single character); `elisions` are the index
   * language's elided words.
   */
  function words(text, elisions) {
    const out = [];
    for (const part of text.split(CJK_RUNS)) {
      if (!part) continue;
      if (CJK.test(part)) {
        const chars = Array.from(part);
        if (chars.length === 1) out.push({ word: chars[0], cjk: true });
        for (let i = 0; i + 1 < chars.length; i++) out.push({ word: chars[i] + chars[i + 1], cjk: true });
      } else {
        for (const w of plainWords(part)) if (Array.from(w).length <= 40) out.push({ word: unelide(w, elisions), cjk: false });
      }
    }
    return out;
  }

  /**
   * Parses a query: quoted phrases, and whether the last word is still being typed
   * (no space or closing quote after it), which makes it a prefix.
   */
  function parse(text, elisions) {
    const phrases = [];
    const parts = [];
    const re = /"([^"]*)("?)/g;
    let last = 0;
    let m;
    while ((m = re.exec(text))) {
      parts.push({ text: text.slice(last, m.index), phrase: false });
      parts.push({ text: m[1], phrase: true, closed: m[2] === '"' });
      last = re.lastIndex;
    }
    parts.push({ text: text.slice(last), phrase: false });
    const groups = [];
    for (const part of parts) {
      const ws = words(part.text, elisions);
      if (part.phrase && ws.length > 1) phrases.push(ws.map((w) => w.word));
      for (const w of ws) groups.push({ word: w.word, cjk: w.cjk, prefix: false });
    }
    const tail = text.length > 0 && !/[\s"]$/.test(text);
    if (tail && groups.length > 0) {
      const g = groups[groups.length - 1];
      g.prefix = g.cjk || Array.from(g.word).length >= 2;
    }
    return { groups, phrases };
  }

  /* ---------- index access ---------- */
  /** The number of the file in `list` ([[first key, hash]...], in key order) that holds `key`. */
  function rangeIndex(list, key) {
    let lo = 0;
    let hi = list.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (list[mid][0] <= key) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  function shardIndex(m, key) {
    return rangeIndex(m.shards, key);
  }

  /** Shard `n` of the index of `m`; its sorted keys go to `m.$.shardKeys`. */
  function loadShard(m, n) {
    const keys = m.$.shardKeys;
    return m.$.load(`shard-${n}.${m.shards[n][1]}.js`, "shard:" + n).then((data) => {
      if (!keys.has(n)) keys.set(n, Object.keys(data).sort());
      return data;
    });
  }

  /**
   * The raw entry of `key`: {postings: string, stem: string|null, cut: null | {sections, pages}}
   * or null. `cut` says the postings were cut to the term's best sections and gives its true counts.
   */
  async function entry(m, key) {
    const data = await loadShard(m, shardIndex(m, key));
    if (!Object.prototype.hasOwnProperty.call(data, key)) return null;
    let value = data[key];
    let cut = null;
    if (value[0] === "!") {
      const end = value.indexOf("!", 1);
      const [sections, pages] = value.slice(1, end).split(".").map(Number);
      cut = { sections, pages };
      value = value.slice(end + 1);
    }
    const eq = value.indexOf("=");
    return eq < 0 ? { postings: value, stem: null, cut } : { postings: value.slice(0, eq), stem: value.slice(eq + 1), cut };
  }

  const DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const DIGIT = new Map(Array.from(DIGITS, (c, i) => [c, i]));
  /** Postings string -> flat [page, section, tf, flags, len, ...]; flags: 1 title, 2 heading, 4 only in code. */
  function decode(s) {
    const nums = [];
    let value = 0;
    let shift = 0;
    for (let i = 0; i < s.length; i++) {
      const d = DIGIT.get(s[i]);
      value += (d & 31) * 2 ** shift;
      if (d & 32) shift += 5;
      else {
        nums.push(value);
        value = 0;
        shift = 0;
      }
    }
    const out = [];
    let page = 0;
    for (let i = 0; i + 3 < nums.length; i += 4) {
      page += nums[i];
      // The length comes in units of 8 words.
      out.push(page, nums[i + 1], nums[i + 2] >> 3, nums[i + 2] & 7, Math.max(nums[i + 3] * 8, 4));
    }
    return out;
  }

  /** Postings of a stem (the key itself, whatever else it redirects to), and its true counts if cut. */
  async function postingsOf(m, stem) {
    const e = await entry(m, stem);
    return { list: e && e.postings ? decode(e.postings) : [], cut: e ? e.cut : null };
  }

  /* ---------- typos: the spelling dictionary (words-<n>.js, rwords-<n>.js) ---------- */
  /** Weights of a word found through a correction, by edits: below exact (1) and prefix (0.7) matches. */
  const TYPO_WEIGHT = [1, 0.5, 0.35];
  /** At most this many corrections of one word are looked up (each may load a shard). */
  const MAX_CORRECTIONS = 6;

  /** Edits allowed in a misspelt word of `n` characters: 1 for 4 to 7, 2 from 8, none below 4. */
  function maxEdits(n) {
    return n >= 8 ? 2 : n >= 4 ? 1 : 0;
  }

  /** Front-coded words (see src/search/index.rs, write_dictionary) -> array of words. */
  function decodeWords(data) {
    const chars = Array.from(data);
    const out = [];
    let previous = [];
    let i = 0;
    while (i < chars.length) {
      const shared = DIGIT.get(chars[i++]);
      let end = i;
      while (end < chars.length && chars[end] !== " ") end++;
      const word = previous.slice(0, shared).concat(chars.slice(i, end));
      out.push(word.join(""));
      previous = word;
      i = end + 1;
    }
    return out;
  }

  /** Words of dictionary `name` ("words" or "rwords") that start with `prefix`, from at most two of its files. */
  async function wordsStarting(m, name, prefix) {
    const list = m[name];
    if (!list || !list.length) return [];
    const first = rangeIndex(list, prefix);
    const last = Math.min(rangeIndex(list, prefix + "\uffff"), first + 1);
    const out = [];
    for (let n = first; n <= last; n++) {
      const key = name + ":" + n;
      const data = await m.$.load(`${name}-${n}.${list[n][1]}.js`, key);
      const dictionaries = m.$.dictionaries; // "words:n" -> decoded words
      if (!dictionaries.has(key)) dictionaries.set(key, decodeWords(data));
      for (const w of dictionaries.get(key)) if (w.startsWith(prefix)) out.push(w);
    }
    return out;
  }

  /**
   * Edit distance with adjacent transpositions (optimal string alignment) between two arrays
   * of characters; anything above `max` is reported as `max + 1`.
   */
  function editDistance(a, b, max) {
    if (Math.abs(a.length - b.length) > max) return max + 1;
    let before = null;
    let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      const row = [i];
      let best = i;
      for (let j = 1; j <= b.length; j++) {
        let d = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, before[j - 2] + 1);
        row.push(d);
        best = Math.min(best, d);
      }
      if (best > max) return max + 1;
      before = previous;
      previous = row;
    }
    return previous[b.length];
  }

  /**
   * The index words a misspelt `word` may stand for: [{word, edits}], fewest edits first.
   * With k edits allowed, a word split in k + 1 parts keeps one part intact; the first and
   * the last part are looked up as a prefix of `words` and of `rwords` (words spelt
   * backwards), so a correction costs a few small files, not the whole vocabulary. (Two
   * edits, one in the first part and one in the last, are not found.)
   */
  async function corrections(m, word) {
    const chars = Array.from(word);
    const max = maxEdits(chars.length);
    if (!max || !m.words || !/^\p{L}+$/u.test(word)) return [];
    const head = Math.max(2, Math.floor(chars.length / (max + 1)));
    // One edit: either the first `head` characters are intact, or everything after the edit
    // is, and a swap across the split point spares all but one character after it.
    const tail = max === 1 ? Math.max(2, chars.length - head - 1) : head;
    const [forward, backward] = await Promise.all([
      wordsStarting(m, "words", chars.slice(0, head).join("")),
      wordsStarting(m, "rwords", chars.slice(chars.length - tail).reverse().join("")),
    ]);
    const candidates = new Set(forward);
    for (const w of backward) candidates.add(Array.from(w).reverse().join(""));
    const found = [];
    for (const candidate of candidates) {
      const other = Array.from(candidate);
      const edits = editDistance(chars, other, max);
      if (edits <= max && edits > 0) found.push({ word: candidate, edits, gap: Math.abs(other.length - chars.length) });
    }
    found.sort((a, b) => a.edits - b.edits || a.gap - b.gap || (a.word < b.word ? -1 : a.word > b.word ? 1 : 0));
    return found.slice(0, MAX_CORRECTIONS).map(({ word, edits }) => ({ word, edits }));
  }
  api.corrections = corrections;

  /**
   * The stems one query word stands for, with weights: the word's own stem (looked up
   * through the surface forms the index saw), and for a prefix every key starting with it.
   * A word that matches nothing is looked up in the spelling dictionary. Sets `group.shown`
   * to the word a result link should carry: the word as typed, or its best correction.
   */
  async function expand(m, group) {
    const stems = new Map();
    const add = (stem, weight) => stems.set(stem, Math.max(stems.get(stem) || 0, weight));
    group.shown = group.word;
    const exact = await entry(m, group.word);
    if (exact) {
      if (exact.postings) add(group.word, 1);
      if (exact.stem) add(exact.stem, 1);
    } else if (m.stemmer === "english" && !group.cjk) {
      // A form the book never uses ("optimizes"): try the usual English endings off.
      for (const base of englishBases(group.word)) {
        const e = await entry(m, base);
        if (e) {
          add(e.stem || base, 0.9);
          break;
        }
      }
    }
    if (group.prefix) {
      const first = shardIndex(m, group.word);
      const lastShard = Math.min(shardIndex(m, group.word + "\uffff"), first + 2);
      const candidates = [];
      for (let n = first; n <= lastShard; n++) {
        const data = await loadShard(m, n);
        for (const key of m.$.shardKeys.get(n)) {
          if (key !== group.word && key.startsWith(group.word)) candidates.push([key, data[key]]);
        }
      }
      candidates.sort((a, b) => a[0].length - b[0].length || (a[0] < b[0] ? -1 : 1));
      for (const [key, value] of candidates.slice(0, 40)) {
        const eq = value.indexOf("=");
        if (eq !== 0) add(key, 0.7);
        if (eq >= 0) add(value.slice(eq + 1), 0.7);
      }
    }
    if (stems.size === 0 && !group.cjk) {
      // The link carries the correction most used in the book among those with fewest edits.
      let best = null;
      for (const { word, edits } of await corrections(m, group.word)) {
        const e = await entry(m, word);
        if (!e) continue;
        if (e.postings) add(word, TYPO_WEIGHT[edits]);
        if (e.stem) add(e.stem, TYPO_WEIGHT[edits]);
        const uses = (await postingsOf(m, e.stem || word)).list.length;
        if (!best || edits < best.edits || (edits === best.edits && uses > best.uses)) best = { word, edits, uses };
      }
      if (best) group.shown = best.word;
    }
    return stems;
  }

  /** Candidate stems of an English word form the index has not seen, most likely first. */
  function englishBases(word) {
    const out = [];
    for (const suffix of ["ing", "ed", "es", "s", "ly", "er", "est", "ation", "ment"]) {
      if (word.endsWith(suffix) && word.length - suffix.length >= 3) {
        const base = word.slice(0, -suffix.length);
        out.push(base, base + "e");
        if (base.endsWith("i")) out.push(base.slice(0, -1) + "y");
        if (base.length > 3 && base[base.length - 1] === base[base.length - 2]) out.push(base.slice(0, -1));
      }
    }
    return out;
  }

  /* ---------- ranking: BM25 per section, title and heading boosts ---------- */
  const K1 = 1.2;
  const B = 0.75;
  /** A body match only inside code (examples, listings) counts this much (CODE_WEIGHT in index.rs). */
  const CODE_WEIGHT = 0.3;

  /**
   * Ranks pages for parsed query groups. Returns [{page, score, matched, sections: [[section, score]...]}],
   * best first: pages holding every word first, then by score.
   */
  async function rank(m, query) {
    let groups = query.groups;
    // Stop words carry no weight, unless the query is nothing else.
    const stop = new Set(m.stop);
    const content = groups.filter((g) => !stop.has(g.word) || g.prefix);
    if (content.length > 0) groups = content;
    const [boostTitle, boostHeading] = m.boost;
    const pages = new Map(); // page -> Map(section -> array of per-group scores)
    const stemsByGroup = await Promise.all(groups.map((g) => expand(m, g)));
    const terms = new Set();
    // A word whose own stems are in most sections (their postings were cut at build time)
    // is optional when the query has rarer words, like a stop word. Words it is a prefix of
    // do not change that: they only add matches.
    const common = new Array(groups.length).fill(false);
    let estimate = 0;
    for (let g = 0; g < groups.length; g++) {
      let own = 0;
      let cutOwn = 0;
      // A word's own stems: its exact ones, or, for a word matched only by prefix or by
      // correction, its best-weighted ones.
      const top = Math.max(0, ...stemsByGroup[g].values());
      for (const [stem, weight] of stemsByGroup[g]) {
        terms.add(stem);
        const { list: p, cut } = await postingsOf(m, stem);
        if (weight === top) {
          own++;
          if (cut) {
            cutOwn++;
            estimate = Math.max(estimate, cut.pages);
          }
        }
        const df = cut ? cut.sections : p.length / 5;
        if (df === 0) continue;
        const idf = Math.log(1 + (m.sections - df + 0.5) / (df + 0.5));
        for (let i = 0; i < p.length; i += 5) {
          const [page, section, tf, flags, len] = [p[i], p[i + 1], p[i + 2], p[i + 3], p[i + 4]];
          // Body text saturates (BM25); a title or heading match adds its boost on top, so a
          // section headed by the words beats one that only repeats them.
          const norm = K1 * (1 - B + (B * len) / (m.avgLen || 1));
          const body = ((tf * (K1 + 1)) / (tf + norm)) * (flags & 4 ? CODE_WEIGHT : 1);
          const score = weight * idf * (body + (flags & 1 ? boostTitle : 0) + (flags & 2 ? boostHeading : 0));
          let sections = pages.get(page);
          if (!sections) pages.set(page, (sections = new Map()));
          let scores = sections.get(section);
          if (!scores) sections.set(section, (scores = new Array(groups.length).fill(0)));
          scores[g] = Math.max(scores[g], score);
        }
      }
      common[g] = own > 0 && cutOwn === own;
    }
    const required = common.every(Boolean) ? common.map(() => true) : common.map((c) => !c);
    const ranked = [];
    for (const [page, sections] of pages) {
      const matched = new Set();
      const list = [];
      for (const [section, scores] of sections) {
        let sum = 0;
        scores.forEach((s, g) => {
          if (s > 0 && required[g]) matched.add(g);
          sum += s;
        });
        list.push([section, sum]);
      }
      list.sort((a, b) => b[1] - a[1]);
      const rest = list.slice(1).reduce((a, s) => a + s[1], 0);
      ranked.push({ page, score: list[0][1] + 0.3 * rest, matched: matched.size, sections: list });
    }
    ranked.sort((a, b) => b.matched - a.matched || b.score - a.score || a.page - b.page);
    // With one word cut at build time, the true number of pages holding it.
    const single = groups.length === 1 && common[0] ? estimate : 0;
    const shown = [...new Set(groups.map((g) => g.shown))];
    return { ranked, groups: required.filter(Boolean).length, terms: [...terms], shown, estimate: single };
  }

  /* ---------- filters ---------- */
  function decodeList(s) {
    const out = [];
    let value = 0;
    let shift = 0;
    let last = 0;
    for (let i = 0; i < s.length; i++) {
      const d = DIGIT.get(s[i]);
      value += (d & 31) * 2 ** shift;
      if (d & 32) shift += 5;
      else {
        last = out.length === 0 ? value : last + value;
        out.push(last);
        value = 0;
        shift = 0;
      }
    }
    return out;
  }

  /** {kind: {name: Set(pages)}, tag: {name: Set(pages)}}, loaded on first use. */
  function filters(m) {
    if (!m.$.filtersPromise) {
      m.$.filtersPromise = m.$.load(m.filters, "filters").then((data) => {
        const out = {};
        for (const field of ["kind", "tag"]) {
          out[field] = {};
          for (const [name, list] of Object.entries(data[field] || {})) out[field][name] = new Set(decodeList(list));
        }
        return out;
      });
    }
    return m.$.filtersPromise;
  }

  /* ---------- excerpts and highlighting ---------- */
  function escapeHtml(s) {
    return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
  }
  function escapeRegExp(s) {
    return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }

  /**
   * A regular expression matching the words to highlight: words starting with a term (a stem
   * or a typed word), and CJK terms anywhere. Null when nothing to highlight.
   */
  function highlighter(terms) {
    const latin = [];
    const cjk = [];
    for (const t of new Set(terms)) {
      if (!t) continue;
      if (CJK.test(t)) cjk.push(escapeRegExp(t));
      else if (Array.from(t).length >= 2 || /\p{N}/u.test(t)) latin.push(escapeRegExp(t));
    }
    const alternatives = [];
    latin.sort((a, b) => b.length - a.length);
    if (latin.length) alternatives.push(`(?<![\\p{L}\\p{N}_])(?:${latin.join("|")})[\\p{L}\\p{N}_'’]*`);
    if (cjk.length) alternatives.push(cjk.join("|"));
    return alternatives.length ? new RegExp(alternatives.join("|"), "giu") : null;
  }
  api.highlighter = highlighter;

  /** HTML of `text` with matches of `re` in <mark>. */
  function markHtml(text, re) {
    if (!re) return escapeHtml(text);
    let out = "";
    let last = 0;
    re.lastIndex = 0;
    let m;
    while ((m = re.exec(text))) {
      if (m[0] === "") {
        re.lastIndex++;
        continue;
      }
      out += escapeHtml(text.slice(last, m.index)) + "<mark>" + escapeHtml(m[0]) + "</mark>";
      last = m.index + m[0].length;
    }
    return out + escapeHtml(text.slice(last));
  }

  /** About `size` characters of `text` around its first match, as HTML with marks. */
  function excerpt(text, re, size = 180) {
    let at = 0;
    if (re) {
      re.lastIndex = 0;
      const m = re.exec(text);
      if (m) at = m.index;
    }
    let start = Math.max(0, at - Math.floor(size / 3));
    if (start > 0) {
      const space = text.indexOf(" ", start);
      start = space >= 0 && space < at ? space + 1 : start;
    }
    let end = Math.min(text.length, start + size);
    if (end < text.length) {
      const space = text.lastIndexOf(" ", end);
      if (space > at) end = space;
    }
    return (start > 0 ? "… " : "") + markHtml(text.slice(start, end), re) + (end < text.length ? " …" : "");
  }

  /** Does the section text hold the phrase (consecutive words)? */
  function hasPhrase(text, phrase, elisions) {
    const ws = words(text, elisions).map((w) => w.word);
    outer: for (let i = 0; i + phrase.length <= ws.length; i++) {
      for (let j = 0; j < phrase.length; j++) if (ws[i + j] !== phrase[j]) continue outer;
      return true;
    }
    return false;
  }

  function pageFile(m, n) {
    // One hash per run of `pageBucket` pages (an edit renames only its own run's files).
    return `page-${n}.${m.pageHashes[Math.floor(n / m.pageBucket)]}.js`;
  }

  /**
   * Runs a query. options: {kind, tag, limit (default 5, like Pagefind: the UI asks for more), offset}. Resolves to
   * {results: [{title, url, crumbs, kind, tags, anchor, excerpt, sections: [{anchor, heading, excerpt}]}],
   *  total, terms (what excerpts highlight), words (the query's words as typed, or their
   *  corrections: what result links carry in `?q=`), counts: {kind: {...}, tag: {...}} or null
   *  until filters are loaded}.
   */
  async function search(text, options = {}) {
    const m = await meta(options.index);
    if (!m) return { results: [], total: 0, terms: [], counts: null, off: true };
    const limit = options.limit || 5;
    const offset = options.offset || 0;
    const query = parse(text, m.elisions);
    if (query.groups.length === 0) return { results: [], total: 0, terms: [], counts: null };
    let { ranked, groups, terms, shown, estimate } = await rank(m, query);
    // Pages holding every word, when there are any; otherwise the best partial matches.
    if (ranked.length && ranked[0].matched === groups) ranked = ranked.filter((r) => r.matched === groups);
    let counts = null;
    if (options.kind || options.tag || options.counts) {
      const f = await filters(m);
      counts = { kind: {}, tag: {} };
      for (const field of ["kind", "tag"]) {
        for (const [name, set] of Object.entries(f[field])) counts[field][name] = ranked.filter((r) => set.has(r.page)).length;
      }
      if (options.kind && f.kind[options.kind]) ranked = ranked.filter((r) => f.kind[options.kind].has(r.page));
      else if (options.kind) ranked = [];
      if (options.tag && f.tag[options.tag]) ranked = ranked.filter((r) => f.tag[options.tag].has(r.page));
      else if (options.tag) ranked = [];
    }
    const highlight = terms.concat(query.groups.map((g) => g.word), shown);
    const re = highlighter(highlight);
    const results = [];
    let total = options.kind || options.tag ? ranked.length : Math.max(ranked.length, estimate);
    if (query.phrases.length) {
      // Phrases are checked against the page text, best candidates first.
      const verified = [];
      const candidates = ranked.slice(0, 60);
      for (let i = 0; i < candidates.length && verified.length < offset + limit; i += 10) {
        const batch = candidates.slice(i, i + 10);
        const frags = await Promise.all(batch.map((r) => m.$.load(pageFile(m, r.page), "page:" + r.page)));
        batch.forEach((r, k) => {
          const secs = r.sections.filter(([s]) => {
            const sec = frags[k].sections[s];
            const text = sec ? sec[1] + " " + sec[2] : "";
            // A section cut short in its fragment (sec[3]) may hold the phrase further on.
            return query.phrases.every((p) => hasPhrase(text, p, m.elisions) || hasPhrase(frags[k].title, p, m.elisions) || (sec && sec[3]));
          });
          if (secs.length) verified.push({ ...r, sections: secs });
        });
      }
      ranked = verified;
      total = verified.length;
    }
    const page = ranked.slice(offset, offset + limit);
    const frags = await Promise.all(page.map((r) => m.$.load(pageFile(m, r.page), "page:" + r.page)));
    page.forEach((r, k) => {
      const f = frags[k];
      const sections = r.sections
        .filter(([s]) => f.sections[s])
        .slice(0, 3)
        .map(([s]) => {
          const [anchor, heading, body] = f.sections[s];
          return { anchor, heading, excerpt: excerpt(body || heading, re) };
        });
      const best = sections[0] || { anchor: "", heading: "", excerpt: "" };
      results.push({
        title: f.title,
        url: f.url,
        crumbs: f.crumbs,
        kind: f.kind,
        tags: f.tags,
        anchor: best.anchor,
        excerpt: best.excerpt,
        sections,
        score: r.score,
        lang: f.lang || null,
      });
    });
    return { results, total, terms: highlight, words: shown, counts };
  }
  api.search = search;
  api.parse = parse;

  /**
   * Runs a query in the indexes of several languages' sites: `sites` is [{code, root}], the
   * reader's own first (`root` as `data-root`, the others `<root>../<code>/`). Each index
   * answers with the same options; the results are merged by score, each carrying its
   * site's `language` and `root`. A page several sites show with the same text (a fallback
   * page, a model card without a translation: its `lang`) is kept once, from the first site
   * that has it, so the reader stays in their own site. An index that cannot be loaded is
   * left out and named in `missing`. Resolves to what `search` does.
   */
  async function searchAll(text, sites, options = {}) {
    const limit = options.limit || 5;
    const offset = options.offset || 0;
    const outs = await Promise.all(
      sites.map((site) =>
        search(text, { ...options, limit: offset + limit, offset: 0, index: index(site.root + "search/") }).catch(() => null),
      ),
    );
    const seen = new Set();
    const merged = [];
    const terms = [];
    const words = [];
    const missing = [];
    let counts = null;
    let total = 0;
    outs.forEach((out, i) => {
      if (!out) return missing.push(sites[i].code);
      total += out.total;
      terms.push(...(out.terms || []));
      words.push(...(out.words || []));
      if (out.counts) {
        counts = counts || { kind: {}, tag: {} };
        for (const field of ["kind", "tag"]) {
          for (const [name, n] of Object.entries(out.counts[field])) counts[field][name] = (counts[field][name] || 0) + n;
        }
      }
      for (const r of out.results) {
        const key = (r.lang || sites[i].code) + "\u0000" + r.url;
        if (seen.has(key)) {
          total--;
          continue;
        }
        seen.add(key);
        merged.push({ ...r, language: sites[i].code, root: sites[i].root });
      }
    });
    merged.sort((a, b) => b.score - a.score);
    return { results: merged.slice(offset, offset + limit), total, terms, words: [...new Set(words)], counts, missing };
  }
  api.searchAll = searchAll;

  /* ---------- UI: only on a page with the search button ---------- */
  if (typeof document.getElementById !== "function") return;
  const opener = document.getElementById("search-open");

  /** Highlights the terms of `?q=` on the page the reader landed on. */
  function highlightLanding() {
    let q = null;
    try {
      q = new URLSearchParams(window.location.search).get("q");
    } catch (e) {
      return;
    }
    const article = document.querySelector("article.content, main");
    if (!q || !article) return;
    const re = highlighter(q.split(/\s+/).map(normalize));
    if (!re) return;
    const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT, {
      acceptNode: (node) =>
        node.parentElement.closest("script, style, math, .anchor, mark") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT,
    });
    const nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    for (const node of nodes) {
      const text = node.nodeValue;
      re.lastIndex = 0;
      if (!re.test(text)) continue;
      const span = document.createElement("span");
      span.innerHTML = markHtml(text, re).replace(/<mark>/g, '<mark class="search-hit">');
      node.replaceWith(...span.childNodes);
    }
    const marks = document.querySelectorAll("mark.search-hit");
    if (marks.length) {
      doc.classList.add("search-highlighted");
      document.addEventListener("keydown", function clear(event) {
        if (event.key !== "Escape" || document.querySelector(".search-dialog:not([hidden])")) return;
        for (const mark of document.querySelectorAll("mark.search-hit")) mark.replaceWith(document.createTextNode(mark.textContent));
        document.removeEventListener("keydown", clear);
      });
    }
  }

  // The theme's words in the page's language (ui.js); the key itself if ui.js is missing.
  const t = (key, vars) => (window.labbook && window.labbook.t ? window.labbook.t(key, vars) : key);

  // A translated book's languages (the search button's `data-languages`, the page's language
  // switcher as data): the reader's own site first, then the others beside it, `<code>/`.
  const ownCode = doc.lang || "";
  const sites = [{ code: ownCode, name: ownCode, root }];
  try {
    for (const l of JSON.parse((opener && opener.dataset.languages) || "[]")) {
      if (l.current) sites[0].name = l.name;
      else sites.push({ code: l.code, name: l.name, dir: l.dir, root: `${root}../${l.code}/` });
    }
  } catch (e) {
    /* no languages: one site */
  }
  const languageName = (code) => (sites.find((s) => s.code === code) || { name: code }).name;
  /** Whether the reader asked to search every language (kept in this browser). */
  let allLanguages = false;
  try {
    allLanguages = sites.length > 1 && localStorage.getItem("labbook-search-all-languages") === "1";
  } catch (e) {
    /* storage off: the toggle starts off */
  }
  /** The query in the reader's language, or in every language when the toggle is on. */
  function query(text, options) {
    return allLanguages ? searchAll(text, sites, options) : search(text, options);
  }

  function icon(path) {
    return `<svg class="icon" viewBox="0 0 24 24" aria-hidden="true">${path}</svg>`;
  }
  const SEARCH_ICON = icon('<circle cx="11" cy="11" r="7"/><path d="m20 20-3.5-3.5"/>');

  let dialog = null;
  let input = null;
  let list = null;
  let status = null;
  let filterBar = null;
  let moreBar = null;
  let selected = -1;
  let current = { kind: null, tag: null };
  let counts = null; // per-query counts once filters are loaded
  let lastFocus = null;
  let generation = 0;
  let timer = 0;
  /** The results on screen and the query they answer, for "More results". */
  let shown = null;

  function build() {
    dialog = document.createElement("div");
    dialog.className = "search-dialog";
    dialog.hidden = true;
    dialog.setAttribute("role", "dialog");
    dialog.setAttribute("aria-modal", "true");
    dialog.setAttribute("aria-label", t("search"));
    dialog.innerHTML = `<div class="search-panel">
  <div class="search-bar">${SEARCH_ICON}<input id="search-input" type="search" placeholder="${escapeHtml(t("search_placeholder"))}" autocomplete="off" spellcheck="false" role="combobox" aria-expanded="false" aria-controls="search-results" aria-autocomplete="list"><button type="button" class="search-close"><kbd>Esc</kbd><span class="search-close-label">${escapeHtml(t("search_cancel"))}</span><span class="search-visually-hidden"> ${escapeHtml(t("search_close"))}</span></button></div>
  ${sites.length > 1 ? `<div class="search-scope"><label><input type="checkbox" class="search-all-languages"${allLanguages ? " checked" : ""}> ${escapeHtml(t("search_all_languages"))}</label></div>` : ""}
  <div class="search-filters" hidden></div>
  <p class="search-status" role="status" aria-live="polite"></p>
  <ol id="search-results" class="search-results" role="listbox" aria-label="${escapeHtml(t("search_results"))}"></ol>
  <div class="search-more" hidden><button type="button">${escapeHtml(t("search_more"))}</button></div>
  <p class="search-help">${escapeHtml(t("search_help")).replace(/\{(up|down|enter|esc)\}/g, (m, k) => `<kbd>${{ up: "↑", down: "↓", enter: "Enter", esc: "Esc" }[k]}</kbd>`)}</p>
</div>`;
    document.body.appendChild(dialog);
    input = dialog.querySelector("input");
    list = dialog.querySelector(".search-results");
    status = dialog.querySelector(".search-status");
    filterBar = dialog.querySelector(".search-filters");
    moreBar = dialog.querySelector(".search-more");
    moreBar.querySelector("button").addEventListener("click", more);
    const scope = dialog.querySelector(".search-all-languages");
    if (scope) {
      scope.addEventListener("change", () => {
        allLanguages = scope.checked;
        try {
          localStorage.setItem("labbook-search-all-languages", allLanguages ? "1" : "0");
        } catch (e) {
          /* not kept: storage off */
        }
        run(true);
      });
    }
    input.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(run, 120);
    });
    input.addEventListener("keydown", onKey);
    // aria-modal: Tab and Shift+Tab cycle through the dialog's own controls, never the page behind.
    dialog.addEventListener("keydown", trapFocus);
    dialog.querySelector(".search-close").addEventListener("click", close);
    dialog.addEventListener("mousedown", (event) => {
      if (event.target === dialog) close();
    });
    filterBar.addEventListener("click", (event) => {
      if (event.target.closest(".search-more-tags")) {
        allTags = !allTags;
        meta().then((m) => {
          renderFilters(m);
          const toggle = filterBar.querySelector(".search-more-tags");
          if (toggle) toggle.focus();
        });
        return;
      }
      const button = event.target.closest("button[data-field]");
      if (!button) return;
      const field = button.dataset.field;
      current[field] = current[field] === button.dataset.value || !button.dataset.value ? null : button.dataset.value;
      run(true);
    });
  }

  function trapFocus(event) {
    if (event.key !== "Tab" || event.altKey || event.ctrlKey || event.metaKey) return;
    const focusable = Array.from(dialog.querySelectorAll("input, button, a[href], [tabindex]")).filter(
      (el) => el.tabIndex >= 0 && !el.disabled && !el.closest("[hidden]") && el.getClientRects().length > 0,
    );
    if (!focusable.length) return;
    const at = focusable.indexOf(document.activeElement);
    const next = event.shiftKey ? (at <= 0 ? focusable.length - 1 : at - 1) : at < 0 || at === focusable.length - 1 ? 0 : at + 1;
    event.preventDefault();
    focusable[next].focus();
  }

  function open() {
    if (!dialog) build();
    lastFocus = document.activeElement;
    dialog.hidden = false;
    doc.classList.add("search-open");
    input.focus();
    input.select();
    meta()
      .then((m) => {
        if (!m) status.textContent = t("search_off");
        else renderFilters(m);
      })
      .catch(() => (status.textContent = t("search_unavailable")));
    if (input.value) run();
  }

  function close() {
    if (!dialog || dialog.hidden) return;
    dialog.hidden = true;
    doc.classList.remove("search-open");
    if (lastFocus && lastFocus.focus) lastFocus.focus();
    // With nothing to give focus back to (the page's body), the hidden input would keep it
    // until the browser noticed, and swallow the next "/" as typing.
    if (dialog.contains(document.activeElement)) document.activeElement.blur();
  }

  /** Tag chips shown before "more": the most frequent tags (and the one selected). */
  const TOP_TAGS = 8;
  let allTags = false;

  function renderFilters(m) {
    const kinds = Object.keys(m.kinds || {});
    const chips = [];
    const chip = (field, value, label, count) => {
      const pressed = value ? current[field] === value : !current[field];
      const n = count === undefined ? "" : ` <span class="search-count">${window.labbook && window.labbook.number ? window.labbook.number(count) : count}</span>`;
      return `<button type="button" data-field="${field}" data-value="${escapeHtml(value)}" aria-pressed="${pressed}">${escapeHtml(label)}${n}</button>`;
    };
    const count = (field, name) => (counts ? counts[field][name] || 0 : m[field === "kind" ? "kinds" : "tags"][name]);
    if (kinds.length > 1) {
      chips.push(`<span class="search-filter-label">${escapeHtml(t("search_kind"))}</span>`, chip("kind", "", t("search_all")));
      for (const k of kinds) {
        const named = t("kind_" + k);
        chips.push(chip("kind", k, named === "kind_" + k ? k[0].toUpperCase() + k.slice(1) : named, count("kind", k)));
      }
    }
    // Tags by how many pages (of this query, once counted) carry them; none that would
    // give no result, except the one selected.
    const tags = Object.keys(m.tags || {})
      .filter((t) => !counts || count("tag", t) > 0 || current.tag === t)
      .sort((a, b) => count("tag", b) - count("tag", a) || (a < b ? -1 : 1));
    if (tags.length > 0) {
      const shown = allTags ? tags : tags.slice(0, TOP_TAGS);
      if (current.tag && !shown.includes(current.tag)) shown.push(current.tag);
      chips.push(`<span class="search-filter-label">${escapeHtml(t("search_tag"))}</span>`, chip("tag", "", t("search_all")));
      for (const t of shown) chips.push(chip("tag", t, t, count("tag", t)));
      if (tags.length > TOP_TAGS) {
        const label = escapeHtml(allTags ? t("search_fewer_tags") : t("search_more_tags", { count: tags.length - shown.length }));
        chips.push(`<button type="button" class="search-more-tags" aria-expanded="${allTags}">${label}</button>`);
      }
    }
    filterBar.innerHTML = chips.join("");
    filterBar.hidden = chips.length === 0;
  }

  async function run(withCounts) {
    const text = input.value;
    const mine = ++generation;
    if (!text.trim()) {
      list.innerHTML = "";
      status.textContent = "";
      input.setAttribute("aria-expanded", "false");
      return;
    }
    try {
      const m = await meta();
      if (!m) return;
      const out = await query(text, { kind: current.kind, tag: current.tag, counts: withCounts === true || counts !== null });
      if (mine !== generation) return;
      counts = out.counts;
      renderFilters(m);
      shown = { text, out };
      show(out, 0);
    } catch (e) {
      if (mine === generation) status.textContent = t("search_failed", { message: e.message });
    }
  }

  /**
   * A result's link: `?q=` carries the query's words (or their corrections), nothing else;
   * `base` is the root of the result's site (another language's, in a search of all).
   */
  function link(url, anchor, words, base = root) {
    const q = Array.from(new Set(words)).join(" ");
    // A record for one place in a page (an exercise) has its anchor in its URL.
    const hash = url.indexOf("#");
    const path = hash < 0 ? url : url.slice(0, hash);
    const place = anchor || (hash < 0 ? "" : decodeURIComponent(url.slice(hash + 1)));
    return base + path + "?q=" + encodeURIComponent(q) + (place ? "#" + encodeURIComponent(place) : "");
  }

  /** Loads the next results of the query on screen (five more fragments) and adds them. */
  async function more() {
    if (!shown) return;
    const mine = generation;
    const { text, out } = shown;
    const next = await query(text, { kind: current.kind, tag: current.tag, offset: out.results.length });
    if (mine !== generation || !shown || shown.out !== out) return;
    const first = out.results.length;
    out.results = out.results.concat(next.results);
    // A common word's count is its true page count; its cut list may hold fewer.
    if (next.results.length === 0) out.total = out.results.length;
    show(out, first);
    input.focus();
  }

  /** The options of the list: each result's link and its sections' links, in order. */
  function options() {
    return Array.from(list.querySelectorAll("[role=option]"));
  }

  /**
   * Shows the results, selecting result `from`. The list is a listbox whose options are the
   * links themselves (a result and each of its sections), so that no option holds another
   * control and every option still opens as a link.
   */
  function show(out, from) {
    status.textContent = out.total === 0 ? t("search_no_results") : t("search_pages", { count: out.total });
    list.innerHTML = out.results
      .map((r, i) => {
        const crumbs = r.crumbs && r.crumbs.length ? `<span class="search-crumbs">${r.crumbs.map(escapeHtml).join(" › ")}</span>` : "";
        // A page in another language than the reader's (another site's, or a fallback) says which.
        const site = r.language || ownCode;
        const textLang = r.lang || site;
        const other = site !== ownCode ? ` hreflang="${escapeHtml(site)}"` : "";
        const lang = textLang !== ownCode ? ` lang="${escapeHtml(textLang)}"` : "";
        const badge = textLang !== ownCode ? `<span class="search-language" lang="${escapeHtml(textLang)}">${escapeHtml(languageName(textLang))}</span>` : "";
        const base = r.root || root;
        const subs = r.sections
          .slice(1)
          .filter((s) => s.anchor)
          .map((s, k) => `<a class="search-sub" role="option" id="search-result-${i}-${k + 1}" aria-selected="false" tabindex="-1"${other}${lang} href="${escapeHtml(link(r.url, s.anchor, out.words, base))}"><span class="search-sub-title">${escapeHtml(s.heading)}</span> <span class="search-excerpt">${s.excerpt}</span></a>`)
          .join("");
        const heading = r.sections[0] && r.sections[0].heading ? ` <span class="search-section">› ${escapeHtml(r.sections[0].heading)}</span>` : "";
        return `<li role="none">
  <a class="search-hit-link" role="option" id="search-result-${i}" aria-selected="false" tabindex="-1"${other}${lang} href="${escapeHtml(link(r.url, r.anchor, out.words, base))}">${crumbs}<span class="search-title">${escapeHtml(r.title)}${heading}</span>${badge}<span class="search-excerpt">${r.excerpt}</span></a>${subs}</li>`;
      })
      .join("");
    moreBar.hidden = !(out.total > out.results.length);
    input.setAttribute("aria-expanded", out.results.length ? "true" : "false");
    const first = out.results.length ? options().indexOf(list.querySelector(`#search-result-${from}`)) : -1;
    select(first);
  }

  /** Selects option `i` (wrapping around) and scrolls it into view. */
  function select(i) {
    const items = options();
    if (!items.length || i < 0) {
      selected = -1;
      input.removeAttribute("aria-activedescendant");
      return;
    }
    selected = (i + items.length) % items.length;
    items.forEach((item, k) => item.setAttribute("aria-selected", String(k === selected)));
    input.setAttribute("aria-activedescendant", items[selected].id);
    items[selected].scrollIntoView({ block: "nearest" });
  }

  function onKey(event) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      select(selected + (event.key === "ArrowDown" ? 1 : -1));
    } else if (event.key === "Enter") {
      const item = list.querySelector(`[role=option][aria-selected="true"]`);
      if (item) {
        event.preventDefault();
        window.location.href = item.href;
      }
    } else if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      close();
    }
  }

  /** Whether the dialog is showing. */
  const isOpen = () => !!dialog && !dialog.hidden;
  // labbook.js loads this file the first time the reader asks for search, and from then on
  // hands every request to the dialog through `ui` (it owns the button's click, / and
  // Ctrl+K, so they are never bound twice).
  api.ui = { open, close, toggle: () => (isOpen() ? close() : open()), isOpen };

  function init() {
    highlightLanding();
    document.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && isOpen()) close();
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
