//! Notes that turn an error the student cannot act on into one that teaches: a module this
//! Python does not have, or syntax it does not support, gets a note saying what the course's
//! Python offers instead. The note travels in the result (`error.note`), so `labbook run`,
//! `labbook grade` and the browser show the same words; hosts add the link to the book's
//! "Python in this course" page. Both runtimes use it: the module notes hold for both, the
//! syntax notes only meet Monty's parser's messages.

use labbook_checks::Reason;

/// The modules of Monty's standard library (0.0.23) a student can import, plus those the
/// runner adds (the course's numpy, random, statistics, time) and `tinyml`.
pub const AVAILABLE_MODULES: &str =
    "math, random, statistics, time, re, json, collections, itertools, functools, dataclasses, datetime, typing, pathlib (to read the exercise's files), base64, numpy (the course's subset) and tinyml";

/// Libraries students reach for that `tinyml` stands in for, with what to use. The note's
/// code is `missing_<name>` (the exercises feature's word `exercise_note_missing_<name>`).
const NUMERIC: &[(&str, &str)] = &[
    ("scipy", "numpy arrays and tinyml have the numeric helpers the exercises need (dot, matmul, exp, log, softmax)"),
    ("pandas", "tables are lists of rows; tinyml.load_iris() and tinyml.load_digits() give the course's datasets"),
    ("sklearn", "tinyml.load_iris() and tinyml.load_digits() give the course's datasets, and the exercises build the models themselves"),
    ("torch", "tinyml.load_safetensors() reads the course's model weights as nested lists"),
    ("tensorflow", "tinyml.load_safetensors() reads the course's model weights as nested lists"),
    ("jax", "use numpy arrays (`import numpy as np`), and tinyml's softmax"),
    ("matplotlib", "there is no plotting; print the numbers instead"),
];

/// Syntax Monty does not support yet (its message names it), the note's code
/// (`unsupported_<code>`), and how to write it instead.
const SYNTAX: &[(&str, &str, &str)] = &[
    ("class inheritance", "inheritance", "write the class without a base class, or use functions and dicts"),
    ("method decorators", "decorators", "use a plain method, or a function outside the class"),
    ("yield", "yield", "build a list and return it instead of yielding"),
    ("pattern matching", "match", "use if / elif / else"),
    ("'del' statement", "del", "assign a new value, or build a new list or dict without the item"),
    ("starred expressions", "starred", "index the list, or join lists with +"),
    ("async", "async", "write ordinary functions and loops"),
    ("class bodies", "class_body", "keep only methods and simple `name = value` variables in the class body"),
];

/// A note: its English text, and the same as a code and arguments (`module`, `available`)
/// for a page to say in its language (`exercise_note_<code>`).
#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    pub text: String,
    pub reason: Reason,
}

/// The note for an error of type `kind` with `message` in the Monty runtime, or None when it
/// needs none.
pub fn for_error(kind: &str, message: &str) -> Option<Note> {
    for_error_in(kind, message, AVAILABLE_MODULES)
}

/// The note for an error of type `kind` with `message` in a runtime whose importable modules
/// `available` lists (for the note on a missing module).
pub fn for_error_in(kind: &str, message: &str, available: &str) -> Option<Note> {
    let reason = |code: String, args: &[(&str, &str)]| Reason {
        code,
        args: args.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
    };
    match kind {
        "ModuleNotFoundError" => {
            let module = message.strip_prefix("No module named '")?.strip_suffix('\'')?;
            let top = module.split('.').next().unwrap_or(module);
            let args = [("module", top), ("available", available)];
            Some(match NUMERIC.iter().find(|(name, _)| *name == top) {
                Some((name, use_)) => Note {
                    text: format!(
                        "This course's Python runs inside the page and has no `{top}`: {use_}. \
                         `import tinyml` to use them. It can import {available}."
                    ),
                    reason: reason(format!("missing_{name}"), &args),
                },
                None => Note {
                    text: format!("This course's Python has no `{top}`. It can import {available}."),
                    reason: reason("missing_module".to_owned(), &args),
                },
            })
        }
        "NotImplementedError" if is_unsupported_syntax(message) => {
            let lower = message.to_ascii_lowercase();
            const SMALL: &str = "This course's Python is a small interpreter that does not support this yet";
            Some(match SYNTAX.iter().find(|(what, _, _)| lower.contains(what)) {
                Some((_, code, how)) => {
                    Note { text: format!("{SMALL}: {how}."), reason: reason(format!("unsupported_{code}"), &[]) }
                }
                None => Note {
                    text: format!("{SMALL}: write it with simpler statements."),
                    reason: reason("unsupported".to_owned(), &[]),
                },
            })
        }
        _ => None,
    }
}

/// True for Monty's parser's "not supported" errors, as opposed to a `NotImplementedError`
/// the student's own code raised.
fn is_unsupported_syntax(message: &str) -> bool {
    message.starts_with("The monty syntax parser does not yet support")
        || message.contains("are not supported")
        || message.contains("is not supported")
}

#[cfg(test)]
mod tests {
    use super::for_error;

    #[test]
    fn numeric_libraries_point_to_numpy_and_tinyml() {
        let note = for_error("ModuleNotFoundError", "No module named 'scipy'").unwrap().text;
        assert!(note.contains("no `scipy`") && note.contains("import tinyml") && note.contains("numpy"), "{note}");
        let sub = for_error("ModuleNotFoundError", "No module named 'sklearn.datasets'").unwrap();
        assert_eq!((sub.reason.code.as_str(), sub.reason.args["module"].as_str()), ("missing_sklearn", "sklearn"));
        let sub = sub.text;
        assert!(sub.contains("no `sklearn`") && sub.contains("load_iris"), "{sub}");
        let other = for_error("ModuleNotFoundError", "No module named 'requests'").unwrap();
        assert_eq!(other.reason.code, "missing_module");
        let other = other.text;
        assert!(other.contains("no `requests`") && other.contains("math, random, statistics"), "{other}");
    }

    #[test]
    fn unsupported_syntax_says_how_to_write_it() {
        let note = for_error(
            "NotImplementedError",
            "The monty syntax parser does not yet support class inheritance and metaclasses",
        )
        .unwrap();
        assert_eq!(note.reason.code, "unsupported_inheritance");
        let note = note.text;
        assert!(note.contains("without a base class"), "{note}");
        let note = for_error("NotImplementedError", "The monty syntax parser does not yet support yield expressions");
        assert!(note.unwrap().text.contains("return it instead of yielding"));
        // The student's own `raise NotImplementedError("...")` is theirs: no note.
        assert_eq!(for_error("NotImplementedError", "write this function"), None);
        assert_eq!(for_error("ValueError", "No module named 'numpy'"), None);
    }
}
