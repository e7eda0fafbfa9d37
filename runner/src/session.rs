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

use labbook_checks::{Failure, Kind, Reason};

use crate::imports::{self, NAMESPACE, NUMPY_NAMES};
use crate::operators;
use crate::protocol::{self, ErrorInfo, Request, RunResult, Verdict};
use crate::tinyml::numpy::Numpy;
use crate::tinyml::rng::Rng;
use crate::tinyml::{self, Tinyml};

/// The names the preludes' frames carry; they are left out of the student's traceback.
const PRELUDE_FILES: &[&str] = &["<numpy>", "<random>", "<statistics>", "<time>"];

/// The host function the numpy prelude calls for every array operation.
const NUMPY_CORE: &str = "numpy.core";
/// The host functions of the `random` and `time` preludes.
const RANDOM_CORE: &str = "random.core";
const TIME_CORE: &str = "time.core";

/// The module object a prelude binds (Monty has no module type of its own).
const MODULE_CLASS: &str = "class _labbook_module:\n    def __init__(self, name, members):\n        self.__name__ = name\n        for key in members:\n            setattr(self, key, members[key])\n    def __repr__(self):\n        return \"<module '\" + self.__name__ + \"'>\"\n";

/// The Python that makes `module` (one of `imports::PRELUDE_MODULES`).
fn prelude_source(module: &str) -> String {
    let (core, source, exports) = match module {
        "numpy" => return numpy_prelude(),
        "random" => ("_rnd_core = __rnd_core__", include_str!("modules/random.py"), "_rnd_exports"),
        "statistics" => ("", include_str!("modules/statistics.py"), "_st_exports"),
        _ => ("_tm_core = __tm_core__", include_str!("modules/time.py"), "_tm_exports"),
    };
    let global = imports::PRELUDE_MODULES.iter().find(|m| m.name == module).expect("a prelude module").global;
    format!("{core}\n{source}\n{MODULE_CLASS}{global} = _labbook_module('{module}', {exports}())\n")
}

