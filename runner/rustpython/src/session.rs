//! Runs one request in a RustPython interpreter: the entry file as `__main__`, then each `code`
//! check in the entry's globals; output checks go to `labbook_checks`, as in the Monty runner.

use std::collections::BTreeMap;
use std::time::Instant;

use labbook_checks::{Failure, Kind, Reason};
use labbook_runner::protocol::{forbid_verdict, ErrorInfo, Request, RunResult, Verdict};
use rustpython_vm::builtins::PyBaseExceptionRef;
use rustpython_vm::compiler::Mode;
use rustpython_vm::frozen::FrozenLib;
use rustpython_vm::scope::Scope;
use rustpython_vm::{AsObject, Interpreter, Settings, VirtualMachine};

use crate::module::{self, Run, RUN};

/// What a student can import here, for the note on a missing module (`labbook_runner::notes`):
/// the standard-library modules build.rs freezes, RustPython's native ones, numpy and tinyml.
const AVAILABLE_MODULES: &str = "the standard library students use (math, random, statistics, itertools, functools, collections, dataclasses, typing, json, re, datetime, decimal, fractions, enum, abc, copy, heapq, bisect, string, textwrap, csv and more), numpy (the course's subset) and tinyml";

/// The standard-library modules and our own `python/` ones, compiled by build.rs.
static FROZEN: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/frozen.bin"));

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
        (Some(stdout), Ok(_)) => {
            result.checks = labbook_checks::check_stdout(&request.checks, stdout);
            result.stdout = stdout.clone();
        }
        (None, Ok((files, source))) => execute(request, files, &source, &mut result),
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

fn request_error(message: String) -> ErrorInfo {
    ErrorInfo {
        kind: "RequestError".to_owned(),
        message,
        file: None,
        line: None,
        column: None,
        traceback: String::new(),
        note: None,
        note_reason: None,
    }
}

/// Decodes the files and finds the entry's source (the rules of the Monty runner's `prepare`).
fn prepare(request: &Request) -> Result<(BTreeMap<String, Vec<u8>>, String), ErrorInfo> {
    if request.check_stdout.is_some() {
        if !request.files.is_empty() {
            return Err(request_error("a `check_stdout` request runs nothing, so it takes no `files`".to_owned()));
        }
        return Ok((BTreeMap::new(), String::new()));
    }
    let mut files = BTreeMap::new();
    for (name, content) in &request.files {
        let bytes = content.bytes().map_err(|e| request_error(format!("file {name:?} has invalid base64: {e}")))?;
        files.insert(name.clone(), bytes);
    }
    let entry = files
        .get(&request.entry)
        .ok_or_else(|| request_error(format!("the entry file {:?} is not among the request's files", request.entry)))?;
    let source = String::from_utf8(entry.clone())
        .map_err(|_| request_error(format!("the entry file {:?} is not UTF-8 text", request.entry)))?;
    for check in &request.checks {
        check.kind().map_err(|e| request_error(format!("check {:?}: {e}", check.name)))?;
    }
    Ok((files, source))
}

/// An interpreter with the native standard library, `_labbook` and the frozen modules.
fn interpreter() -> Interpreter {
    let mut settings = Settings::default();
    // Repeatable runs: string hashes (and so set order) do not change between runs.
    settings.hash_seed = Some(0);
    settings.import_site = false;
    settings.isolated = true;
    settings.ignore_environment = true;
    settings.user_site_directory = false;
    settings.write_bytecode = false;
    let builder = Interpreter::builder(settings);
    let mut defs = rustpython_stdlib::stdlib_module_defs(&builder.ctx);
    defs.push(module::_labbook::module_def(&builder.ctx));
    builder.add_native_modules(&defs).add_frozen_modules(FrozenLib::from_ref(FROZEN)).build()
}

