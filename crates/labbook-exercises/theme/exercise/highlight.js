  /* =====================================================================================
   * The exercise block: editor, buttons, output.
   * ===================================================================================== */

  /* ---------- Python highlighting ---------- */
  const KEYWORDS = new Set(
    "False None True and as assert async await break case class continue def del elif else except finally for from global if import in is lambda match nonlocal not or pass raise return try while with yield".split(" "),
  );
  const BUILTINS = new Set(
    "abs all any bool dict divmod enumerate filter float format getattr hasattr int isinstance iter len list map max min next object open pow print range repr reversed round set sorted str sum super tuple type zip self Exception ValueError TypeError IndexError KeyError ZeroDivisionError AssertionError NameError RuntimeError StopIteration".split(" "),
  );
  // comment | string (optional prefix; triple quotes may run to the end) | number | name | decorator
  const TOKEN = /(#[^\n]*)|((?:[rRbBuUfF]{1,2})?(?:'''[\s\S]*?(?:'''|$)|"""[\s\S]*?(?:"""|$)|'(?:[^'\\\n]|\\[\s\S])*'?|"(?:[^"\\\n]|\\[\s\S])*"?))|((?:0[xX][\da-fA-F_]+|0[bB][01_]+|0[oO][0-7_]+|(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:[eE][-+]?\d+)?)[jJ]?)|([A-Za-z_\u00C0-\uFFFF][\w\u00C0-\uFFFF]*)|(@[A-Za-z_][\w.]*)/g;

  function escapeHtml(text) {
    return text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
  }
  /** Splits Python source into [class, text] tokens; class "" is plain text. */
  function tokenize(source) {
    const tokens = [];
    let last = 0;
    let afterDef = false;
    TOKEN.lastIndex = 0;
    for (let m; (m = TOKEN.exec(source)); ) {
      if (m.index > last) tokens.push(["", source.slice(last, m.index)]);
      let cls = "";
      if (m[1] !== undefined) cls = "com";
      else if (m[2] !== undefined) cls = "str";
      else if (m[3] !== undefined) cls = "num";
      else if (m[5] !== undefined) cls = "dec";
      else if (afterDef) cls = "fn";
      else if (KEYWORDS.has(m[4])) cls = "kw";
      else if (BUILTINS.has(m[4])) cls = "bi";
      afterDef = m[4] === "def" || m[4] === "class";
      tokens.push([cls, m[0]]);
      last = TOKEN.lastIndex;
    }
    if (last < source.length) tokens.push(["", source.slice(last)]);
    return tokens;
  }
  /** Highlighted HTML as one run of text (for read-only code that readers may copy). */
  function highlight(source) {
    return tokenize(source)
      .map(([cls, text]) => (cls ? `<span class="lb-t-${cls}">${escapeHtml(text)}</span>` : escapeHtml(text)))
      .join("");
  }
  /** Highlighted HTML, one <div> per line (so a line can be marked); only for the editor's overlay. */
  function highlightLines(source, markLine) {
    const lines = [[]];
    for (const [cls, text] of tokenize(source)) {
      text.split("\n").forEach((piece, i) => {
        if (i > 0) lines.push([]);
        if (piece) lines[lines.length - 1].push(cls ? `<span class="lb-t-${cls}">${escapeHtml(piece)}</span>` : escapeHtml(piece));
      });
    }
    return lines.map((parts, i) => `<div class="lb-ed-line${i + 1 === markLine ? " lb-ed-error" : ""}">${parts.join("")}</div>`).join("");
  }
