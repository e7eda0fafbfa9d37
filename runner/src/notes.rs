//! Notes that turn an error the student cannot act on into one that teaches: a module this
//! Python does not have, or syntax it does not support, gets a note saying what the course's
//! Python offers instead. The note travels in the result (`error.note`), so `labbook run`,
//! `labbook grade` and the browser show the same words; hosts add the link to the book's
//! "Python in this course" page. Both runtimes use it: the module notes hold for both, the
//! syntax notes only meet Monty's parser's messages.

/// The modules of Monty's standard library (0.0.23) a student can import, plus those the
/// runner adds (the course's numpy, random, statistics, time) and `tinyml`.
pub const AVAILABLE_MODULES: &str =
    "math, random, statistics, time, re, json, collections, itertools, functools, dataclasses, datetime, typing, pathlib (to read the exercise's files), base64, numpy (the course's subset) and tinyml";

/// Libraries students reach for that `tinyml` stands in for, with what to use.
const NUMERIC: &[(&str, &str)] = &[
    ("scipy", "numpy arrays and tinyml have the numeric helpers the exercises need (dot, matmul, exp, log, softmax)"),
    ("pandas", "tables are lists of rows; tinyml.load_iris() and tinyml.load_digits() give the course's datasets"),
    ("sklearn", "tinyml.load_iris() and tinyml.load_digits() give the course's datasets, and the exercises build the models themselves"),
    ("torch", "tinyml.load_safetensors() reads the course's model weights as nested lists"),
    ("tensorflow", "tinyml.load_safetensors() reads the course's model weights as nested lists"),
    ("jax", "use numpy arrays (`import numpy as np`), and tinyml's softmax"),
    ("matplotlib", "there is no plotting; print the numbers instead"),
];

/// Syntax Monty does not support yet (its message names it), and how to write it instead.
const SYNTAX: &[(&str, &str)] = &[
    ("class inheritance", "write the class without a base class, or use functions and dicts"),
    ("method decorators", "use a plain method, or a function outside the class"),
    ("yield", "build a list and return it instead of yielding"),
    ("pattern matching", "use if / elif / else"),
    ("'del' statement", "assign a new value, or build a new list or dict without the item"),
    ("starred expressions", "index the list, or join lists with +"),
    ("async", "write ordinary functions and loops"),
    ("class bodies", "keep only methods and simple `name = value` variables in the class body"),
];

/// The note for an error of type `kind` with `message` in the Monty runtime, or None when it
/// needs none.
pub fn for_error(kind: &str, message: &str) -> Option<String> {
    for_error_in(kind, message, AVAILABLE_MODULES)
}

/// The note for an error of type `kind` with `message` in a runtime whose importable modules
/// `available` lists (for the note on a missing module).
pub fn for_error_in(kind: &str, message: &str, available: &str) -> Option<String> {
    match kind {
        "ModuleNotFoundError" => {
            let module = message.strip_prefix("No module named '")?.strip_suffix('\'')?;
            let top = module.split('.').next().unwrap_or(module);
            let instead = NUMERIC.iter().find(|(name, _)| *name == top).map(|(_, use_)| *use_);
            Some(match instead {
                Some(use_) => format!(
                    "This course's Python runs inside the page and has no `{top}`: {use_}. \
                     `import tinyml` to use them. It can import {available}."
                ),
                None => format!("This course's Python has no `{top}`. It can import {available}."),
            })
        }
        "NotImplementedError" if is_unsupported_syntax(message) => {
            let lower = message.to_ascii_lowercase();
            let instead = SYNTAX.iter().find(|(what, _)| lower.contains(what)).map(|(_, how)| *how);
            Some(match instead {
                Some(how) => format!("This course's Python is a small interpreter that does not support this yet: {how}."),
                None => "This course's Python is a small interpreter that does not support this yet: write it with simpler statements.".to_owned(),
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
        let note = for_error("ModuleNotFoundError", "No module named 'scipy'").unwrap();
        assert!(note.contains("no `scipy`") && note.contains("import tinyml") && note.contains("numpy"), "{note}");
        let sub = for_error("ModuleNotFoundError", "No module named 'sklearn.datasets'").unwrap();
        assert!(sub.contains("no `sklearn`") && sub.contains("load_iris"), "{sub}");
        let other = for_error("ModuleNotFoundError", "No module named 'requests'").unwrap();
        assert!(other.contains("no `requests`") && other.contains("math, random, statistics"), "{other}");
    }

    #[test]
    fn unsupported_syntax_says_how_to_write_it() {
        let note = for_error(
            "NotImplementedError",
            "The monty syntax parser does not yet support class inheritance and metaclasses",
        )
        .unwrap();
        assert!(note.contains("without a base class"), "{note}");
        let note = for_error("NotImplementedError", "The monty syntax parser does not yet support yield expressions");
        assert!(note.unwrap().contains("return it instead of yielding"));
        // The student's own `raise NotImplementedError("...")` is theirs: no note.
        assert_eq!(for_error("NotImplementedError", "write this function"), None);
        assert_eq!(for_error("ValueError", "No module named 'numpy'"), None);
    }
}
