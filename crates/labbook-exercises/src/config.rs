//! `exercises:` and `runtimes:` in `book.yaml`: defaults for every exercise, and the other
//! runtimes a book declares.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Deserializer};

use labbook_core::config::locate;
use labbook_core::diagnostic::Diagnostic;

/// `exercises:` in `book.yaml`: what an exercise gets unless its own `exercise.yaml` says otherwise.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ExerciseDefaults {
    /// Limits of one run.
    #[serde(default)]
    pub limits: LimitsSpec,
    /// The book's page for readers about the python runtime ("Python in this course"), a
    /// content file: every python exercise links to it, and so does the runtime's note on an
    /// error (`import numpy`, unsupported syntax).
    #[serde(default)]
    pub python_guide: Option<PathBuf>,
}

/// `limits:` as written (`{time: 2s, memory: 64MB, output: 64KB}`); absent keys inherit.
#[derive(Debug, Clone, Copy, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct LimitsSpec {
    /// Wall-clock time of one run, in milliseconds (`2s`, `500ms`).
    #[serde(default, deserialize_with = "duration_ms")]
    pub time: Option<u64>,
    /// Memory of one run, in bytes (`64MB`, `512KB`).
    #[serde(default, deserialize_with = "size_bytes")]
    pub memory: Option<u64>,
    /// Captured output of one run, in bytes.
    #[serde(default, deserialize_with = "size_bytes")]
    pub output: Option<u64>,
}

impl LimitsSpec {
    /// These limits where set, `base` elsewhere.
    pub fn resolve(&self, base: &crate::Limits) -> crate::Limits {
        crate::Limits {
            time_ms: self.time.unwrap_or(base.time_ms),
            memory_bytes: self.memory.unwrap_or(base.memory_bytes),
            output_bytes: self.output.unwrap_or(base.output_bytes),
        }
    }
}

/// `2s`, `1.5s`, `500ms`, `1m` -> milliseconds; between 1 ms and 10 minutes.
fn duration_ms<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    let text = String::deserialize(d)?;
    let parsed = parse_quantity(&text, &[("ms", 1.0), ("s", 1000.0), ("m", 60_000.0)]);
    match parsed {
        Some(ms) if (1.0..=600_000.0).contains(&ms) => Ok(Some(ms.round() as u64)),
        _ => Err(serde::de::Error::custom(format!(
            "expected a duration from 1ms to 10m such as `2s` or `500ms`, not `{text}`"
        ))),
    }
}

/// `64MB`, `512KB`, `1GB`, `64MiB`, `1000B` -> bytes; between 1 KB and 4 GB.
fn size_bytes<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    let text = String::deserialize(d)?;
    // Binary multiples for both spellings: a "64 MB" limit means 64 MiB, as wasm pages count.
    let units = [
        ("b", 1.0),
        ("kb", 1024.0),
        ("kib", 1024.0),
        ("mb", 1048576.0),
        ("mib", 1048576.0),
        ("gb", 1073741824.0),
        ("gib", 1073741824.0),
    ];
    match parse_quantity(&text.to_ascii_lowercase(), &units) {
        Some(b) if (1024.0..=4294967296.0).contains(&b) => Ok(Some(b.round() as u64)),
        _ => Err(serde::de::Error::custom(format!(
            "expected a size from 1KB to 4GB such as `64MB` or `512KB`, not `{text}`"
        ))),
    }
}

/// A number followed by one of `units` (longest match), scaled.
fn parse_quantity(text: &str, units: &[(&str, f64)]) -> Option<f64> {
    let text = text.trim();
    let split = text.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: f64 = number.parse().ok()?;
    let scale = units.iter().find(|(u, _)| *u == unit.trim())?.1;
    Some(number * scale)
}

/// Checks the names and paths of `runtimes:`; `text` is `book.yaml`, for positions.
pub fn validate_runtimes(runtimes: &BTreeMap<String, PathBuf>, text: &str) -> Result<(), Diagnostic> {
    let at = |needle: &str, message: String| {
        let (line, column) = locate(text, needle);
        Diagnostic::new("book.yaml", line, column, message)
    };
    for (name, path) in runtimes {
        if crate::Runtime::is_built_in(name) || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(at(
                &format!("{name}:"),
                format!(
                    "`runtimes`: `{name}` cannot name a runtime (the python runtimes are built in; use letters, digits, `-`, `_`)"
                ),
            ));
        }
        if path.is_absolute() || path.components().any(|c| c == std::path::Component::ParentDir) {
            return Err(at(&format!("{name}:"), format!("`runtimes.{name}` must be a file inside the book")));
        }
    }
    Ok(())
}
