  /* ---------- one exercise block ---------- */
  let counter = 0;
  // The modules this page has made (or skipped) its warm-up run for (see `warm` below). A run of
  // the reader's that starts while that run is still going does not wait for it: beside it, it
  // reuses the functions the warm-up has compiled so far, and ends sooner (measured).
  const warmUps = new Set();
  // The reader's runs going on in any block of the page: a warm-up never starts beside one.
  let readerRuns = 0;
  // The theme's words in the page's language (ui.js: the exercises feature's i18n/<code>.yaml
  // over English); the key itself on a page without ui.js.
  const t = (key, vars) => (api.t ? api.t(key, vars) : key);
  /**
   * Why a check failed, in the page's language: the runtime sends the reason's code and
   * arguments beside the English message (labbook_checks::Reason), and the words say it as
   * `exercise_why_<code>`. Someone else's words (an author's assert message) have no code.
   */
  const said = (check) => api.say("exercise_why_", check.reason, check.message);
  // A solved block's mark after its title is drawn by CSS (`.lb-exercise-solved`).
  if (api.t) document.documentElement.style.setProperty("--lb-exercise-solved", JSON.stringify(t("exercise_solved_mark")));
  const modKey = isMac ? "⌘" : "Ctrl";
  function setUp(section) {
    const dataNode = section.querySelector("script.lb-exercise-data");
    if (!dataNode) return;
    let data;
    try {
      data = JSON.parse(dataNode.textContent);
    } catch (e) {
      console.error(`labbook: exercise ${section.id}: bad data: ${e.message}`);
      return;
    }
    const id = data.id || section.dataset.exercise || section.id;
    const runtime = data.runtime || section.dataset.runtime || "python";
    // A built-in python runtime (`python`, or another one the section marks): it checks itself.
    const python = runtime === "python" || "runtimePython" in section.dataset;
    const src = section.dataset.runtimeSrc;
    // Another runtime's output is graded by the python runtime: its script, when checks need it.
    const checksSrc = section.dataset.checksSrc;
    const request = data.request || {};
    const entry = request.entry || "main.py";
    const limits = { ...DEFAULT_LIMITS, ...(data.limits || {}) };
    const hints = Array.isArray(data.hints) ? data.hints : [];
    const show = data.show_solution || "after-attempt";
    const uid = `lb-ex-${++counter}`;
    const state = loadState(id);
    const save = () => saveState(id, state);

    const editor = createEditor(t("exercise_code_for", { title: data.title || id }), `${uid}-keys`, (check) => start(check), (text) => {
      state.code = text;
      state.updated = Date.now();
      clearTimeout(saveTimer);
      saveTimer = setTimeout(save, 250);
    });
    let saveTimer = 0;

    const button = (label, cls, extra) => el("button", { type: "button", class: `lb-ex-button ${cls}`, ...extra }, label);
    const checkCount = (request.checks || []).length || (data.checks || []).length;
    const runButton = button(t("exercise_run"), checkCount ? "lb-ex-run" : "lb-ex-run lb-ex-primary", { title: t("exercise_run_title", { keys: `${modKey}+Enter` }) });
    const checkButton = checkCount ? button(t("exercise_check"), "lb-ex-check lb-ex-primary", { title: t("exercise_check_title", { count: checkCount, keys: `${modKey}+Shift+Enter` }) }) : null;
    const stopButton = button(t("exercise_stop"), "lb-ex-stop", { hidden: true });
    const resetButton = button(t("exercise_reset"), "lb-ex-reset", { title: t("exercise_reset_title") });
    const hintButton = hints.length ? button(t("exercise_hint"), "lb-ex-hint", { "aria-controls": `${uid}-hints` }) : null;
    const solutionButton = show !== "never" && typeof data.solution === "string" ? button(t("exercise_solution"), "lb-ex-solution-button", { "aria-controls": `${uid}-solution`, "aria-expanded": "false" }) : null;
    // Not a live region: it ticks every 100 ms while running. The output panel below announces results.
    const status = el("span", { class: "lb-ex-status" });
    // The book's "Python in this course" page (book.yaml `exercises: python-guide:`), for python exercises.
    const guideLink = section.dataset.pythonGuide && python ? el("a", { class: "lb-ex-guide", href: section.dataset.pythonGuide }, t("exercise_python_guide")) : null;
    const toolbar = el("div", { class: "lb-ex-toolbar" }, runButton, checkButton, stopButton, resetButton, hintButton, solutionButton, status, guideLink ? guideLink.cloneNode(true) : null);

    const hintList = el("ol", { class: "lb-ex-hints", id: `${uid}-hints`, hidden: true });
    const solutionCode = el("code", {});
    const useSolution = button(t("exercise_copy_solution"), "lb-ex-use-solution");
    const solutionPanel = el(
      "div",
      { class: "lb-ex-solution", id: `${uid}-solution`, hidden: true },
      el("p", { class: "lb-ex-panel-title", text: t("exercise_solution") }),
      el("pre", { class: "lb-ex-solution-code code-live" }, solutionCode),
      useSolution,
    );
    const output = el("div", { class: "lb-ex-output", "aria-live": "polite", "aria-atomic": "false", id: `${uid}-output` });
    const ui = el("div", { class: "lb-ex-ui" }, editor.root, editor.hint, toolbar, hintList, solutionPanel, output);

    const staticView = section.querySelector(".lb-exercise-static");
    if (staticView) staticView.hidden = true;
    dataNode.after(ui);
    section.classList.add("lb-exercise-ready");

    const starter = typeof data.starter === "string" ? data.starter : "";
    editor.value = typeof state.code === "string" ? state.code : starter;

    /* --- hints and solution --- */
    function renderHints() {
      const shown = Math.min(state.hints || 0, hints.length);
      hintList.replaceChildren();
      for (let i = 0; i < shown; i++) {
        const body = el("div", { class: "lb-ex-hint-body" });
        body.innerHTML = hints[i]; // Markdown rendered by the build
        hintList.append(el("li", { class: "lb-ex-hint-item" }, el("p", { class: "lb-ex-panel-title", text: t("exercise_hint_of", { n: i + 1, total: hints.length }) }), body));
      }
      hintList.hidden = shown === 0;
      if (hintButton) {
        hintButton.textContent = shown === 0 ? t("exercise_hint") : shown < hints.length ? t("exercise_next_hint") : t("exercise_no_more_hints");
        hintButton.disabled = shown >= hints.length;
        hintButton.setAttribute("aria-label", shown < hints.length ? t("exercise_show_hint", { n: shown + 1, total: hints.length }) : t("exercise_all_hints_shown", { total: hints.length }));
      }
    }
    function solutionAllowed() {
      return show === "always" || (show === "after-attempt" && (state.attempts || 0) > 0);
    }
    function renderSolution() {
      if (!solutionButton) return;
      const allowed = solutionAllowed();
      solutionButton.disabled = !allowed;
      solutionButton.title = allowed ? t("exercise_show_solution") : t("exercise_solution_after_check");
      const open = allowed && !!state.solutionShown;
      solutionPanel.hidden = !open;
      solutionButton.setAttribute("aria-expanded", open ? "true" : "false");
      solutionButton.textContent = open ? t("exercise_hide_solution") : t("exercise_solution");
      if (open && !solutionCode.childElementCount) solutionCode.innerHTML = highlight(data.solution.replace(/\n$/, ""));
    }
    if (hintButton) {
      hintButton.addEventListener("click", () => {
        state.hints = Math.min((state.hints || 0) + 1, hints.length);
        save();
        renderHints();
        const last = hintList.lastElementChild;
        if (last) last.scrollIntoView({ block: "nearest" });
      });
    }
    if (solutionButton) {
      solutionButton.addEventListener("click", () => {
        if (!solutionAllowed()) return;
        state.solutionShown = !state.solutionShown;
        save();
        renderSolution();
      });
    }
    useSolution.addEventListener("click", () => {
      if (editor.value !== starter && editor.value !== data.solution && !window.confirm(t("exercise_confirm_solution"))) return;
      editor.value = data.solution;
      state.code = data.solution;
      save();
      editor.area.focus();
    });
    resetButton.addEventListener("click", () => {
      if (editor.value !== starter && !window.confirm(t("exercise_confirm_reset"))) return;
      editor.value = starter;
      delete state.code;
      save();
      output.replaceChildren();
      section.classList.remove("lb-exercise-passed", "lb-exercise-failed");
      editor.area.focus();
    });
    renderHints();
    renderSolution();
    if (state.passed) section.classList.add("lb-exercise-solved");

    /* --- running --- */
    let running = null;
    function setRunning(on, label) {
      runButton.disabled = on;
      if (checkButton) checkButton.disabled = on;
      resetButton.disabled = on;
      stopButton.hidden = !on;
      section.classList.toggle("lb-exercise-running", on);
      section.setAttribute("aria-busy", on ? "true" : "false");
      clearInterval(setRunning.timer);
      if (!on) return;
      const t0 = performance.now();
      const tick = () => (status.textContent = `${label()} ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      tick();
      setRunning.timer = setInterval(tick, 100);
    }
    stopButton.addEventListener("click", () => running && running.abort());
    // Load the runtime and run an empty program once, when the page is idle (main.js) or as soon
    // as the reader works on the exercise: the browser compiles wasm functions lazily, on first
    // call, so this takes loading, compiling and the first run's compiling off the first Run.
    // Once per page and module, not per block: the compiled code is the module's, shared by every
    // block on it, and fifty empty runs at once (a page of fifty exercises) took the machine
    // for seconds, the reader's first Run with it.
    let warmed = false;
    const moduleKey = `${runtime}\n${src}\n${limits.memory_bytes}`;
    const warm = () => {
      if (!src || warmed) return;
      warmed = true;
      const ready = api.loadRuntime(runtime, src, limits.memory_bytes);
      // Skipped when a reader's run started meanwhile: it does the same compiling.
      const idle = () => !readerRuns && api.run({ runtime, python, src, request: { files: { [entry]: "" }, entry, checks: [] }, limits });
      if (python && !warmUps.has(moduleKey)) {
        warmUps.add(moduleKey);
        ready.then(idle).catch(() => {});
      } else ready.catch(() => {});
      // The same for the python runtime that grades another runtime's output: one small check.
      const idleCheck = () => !readerRuns && api.checkStdout({ src: checksSrc, stdout: "", checks: [{ name: "warm-up", stdout: "" }] });
      const checksKey = `checks\n${checksSrc}`;
      if (checksSrc && !python && !warmUps.has(checksKey)) {
        warmUps.add(checksKey);
        api.loadRuntime("python", checksSrc, 0).then(idleCheck).catch(() => {});
      }
    };
    section.addEventListener("focusin", warm, { once: true });

    async function start(withChecks) {
      if (running) return;
      if (withChecks && !checkButton) withChecks = false;
      if (!src) {
        showFailure(t("exercise_no_runtime"));
        return;
      }
      const files = { ...(request.files || {}), [entry]: editor.value };
      const req = { ...request, files, entry, checks: withChecks ? request.checks || [] : [] };
      running = new AbortController();
      readerRuns += 1;
      let phase = t("exercise_loading");
      setRunning(true, () => phase);
      status.classList.remove("lb-ex-status-ok", "lb-ex-status-bad");
      try {
        await api.loadRuntime(runtime, src, limits.memory_bytes);
        phase = withChecks ? t("exercise_checking") : t("exercise_running");
        const result = await api.run({ runtime, python, src, checksSrc, request: req, limits, signal: running.signal });
        // The last run, as the hand-in file carries it (a student edition's checks are the shown ones).
        const error = result.error ? { type: result.error.type || "", message: result.error.message || "", line: result.error.line || null } : null;
        state.last = {
          stdout: (result.stdout || "").slice(0, 16384),
          error,
          stopped: result.stopped || null,
          checks: withChecks ? (result.checks || []).map((c) => ({ name: c.name, passed: !!c.passed, message: c.hidden ? "" : c.message || "" })) : [],
          checked: withChecks,
          at: Date.now(),
        };
        state.code = editor.value;
        save();
        if (withChecks) {
          state.attempts = (state.attempts || 0) + 1;
          if (result.passed) state.passed = true;
          state.code = editor.value;
          save();
          renderSolution();
        }
        showResult(result, withChecks);
      } catch (e) {
        showFailure(t("exercise_cannot_run", { message: e && e.message ? e.message : e }));
      } finally {
        running = null;
        readerRuns -= 1;
        setRunning(false);
      }
    }
    checkButton && checkButton.addEventListener("click", () => start(true));
    runButton.addEventListener("click", () => start(false));

    function showFailure(message) {
      status.textContent = "";
      output.replaceChildren(el("p", { class: "lb-ex-summary lb-ex-bad", text: message }));
    }

    function block(title, text, cls) {
      return el("div", { class: `lb-ex-stream ${cls}` }, el("p", { class: "lb-ex-panel-title", text: title }), el("pre", {}, text));
    }

    function showResult(result, withChecks) {
      const parts = [];
      const checks = Array.isArray(result.checks) ? result.checks : [];
      const error = result.error;
      const ok = !!result.passed && !result.stopped;
      let summary;
      if (result.stopped) summary = t("exercise_stopped_because", { reason: api.stopText ? api.stopText(result) : result.stopped });
      else if (error && !error.file && !error.line) {
        const host = api.faultText(error); // the host's, not Python's
        summary = `${host.charAt(0).toUpperCase()}${host.slice(1)}.`;
      } else if (error) summary = t(error.line ? "exercise_raised_on_line" : "exercise_raised", { error: error.type || t("exercise_an_error"), line: String(error.line) });
      else if (withChecks && checks.length) {
        const passed = checks.filter((c) => c.passed).length;
        if (passed === checks.length) summary = checks.length === 1 ? t("exercise_check_passed") : t("exercise_checks_passed", { count: checks.length });
        else summary = checks.length === 1 ? t("exercise_check_failed") : t("exercise_checks_some_passed", { passed, count: checks.length });
      } else summary = t("exercise_finished");
      const took = typeof result.duration_ms === "number" ? ` (${api.formatDuration(result.duration_ms)})` : "";
      parts.push(el("p", { class: `lb-ex-summary ${ok ? "lb-ex-ok" : result.stopped || error || withChecks ? "lb-ex-bad" : ""}` }, summary + took));
      status.textContent = t(ok ? (withChecks ? "exercise_status_passed" : "exercise_status_done") : result.stopped ? "exercise_status_stopped" : error ? "exercise_status_error" : withChecks ? "exercise_status_not_yet" : "exercise_status_done");
      status.classList.toggle("lb-ex-status-ok", ok);
      status.classList.toggle("lb-ex-status-bad", !ok && (withChecks || !!error || !!result.stopped));

      if (error) {
        let where = error.line ? t(error.column ? "exercise_at_line_column" : "exercise_at_line", { line: String(error.line), column: String(error.column) }) : "";
        if (where && error.file && error.file !== entry) where = t("exercise_in_file", { where, file: error.file });
        if (where) where += ": ";
        const box = el("div", { class: "lb-ex-error" }, el("p", { class: "lb-ex-panel-title", text: t("exercise_error") }), el("pre", {}, `${where}${error.type ? error.type + ": " : ""}${api.faultText(error)}`));
        // The runner's note for errors a reader cannot act on alone (`import numpy`, `yield`).
        if (error.note) box.append(el("p", { class: "lb-ex-error-note" }, api.noteText(error), guideLink ? " " : null, guideLink ? guideLink.cloneNode(true) : null));
        if (error.traceback) {
          const details = el("details", {}, el("summary", { text: t("exercise_traceback") }), el("pre", {}, error.traceback));
          box.append(details);
        }
        parts.push(box);
      }
      editor.markLine(error && error.line && (!error.file || error.file === entry) ? error.line : 0);

      if (withChecks && checks.length) {
        const list = el("ul", { class: "lb-ex-checks", "aria-label": t("exercise_check_results") });
        let hiddenNo = 0;
        for (const c of checks) {
          const name = c.hidden ? t("exercise_hidden_check", { n: ++hiddenNo }) : c.name;
          const item = el(
            "li",
            { class: `lb-ex-check-item ${c.passed ? "lb-ex-pass" : "lb-ex-fail"}${c.hidden ? " lb-ex-hidden-check" : ""}` },
            el("span", { class: "lb-ex-mark", "aria-hidden": "true", text: c.passed ? "✓" : "✗" }),
            el("span", { class: "lb-ex-check-name" }, el("span", { class: "lb-visually-hidden", text: c.passed ? t("exercise_passed_sr") : t("exercise_failed_sr") }), name),
          );
          // A stopped or failed program fails every check with the host's words; the summary
          // and the error box above already say why, in the page's language.
          if (!c.passed && !c.hidden && c.message && !result.stopped && !error) item.append(el("span", { class: "lb-ex-check-message", text: said(c) }));
          // The author's feedback on a failed check; for a hidden one the only help, never the check itself.
          if (!c.passed && c.feedback) item.append(el("span", { class: "lb-ex-check-message lb-ex-feedback", text: c.feedback }));
          list.append(item);
        }
        parts.push(list);
      }
      // A student edition runs the shown checks only; the grader runs the hidden ones too.
      const hiddenCount = (data.checks || []).filter((c) => c.hidden).length;
      if (withChecks && data.edition === "student" && hiddenCount) {
        parts.push(el("p", { class: "lb-ex-note", text: t("exercise_more_checks_graded", { count: hiddenCount }) }));
      }
      const stdout = result.stdout || "";
      const stderr = result.stderr || "";
      if (stdout) parts.push(block(t("exercise_output"), stdout, "lb-ex-stdout"));
      if (stderr) parts.push(block(t("exercise_stderr"), stderr, "lb-ex-stderr"));
      if (!stdout && !stderr && !error && !result.stopped) parts.push(el("p", { class: "lb-ex-empty", text: t("exercise_no_output") }));
      if (result.truncated) parts.push(el("p", { class: "lb-ex-note", text: t("exercise_output_cut", { size: api.formatBytes(limits.output_bytes) }) }));
      output.replaceChildren(...parts);
      section.classList.toggle("lb-exercise-passed", withChecks && ok);
      section.classList.toggle("lb-exercise-failed", withChecks && !ok);
      if (state.passed) section.classList.add("lb-exercise-solved");
    }
    return warm;
  }
