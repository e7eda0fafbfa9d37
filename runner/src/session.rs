//! Runs one request in a Monty REPL session: the entry file first, then each `code` check in the
//! entry's globals, answering the interpreter's host calls (tinyml, file reads) as they come.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use monty::{MontyRepl, ReplProgress};
use monty_types::{
    CompileOptions, ExcType, ExtFunctionResult, MontyException, MontyObject, MontyUuid, NameLookupResult,
    OsFunctionCall, PrintWriter, PrintWriterCallback, ResourceLimits, ResourceTracker,
};

use labbook_checks::Kind;

use crate::imports::{self, NAMESPACE};
use crate::protocol::{ErrorInfo, Request, RunResult, Verdict};
use crate::tinyml::{self, Tinyml};

/// Deepest Python call stack allowed, CPython's default. Monty keeps Python frames on its own
/// heap (only callbacks such as a sort key nest the native stack, which Monty caps separately), so
/// 1000 frames fit the 1 MiB stack of a wasm32-wasip1 program; deeper recursion is a
/// `RecursionError` with a traceback rather than a trap.
const MAX_RECURSION_DEPTH: usize = monty_types::DEFAULT_MAX_RECURSION_DEPTH;

/// Collects printed output up to a byte cap; the rest is dropped and flagged.
struct Capture {
    text: String,
    cap: usize,
    truncated: bool,
}

impl Capture {
    fn new(cap: usize) -> Self {
        Capture { text: String::new(), cap, truncated: false }
    }

    fn push_str(&mut self, s: &str) {
        if self.truncated {
            return;
        }
        let room = self.cap - self.text.len();
        if s.len() <= room {
            self.text.push_str(s);
        } else {
            let mut end = room;
            while !s.is_char_boundary(end) {
                end -= 1;
            }
            self.text.push_str(&s[..end]);
            self.truncated = true;
        }
    }
}

impl PrintWriterCallback for Capture {
    fn stdout_write(&mut self, output: Cow<'_, str>) -> Result<(), MontyException> {
        self.push_str(&output);
        Ok(())
    }

    fn stdout_push(&mut self, end: char) -> Result<(), MontyException> {
        self.push_str(end.encode_utf8(&mut [0; 4]));
        Ok(())
    }
}

/// The host side of a run: tinyml and the request's files.
struct Host<'a> {
    tinyml: Tinyml<'a>,
    files: &'a BTreeMap<String, Vec<u8>>,
}

impl Host<'_> {
    /// Answers a call of a host function.
    fn call(
        &mut self,
        name: &str,
        on: Option<MontyUuid>,
        args: Vec<MontyObject>,
        kwargs: Vec<(MontyObject, MontyObject)>,
    ) -> ExtFunctionResult {
        // Calls are either `tm.f(...)` on the namespace object or a bound `tinyml.f` host function.
        let ours = match on {
            Some(id) => id == tinyml::namespace_id(),
            None => name.starts_with("tinyml."),
        };
        if !ours || !Tinyml::owns(name) {
            return ExtFunctionResult::Error(MontyException::new(
                ExcType::NameError,
                Some(format!("name '{name}' is not defined")),
            ));
        }
        match self.tinyml.call(name, args, kwargs) {
            Ok(value) => ExtFunctionResult::Return(value),
            Err(e) => ExtFunctionResult::Error(e.into_exception()),
        }
    }

    /// Answers an OS call: `pathlib.Path` reads of the request's files work and the environment is
    /// empty; the rest (writes, the clock, directory listings) is refused, which also keeps runs
    /// repeatable.
    fn os_call(&self, call: OsFunctionCall) -> ExtFunctionResult {
        let file = |path: &str| {
            let path = path.strip_prefix("./").unwrap_or(path);
            self.files
                .get(path)
                .ok_or_else(|| MontyException::new(ExcType::FileNotFoundError, Some(format!("No such file: '{path}'"))))
        };
        let result = match &call {
            OsFunctionCall::Exists(p) | OsFunctionCall::IsFile(p) => Ok(MontyObject::Bool(file(p.as_str()).is_ok())),
            OsFunctionCall::IsDir(p) => Ok(MontyObject::Bool(matches!(p.as_str(), "." | "./" | ""))),
            OsFunctionCall::ReadBytes(p) => file(p.as_str()).map(|b| MontyObject::Bytes(b.clone())),
            OsFunctionCall::ReadText(p) => file(p.as_str()).and_then(|b| {
                String::from_utf8(b.clone()).map(MontyObject::String).map_err(|_| {
                    MontyException::new(
                        ExcType::UnicodeDecodeError,
                        Some(format!("'{}' is not UTF-8 text", p.as_str())),
                    )
                })
            }),
            // Like the wasm module itself, the program runs with an empty environment.
            OsFunctionCall::Getenv(args) => Ok(args.default.clone()),
            OsFunctionCall::GetEnviron => Ok(MontyObject::Dict(Vec::new().into())),
            other => Err(MontyException::new(
                ExcType::PermissionError,
                Some(format!("{} is not available in the exercise sandbox", other.name())),
            )),
        };
        match result {
            Ok(value) => ExtFunctionResult::Return(value),
            Err(e) => ExtFunctionResult::Error(e),
        }
    }
}