/// The course's numpy for Monty: the shared Python half (`tinyml/numpy.py`) between a line that
/// binds its core and the lines that make the module object and teach `len` and `abs` arrays
/// (Monty calls no `__len__`/`__abs__`).
fn numpy_prelude() -> String {
    format!(
        "_np_core = __np_core__\n{}\n{NUMPY} = _NpNamespace('numpy', _np_exports())\n\
         _np_builtin_len = len\n\
         def len(x):\n    if type(x) is ndarray:\n        if x.ndim == 0:\n            raise TypeError('len() of unsized object')\n        return x.shape[0]\n    return _np_builtin_len(x)\n\
         _np_builtin_abs = abs\n\
         def abs(x):\n    if type(x) is ndarray:\n        return _np_call('unary', 'abs', _np_in(x))\n    return _np_builtin_abs(x)\n",
        include_str!("tinyml/numpy.py"),
        NUMPY = imports::NUMPY
    )
}

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
    numpy: Numpy,
    /// `random`'s generators: the module's own first, then each `random.Random()`.
    randoms: Vec<Rng>,
    seed: u64,
    started: Instant,
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
        if on.is_none() && kwargs.is_empty() && [NUMPY_CORE, RANDOM_CORE, TIME_CORE].contains(&name) {
            let result = match name {
                NUMPY_CORE => self.numpy.call(&args),
                RANDOM_CORE => self.random(&args),
                _ => Ok(MontyObject::Float(self.started.elapsed().as_secs_f64())),
            };
            return match result {
                Ok(value) => ExtFunctionResult::Return(value),
                Err(e) => ExtFunctionResult::Error(e.into_exception()),
            };
        }
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

    /// One operation of the `random` prelude: `new`, `seed`, `random`, `below` or `normal` on
    /// a generator.
    fn random(&mut self, args: &[MontyObject]) -> Result<MontyObject, tinyml::HostError> {
        let bad = || tinyml::HostError::runtime("random core: malformed call");
        let Some(MontyObject::String(op)) = args.first() else { return Err(bad()) };
        let seed_of = |value: Option<&MontyObject>, fallback: u64| -> Result<u64, tinyml::HostError> {
            Ok(match value {
                None | Some(MontyObject::None) => fallback,
                Some(MontyObject::Int(i)) => i.unsigned_abs(),
                Some(MontyObject::Bool(b)) => u64::from(*b),
                Some(MontyObject::Float(x)) => x.to_bits(),
                // Strings and bytes seed by their bytes (FNV-1a), as repeatable as numbers.
                Some(MontyObject::String(text)) => {
                    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3))
                }
                Some(other) => {
                    return Err(tinyml::HostError::type_error(format!(
                        "The only supported seed types are: None, int, float, str, bytes, and bytearray (got {})",
                        crate::tinyml::type_name(other)
                    )))
                }
            })
        };
        if op == "new" {
            let fallback = self.seed ^ (0x5241_4e44 + self.randoms.len() as u64);
            self.randoms.push(Rng::new(seed_of(args.get(1), fallback)?));
            return Ok(MontyObject::Int(self.randoms.len() as i64 - 1));
        }
        let Some(MontyObject::Int(id)) = args.get(1) else { return Err(bad()) };
        let id = usize::try_from(*id).ok().filter(|i| *i < self.randoms.len()).ok_or_else(bad)?;
        if op == "seed" {
            let fallback = self.seed ^ (0x5241_4e44 + id as u64);
            self.randoms[id] = Rng::new(seed_of(args.get(2), fallback)?);
            return Ok(MontyObject::None);
        }
        let rng = &mut self.randoms[id];
        Ok(match op.as_str() {
            "random" => MontyObject::Float(rng.random()),
            "normal" => MontyObject::Float(rng.standard_normal()),
            "below" => match args.get(2) {
                Some(MontyObject::Int(n)) if *n > 0 => MontyObject::Int(rng.below(*n as u64) as i64),
                _ => return Err(tinyml::HostError::value("empty range for randrange()")),
            },
            _ => return Err(bad()),
        })
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
    let inputs = vec![
        (NAMESPACE.to_owned(), tinyml::namespace()),
        ("__np_core__".to_owned(), MontyObject::Function { name: NUMPY_CORE.to_owned(), docstring: None }),
        ("__rnd_core__".to_owned(), MontyObject::Function { name: RANDOM_CORE.to_owned(), docstring: None }),
        ("__tm_core__".to_owned(), MontyObject::Function { name: TIME_CORE.to_owned(), docstring: None }),
    ];
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
        note_reason: None,
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
    let seed = request.seed as u64;
    let mut host = Host {
        tinyml: Tinyml::new(seed, files),
        numpy: Numpy::new(seed),
        randoms: Vec::new(),
        seed,
        started: Instant::now(),
        files,
    };
    // Snippet names Monty gives each feed, in order, and what the student should read instead.
    let mut names = Vec::new();
    let mut preludes = Preludes { loaded: Vec::new(), aliases: Vec::new() };

    let mut out = Capture::new(request.max_output);
    let (code, repl) = preludes.prepare(source, repl, &mut host, &mut names);
    names.push(request.entry.clone());
    let (mut repl, raised) = feed(repl, &code, &mut host, &mut out);
    result.stdout = out.text;
    result.truncated = out.truncated;
    result.error = raised.map(|e| error_info(&e, &names));

    for check in &request.checks {
        // A rule on the source: broken whatever the program did when it ran; kept only by a
        // program that ran (code that raises earns no check).
        if let Ok(Kind::Forbid(rule)) = check.kind() {
            let aliases = [(NAMESPACE, "tinyml")];
            result.checks.push(protocol::forbid_verdict(check, source, rule, &aliases, result.error.as_ref()));
            continue;
        }
        if let Some(error) = &result.error {
            result.checks.push(Verdict::raised(check, &error.kind, &error.message));
            continue;
        }
        let outcome = match check.kind().expect("validated in prepare") {
            Kind::Output(rule) => rule.evaluate(&result.stdout, check.hidden).map_err(Failure::from),
            Kind::Forbid(_) => unreachable!("judged above"),
            Kind::Code(code) => {
                let (code, prepared) = preludes.prepare(code, repl, &mut host, &mut names);
                names.push(format!("<check: {}>", check.name));
                // A check's prints are not the student's output.
                let mut discard = Capture::new(0);
                let (next, raised) = feed(prepared, &code, &mut host, &mut discard);
                repl = next;
                match raised {
                    None => Ok(()),
                    Some(e) if e.exc_type() == ExcType::AssertionError => Err(assertion_message(e.message())),
                    Some(e) => Err(Failure::from(format!("{}: {}", e.exc_type(), e.message().unwrap_or("")))),
                }
            }
        };
        result.checks.push(Verdict::of(check, outcome));
    }
}

/// The prelude modules that have run in this session, and the names numpy is bound to.
struct Preludes {
    loaded: Vec<&'static str>,
    aliases: Vec<String>,
}

