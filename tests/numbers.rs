//! Numbers in the reader's language: what labbook writes in Rust
//! (`labbook_core::i18n::numbers`) must read as what the browser's `Intl.NumberFormat`
//! writes in the pages' scripts. Node's `Intl` (ICU's CLDR data, as in Chromium) is the
//! reference: every language of the table, every kind of figure, one shared list of cases.

mod common;

use common::*;
use labbook_core::i18n::numbers::{known_languages, NumberFormat};

/// Values for each kind of figure: integers (counts), decimals with at most three fraction
/// digits (`Intl`'s default), sizes with exactly two, shares as percentages with at most one.
const INTEGERS: &[i64] = &[0, 7, -7, 999, 1000, 1234, -1234, 12345, 123456, 1234567, 1234567890];
const DECIMALS: &[f64] =
    &[0.5, -0.5, 1.0005, 2.675, 0.30000000000000004, 1234.5, 12345.678, -9876543.21, 999.9996, 1e-7];
const FIXED: &[f64] = &[9.75, 1023.999, 0.0, 1234.5];
const SHARES: &[f64] = &[0.0, 0.125, 0.6667, 1.0, 12.5];

#[test]
fn rust_writes_numbers_as_intl_does_in_every_language_of_the_table() {
    if !can_run(missing_node(), "rust_writes_numbers_as_intl_does_in_every_language_of_the_table") {
        return;
    }
    let languages: Vec<&str> = known_languages().collect();
    assert!(languages.len() >= 10, "{languages:?}");
    // The ten languages labbook ships words for are all in the table.
    for code in ["en", "fr", "es", "de", "pt", "zh", "ja", "ko", "ar", "hi"] {
        assert!(languages.contains(&code), "{code} is missing from the table");
    }
    let mut cases = Vec::new();
    let mut ours = Vec::new();
    for &language in &languages {
        let nf = NumberFormat::of(language);
        for &n in INTEGERS {
            cases.push(serde_json::json!([language, n, {"maximumFractionDigits": 0}, false]));
            ours.push(nf.integer(n.into()));
        }
        for &v in DECIMALS {
            cases.push(serde_json::json!([language, v, {"maximumFractionDigits": 3}, false]));
            ours.push(nf.decimal(v, 3));
        }
        for &v in FIXED {
            cases.push(
                serde_json::json!([language, v, {"minimumFractionDigits": 2, "maximumFractionDigits": 2}, false]),
            );
            ours.push(nf.fixed(v, 2));
        }
        for &v in SHARES {
            cases.push(serde_json::json!([language, v, {"style": "percent", "maximumFractionDigits": 1}, true]));
            ours.push(nf.percent(v, 1));
        }
    }
    let tmp = tempfile::tempdir().unwrap();
    let script = tmp.path().join("intl.mjs");
    std::fs::write(
        &script,
        "import { readFileSync } from 'node:fs';\n\
         const cases = JSON.parse(readFileSync(process.argv[2], 'utf8'));\n\
         console.log(JSON.stringify(cases.map(([l, v, o]) => new Intl.NumberFormat(l, o).format(v))));\n",
    )
    .unwrap();
    let input = tmp.path().join("cases.json");
    std::fs::write(&input, serde_json::to_string(&cases).unwrap()).unwrap();
    let run = run_node(&script, &[&input], tmp.path());
    let stdout = run.expect_success("intl.mjs", "");
    let intl: Vec<String> = serde_json::from_str(stdout.trim()).unwrap();
    assert_eq!(intl.len(), ours.len());
    let wrong: Vec<String> = cases
        .iter()
        .zip(intl.iter().zip(&ours))
        .filter(|(_, (a, b))| a != b)
        .map(|(case, (intl, ours))| format!("{case}: Intl {intl:?}, labbook {ours:?}"))
        .collect();
    assert!(wrong.is_empty(), "{} of {} differ:\n{}", wrong.len(), ours.len(), wrong.join("\n"));
}