/// Feeds one snippet and drives it to completion, answering host calls.
fn feed(repl: MontyRepl, code: &str, host: &mut Host<'_>, out: &mut Capture) -> (MontyRepl, Option<MontyException>) {
    let inputs = vec![(NAMESPACE.to_owned(), tinyml::namespace())];
    let mut progress = repl.feed_start(code, inputs, PrintWriter::Callback(out));
    loop {
        progress = match progress {
            Err(failed) => return (failed.repl, Some(failed.error)),
            Ok(ReplProgress::Complete { repl, .. }) => return (repl, None),
            Ok(ReplProgress::FunctionCall(mut call)) => {
                let (args, kwargs) = (std::mem::take(&mut call.args), std::mem::take(&mut call.kwargs));
                let result = host.call(&call.function_name, call.object_id, args, kwargs);
                call.resume(result, PrintWriter::Callback(out))
            }
            Ok(ReplProgress::OsCall(call)) => {
                let result = host.os_call(call.function_call.clone());
                call.resume(result, PrintWriter::Callback(out))
            }
            Ok(ReplProgress::NameLookup(lookup)) => {
                // Only attribute lookups on the namespace object resolve; unknown globals stay NameErrors.
                let value = match lookup.object_id() {
                    Some(id) if id == tinyml::namespace_id() => tinyml::attribute(&lookup.name),
                    _ => None,
                };
                lookup.resume(
                    value.map_or(NameLookupResult::Undefined, NameLookupResult::Value),
                    PrintWriter::Callback(out),
                )
            }
            Ok(ReplProgress::ResolveFutures(pending)) => pending.abort(
                MontyException::new(ExcType::RuntimeError, Some("awaiting host futures is not supported".to_owned())),
                PrintWriter::Callback(out),
            ),
        };
    }
}

/// Runs a request and grades it.
pub fn run(request: &Request) -> RunResult {
    let started = Instant::now();
    let mut result = RunResult {
        stdout: String::new(),
        stderr: String::new(),
        truncated: false,
        error: None,
        checks: Vec::new(),
        passed: false,
        duration_ms: 0.0,
    };
    match (&request.check_stdout, prepare(request)) {
        // "Check this stdout": nothing runs; the text is judged as if the program had printed it.
        (Some(stdout), Ok(_)) => {
            result.checks = labbook_checks::check_stdout(&request.checks, stdout);
            result.stdout = stdout.clone();
        }
        (None, Ok((files, source))) => execute(request, &files, &source, &mut result),
        (_, Err(error)) => {
            result.checks = request
                .checks
                .iter()
                .map(|c| Verdict::not_judged(c, format!("the request is invalid: {}", error.message)))
                .collect();
            result.error = Some(error);
        }
    }
    result.passed = result.error.is_none() && result.checks.iter().all(|c| c.passed);
    result.duration_ms = started.elapsed().as_secs_f64() * 1000.0;
    result
}

/// Decodes the files and finds the entry's source.
fn prepare(request: &Request) -> Result<(BTreeMap<String, Vec<u8>>, String), ErrorInfo> {
    let invalid = |message: String| ErrorInfo {
        kind: "RequestError".to_owned(),
        message,
        file: None,
        line: None,
        column: None,
        traceback: String::new(),
        note: None,
    };
    if request.check_stdout.is_some() {
        // Its checks are judged one by one: a malformed one fails alone, with the reason.
        if !request.files.is_empty() {
            return Err(invalid("a `check_stdout` request runs nothing, so it takes no `files`".to_owned()));
        }
        return Ok((BTreeMap::new(), String::new()));
    }
    let mut files = BTreeMap::new();
    for (name, content) in &request.files {
        let bytes = content.bytes().map_err(|e| invalid(format!("file {name:?} has invalid base64: {e}")))?;
        files.insert(name.clone(), bytes);
    }
    let entry = files
        .get(&request.entry)
        .ok_or_else(|| invalid(format!("the entry file {:?} is not among the request's files", request.entry)))?;
    let source = String::from_utf8(entry.clone())
        .map_err(|_| invalid(format!("the entry file {:?} is not UTF-8 text", request.entry)))?;
    for check in &request.checks {
        check.kind().map_err(|e| invalid(format!("check {:?}: {e}", check.name)))?;
    }
    Ok((files, source))
}

