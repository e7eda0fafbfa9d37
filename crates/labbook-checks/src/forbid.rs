//! The `forbid` rule's syntax: what an exercise forbids the student's code to use.
//!
//! - `import tinyml` (or `import tinyml.nn`): importing the module at all, in any form
//!   (`import`, `from ... import`, `as`);
//! - `tinyml.softmax`: that object of a module, however it is reached (`from tinyml import
//!   softmax as sm`, `import tinyml as t; t.softmax`, `getattr(t, "softmax")`);
//! - `sorted`: a built-in name.
//!
//! The rule is checked on the parsed program inside the python runtime (crate
//! `labbook-forbid`), so the browser and the grader give the same verdict; this module is
//! what the host needs to validate an `exercise.yaml` when the book loads.

/// A parsed `forbid` rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ForbidRule {
    /// `import M`: the module `M` (dotted) and everything in it.
    Import(String),
    /// `M.name`: one object of a module, as a dotted path.
    Object(String),
    /// `name`: a built-in name.
    Builtin(String),
}

impl ForbidRule {
    /// Parses a rule as `exercise.yaml` writes it; the reason when it is not one.
    pub fn parse(text: &str) -> Result<ForbidRule, String> {
        let text = text.trim();
        let (import, path) = match text.strip_prefix("import ") {
            Some(rest) => (true, rest.trim()),
            None => (false, text),
        };
        let valid = !path.is_empty()
            && path.split('.').all(|part| {
                let mut chars = part.chars();
                chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
                    && chars.all(|c| c.is_alphanumeric() || c == '_')
            });
        const KEYWORDS: &[&str] = &[
            "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def",
            "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda",
            "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
        ];
        let valid = valid && !path.split('.').any(|part| KEYWORDS.contains(&part));
        if !valid {
            return Err(format!(
                "`{text}` is not a rule: write `import module`, `module.name` or a built-in name such as `sorted`"
            ));
        }
        Ok(if import {
            ForbidRule::Import(path.to_owned())
        } else if path.contains('.') {
            ForbidRule::Object(path.to_owned())
        } else {
            ForbidRule::Builtin(path.to_owned())
        })
    }

    /// The rule as written (`import tinyml`, `tinyml.softmax`).
    pub fn text(&self) -> String {
        match self {
            ForbidRule::Import(m) => format!("import {m}"),
            ForbidRule::Object(p) | ForbidRule::Builtin(p) => p.clone(),
        }
    }

    /// The check's name a reader sees: "does not use `tinyml.softmax`".
    pub fn check_name(&self) -> String {
        match self {
            ForbidRule::Import(m) => format!("does not import `{m}`"),
            ForbidRule::Object(p) | ForbidRule::Builtin(p) => format!("does not use `{p}`"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_parse() {
        assert_eq!(ForbidRule::parse("import tinyml"), Ok(ForbidRule::Import("tinyml".into())));
        assert_eq!(ForbidRule::parse(" tinyml.softmax "), Ok(ForbidRule::Object("tinyml.softmax".into())));
        assert_eq!(ForbidRule::parse("sorted"), Ok(ForbidRule::Builtin("sorted".into())));
        assert!(ForbidRule::parse("import").is_err());
        assert!(ForbidRule::parse("tinyml..softmax").is_err());
        assert!(ForbidRule::parse("from tinyml import softmax").is_err());
        assert_eq!(ForbidRule::Object("tinyml.softmax".into()).check_name(), "does not use `tinyml.softmax`");
    }
}
