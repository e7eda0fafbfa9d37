//! The runner's JSON protocol (contract 1 in the project plan): one request on stdin, one result
//! on stdout.

use std::collections::BTreeMap;

use base64::Engine;
use serde::{Deserialize, Serialize};

pub use labbook_checks::{Check, Failure, Verdict};

/// One run: the files, which one to execute, and how to grade it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Request {
    /// File name to content; the entry is one of them.
    #[serde(default)]
    pub files: BTreeMap<String, FileContent>,
    #[serde(default = "default_entry")]
    pub entry: String,
    #[serde(default)]
    pub checks: Vec<Check>,
    /// "Check this stdout": run nothing, judge this text by the checks (the output of a
    /// runtime that does not check itself). Such a request has no `files`.
    #[serde(default)]
    pub check_stdout: Option<String>,
    #[serde(default)]
    pub seed: i64,
    #[serde(default = "default_max_output")]
    pub max_output: usize,
    /// Optional budget, in bytes, for what the program allocates. Crossing it stops the program
    /// with a `MemoryError` result (Monty reports no line for resource errors). Hosts set it a little below their own hard cap on the module's
    /// memory, which stays the backstop.
    #[serde(default)]
    pub max_memory: Option<usize>,
    /// Optional time budget in milliseconds. Crossing it stops the program with a `TimeoutError`
    /// result, so the checks still report; the host's own time limit stays the backstop.
    #[serde(default)]
    pub max_duration_ms: Option<u64>,
}

fn default_entry() -> String {
    "main.py".to_owned()
}

fn default_max_output() -> usize {
    64 * 1024
}

/// A file of the request: text as a JSON string, binary data as `{"base64": "…"}`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum FileContent {
    /// A text file, as it is.
    Text(String),
    /// A binary file, base64-encoded (standard alphabet, with padding).
    Binary { base64: String },
}

impl FileContent {
    /// The file's bytes, or why the base64 is invalid.
    pub fn bytes(&self) -> Result<Vec<u8>, String> {
        match self {
            FileContent::Text(text) => Ok(text.as_bytes().to_vec()),
            FileContent::Binary { base64 } => {
                base64::engine::general_purpose::STANDARD.decode(base64.trim()).map_err(|e| e.to_string())
            }
        }
    }
}

/// The outcome of a run.
#[derive(Debug, Serialize)]
pub struct RunResult {
    pub stdout: String,
    pub stderr: String,
    pub truncated: bool,
    pub error: Option<ErrorInfo>,
    pub checks: Vec<Verdict>,
    pub passed: bool,
    pub duration_ms: f64,
}

/// A Python exception (or a malformed request), located in the student's files.
#[derive(Debug, Clone, Serialize)]
pub struct ErrorInfo {
    #[serde(rename = "type")]
    pub kind: String,
    pub message: String,
    pub file: Option<String>,
    pub line: Option<u32>,
    pub column: Option<u32>,
    pub traceback: String,
    /// What this course's Python offers instead, for errors a student cannot act on alone
    /// (a missing module, unsupported syntax); see `notes`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The note as a code and arguments, for a page to say in its language.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note_reason: Option<labbook_checks::Reason>,
}

impl ErrorInfo {
    /// Sets the note (`notes::for_error`), its text and its reason.
    pub fn with_note(mut self, note: Option<crate::notes::Note>) -> ErrorInfo {
        (self.note, self.note_reason) = note.map(|n| (n.text, n.reason)).unzip();
        self
    }
}

/// The verdict of a `forbid` check on the program `source`, alike in every python runtime: a
/// rule the source breaks fails whatever the program did when it ran; one it keeps passes only
/// for a program that ran (`error` is what it raised). `aliases` names the modules a runtime
/// knows by another name (`(name, module)`).
pub fn forbid_verdict(
    check: &Check,
    source: &str,
    rule: &str,
    aliases: &[(&str, &str)],
    error: Option<&ErrorInfo>,
) -> Verdict {
    match (labbook_forbid::check(source, rule, aliases), error) {
        (Ok(Some(violation)), _) => Verdict::of(check, Err(violation.reason)),
        (Err(why), _) => Verdict::of(check, Err(why)),
        (Ok(None), Some(error)) => Verdict::raised(check, &error.kind, &error.message),
        (Ok(None), None) => Verdict::of(check, Ok::<(), Failure>(())),
    }
}
