  /* ---------- stdout checks of foreign runtimes, graded by the python runtime ---------- */
  // The check rules exist once, in labbook's `labbook-checks` crate, which the python runtime is
  // built with. A book's own runtime does not check itself, so its output goes to the python
  // runtime as a "check this stdout" request (contract 1's request with `check_stdout` and no
  // files): the verdicts and messages are those of `labbook test`, word for word.
  const CHECK_TIME_MS = 10000; // judging output takes milliseconds; this only guards a hung worker

  /**
   * Judges `stdout` by `checks` (contract 1's checks) with the python runtime loaded from `src`
   * (an exercise block's `data-checks-src`). Resolves to one verdict per check, in order:
   * `{name, passed, message, hidden}`. Rejects when that runtime cannot be loaded or gives no
   * verdicts.
   */
  api.checkStdout = async function checkStdout({ src, stdout, checks, signal } = {}) {
    if (!checks || !checks.length) return [];
    if (!src) throw new Error("labbook.checkStdout: `src` (the python runtime that grades output) is required");
    const module = await api.loadRuntime("python", src, 0);
    const stdin = new TextEncoder().encode(JSON.stringify({ check_stdout: stdout, checks }));
    // A message may quote the whole output, escaped: leave the verdicts room for that.
    const limits = { time_ms: CHECK_TIME_MS, memory_bytes: 0, output_bytes: stdin.length * 8 + (1 << 20) };
    const job = { stdin, args: ["python"], files: null, outputBytes: limits.output_bytes, stopOnOutput: true, stream: false };
    const raw = await runWorker(module, job, limits, signal, CHECK_TIME_MS);
    ranBefore.add(module);
    if (raw.stop === "cancelled") return failAll(checks, "stopped: cancelled by the reader");
    let result = null;
    try {
      result = JSON.parse(joinBytes(raw.stdout || []));
    } catch (e) {
      result = null;
    }
    const verdicts = result && Array.isArray(result.checks) && result.checks.length === checks.length && !result.error;
    if (raw.stop || raw.fault || raw.trap || raw.exitCode !== 0 || !verdicts) {
      const detail = raw.fault || (raw.stop && `stopped (${raw.stop})`) || (raw.trap && `trap (${raw.trap})`) || (raw.exitCode !== 0 && `exit status ${raw.exitCode}`) || (result && result.error && result.error.message) || "no verdicts";
      throw new Error(`the python runtime did not grade the output: ${detail}`);
    }
    return result.checks;
  };