fn execute(request: &Request, files: &BTreeMap<String, Vec<u8>>, source: &str, result: &mut RunResult) {
    let limits = ResourceLimits {
        max_recursion_depth: MAX_RECURSION_DEPTH,
        // tinyml calls are suspensions; a training loop makes thousands, and time is bounded anyway.
        max_suspensions: usize::MAX,
        max_memory: request.max_memory,
        max_duration: request.max_duration_ms.map(Duration::from_millis),
        ..ResourceLimits::default()
    };
    if let Some(bytes) = request.max_memory {
        // Fails only when the counting allocator is not the global one, which main.rs makes it.
        let _ = monty_alloc::set_limit(Some(bytes), false);
    }
    let repl = MontyRepl::new(&request.entry, ResourceTracker::new(limits), CompileOptions::default());
    let mut host = Host { tinyml: Tinyml::new(request.seed as u64, files), files };
    // Snippet names Monty gives each feed, in order, and what the student should read instead.
    let mut names = vec![request.entry.clone()];

    let mut out = Capture::new(request.max_output);
    let (mut repl, raised) = feed(repl, &imports::rewrite(source), &mut host, &mut out);
    result.stdout = out.text;
    result.truncated = out.truncated;
    result.error = raised.map(|e| error_info(&e, &names));

    for check in &request.checks {
        if let Some(error) = &result.error {
            result
                .checks
                .push(Verdict::not_judged(check, format!("your code raised {}: {}", error.kind, error.message)));
            continue;
        }
        let outcome = match check.kind().expect("validated in prepare") {
            Kind::Output(rule) => rule.evaluate(&result.stdout, check.hidden),
            Kind::Code(code) => {
                names.push(format!("<check: {}>", check.name));
                // A check's prints are not the student's output.
                let mut discard = Capture::new(0);
                let (next, raised) = feed(repl, &imports::rewrite(code), &mut host, &mut discard);
                repl = next;
                match raised {
                    None => Ok(()),
                    Some(e) if e.exc_type() == ExcType::AssertionError => Err(assertion_message(e.message())),
                    Some(e) => Err(format!("{}: {}", e.exc_type(), e.message().unwrap_or(""))),
                }
            }
        };
        result.checks.push(Verdict::of(check, outcome));
    }
}

/// A failed check's message: the author's text when the assert has one. Monty appends its
/// introspection (`assert 0.5 > 0.9`) on a second line; that helps only when the author gave no
/// message, and would otherwise reveal a hidden check's values.
fn assertion_message(message: Option<&str>) -> String {
    let message = message.unwrap_or("").trim();
    match message.rsplit_once("\nassert ") {
        Some((author, _)) if !author.trim().is_empty() => author.trim().to_owned(),
        _ if message.is_empty() => "assertion failed".to_owned(),
        _ => message.to_owned(),
    }
}

/// Monty's REPL names the n-th snippet `<python-input-n>`; `names[n]` is what the student wrote.
fn rename(filename: &str, names: &[String]) -> String {
    filename
        .strip_prefix("<python-input-")
        .and_then(|rest| rest.strip_suffix('>'))
        .and_then(|n| n.parse::<usize>().ok())
        .and_then(|n| names.get(n))
        .cloned()
        .unwrap_or_else(|| filename.to_owned())
}

