  /* ---------- stdout checks for foreign runtimes (the python runner checks itself) ---------- */
  // The host-side checks mirror labbook's own (src/exercise/checks.rs, which speaks the runner's
  // messages), so the browser and `labbook test` give foreign runtimes the same verdicts.
  const NUMBER = /[-+]?(?:(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?|[nN][aA][nN]|[iI][nN][fF](?:[iI][nN][iI][tT][yY])?)/g;
  const IN_WORD = /[\p{L}\p{N}_]/u;
  /** Every number written in `text`, in order; digits inside a word (`x1`, `3rd`, `float64`) are not numbers. */
  function numbersIn(text) {
    const out = [];
    for (const m of text.matchAll(NUMBER)) {
      const before = m.index > 0 ? text[m.index - 1] : "";
      const after = text[m.index + m[0].length] || "";
      if ((before && (IN_WORD.test(before) || before === ".")) || (after && IN_WORD.test(after))) continue;
      const word = m[0].toLowerCase();
      const sign = word.startsWith("-") ? -1 : 1;
      out.push(word.includes("nan") ? NaN : word.includes("inf") ? sign * Infinity : Number(word));
    }
    return out;
  }
  /** Lines as Rust's `str::lines` gives them: no final empty line, no trailing `\r`. */
  function lines(text) {
    const all = text.split("\n");
    if (all[all.length - 1] === "") all.pop();
    return all.map((line) => (line.endsWith("\r") ? line.slice(0, -1) : line));
  }
  /** Evaluates one `stdout*` check of contract 1 against `stdout`; returns [passed, message]. */
  function evaluateCheck(check, stdout) {
    const hidden = !!check.hidden;
    const quote = (text) => JSON.stringify(text);
    if (typeof check.stdout === "string") {
      const expected = check.stdout;
      if (stdout === expected) return [true, ""];
      if (hidden) return [false, "the output is not the expected one"];
      // Point at the first differing line: more useful than two long blobs.
      const got = lines(stdout);
      const want = lines(expected);
      let line = 0;
      while (line < got.length && line < want.length && got[line] === want[line]) line++;
      if (line < got.length && line < want.length) return [false, `line ${line + 1} of the output is ${quote(got[line])}, expected ${quote(want[line])}`];
      if (line < want.length) return [false, `the output stops after ${line} line(s); expected next: ${quote(want[line])}`];
      if (line < got.length) return [false, `the output has extra line ${line + 1}: ${quote(got[line])}`];
      return [false, `the output differs in its line endings: got ${quote(stdout)}, expected ${quote(expected)}`];
    }
    if (typeof check.stdout_regex === "string") {
      let re;
      try {
        re = new RegExp(check.stdout_regex, "u");
      } catch (e) {
        return [false, `the check's regular expression is invalid: ${e.message}`];
      }
      if (re.test(stdout)) return [true, ""];
      return [false, hidden ? "the output does not have the expected form" : `the output does not match /${check.stdout_regex}/`];
    }
    if (Array.isArray(check.stdout_numbers)) {
      const want = check.stdout_numbers;
      const got = numbersIn(stdout);
      const tol = typeof check.tolerance === "number" ? check.tolerance : 1e-6;
      if (got.length !== want.length) return [false, `expected ${want.length} number(s) in the output, found ${got.length}`];
      for (let i = 0; i < want.length; i++) {
        const diff = Math.abs(got[i] - want[i]);
        const close = diff <= tol || diff <= tol * Math.abs(want[i]) || (Number.isNaN(got[i]) && Number.isNaN(want[i])) || got[i] === want[i];
        if (!close) return [false, hidden ? `number ${i + 1} of the output is not the expected value` : `number ${i + 1} of the output is ${got[i]}, expected ${want[i]} (tolerance ${tol})`];
      }
      return [true, ""];
    }
    return [false, "a `code` check needs the python runtime"];
  }
