//! labbook: a static site generator for machine-learning courses.
//!
//! The build is one pipeline of stages, each a module: [`config`] and [`content`] load the
//! book, [`markdown`] transforms pages, [`assemble`] checks links, [`render`] applies the
//! theme, [`search`] indexes the rendered pages and [`output`] writes the site atomically.
//! [`apidoc`] reads Python sources into API reference pages.
//! [`exercise`] loads, runs and checks the exercises in a wasmtime sandbox.
//! [`pipeline`] runs them in order; [`serve`] keeps them in memory and reruns what a change
//! touches.

#[path = "../crates/labbook-apidoc/src/lib.rs"]
pub mod apidoc;
#[path = "../crates/labbook-core/src/assemble/mod.rs"]
pub mod assemble;
#[path = "../crates/labbook-core/src/config/mod.rs"]
pub mod config;
#[path = "../crates/labbook-core/src/content/mod.rs"]
pub mod content;
#[path = "../crates/labbook-core/src/diagnostic.rs"]
pub mod diagnostic;
#[path = "../crates/labbook-exercises/src/lib.rs"]
pub mod exercise;
pub mod init;
#[path = "../crates/labbook-core/src/markdown/mod.rs"]
pub mod markdown;
#[path = "../crates/labbook-models/src/lib.rs"]
pub mod modelcard;
#[path = "../crates/labbook-core/src/output/mod.rs"]
pub mod output;
#[path = "../crates/labbook-core/src/pipeline.rs"]
pub mod pipeline;
#[path = "../crates/labbook-core/src/render/mod.rs"]
pub mod render;
#[path = "../crates/labbook-core/src/search/mod.rs"]
pub mod search;
pub mod serve;