impl Preludes {
    /// `code` with its imports rewritten and, if the session uses numpy, its operators routed
    /// through numpy's helpers; runs each prelude the first time its module is imported.
    fn prepare(
        &mut self,
        code: &str,
        repl: MontyRepl,
        host: &mut Host<'_>,
        names: &mut Vec<String>,
    ) -> (String, MontyRepl) {
        let rewritten = imports::rewrite_all(code);
        self.aliases.extend(rewritten.numpy.iter().cloned());
        let mut repl = repl;
        for module in rewritten.modules {
            if self.loaded.contains(&module) {
                continue;
            }
            self.loaded.push(module);
            names.push(format!("<{module}>"));
            let mut discard = Capture::new(0);
            let (next, raised) = feed(repl, &prelude_source(module), host, &mut discard);
            repl = next;
            if let Some(e) = raised {
                // The prelude is ours: a failure there is a bug in the runner, reported as such.
                let message = format!("the runner's {module} failed to load: {e}");
                return (format!("raise RuntimeError({message:?})"), repl);
            }
        }
        if self.loaded.contains(&"numpy") {
            (operators::rewrite(&rewritten.source, &self.aliases, NUMPY_NAMES), repl)
        } else {
            (rewritten.source, repl)
        }
    }
}

/// A failed check's message: the author's text when the assert has one. Monty appends its
/// introspection (`assert 0.5 > 0.9`) on a second line; that helps only when the author gave no
/// message, and would otherwise reveal a hidden check's values.
fn assertion_message(message: Option<&str>) -> Failure {
    let message = message.unwrap_or("").trim();
    match message.rsplit_once("\nassert ") {
        Some((author, _)) if !author.trim().is_empty() => author.trim().to_owned().into(),
        _ if message.is_empty() => Reason::new("assertion_failed", &[]).into(),
        _ => message.to_owned().into(),
    }
}

