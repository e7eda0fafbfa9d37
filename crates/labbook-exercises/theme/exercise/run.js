  /* =====================================================================================
   * The run API (main thread): `labbook.run` runs one request in a fresh worker, under limits.
   * ===================================================================================== */
  function formatSeconds(ms) {
    return ms >= 1000 ? `${+(ms / 1000).toFixed(3)} s` : `${ms} ms`;
  }
  function formatBytes(n) {
    if (n >= 1 << 20 && n % (1 << 20) === 0) return `${n / (1 << 20)} MB`;
    if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KB`;
    return `${n} bytes`;
  }
  // For readers: a duration and a size written the page language's way (`1,5 s`, `64 Ko` is
  // left to Intl's unit names only for plain bytes, as `1 000 octets`).
  function localSeconds(ms) {
    const n = (v, o) => (api.number ? api.number(v, o) : String(v));
    return ms >= 1000 ? `${n(+(ms / 1000).toFixed(3))} s` : `${n(ms)} ms`;
  }
  function localBytes(bytes) {
    const n = (v, o) => (api.number ? api.number(v, o) : String(v));
    if (bytes >= 1 << 20 && bytes % (1 << 20) === 0) return `${n(bytes / (1 << 20))} MB`;
    if (bytes >= 1024 && bytes % 1024 === 0) return `${n(bytes / 1024)} KB`;
    return n(bytes, { style: "unit", unit: "byte", unitDisplay: "long" });
  }
  api.formatBytes = localBytes;
  api.formatDuration = function formatDuration(ms) {
    const n = (v, o) => (api.number ? api.number(v, o) : String(v));
    return ms < 1000 ? `${n(Math.round(ms))} ms` : `${n(ms / 1000, { minimumFractionDigits: 2, maximumFractionDigits: 2 })} s`;
  };
  /**
   * Why a run stopped, in the page's language (`exercise_stop_*`), from the result's `stop`
   * (time, memory, output, stack, cancelled) and `limits`; `result.stopped` keeps the words
   * `labbook test` and the grader write, in English.
   */
  api.stopText = function stopText(result) {
    const kind = result && result.stop;
    if (!kind) return result && result.stopped;
    const lim = result.limits || {};
    const limit = kind === "time" ? localSeconds(lim.time_ms) : localBytes(kind === "memory" ? lim.memory_bytes : lim.output_bytes);
    return api.say("exercise_stop_", { code: kind, args: { limit } }, result.stopped);
  };
  /**
   * A message labbook wrote, in the page's language: the word `prefix + reason.code` with
   * the reason's arguments, or `fallback` (the English message) without a reason or a word.
   * Reasons come with a check's verdict (`exercise_why_`), an error outside the student's
   * code (`exercise_fault_`) and the runtime's note on an error (`exercise_note_`).
   */
  api.say = function say(prefix, reason, fallback) {
    if (!reason || typeof reason.code !== "string" || !api.t) return fallback || "";
    const key = prefix + reason.code;
    const text = api.t(key, reason.args || {});
    return text === key ? fallback || "" : text;
  };
  /** What went wrong outside the student's code (the runtime could not start, trapped, exited). */
  api.faultText = (error) => api.say("exercise_fault_", error && error.reason, error ? error.message : "");
  /** The runtime's note on an error a reader cannot act on alone (a module it does not have). */
  api.noteText = (error) => api.say("exercise_note_", error && error.note_reason, error ? error.note : "");
  // The host's words for a stop (`labbook test`, the grader): data, kept in English.
  function stopReason(kind, limits) {
    switch (kind) {
      case "time":
        return `time limit of ${formatSeconds(limits.time_ms)} exceeded`;
      case "memory":
        return `memory limit of ${formatBytes(limits.memory_bytes)} exceeded`;
      case "output":
        return `output limit of ${formatBytes(limits.output_bytes)} exceeded`;
      default:
        return "stack limit exceeded";
    }
  }

  // No memory cap unless the caller gives one (exercises always do, from their limits).
  const DEFAULT_LIMITS = { time_ms: 2000, memory_bytes: 0, output_bytes: 64 << 10 };

  const ranBefore = new WeakSet(); // modules that have run once in this page

  /** Runs one module in a fresh worker, stopped after `timeMs`; resolves to what the worker reported, or a stop. */
  function runWorker(module, job, limits, signal, timeMs) {
    return new Promise((resolve) => {
      const worker = new Worker(workerSource());
      const started = performance.now();
      const streamed = { 1: [], 2: [] };
      let timer = 0;
      let settled = false;
      const settle = (value) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        worker.terminate();
        if (signal) signal.removeEventListener("abort", abort);
        resolve({ ...value, elapsed: performance.now() - started });
      };
      const kill = (stop) => settle({ stop, stdout: streamed[1], stderr: streamed[2], truncated: false });
      const abort = () => kill("cancelled");
      if (signal) {
        if (signal.aborted) return kill("cancelled");
        signal.addEventListener("abort", abort);
      }
      // Instantiating is not the student's time; the clock starts when _start is called.
      // Until then a generous guard catches a worker that never answers.
      timer = setTimeout(() => kill("time"), limits.time_ms + 10000);
      worker.onmessage = (event) => {
        const msg = event.data;
        if (msg.type === "started") {
          clearTimeout(timer);
          timer = setTimeout(() => kill("time"), timeMs);
        } else if (msg.type === "output") {
          streamed[msg.fd].push(msg.bytes);
        } else if (msg.type === "done") {
          settle(msg);
        }
      };
      worker.onerror = (event) => {
        event.preventDefault();
        const detail = event.message || "unknown error";
        settle({ fault: `the runtime worker failed: ${detail}`, reason: { code: "worker_failed", args: { detail } } });
      };
      worker.postMessage({ ...job, module, memoryBytes: limits.memory_bytes || 0 });
    });
  }

  function joinBytes(chunks) {
    const size = chunks.reduce((n, c) => n + c.length, 0);
    const all = new Uint8Array(size);
    let off = 0;
    for (const c of chunks) {
      all.set(c, off);
      off += c.length;
    }
    return new TextDecoder().decode(all);
  }


  function failAll(checks, message, reason) {
    return (checks || []).map((c) => ({ name: c.name, passed: false, message, reason, hidden: !!c.hidden }));
  }

  /**
   * Contract 5: runs `request` (contract 1) on the runtime `runtime` loaded from `src` and resolves
   * to contract 1's result, with `stopped` set when a limit ended the run. Never rejects for the
   * student's code; rejects only when the runtime itself cannot be loaded. The checks of another
   * runtime than a python one are graded by the python runtime loaded from `checksSrc`. `python`
   * says the runtime is a built-in python runtime (contract 1 on stdin); `python` itself is one.
   */
  api.run = async function run({ runtime = "python", python = runtime === "python", src, checksSrc, request, limits = {}, signal } = {}) {
    if (!src) throw new Error("labbook.run: `src` (the runtime script) is required");
    const lim = { ...DEFAULT_LIMITS, ...limits };
    const module = await api.loadRuntime(runtime, src, lim.memory_bytes);
    // The dataset splits the page names rather than carries.
    request = { ...request, files: await api.dataFiles(request.files) };
    const enc = new TextEncoder();
    let job;
    if (python) {
      // The runner caps the student's output itself; this host cap only guards its JSON.
      const req = { max_output: lim.output_bytes, ...request };
      job = { stdin: enc.encode(JSON.stringify(req)), args: [runtime], files: null, outputBytes: lim.output_bytes * 8 + (1 << 20), stopOnOutput: true, stream: false };
    } else {
      const files = {};
      for (const [name, content] of Object.entries(request.files || {})) {
        files[name] = typeof content === "string" ? enc.encode(content) : decodeBase64(content.base64 || "");
      }
      job = { stdin: new Uint8Array(0), args: [runtime, request.entry || "main.py"], files, outputBytes: lim.output_bytes, stopOnOutput: true, stream: true };
    }
    performance.mark("labbook:run-start");
    // The browser compiles wasm functions lazily, when first called: the first run of a module
    // pays for compiling the interpreter paths it uses (up to a second on a slow machine), which
    // is not the student's time. It gets the limit again on top (at least 2 s); later runs, none.
    const grace = ranBefore.has(module) ? 0 : Math.max(lim.time_ms, 2000);
    const raw = await runWorker(module, job, lim, signal, lim.time_ms + grace);
    ranBefore.add(module);
    performance.mark("labbook:run-end");
    performance.measure("labbook:run", "labbook:run-start", "labbook:run-end");
    const stdout = joinBytes(raw.stdout || []);
    const stderr = joinBytes(raw.stderr || []);
    // Rust's allocator reports a failed allocation on stderr, then aborts: that is the memory limit.
    if (raw.trap && lim.memory_bytes && /memory allocation of \d+ bytes failed/.test(stderr)) raw.stop = "memory";
    const checks = request.checks || [];
    const base = { stdout: "", stderr: "", truncated: !!raw.truncated, error: null, checks: [], passed: false, duration_ms: Math.round(raw.elapsed * 10) / 10 };

    if (raw.stop) {
      const stopped = raw.stop === "cancelled" ? "cancelled by the reader" : stopReason(raw.stop, lim);
      // A killed Python runner never printed its result: the student's output is lost with it.
      return { ...base, stdout: python ? "" : stdout, stderr, truncated: raw.stop === "output", checks: failAll(checks, `stopped: ${stopped}`), stopped, stop: raw.stop, limits: lim };
    }
    if (raw.fault) {
      const error = { type: "RuntimeError", message: raw.fault, reason: raw.reason || null, file: null, line: null, column: null, traceback: null };
      return { ...base, error, checks: failAll(checks, raw.fault) };
    }
    if (python) {
      let result = null;
      try {
        result = JSON.parse(stdout);
      } catch (e) {
        result = null;
      }
      if (!result || typeof result !== "object" || raw.exitCode !== 0) {
        const why = raw.trap ? `the runtime ended abnormally (${raw.trap})` : raw.exitCode !== 0 ? `the runtime exited with status ${raw.exitCode}` : "the runtime printed no valid result";
        const reason = raw.trap ? { code: "runtime_trap", args: { trap: raw.trap } } : raw.exitCode !== 0 ? { code: "runtime_exit", args: { status: String(raw.exitCode) } } : { code: "no_result", args: {} };
        const detail = stderr.trim() || stdout.slice(0, 500);
        const error = { type: "RuntimeError", message: why, reason, file: null, line: null, column: null, traceback: detail || null };
        return { ...base, stderr, error, checks: failAll(checks, why) };
      }
      // `passed` as contract 1 defines it, whatever the runner said.
      result.passed = !result.error && (result.checks || []).every((c) => c.passed);
      return result;
    }
    // A foreign runtime: its output is the student's output, graded by the python runtime.
    let error = null;
    if (raw.trap) error = { type: "Trap", message: `the program ended abnormally (${raw.trap})`, reason: { code: "program_trap", args: { trap: raw.trap } }, file: null, line: null, column: null, traceback: stderr || null };
    else if (raw.exitCode !== 0) error = { type: "ExitStatus", message: `the program exited with status ${raw.exitCode}`, reason: { code: "program_exit", args: { status: String(raw.exitCode) } }, file: null, line: null, column: null, traceback: stderr || null };
    let results;
    if (error) results = failAll(checks, `your program failed: ${error.message}`);
    else {
      try {
        results = await api.checkStdout({ src: checksSrc, stdout, checks, signal });
      } catch (e) {
        // The output stays on screen; only the verdicts are missing.
        const detail = String(e && e.message ? e.message : e);
        results = failAll(checks, `cannot grade the output: ${detail}`, { code: "cannot_grade", args: { detail } });
      }
    }
    return { ...base, stdout, stderr, error, checks: results, passed: !error && results.every((c) => c.passed) };
  };
