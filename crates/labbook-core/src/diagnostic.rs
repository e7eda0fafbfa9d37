//! Errors that point at a place in the book's sources.
//!
//! Every user-facing build error is a [`Diagnostic`]: a file, a line and column (1-based),
//! and a message saying what was expected. A build collects them all before failing, so
//! an author sees every broken link at once instead of one per run.

use std::fmt;
use std::path::{Path, PathBuf};

/// One problem found in a source file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file, relative to the book root when possible.
    pub file: PathBuf,
    /// 1-based line; 0 when the whole file is meant.
    pub line: usize,
    /// 1-based column; 0 when only the line is known.
    pub column: usize,
    /// What is wrong and what was expected.
    pub message: String,
}

impl Diagnostic {
    /// A problem at `file:line:column`.
    pub fn new(file: impl Into<PathBuf>, line: usize, column: usize, message: impl Into<String>) -> Self {
        Diagnostic { file: file.into(), line, column, message: message.into() }
    }

    /// A problem with a whole file (no position).
    pub fn file(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic::new(file, 0, 0, message)
    }

    /// A problem at a byte offset of `text`, the contents of `file` starting at `first_line`.
    pub fn at_offset(file: &Path, text: &str, offset: usize, first_line: usize, message: impl Into<String>) -> Self {
        let (line, column) = line_column(text, offset);
        Diagnostic::new(file, line + first_line - 1, column, message)
    }

    /// Whether this diagnostic names `display` and a place that exists in `text` (that
    /// file's contents): line 0 (the whole file) or a line of the text, and a column of that
    /// line or just past its end. The property tests and fuzz targets of every parser of
    /// untrusted input hold their errors to it.
    pub fn points_into(&self, display: &Path, text: &str) -> bool {
        if self.file != display {
            return false;
        }
        if self.line == 0 {
            return self.column == 0;
        }
        // `lines()` drops a last empty line; a position just after a final newline is fine.
        let Some(line) = text.split('\n').nth(self.line - 1) else { return false };
        self.column <= line.chars().count() + 1
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.file.as_os_str().is_empty() {
            // A message that already names its place (a feature's warning).
            return write!(f, "{}", self.message);
        }
        write!(f, "{}", self.file.display())?;
        if self.line > 0 {
            write!(f, ":{}", self.line)?;
            if self.column > 0 {
                write!(f, ":{}", self.column)?;
            }
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for Diagnostic {}

/// Several diagnostics, reported together; the build fails if there is any.
#[derive(Debug, Clone, Default)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        if self.0.len() > 1 {
            write!(f, "\n{} errors", self.0.len())?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        Diagnostics(vec![d])
    }
}

/// The 1-based line and column (in characters) of byte `offset` in `text`.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_column_counts_from_one() {
        let text = "ab\ncdé\nf";
        assert_eq!(line_column(text, 0), (1, 1));
        assert_eq!(line_column(text, 3), (2, 1));
        assert_eq!(line_column(text, 7), (2, 4));
        assert_eq!(line_column(text, 8), (3, 1));
    }

    #[test]
    fn display_names_file_line_column() {
        let d = Diagnostic::new("content/a.md", 3, 7, "broken link to `b.md`");
        assert_eq!(d.to_string(), "content/a.md:3:7: broken link to `b.md`");
        assert_eq!(Diagnostic::file("x.md", "not UTF-8").to_string(), "x.md: not UTF-8");
    }
}