/// A traceback without the frames of the preludes (a `File "<numpy>"` line and the
/// indented source lines under it).
fn without_prelude_frames(traceback: &str) -> String {
    let markers: Vec<String> = PRELUDE_FILES.iter().map(|p| format!("  File \"{p}\"")).collect();
    let mut out = Vec::new();
    let mut skipping = false;
    for line in traceback.lines() {
        if markers.iter().any(|m| line.starts_with(m.as_str())) {
            skipping = true;
            continue;
        }
        if skipping && line.starts_with("    ") {
            continue;
        }
        skipping = false;
        out.push(line);
    }
    out.join("\n")
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
    // The innermost frame in the student's code: numpy's own frames are not theirs.
    let frames = e.traceback();
    let frame =
        frames.iter().rev().find(|f| !PRELUDE_FILES.contains(&rename(&f.filename, names).as_str())).or(frames.last());
    let mut traceback = e.to_string();
    for (n, name) in names.iter().enumerate() {
        traceback = traceback.replace(&format!("\"<python-input-{n}>\""), &format!("\"{name}\""));
    }
    let traceback = without_prelude_frames(&traceback);
    let (kind, message) = (e.exc_type().to_string(), e.message().unwrap_or("").to_owned());
    let note = labbook_runner::notes::for_error(&kind, &message);
    ErrorInfo {
        kind,
        message,
        file: frame.map(|f| rename(&f.filename, names)),
        line: frame.map(|f| f.start.line),
        column: frame.map(|f| f.start.column),
        traceback,
        note: None,
        note_reason: None,
    }
    .with_note(note)
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
        let e = run_code("x = 1\nimport pandas as pd\n").error.unwrap();
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
    fn numpy_errors_point_at_the_students_line_and_name_what_is_missing() {
        let e = run_code("import numpy as np\na = np.ones(3)\nb = a + np.ones(4)\n").error.unwrap();
        assert_eq!((e.kind.as_str(), e.line, e.file.as_deref()), ("ValueError", Some(3), Some("main.py")));
        assert_eq!(e.message, "operands could not be broadcast together with shapes (3,) (4,) ");
        assert!(!e.traceback.contains("<numpy>"), "{}", e.traceback);
        let e = run_code("import numpy as np\n\nx = np.fft.fft([1.0])\n").error.unwrap();
        assert_eq!((e.kind.as_str(), e.line), ("NotImplementedError", Some(3)));
        assert!(e.message.starts_with("numpy.fft is not in this course's numpy"), "{}", e.message);
        let e = run_code("from numpy import array, histogram\n").error.unwrap();
        assert_eq!((e.kind.as_str(), e.line), ("NotImplementedError", Some(1)));
        assert!(e.message.starts_with("numpy.histogram is not in this course's numpy"), "{}", e.message);
    }

    #[test]
    fn numpy_imports_checks_and_the_list_of_names() {
        let r = run_json(serde_json::json!({
            "files": { "main.py": "from numpy import array, zeros as z\nfrom numpy.random import default_rng\n\
                                   w = z(3) + array([1, 2, 3])\nr = default_rng(0).integers(0, 5, size=4)\n\
                                   print(w, r.shape, sorted(_np_exports()))" },
            "checks": [
                { "name": "shape", "code": "assert w.shape == (3,)" },
                { "name": "numpy in a check", "code": "import numpy as np\nassert np.allclose(w, [1, 2, 3]) and (w > 0).all()" },
                { "name": "fails", "code": "import numpy as np\nassert np.allclose(w, 0), 'w should be zero'" }
            ]
        }));
        assert_eq!(r.error.map(|e| e.traceback), None);
        let (first, names) = r.stdout.split_once(" (4,) ").unwrap();
        assert_eq!(first, "[1. 2. 3.]");
        let mut ours: Vec<&str> = crate::imports::NUMPY_NAMES.to_vec();
        ours.sort_unstable();
        let listed: Vec<String> = ours.iter().map(|n| format!("'{n}'")).collect();
        assert_eq!(names.trim_end(), format!("[{}]", listed.join(", ")), "NUMPY_NAMES and _np_exports differ");
        let verdicts: Vec<(bool, &str)> = r.checks.iter().map(|c| (c.passed, c.message.as_str())).collect();
        assert_eq!(verdicts, [(true, ""), (true, ""), (false, "w should be zero")]);
    }

    #[test]
    fn random_is_seeded_from_the_request_and_repeatable() {
        let code = "import random\nfrom random import randint, shuffle\nxs = list(range(6))\nshuffle(xs)\n\
                    print(random.random(), randint(1, 6), xs, random.choice('abc'), random.sample(range(10), 3))\n\
                    r = random.Random(5)\nprint(r.random() == random.Random(5).random(), round(random.gauss(0, 1), 3) != 99)";
        let with_seed = |seed: i64| run_json(serde_json::json!({ "files": { "main.py": code }, "seed": seed }));
        let (one, again, two) = (with_seed(1), with_seed(1), with_seed(2));
        assert_eq!(one.error.as_ref().map(|e| &e.traceback), None);
        assert_eq!(one.stdout, again.stdout);
        assert_ne!(one.stdout, two.stdout);
        assert!(one.stdout.ends_with("\nTrue True\n"), "{}", one.stdout);
        let reseeded =
            run_code("import random\nrandom.seed(3)\na = random.random()\nrandom.seed(3)\nprint(a == random.random())");
        assert_eq!(reseeded.stdout, "True\n");
        let e = run_code("import random\n\nrandom.choice([])\n").error.unwrap();
        assert_eq!(
            (e.kind.as_str(), e.line, e.message.as_str()),
            ("IndexError", Some(3), "Cannot choose from an empty sequence")
        );
        assert!(!e.traceback.contains("<random>"), "{}", e.traceback);
        let e = run_code("from random import nope\n").error.unwrap();
        assert_eq!((e.kind.as_str(), e.message.as_str()), ("ImportError", "cannot import name 'nope' from 'random'"));
    }

    #[test]
    fn statistics_and_time_agree_with_cpython() {
        // The values CPython 3.11 prints for these calls.
        let r = run_code(
            "import statistics as st\nimport time\n\
             print(st.mean([1, 2, 3]), st.mean([1, 2, 3, 4]), st.variance([1, 2, 3]), st.variance([1, 2, 3, 4]))\n\
             print(st.stdev([1, 2, 3, 4]), st.pstdev([2, 4, 4, 4, 5, 5, 7, 9]), st.median([3, 1, 2, 4]), st.mode([1, 2, 2, 3]))\n\
             print(st.mean([1.1, 2.2, 3.3]), st.pvariance([1, 2, 3, 4]), st.quantiles([1, 2, 3, 4, 5, 6, 7, 8], n=4))\n\
             t0 = time.perf_counter()\ntime.sleep(2)\nprint(time.perf_counter() - t0 >= 2, time.time() > 1.7e9)\n\
             try:\n    st.mean([])\nexcept st.StatisticsError as e:\n    print(e)",
        );
        assert_eq!(r.error.map(|e| e.traceback), None);
        assert_eq!(
            r.stdout,
            "2 2.5 1 1.6666666666666667\n1.2909944487358056 2.0 2.5 2\n2.2 1.25 [2.25, 4.5, 6.75]\nTrue True\n\
             mean requires at least one data point\n"
        );
    }

    #[test]
    fn runaway_recursion_is_a_recursion_error() {
        let e = run_code("def f(n):\n    return f(n + 1)\nf(0)").error.unwrap();
        assert_eq!((e.kind.as_str(), e.line), ("RecursionError", Some(2)));
    }
}
