//! The exercise check rules, in one place: what `stdout`, `stdout_regex` and `stdout_numbers`
//! checks accept, and the messages a reader sees when they fail.
//!
//! Three callers use this crate and nothing else for these rules:
//! - the python runtime (`runner/`, compiled to wasm) grades its own runs with it;
//! - the same runtime answers "check this stdout" requests (contract 1's request with
//!   `check_stdout` instead of files) with [`check_stdout`], which is how the browser grades the
//!   output of a book's foreign runtimes;
//! - labbook on the host calls it natively for foreign runtimes under wasmtime, and to validate
//!   an `exercise.yaml`'s patterns when the book loads.
//!
//! The semantics are those of Rust: exact comparison byte for byte, Rust's `regex` syntax with
//! Unicode classes (`\d` is any decimal digit, look-around and backreferences are refused), and
//! numbers parsed as Rust parses `f64`. `tests/cases.json` is the table both the native test and
//! the browser test run.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

pub mod forbid;
pub use forbid::ForbidRule;

/// The tolerance of a `stdout_numbers` check that gives none, relative or absolute.
pub const DEFAULT_TOLERANCE: f64 = 1e-6;

/// One check of contract 1's request, as JSON carries it: `name`, `hidden`, and exactly one of
/// `stdout`, `stdout_regex`, `stdout_numbers` (with an optional `tolerance`) and `code`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Check {
    /// What the reader sees beside the tick or the cross.
    pub name: String,
    /// Grade without revealing the expected output.
    #[serde(default)]
    pub hidden: bool,
    /// The whole output, exactly.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stdout: Option<String>,
    /// A pattern searched anywhere in the output.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stdout_regex: Option<String>,
    /// Every number of the output, in order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stdout_numbers: Option<Vec<f64>>,
    /// The tolerance of `stdout_numbers` (default [`DEFAULT_TOLERANCE`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tolerance: Option<f64>,
    /// Python run after the program, in its globals (the python runtime's own kind of check).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// A [`ForbidRule`] checked on the parsed program (the python runtime's own kind of check).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forbid: Option<String>,
    /// What to tell a reader whose code fails the check, in the author's words: for a hidden
    /// check, the only help the reader gets, since its message gives nothing away.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feedback: Option<String>,
}

