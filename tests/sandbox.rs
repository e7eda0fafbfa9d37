//! The sandbox holds: every way out a guest tries ends in a precise result, and labbook
//! itself exits normally with status 1 ("not passed"), never a crash or a signal.
//!
//! Each attack is tried twice: as a WASI module (the `exercises` fixture's `evil.wat`
//! runtime, told what to do by the first byte of its entry file) and as Python through
//! both built-in runtimes (the `exercises-python` and `exercises-python-lite` fixtures).

mod common;

use std::io::Write as _;
use std::path::Path;
use std::process::{Output, Stdio};

use common::*;
use serde_json::Value;

fn evil_book() -> tempfile::TempDir {
    let dir = copy_fixture("exercises");
    let wasm = wat::parse_file(dir.path().join("runtimes/evil.wat")).expect("evil.wat compiles");
    std::fs::write(dir.path().join("runtimes/evil.wasm"), wasm).unwrap();
    dir
}

/// `labbook run EXERCISE - --json` with `code` on stdin; the parsed result and the output.
fn run_json(root: &Path, exercise: &str, code: &str) -> (Value, Output) {
    let output = labbook_with_stdin(&["run", exercise, "-", "--json"], root, code);
    // Exit 1 is "ran, did not pass"; anything else (a panic's 101, a signal) is labbook failing.
    assert_eq!(output.status.code(), Some(1), "labbook did not exit cleanly:\n{}", shown(&output));
    assert!(!String::from_utf8_lossy(&output.stderr).contains("panicked"), "{}", shown(&output));
    let result =
        serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("no JSON result ({e}):\n{}", shown(&output)));
    (result, output)
}

/// The run was stopped for `reason`, and every check failed with it.
fn assert_stopped(result: &Value, reason: &str) {
    assert_eq!(result["stopped"], reason, "{result:#}");
    assert_eq!(result["passed"], false);
    for check in result["checks"].as_array().unwrap() {
        assert_eq!(check["passed"], false, "{result:#}");
        assert_eq!(check["message"], format!("stopped: {reason}"), "{result:#}");
    }
}

#[test]
fn wasm_infinite_loop_hits_the_time_limit() {
    let book = evil_book();
    let (result, _) = run_json(book.path(), "cat", "l");
    assert_stopped(&result, "time limit of 1 s exceeded");
}

#[test]
fn wasm_gigabyte_allocation_hits_the_memory_limit() {
    let book = evil_book();
    let (result, _) = run_json(book.path(), "cat", "m");
    assert_stopped(&result, "memory limit of 16 MB exceeded");
}

#[test]
fn wasm_unbounded_recursion_hits_the_stack_limit() {
    let book = evil_book();
    let (result, _) = run_json(book.path(), "cat", "r");
    assert_stopped(&result, "stack limit exceeded (too deep recursion)");
}

#[test]
fn wasm_printing_forever_hits_the_output_limit() {
    let book = evil_book();
    let (result, _) = run_json(book.path(), "cat", "p");
    assert_stopped(&result, "output limit of 4 KB exceeded");
    assert_eq!(result["truncated"], true);
    let stdout = result["stdout"].as_str().unwrap();
    assert_eq!(stdout.len(), 4096, "the output kept is exactly the limit");
    assert!(stdout.chars().all(|c| c == 'y' || c == '\n'));
}

/// The number after `prefix` on each line that starts with it.
fn errnos(stdout: &str, prefix: &str) -> Vec<u32> {
    stdout.lines().filter_map(|l| l.strip_prefix(prefix)).map(|n| n.trim().parse().unwrap()).collect()
}

