//! `book.yaml`: any text gives a configuration or an error at a place in that text.
#![no_main]

use std::path::Path;

use labbook_core::config::BookConfig;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let display = Path::new("book.yaml");
    for keys in [&[][..], &["exercises", "runtimes", "models", "api"][..]] {
        if let Err(e) = BookConfig::parse_with(text, display, keys) {
            assert!(e.points_into(display, text), "{e:?} does not point into the text");
        }
    }
});
