//! An mdBook's `book.toml`: a configuration with warnings, or an error at a place in the text.
#![no_main]

use std::path::Path;

use labbook_core::config::parse_book_toml;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let display = Path::new("book.toml");
    match parse_book_toml(text, display, "book") {
        Ok((_, warnings)) => {
            for w in warnings {
                assert!(w.points_into(display, text), "{w:?} does not point into the text");
            }
        }
        Err(e) => assert!(e.points_into(display, text), "{e:?} does not point into the text"),
    }
});