#[test]
fn wasm_cannot_read_host_files() {
    let book = evil_book();
    let (result, _) = run_json(book.path(), "cat", "f");
    let stdout = result["stdout"].as_str().unwrap();
    assert!(result["stopped"].is_null(), "{result:#}");
    // Both the absolute path and `..` out of the preopen fail with ENOTCAPABLE (76)
    // or EPERM (63), and nothing was read.
    let absolute = errnos(stdout, "open /etc/passwd: errno ");
    let dotdot = errnos(stdout, "open ../../etc/passwd: errno ");
    assert_eq!(absolute.len(), 1, "{stdout}");
    assert_eq!(dotdot.len(), 1, "{stdout}");
    for errno in absolute.iter().chain(&dotdot) {
        assert!([63, 76].contains(errno), "unexpected errno {errno}:\n{stdout}");
    }
    assert!(!stdout.contains("read: "), "{stdout}");
    assert!(!stdout.contains("root:"), "{stdout}");
}

#[test]
fn wasm_cannot_open_sockets() {
    let book = evil_book();
    let (result, _) = run_json(book.path(), "cat", "s");
    let stdout = result["stdout"].as_str().unwrap();
    let codes = errnos(stdout, "sock_accept: errno ");
    // Every descriptor from 0 to 9 refuses: stdio and the preopened folder are not sockets
    // (ENOTSOCK 57), the rest do not exist (EBADF 8). Preview 1 has no way to create a socket.
    assert_eq!(codes.len(), 10, "{stdout}");
    for (fd, errno) in codes.iter().enumerate() {
        assert!([8, 57].contains(errno), "fd {fd}: errno {errno}:\n{stdout}");
    }
}

#[test]
fn wasm_reads_exercise_files_through_the_read_only_preopen() {
    let book = evil_book();
    // Any first byte but the attack letters makes the runtime print its entry file.
    let (result, _) = run_json(book.path(), "cat", "cat this file\n");
    assert_eq!(result["stdout"], "cat this file\n", "{result:#}");
    assert!(result["stopped"].is_null());
    assert!(result["error"].is_null());
}

#[test]
fn a_stopped_run_leaves_no_files_behind() {
    // Foreign runtimes get a private copy of the files; it is gone after the run, even a killed one.
    let book = evil_book();
    let tmp = tempfile::tempdir().unwrap();
    let mut child = labbook()
        .args(["run", "cat", "-", "--json", "--root"])
        .arg(book.path())
        .env("TMPDIR", tmp.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"l").unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", shown(&output));
    let left: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert!(left.is_empty(), "left behind: {left:?}");
}

// --- the same attacks in Python, through each built-in runtime ------------------------------
//
// `python` (RustPython, the `exercises-python` fixture) and `python-lite` (Monty, the
// `exercises-python-lite` fixture) each meet every attack, and each test names the kind of
// failure it expects. RustPython has no allocation budget of its own: the host's memory cap
// stops a memory bomb. It has no posix module, no socket module and no environment; `open`
// reads only the request's files (runner/rustpython/python). Monty has no `open` at all.

fn python(code: &str) -> Value {
    run_json(&fixture("exercises-python"), "sandbox", code).0
}

fn python_lite(code: &str) -> Value {
    run_json(&fixture("exercises-python-lite"), "sandbox", code).0
}

#[test]
fn python_infinite_loop_hits_the_time_limit() {
    assert_stopped(&python("while True:\n    pass\n"), "time limit of 5 s exceeded");
}

#[test]
fn python_lite_infinite_loop_hits_the_time_limit() {
    assert_stopped(&python_lite("while True:\n    pass\n"), "time limit of 1 s exceeded");
}

#[test]
fn python_printing_forever_hits_the_time_limit() {
    // The runner keeps at most `max_output` of what the program prints and lets it run on,
    // so the time limit ends it; the host's pipe never sees more than one result.
    assert_stopped(&python("while True:\n    print('y')\n"), "time limit of 5 s exceeded");
}

#[test]
fn python_lite_printing_forever_hits_the_time_limit() {
    assert_stopped(&python_lite("while True:\n    print('y')\n"), "time limit of 1 s exceeded");
}