/// The error as the result reports it: located at the innermost frame in the student's code.
fn error_info(e: &MontyException, names: &[String]) -> ErrorInfo {
    let frame = e.traceback().last();
    let mut traceback = e.to_string();
    for (n, name) in names.iter().enumerate() {
        traceback = traceback.replace(&format!("\"<python-input-{n}>\""), &format!("\"{name}\""));
    }
    let (kind, message) = (e.exc_type().to_string(), e.message().unwrap_or("").to_owned());
    ErrorInfo {
        note: crate::notes::for_error(&kind, &message),
        kind,
        message,
        file: frame.map(|f| rename(&f.filename, names)),
        line: frame.map(|f| f.start.line),
        column: frame.map(|f| f.start.column),
        traceback,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run_json(request: serde_json::Value) -> RunResult {
        run(&serde_json::from_value(request).expect("a valid request"))
    }

    fn run_code(code: &str) -> RunResult {
        run_json(serde_json::json!({ "files": { "main.py": code } }))
    }

    #[test]
    fn every_import_form_reaches_tinyml() {
        let r = run_code(
            "import tinyml\nimport tinyml as tm\nfrom tinyml import (\n    dot,\n    softmax as sm,\n)\n\
             print(tinyml.dot([1, 2], [3, 4]), tm.argmax([0, 5, 1]), dot([1], [2]), sm([0.0, 0.0]))",
        );
        assert_eq!(r.error.map(|e| e.traceback), None);
        assert_eq!(r.stdout, "11.0 1 2.0 [0.5, 0.5]\n");
        assert!(r.passed);
    }

    #[test]
    fn errors_point_at_the_students_line_and_fail_every_check() {
        let r = run_json(serde_json::json!({
            "files": { "main.py": "import tinyml\n\nx = tinyml.dot([1, 2], [1])\n" },
            "checks": [{ "name": "prints", "stdout": "1\n" }, { "name": "x", "code": "assert x == 1" }]
        }));
        let e = r.error.expect("dot raises");
        assert_eq!(
            (e.kind.as_str(), e.file.as_deref(), e.line, e.column),
            ("ValueError", Some("main.py"), Some(3), Some(5))
        );
        assert!(e.traceback.contains("File \"main.py\", line 3"), "{}", e.traceback);
        assert!(r.checks.iter().all(|c| !c.passed && c.message.starts_with("your code raised ValueError: dot:")));
        assert!(!r.passed);

        let syntax = run_code("x = (1,\n").error.expect("a syntax error");
        assert_eq!((syntax.kind.as_str(), syntax.file.as_deref()), ("SyntaxError", Some("main.py")));
    }

    #[test]
    fn code_checks_share_the_entrys_globals_and_report_assert_messages() {
        let r = run_json(serde_json::json!({
            "files": { "main.py": "def double(x):\n    return 2 * x\n" },
            "checks": [
                { "name": "doubles", "code": "assert double(2) == 4, 'double(2) should be 4'" },
                { "name": "authored", "code": "assert double(2) == 5, 'double(2) should be 5'", "hidden": true },
                { "name": "bare", "code": "assert double(1) == 3" },
                { "name": "raises", "code": "double(1) / 0" }
            ]
        }));
        let messages: Vec<(&str, bool)> = r.checks.iter().map(|c| (c.message.as_str(), c.passed)).collect();
        assert_eq!(messages[0], ("", true));
        assert_eq!(messages[1], ("double(2) should be 5", false));
        assert!(messages[2].0.starts_with("assert 2 == 3"), "{}", messages[2].0);
        assert_eq!(messages[3], ("ZeroDivisionError: division by zero", false));
        assert!(r.checks[1].hidden && !r.passed);
    }

    #[test]
    fn output_is_capped_and_flagged() {
        let r = run_json(serde_json::json!({
            "files": { "main.py": "for i in range(1000):\n    print('é' * 10)\n" },
            "max_output": 25
        }));
        assert!(r.truncated);
        // 25 bytes: ten two-byte characters, a newline, and the two whole characters that still fit.
        assert_eq!(r.stdout, "éééééééééé\néé");
        assert!(r.error.is_none());
    }

    #[test]
    fn the_seed_makes_runs_repeatable() {
        let code = "import tinyml\nprint(tinyml.random(), tinyml.randint(1, 6), tinyml.shuffle([1, 2, 3, 4]))";
        let with_seed = |seed: i64| run_json(serde_json::json!({ "files": { "main.py": code }, "seed": seed })).stdout;
        assert_eq!(with_seed(1), with_seed(1));
        assert_ne!(with_seed(1), with_seed(2));
    }

    #[test]
    fn safetensors_and_text_files_come_from_the_request() {
        let mut bytes = Vec::new();
        let header = r#"{"b":{"dtype":"F64","shape":[2],"data_offsets":[0,16]}}"#;
        bytes.extend_from_slice(&(header.len() as u64).to_le_bytes());
        bytes.extend_from_slice(header.as_bytes());
        for x in [0.5f64, -1.0] {
            bytes.extend_from_slice(&x.to_le_bytes());
        }
        use base64::Engine;
        let encoded = base64::engine::general_purpose::STANDARD.encode(&bytes);
        let r = run_json(serde_json::json!({
            "files": {
                "main.py": "from pathlib import Path\nimport tinyml\nprint(tinyml.load_safetensors('m.safetensors')['b'], Path('notes.txt').read_text())",
                "m.safetensors": { "base64": encoded },
                "notes.txt": "hi"
            }
        }));
        assert_eq!(r.error.map(|e| e.message), None);
        assert_eq!(r.stdout, "[0.5, -1.0] hi\n");

        let missing = run_code("import tinyml\ntinyml.load_safetensors('nope.safetensors')").error.unwrap();
        assert_eq!(missing.kind, "FileNotFoundError");
    }

    #[test]
    fn load_dataset_reads_the_splits_the_build_sent() {
        let split = r#"{"config":"default","columns":[["x",[1.5,2.0]],["label",[0,1]]]}"#;
        let r = run_json(serde_json::json!({
            "files": {
                "main.py": "import tinyml\nds = tinyml.load_dataset('toy', split='train')\nprint(list(ds), ds['x'], ds['label'])\nall = tinyml.load_dataset('toy')\nprint(list(all), len(all['train']['x']))",
                "datasets/toy/train.json": split
            }
        }));
        assert_eq!(r.error.map(|e| e.message), None);
        assert_eq!(r.stdout, "['x', 'label'] [1.5, 2.0] [0, 1]\n['train'] 2\n");

        let missing = run_code("import tinyml\ntinyml.load_dataset('toy', split='test')").error.unwrap();
        assert_eq!(missing.kind, "FileNotFoundError");
        assert!(missing.message.contains("no split `test` of `toy`"), "{}", missing.message);
    }

    #[test]
    fn a_missing_entry_is_a_request_error() {
        let r = run_json(serde_json::json!({
            "files": { "other.py": "" },
            "checks": [{ "name": "c", "stdout": "" }]
        }));
        assert_eq!(r.error.unwrap().kind, "RequestError");
        assert!(!r.checks[0].passed && !r.passed);
    }

    #[test]
    fn missing_modules_and_unsupported_syntax_carry_a_note() {
        let e = run_code("x = 1\nimport numpy as np\n").error.unwrap();
        assert_eq!((e.kind.as_str(), e.line), ("ModuleNotFoundError", Some(2)));
        assert!(e.note.unwrap().contains("import tinyml"));
        let e = run_code("class A:\n    pass\nclass B(A):\n    pass\n").error.unwrap();
        assert_eq!(e.kind, "NotImplementedError");
        assert!(e.note.unwrap().contains("without a base class"));
        let e = run_code("def f():\n    yield 1\n").error.unwrap();
        assert_eq!(e.kind, "NotImplementedError");
        assert!(e.note.unwrap().contains("instead of yielding"));
        assert_eq!(run_code("raise NotImplementedError('todo')").error.unwrap().note, None);
    }

    #[test]
    fn a_failed_hidden_check_carries_its_feedback() {
        let r = run_json(serde_json::json!({
            "files": { "main.py": "def double(x):\n    return x + x + 1\n" },
            "checks": [
                { "name": "edge", "hidden": true, "code": "assert double(0) == 0", "feedback": "What should double(0) be?" },
                { "name": "ok", "hidden": true, "code": "assert double(1) == 3", "feedback": "never shown" }
            ]
        }));
        assert_eq!(r.checks[0].feedback.as_deref(), Some("What should double(0) be?"));
        assert!(r.checks[1].passed && r.checks[1].feedback.is_none());
    }

    #[test]
    fn a_check_stdout_request_judges_the_text_and_runs_nothing() {
        let r = run_json(serde_json::json!({
            "check_stdout": "0.5 x\n",
            "checks": [
                { "name": "numbers", "stdout_numbers": [0.5] },
                { "name": "exact", "stdout": "0.5\n" },
                { "name": "code", "code": "assert False" }
            ]
        }));
        assert!(r.error.is_none());
        assert_eq!(r.stdout, "0.5 x\n");
        let verdicts: Vec<(bool, &str)> = r.checks.iter().map(|c| (c.passed, c.message.as_str())).collect();
        assert_eq!(
            verdicts,
            [
                (true, ""),
                (false, "line 1 of the output is \"0.5 x\", expected \"0.5\""),
                (false, "a `code` check needs the python runtime")
            ]
        );
        assert!(!r.passed);

        let with_files = run_json(serde_json::json!({ "check_stdout": "", "files": { "main.py": "" }, "checks": [] }));
        assert_eq!(with_files.error.unwrap().kind, "RequestError");
    }

    #[test]
    fn runaway_recursion_is_a_recursion_error() {
        let e = run_code("def f(n):\n    return f(n + 1)\nf(0)").error.unwrap();
        assert_eq!((e.kind.as_str(), e.line), ("RecursionError", Some(2)));
    }
}
