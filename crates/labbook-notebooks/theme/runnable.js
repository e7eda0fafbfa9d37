// labbook runnable lesson code: every `div.lb-runnable` (a ```python runnable``` block) gets a
// Run button; its output appears under it. The blocks of a page share state like a
// notebook's cells: the runtime starts fresh for every run, so a block runs after the blocks
// that ran before it, replayed in the order they ran, in one program, with a marker line
// printed between blocks to split the output (labbook's crates/labbook-notebooks/src/runnable.rs
// builds the same program for `labbook test`). Running a block while blocks above it have not
// run offers "Run all above". The dataset splits the blocks load go with every run. Needs exercise.js (window.labbook.run), loaded before this file.
// Without JavaScript the block stays the highlighted code the build wrote.
(function () {
  "use strict";
  const blocks = Array.from(document.querySelectorAll("div.lb-runnable"));
  if (!blocks.length) return;
  const MARKER = "\u001elabbook-block\u001e";
  const MARKER_LINE = 'print("\\x1elabbook-block\\x1e")';
  const LIMITS = { time_ms: 10000, memory_bytes: 256 << 20, output_bytes: 256 << 10 };
  /** The code of the blocks that ran, in the order they ran: the page's state. */
  let history = [];
  const ran = blocks.map(() => false);
  let busy = false;

  /**
   * The dataset splits the page's blocks load (`tinyml.load_dataset`), which the build named
   * beside the blocks that load them (`{script, key}`: the page does not carry them; the run
   * API loads each the first time): sent with every run, as `labbook test` sends them.
   */
  const dataFiles = {};
  for (const b of blocks) {
    const s = b.querySelector("script.lb-runnable-files");
    if (s) Object.assign(dataFiles, JSON.parse(s.textContent));
  }

  const codeOf = (i) => blocks[i].querySelector("pre").textContent.replace(/\n+$/, "");

  /** The program running `codes` in order, and the first line of each in it. */
  function program(codes) {
    let text = "";
    let line = 1;
    const starts = [];
    codes.forEach((code, k) => {
      if (k > 0) {
        text += MARKER_LINE + "\n";
        line += 1;
      }
      starts.push(line);
      text += code + "\n";
      line += Math.max(1, code.split("\n").length);
    });
    return { text, starts };
  }

  // The theme's words in the page's language (ui.js); the key itself on a page without it.
  const t = (key, vars) => (window.labbook && window.labbook.t ? window.labbook.t(key, vars) : key);

  const ui = blocks.map((block, i) => {
    const bar = document.createElement("div");
    bar.className = "lb-run-bar";
    const run = document.createElement("button");
    run.type = "button";
    run.className = "lb-run-button";
    run.textContent = t("notebook_run");
    run.setAttribute("aria-label", t("notebook_run_block", { n: i + 1, total: blocks.length }));
    const status = document.createElement("span");
    status.className = "lb-run-status";
    status.setAttribute("role", "status");
    bar.append(run, status);
    const output = document.createElement("div");
    output.className = "lb-run-output";
    output.hidden = true;
    block.append(bar, output);
    run.addEventListener("click", () => runBlocks([i], false));
    return { run, status, output };
  });

  function setBusy(on, indices = []) {
    busy = on;
    for (const u of ui) u.run.disabled = on;
    for (const i of indices) blocks[i].setAttribute("aria-busy", on ? "true" : "false");
  }

  function show(i, text, error, offerAbove) {
    const out = ui[i].output;
    out.replaceChildren();
    out.hidden = false;
    if (text) {
      const pre = document.createElement("pre");
      pre.className = "lb-run-stdout";
      pre.textContent = text;
      out.append(pre);
    }
    if (error) {
      const pre = document.createElement("pre");
      pre.className = "lb-run-error";
      pre.textContent = error;
      out.append(pre);
    }
    if (!text && !error) {
      const p = document.createElement("p");
      p.className = "lb-run-empty";
      p.textContent = t("notebook_no_output");
      out.append(p);
    }
    if (offerAbove) {
      const p = document.createElement("p");
      p.className = "lb-run-above";
      const missing = ran.slice(0, i).filter((r) => !r).length;
      p.append(t("notebook_not_run", { count: missing }));
      const button = document.createElement("button");
      button.type = "button";
      button.className = "lb-run-all-above";
      button.textContent = t("notebook_run_all_above");
      button.addEventListener("click", () => runBlocks(blocks.map((_, j) => j).filter((j) => j <= i), true));
      p.append(button);
      out.append(p);
    }
  }

  /**
   * Runs the blocks `indices` in order after the history (after none when `fresh`: "Run all
   * above" starts the page's state again), in one run, and shows each block's output.
   */
  async function runBlocks(indices, fresh) {
    if (busy) return;
    setBusy(true, indices);
    const last = indices[indices.length - 1];
    const offerAbove = !fresh && ran.slice(0, last).some((r) => !r);
    const base = fresh ? [] : history;
    const codes = base.concat(indices.map(codeOf));
    const { text, starts } = program(codes);
    for (const i of indices) ui[i].status.textContent = t("notebook_running");
    let result;
    try {
      const src = blocks[last].dataset.runtimeSrc;
      const files = Object.assign({}, dataFiles, { "main.py": text });
      result = await window.labbook.run({ runtime: "python", src, request: { files, entry: "main.py" }, limits: LIMITS });
    } catch (e) {
      for (const i of indices) ui[i].status.textContent = "";
      show(last, "", t("notebook_cannot_start", { message: e && e.message ? e.message : e }), false);
      setBusy(false, indices);
      return;
    }
    const outputs = (result.stdout || "").split(MARKER + "\n");
    // The block the exception was raised in, from its line in the program.
    let failed = -1;
    let errorText = "";
    if (result.error || result.stopped) {
      const line = (result.error && result.error.line) || 0;
      failed = result.stopped || !line ? codes.length - 1 : starts.filter((s) => s <= line).length - 1;
      if (result.stopped) errorText = t("notebook_stopped", { reason: window.labbook.stopText ? window.labbook.stopText(result) : result.stopped });
      else {
        const said = window.labbook.faultText ? window.labbook.faultText(result.error) : result.error.message;
        const error = `${result.error.type}: ${said}`;
        errorText = line ? t("notebook_error_line", { error, line: String(line - starts[failed] + 1) }) : error;
        if (result.error.note) errorText += `\n${window.labbook.noteText ? window.labbook.noteText(result.error) : result.error.note}`;
      }
    }
    if (fresh) {
      history = [];
      ran.fill(false);
    }
    indices.forEach((i, k) => {
      const at = base.length + k;
      ui[i].status.textContent = "";
      if (failed >= 0 && at > failed) return;
      if (failed >= 0 && at < base.length) return;
      if (at === failed) {
        show(i, outputs[at] || "", errorText, offerAbove && i === last);
        ui[i].status.textContent = t("notebook_failed");
        return;
      }
      show(i, outputs[at] || "", "", offerAbove && i === last);
      ui[i].status.textContent = t("notebook_done");
      ran[i] = true;
      history.push(codeOf(i));
    });
    if (failed >= 0 && failed < base.length) {
      // A block that ran before failed when replayed (a random draw, a changed state).
      show(last, "", t("notebook_failed_again", { error: errorText }), false);
      ui[last].status.textContent = t("notebook_failed");
    }
    setBusy(false, indices);
  }
})();