/// The output the runner keeps is capped: what a flood printed before the time limit never
/// reaches the host beyond the exercise's `output` limit.
#[test]
fn python_output_flood_is_cut_at_the_output_limit() {
    for (runtime, result) in [
        ("python", python("print('y' * 100000)\nprint('done')\n")),
        ("python-lite", python_lite("print('y' * 100000)\nprint('done')\n")),
    ] {
        assert_eq!(result["truncated"], true, "{runtime}: {result:#}");
        assert!(result["stdout"].as_str().unwrap().len() <= 4096, "{runtime}: {result:#}");
        assert!(result["stopped"].is_null(), "{runtime}: {result:#}");
    }
}

/// RustPython 0.5.0 counts an object's references in 15 bits on wasm32: the 32,768th
/// reference to one object (`[0] * 33000`) aborted the interpreter with a wasm trap. labbook
/// builds it with our edit of that count (crates/labbook-exercises/build.rs, `EDITS`).
#[test]
fn python_holds_many_references_to_one_object() {
    let code = "import sys\n\
                x = [0] * 40000\n\
                print(len(x), x.count(0))\n\
                y = object()\n\
                ys = [y] * 100000\n\
                print(len(ys), all(z is y for z in ys), sys.getrefcount(y) > 100000)\n\
                d = {i: y for i in range(50000)}\n\
                del ys\n\
                print(len(d), sys.getrefcount(y) > 50000)\n\
                del d\n\
                print(sys.getrefcount(y) < 10)\n";
    let result = python(code);
    assert!(result["stopped"].is_null(), "{result:#}");
    assert!(result["error"].is_null(), "{result:#}");
    assert_eq!(result["stdout"], "40000 40000\n100000 True True\n50000 True\nTrue\n", "{result:#}");
}

/// The course's k-NN exercise, whose 1,438 training rows share a few hundred pixel values,
/// crashed RustPython on the same count; its solution now passes every check.
#[test]
fn python_runs_the_knn_digits_exercise() {
    let o = labbook()
        .args(["run", "knn-digits"])
        .arg(repo_root().join("exercises/knn-digits/solution.py"))
        .args(["--json", "--root"])
        .arg(repo_root())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", shown(&o));
    let result: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(result["passed"], true, "{result:#}");
    let checks = result["checks"].as_array().unwrap();
    assert_eq!(checks.len(), 5, "{result:#}");
    assert!(checks.iter().all(|c| c["passed"] == true), "{result:#}");
    assert!(result["stdout"].as_str().unwrap().contains("correct: 10 of 10"), "{result:#}");
}

#[test]
fn python_gigabyte_allocation_is_refused() {
    let result = python("x = [0] * (1024 * 1024 * 1024)\nprint(len(x))\n");
    // RustPython refuses a list this size before allocating it: a MemoryError at its line.
    assert!(result["stopped"].is_null(), "{result:#}");
    assert_eq!(result["passed"], false);
    assert_eq!(result["stdout"], "");
    assert_eq!(result["error"]["type"], "MemoryError", "{result:#}");
    assert_eq!(result["error"]["line"], 1, "{result:#}");
}

#[test]
fn python_lite_gigabyte_allocation_is_refused() {
    // labbook gives the runner an allocation budget of 7/8 of the memory limit, so the
    // student reads a MemoryError with its line; the wasm memory cap stays the backstop
    // (proven by the WAT test above).
    let result = python_lite("x = [0] * (1024 * 1024 * 1024)\nprint(len(x))\n");
    assert!(result["stopped"].is_null(), "{result:#}");
    assert_eq!(result["passed"], false);
    assert_eq!(result["error"]["type"], "MemoryError", "{result:#}");
    assert_eq!(result["error"]["line"], 1, "{result:#}");
    assert_eq!(result["stdout"], "");
}

#[test]
fn python_growing_memory_hits_the_memory_limit() {
    // Allocations that each succeed, until the 64 MB cap: the host stops the run.
    let result = python("xs = []\nwhile True:\n    xs.append(bytearray(16000000))\n");
    assert_stopped(&result, "memory limit of 64 MB exceeded");
}

