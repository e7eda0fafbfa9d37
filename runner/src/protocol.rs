//! The runner's JSON protocol (contract 1 in the project plan): one request on stdin, one result
//! on stdout.

use std::collections::BTreeMap;

use base64::Engine;
use serde::{Deserialize, Serialize};

/// One run: the files, which one to execute, and how to grade it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Request {
    pub files: BTreeMap<String, FileContent>,
    #[serde(default = "default_entry")]
    pub entry: String,
    #[serde(default)]
    pub checks: Vec<Check>,
    #[serde(default)]
    pub seed: i64,
    #[serde(default = "default_max_output")]
    pub max_output: usize,
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
    Text(String),
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

/// One check; exactly one of `stdout`, `stdout_regex`, `stdout_numbers` and `code` is set.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Check {
    pub name: String,
    #[serde(default)]
    pub hidden: bool,
    pub stdout: Option<String>,
    pub stdout_regex: Option<String>,
    pub stdout_numbers: Option<Vec<f64>>,
    pub tolerance: Option<f64>,
    pub code: Option<String>,
}

/// What a check compares.
pub enum CheckKind<'a> {
    Stdout(&'a str),
    StdoutRegex(&'a str),
    StdoutNumbers(&'a [f64], f64),
    Code(&'a str),
}

/// The default tolerance of a numbers check, relative or absolute.
pub const DEFAULT_TOLERANCE: f64 = 1e-6;

impl Check {
    /// The check's kind, or an error when it sets none or several.
    pub fn kind(&self) -> Result<CheckKind<'_>, String> {
        let mut kinds = Vec::new();
        if let Some(s) = &self.stdout {
            kinds.push(CheckKind::Stdout(s));
        }
        if let Some(r) = &self.stdout_regex {
            kinds.push(CheckKind::StdoutRegex(r));
        }
        if let Some(n) = &self.stdout_numbers {
            kinds.push(CheckKind::StdoutNumbers(n, self.tolerance.unwrap_or(DEFAULT_TOLERANCE)));
        }
        if let Some(c) = &self.code {
            kinds.push(CheckKind::Code(c));
        }
        match kinds.len() {
            1 => Ok(kinds.pop().expect("one kind")),
            0 => Err("the check has none of stdout, stdout_regex, stdout_numbers, code".to_owned()),
            _ => Err("the check sets more than one of stdout, stdout_regex, stdout_numbers, code".to_owned()),
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
    pub checks: Vec<CheckResult>,
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
}

/// One check's verdict.
#[derive(Debug, Serialize)]
pub struct CheckResult {
    pub name: String,
    pub passed: bool,
    pub message: String,
    pub hidden: bool,
}
