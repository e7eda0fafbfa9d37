//! mdBook's `SUMMARY.md`: a table of contents, or errors at places in the text. No page
//! exists, so every link is an error too (a located one).
#![no_main]

use std::collections::HashMap;
use std::path::Path;

use labbook_core::content::summary::parse;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let display = Path::new("content/SUMMARY.md");
    if let Err(errors) = parse(text, display, Path::new(""), &HashMap::new(), &[]) {
        assert!(!errors.0.is_empty(), "an error without a diagnostic");
        for e in errors.0 {
            assert!(e.points_into(display, text), "{e:?} does not point into the text");
        }
    }
});