#[test]
fn python_lite_growing_memory_is_refused() {
    // Monty counts what the program allocates: the budget below the cap raises MemoryError.
    let result = python_lite("xs = []\nwhile True:\n    xs.append([0] * 4000000)\n");
    assert!(result["stopped"].is_null(), "{result:#}");
    assert_eq!(result["error"]["type"], "MemoryError", "{result:#}");
    assert_eq!(result["error"]["line"], 3, "{result:#}");
}

#[test]
fn python_unbounded_recursion_is_stopped() {
    let result = python("def f(n):\n    return f(n + 1) + 1\n\nf(0)\n");
    assert_eq!(result["passed"], false);
    // The interpreter's own recursion limit catches it before the wasm stack runs out.
    assert_eq!(result["error"]["type"], "RecursionError", "{result:#}");
    assert_eq!(result["error"]["line"], 2, "{result:#}");
    assert!(result["stopped"].is_null(), "{result:#}");
}

#[test]
fn python_lite_unbounded_recursion_is_stopped() {
    let result = python_lite("def f(n):\n    return f(n + 1) + 1\n\nf(0)\n");
    assert_eq!(result["passed"], false);
    assert_eq!(result["error"]["type"], "RecursionError", "{result:#}");
    assert!(result["stopped"].is_null(), "{result:#}");
}

#[test]
fn python_cannot_read_host_files() {
    let result = python("print(open('/etc/passwd').read())\n");
    assert_eq!(result["error"]["type"], "FileNotFoundError", "{result:#}");
    assert!(!result["stdout"].as_str().unwrap().contains("root:"), "{result:#}");
    let result = python("import os\nprint(os.listdir('/etc'))\n");
    assert_eq!(result["error"]["type"], "FileNotFoundError", "{result:#}");
    let result = python("open('out.txt', 'w').write('x')\n");
    assert_eq!(result["error"]["type"], "PermissionError", "{result:#}");
}

#[test]
fn python_lite_cannot_read_host_files() {
    let result = python_lite("print(open('/etc/passwd').read())\n");
    assert_eq!(result["error"]["type"], "PermissionError", "{result:#}");
    let result = python_lite("from pathlib import Path\nprint(Path('/etc/passwd').read_text())\n");
    assert_eq!(result["error"]["type"], "FileNotFoundError", "{result:#}");
    assert!(!result["stdout"].as_str().unwrap().contains("root:"), "{result:#}");
    let result = python_lite("import os\nprint(os.listdir('/etc'))\n");
    assert_eq!(result["error"]["type"], "PermissionError", "{result:#}");
    let result = python_lite("open('out.txt', 'w').write('x')\n");
    assert_eq!(result["error"]["type"], "PermissionError", "{result:#}");
}

#[test]
fn python_cannot_open_sockets() {
    for (runtime, result) in [
        ("python", python("import socket\ns = socket.socket()\ns.connect(('127.0.0.1', 80))\n")),
        ("python-lite", python_lite("import socket\ns = socket.socket()\ns.connect(('127.0.0.1', 80))\n")),
    ] {
        assert_eq!(result["error"]["type"], "ModuleNotFoundError", "{runtime}: {result:#}");
        assert_eq!(result["error"]["line"], 1, "{runtime}: {result:#}");
    }
}

#[test]
fn python_sees_no_environment() {
    let result =
        python("import os\nprint(len(os.environ), os.getenv('HOME'), os.getenv('PATH', '-'))\nprint('done')\n");
    assert_eq!(result["stdout"], "0 None -\ndone\n", "{result:#}");
    assert!(result["error"].is_null(), "{result:#}");
}

