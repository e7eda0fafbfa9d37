// Dataset pages and the dataset catalogue.
//
// Dataset page: each split's table becomes a viewer with paging, sorting (a column header's
// button) and a word filter. Rows come from small script-loaded shards in viewer/<n>/ (see
// crates/labbook-datasets/src/viewer.rs for the files), so the page works from file://, and
// a view loads only the shards its rows are in. Without JavaScript the page shows the first
// 100 rows as a plain table.
// Catalogue: catalogue.js's facet and text filters and sorting, with the datasets' facets.
(function () {
  "use strict";

  // The theme's words in the page's language (ui.js); the key itself on a page without it.
  const t = (key, vars) => (window.labbook && window.labbook.t ? window.labbook.t(key, vars) : key);

  /* ---------- loader: each file once, through a script tag ---------- */
  const received = new Map();
  const loading = new Map();
  const api = (window.__labbookData = window.__labbookData || {});
  api.rows = (key, k, rows) => received.set(`${key}|r|${k}`, rows);
  api.order = (key, c, k, ids) => received.set(`${key}|o|${c}|${k}`, ids);
  api.terms = (key, b, dict) => received.set(`${key}|t|${b}`, dict);
  // A word's first postings chunk also carries the cells of its first page of rows.
  const known = new Map(); // `${key}|${row}` -> cells
  api.postings = (key, b, k, lists, first) => {
    received.set(`${key}|p|${b}|${k}`, lists);
    for (const r in first || {}) known.set(`${key}|${r}`, first[r]);
  };
  /** Files this page loaded, in order (tests and the bench read it). */
  api.loaded = [];

  function load(url, id) {
    if (received.has(id)) return Promise.resolve(received.get(id));
    if (loading.has(url)) return loading.get(url);
    const promise = new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = url;
      script.async = true;
      script.onload = () => (received.has(id) ? resolve(received.get(id)) : reject(new Error(`${url} did not register`)));
      script.onerror = () => {
        loading.delete(url);
        reject(new Error(`cannot load ${url}`));
      };
      api.loaded.push(url);
      document.head.appendChild(script);
    });
    loading.set(url, promise);
    return promise;
  }

  /* ---------- the filter's words: as viewer.rs splits and hashes them ---------- */
  function words(text) {
    return (text.toLowerCase().match(/[\p{Alphabetic}\p{N}]+/gu) || []);
  }
  api.words = words;

  function fnv(word) {
    let h = 0x811c9dc5;
    for (const b of new TextEncoder().encode(word)) {
      h ^= b;
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h >>> 0;
  }
  api.fnv = fnv;

  /* ---------- one split's data ---------- */
  function Source(meta) {
    const base = meta.base;
    const key = meta.key;
    this.meta = meta;
    this.row = (i) => {
      if (known.has(`${key}|${i}`)) return Promise.resolve(known.get(`${key}|${i}`));
      const k = Math.floor(i / meta.shard);
      return load(`${base}r-${k}.js`, `${key}|r|${k}`).then((rows) => rows[i - k * meta.shard]);
    };
    this.position = (c, desc, p) => {
      const q = desc ? meta.rows - 1 - p : p;
      const k = Math.floor(q / meta.order_chunk);
      return load(`${base}o-${c}-${k}.js`, `${key}|o|${c}|${k}`).then((ids) => ids[q - k * meta.order_chunk]);
    };
    /** A word's entry: {count, rows} (a rare word) or {count, id, starts} (postings files). */
    this.terms = (word) => {
      const b = fnv(word) % meta.buckets;
      return load(`${base}t-${b}.js`, `${key}|t|${b}`).then((dict) => {
        const e = Object.prototype.hasOwnProperty.call(dict, word) ? dict[word] : null;
        if (!e) return null;
        if (Array.isArray(e[1])) return { count: e[0], rows: decode(e[1], 0) };
        return { count: e[0], id: e[1], starts: e[2] };
      });
    };
    /** The rows of chunk `k` of a frequent word. */
    this.chunk = (entry, k) =>
      load(`${base}p-${entry.id}-${k}.js`, `${key}|p|${entry.id}|${k}`).then((deltas) => decode(deltas, entry.starts[k]));
  }

  function decode(deltas, from) {
    const out = [];
    let prev = from;
    for (const d of deltas) out.push((prev += d));
    return out;
  }

  /**
   * The rows matching every word, in row order, found as far as `need` rows: through the
   * rarest word's rows chunk by chunk, each checked against the chunks of the other words
   * that cover the same rows.
   */
  function Matches(source, query) {
    this.ids = [];
    this.total = null; // exact count, once known
    this.done = false;
    const ws = [...new Set(words(query))];
    this.words = ws;
    let entries = null;
    let next = 0;
    const chunks = (e) => (e.rows ? 1 : e.starts.length);
    const rowsOf = (e, k) => (e.rows ? Promise.resolve(e.rows) : source.chunk(e, k));
    const range = (e, k) => (e.rows ? [0, Infinity] : [e.starts[k], k + 1 < e.starts.length ? e.starts[k + 1] : Infinity]);
    /** The rows of `e` in [lo, hi), as a set. */
    const within = (e, lo, hi) => {
      const ks = [];
      for (let k = 0; k < chunks(e); k++) {
        const [a, b] = range(e, k);
        if (a < hi && b > lo) ks.push(k);
      }
      return Promise.all(ks.map((k) => rowsOf(e, k))).then((lists) => new Set(lists.flat()));
    };
    const init = () => {
      if (entries) return Promise.resolve();
      if (!ws.length || !source.meta.buckets) {
        entries = [];
        return Promise.resolve();
      }
      return Promise.all(ws.map((w) => source.terms(w))).then((found) => {
        entries = found.some((e) => !e) ? [] : found.sort((a, b) => a.count - b.count);
        if (entries.length === 1) this.total = entries[0].count;
      });
    };
    this.fill = (need) =>
      init().then(() => {
        const step = () => {
          const driver = entries[0];
          if (!driver || next >= chunks(driver)) {
            this.done = true;
            this.total = this.ids.length;
            return Promise.resolve();
          }
          if (this.ids.length >= need) return Promise.resolve();
          const k = next++;
          const [lo, hi] = range(driver, k);
          return Promise.all([rowsOf(driver, k), ...entries.slice(1).map((e) => within(e, lo, hi))]).then(([rows, ...sets]) => {
            this.ids.push(...rows.filter((r) => sets.every((s) => s.has(r))));
            return step();
          });
        };
        return step();
      });
  }

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "class") node.className = v;
      else if (k === "text") node.textContent = v;
      else node.setAttribute(k, v);
    }
    for (const c of children) node.append(c);
    return node;
  }

  function cellNode(value, column, numeric) {
    // As dataset.html marks them: only the cells that do not align as the table does.
    const number = column.kind === "number";
    const td = el("td", number === numeric ? {} : { class: number ? "num" : "text" });
    if (value === null || value === undefined) {
      td.append(el("i", { text: "null" }));
    } else if (column.kind === "label" && typeof value === "number") {
      td.append(String(column.names[value] ?? value), " ", el("small", { text: `(${value})` }));
    } else if (column.kind === "image") {
      td.append(el("img", { src: String(value).replace(/^\.\//, ""), alt: String(value), loading: "lazy" }));
    } else {
      td.textContent = String(value);
    }
    return td;
  }

  function initViewer(root) {
    const meta = JSON.parse(root.querySelector(".dataset-viewer-data").textContent);
    const source = new Source(meta);
    const controls = root.querySelector(".dataset-controls");
    const input = controls.querySelector('input[name="filter"]');
    const status = controls.querySelector(".dataset-status");
    const prev = controls.querySelector(".dataset-prev");
    const next = controls.querySelector(".dataset-next");
    const table = root.querySelector(".dataset-table");
    const caption = table.querySelector("caption");
    const tbody = table.querySelector("tbody");
    const headers = [...table.querySelectorAll("thead th[data-col]")];
    const size = meta.page;
    // The first rows are in the page (for readers without JavaScript): shown from there.
    const initial = [...tbody.rows];
    // The page writes its rows without a class per cell (viewer.rs, `first_rows`): mark the
    // cells that align against the table's grain, as `cellNode` does.
    for (const row of initial) {
      [...row.cells].slice(1).forEach((td, c) => {
        const number = meta.columns[c] && meta.columns[c].kind === "number";
        if (number !== meta.numeric) td.className = number ? "num" : "text";
      });
    }
    const state = { page: 0, sort: null, desc: false, query: "" };
    let matches = null;
    let generation = 0;
    controls.hidden = false;
    if (!meta.buckets) input.closest("label").hidden = true;

    for (const th of headers) {
      const c = Number(th.dataset.col);
      const column = meta.columns[c];
      if (!column.sortable) continue;
      const button = el("button", { type: "button", class: "dataset-sort" }, column.name, el("span", { class: "dataset-sort-mark", "aria-hidden": "true" }));
      button.addEventListener("click", () => {
        if (state.sort === c) {
          if (!state.desc) state.desc = true;
          else state.sort = null;
        } else {
          state.sort = c;
          state.desc = false;
        }
        state.page = 0;
        show();
      });
      th.replaceChildren(button);
    }

    /** The page's own rows for this view, if it is one of the first pages in file order. */
    function inPage() {
      const from = state.page * size;
      const to = Math.min(meta.rows, from + size);
      if (state.query || state.sort !== null || to > initial.length) return null;
      return initial.slice(from, to);
    }

    function rowIds() {
      const from = state.page * size;
      if (state.query) {
        return matches.fill(from + size).then(() => matches.ids.slice(from, from + size));
      }
      const to = Math.min(meta.rows, from + size);
      const positions = [];
      for (let p = from; p < to; p++) positions.push(p);
      if (state.sort === null) return Promise.resolve(positions);
      return Promise.all(positions.map((p) => source.position(state.sort, state.desc, p)));
    }

    function show() {
      const mine = ++generation;
      root.setAttribute("aria-busy", "true");
      for (const th of headers) {
        const c = Number(th.dataset.col);
        const on = state.sort === c && !state.query;
        if (on) th.setAttribute("aria-sort", state.desc ? "descending" : "ascending");
        else th.removeAttribute("aria-sort");
        const mark = th.querySelector(".dataset-sort-mark");
        if (mark) mark.textContent = on ? (state.desc ? " ▼" : " ▲") : "";
        const b = th.querySelector("button");
        if (b) b.disabled = Boolean(state.query);
      }
      const own = inPage();
      const fetched = own
        ? Promise.resolve(own)
        : rowIds()
            .then((ids) => Promise.all(ids.map((i) => source.row(i).then((row) => [i, row]))))
            .then((rows) =>
              rows.map(([i, row]) => el("tr", {}, el("th", { scope: "row", text: String(i) }), ...row.map((v, c) => cellNode(v, meta.columns[c], meta.numeric)))),
            );
      return fetched
        .then((rows) => {
          if (mine !== generation) return;
          tbody.replaceChildren(...rows);
          const from = state.page * size;
          let total = meta.rows;
          let known = true;
          if (state.query) {
            known = matches.total !== null;
            total = known ? matches.total : matches.ids.length;
          }
          const pages = Math.max(1, Math.ceil(total / size));
          const range = rows.length ? t("dataset_range", { from: from + 1, to: from + rows.length }) : t("dataset_no_rows");
          const of = !state.query
            ? t("dataset_of_total", { total })
            : t(known ? "dataset_of_matching" : "dataset_of_at_least_matching", { total, query: state.query });
          status.textContent = `${range} ${of}${known ? ` ${t("dataset_page_of", { page: state.page + 1, pages })}` : ""}`;
          caption.textContent = state.sort !== null && !state.query
            ? t(state.desc ? "dataset_sorted_desc" : "dataset_sorted_asc", { column: meta.columns[state.sort].name })
            : state.query ? t("dataset_matching", { query: state.query }) : t("dataset_file_order");
          prev.disabled = state.page === 0;
          next.disabled = known ? from + size >= total : false;
          root.removeAttribute("aria-busy");
          root.dataset.ready = String(generation);
        })
        .catch((e) => {
          if (mine !== generation) return;
          status.textContent = t("dataset_cannot_load", { message: e.message });
          root.removeAttribute("aria-busy");
        });
    }

    prev.addEventListener("click", () => {
      if (state.page > 0) {
        state.page--;
        show();
      }
    });
    next.addEventListener("click", () => {
      state.page++;
      show();
    });
    let timer = null;
    input.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        state.query = input.value.trim();
        matches = state.query ? new Matches(source, state.query) : null;
        state.page = 0;
        show();
      }, 150);
    });
    show();
  }

  /* ---------- catalogue ---------- */
  /** The catalogue (catalogue.js draws it): the datasets' facets, sorts, text and count line. */
  function initCatalogue() {
    if (!window.labbook || !window.labbook.catalogue) return;
    window.labbook.catalogue({
      facets: { task: (d) => d.tasks, license: (d) => d.licenses, language: (d) => d.languages, size: (d) => d.sizes },
      sorts: {
        name: (a, b) => a.title.localeCompare(b.title),
        "rows-asc": (a, b) => a.rows - b.rows || a.title.localeCompare(b.title),
        "rows-desc": (a, b) => b.rows - a.rows || a.title.localeCompare(b.title),
      },
      text: (d) => [d.id, d.title, d.summary, ...d.tasks, ...d.languages, ...d.licenses].join(" "),
      count: (shown, total) => (shown === total ? t("dataset_count", { count: total }) : t("dataset_count_shown", { shown, count: total })),
    });
  }

  function init() {
    for (const root of document.querySelectorAll(".dataset-viewer")) initViewer(root);
    if (document.querySelector(".dataset-catalogue")) initCatalogue();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
