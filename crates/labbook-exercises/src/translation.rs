//! `exercises/<id>/exercise.<lang>.yaml`: an exercise's words in one language of a translated
//! book. It may replace the title, the instructions, the hints and each check's name and
//! feedback (in the order of the exercise's checks); the starter, the solution and what each
//! check tests stay the exercise's own, so a student is graded the same way in every language.

use std::path::Path;

use labbook_checks::ForbidRule;
use labbook_core::diagnostic::{Diagnostic, Diagnostics};
use labbook_core::i18n::strings::Words;
use serde::Deserialize;

use crate::spec::{CheckKind, Exercise};

/// The keys an `exercise.<lang>.yaml` may set.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct ExerciseText {
    title: Option<String>,
    instructions: Option<String>,
    hints: Option<Vec<String>>,
    #[serde(default)]
    checks: Vec<CheckText>,
}

/// One check's words, by position.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct CheckText {
    name: Option<String>,
    feedback: Option<String>,
}

/// Applies each exercise's `exercise.<language>.yaml`, if it has one. Problems (a typo in a
/// key, more checks than the exercise has) are errors at their line.
pub fn apply(root: &Path, exercises: &mut [Exercise], language: &str) -> Result<(), Diagnostics> {
    let mut errors = Vec::new();
    for exercise in exercises.iter_mut() {
        let display = Path::new("exercises").join(&exercise.id).join(format!("exercise.{language}.yaml"));
        let Ok(text) = std::fs::read_to_string(root.join(&display)) else { continue };
        if let Err(e) = apply_one(exercise, &text, &display) {
            errors.push(e);
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Diagnostics(errors))
    }
}

/// Names each `forbid` check in the book's words ("does not use `sorted`":
/// `exercise_forbid_import`, `exercise_forbid_use`), unless an `exercise.<lang>.yaml` named it.
pub fn name_forbid_checks(exercises: &mut [Exercise], words: &Words) {
    for check in exercises.iter_mut().flat_map(|e| e.checks.iter_mut()) {
        let CheckKind::Forbid(rule) = &check.kind else { continue };
        let Ok(rule) = ForbidRule::parse(rule) else { continue };
        if check.name != rule.check_name() {
            continue;
        }
        check.name = match &rule {
            ForbidRule::Import(module) => words.fill("exercise_forbid_import", &[("module", module)]),
            ForbidRule::Object(name) | ForbidRule::Builtin(name) => {
                words.fill("exercise_forbid_use", &[("name", name)])
            }
        };
    }
}

fn apply_one(exercise: &mut Exercise, text: &str, display: &Path) -> Result<(), Diagnostic> {
    let words: ExerciseText = if text.trim().is_empty() {
        ExerciseText::default()
    } else {
        labbook_core::config::parse_yaml(text, display, 1)?
    };
    if words.checks.len() > exercise.checks.len() {
        let (line, column) = labbook_core::config::locate(text, "checks:");
        return Err(Diagnostic::new(
            display,
            line,
            column,
            format!(
                "`checks` lists {} checks, but the exercise has {}: give the words of its checks in their order",
                words.checks.len(),
                exercise.checks.len()
            ),
        ));
    }
    if let Some(title) = words.title {
        exercise.title = title;
    }
    if let Some(instructions) = words.instructions {
        exercise.instructions = instructions;
    }
    if let Some(hints) = words.hints {
        exercise.hints = hints;
    }
    for (check, text) in exercise.checks.iter_mut().zip(words.checks) {
        if let Some(name) = text.name {
            check.name = name;
        }
        if let Some(feedback) = text.feedback {
            check.feedback = Some(feedback);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exercise() -> Exercise {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        crate::spec::load_exercise(&root, "gradient-step", &Default::default(), &[])
            .expect("the course's exercise loads")
    }

    #[test]
    fn words_change_and_checks_stay() {
        let mut ex = exercise();
        let before = ex.clone();
        let text =
            "title: Un pas\nhints: [Un indice]\nchecks:\n  - name: le gradient\n  - feedback: Descendez la pente.\n";
        apply_one(&mut ex, text, Path::new("exercise.fr.yaml")).unwrap();
        assert_eq!(ex.title, "Un pas");
        assert_eq!(ex.hints, vec!["Un indice"]);
        assert_eq!(ex.checks[0].name, "le gradient");
        assert_eq!(ex.checks[1].name, before.checks[1].name);
        assert_eq!(ex.checks[1].feedback.as_deref(), Some("Descendez la pente."));
        assert_eq!(ex.instructions, before.instructions);
        for (a, b) in ex.checks.iter().zip(&before.checks) {
            assert_eq!(a.kind, b.kind, "what a check tests is shared");
        }
        assert_eq!((ex.starter.as_str(), ex.solution.as_str()), (before.starter.as_str(), before.solution.as_str()));
    }

    #[test]
    fn mistakes_are_located() {
        let mut ex = exercise();
        let e = apply_one(&mut ex, "title: X\nhint: [a]\n", Path::new("exercise.fr.yaml")).unwrap_err();
        assert_eq!(e.line, 2, "{e}");
        let many = "checks:\n  - name: a\n  - name: b\n  - name: c\n  - name: d\n  - name: e\n";
        let e = apply_one(&mut ex, many, Path::new("exercise.fr.yaml")).unwrap_err();
        assert!(e.message.contains("lists 5 checks, but the exercise has 4"), "{e}");
        assert_eq!(e.line, 1);
    }

    #[test]
    fn every_reason_has_words_and_the_english_ones_are_the_checks_own() {
        let english = Words::shipped("en", crate::STRINGS);
        for (code, template) in labbook_checks::ENGLISH {
            assert_eq!(english.get(&format!("exercise_why_{code}")), *template, "exercise_why_{code} in en.yaml");
        }
        let french = Words::shipped("fr", crate::STRINGS);
        let reason = labbook_checks::Reason::new(
            "line_differs",
            &[("line", "1".into()), ("got", "\"TODO\"".into()), ("expected", "\"42\"".into())],
        );
        let args: Vec<(&str, &str)> = reason.args.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(
            french.fill("exercise_why_line_differs", &args),
            "la ligne 1 de la sortie est \"TODO\", attendu : \"42\""
        );
    }

    #[test]
    fn forbid_checks_are_named_in_the_book_s_words_unless_a_translation_names_them() {
        let forbid = |rule: &str, name: &str| crate::spec::Check {
            name: name.into(),
            hidden: false,
            feedback: None,
            kind: CheckKind::Forbid(rule.into()),
        };
        let mut ex = exercise();
        ex.checks = vec![
            forbid("import tinyml", "does not import `tinyml`"),
            forbid("sorted", "does not use `sorted`"),
            forbid("tinyml.softmax", "sans softmax"),
        ];
        name_forbid_checks(std::slice::from_mut(&mut ex), &Words::shipped("fr", crate::STRINGS));
        let names: Vec<&str> = ex.checks.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["n'importe pas `tinyml`", "n'utilise pas `sorted`", "sans softmax"]);
    }
}
