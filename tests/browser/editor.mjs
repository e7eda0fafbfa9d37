// The exercise editor's editing model, in headless Chromium on a real built exercise page
// (from file://):
//
//   node tests/browser/editor.mjs <site-dir>
//
// One table of keystroke sequences, each with the text and caret it must leave, then the state
// after Ctrl+Z (undo: the text and selection from before the last edit) and after Ctrl+Shift+Z
// (redo: those from after it). In the table, `|` marks the caret, `«…»` a
// selection; `type:` types text key by key, `paste:` pastes through the clipboard, anything
// else is one key press. The editor's highlighted overlay must always show the same text as the
// textarea. Then: Esc followed by Tab or Shift+Tab leaves the editor (the focus moves on and the
// code is unchanged).
import { Site, assert, check, main, siteDirFromArgs } from "./lib.mjs";

/** The editing table: [name, start state, steps, expected, after undo, after redo]. */
export const EDITS = [
  // Enter and auto-indent.
  ["Enter after a colon indents one step", "def f():|", ["Enter"], "def f():\n    |", "def f():|", "def f():\n    |"],
  ["Enter keeps the line's indent", "def f():\n    return 1|", ["Enter"], "def f():\n    return 1\n    |", "def f():\n    return 1|", "def f():\n    return 1\n    |"],
  ["Enter after a colon and a comment indents", "if x:  # why|", ["Enter"], "if x:  # why\n    |", "if x:  # why|", "if x:  # why\n    |"],
  ["Enter replaces a selection", "a = «1 + 2»", ["Enter"], "a = \n|", "a = «1 + 2»", "a = \n|"],
  ["Enter in the middle of an indented line", "    ab|cd", ["Enter"], "    ab\n    |cd", "    ab|cd", "    ab\n    |cd"],
  // Backspace at indent: one step (issue 14's reproduction first, as steps of its own).
  ["Backspace on a line of only indent removes one step", "def f():\n    return 1\n    |", ["Backspace"], "def f():\n    return 1\n|", "def f():\n    return 1\n    |", "def f():\n    return 1\n|"],
  [
    "issue 14: def f(): ⏎ return 1 ⏎ ⌫ print(f()) ends outside the function",
    "|",
    ["type:def f():", "Enter", "type:return 1", "Enter", "Backspace", "type:print(f())"],
    "def f():\n    return 1\nprint(f())|",
    null,
    null,
  ],
  ["Backspace at a deeper indent removes one step", "if a:\n    if b:\n        |", ["Backspace"], "if a:\n    if b:\n    |", "if a:\n    if b:\n        |", "if a:\n    if b:\n    |"],
  ["Backspace after an odd indent goes back to a multiple of four", "      |x", ["Backspace"], "    |x", "      |x", "    |x"],
  ["Backspace after text deletes one character", "x = 1  |", ["Backspace"], "x = 1 |", "x = 1  |", "x = 1 |"],
  ["Backspace at the start of an indented line joins it to the one above", "a\n|    b", ["Backspace"], "a|    b", "a\n|    b", "a|    b"],
  // Tab and Shift+Tab, with and without a selection.
  ["Tab inserts spaces to the next multiple of four", "ab|", ["Tab"], "ab  |", "ab|", "ab  |"],
  ["Tab indents every line of a selection", "«a\nb»\nc", ["Tab"], "«    a\n    b»\nc", "«a\nb»\nc", "«    a\n    b»\nc"],
  ["Tab indents a selection that ends at a line start without the next line", "«a\n»b", ["Tab"], "«    a»\nb", "«a\n»b", "«    a»\nb"],
  ["Shift+Tab dedents every line of a selection", "«    a\n      b»\nc", ["Shift+Tab"], "«a\n  b»\nc", "«    a\n      b»\nc", "«a\n  b»\nc"],
  ["Shift+Tab dedents the caret's line and the caret moves with it", "x\n        y|z", ["Shift+Tab"], "x\n    y|z", "x\n        y|z", "x\n    y|z"],
  ["Shift+Tab on an unindented line changes nothing", "ab|", ["Shift+Tab"], "ab|", null, null],
  // Paste: text arrives as it was copied, without auto-indent.
  ["paste inserts the clipboard as it is", "def f():\n    |", ["paste:x = 1\ny = 2"], "def f():\n    x = 1\ny = 2|", "def f():\n    |", "def f():\n    x = 1\ny = 2|"],
  ["paste replaces the selection", "a «bc» d", ["paste:XY"], "a XY| d", "a «bc» d", "a XY| d"],
  ["Enter after a paste indents from the pasted line", "|", ["paste:for i in range(3):", "Enter", "type:print(i)"], "for i in range(3):\n    print(i)|", null, null],
];