fn execute(request: &Request, files: BTreeMap<String, Vec<u8>>, source: &str, result: &mut RunResult) {
    RUN.with(|run| *run.borrow_mut() = Some(Run::new(request.seed, request.max_output, files)));
    let interpreter = interpreter();
    interpreter.enter(|vm| {
        if let Err(e) = vm.import("_labbook_prelude", 0) {
            let mut text = String::new();
            let _ = vm.write_exception(&mut text, &e);
            result.error = Some(request_error(format!("the runtime failed to start: {text}")));
            return;
        }
        let scope = vm.new_scope_with_main().expect("a __main__ module");
        let mut names = vec![request.entry.clone()];
        let raised = run_source(vm, &scope, source, &request.entry).err();
        RUN.with(|run| {
            let run = run.borrow();
            let run = run.as_ref().expect("the run");
            result.stdout = run.stdout.text.clone();
            result.truncated = run.stdout.truncated;
        });
        result.error = raised.map(|e| error_info(vm, &e, &names));

        for check in &request.checks {
            // A rule on the source, as in the Monty runner: broken whatever the program did when
            // it ran; kept only by a program that ran. `tinyml` is a real module here, so no
            // module goes by another name.
            if let Ok(Kind::Forbid(rule)) = check.kind() {
                result.checks.push(forbid_verdict(check, source, rule, &[], result.error.as_ref()));
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
                    let name = format!("<check: {}>", check.name);
                    names.push(name.clone());
                    RUN.with(|run| run.borrow_mut().as_mut().expect("the run").discard = true);
                    let raised = run_source(vm, &scope, code, &name).err();
                    RUN.with(|run| run.borrow_mut().as_mut().expect("the run").discard = false);
                    match raised {
                        None => Ok(()),
                        Some(e) => {
                            let (kind, message) = describe(vm, &e);
                            if kind == "AssertionError" {
                                Err(if message.is_empty() {
                                    Reason::new("assertion_failed", &[]).into()
                                } else {
                                    Failure::from(message)
                                })
                            } else {
                                Err(Failure::from(format!("{kind}: {message}")))
                            }
                        }
                    }
                }
            };
            result.checks.push(Verdict::of(check, outcome));
        }
    });
    RUN.with(|run| {
        if let Some(run) = run.borrow().as_ref() {
            result.stderr = run.stderr.text.clone();
        }
    });
}

/// Compiles and runs `source` as `path` in `scope`.
fn run_source(vm: &VirtualMachine, scope: &Scope, source: &str, path: &str) -> Result<(), PyBaseExceptionRef> {
    let code = vm.compile(source, Mode::Exec, path.to_owned()).map_err(|e| vm.new_syntax_error(&e, Some(source)))?;
    vm.run_code_obj(code, scope.clone()).map(|_| ())
}

/// The exception's type name and `str(exception)`.
fn describe(vm: &VirtualMachine, e: &PyBaseExceptionRef) -> (String, String) {
    let kind = e.class().name().to_string();
    let message = e.as_object().str(vm).map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    (kind, message)
}

/// The error as the result reports it: located at the innermost frame in the student's code
/// (the entry or a check), or where a syntax error is.
fn error_info(vm: &VirtualMachine, e: &PyBaseExceptionRef, names: &[String]) -> ErrorInfo {
    let (kind, message) = describe(vm, e);
    let mut traceback = String::new();
    let _ = vm.write_exception(&mut traceback, e);
    let mut located = None;
    if let Some(tb) = e.__traceback__() {
        for frame in tb.iter() {
            let file = frame.frame.code.source_path().as_str().to_owned();
            if names.contains(&file) {
                located = Some((file, frame.lineno.get() as u32, None));
            }
        }
    }
    if located.is_none() && e.class().fast_issubclass(vm.ctx.exceptions.syntax_error) {
        let attr =
            |name: &'static str| e.as_object().get_attr(name, vm).ok().and_then(|v| v.try_into_value::<i64>(vm).ok());
        if let Some(line) = attr("lineno") {
            located = Some((names[0].clone(), line as u32, attr("offset").map(|c| c as u32)));
        }
    }
    let message = if kind == "SyntaxError" {
        e.as_object()
            .get_attr("msg", vm)
            .ok()
            .and_then(|m| m.str(vm).ok())
            .map(|m| m.to_string_lossy().into_owned())
            .unwrap_or(message)
    } else {
        message
    };
    // Only the module notes: the syntax notes are about Monty's parser, and RustPython's
    // NotImplementedError comes from the student's own code.
    let note = (kind == "ModuleNotFoundError")
        .then(|| labbook_runner::notes::for_error_in(&kind, &message, AVAILABLE_MODULES))
        .flatten();
    ErrorInfo {
        kind,
        message,
        file: located.as_ref().map(|l| l.0.clone()),
        line: located.as_ref().map(|l| l.1),
        column: located.and_then(|l| l.2),
        traceback,
        note: None,
        note_reason: None,
    }
    .with_note(note)
}
