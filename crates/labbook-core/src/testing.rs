//! Helpers for the property tests of the parsers that read untrusted input (in this crate
//! and in the features): seed texts mutated by a list of edits, and a guard that turns a
//! hang into a failure. No dependency: the tests bring `proptest` and turn its values into
//! [`Edit`]s. The fuzz targets (`fuzz/`) hold the parsers to the same property. And for
//! tests that compare a fast scanner with a plain one: texts made of random pieces.

use std::time::Duration;

/// `count` texts, each up to `max - 1` of `pieces` in a row, chosen by a pseudo-random
/// generator (xorshift64) that gives the same texts on every run.
pub fn random_pieces<'p>(pieces: &[&'p str], max: u64, count: usize) -> Vec<Vec<&'p str>> {
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    (0..count)
        .map(|_| {
            let text = (0..seed % max)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    pieces[(seed % pieces.len() as u64) as usize]
                })
                .collect();
            seed = seed.wrapping_add(0x9e37_79b9);
            text
        })
        .collect()
}

/// Pieces that mean something to YAML, TOML, Markdown, mdBook's SUMMARY or Python, inserted
/// by [`mutate`] where a random edit says.
pub const TOKENS: &[&str] = &[
    "\n",
    ":",
    ": ",
    "- ",
    "  ",
    "---",
    "\"",
    "'",
    "[",
    "]",
    "{",
    "}",
    "#",
    "*",
    "&a ",
    "*a",
    "!!str ",
    "|",
    ">",
    "\t",
    "\r\n",
    "é",
    "中文",
    "\u{feff}",
    "\u{85}",
    "\u{a0}",
    "\u{2028}",
    "0",
    "-1",
    "1e999",
    "null",
    "~",
    "true",
    "? ",
    ",",
    "%",
    "@",
    "`",
    "\\",
    "](",
    "[x](",
    "(",
    ")",
    "$$",
    "```",
    "def ",
    "class ",
    "lambda",
    "'''",
    "\"\"\"",
    "(((((",
    "]]]]]",
    "    ",
    "<<: *a",
    "=",
    "[[",
    "]]",
    "\u{0}",
    "\u{200b}",
    "🙂",
    "\\u",
    "\\x",
    "0x",
    "@decorator\n",
    "async ",
    "-> ",
    ":\n  - ",
    "{{#include ",
    "}}",
    "- [",
    "# ",
    "1. ",
];

/// One random edit of a text: at `at` (taken modulo the length, moved back to a character
/// boundary), `kind` 0 inserts `TOKENS[arg]`, 1 deletes up to `arg % 32` bytes, 2 repeats
/// the next `arg % 64` bytes, 3 replaces one character with `TOKENS[arg]`.
#[derive(Debug, Clone, Copy)]
pub struct Edit {
    /// Where (any number).
    pub at: usize,
    /// What (any number, modulo 4).
    pub kind: u8,
    /// Which token or how many bytes (any number).
    pub arg: usize,
}

/// `seed` with `edits` applied in order.
pub fn mutate(seed: &str, edits: &[Edit]) -> String {
    let mut text = seed.to_string();
    for edit in edits {
        let at = boundary(&text, if text.is_empty() { 0 } else { edit.at % (text.len() + 1) });
        let token = TOKENS[edit.arg % TOKENS.len()];
        match edit.kind % 4 {
            0 => text.insert_str(at, token),
            1 => {
                let end = boundary(&text, (at + edit.arg % 32).min(text.len()));
                text.replace_range(at..end.max(at), "");
            }
            2 => {
                let end = boundary(&text, (at + edit.arg % 64).min(text.len()));
                let piece = text[at..end.max(at)].to_string();
                text.insert_str(at, &piece);
            }
            _ => {
                let end = text[at..].chars().next().map_or(at, |c| at + c.len_utf8());
                text.replace_range(at..end, token);
            }
        }
    }
    text
}

/// The largest character boundary of `text` at or before `at`.
fn boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// How many cases a property test runs: `default` (few, so `cargo test` stays fast), or env
/// `PROPTEST_CASES` for a longer run.
pub fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(default)
}

/// How long one parse may take before [`within`] calls it a hang: generous, since debug
/// builds on a loaded machine are slow, and a parser that hangs never finishes at all.
pub const HANG: Duration = Duration::from_secs(60);

/// Runs `parse` on another thread and returns its result; panics if it panicked (with its
/// message) or did not finish within [`HANG`].
pub fn within<T: Send + 'static>(what: &str, parse: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = std::sync::mpsc::channel();
    let handle = std::thread::spawn(move || {
        let _ = tx.send(parse());
    });
    match rx.recv_timeout(HANG) {
        Ok(value) => {
            let _ = handle.join();
            value
        }
        Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => match handle.join() {
            Err(panic) => std::panic::resume_unwind(panic),
            Ok(()) => unreachable!("the thread sent nothing and did not panic"),
        },
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => panic!("{what} did not finish within {HANG:?}: a hang"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_keep_the_text_valid_utf8_and_change_it() {
        let seed = "title: Début 中文\n";
        let edits = [
            Edit { at: 9, kind: 0, arg: 1 },
            Edit { at: 13, kind: 3, arg: 22 },
            Edit { at: 2, kind: 1, arg: 3 },
            Edit { at: 1, kind: 2, arg: 5 },
        ];
        let out = mutate(seed, &edits);
        assert_ne!(out, seed);
        assert_eq!(mutate("", &[Edit { at: 5, kind: 0, arg: 0 }]), "\n");
    }

    #[test]
    fn a_panic_inside_is_reported_as_such() {
        let caught = std::panic::catch_unwind(|| within("boom", || panic!("the parser panicked")));
        assert!(caught.is_err());
        assert_eq!(within("sum", || 1 + 1), 2);
    }
}
