  /* ---------- DOM helper and the code editor ---------- */
  /** `el("p", {class: "x", text: "hi"}, child…)`: an element with attributes and children. */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === false || v === null || v === undefined) continue;
      if (k === "class") node.className = v;
      else if (k === "text") node.textContent = v;
      else node.setAttribute(k, v === true ? "" : v);
    }
    for (const child of children) if (child) node.append(child);
    return node;
  }

  const INDENT = "    ";
  const isMac = /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);

  /* ---------- the editor: a textarea over a highlighted copy of its text ---------- */
  function createEditor(label, keysId, onRun, onChange) {
    const gutter = el("div", { class: "lb-ed-gutter", "aria-hidden": "true" });
    const highlight = el("pre", { class: "lb-ed-highlight code-live", "aria-hidden": "true" });
    const code = el("code", {});
    highlight.append(code);
    const area = el("textarea", {
      class: "lb-ed-input",
      spellcheck: "false",
      autocapitalize: "off",
      autocomplete: "off",
      autocorrect: "off",
      wrap: "off",
      "aria-label": label,
      "aria-keyshortcuts": isMac ? "Meta+Enter Meta+Shift+Enter" : "Control+Enter Control+Shift+Enter",
      "aria-describedby": keysId,
    });
    const hint = el("p", { class: "lb-ed-keys", id: keysId }, (api.t ? api.t("exercise_keys", { mod: isMac ? "⌘" : "Ctrl" }) : "exercise_keys"));
    const body = el("div", { class: "lb-ed-body" }, highlight, area);
    const root = el("div", { class: "lb-editor" }, gutter, body);
    let errorLine = 0;
    let escaped = false;

    function render() {
      const text = area.value;
      code.innerHTML = highlightLines(text, errorLine);
      const count = text.split("\n").length;
      if (gutter.childElementCount !== count || gutter.dataset.error !== String(errorLine)) {
        const nums = [];
        for (let i = 1; i <= count; i++) nums.push(`<div${i === errorLine ? ' class="lb-ed-error"' : ""}>${i}</div>`);
        gutter.innerHTML = nums.join("");
        gutter.dataset.error = String(errorLine);
      }
      // Tall enough for the code (between 6 and 24 lines); beyond that the editor scrolls.
      root.style.setProperty("--lb-ed-lines", String(Math.min(Math.max(count, 6), 24)));
      sync();
    }
    function sync() {
      highlight.scrollTop = area.scrollTop;
      highlight.scrollLeft = area.scrollLeft;
      gutter.scrollTop = area.scrollTop;
    }

    /* The editor keeps its own undo history. The browser's would need every edit to go through
     * document.execCommand, whose caret placement is not reliable (an "insertText" of "" leaves
     * the caret one character early: issue 14), and it restores the replaced range as the
     * selection instead of the reader's. Each step holds the text and selection before and
     * after; consecutive typing (or deleting) at the caret is one step, as in other editors. */
    const HISTORY_LIMIT = 500;
    let undoStack = [];
    let redoStack = [];
    let pending = null; // the state before a native edit (from beforeinput), until its input event
    const snapshot = () => ({ text: area.value, start: area.selectionStart, end: area.selectionEnd });
    function record(before, after, kind) {
      if (before.text === after.text) return;
      const last = undoStack[undoStack.length - 1];
      const joins =
        last && (kind === "type" || kind === "delete") && last.kind === kind && last.after.text === before.text &&
        last.after.start === before.start && last.after.end === before.end && before.start === before.end;
      if (joins) last.after = after;
      else {
        undoStack.push({ before, after, kind });
        if (undoStack.length > HISTORY_LIMIT) undoStack.shift();
      }
      redoStack = [];
    }
    function restore(state) {
      area.value = state.text;
      area.setSelectionRange(state.start, state.end);
      revealCaret();
      changed();
    }
    function undo() {
      const step = undoStack.pop();
      if (!step) return;
      redoStack.push(step);
      restore(step.before);
    }
    function redo() {
      const step = redoStack.pop();
      if (!step) return;
      undoStack.push(step);
      restore(step.after);
    }
    /** Scrolls the editor so that the caret's line is visible (a programmatic edit does not). */
    function revealCaret() {
      const lh = parseFloat(getComputedStyle(area).lineHeight) || 20;
      const pad = parseFloat(getComputedStyle(area).paddingTop) || 0;
      const line = area.value.slice(0, area.selectionEnd).split("\n").length - 1;
      const top = pad + line * lh;
      if (top < area.scrollTop) area.scrollTop = Math.max(0, top - pad);
      else if (top + lh > area.scrollTop + area.clientHeight) area.scrollTop = top + lh + pad - area.clientHeight;
      sync();
    }
    /** After any change of the text: drop the error mark, redraw, tell the block. */
    function changed() {
      if (errorLine) errorLine = 0;
      render();
      onChange(area.value);
    }

    /**
     * Replaces [start, end) with `text`, as one undo step, and puts the selection at
     * [selStart, selEnd] (default: a caret right after the new text).
     */
    function replace(start, end, text, selStart, selEnd) {
      const before = snapshot();
      area.setRangeText(text, start, end, "end");
      const anchor = selStart === undefined ? start + text.length : selStart;
      area.setSelectionRange(anchor, selEnd === undefined ? anchor : selEnd);
      record(before, snapshot(), "command");
      revealCaret();
      changed();
    }
    function lineStart(pos) {
      return area.value.lastIndexOf("\n", pos - 1) + 1;
    }
    function indentSelection(dedent) {
      const { selectionStart: s, selectionEnd: e, value } = area;
      const from = lineStart(s);
      // A selection ending at the start of a line does not include that line.
      const endPos = e > s && value[e - 1] === "\n" ? e - 1 : e;
      let to = value.indexOf("\n", endPos);
      if (to < 0) to = value.length;
      if (!dedent && s === e) {
        // No selection: indent to the next multiple of four from the caret.
        const col = s - from;
        replace(s, s, " ".repeat(4 - (col % 4)));
        return;
      }
      const lines = value.slice(from, to).split("\n");
      let firstShift = 0;
      const changed = lines.map((line, i) => {
        if (!dedent) {
          if (i === 0) firstShift = INDENT.length;
          return INDENT + line;
        }
        const spaces = line.match(/^ */)[0].length;
        const remove = spaces ? Math.min(spaces, INDENT.length) : line.startsWith("\t") ? 1 : 0;
        if (i === 0) firstShift = -remove;
        return line.slice(remove);
      });
      const text = changed.join("\n");
      if (text === value.slice(from, to)) return;
      // A caret moves with its line; a selection grows to cover the whole lines it touched.
      if (s === e) replace(from, to, text, Math.max(from, s + firstShift));
      else replace(from, to, text, from, from + text.length);
    }

    area.addEventListener("keydown", (event) => {
      if (event.key === "Escape") {
        escaped = true;
        return;
      }
      // A modifier alone (the Shift of Shift+Tab) keeps the escaped state.
      if (event.key === "Shift" || event.key === "Control" || event.key === "Alt" || event.key === "Meta") return;
      const mod = isMac ? event.metaKey : event.ctrlKey;
      const letter = event.key.length === 1 ? event.key.toLowerCase() : "";
      if (mod && !event.altKey && (letter === "z" || (letter === "y" && !isMac))) {
        event.preventDefault();
        escaped = false;
        if (letter === "y" || event.shiftKey) redo();
        else undo();
        return;
      }
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        onRun(event.shiftKey);
        return;
      }
      if (event.key === "Tab" && !event.ctrlKey && !event.metaKey && !event.altKey) {
        if (escaped) return; // let focus move on
        event.preventDefault();
        indentSelection(event.shiftKey);
        return;
      }
      escaped = false;
      if (event.key === "Enter" && !event.shiftKey && !event.altKey && !event.isComposing) {
        const { selectionStart: s, selectionEnd: e, value } = area;
        const before = value.slice(lineStart(s), s);
        let indent = before.match(/^[ \t]*/)[0];
        if (/:\s*(#.*)?$/.test(before)) indent += INDENT;
        event.preventDefault();
        replace(s, e, "\n" + indent);
        return;
      }
      if (event.key === "Backspace" && area.selectionStart === area.selectionEnd) {
        // Backspace in leading spaces removes one indentation step.
        const s = area.selectionStart;
        const before = area.value.slice(lineStart(s), s);
        if (before.length > 0 && /^ +$/.test(before)) {
          event.preventDefault();
          const remove = before.length % 4 || 4;
          replace(s - remove, s, "");
        }
      }
    });
    area.addEventListener("blur", () => (escaped = false));
    // Native edits (typing, deleting, paste, cut, drop) are recorded around the browser's own
    // change; its undo and redo (from a menu) are replaced by ours.
    area.addEventListener("beforeinput", (event) => {
      if (event.inputType === "historyUndo" || event.inputType === "historyRedo") {
        event.preventDefault();
        if (event.inputType === "historyUndo") undo();
        else redo();
        return;
      }
      pending = { state: snapshot(), kind: event.inputType === "insertText" ? "type" : event.inputType.startsWith("delete") ? "delete" : "other" };
    });
    area.addEventListener("input", () => {
      if (pending) record(pending.state, snapshot(), pending.kind);
      else {
        // Changed by a script: the history no longer applies.
        undoStack = [];
        redoStack = [];
      }
      pending = null;
      changed();
    });
    area.addEventListener("scroll", sync);

    return {
      root,
      hint,
      area,
      get value() {
        return area.value;
      },
      set value(text) {
        area.value = text;
        errorLine = 0;
        undoStack = [];
        redoStack = [];
        render();
      },
      markLine(line) {
        errorLine = line || 0;
        render();
        if (!line) return;
        // Bring the line into view inside the editor.
        const lh = parseFloat(getComputedStyle(area).lineHeight) || 20;
        const top = (line - 1) * lh;
        if (top < area.scrollTop || top > area.scrollTop + area.clientHeight - 2 * lh) area.scrollTop = Math.max(0, top - area.clientHeight / 3);
        sync();
      },
      render,
    };
  }
