// labbook hand-in (student edition): gathers what this browser kept of the reader's work in the
// book (progress.js's storage: each exercise's code and last run, each quiz's choices) into one
// `labbook-work` file, `<book-id>-<student>.labbook-work.json`, and downloads it. No server:
// it works from file:// and offline. The grader (`labbook grade --work`) reads the file; the
// guide's "Teaching with labbook" page documents the format.
(function () {
  "use strict";

  const FORMAT = "labbook-work";
  const root = document.getElementById("handin");
  const api = window.labbook || {};
  const progress = api.progress;
  if (!root || !progress) return;
  const doc = document.documentElement;
  const bookId = progress.bookId;
  const version = Number(root.dataset.formatVersion) || 1;
  const contentHash = root.dataset.contentHash || "";
  const STUDENT = ["handin", "student"];
  const t = (key, vars) => (api.t ? api.t(key, vars) : key);

  const iso = (ms) => (typeof ms === "number" && ms > 0 ? new Date(ms).toISOString() : null);
  const pages = () => (Array.isArray(api.pages) ? api.pages : []);

  /** A name as a file name part: letters, digits, `-` and `_`, at most 60 of them. */
  function slug(name) {
    const s = name.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[^a-z0-9_-]+/g, "-").replace(/^-+|-+$/g, "");
    return s.slice(0, 60) || "student";
  }

  /** The file: every exercise the reader wrote code for and every quiz they answered. */
  function work(student) {
    const exercises = {};
    const quizzes = {};
    for (const [name, value] of Object.entries(progress.all())) {
      const colon = name.indexOf(":");
      const kind = name.slice(0, colon);
      const id = name.slice(colon + 1);
      if (kind === "exercise" && typeof value.code === "string") {
        const last = value.last && typeof value.last === "object" ? value.last : null;
        exercises[id] = {
          code: value.code,
          updated: iso(value.updated),
          attempts: value.attempts || 0,
          last_run: last
            ? {
                at: iso(last.at),
                stdout: last.stdout || "",
                error: last.error || null,
                stopped: last.stopped || null,
                checks: Array.isArray(last.checks) ? last.checks : [],
              }
            : null,
        };
      } else if (kind === "quiz" && Array.isArray(value.chosen) && value.chosen.length) {
        quizzes[id] = { chosen: value.chosen.map(Number), saved: !!value.answered, updated: iso(value.updated) };
      }
    }
    return {
      format: FORMAT,
      version,
      book: bookId,
      title: document.querySelector(".book-title")?.textContent || "",
      content_hash: contentHash,
      student,
      handed_in: new Date().toISOString(),
      exercises,
      quizzes,
    };
  }

  function fill() {
    const body = root.querySelector(".handin-table tbody");
    body.replaceChildren();
    let code = 0, exercises = 0, answered = 0, quizzes = 0;
    for (const page of pages()) {
      if (!page.exercises.length && !page.quizzes.length) continue;
      const withCode = page.exercises.filter((id) => typeof progress.get("exercise", id).code === "string").length;
      const withAnswer = page.quizzes.filter((id) => (progress.get("quiz", id).chosen || []).length).length;
      code += withCode;
      exercises += page.exercises.length;
      answered += withAnswer;
      quizzes += page.quizzes.length;
      const tr = document.createElement("tr");
      const th = document.createElement("th");
      th.scope = "row";
      const a = document.createElement("a");
      a.href = (doc.dataset.root || "") + page.path;
      a.textContent = page.title;
      th.append(a);
      const cell = (done, all) => {
        const td = document.createElement("td");
        td.textContent = all ? t("handin_of", { done, all }) : "—";
        return td;
      };
      tr.append(th, cell(withCode, page.exercises.length), cell(withAnswer, page.quizzes.length));
      body.append(tr);
    }
    root.querySelector(".handin-summary").textContent = t("handin_summary", { code, exercises, answered, quizzes });
  }

  function download(data) {
    const blob = new Blob([JSON.stringify(data, null, 2) + "\n"], { type: "application/json" });
    const url = URL.createObjectURL(blob);
    const a = document.createElement("a");
    a.href = url;
    a.download = `${bookId}-${slug(data.student)}.labbook-work.json`;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
    return a.download;
  }

  const input = root.querySelector(".handin-student");
  const status = root.querySelector(".handin-status");
  // Asked once: the name is kept with the reader's progress and filled in next time.
  input.value = progress.get(...STUDENT).name || "";
  root.querySelector(".handin-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const student = input.value.trim();
    if (!student) {
      status.textContent = t("handin_name_first");
      input.focus();
      return;
    }
    progress.set(...STUDENT, { name: student });
    const data = work(student);
    const name = download(data);
    status.textContent = t("handin_saved", {
      file: name,
      exercises: Object.keys(data.exercises).length,
      quizzes: Object.keys(data.quizzes).length,
    });
  });
  root.hidden = false;
  const noscript = document.querySelector(".handin-nojs");
  if (noscript) noscript.hidden = true;
  fill();
  document.addEventListener("labbook:progress", fill);
})();
