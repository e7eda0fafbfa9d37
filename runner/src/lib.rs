//! The parts of labbook's python runtimes that do not depend on the interpreter: the JSON
//! protocol (contract 1), the notes on errors and the `tinyml` module's Rust side. The Monty runtime (`main.rs`,
//! this package's binary) and the RustPython runtime (`runner/rustpython`) both use them, so a
//! request means the same and tinyml computes the same in either.

pub mod notes;
pub mod protocol;
pub mod tinyml;