/// What a [`Check`] tests.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kind<'a> {
    /// A rule on the output alone, which this crate evaluates.
    Output(Rule<'a>),
    /// Python code, which only the python runtime can run.
    Code(&'a str),
    /// A rule on the program's source, which only the python runtime can parse.
    Forbid(&'a str),
}

/// A rule on a program's output.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Rule<'a> {
    /// The output is exactly this text.
    Stdout(&'a str),
    /// This pattern matches somewhere in the output.
    Regex(&'a str),
    /// The output's numbers are these, in order, each within `tolerance` (absolute or relative).
    Numbers { expected: &'a [f64], tolerance: f64 },
}

impl Check {
    /// The check's kind, or why the check is malformed (none or several kinds, a stray or
    /// negative tolerance).
    pub fn kind(&self) -> Result<Kind<'_>, String> {
        let mut kinds = Vec::new();
        if let Some(text) = &self.stdout {
            kinds.push(Kind::Output(Rule::Stdout(text)));
        }
        if let Some(pattern) = &self.stdout_regex {
            kinds.push(Kind::Output(Rule::Regex(pattern)));
        }
        if let Some(expected) = &self.stdout_numbers {
            let tolerance = self.tolerance.unwrap_or(DEFAULT_TOLERANCE);
            validate_tolerance(tolerance)?;
            kinds.push(Kind::Output(Rule::Numbers { expected, tolerance }));
        } else if self.tolerance.is_some() {
            return Err("`tolerance` applies to `stdout_numbers` only".to_owned());
        }
        if let Some(code) = &self.code {
            kinds.push(Kind::Code(code));
        }
        if let Some(rule) = &self.forbid {
            ForbidRule::parse(rule)?;
            kinds.push(Kind::Forbid(rule));
        }
        match kinds.len() {
            1 => Ok(kinds[0]),
            0 => Err("the check has none of stdout, stdout_regex, stdout_numbers, code, forbid".to_owned()),
            _ => Err("the check sets more than one of stdout, stdout_regex, stdout_numbers, code, forbid".to_owned()),
        }
    }
}

/// A tolerance is a finite number of at least 0.
pub fn validate_tolerance(tolerance: f64) -> Result<(), String> {
    if tolerance.is_finite() && tolerance >= 0.0 {
        Ok(())
    } else {
        Err(format!("`tolerance` must be a number of at least 0, not {tolerance}"))
    }
}

/// Why a check failed, in words labbook wrote: a message code and its arguments, so that a
/// page can say it in the reader's language (the exercises feature's word
/// `exercise_check_<code>`, its `{name}`s filled from `args`). [`Reason::english`] is the same
/// message in English, which the verdict's `message` carries for every other reader (the
/// command line, an older page).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reason {
    /// One of the codes of [`ENGLISH`].
    pub code: String,
    /// The values of the message's `{name}`s: quoted output lines, numbers, names.
    #[serde(default)]
    pub args: BTreeMap<String, String>,
}

/// Every reason's code and its English message, `{name}` standing for an argument. The
/// exercises feature's words (`exercise_check_<code>`) say each in every shipped language, and
/// its tests hold its English words to this table.
pub const ENGLISH: &[(&str, &str)] = &[
    ("line_differs", "line {line} of the output is {got}, expected {expected}"),
    ("output_stops", "the output stops after {lines} line(s); expected next: {expected}"),
    ("extra_line", "the output has extra line {line}: {got}"),
    ("line_endings", "the output differs in its line endings: got {got}, expected {expected}"),
    ("not_expected", "the output is not the expected one"),
    ("invalid_regex", "the check's regular expression is invalid: {error}"),
    ("no_match", "the output does not match /{pattern}/"),
    ("wrong_form", "the output does not have the expected form"),
    ("number_count", "expected {expected} number(s) in the output, found {found}"),
    ("number_differs", "number {n} of the output is {got}, expected {expected} (tolerance {tolerance})"),
    ("number_wrong", "number {n} of the output is not the expected value"),
    ("raised", "your code raised {kind}: {message}"),
    ("assertion_failed", "assertion failed"),
    ("exit_status", "your program failed: the program exited with status {status}"),
    (
        "forbidden_module",
        "line {line}: `{snippet}` uses the module `{module}`, which this exercise forbids (forbid: {rule})",
    ),
    ("forbidden_name", "line {line}: `{snippet}` uses `{name}`, which this exercise forbids (forbid: {rule})"),
    (
        "forbidden_star",
        "line {line}: `{snippet}` imports everything from `{module}`, which this exercise forbids (forbid: {rule})",
    ),
    (
        "forbidden_dict",
        "line {line}: `{snippet}` looks into `{module}` by its `__dict__`, which this exercise forbids (forbid: {rule})",
    ),
    (
        "forbidden_lookup",
        "line {line}: `{snippet}` looks up names of `{module}` at run time, which this exercise forbids (forbid: {rule})",
    ),
];

impl Reason {
    /// The reason `code` with these arguments. `code` must be one of [`ENGLISH`]'s.
    pub fn new(code: &str, args: &[(&str, String)]) -> Reason {
        debug_assert!(ENGLISH.iter().any(|(c, _)| *c == code), "unknown reason code {code}");
        Reason { code: code.to_owned(), args: args.iter().map(|(k, v)| (k.to_string(), v.clone())).collect() }
    }

    /// The message in English.
    /// The message in English: the template of its code, each `{name}` replaced in one pass
    /// (an argument's own braces stay as they are). An unknown code is said as itself.
    pub fn english(&self) -> String {
        let Some((_, template)) = ENGLISH.iter().find(|(c, _)| *c == self.code) else { return self.code.clone() };
        let mut out = String::with_capacity(template.len() + 32);
        let mut rest = *template;
        while let Some((before, after)) = rest.split_once('{') {
            out.push_str(before);
            match after.split_once('}').and_then(|(name, tail)| Some((self.args.get(name)?, tail))) {
                Some((value, tail)) => {
                    out.push_str(value);
                    rest = tail;
                }
                None => {
                    out.push('{');
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.english())
    }
}

/// Why a check failed: the message, and its [`Reason`] when labbook wrote it. A failure in
/// someone else's words (an author's `assert` message, the text of a Python exception) has no
/// reason, and every reader sees it as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The message in English (or as its author wrote it).
    pub message: String,
    /// The message's code and arguments, when labbook wrote it.
    pub reason: Option<Reason>,
}

impl From<Reason> for Failure {
    fn from(reason: Reason) -> Failure {
        Failure { message: reason.english(), reason: Some(reason) }
    }
}

impl From<String> for Failure {
    fn from(message: String) -> Failure {
        Failure { message, reason: None }
    }
}

/// One check's verdict, as contract 1's result carries it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Verdict {
    /// The check's name.
    pub name: String,
    /// Whether it passed.
    pub passed: bool,
    /// Why not, in English; empty when it passed.
    #[serde(default)]
    pub message: String,
    /// `message` as a code and arguments, for saying it in the reader's language; absent when
    /// it passed, and when the message is someone else's words (see [`Failure`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<Reason>,
    /// Whether the check is hidden (its message then gives nothing away).
    #[serde(default)]
    pub hidden: bool,
    /// The check's `feedback`, when it failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feedback: Option<String>,
}

impl Verdict {
    /// The verdict of `check` from an outcome; a failed check carries its author's feedback.
    pub fn of<E: Into<Failure>>(check: &Check, outcome: Result<(), E>) -> Verdict {
        let failure = outcome.err().map(Into::into);
        Verdict {
            name: check.name.clone(),
            passed: failure.is_none(),
            feedback: if failure.is_some() { check.feedback.clone() } else { None },
            message: failure.as_ref().map(|f| f.message.clone()).unwrap_or_default(),
            reason: failure.and_then(|f| f.reason),
            hidden: check.hidden,
        }
    }

    /// The verdict of a check that could not judge the code (the program raised, was stopped
    /// or never started): failed with `message`, and without the check's feedback, which is
    /// about code that runs.
    pub fn not_judged(check: &Check, message: impl Into<Failure>) -> Verdict {
        Verdict { feedback: None, ..Verdict::of(check, Err(message.into())) }
    }

    /// The verdict of a check the program could not reach because it raised `kind: message`.
    pub fn raised(check: &Check, kind: &str, message: &str) -> Verdict {
        Verdict::not_judged(check, Reason::new("raised", &[("kind", kind.to_owned()), ("message", message.to_owned())]))
    }
}

/// Judges `stdout` by every check. A malformed check, and a `code` check (which needs the
/// program's globals, not only its output), fail with the reason.
pub fn check_stdout(checks: &[Check], stdout: &str) -> Vec<Verdict> {
    checks
        .iter()
        .map(|check| {
            let outcome = match check.kind() {
                Ok(Kind::Output(rule)) => rule.evaluate(stdout, check.hidden).map_err(Failure::from),
                Ok(Kind::Code(_)) => Err(Failure::from("a `code` check needs the python runtime".to_owned())),
                Ok(Kind::Forbid(_)) => Err(Failure::from("a `forbid` check needs the python runtime".to_owned())),
                Err(e) => Err(Failure::from(format!("the check is invalid: {e}"))),
            };
            Verdict::of(check, outcome)
        })
        .collect()
}

impl Rule<'_> {
    /// Whether `stdout` passes; `Err` holds why not, for the reader. A hidden check's
    /// reason does not reveal the expected output.
    pub fn evaluate(&self, stdout: &str, hidden: bool) -> Result<(), Reason> {
        match *self {
            Rule::Stdout(expected) => exact(stdout, expected, hidden),
            Rule::Regex(pattern) => regex(stdout, pattern, hidden),
            Rule::Numbers { expected, tolerance } => numbers(stdout, expected, tolerance, hidden),
        }
    }
}

/// The whole output equals `expected`, byte for byte: no trimming, and `\r\n` is not `\n`.
pub fn exact(stdout: &str, expected: &str, hidden: bool) -> Result<(), Reason> {
    if stdout == expected {
        return Ok(());
    }
    if hidden {
        return Err(Reason::new("not_expected", &[]));
    }
    // Point at the first differing line: more useful than two long blobs.
    let (got, want): (Vec<&str>, Vec<&str>) = (stdout.lines().collect(), expected.lines().collect());
    let line = got.iter().zip(&want).position(|(g, w)| g != w).unwrap_or(got.len().min(want.len()));
    let quoted = |text: &str| format!("{text:?}");
    Err(match (got.get(line), want.get(line)) {
        (Some(g), Some(w)) => Reason::new(
            "line_differs",
            &[("line", (line + 1).to_string()), ("got", quoted(g)), ("expected", quoted(w))],
        ),
        (None, Some(w)) => Reason::new("output_stops", &[("lines", line.to_string()), ("expected", quoted(w))]),
        (Some(g), None) => Reason::new("extra_line", &[("line", (line + 1).to_string()), ("got", quoted(g))]),
        // Same lines: a final newline or `\r\n` line endings differ.
        (None, None) => Reason::new("line_endings", &[("got", quoted(stdout)), ("expected", quoted(expected))]),
    })
}

/// The pattern matches somewhere in the output (like Python's `re.search`).
pub fn regex(stdout: &str, pattern: &str, hidden: bool) -> Result<(), Reason> {
    let re = compile_regex(pattern).map_err(|e| Reason::new("invalid_regex", &[("error", e)]))?;
    if re.is_match(stdout) {
        Ok(())
    } else if hidden {
        Err(Reason::new("wrong_form", &[]))
    } else {
        Err(Reason::new("no_match", &[("pattern", pattern.to_owned())]))
    }
}

/// Compiles a check's pattern, or says on one line what is wrong with it and where.
pub fn compile_regex(pattern: &str) -> Result<regex::Regex, String> {
    regex::Regex::new(pattern).map_err(|error| explain_regex_error(pattern, &error))
}

/// One line instead of regex's multi-line report: the problem, its column and the text there,
/// and for the features JavaScript has and Rust lacks, which syntax checks use.
fn explain_regex_error(pattern: &str, error: &regex::Error) -> String {
    let (kind, span, unsupported) = match regex_syntax::Parser::new().parse(pattern) {
        Err(regex_syntax::Error::Parse(e)) => {
            let unsupported = matches!(
                e.kind(),
                regex_syntax::ast::ErrorKind::UnsupportedLookAround
                    | regex_syntax::ast::ErrorKind::UnsupportedBackreference
            );
            (e.kind().to_string(), *e.span(), unsupported)
        }
        Err(regex_syntax::Error::Translate(e)) => (e.kind().to_string(), *e.span(), false),
        // The syntax is fine; the compiled program is too big, say.
        _ => return error.to_string().lines().map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join(" "),
    };
    let at: String = pattern.get(span.start.offset..span.end.offset).unwrap_or("").chars().take(20).collect();
    let mut message = format!("{kind} (column {}", span.start.column);
    if !at.is_empty() {
        message.push_str(&format!(", `{at}`"));
    }
    message.push(')');
    if unsupported {
        message.push_str("; checks use Rust's regex syntax, which has no look-around and no backreferences");
    }
    message
}

/// The output has exactly these numbers, in order, each within `tolerance` of the expected one,
/// absolutely or relative to it. NaN matches NaN, and an infinity itself.
pub fn numbers(stdout: &str, expected: &[f64], tolerance: f64, hidden: bool) -> Result<(), Reason> {
    let found = numbers_in(stdout);
    if found.len() != expected.len() {
        return Err(Reason::new(
            "number_count",
            &[("expected", expected.len().to_string()), ("found", found.len().to_string())],
        ));
    }
    for (i, (got, want)) in found.iter().zip(expected).enumerate() {
        let diff = (got - want).abs();
        let close =
            diff <= tolerance || diff <= tolerance * want.abs() || (got.is_nan() && want.is_nan()) || got == want;
        if !close {
            let n = (i + 1).to_string();
            return Err(if hidden {
                Reason::new("number_wrong", &[("n", n)])
            } else {
                Reason::new(
                    "number_differs",
                    &[
                        ("n", n),
                        ("got", got.to_string()),
                        ("expected", want.to_string()),
                        ("tolerance", tolerance.to_string()),
                    ],
                )
            });
        }
    }
    Ok(())
}

/// Every number written in `text`, in order: integers, decimals, exponents, `nan` and `inf`.
/// Digits inside a word (`x1`, `3rd`, `float64`, `٣1`) are not numbers.
pub fn numbers_in(text: &str) -> Vec<f64> {
    static NUMBER: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    // ASCII digits: other scripts' digits are letters of a word here (see `in_word`), which
    // `parse::<f64>` could not read anyway.
    let number = NUMBER.get_or_init(|| {
        regex::Regex::new(r"[-+]?(?:(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?|(?i:nan|inf(?:inity)?))")
            .expect("a valid pattern")
    });
    let in_word = |c: char| c.is_alphanumeric() || c == '_';
    number
        .find_iter(text)
        .filter(|m| {
            let before = text[..m.start()].chars().next_back();
            let after = text[m.end()..].chars().next();
            !before.is_some_and(|c| in_word(c) || c == '.') && !after.is_some_and(in_word)
        })
        .filter_map(|m| m.as_str().parse::<f64>().ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_found_in_order() {
        assert_eq!(numbers_in("p = [0.09, 0.24, 6.7e-1] after 3 steps, -2"), vec![0.09, 0.24, 0.67, 3.0, -2.0]);
        assert_eq!(numbers_in("loss -1.5e-3 at step 10."), vec![-1.5e-3, 10.0]);
        assert_eq!(numbers_in("x2 v1.5 3rd float64 .5"), vec![0.5]);
        assert!(numbers_in("no numbers").is_empty());
        let special = numbers_in("nan, -inf, Infinity");
        assert!(special[0].is_nan());
        assert_eq!(special[1..], [f64::NEG_INFINITY, f64::INFINITY]);
    }

    #[test]
    fn a_check_has_exactly_one_kind() {
        let check = |json: &str| serde_json::from_str::<Check>(json).unwrap();
        assert_eq!(
            check(r#"{"name": "n", "stdout_numbers": [1]}"#).kind(),
            Ok(Kind::Output(Rule::Numbers { expected: &[1.0], tolerance: DEFAULT_TOLERANCE }))
        );
        assert_eq!(check(r#"{"name": "c", "code": "assert 1"}"#).kind(), Ok(Kind::Code("assert 1")));
        assert!(check(r#"{"name": "x"}"#).kind().unwrap_err().contains("none of"));
        assert!(check(r#"{"name": "x", "stdout": "", "code": ""}"#).kind().unwrap_err().contains("more than one"));
        assert!(check(r#"{"name": "x", "stdout": "", "tolerance": 1}"#).kind().unwrap_err().contains("only"));
        let negative = check(r#"{"name": "x", "stdout_numbers": [], "tolerance": -1}"#);
        assert_eq!(negative.kind().unwrap_err(), "`tolerance` must be a number of at least 0, not -1");
        assert!(serde_json::from_str::<Check>(r#"{"name": "x", "stdout": "", "extra": 1}"#).is_err());
    }

    #[test]
    fn a_check_serializes_only_what_it_sets() {
        let check = Check { name: "n".into(), stdout_regex: Some("a".into()), ..Check::default() };
        assert_eq!(serde_json::to_string(&check).unwrap(), r#"{"name":"n","hidden":false,"stdout_regex":"a"}"#);
    }

    #[test]
    fn check_stdout_judges_every_check_and_refuses_code() {
        let checks: Vec<Check> = serde_json::from_str(
            r#"[{"name": "a", "stdout": "1\n"}, {"name": "b", "code": "assert x"}, {"name": "c", "hidden": true, "stdout_regex": "2"}]"#,
        )
        .unwrap();
        let verdicts = check_stdout(&checks, "1\n");
        assert_eq!(
            verdicts[0],
            Verdict {
                name: "a".into(),
                passed: true,
                message: String::new(),
                reason: None,
                hidden: false,
                feedback: None
            }
        );
        assert_eq!(verdicts[1].message, "a `code` check needs the python runtime");
        assert_eq!(
            verdicts[2],
            Verdict {
                name: "c".into(),
                passed: false,
                message: "the output does not have the expected form".into(),
                reason: Some(Reason::new("wrong_form", &[])),
                hidden: true,
                feedback: None
            }
        );
    }

    #[test]
    fn a_failed_check_carries_its_feedback_and_a_passed_one_does_not() {
        let checks: Vec<Check> = serde_json::from_str(
            r#"[{"name": "a", "hidden": true, "stdout_regex": "^1", "feedback": "Print the count first."},
                {"name": "b", "hidden": true, "stdout_regex": "2", "feedback": "Never shown."}]"#,
        )
        .unwrap();
        let verdicts = check_stdout(&checks, "2\n");
        assert_eq!(verdicts[0].feedback.as_deref(), Some("Print the count first."));
        assert_eq!(verdicts[0].message, "the output does not have the expected form");
        assert!(verdicts[1].passed && verdicts[1].feedback.is_none());
        let json = serde_json::to_string(&verdicts[1]).unwrap();
        assert!(!json.contains("feedback"), "{json}");
    }

    #[test]
    fn a_reason_says_its_message_in_english_and_travels_as_code_and_arguments() {
        let verdict =
            check_stdout(&[Check { name: "n".into(), stdout: Some("42\n".into()), ..Check::default() }], "TODO\n")
                .remove(0);
        assert_eq!(verdict.message, r#"line 1 of the output is "TODO", expected "42""#);
        let reason = verdict.reason.as_ref().unwrap();
        assert_eq!(reason.code, "line_differs");
        assert_eq!(reason.args["got"], r#""TODO""#);
        let json = serde_json::to_value(&verdict).unwrap();
        assert_eq!(json["reason"]["args"]["line"], "1");
        // Every code is there once.
        for (code, _) in ENGLISH {
            assert_eq!(ENGLISH.iter().filter(|(c, _)| c == code).count(), 1, "{code} twice");
        }
        // One pass: an argument's braces are never read as names.
        let braces = Reason::new("extra_line", &[("line", "{got}".into()), ("got", "\"{line}\"".into())]);
        assert_eq!(braces.english(), r#"the output has extra line {got}: "{line}""#);
        // Someone else's words have no reason.
        let author = Verdict::of(&Check::default(), Err("the weights must sum to 1".to_owned()));
        assert_eq!((author.message.as_str(), author.reason), ("the weights must sum to 1", None));
    }
}
