//! The table of check cases (`tests/cases.json`), run natively. `tests/browser/checks.mjs` runs
//! the same table in Chromium through the python runtime's "check this stdout" request, so the
//! host and the browser are held to the same verdicts and messages.

use labbook_checks::{check_stdout, Check};
use serde::Deserialize;

/// One row: an output, a check (without its name), and what the reader must be told.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    stdout: String,
    check: serde_json::Map<String, serde_json::Value>,
    passed: bool,
    message: String,
}

fn cases() -> Vec<Case> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/cases.json");
    let text = std::fs::read_to_string(path).expect("tests/cases.json is readable");
    serde_json::from_str(&text).expect("tests/cases.json is a list of cases")
}

fn check_of(case: &Case) -> Check {
    let mut check = case.check.clone();
    check.insert("name".into(), case.name.clone().into());
    serde_json::from_value(check.into()).unwrap_or_else(|e| panic!("case {:?}: the check is malformed: {e}", case.name))
}

#[test]
fn every_case_gets_its_verdict_and_message() {
    let cases = cases();
    assert!(cases.len() >= 40, "the table lost cases: {}", cases.len());
    let mut wrong = Vec::new();
    for case in &cases {
        let verdict = check_stdout(&[check_of(case)], &case.stdout).remove(0);
        assert_eq!(verdict.name, case.name);
        if verdict.passed != case.passed || verdict.message != case.message {
            wrong.push(format!(
                "{:?}\n    got      passed={} {:?}\n    expected passed={} {:?}",
                case.name, verdict.passed, verdict.message, case.passed, case.message
            ));
        }
    }
    assert!(wrong.is_empty(), "{} of {} cases differ:\n{}", wrong.len(), cases.len(), wrong.join("\n"));
}
