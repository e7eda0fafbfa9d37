//! Python source given to the API reference: a module model, or a syntax error at a place
//! in the source.
#![no_main]

use std::path::Path;

use labbook_apidoc::parse::parse_module;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|source: &str| {
    let display = Path::new("src/pkg/mod.py");
    match parse_module(source, "pkg.mod", false, 0, display) {
        Ok(parsed) => {
            for w in parsed.warnings {
                assert!(w.points_into(display, source), "{w:?} does not point into the source");
            }
        }
        Err(e) => assert!(e.points_into(display, source), "{e:?} does not point into the source"),
    }
});
