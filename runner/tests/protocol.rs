//! End-to-end tests of the runner binary: a JSON request on stdin, a JSON result on stdout.
//! Limits that change process-wide state (the allocator's memory ceiling) are tested here, one
//! process per request, rather than in the unit tests that share a process.

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::{json, Value};

fn run(request: &Value) -> (Value, i32) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_labbook-runner"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the runner starts");
    child.stdin.take().unwrap().write_all(request.to_string().as_bytes()).unwrap();
    let output = child.wait_with_output().unwrap();
    let code = output.status.code().unwrap_or(-1);
    let result = serde_json::from_slice(&output.stdout).unwrap_or(Value::Null);
    (result, code)
}

#[test]
fn a_passing_run_prints_exactly_one_result_object() {
    let (result, code) = run(&json!({
        "files": { "main.py": "from tinyml import softmax\nprint(softmax([1.0, 2.0, 3.0]))" },
        "checks": [
            { "name": "numbers", "stdout_numbers": [0.0900306, 0.2447285, 0.6652410], "tolerance": 1e-6 },
            { "name": "sums", "code": "assert abs(sum(softmax([5.0, 1.0])) - 1) < 1e-12", "hidden": true }
        ]
    }));
    assert_eq!(code, 0);
    assert_eq!(result["passed"], true, "{result}");
    assert_eq!(result["checks"][1]["hidden"], true);
    assert!(result["duration_ms"].as_f64().unwrap() >= 0.0);
}

#[test]
fn max_memory_turns_a_runaway_allocation_into_memory_error() {
    let (result, code) = run(&json!({
        "files": { "main.py": "xs = []\nwhile True:\n    xs.append([0.5] * 1000)\n" },
        "max_memory": 8 * 1024 * 1024
    }));
    assert_eq!(code, 0);
    assert_eq!(result["error"]["type"], "MemoryError", "{result}");
    // Monty raises resource errors outside the Python frames, so they carry no line.
    assert!(result["error"]["message"].as_str().unwrap().starts_with("memory limit exceeded"));
}

#[test]
fn max_duration_ms_stops_an_endless_loop_with_timeout_error() {
    let (result, code) = run(&json!({
        "files": { "main.py": "n = 0\nwhile True:\n    n += 1\n" },
        "max_duration_ms": 200
    }));
    assert_eq!(code, 0);
    assert_eq!(result["error"]["type"], "TimeoutError", "{result}");
    assert_eq!(result["passed"], false);
}

#[test]
fn a_request_that_is_not_json_fails_with_a_message_on_stderr() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_labbook-runner"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"{\"files\": 3}").unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    assert!(String::from_utf8_lossy(&output.stderr).contains("not valid JSON for the protocol"));
}

#[test]
fn recursion_is_bounded_like_cpython() {
    let code = "def depth(n):\n    return 0 if n == 0 else 1 + depth(n - 1)\nprint(depth(900))\ndepth(5000)\n";
    let (result, _) = run(&json!({ "files": { "main.py": code } }));
    assert_eq!(result["stdout"], "900\n");
    assert_eq!(result["error"]["type"], "RecursionError", "{result}");
    assert_eq!(result["error"]["line"], 2);
}
