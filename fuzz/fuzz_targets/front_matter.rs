//! A page's YAML front matter: split from the body, or an error at a place in the page.
#![no_main]

use std::path::Path;

use labbook_core::content::split_front_matter;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let display = Path::new("content/page.md");
    match split_front_matter(text, display) {
        Ok((_, body, first_line)) => {
            assert!(first_line >= 1, "the body starts at line {first_line}");
            assert!(text.ends_with(body.as_str()), "the body is not the end of the page");
        }
        Err(e) => assert!(e.points_into(display, text), "{e:?} does not point into the text"),
    }
});
