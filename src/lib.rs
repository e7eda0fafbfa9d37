//! labbook: a static site generator for machine-learning courses.
//!
//! This package is the binary's library: the list of built-in features ([`features`]),
//! `labbook serve` ([`serve`]) and `labbook init` ([`init`]). The stages live in
//! `labbook-core` (re-exported here under their names, so `labbook::content` and
//! `labbook::pipeline` keep working), the features in their own crates: `labbook-exercises`
//! ([`exercise`]), `labbook-models` ([`modelcard`]) and `labbook-apidoc` ([`apidoc`]).
//! ARCHITECTURE.md has the map.

pub use labbook_core::{
    assemble, config, content, diagnostic, escape, feature, i18n, markdown, output, pipeline, render, search,
};

pub use labbook_apidoc as apidoc;
pub use labbook_datasets as datasets;
pub use labbook_exercises as exercise;
pub use labbook_models as modelcard;

pub mod export;
pub mod features;
pub mod init;
pub mod serve;

/// Loads the book at `root` with the built-in features.
pub fn load_book(root: &std::path::Path) -> Result<content::Book, diagnostic::Diagnostics> {
    content::load_book(root, &features::builtin())
}