#[test]
fn python_lite_sees_no_environment() {
    let result =
        python_lite("import os\nprint(len(os.environ), os.getenv('HOME'), os.getenv('PATH', '-'))\nprint('done')\n");
    assert_eq!(result["stdout"], "0 None -\ndone\n", "{result:#}");
    assert!(result["error"].is_null(), "{result:#}");
}

#[test]
fn python_lite_solution_and_starter_through_labbook_test() {
    let o = labbook().args(["test", "--root"]).arg(fixture("exercises-python-lite")).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", shown(&o));
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("ok    softmax  solution 2/2 checks, starter 0/2"), "{text}");
}

// --- the sandbox as a library: exit codes, traps and the compiled-module cache ----------

use labbook::exercise::sandbox::{Invocation, RunLimits, Sandbox, Stopped, WasmModule};

/// Prints its argument count digit and exits with status 3, or traps on `unreachable` when
/// stdin starts with `!`.
const EXIT_OR_TRAP: &str = r#"
(module
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 64) "hi\n")
  (func (export "_start")
    (i32.store (i32.const 0) (i32.const 128))
    (i32.store (i32.const 4) (i32.const 16))
    (drop (call $fd_read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 8)))
    (if (i32.eq (i32.load8_u (i32.const 128)) (i32.const 33)) (then unreachable))
    (i32.store (i32.const 0) (i32.const 64))
    (i32.store (i32.const 4) (i32.const 3))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
    (call $proc_exit (i32.const 3))))
"#;

const LIMITS: RunLimits = RunLimits { time_ms: 1000, memory_bytes: 1 << 20, stdout_bytes: 1024, stderr_bytes: 1024 };

fn invoke(stdin: &[u8]) -> Invocation<'static> {
    static ARGS: [String; 0] = [];
    Invocation { args: &ARGS, stdin: stdin.to_vec(), preopen: None, limits: LIMITS }
}

#[test]
fn exit_codes_and_traps_become_outcomes() {
    let module = WasmModule::new("exit", wat::parse_str(EXIT_OR_TRAP).unwrap());
    let sandbox = Sandbox::new(None).unwrap();
    let out = sandbox.run(&module, &invoke(b"go")).unwrap();
    assert_eq!(out.stdout, b"hi\n");
    assert_eq!(out.exit_code, Some(3));
    assert_eq!(out.stopped, None);
    let out = sandbox.run(&module, &invoke(b"!")).unwrap();
    assert_eq!(out.exit_code, None);
    match out.stopped {
        Some(Stopped::Crash(message)) => assert!(message.contains("unreachable"), "{message}"),
        other => panic!("expected a crash, got {other:?}"),
    }
}

#[test]
fn compiled_modules_are_cached_by_wasmtime_version_engine_and_module() {
    let cache = tempfile::tempdir().unwrap();
    let module = WasmModule::new("exit", wat::parse_str(EXIT_OR_TRAP).unwrap());
    let sandbox = Sandbox::new(Some(cache.path().to_path_buf())).unwrap();
    assert_eq!(sandbox.run(&module, &invoke(b"go")).unwrap().exit_code, Some(3));
    let key = sandbox.cache_key(&module);
    assert!(key.starts_with("wasmtime-48.0.8-") && key.ends_with(&module.hex()), "{key}");
    let names: Vec<String> = std::fs::read_dir(cache.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, [format!("{key}.cwasm")], "one compiled module, no temporary file left");

    // A later process (a new engine) reads the file: a damaged one is compiled again and
    // replaced, never trusted.
    let path = cache.path().join(format!("{key}.cwasm"));
    let good = std::fs::read(&path).unwrap();
    std::fs::write(&path, b"not a compiled module").unwrap();
    let again = Sandbox::new(Some(cache.path().to_path_buf())).unwrap();
    assert_eq!(again.cache_key(&module), key, "the same engine settings give the same key");
    assert_eq!(again.run(&module, &invoke(b"go")).unwrap().exit_code, Some(3));
    assert_eq!(std::fs::read(&path).unwrap().len(), good.len());
}
