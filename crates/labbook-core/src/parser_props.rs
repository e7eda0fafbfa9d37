//! Property tests of the core's parsers of untrusted input: `book.yaml`, `book.toml`, a
//! page's front matter and mdBook's `SUMMARY.md`. Inputs are real files of this repository
//! with random edits (`testing::mutate`) or any text at all. For each: no panic, no hang
//! (`testing::within`), and either a result or errors that point into the text.
//! The fuzz targets in `fuzz/` run the same properties for longer.

use std::collections::HashMap;
use std::path::Path;

use proptest::prelude::*;

use crate::config::{parse_book_toml, BookConfig};
use crate::content::{split_front_matter, summary};
use crate::testing::{mutate, within, Edit};

const BOOK_YAML: &[&str] = &[
    include_str!("../../../book.yaml"),
    include_str!("../../../tests/fixtures/features/book.yaml"),
    include_str!("../../../tests/fixtures/search-basic/book.yaml"),
    include_str!("../../../tests/fixtures/summary/book.yaml"),
];
const BOOK_TOML: &[&str] = &[
    include_str!("../../../tests/fixtures/summary/book.toml"),
    include_str!("../../../tests/fixtures/mdbook-zh-excerpt/book.toml"),
    include_str!("../../../tests/fixtures/mdbook-upstream/heading-nav-folded/book.toml"),
];
const PAGES: &[&str] = &[
    include_str!("../../../content/ml/softmax.md"),
    include_str!("../../../tests/fixtures/fail-front-matter/content/index.md"),
    "---\ntitle: A page\ndescription: One.\ntags: [a, b]\ndraft: false\nweight: 3\n---\n# A page\n",
];
const SUMMARIES: &[&str] = &[
    include_str!("../../../tests/fixtures/summary/src/SUMMARY.md"),
    include_str!("../../../tests/fixtures/mdbook-zh-excerpt/src/SUMMARY.md"),
    include_str!("../../../tests/fixtures/mdbook-upstream/all-summary/src/SUMMARY.md"),
];

/// A real file of `seeds` with up to 12 random edits, or any text.
pub(crate) fn text(seeds: &'static [&'static str]) -> impl Strategy<Value = String> {
    let edit = (any::<usize>(), any::<u8>(), any::<usize>()).prop_map(|(at, kind, arg)| Edit { at, kind, arg });
    prop_oneof![
        4 => (0..seeds.len(), proptest::collection::vec(edit, 0..12)).prop_map(move |(i, e)| mutate(seeds[i], &e)),
        1 => "(?s).{0,300}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: crate::testing::cases(64), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn book_yaml_gives_a_config_or_a_located_error(text in text(BOOK_YAML)) {
        let display = Path::new("book.yaml");
        let copy = text.clone();
        let result = within("book.yaml", move || BookConfig::parse_with(&copy, Path::new("book.yaml"), &["exercises"]));
        if let Err(e) = result {
            prop_assert!(e.points_into(display, &text), "{e:?}\n{text}");
        }
    }

    #[test]
    fn book_toml_gives_a_config_or_a_located_error(text in text(BOOK_TOML)) {
        let display = Path::new("book.toml");
        let copy = text.clone();
        match within("book.toml", move || parse_book_toml(&copy, Path::new("book.toml"), "book")) {
            Ok((_, warnings)) => {
                for w in warnings {
                    prop_assert!(w.points_into(display, &text), "{w:?}\n{text}");
                }
            }
            Err(e) => prop_assert!(e.points_into(display, &text), "{e:?}\n{text}"),
        }
    }

    #[test]
    fn front_matter_splits_or_gives_a_located_error(text in text(PAGES)) {
        let display = Path::new("content/page.md");
        let copy = text.clone();
        match within("front matter", move || split_front_matter(&copy, Path::new("content/page.md"))) {
            Ok((_, body, first_line)) => {
                prop_assert!(first_line >= 1);
                prop_assert!(text.ends_with(body.as_str()), "the body is not the end of the page");
            }
            Err(e) => prop_assert!(e.points_into(display, &text), "{e:?}\n{text}"),
        }
    }

    #[test]
    fn summary_gives_a_toc_or_located_errors(text in text(SUMMARIES)) {
        let display = Path::new("src/SUMMARY.md");
        let copy = text.clone();
        let result = within("SUMMARY.md", move || {
            summary::parse(&copy, Path::new("src/SUMMARY.md"), Path::new(""), &HashMap::new(), &[]).map(|_| ())
        });
        if let Err(errors) = result {
            prop_assert!(!errors.0.is_empty());
            for e in errors.0 {
                prop_assert!(e.points_into(display, &text), "{e:?}\n{text}");
            }
        }
    }
}
