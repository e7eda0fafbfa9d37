  /* =====================================================================================
   * The exercise block: editor, buttons, output.
   * ===================================================================================== */

  /* ---------- Python highlighting ----------
   * Code typed in the editor is highlighted here, as it changes; code blocks of the page were
   * highlighted by the build (syntect, with bat's Python grammar). Both must colour a token the
   * same way, so this tokenizer follows that grammar's choices (`print` without a call is a
   * keyword, a called name is a function call, string prefixes look like keywords, a string
   * that starts a statement is a docstring, ...) and marks each token `lb-t-<kind>`. The build
   * gives every kind exactly the style syntect gives a sample token of it, in the generated
   * highlight.css (src/markdown/highlight.rs, BROWSER_PYTHON_KINDS), so colours come from one
   * place. Known gaps: the grammar's regular-expression colours inside r"..." strings, and the
   * soft keywords' finer cases. */
  const words = (text) => new Set(text.split(" "));
  const KEYWORDS = words("and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield");
  const CONSTANTS = words("True False None Ellipsis NotImplemented");
  const BUILTIN_FUNCTIONS = words(
    "abs all any ascii bin breakpoint callable chr classmethod compile delattr dir divmod enumerate eval exec filter format getattr globals hasattr hash help hex id input isinstance issubclass iter len locals map max min next oct open ord pow property range repr reversed round setattr sorted staticmethod sum super type vars zip",
  );
  const BUILTIN_TYPES = words(
    "bool bytearray bytes complex dict float frozenset int list memoryview object set slice str tuple " +
      "ArithmeticError AssertionError AttributeError BaseException BlockingIOError BrokenPipeError BufferError BytesWarning ChildProcessError ConnectionAbortedError ConnectionError ConnectionRefusedError ConnectionResetError DeprecationWarning EOFError EnvironmentError Exception FileExistsError FileNotFoundError FloatingPointError FutureWarning GeneratorExit IOError ImportError ImportWarning IndentationError IndexError InterruptedError KeyError KeyboardInterrupt LookupError MemoryError NameError NotADirectoryError NotImplementedError OSError OverflowError PendingDeprecationWarning PermissionError ProcessLookupError ReferenceError RuntimeError RuntimeWarning StopIteration SyntaxError SyntaxWarning SystemError SystemExit TabError TimeoutError TypeError UnboundLocalError UnicodeDecodeError UnicodeEncodeError UnicodeError UnicodeTranslateError UnicodeWarning UserWarning ValueError Warning ZeroDivisionError",
  );
  const PY_NAME = /[A-Za-z_\u00C0-\uFFFF][\w\u00C0-\uFFFF]*/y;
  const PY_NUMBER = /(?:0[xX][\da-fA-F_]+|0[bB][01_]+|0[oO][0-7_]+|(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:[eE][-+]?\d[\d_]*)?)/y;
  const PY_OPERATOR = /->|:=|\*\*=?|\/\/=?|<<=?|>>=?|[-+*\/%@&|^]=?|[<>!=]=|[<>=~]/y;
  const PY_STRING_START = /([rRbBuUfF]{1,2})?('''|"""|'|")/y;
  const PY_ESCAPE = /\\(?:x[\da-fA-F]{2}|u[\da-fA-F]{4}|U[\da-fA-F]{8}|N\{[^}\n]*\}|[0-7]{1,3}|[\s\S])/y;

  function escapeHtml(text) {
    return text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
  }

  /** Splits Python source into [kind, text] tokens; kind "" is plain text. */
  function tokenize(source) {
    const tokens = [];
    const push = (kind, text) => {
      if (!text) return;
      const last = tokens[tokens.length - 1];
      if (last && last[0] === kind) last[1] += text;
      else tokens.push([kind, text]);
    };
    let i = 0;
    let lineStart = true; // only whitespace since the start of a logical line
    let prevWord = ""; // the previous keyword or name, "" after anything else
    let classHeader = false; // from `class` to the `:` that ends its header
    let decorator = false; // on a line that starts with `@`
    let lambdaDepth = -1; // the bracket depth of a `lambda` whose parameters come, else -1
    const parens = []; // open brackets: "call", "params" (a def's parameter list) or "group"
    let defName = false; // a def's name was just seen: its "(" opens the parameters
    let defReturns = false; // after a def's parameters, where `->` is punctuation to the grammar
    let paramPosition = false; // inside a def's parentheses, where a parameter name may come
    const nextChar = (from) => {
      let j = from;
      while (j < source.length && (source[j] === " " || source[j] === "\t")) j++;
      return source.slice(j, j + 2);
    };
    while (i < source.length) {
      const c = source[i];
      const plainKind = classHeader ? "clsp" : "";
      if (c === "\n") {
        push(plainKind, c);
        i++;
        if (!parens.length) {
          lineStart = true;
          decorator = false;
          classHeader = false;
        }
        continue;
      }
      if (c === " " || c === "\t" || c === "\r" || c === "\\") {
        push(plainKind, c);
        i++;
        continue;
      }
      if (c === "#") {
        const end = source.indexOf("\n", i);
        push("com", source.slice(i, end < 0 ? source.length : end));
        i = end < 0 ? source.length : end;
        continue;
      }
      const atStatementStart = lineStart;
      lineStart = false;
      PY_STRING_START.lastIndex = i;
      const s = PY_STRING_START.exec(source);
      if (s) {
        i = string(s, atStatementStart);
        prevWord = "";
        continue;
      }
      PY_NAME.lastIndex = i;
      const n = PY_NAME.exec(source);
      if (n) {
        const word = n[0];
        i += word.length;
        push(nameKind(word, i), word);
        prevWord = word;
        continue;
      }
      PY_NUMBER.lastIndex = i;
      const num = /[\d.]/.test(c) ? PY_NUMBER.exec(source) : null;
      if (num && num[0] !== ".") {
        push("num", num[0]);
        i += num[0].length;
        if (source[i] === "j" || source[i] === "J") push("imag", source[i++]);
        prevWord = "";
        continue;
      }
      if (c === "@" && atStatementStart) {
        decorator = true;
        push("", c);
        i++;
        continue;
      }
      PY_OPERATOR.lastIndex = i;
      const op = PY_OPERATOR.exec(source);
      if (op) {
        push(op[0] === "->" && defReturns ? "" : "op", op[0]);
        i += op[0].length;
        // `*args` and `**kw` in a parameter list keep the next name a parameter; a default does not.
        if (op[0] !== "*" && op[0] !== "**") paramPosition = false;
        prevWord = "";
        continue;
      }
      // Punctuation.
      if (c === "(" || c === "[" || c === "{") {
        const kind = c !== "(" ? "group" : defName ? "params" : prevWord && !KEYWORDS.has(prevWord) ? "call" : "group";
        parens.push(kind);
        defName = false;
        paramPosition = kind === "params";
      } else if (c === ")" || c === "]" || c === "}") {
        defReturns = parens.pop() === "params";
        paramPosition = false;
      } else if (c === ",") {
        if (parens.length && parens[parens.length - 1] === "params") paramPosition = true;
      } else if (c === ":") {
        defReturns = false;
        if (lambdaDepth === parens.length) lambdaDepth = -1;
        if (classHeader && !parens.length) {
          push("clsp", c);
          classHeader = false;
          i++;
          prevWord = "";
          continue;
        }
        paramPosition = false;
      } else if (c === ";") lineStart = true;
      push(plainKind, c);
      i++;
      prevWord = "";
    }
    return tokens;

    /** The kind of the name `word`, which ends at `end`. */
    function nameKind(word, end) {
      const after = nextChar(end);
      const called = after[0] === "(";
      const assigned = after[0] === "=" && after[1] !== "=";
      const inParams = parens.length && parens[parens.length - 1] === "params";
      if (prevWord === "def") {
        defName = true;
        return /^__\w+__$/.test(word) ? "fnmagic" : "fn";
      }
      if (prevWord === "class") {
        classHeader = true;
        return "cls";
      }
      if (word === "lambda") {
        lambdaDepth = parens.length;
        return "kw";
      }
      if (word === "print" && !called) return "kw";
      if (KEYWORDS.has(word)) return "kw";
      if (CONSTANTS.has(word)) return "const";
      if (classHeader) return assigned ? "kwarg" : "cls";
      if (inParams && paramPosition) {
        paramPosition = false;
        return "param";
      }
      if (lambdaDepth === parens.length) return "param";
      if (decorator) return after[0] === "." ? "" : "dec";
      if (word === "self" || word === "cls") return "self";
      if (word === "_") return "anon";
      if (BUILTIN_FUNCTIONS.has(word) || word === "print") return "bi";
      if (BUILTIN_TYPES.has(word)) return called ? "typecall" : "type";
      if (called) return /^__\w+__$/.test(word) ? "bi" : "call";
      if (assigned && parens.length && parens[parens.length - 1] === "call") return "kwarg";
      // A name in capitals (two in a row somewhere) is a constant, unless an attribute follows.
      if (/^_*[A-Z][A-Z\d_]*$/.test(word) && /[A-Z]{2}/.test(word) && after[0] !== ".") return "caps";
      return "";
    }

    /** Pushes the string that starts with match `s` (prefix, quote) at `i`; returns where it ends. */
    function string(s, atStatementStart) {
      const prefix = s[1] || "";
      const quote = s[2];
      const raw = /[rR]/.test(prefix);
      const fmt = /[fF]/.test(prefix);
      let j = i + prefix.length + quote.length;
      if (quote.length === 3 && !prefix && atStatementStart) {
        // A string that is a statement of its own: the grammar shows it as a docstring.
        const end = source.indexOf(quote, j);
        const stop = end < 0 ? source.length : end + 3;
        push("doc", source.slice(i, stop));
        return stop;
      }
      push("pre", prefix);
      let text = quote;
      const flush = () => {
        push("str", text);
        text = "";
      };
      const PY_REGEX_PIECE = /\\[\s\S]|\[(?:\\[\s\S]|[^\]\n])*\]|\{\d+(?:,\d*)?\}|[.^$|*+?]/y;
      while (j < source.length) {
        if (source.startsWith(quote, j)) {
          text += quote;
          j += quote.length;
          flush();
          return j;
        }
        const ch = source[j];
        if (ch === "\n" && quote.length === 1) break;
        if (raw && !fmt) {
          // The grammar reads a raw string as a regular expression: escapes and classes, the
          // any-character dot and sets look like constants, quantifiers and anchors like operators.
          PY_REGEX_PIECE.lastIndex = j;
          const rx = PY_REGEX_PIECE.exec(source);
          const piece = rx && rx[0];
          if (piece && !piece.includes("\n") && !piece.slice(1).includes(quote[0])) {
            const kind = /^\\[^dDwWsSbBAZ]/.test(piece) ? "esc" : /^[\\[.]/.test(piece) ? "const" : "op";
            flush();
            push(kind, piece);
            j += piece.length;
            continue;
          }
          text += ch;
          j++;
          continue;
        }
        if (ch === "\\") {
          PY_ESCAPE.lastIndex = j;
          const e = PY_ESCAPE.exec(source);
          if (e && e[0] !== "\\\n") {
            flush();
            push("esc", e[0]);
            j += e[0].length;
            continue;
          }
        }
        if (fmt && (source.startsWith("{{", j) || source.startsWith("}}", j))) {
          flush();
          push("esc", source.slice(j, j + 2));
          j += 2;
          continue;
        }
        if (fmt && ch === "{") {
          flush();
          j = replacementField(j, quote);
          continue;
        }
        text += ch;
        j++;
      }
      flush();
      return j;
    }

    /** An f-string's `{expression!conversion:spec}` from `j`; returns where it ends. */
    function replacementField(j, quote) {
      push("", "{");
      j++;
      let depth = 0;
      let start = j;
      while (j < source.length && !source.startsWith(quote, j)) {
        const ch = source[j];
        if (ch === "(" || ch === "[" || ch === "{") depth++;
        else if ((ch === ")" || ch === "]") && depth) depth--;
        else if (ch === "}" && depth) depth--;
        else if (!depth && (ch === "}" || ch === "!" || ch === ":") && !(ch === "!" && source[j + 1] === "=")) break;
        j++;
      }
      for (const [kind, text] of tokenize(source.slice(start, j))) push(kind, text);
      if (source[j] === "!") {
        push("op", source.slice(j, j + 2));
        j += 2;
      }
      if (source[j] === ":") {
        start = j;
        while (j < source.length && source[j] !== "}" && !source.startsWith(quote, j)) j++;
        push("spec", source.slice(start, j));
      }
      if (source[j] === "}") {
        push("", "}");
        j++;
      }
      return j;
    }
  }

  /** Highlighted HTML as one run of text (for read-only code that readers may copy). */
  function highlight(source) {
    return tokenize(source)
      .map(([kind, text]) => (kind ? `<span class="lb-t-${kind}">${escapeHtml(text)}</span>` : escapeHtml(text)))
      .join("");
  }
  /** Highlighted HTML, one <div> per line (so a line can be marked); only for the editor's overlay. */
  function highlightLines(source, markLine) {
    const lines = [[]];
    for (const [kind, text] of tokenize(source)) {
      text.split("\n").forEach((piece, i) => {
        if (i > 0) lines.push([]);
        if (piece) lines[lines.length - 1].push(kind ? `<span class="lb-t-${kind}">${escapeHtml(piece)}</span>` : escapeHtml(piece));
      });
    }
    return lines.map((parts, i) => `<div class="lb-ed-line${i + 1 === markLine ? " lb-ed-error" : ""}">${parts.join("")}</div>`).join("");
  }
