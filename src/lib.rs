//! labbook: a static site generator for machine-learning courses.
//!
//! The build is one pipeline of stages, each a module: [`config`] and [`content`] load the
//! book, [`markdown`] transforms pages, [`assemble`] checks links, [`render`] applies the
//! theme, [`search`] indexes the rendered pages and [`output`] writes the site atomically.
//! [`apidoc`] reads Python sources into API reference pages.
//! [`exercise`] loads, runs and checks the exercises in a wasmtime sandbox.
//! [`pipeline`] runs them in order; [`serve`] keeps them in memory and reruns what a change
//! touches.

pub mod apidoc;
pub mod assemble;
pub mod config;
pub mod content;
pub mod diagnostic;
pub mod exercise;
pub mod init;
pub mod markdown;
pub mod modelcard;
pub mod output;
pub mod pipeline;
pub mod render;
pub mod search;
pub mod serve;
