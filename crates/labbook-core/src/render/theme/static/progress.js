// labbook progress: what a reader did in this book (exercises solved, quiz answers), kept in
// localStorage under the book's id (`<html data-book>`, from book.yaml `id:`), so it survives
// reloads and moving or copying the site's folder. It also draws the ticks in the sidebar,
// fills the "Your progress" page, and saves or loads all of it as a JSON file.
//
// Other scripts use `window.labbook.progress`: `get(kind, id)`, `set(kind, id, state)`.
// The list of pages and what each holds comes from toc.js (`window.labbook.pages`).
// Without JavaScript nothing is kept, and the pages read as before.
(function () {
  "use strict";

  const api = (window.labbook = window.labbook || {});
  const doc = document.documentElement;
  // The theme's words in the page's language (ui.js); the key itself if ui.js is missing.
  const t = (key, vars) => (api.t ? api.t(key, vars) : key);
  const bookId = doc.dataset.book || "book";
  const PREFIX = `labbook:${bookId}:`;
  const FORMAT = "labbook-progress";
  const CHANGED = "labbook:progress";

  let local = null;
  try {
    local = window.localStorage;
  } catch (e) {
    local = null; // storage disabled: progress is simply not kept
  }
  const keyOf = (kind, id) => `${PREFIX}${kind}:${id}`;
  function read(key) {
    try {
      const value = JSON.parse((local && local.getItem(key)) || "null");
      return value && typeof value === "object" && !Array.isArray(value) ? value : null;
    } catch (e) {
      return null;
    }
  }
  function write(key, value) {
    try {
      if (local) local.setItem(key, JSON.stringify(value));
      return true;
    } catch (e) {
      return false; // quota or privacy mode: progress just isn't kept
    }
  }

  /**
   * Before books had an id, exercises were kept under the folder's absolute path; a reader
   * who worked in this folder before finds that work again (once: it is copied to the new key).
   */
  function legacy(kind, id) {
    if (kind !== "exercise" || !local) return null;
    const root = new URL(doc.dataset.root || "./", location.href).pathname;
    return read(`labbook-exercise:${root}:${id}`);
  }

  /** The saved state of one thing (`kind` "exercise" or "quiz"), or {} when there is none. */
  function get(kind, id) {
    const saved = read(keyOf(kind, id));
    if (saved) return saved;
    const old = legacy(kind, id);
    if (old) {
      write(keyOf(kind, id), old);
      return old;
    }
    return {};
  }

  /** Saves the state of one thing, stamped with the time, and tells the page it changed. */
  function set(kind, id, state, options = {}) {
    const value = { ...state };
    if (!options.keepTime) value.updated = Date.now();
    write(keyOf(kind, id), value);
    document.dispatchEvent(new CustomEvent(CHANGED, { detail: { kind, id } }));
    return value;
  }

  /** Everything kept for this book: {"exercise:softmax": {...}, "quiz:quiz-ml-a-1": {...}}. */
  function all() {
    const items = {};
    if (!local) return items;
    for (let i = 0; i < local.length; i++) {
      const key = local.key(i);
      if (!key || !key.startsWith(PREFIX)) continue;
      const value = read(key);
      if (value) items[key.slice(PREFIX.length)] = value;
    }
    return items;
  }

  /** The JSON file "Download my progress" saves. */
  function exportData() {
    return { format: FORMAT, version: 1, book: bookId, title: document.querySelector(".book-title")?.textContent || "", exported: new Date().toISOString(), items: all() };
  }

  /**
   * Merges a file made by exportData: an item replaces the one kept here only when it is
   * newer, so loading an old file never undoes work. Returns how many items it took.
   */
  function importData(data) {
    if (!data || data.format !== FORMAT || typeof data.items !== "object" || !data.items) {
      throw new Error(t("progress_not_a_file"));
    }
    if (data.book !== bookId) {
      throw new Error(t("progress_other_book", { title: data.title || data.book }));
    }
    let taken = 0;
    for (const [name, value] of Object.entries(data.items)) {
      const colon = name.indexOf(":");
      if (colon < 1 || !value || typeof value !== "object") continue;
      const [kind, id] = [name.slice(0, colon), name.slice(colon + 1)];
      const mine = read(keyOf(kind, id));
      if (mine && (mine.updated || 0) >= (value.updated || 0)) continue;
      set(kind, id, value, { keepTime: true });
      taken += 1;
    }
    return taken;
  }

  api.progress = { bookId, get, set, all, exportData, importData };

  /* ---------- what each page holds, and how far the reader got ---------- */
  const pages = () => (Array.isArray(api.pages) ? api.pages : []);

  /** Counts for one page of the manifest: solved/total exercises, right/total quizzes, last time. */
  function statusOf(page) {
    const s = { exercises: page.exercises.length, solved: 0, quizzes: page.quizzes.length, right: 0, answered: 0, last: 0 };
    for (const id of page.exercises) {
      const state = get("exercise", id);
      if (state.passed) s.solved += 1;
      if (state.updated) s.last = Math.max(s.last, state.updated);
    }
    for (const id of page.quizzes) {
      const state = get("quiz", id);
      if (state.checked) s.answered += 1;
      if (state.checked && state.passed) s.right += 1;
      if (state.updated) s.last = Math.max(s.last, state.updated);
    }
    s.done = s.solved + s.right;
    s.total = s.exercises + s.quizzes;
    return s;
  }

  function describe(s) {
    const parts = [];
    if (s.exercises) parts.push(t("progress_exercises_of", { done: s.solved, all: s.exercises }));
    if (s.quizzes) parts.push(t("progress_quizzes_of", { done: s.right, all: s.quizzes }));
    return parts.length === 2 ? t("progress_list", { a: parts[0], b: parts[1] }) : parts.join("");
  }

  /* ---------- ticks in the sidebar ---------- */
  function markSidebar() {
    const sidebar = document.getElementById("sidebar");
    if (!sidebar) return;
    const byPath = new Map(pages().map((p) => [p.path, p]));
    for (const link of sidebar.querySelectorAll(".toc a[data-url]")) {
      const old = link.querySelector(".toc-progress");
      if (old) old.remove();
      const page = byPath.get(link.dataset.url.split("#")[0]);
      if (!page || link.dataset.url.includes("#")) continue;
      const s = statusOf(page);
      if (!s.total || !s.done) continue;
      const complete = s.done === s.total;
      const mark = document.createElement("span");
      mark.className = complete ? "toc-progress toc-done" : "toc-progress toc-partial";
      mark.textContent = complete ? "✓" : "◐";
      mark.setAttribute("role", "img");
      mark.setAttribute("aria-label", t(complete ? "progress_mark_done" : "progress_mark_started", { what: describe(s) }));
      mark.title = describe(s);
      link.append(mark);
    }
  }

  /* ---------- the "Your progress" page ---------- */
  function formatTime(ms) {
    if (!ms) return "—";
    const date = new Date(ms);
    return date.toLocaleString(doc.lang || undefined, { dateStyle: "medium", timeStyle: "short" });
  }

  function fillReport(report) {
    const rows = pages().filter((p) => p.exercises.length || p.quizzes.length);
    const table = report.querySelector(".progress-table");
    const body = table.querySelector("tbody");
    body.replaceChildren();
    const sum = { solved: 0, exercises: 0, right: 0, quizzes: 0, last: 0 };
    let part = null;
    for (const page of rows) {
      if (page.part && page.part !== part) {
        part = page.part;
        const tr = document.createElement("tr");
        tr.className = "progress-part";
        const th = document.createElement("th");
        th.colSpan = 4;
        th.scope = "colgroup";
        th.textContent = part;
        tr.append(th);
        body.append(tr);
      }
      const s = statusOf(page);
      for (const k of ["solved", "exercises", "right", "quizzes"]) sum[k] += s[k];
      sum.last = Math.max(sum.last, s.last);
      const tr = document.createElement("tr");
      tr.dataset.path = page.path;
      if (s.total && s.done === s.total) tr.classList.add("progress-complete");
      const th = document.createElement("th");
      th.scope = "row";
      const a = document.createElement("a");
      a.href = (doc.dataset.root || "") + page.path;
      a.textContent = page.title;
      th.append(a);
      const cell = (text, cls) => {
        const td = document.createElement("td");
        td.className = cls;
        td.textContent = text;
        return td;
      };
      tr.append(
        th,
        cell(s.exercises ? t("handin_of", { done: s.solved, all: s.exercises }) : "—", "progress-exercises"),
        cell(s.quizzes ? t("handin_of", { done: s.right, all: s.quizzes }) : "—", "progress-quizzes"),
        cell(formatTime(s.last), "progress-last"),
      );
      body.append(tr);
    }
    const summary = report.querySelector(".progress-summary");
    if (summary) {
      summary.textContent = sum.last
        ? t("progress_summary", { solved: sum.solved, exercises: sum.exercises, right: sum.right, quizzes: sum.quizzes, last: formatTime(sum.last) })
        : t("progress_nothing", { exercises: sum.exercises, quizzes: sum.quizzes });
    }
    table.hidden = rows.length === 0;
  }

  function setUpReport(report) {
    const status = report.querySelector(".progress-status");
    const say = (text, bad) => {
      status.textContent = text;
      status.classList.toggle("is-incorrect", !!bad);
    };
    report.querySelector(".progress-download").addEventListener("click", () => {
      const blob = new Blob([JSON.stringify(exportData(), null, 2) + "\n"], { type: "application/json" });
      const url = URL.createObjectURL(blob);
      const a = document.createElement("a");
      a.href = url;
      a.download = `${bookId}-progress.json`;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
      say(t("progress_saved", { count: Object.keys(exportData().items).length, file: a.download }));
    });
    const input = report.querySelector(".progress-file");
    report.querySelector(".progress-load").addEventListener("click", () => input.click());
    input.addEventListener("change", async () => {
      const file = input.files && input.files[0];
      if (!file) return;
      try {
        const data = JSON.parse(await file.text());
        const taken = importData(data);
        say(taken ? t("progress_loaded", { count: taken, file: file.name }) : t("progress_nothing_newer", { file: file.name }));
      } catch (e) {
        say(t("progress_cannot_load", { file: file.name, reason: e instanceof SyntaxError ? t("progress_not_json") : e.message }), true);
      }
      input.value = "";
      fillReport(report);
    });
    report.hidden = false;
    const noscript = document.querySelector(".progress-nojs");
    if (noscript) noscript.hidden = true;
    fillReport(report);
  }

  function init() {
    // labbook.js shows the top bar's "Your progress" link (every page loads it, not this file).
    markSidebar();
    const report = document.getElementById("progress-report");
    if (report) setUpReport(report);
    const refresh = () => {
      markSidebar();
      if (report) fillReport(report);
    };
    document.addEventListener(CHANGED, refresh);
    // Another tab of the same book saved something.
    window.addEventListener("storage", (event) => {
      if (!event.key || event.key.startsWith(PREFIX)) refresh();
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