/** "a|b" / "«a»b" -> {text, start, end}. */
export function parseState(marked) {
  const caret = marked.indexOf("|");
  if (caret >= 0) return { text: marked.slice(0, caret) + marked.slice(caret + 1), start: caret, end: caret };
  const open = marked.indexOf("«");
  const close = marked.indexOf("»");
  if (open < 0 || close < open) throw new Error(`state ${JSON.stringify(marked)} marks no caret`);
  return { text: marked.slice(0, open) + marked.slice(open + 1, close) + marked.slice(close + 1), start: open, end: close - 1 };
}

/** {text, start, end} -> "a|b" / "«a»b". */
function showState({ text, start, end }) {
  if (start === end) return text.slice(0, start) + "|" + text.slice(start);
  return text.slice(0, start) + "«" + text.slice(start, end) + "»" + text.slice(end);
}

async function editorState(area) {
  return area.evaluate((a) => ({ text: a.value, start: a.selectionStart, end: a.selectionEnd }));
}

/** Sets the editor's text and selection as a fresh start (the undo history is cleared by the value change). */
async function setState(area, marked) {
  const { text, start, end } = parseState(marked);
  await area.evaluate(
    (a, { text, start, end }) => {
      a.focus();
      a.value = text;
      a.dispatchEvent(new Event("input", { bubbles: true }));
      a.setSelectionRange(start, end);
    },
    { text, start, end },
  );
}

async function step(page, area, action) {
  if (action.startsWith("type:")) await page.keyboard.type(action.slice(5));
  else if (action.startsWith("paste:")) {
    const text = action.slice(6);
    await page.evaluate((t) => navigator.clipboard.writeText(t), text);
    await page.keyboard.press("Control+V");
  } else await page.keyboard.press(action);
}

async function expectState(area, block, want, what) {
  const got = await editorState(area);
  assert(showState(got) === want, `${what}: the editor holds ${JSON.stringify(showState(got))}, expected ${JSON.stringify(want)}`);
  // The highlighted copy under the textarea shows the same text, line by line.
  const shown = await block.locator(".lb-ed-highlight code").evaluate((code) => [...code.querySelectorAll(".lb-ed-line")].map((l) => l.textContent).join("\n"));
  assert(shown === got.text, `${what}: the highlighted overlay shows ${JSON.stringify(shown)}, not the text ${JSON.stringify(got.text)}`);
}

export async function run(browser, args) {
  const dir = siteDirFromArgs("editor.mjs", args);
  const site = new Site(browser, dir);
  console.log(`site: ${site.dir}`);
  const rel = site.findPage(/<section class="lb-exercise"/);
  assert(rel, "the site has no page with an exercise");
  const page = await site.open(rel, { permissions: ["clipboard-read", "clipboard-write"] });
  const block = page.locator("section.lb-exercise").first();
  const area = block.locator(".lb-ed-input");
  await area.waitFor();

  for (const [name, start, steps, want, undone, redone] of EDITS) {
    await check(site, `editor: ${name}`, async () => {
      await setState(area, start);
      for (const action of steps) await step(page, area, action);
      await expectState(area, block, want, steps.join(" "));
      if (undone === null) return "";
      await page.keyboard.press("Control+Z");
      await expectState(area, block, undone, "after undo");
      await page.keyboard.press("Control+Shift+Z");
      await expectState(area, block, redone, "after redo");
      return "";
    });
  }

  for (const keys of ["Tab", "Shift+Tab"]) {
    await check(site, `Esc then ${keys} leaves the editor and keeps the code`, async () => {
      await setState(area, "def f():\n    return 1|");
      await page.keyboard.press("Escape");
      await page.keyboard.press(keys);
      const focusedArea = await area.evaluate((a) => document.activeElement === a);
      assert(!focusedArea, `after Esc, ${keys} kept the focus in the editor`);
      await expectState(area, block, "def f():\n    return 1|", `Esc, ${keys}`);
      // Back in the editor, Tab indents again.
      await area.focus();
      await area.evaluate((a) => a.setSelectionRange(0, 0));
      await page.keyboard.press("Tab");
      await expectState(area, block, "    |def f():\n    return 1", "Tab after coming back");
    });
  }
}

await main(import.meta.url, "editor.mjs", run);
